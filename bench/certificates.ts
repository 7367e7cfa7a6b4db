// S4: certificates. How fast Nara issues them against what its rendering threads could do
// alone, what issuing does to an ordinary page meanwhile, and how fast anyone can verify
// one. Each figure against a ceiling measured in the same run. See bench/README.md.
//
//   node --import tsx bench/certificates.ts
//
// runs S4 alone, with its own hello-world ceiling (the same variables as `npm run bench`).
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { DEMO_PASSWORD } from '../src/modules/identity/demo-agencies.ts';
import type { CertificateCeilingMessage, CertificateCeilingOptions } from './certificate-ceiling.ts';
import { ConnectionPool } from './http-client.ts';
import { closingLines, connectionFailure as failure, envNumber, int, machine, measureHttp, ms, percentile, probeResult, reason, runCeilingProcess, sleep, spawnServer, startCpuMeter, startProber, startThreadMeter, threadsLine, type HttpResult, type ProbeBucket, type ProbeResult, type Server } from './lib.ts';

export type { ProbeResult };
import { signInAs } from './timeline-readers.ts';

type Progress = (message: string) => void;
const here = path.dirname(fileURLToPath(import.meta.url));

export const ISSUE_TARGET = 0.6;
export const PAGE_P99_TARGET = 2;
/** verifications/s the issue asks of this machine: an absolute figure, noted beside the ratio */
export const VERIFY_TARGET_PER_SECOND = 2000;

export interface CertificateSettings {
  /** seconds of each counted measurement */
  duration: number;
  /** seconds of the same load before each, not counted */
  warmup: number;
  /** render threads of the Nara under test (RENDER_WORKERS); the ceiling is one thread's rate times this */
  workers: number;
  /** issuance requests in flight at once, each from a session of its own */
  inFlight: number;
  /** requests per second of the ordinary page, one connection */
  probeRate: number;
  /** the ordinary page probed at rest and during issuance */
  probePath: string;
  /** autocannon connections verifying */
  connections: number;
  usernames: string[];
}

/** The settings `npm run bench` uses, from the same environment variables. */
export function certificateSettings(env: NodeJS.ProcessEnv = process.env): CertificateSettings {
  const number = (name: string, fallback: number) => envNumber(env, name, fallback);
  // Nara's own default: one core left to the HTTP and database threads.
  const workers = Math.max(1, Math.round(number('BENCH_RENDER_WORKERS', Math.max(1, os.availableParallelism() - 1))));
  return {
    duration: Math.max(1, number('BENCH_DURATION', 10)),
    warmup: number('BENCH_WARMUP', 2),
    workers,
    inFlight: Math.max(1, Math.round(number('BENCH_ISSUE_IN_FLIGHT', 2 * workers))),
    // 500 probes a phase: the p99 is then the fifth-slowest, not the second-slowest of 200,
    // which one stray pause on a shared machine decided (runs swung 1.6–3.5× with 200).
    probeRate: 50,
    probePath: '/',
    connections: 50,
    // Residents need no second factor; each has a register record to certify.
    usernames: ['resident1', 'resident2', 'resident3'],
  };
}

// ---------------------------------------------------------------------------------------
// The ceiling: one thread rendering and signing, in a child process of its own
// ---------------------------------------------------------------------------------------

export interface CertificateCeiling {
  /** certificates rendered and signed per second by one thread */
  perSecond: number;
  certificates: number;
  seconds: number;
  renderMs: number;
  signMs: number;
  pdfBytes: number;
  otherCpu: number | undefined;
}

/** One thread's rate (bench/certificate-ceiling.ts), started like the servers. */
export function measureCertificateCeiling(options: CertificateCeilingOptions): Promise<CertificateCeiling> {
  return runCeilingProcess('certificate-ceiling.ts', 'the certificate ceiling', options, (message: CertificateCeilingMessage, otherCpu) => {
    if (message.seconds === undefined) return undefined;
    const certificates = message.certificates ?? 0;
    return { perSecond: certificates / message.seconds, certificates, seconds: message.seconds, renderMs: message.renderMs ?? Number.NaN, signMs: message.signMs ?? Number.NaN, pdfBytes: message.pdfBytes ?? 0, otherCpu };
  });
}

// ---------------------------------------------------------------------------------------
// Residents asking for certificates, as a browser does
// ---------------------------------------------------------------------------------------

const threadsOf = (n: number) => `${n} render thread${n === 1 ? '' : 's'}`;
const REQUEST_PAGE = '/certificates/request/resident-registration';
const ISSUED = /^\/certificates\/(\d{4}-\d{4}-\d{4}-\d{4})\?issued=1$/;
// Everything the type lets a resident leave off, asked for: the full certificate, seven fields.
const INCLUDE = ['birthDate', 'registeredOn', 'householdHead', 'householdMembers'];

interface Session {
  username: string;
  cookie: string;
  /** the form body of one request, its CSRF token included */
  form: string;
}

/** A resident signed in, with the request form's CSRF token read from the page as a browser would. */
async function openSession(base: string, username: string): Promise<Session> {
  let cookie = await signInAs(base, username, DEMO_PASSWORD);
  const page = await fetch(new URL(REQUEST_PAGE, base), { headers: { cookie }, redirect: 'manual' });
  const html = await page.text();
  if (page.status !== 200) throw new Error(`GET ${REQUEST_PAGE} as ${username}: status ${page.status}`);
  const renewed = page.headers.getSetCookie().map((c) => c.split(';')[0]!).find((c) => c.startsWith('nara_sid='));
  if (renewed) cookie = renewed;
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!csrf) throw new Error(`GET ${REQUEST_PAGE} as ${username}: no CSRF token`);
  const form = new URLSearchParams({ _csrf: csrf, lang: 'ko' });
  for (const key of INCLUDE) form.append('include', key);
  return { username, cookie, form: form.toString() };
}

/** One certificate asked for: its issue number, or what went wrong. */
async function issueOnce(pool: ConnectionPool, session: Session): Promise<{ number: string } | { problem: string }> {
  const answer = await pool.request('POST', REQUEST_PAGE, { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' }, session.form);
  if (answer.status !== 303) return { problem: `POST ${REQUEST_PAGE} ${answer.status}` };
  const location = answer.headers.location?.[0];
  const number = location === undefined ? undefined : ISSUED.exec(location)?.[1];
  return number ? { number } : { problem: `POST ${REQUEST_PAGE} 303 → ${location}` };
}

// ---------------------------------------------------------------------------------------
// Issuance, with the page probed at rest and meanwhile
// ---------------------------------------------------------------------------------------

export interface IssuanceResult {
  /** answered 303 → /certificates/…?issued=1 within the counted window */
  issued: number;
  issuedPerSecond: number;
  /** POST to redirect, milliseconds, counted window */
  p50: number;
  p99: number;
  /** every failed request, warm-up and drain included, by kind */
  errors: Record<string, number>;
  errorCount: number;
  seconds: number;
  inFlight: number;
  workers: number;
  /** bytes of one PDF the server issued (its /pdf download) */
  pdfBytes: number;
  page: { path: string; rate: number; rest: ProbeResult; issuing: ProbeResult; p99Ratio: number };
  /** cores the server's threads used in the counted window, by the thread's name (Linux): where the CPU went */
  threads: Record<string, number>;
  otherCpu: number | undefined;
}

/**
 * `inFlight` residents' sessions each asking for one certificate after another, for
 * `warmup` + `duration` seconds; before that, the ordinary page probed at rest for
 * `duration` seconds, and the same probe kept going throughout.
 */
export async function measureIssuance(server: Server, s: CertificateSettings, progress: Progress): Promise<IssuanceResult> {
  const base = server.url;
  // One after another: each sign-in is an argon2id verification.
  const sessions: Session[] = [];
  for (let i = 0; i < s.inFlight; i++) sessions.push(await openSession(base, s.usernames[i % s.usernames.length]!));

  // One certificate first: if it fails, the load would measure error pages.
  const pool = new ConnectionPool(base);
  const first = await issueOnce(pool, sessions[0]!);
  if ('problem' in first) throw new Error(`the check issuance failed: ${first.problem}`);
  const pdf = await fetch(new URL(`/certificates/${first.number}/pdf`, base), { headers: { cookie: sessions[0]!.cookie } });
  const pdfBody = Buffer.from(await pdf.arrayBuffer());
  if (pdf.status !== 200 || pdfBody.subarray(0, 5).toString('latin1') !== '%PDF-') throw new Error(`the check certificate's PDF did not download (status ${pdf.status})`);

  const rest: ProbeBucket = { times: [], failed: 0 };
  const issuing: ProbeBucket = { times: [], failed: 0 };
  let phase: 'warm-up' | 'rest' | 'issuing-warm-up' | 'issuing' | 'drain' = 'warm-up';
  const stopProber = startProber(base, s.probePath, s.probeRate, () => (phase === 'rest' ? rest : phase === 'issuing' ? issuing : undefined), { 'accept-language': 'ko' });
  // Uncounted probes first: the connection opens, the page's path warms, the job runner's first poll goes by.
  await sleep(2000);
  progress(`S4: ${s.probePath} at rest, ${s.probeRate}/s for ${s.duration} s`);
  phase = 'rest';
  await sleep(s.duration * 1000);

  progress(`S4: issuing, ${s.inFlight} in flight on ${threadsOf(s.workers)}: ${s.warmup} s warm-up + ${s.duration} s`);
  phase = 'issuing-warm-up';
  const errors: Record<string, number> = {};
  const latencies: number[] = [];
  let windowStart = Number.POSITIVE_INFINITY;
  let windowEnd = Number.POSITIVE_INFINITY;
  let issued = 0;
  let stopped = false;
  const requester = async (session: Session) => {
    while (!stopped) {
      const started = performance.now();
      let problem: string | undefined;
      try {
        const answer = await issueOnce(pool, session);
        if ('problem' in answer) problem = answer.problem;
      } catch (error) {
        problem = failure(error);
      }
      const ended = performance.now();
      if (problem) errors[problem] = (errors[problem] ?? 0) + 1;
      else if (ended >= windowStart && ended <= windowEnd) {
        issued++;
        latencies.push(ended - started);
      }
    }
  };
  const requesters = sessions.map(requester);
  await sleep(s.warmup * 1000);
  const meter = startCpuMeter(server.pid ? [server.pid] : []);
  const threadMeter = startThreadMeter(server.pid);
  windowStart = performance.now();
  phase = 'issuing';
  await sleep(s.duration * 1000);
  windowEnd = performance.now();
  phase = 'drain';
  const otherCpu = meter();
  const threads = threadMeter();
  stopped = true;
  await stopProber();
  progress('S4: letting the requests in flight finish');
  await Promise.all(requesters);
  pool.close();

  const seconds = (windowEnd - windowStart) / 1000;
  const restResult = probeResult(rest);
  const issuingResult = probeResult(issuing);
  return {
    issued,
    issuedPerSecond: issued / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    errors,
    errorCount: Object.values(errors).reduce((sum, n) => sum + n, 0),
    seconds,
    inFlight: s.inFlight,
    workers: s.workers,
    pdfBytes: pdfBody.length,
    page: { path: s.probePath, rate: s.probeRate, rest: restResult, issuing: issuingResult, p99Ratio: issuingResult.p99 / restResult.p99 },
    threads,
    otherCpu,
  };
}

// ---------------------------------------------------------------------------------------
// Verification
// ---------------------------------------------------------------------------------------

export interface VerifyResult extends HttpResult {
  connections: number;
  /** as IssuanceResult's */
  threads: Record<string, number>;
  /** bytes of the credential verified */
  jwtBytes: number;
}

/**
 * One certificate issued to resident1, its credential fetched as the holder downloads it;
 * then `POST /credentials/verify` with it, anonymously, by autocannon at full load (each
 * one recorded for the holder to see, as any verification by someone else is).
 */
export async function measureVerifications(server: Server, s: CertificateSettings, progress: Progress): Promise<VerifyResult> {
  const base = server.url;
  const session = await openSession(base, s.usernames[0]!);
  const pool = new ConnectionPool(base);
  const issued = await issueOnce(pool, session).finally(() => pool.close());
  if ('problem' in issued) throw new Error(`the certificate to verify was not issued: ${issued.problem}`);
  const download = await fetch(new URL(`/certificates/${issued.number}/credential`, base), { headers: { cookie: session.cookie } });
  const jwt = (await download.text()).trim();
  if (download.status !== 200 || jwt.split('.').length !== 3) throw new Error(`the credential did not download (status ${download.status})`);
  const url = new URL('/credentials/verify', base).toString();
  const body = JSON.stringify({ verifiableCredential: jwt });
  const headers = { 'content-type': 'application/json' };
  const check = await fetch(url, { method: 'POST', headers, body });
  const answer = (await check.json()) as { verified?: boolean };
  if (check.status !== 200 || answer.verified !== true) throw new Error(`the check verification did not verify (status ${check.status}: ${JSON.stringify(answer).slice(0, 200)})`);

  progress(`S4: verifying, ${s.connections} connections: ${s.warmup} s warm-up + ${s.duration} s`);
  const fire = (duration: number) => autocannon({ url, connections: s.connections, duration, method: 'POST', headers, body });
  if (s.warmup > 0) await fire(s.warmup);
  const meter = startCpuMeter(server.pid ? [server.pid] : []);
  const threadMeter = startThreadMeter(server.pid);
  const r = await fire(s.duration);
  const otherCpu = meter();
  const threads = threadMeter();
  // autocannon hangs up on the requests it has in flight, but the server still works through
  // them; wait until one is answered promptly, so that it closes with nothing left to do.
  for (let i = 0; i < 50; i++) {
    const started = performance.now();
    await (await fetch(url, { method: 'POST', headers, body })).arrayBuffer();
    if (performance.now() - started < 50) break;
  }
  const statusCodes: Record<string, number> = {};
  for (const [code, stat] of Object.entries(r.statusCodeStats ?? {})) statusCodes[code] = stat.count ?? 0;
  return {
    rps: r.requests.mean, p50: r.latency.p50, p99: r.latency.p99, requests: r.requests.total, non2xx: r.non2xx, errors: r.errors, timeouts: r.timeouts,
    statusCodes, seconds: r.duration, otherCpu, connections: s.connections, threads, jwtBytes: Buffer.byteLength(jwt),
  };
}

// ---------------------------------------------------------------------------------------
// S4 as a whole, and its report lines
// ---------------------------------------------------------------------------------------

type Skipped = { skipped: string };

export interface CertificateResult {
  settings: CertificateSettings;
  ceiling: CertificateCeiling | Skipped;
  issuance: IssuanceResult | Skipped;
  verification: VerifyResult | Skipped;
  /** issued/s ÷ (one thread's rate × workers) */
  issueRatio?: number;
  /** verifications/s ÷ hello-world req/s */
  verifyRatio?: number;
  /** what makes a figure INVALID or missing, for the loud block */
  problems: string[];
}

/** Nara on PGlite with the demo data; the write limit (all requests come from 127.0.0.1) out of the way. */
const startNara = (s: CertificateSettings) => spawnServer('nara', { config: { demoResidents: 500, rateLimitPerMinute: 1_000_000, renderWorkers: s.workers } });

/**
 * S4: the ceiling, then issuance on one Nara (the page probed at rest and meanwhile), then
 * verification on a fresh one. `hello` is the run's hello-world ceiling (none: no ratio).
 */
export async function measureCertificates(s: CertificateSettings, hello: HttpResult | undefined, progress: Progress): Promise<CertificateResult> {
  const problems: string[] = [];
  const labels = certificateLabels(s);
  const attempt = async <T>(label: string, measure: () => Promise<T>): Promise<T | Skipped> => {
    try {
      return await measure();
    } catch (error) {
      problems.push(`${label}: could not run (${reason(error)}) — NO FIGURE`);
      return { skipped: reason(error) };
    }
  };
  const onNara = async <T>(label: string, measure: (server: Server) => Promise<T>): Promise<T | Skipped> =>
    attempt(label, async () => {
      const server = await startNara(s);
      try {
        return await measure(server);
      } finally {
        await server.close().catch((error: unknown) => problems.push(`${label}: the server did not close cleanly (${reason(error)})`));
      }
    });

  progress(`S4: certificate render + sign ceiling, one thread: ${s.warmup} s warm-up + ${s.duration} s`);
  const ceiling = await attempt(labels.ceiling, () => measureCertificateCeiling({ duration: s.duration, warmup: s.warmup }));
  progress(`S4: issuance: starting Nara with ${threadsOf(s.workers)}, ${s.inFlight} residents' sessions`);
  const issuance = await onNara(labels.issuance, (server) => measureIssuance(server, s, progress));
  progress('S4: verification: starting a fresh Nara');
  const verification = await onNara(labels.verification, (server) => measureVerifications(server, s, progress));

  if (!('skipped' in issuance)) {
    if (issuance.errorCount > 0) {
      const kinds = Object.entries(issuance.errors).map(([kind, n]) => `${int(n)} × ${kind}`).join(', ');
      problems.push(`${labels.issuance}: ${int(issuance.errorCount)} failed requests (${kinds}) against ${int(issuance.issued)} counted certificates — THIS FIGURE IS NOT VALID`);
    }
    const { rest, issuing } = issuance.page;
    if (rest.failed + issuing.failed > 0 || rest.samples === 0 || issuing.samples === 0) {
      problems.push(`${labels.page}: ${int(rest.failed)} failed probes at rest (of ${int(rest.samples + rest.failed)}), ${int(issuing.failed)} during issuance (of ${int(issuing.samples + issuing.failed)}) — THIS FIGURE IS NOT VALID`);
    }
  }
  if (!('skipped' in verification) && verification.non2xx + verification.errors > 0) {
    const codes = Object.entries(verification.statusCodes).filter(([code]) => !code.startsWith('2')).map(([code, n]) => `${int(n)} × ${code}`).join(', ');
    problems.push(`${labels.verification}: ${int(verification.non2xx)} non-2xx responses${codes ? ` (${codes})` : ''}, ${int(verification.errors)} connection errors out of ${int(verification.requests)} — THIS FIGURE IS NOT VALID`);
  }
  return {
    settings: s,
    ceiling,
    issuance,
    verification,
    ...('skipped' in ceiling || 'skipped' in issuance ? {} : { issueRatio: issuance.issuedPerSecond / (ceiling.perSecond * s.workers) }),
    ...(hello === undefined || 'skipped' in verification ? {} : { verifyRatio: verification.rps / hello.rps }),
    problems,
  };
}

export function certificateLabels(s: Pick<CertificateSettings, 'inFlight' | 'connections' | 'probePath'>) {
  return {
    ceiling: 'certificate render + sign, one thread',
    issuance: `S4 certificate issuance, ${s.inFlight} in flight`,
    page: `S4 ${s.probePath === '/' ? 'home page' : s.probePath} p99 during issuance`,
    verification: `S4 credential verification, ${s.connections} conns`,
  };
}

/**
 * The table lines of S4, each label padded to `width`. `noise(label, otherCpu)` marks a
 * disturbed figure (and may note it elsewhere); run.ts passes its own.
 */
export function certificateLines(r: CertificateResult, width: number, noise: (label: string, otherCpu: number | undefined) => string): { ceiling: string[]; scenarios: string[] } {
  const l = certificateLabels(r.settings);
  const kb = (bytes: number) => `${Math.round(bytes / 1024)} KB`;
  const invalid = (label: string) => (r.problems.some((p) => p.startsWith(`${label}:`) && p.includes('NOT VALID')) ? 'INVALID' : undefined);
  const c = r.ceiling;
  const ceiling = [
    `ceiling  ${l.ceiling.padEnd(width)}${
      'skipped' in c
        ? `NO FIGURE: ${c.skipped}`
        : `${c.perSecond.toFixed(1).padStart(8)} certificates/s   × ${threadsOf(r.settings.workers)} = ${(c.perSecond * r.settings.workers).toFixed(1)}/s   (render ${c.renderMs.toFixed(1)} ms + sign ${c.signMs.toFixed(2)} ms, PDF ${kb(c.pdfBytes)})${noise(l.ceiling, c.otherCpu)}`
    }`,
  ];
  const scenarios: string[] = [];
  const i = r.issuance;
  if ('skipped' in i) scenarios.push(`scenario ${l.issuance.padEnd(width)}NO FIGURE: ${i.skipped}`);
  else {
    const verdict = invalid(l.issuance) ?? (r.issueRatio === undefined ? 'NO CEILING' : r.issueRatio >= ISSUE_TARGET ? 'PASS' : 'BELOW TARGET');
    const against = r.issueRatio === undefined ? 'no ceiling' : `${r.issueRatio.toFixed(2)} × render + sign ceiling  target ≥ ${ISSUE_TARGET.toFixed(2)}`;
    scenarios.push(`scenario ${l.issuance.padEnd(width)}${i.issuedPerSecond.toFixed(1).padStart(8)} issued/s   p99 ${ms(i.p99).padStart(4)} ms   ${against}  ${verdict}   (PDF ${kb(i.pdfBytes)})${noise(l.issuance, i.otherCpu)}`);
    if (Object.keys(i.threads).length > 0) scenarios.push(`         ${''.padEnd(width)}${threadsLine(i.threads)}`);
    const p = i.page;
    const pageVerdict = invalid(l.page) ?? (p.p99Ratio <= PAGE_P99_TARGET ? 'PASS' : 'ABOVE TARGET');
    scenarios.push(
      `scenario ${l.page.padEnd(width)}${p.issuing.p99.toFixed(1).padStart(8)} ms p99 (${int(p.issuing.samples)} probes), at rest ${p.rest.p99.toFixed(1)} ms (${int(p.rest.samples)})   ${p.p99Ratio.toFixed(1)} × at rest  target ≤ ${PAGE_P99_TARGET.toFixed(1)}  ${pageVerdict}`,
    );
  }
  const v = r.verification;
  if ('skipped' in v) scenarios.push(`scenario ${l.verification.padEnd(width)}NO FIGURE: ${v.skipped}`);
  else {
    const bad = invalid(l.verification);
    const ratio = r.verifyRatio === undefined ? 'no hello-world ceiling' : `${r.verifyRatio.toFixed(2)} × hello-world`;
    // The issue's target is a rate on this machine, not a ratio: printed beside the ratio.
    scenarios.push(
      `scenario ${l.verification.padEnd(width)}${int(v.rps).padStart(8)} req/s   p99 ${ms(v.p99).padStart(4)} ms   ${ratio}   target ≥ ${int(VERIFY_TARGET_PER_SECOND)} req/s on this machine  ${bad ?? (v.rps >= VERIFY_TARGET_PER_SECOND ? 'PASS' : 'BELOW TARGET')}${noise(l.verification, v.otherCpu)}`,
    );
  }
  if (!('skipped' in v) && Object.keys(v.threads).length > 0) scenarios.push(`         ${''.padEnd(width)}${threadsLine(v.threads)}`);
  return { ceiling, scenarios };
}

/** Seconds S4 takes with these settings, roughly: three measurements, the rest probe, two start-ups. */
export const certificateSeconds = (s: CertificateSettings) => 3 * (s.warmup + s.duration) + s.duration + 2 + 30;

// ---------------------------------------------------------------------------------------
// Stand-alone: node --import tsx bench/certificates.ts
// ---------------------------------------------------------------------------------------

if (import.meta.main) {
  const s = certificateSettings();
  const progress: Progress = (message) => process.stderr.write(`  … ${message}\n`);
  const NOISE = 0.1;
  const noisy: string[] = [];
  const noise = (label: string, otherCpu: number | undefined) => {
    if (otherCpu === undefined || otherCpu <= NOISE) return '';
    noisy.push(`${label}: other processes used ${Math.round(otherCpu * 100)} % of the CPU meanwhile`);
    return '   (disturbed)';
  };
  const host = machine();
  const startedAt = new Date();
  const idle = startCpuMeter();
  await sleep(1000);
  const busyBefore = idle();
  process.stderr.write(`S4 certificates: measuring (about ${Math.ceil(certificateSeconds(s) + s.warmup + s.duration + 5)} s)\n`);

  progress(`hello-world ceiling: ${s.warmup} s warm-up + ${s.duration} s`);
  let hello: HttpResult | undefined;
  const problems: string[] = [];
  try {
    const server = await spawnServer('hello-world');
    try {
      hello = await measureHttp(server.url, { connections: s.connections, duration: s.duration, warmup: s.warmup, pids: [server.pid!] });
    } finally {
      await server.close();
    }
    if (hello.non2xx + hello.errors > 0) problems.push(`hello-world ceiling: ${int(hello.non2xx)} non-2xx responses, ${int(hello.errors)} connection errors — THIS FIGURE IS NOT VALID`);
  } catch (error) {
    problems.push(`hello-world ceiling: could not run (${reason(error)}) — NO FIGURE`);
  }
  const r = await measureCertificates(s, hello, progress);
  problems.push(...r.problems);

  const helloLabel = `hello-world (Fastify), ${s.connections} connections`;
  const labels = certificateLabels(s);
  const W = Math.max(helloLabel.length, ...Object.values(labels).map((x) => x.length)) + 2;
  const { ceiling, scenarios } = certificateLines(r, W, noise);
  const lines = [
    `S4 certificates — ${host.cores} cores (${host.cpu}), Node ${host.node}, ${startedAt.toISOString()}`,
    `${s.duration} s measured after ${s.warmup} s warm-up; Nara (PGlite, demo data) with ${threadsOf(s.workers)}, in a child process; the ceiling in another; load generator in this one`,
    '',
    ...(busyBefore === undefined ? [] : [`other processes used ${Math.round(busyBefore * 100)} % of the CPU in the second before the run${busyBefore > NOISE ? ' — NOT A QUIET MACHINE, figures may be disturbed' : ''}`, '']),
    `ceiling  ${helloLabel.padEnd(W)}${hello ? `${int(hello.rps).padStart(8)} req/s   p99 ${ms(hello.p99).padStart(4)} ms${noise('hello-world ceiling', hello.otherCpu)}` : 'NO FIGURE'}`,
    ...ceiling,
    ...scenarios,
  ];
  lines.push(...closingLines(noisy, problems, NOISE));
  console.log(lines.join('\n'));
  const dir = path.join(here, 'results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'certificates.json');
  writeFileSync(file, `${JSON.stringify({ startedAt: startedAt.toISOString(), machine: { ...host, otherCpuBeforeRun: busyBefore }, helloWorld: hello, s4: r, errors: problems, disturbed: noisy }, null, 2)}\n`);
  console.log(`\nwritten to ${path.relative(process.cwd(), file)}`);
  if (problems.length > 0) process.exitCode = 1;
}
