// S2: many residents reading their application's timeline at once, alone and while
// applications are being filed. Load generator in the harness process; Nara in its own.
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { ConnectionPool } from './http-client.ts';
import { percentile, startCpuMeter, startLoadGeneratorMeter, startThreadMeter, sumOf, worstDisturbance } from './lib.ts';

export interface ReaderSession {
  cookie: string;
  path: string;
}

export interface ReadResult {
  rps: number;
  /** milliseconds (autocannon: whole milliseconds) */
  p50: number;
  p99: number;
  requests: number;
  non2xx: number;
  errors: number;
  otherCpu: number | undefined;
  /** cores each kind of the server's threads used (Linux; empty elsewhere) */
  threads: Record<string, number>;
  /** cores this process used: autocannon, and the writers while they run */
  loadGeneratorCores: number;
  /** p99 of this process's event-loop delay, ms: added to every latency autocannon measures */
  loadGeneratorLagP99: number;
}

export interface WriteLoad {
  /** submissions started per second (the pace asked for) */
  rate: number;
  submitted: number;
  failed: number;
  /** ticks skipped because every writer was still busy */
  behind: number;
  achievedPerSecond: number;
  /** milliseconds from sending a submission to its answer */
  p50: number;
  p99: number;
}

const cookieOf = (res: Response): string =>
  res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .filter((c) => c.startsWith('nara_sid='))
    .at(-1) ?? '';

/** Signs a resident in as a browser would (form, CSRF token, password) and returns the session cookie. */
export async function signInAs(base: string, username: string, password: string): Promise<string> {
  const form = await fetch(new URL('/sign-in', base), { redirect: 'manual' });
  const first = cookieOf(form);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1];
  if (!first || !csrf) throw new Error(`sign-in form for ${username}: no cookie or CSRF token`);
  const res = await fetch(new URL('/sign-in', base), {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: first, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username, password, _csrf: csrf }).toString(),
  });
  if (res.status !== 303) throw new Error(`sign-in as ${username}: status ${res.status}`);
  return cookieOf(res) || first;
}

/** Readers: each signed in, with the path of their own application's page. */
export async function prepareReaders(base: string, usernames: string[], password: string): Promise<ReaderSession[]> {
  const sessions: ReaderSession[] = [];
  // A few at a time: each sign-in is an argon2id verification.
  for (let i = 0; i < usernames.length; i += 8) {
    const batch = await Promise.all(
      usernames.slice(i, i + 8).map(async (username) => {
        const cookie = await signInAs(base, username, password);
        const list = await fetch(new URL('/api/v1/applications', base), { headers: { cookie } });
        const { applications } = (await list.json()) as { applications: Array<{ id: number }> };
        if (!applications[0]) throw new Error(`${username} has no application`);
        return { cookie, path: `/applications/${applications[0].id}` };
      }),
    );
    sessions.push(...batch);
  }
  return sessions;
}

/** As many connections as readers, each request a resident asking for their own timeline page. */
export async function measureReaders(base: string, readers: ReaderSession[], seconds: number, pids: number[]): Promise<ReadResult> {
  let next = 0;
  const meter = startCpuMeter(pids);
  const threads = startThreadMeter(pids[0]);
  const loadGenerator = startLoadGeneratorMeter();
  const r = await autocannon({
    url: base,
    connections: readers.length,
    duration: seconds,
    requests: [
      {
        method: 'GET',
        // Each request is one of the residents asking for their own page, in turn (autocannon
        // resets a connection's context after every request, so readers rotate over connections).
        setupRequest: (req: autocannon.Request) => {
          const reader = readers[next++ % readers.length]!;
          return { ...req, path: reader.path, headers: { ...req.headers, cookie: reader.cookie, 'accept-language': 'ko' } };
        },
      },
    ],
  });
  const own = loadGenerator();
  return {
    rps: r.requests.mean, p50: r.latency.p50, p99: r.latency.p99, requests: r.requests.total, non2xx: r.non2xx, errors: r.errors,
    otherCpu: meter(), threads: threads(), loadGeneratorCores: own.cores, loadGeneratorLagP99: own.lagP99,
  };
}

/**
 * The writers' connections, opened before any load and kept across the windows, as browsers
 * keep theirs. Opened at the start of each window instead, they waited 1–3 s to be accepted:
 * Node accepts one new connection per turn of its event loop (libuv since 1.45), and with
 * 200 readers a turn took 20–30 ms, so the 200 connections autocannon opens at once took
 * seconds to be accepted, and the writers' queued behind them (submission p99 1.4–5.6 s, the
 * pace not held).
 */
export async function openWriterConnections(base: string, writers: Writer[]): Promise<ConnectionPool> {
  const pool = new ConnectionPool(base);
  await pool.open(writers.length, '/healthz');
  return pool;
}

/**
 * Submits prepared drafts at a steady pace while it runs, as S1 does but over the JSON API
 * (`POST /api/v1/applications/:id/submit`): a submission starts on each tick, whether or not
 * earlier ones have finished, from a writer not busy with one, over `pool` (which the caller
 * closes).
 */
export function startWriters(pool: ConnectionPool, writers: Writer[], rate: number): { stop(): Promise<WriteLoad> } {
  const busy = new Set<number>();
  const load = { rate, submitted: 0, failed: 0, behind: 0, achievedPerSecond: 0, p50: 0, p99: 0 };
  const times: number[] = [];
  const inFlight = new Set<Promise<void>>();
  let turn = 0;
  const submit = async (w: Writer, id: number) => {
    const sent = performance.now();
    const answer = await pool.request('POST', `/api/v1/applications/${id}/submit`, { cookie: w.cookie, 'x-csrf-token': w.csrf }, '');
    if (answer.status !== 200) throw new Error(`submit: ${answer.status}`);
    times.push(performance.now() - sent);
  };
  const started = performance.now();
  // A timer cannot fire every 1000/rate ms exactly (it fires late under load, and Node
  // rounds intervals), so each firing starts every submission due by now: at 73/s a plain
  // interval held 63/s without counting one tick behind.
  let due = 0;
  const startOne = () => {
    const free = writers.findIndex((w, i) => !busy.has((turn + i) % writers.length) && writers[(turn + i) % writers.length]!.drafts.length > 0);
    if (free < 0) {
      load.behind++;
      return;
    }
    const index = (turn + free) % writers.length;
    turn = index + 1;
    busy.add(index);
    const writer = writers[index]!;
    const p = submit(writer, writer.drafts.pop()!)
      .then(() => void load.submitted++)
      .catch(() => void load.failed++)
      .finally(() => {
        busy.delete(index);
        inFlight.delete(p);
      });
    inFlight.add(p);
  };
  const timer = setInterval(() => {
    for (const until = Math.floor(((performance.now() - started) / 1000) * rate); due < until; due++) startOne();
  }, Math.min(5, 1000 / rate));
  return {
    async stop() {
      clearInterval(timer);
      await Promise.all(inFlight);
      load.achievedPerSecond = load.submitted / ((performance.now() - started) / 1000);
      load.p50 = percentile(times, 50);
      load.p99 = percentile(times, 99);
      return load;
    },
  };
}

export interface Writer {
  cookie: string;
  csrf: string;
  /** drafts ready to submit */
  drafts: number[];
}

/** A writer's session, its CSRF token for the JSON API, and its drafts. */
export async function prepareWriter(base: string, username: string, password: string): Promise<Writer> {
  const cookie = await signInAs(base, username, password);
  const session = await fetch(new URL('/api/v1/session', base), { headers: { cookie } });
  const { csrfToken } = (await session.json()) as { csrfToken: string };
  const list = await fetch(new URL('/api/v1/applications', base), { headers: { cookie } });
  const { applications } = (await list.json()) as { applications: Array<{ id: number; status: string }> };
  return { cookie, csrf: csrfToken, drafts: applications.filter((a) => a.status === 'draft').map((a) => a.id) };
}

const meanOf = <T>(runs: T[], value: (run: T) => number) => sumOf(runs, value) / runs.length;

/**
 * Several equal read windows as one: the mean of their rates and of their percentiles
 * (autocannon gives percentiles, not the latencies), failures added up, the worst disturbance.
 */
export function poolReads(runs: ReadResult[]): ReadResult {
  return {
    rps: meanOf(runs, (r) => r.rps),
    p50: meanOf(runs, (r) => r.p50),
    p99: meanOf(runs, (r) => r.p99),
    requests: sumOf(runs, (r) => r.requests),
    non2xx: sumOf(runs, (r) => r.non2xx),
    errors: sumOf(runs, (r) => r.errors),
    otherCpu: worstDisturbance(runs),
    // a thread absent from a window (below a hundredth of a core there) counts as idle in it
    threads: Object.fromEntries([...new Set(runs.flatMap((r) => Object.keys(r.threads)))].map((name) => [name, meanOf(runs, (r) => r.threads[name] ?? 0)])),
    loadGeneratorCores: meanOf(runs, (r) => r.loadGeneratorCores),
    loadGeneratorLagP99: meanOf(runs, (r) => r.loadGeneratorLagP99),
  };
}

/** Several write loads at one pace as one: counts added up; the pace held and the latencies are the means. */
export function poolWrites(runs: WriteLoad[]): WriteLoad {
  return {
    rate: runs[0]?.rate ?? 0,
    submitted: sumOf(runs, (r) => r.submitted),
    failed: sumOf(runs, (r) => r.failed),
    behind: sumOf(runs, (r) => r.behind),
    achievedPerSecond: meanOf(runs, (r) => r.achievedPerSecond),
    p50: meanOf(runs, (r) => r.p50),
    p99: meanOf(runs, (r) => r.p99),
  };
}
