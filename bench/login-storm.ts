// The login storm's load generator: simulated browsers signing in over and over, and a
// slow prober of /healthz that shows whether the rest of the server stays responsive
// meanwhile. Runs in the harness process, like autocannon; Nara runs in its own.
import { performance } from 'node:perf_hooks';
import { BrowserConnection } from './http-client.ts';
import { connectionFailure as failure, percentile, probeResult, sleep, startCpuMeter, startLoadGeneratorMeter, startProber, sumOf, worstDisturbance, type ProbeBucket, type ProbeResult } from './lib.ts';

export type { ProbeResult };

export interface StormOptions {
  /** simulated browsers, each with one request in flight at a time */
  browsers: number;
  /** seconds counted */
  duration: number;
  /** seconds of the same load before counting, discarded */
  warmup: number;
  /** seconds of probing /healthz before the storm */
  restSeconds: number;
  /** /healthz probes per second, one connection */
  probeRate: number;
  usernames: string[];
  password: string;
  /** processes whose CPU is part of the measurement (the server's), not disturbance */
  pids: number[];
}

export interface StormResult {
  /** sign-ins answered 303 → / within the counted window */
  signIns: number;
  signInsPerSecond: number;
  /** GET /sign-in + POST /sign-in, milliseconds, counted window */
  signInP50: number;
  signInP99: number;
  /** every failed step, warm-up and draining included, by kind */
  errors: Record<string, number>;
  errorCount: number;
  seconds: number;
  browsers: number;
  healthz: { rest: ProbeResult; storm: ProbeResult; p99Ratio: number };
  /** the measurements themselves, ms, for pooling several storms: each counted sign-in, each probe */
  raw: { latencies: number[]; rest: ProbeBucket; storm: ProbeBucket };
  /** p99 of this process's event-loop delay during the storm: the prober's own share of its latencies */
  loadGeneratorLagP99: number;
  /** cores this process (the simulated browsers and the prober) used in the counted window:
   * CPU the server's password hashing did not have */
  loadGeneratorCores: number;
  otherCpu: number | undefined;
}

/**
 * One visit of a new browser: the form (which starts an anonymous session and its CSRF
 * token), then the credentials with that session's cookie. Returns undefined on success,
 * otherwise what went wrong.
 */
async function signInOnce(connection: BrowserConnection, username: string, password: string): Promise<string | undefined> {
  const form = await connection.request('GET', '/sign-in');
  if (form.status !== 200) return `GET /sign-in ${form.status}`;
  const sid = (form.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]!).find((c) => c.startsWith('nara_sid='));
  if (!sid) return 'GET /sign-in set no nara_sid cookie';
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body.toString('utf8'))?.[1];
  if (!csrf) return 'GET /sign-in has no CSRF token';
  const body = new URLSearchParams({ username, password, _csrf: csrf }).toString();
  const answer = await connection.request('POST', '/sign-in', { cookie: sid, 'content-type': 'application/x-www-form-urlencoded' }, body);
  if (answer.status !== 303) return `POST /sign-in ${answer.status}`;
  if (answer.headers.location?.[0] !== '/') return `POST /sign-in 303 → ${answer.headers.location?.[0]}`;
  return undefined;
}

/** One sign-in before the load: if it fails, the storm would measure error pages. */
export async function checkSignIn(base: string, username: string, password: string): Promise<string | undefined> {
  const connection = new BrowserConnection(base);
  try {
    return await signInOnce(connection, username, password);
  } catch (error) {
    return failure(error);
  } finally {
    connection.close();
  }
}

/**
 * /healthz at rest, then the storm: `browsers` browsers each signing in again and again as
 * a new visitor (no cookie carried over: a signed-in browser would only be redirected
 * away from the form), while the prober keeps going. Counts sign-ins completed within the
 * counted window; the storm then drains, so that the server closes with nothing in flight.
 */
export async function runLoginStorm(base: string, options: StormOptions, progress: (message: string) => void): Promise<StormResult> {
  const rest: ProbeBucket = { times: [], failed: 0 };
  const storm: ProbeBucket = { times: [], failed: 0 };
  let phase: 'warm-up' | 'rest' | 'storm-warm-up' | 'storm' | 'drain' = 'warm-up';
  const stopProber = startProber(base, '/healthz', options.probeRate, () => (phase === 'rest' ? rest : phase === 'storm' ? storm : undefined));
  // Uncounted probes first: they open the prober's connection, warm the path and let the
  // job runner's first poll, a second after start, go by.
  await sleep(2000);
  progress(`login storm: /healthz at rest, ${options.restSeconds} s`);
  phase = 'rest';
  await sleep(options.restSeconds * 1000);

  progress(`login storm: ${options.browsers} browsers, ${options.warmup} s warm-up + ${options.duration} s`);
  phase = 'storm-warm-up';
  const errors: Record<string, number> = {};
  const latencies: number[] = [];
  let windowStart = Number.POSITIVE_INFINITY;
  let windowEnd = Number.POSITIVE_INFINITY;
  let signIns = 0;
  let stopped = false;
  const browser = async (index: number) => {
    const username = options.usernames[index % options.usernames.length]!;
    const connection = new BrowserConnection(base);
    while (!stopped) {
      const started = performance.now();
      let problem: string | undefined;
      try {
        problem = await signInOnce(connection, username, options.password);
      } catch (error) {
        problem = failure(error);
      }
      const ended = performance.now();
      if (problem) errors[problem] = (errors[problem] ?? 0) + 1;
      else if (ended >= windowStart && ended <= windowEnd) {
        signIns++;
        latencies.push(ended - started);
      }
    }
    connection.close();
  };
  const browsers = Array.from({ length: options.browsers }, (_, i) => browser(i));
  await sleep(options.warmup * 1000);

  const loadGenerator = startLoadGeneratorMeter();
  const meter = startCpuMeter(options.pids);
  windowStart = performance.now();
  phase = 'storm';
  await sleep(options.duration * 1000);
  windowEnd = performance.now();
  const own = loadGenerator();
  phase = 'drain';
  const otherCpu = meter();
  stopped = true;
  await stopProber();
  progress('login storm: letting the sign-ins in flight finish');
  await Promise.all(browsers);

  return {
    ...stormFigures({
      signIns,
      seconds: (windowEnd - windowStart) / 1000,
      latencies,
      rest,
      storm,
      errors,
      browsers: options.browsers,
      loadGeneratorLagP99: own.lagP99,
      loadGeneratorCores: own.cores,
      otherCpu,
    }),
    raw: { latencies, rest, storm },
  };
}

/** A storm's figures from what it counted and recorded: one storm's, or several pooled. */
function stormFigures(m: { signIns: number; seconds: number; latencies: number[]; rest: ProbeBucket; storm: ProbeBucket; errors: Record<string, number>; browsers: number; loadGeneratorLagP99: number; loadGeneratorCores: number; otherCpu: number | undefined }): Omit<StormResult, 'raw'> {
  const rest = probeResult(m.rest);
  const storm = probeResult(m.storm);
  return {
    signIns: m.signIns,
    signInsPerSecond: m.signIns / m.seconds,
    signInP50: percentile(m.latencies, 50),
    signInP99: percentile(m.latencies, 99),
    errors: m.errors,
    errorCount: Object.values(m.errors).reduce((sum, n) => sum + n, 0),
    seconds: m.seconds,
    browsers: m.browsers,
    healthz: { rest, storm, p99Ratio: storm.p99 / rest.p99 },
    loadGeneratorLagP99: m.loadGeneratorLagP99,
    loadGeneratorCores: m.loadGeneratorCores,
    otherCpu: m.otherCpu,
  };
}

/**
 * Several storms as one measurement: sign-ins and seconds added up, percentiles over every
 * sign-in and every probe of them all, the worst load-generator lag and disturbance.
 */
export function poolStorms(runs: StormResult[]): Omit<StormResult, 'raw'> {
  const bucket = (which: 'rest' | 'storm'): ProbeBucket => ({ times: runs.flatMap((r) => r.raw[which].times), failed: sumOf(runs, (r) => r.raw[which].failed) });
  const errors: Record<string, number> = {};
  for (const r of runs) for (const [kind, n] of Object.entries(r.errors)) errors[kind] = (errors[kind] ?? 0) + n;
  const seconds = sumOf(runs, (r) => r.seconds);
  return stormFigures({
    signIns: sumOf(runs, (r) => r.signIns),
    seconds,
    latencies: runs.flatMap((r) => r.raw.latencies),
    rest: bucket('rest'),
    storm: bucket('storm'),
    errors,
    browsers: runs[0]?.browsers ?? 0,
    loadGeneratorLagP99: Math.max(0, ...runs.map((r) => r.loadGeneratorLagP99)),
    loadGeneratorCores: sumOf(runs, (r) => r.loadGeneratorCores * r.seconds) / seconds,
    otherCpu: worstDisturbance(runs),
  });
}
