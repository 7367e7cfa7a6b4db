import { fork } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BrowserConnection } from './http-client.ts';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { openDatabase, type Database, type Db } from '../src/platform/db/database.ts';
import { NODE_FLAGS } from '../src/node-flags.ts';
import type { Argon2Message, Argon2Options } from './argon2-ceiling.ts';
import type { Server, ServerKind } from './servers.ts';

export type { Server, ServerKind };

export interface HttpOptions {
  connections: number;
  /** seconds counted */
  duration: number;
  /** seconds of the same load before counting, discarded */
  warmup: number;
  headers?: Record<string, string>;
  /** processes whose CPU is part of the measurement (the server's), not disturbance */
  pids?: number[];
}

export interface HttpResult {
  /** mean of the per-second request counts */
  rps: number;
  /** milliseconds */
  p50: number;
  p99: number;
  requests: number;
  non2xx: number;
  /** connection errors, timeouts included */
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  seconds: number;
  /** share of the machine other processes used meanwhile (Linux), see startCpuMeter */
  otherCpu: number | undefined;
}

function fire(url: string, options: HttpOptions, duration: number): Promise<autocannon.Result> {
  return autocannon({
    url,
    connections: options.connections,
    duration,
    headers: options.headers ?? {},
  });
}

/** Loads `url` with autocannon: a discarded warm-up, then the measured run. */
export async function measureHttp(url: string, options: HttpOptions): Promise<HttpResult> {
  if (options.warmup > 0) await fire(url, options, options.warmup);
  const meter = startCpuMeter(options.pids);
  const r = await fire(url, options, options.duration);
  const otherCpu = meter();
  const statusCodes: Record<string, number> = {};
  for (const [code, stat] of Object.entries(r.statusCodeStats ?? {})) statusCodes[code] = stat.count ?? 0;
  return {
    rps: r.requests.mean,
    p50: r.latency.p50,
    p99: r.latency.p99,
    requests: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    statusCodes,
    seconds: r.duration,
    otherCpu,
  };
}

export const failedRequests = (r: HttpResult) => r.non2xx + r.errors;

export interface InsertResult {
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  otherCpu: number | undefined;
}

/**
 * Inserts `rows` single rows, one awaited statement at a time, through Kysely's query
 * builder as Nara's repositories do. Creates its own table, which the caller's database
 * (in memory, or a throwaway schema) takes away with it.
 */
export async function measureInserts(db: Db, rows: number, warmupRows = Math.min(200, rows)): Promise<InsertResult> {
  await sql`create table bench_inserts (
    id bigint generated always as identity primary key,
    label text not null,
    amount integer not null,
    created_at timestamptz not null default now()
  )`.execute(db);
  const bench = db.withTables<{ bench_inserts: { id: never; label: string; amount: number; created_at: never } }>();
  const insert = (i: number) => bench.insertInto('bench_inserts').values({ label: `row ${i}`, amount: i }).execute();
  for (let i = 0; i < warmupRows; i++) await insert(i);
  const meter = startCpuMeter();
  const started = performance.now();
  for (let i = 0; i < rows; i++) await insert(i);
  const seconds = (performance.now() - started) / 1000;
  return { rows, seconds, rowsPerSecond: rows / seconds, otherCpu: meter() };
}

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * Starts a server in a child process of its own (bench/serve.ts), as Nara runs in
 * production: its own heap and JIT state, untouched by the other servers of the run, and
 * an event loop that autocannon, running here, does not share. Its output goes to stderr
 * so that stdout stays the report.
 */
export function spawnServer(kind: ServerKind, options: object = {}): Promise<Server> {
  // Nara with the flags `npm start` gives it; the hello-world ceiling as Node comes.
  const execArgv = kind === 'nara' ? [...process.execArgv, ...NODE_FLAGS] : process.execArgv;
  const child = fork(path.join(here, 'serve.ts'), [kind, JSON.stringify(options)], { stdio: ['ignore', 2, 2, 'ipc'], execArgv });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const close = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.send({ cmd: 'close' });
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    const code = await exited;
    clearTimeout(timer);
    if (code !== 0) throw new Error(`${kind} server did not close cleanly (exit ${code ?? 'by signal'})`);
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${kind} server did not start within 120 s`));
    }, 120_000);
    child.once('message', (message: { url?: string; error?: string }) => {
      clearTimeout(timer);
      if (message.url) resolve({ url: message.url, pid: child.pid!, close });
      else reject(new Error(`${kind} server failed to start: ${message.error ?? 'no reason given'}`));
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${kind} server exited (${code ?? 'by signal'}) before it was listening`));
    });
  });
}

export interface Argon2Result {
  /** verifications answered true in the counted window */
  verifies: number;
  verifiesPerSecond: number;
  /** verifications that answered false: a broken ceiling */
  wrong: number;
  seconds: number;
  inFlight: number;
  otherCpu: number | undefined;
}

/**
 * The argon2id verify ceiling, measured in a child process of its own (bench/argon2-ceiling.ts)
 * started like the servers, so that its thread pool and cores are those Nara has.
 */
export function measureArgon2(options: Argon2Options): Promise<Argon2Result> {
  return runCeilingProcess('argon2-ceiling.ts', 'the argon2 ceiling', options, (message: Argon2Message, otherCpu) => {
    if (message.seconds === undefined) return undefined;
    const verifies = message.verifies ?? 0;
    return { verifies, verifiesPerSecond: verifies / message.seconds, wrong: message.wrong ?? 0, seconds: message.seconds, inFlight: options.inFlight, otherCpu };
  });
}

/** What a ceiling's child process reports: the end of its warm-up, a failure, or its figures. */
export interface CeilingMessage {
  counting?: true;
  error?: string;
}

/**
 * Runs a ceiling in a child process of its own (`entry`, beside this file), started like
 * the servers so that its thread pool and cores are those Nara has. The CPU of other
 * processes is metered from the child's `counting` message on; `toResult` turns its other
 * messages into the figure (undefined: not the figures). Resolves on the child's exit, not
 * on its message, so that the next measurement does not share the machine with it.
 */
export function runCeilingProcess<M extends CeilingMessage, R>(entry: string, name: string, options: { warmup: number; duration: number }, toResult: (message: M, otherCpu: number | undefined) => R | undefined): Promise<R> {
  const child = fork(path.join(here, entry), [JSON.stringify(options)], { stdio: ['ignore', 2, 2, 'ipc'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const limit = (options.warmup + options.duration) * 1000 + 120_000;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${name} did not finish within ${Math.round(limit / 1000)} s`));
    }, limit);
    let meter: (() => number | undefined) | undefined;
    let result: R | undefined;
    child.on('message', (message: M) => {
      if (message.counting) meter = startCpuMeter([child.pid!]);
      else if (message.error) {
        clearTimeout(timer);
        reject(new Error(`${name} failed: ${message.error}`));
      } else result = toResult(message, meter?.()) ?? result;
    });
    void exited.then((code) => {
      clearTimeout(timer);
      if (result && code === 0) resolve(result);
      else reject(new Error(`${name} process exited (${code ?? 'by signal'}) without a result`));
    });
  });
}

/**
 * The report's closing lines: the measurements other processes disturbed (more than
 * `noise` of the CPU), then the loud block of figures that do not measure what they claim.
 */
export function closingLines(noisy: string[], problems: string[], noise: number): string[] {
  const lines: string[] = [];
  if (noisy.length > 0) {
    lines.push('', `Disturbed: other processes took more than ${noise * 100} % of the CPU during these measurements; their ratios are unreliable, run again on a quiet machine:`);
    for (const l of noisy) lines.push(`    ${l}`);
  }
  if (problems.length > 0) {
    lines.push('', '!!! ERRORS — figures marked INVALID or missing do not measure what they claim:');
    for (const l of problems) lines.push(`!!!   ${l}`);
  }
  return lines;
}

/** The p-th percentile (0–100) of `values`, nearest rank; NaN when there are none. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

// USER_HZ: 100 on every Linux that Node runs on.
const TICKS_PER_SECOND = 100;

function machineBusySeconds(): number | undefined {
  try {
    // cpu  user nice system idle iowait irq softirq …: all but idle and iowait are busy.
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1, 8).map(Number);
    const busy = f.reduce((sum, v, i) => (i === 3 || i === 4 ? sum : sum + v), 0);
    return Number.isFinite(busy) ? busy / TICKS_PER_SECOND : undefined;
  } catch {
    return undefined;
  }
}

/** CPU seconds a process (all its threads) has used so far; 0 when it cannot be read. */
function processSeconds(pid: number): number {
  try {
    // pid (comm) state …: utime and stime are the 12th and 13th fields after the comm.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** A process and every process it started (Nara's password hashers), with their CPU seconds. */
function treeSeconds(root: number): Map<number, number> {
  const parentOf = new Map<number, number>();
  try {
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        parentOf.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
      } catch {
        // gone meanwhile
      }
    }
  } catch {
    // no /proc: the root alone
  }
  const tree = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, parent] of parentOf) if (tree.has(parent) && !tree.has(pid)) (tree.add(pid), (grew = true));
  }
  return new Map([...tree].map((pid) => [pid, processSeconds(pid)]));
}

/**
 * Starts measuring how much of the machine's CPU went to other processes; the returned
 * function stops and gives that share (0–1). A ratio is only fair when both of its
 * figures ran on an otherwise idle machine, so the report flags any run that did not.
 * `pids` are processes of the measurement itself (the server under load), with the
 * processes they start (password hashers). Kernel work on
 * their behalf (loopback TCP) can count as "other": a few per cent is normal.
 */
export function startCpuMeter(pids: number[] = []): () => number | undefined {
  const machine0 = machineBusySeconds();
  const own0 = process.cpuUsage();
  const children0 = pids.map(treeSeconds);
  const t0 = performance.now();
  return () => {
    const machine1 = machineBusySeconds();
    if (machine0 === undefined || machine1 === undefined) return undefined;
    const own = process.cpuUsage(own0);
    let children = 0;
    pids.forEach((pid, i) => {
      for (const [member, seconds] of treeSeconds(pid)) children += seconds - (children0[i]!.get(member) ?? 0);
    });
    const wall = (performance.now() - t0) / 1000;
    const other = machine1 - machine0 - (own.user + own.system) / 1e6 - children;
    return Math.min(1, Math.max(0, other / (wall * os.availableParallelism())));
  };
}

export function machine() {
  const cpus = os.cpus();
  return {
    cores: os.availableParallelism(),
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
  };
}

export const int = (n: number) => Math.round(n).toLocaleString('en-US');
// autocannon records whole milliseconds; keep any fraction it does give.
export const ms = (n: number) => (Number.isInteger(n) || n >= 10 ? String(Math.round(n)) : n.toFixed(1));

/** A connection URL fit to print: the password masked. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable URL)';
  }
}

export const reason = (error: unknown) => (error instanceof Error ? error.message || (error as { code?: string }).code || error.name : String(error));

/**
 * Runs `measure` on a throwaway schema of the PostgreSQL at `url`, dropped afterwards;
 * skipped (with the reason) when the server cannot be reached or the measurement fails.
 * `onConnected` runs once the server answers (to say what starts).
 */
export async function onThrowawaySchema<T>(url: string, measure: (database: Database) => Promise<T>, onConnected: () => void = () => {}): Promise<T | { skipped: string }> {
  const admin = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  // An unreachable server reports through 'error' too; without a listener that would crash.
  admin.on('error', () => {});
  try {
    await admin.connect();
  } catch (error) {
    await admin.end().catch(() => {});
    return { skipped: `PostgreSQL unreachable at ${redact(url)}: ${reason(error)}` };
  }
  onConnected();
  const schema = `bench_${randomBytes(6).toString('hex')}`;
  try {
    await admin.query(`create schema ${schema}`);
    const database = await openDatabase({ databaseUrl: url, dataDir: 'unused', schema });
    try {
      return await measure(database);
    } finally {
      await database.close();
    }
  } catch (error) {
    return { skipped: `PostgreSQL at ${redact(url)} failed: ${reason(error)}` };
  } finally {
    await admin.query(`drop schema if exists ${schema} cascade`).catch(() => {});
    await admin.end().catch(() => {});
  }
}

/** A non-negative number from the environment, or the fallback when unset or empty. */
export function envNumber(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number, got "${raw}"`);
  return value;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
export const connectionFailure = (error: unknown) => `connection error (${(error as { code?: string }).code ?? reason(error)})`;

/** The sum of `value` over several runs of one measurement. */
export const sumOf = <T>(runs: T[], value: (run: T) => number) => runs.reduce((sum, run) => sum + value(run), 0);

/** The worst of several runs' disturbances (`otherCpu`), so that one disturbed run is still flagged; undefined if none was measured. */
export function worstDisturbance(runs: Array<{ otherCpu: number | undefined }>): number | undefined {
  const measured = runs.map((r) => r.otherCpu).filter((c): c is number => c !== undefined);
  return measured.length ? Math.max(...measured) : undefined;
}

// ---------------------------------------------------------------------------------------
// Where the server's CPU went, by thread (Linux)
// ---------------------------------------------------------------------------------------

/** CPU seconds of each thread of `pid` so far, summed by the thread's name; empty without /proc. */
function threadSeconds(pid: number | undefined): Map<string, number> {
  const out = new Map<string, number>();
  if (!pid) return out;
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        // utime and stime, in USER_HZ (100 a second)
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        out.set(name, (out.get(name) ?? 0) + (Number(fields[11]) + Number(fields[12])) / 100);
      } catch {
        // the thread ended meanwhile
      }
    }
  } catch {
    // no /proc
  }
  return out;
}

/** Starts counting; the returned function gives the cores each kind of thread used meanwhile, busiest first. */
export function startThreadMeter(pid: number | undefined): () => Record<string, number> {
  const before = threadSeconds(pid);
  const started = performance.now();
  return () => {
    const seconds = (performance.now() - started) / 1000;
    const cores = [...threadSeconds(pid)].map(([name, s]) => [name, (s - (before.get(name) ?? 0)) / seconds] as const).filter(([, c]) => c >= 0.005);
    return Object.fromEntries(cores.sort((a, b) => b[1] - a[1]).map(([name, c]) => [name, Math.round(c * 100) / 100]));
  };
}

/** The server's threads, busiest first, as the OS names them (Nara names its render threads; the database's is the unnamed WorkerThread). */
export const threadsLine = (threads: Record<string, number>) => `server cores by thread: ${Object.entries(threads).map(([name, cores]) => `${name} ${cores.toFixed(2)}`).join(', ')}`;

/** The event loop's delay is sampled this often (finer costs the load generator CPU); the
 * histogram records whole intervals, this one included, so it is taken off. */
const LAG_RESOLUTION_MS = 5;

/**
 * Starts watching this process, the load generator: the returned function gives the p99
 * of its event loop's delay (ms, beyond the sampling interval) and the cores it used
 * meanwhile. A late event loop here reads every answer late, so its delay is part of
 * every latency measured, however fast the server was.
 */
export function startLoadGeneratorMeter(): () => { lagP99: number; cores: number } {
  const lag = monitorEventLoopDelay({ resolution: LAG_RESOLUTION_MS });
  lag.enable();
  const cpu = process.cpuUsage();
  const started = performance.now();
  return () => {
    const own = process.cpuUsage(cpu);
    lag.disable();
    return { lagP99: Math.max(0, lag.percentile(99) / 1e6 - LAG_RESOLUTION_MS), cores: (own.user + own.system) / 1e3 / (performance.now() - started) };
  };
}

export interface ProbeResult {
  samples: number;
  /** milliseconds, from performance.now() */
  p50: number;
  p99: number;
  max: number;
  /** probes that did not answer 200 */
  failed: number;
}

export function probeResult({ times, failed }: ProbeBucket): ProbeResult {
  return { samples: times.length, p50: percentile(times, 50), p99: percentile(times, 99), max: times.length ? Math.max(...times) : Number.NaN, failed };
}

/** Where a prober records: each answered probe's latency in ms, and how many failed. */
export interface ProbeBucket {
  times: number[];
  failed: number;
}

/**
 * Requests `pathname` at `rate` a second over one kept-alive connection until stopped: each
 * probe on its tick, or at once when the previous one ran past it. A probe lands in the
 * bucket `bucket()` names when it is sent (undefined: not recorded); anything but 200 is a
 * failure. Returns the function that stops it.
 */
export function startProber(base: string, pathname: string, rate: number, bucket: () => ProbeBucket | undefined, headers: Record<string, string> = {}): () => Promise<void> {
  const connection = new BrowserConnection(base);
  const interval = 1000 / rate;
  let stopped = false;
  const done = (async () => {
    const start = performance.now();
    for (let i = 0; !stopped; i++) {
      await sleep(start + i * interval - performance.now());
      if (stopped) break;
      const into = bucket();
      const sent = performance.now();
      let ok = false;
      try {
        ok = (await connection.request('GET', pathname, headers)).status === 200;
      } catch {
        // counted below
      }
      if (!into) continue;
      if (ok) into.times.push(performance.now() - sent);
      else into.failed++;
    }
  })();
  return async () => {
    stopped = true;
    await done;
    connection.close();
  };
}
