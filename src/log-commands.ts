import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import path from 'node:path';
import type { Db } from './platform/db/database.ts';
import { auditLog, monitorLog, type MonitorReport, type MonitorState } from './modules/transparency/index.ts';
import { stepRecords } from './modules/applications/index.ts';

/** Where a command's lines go: the console in the CLI, an array in tests. */
export type Out = (line: string) => void;

/**
 * `log audit`: recomputes the log from the database and checks every record behind it.
 * @returns the exit code: 0 when the log and its records are as they were logged, 1 otherwise
 */
export async function runLogAudit(db: Db, o: { json?: boolean; out: Out }): Promise<number> {
  const report = await auditLog(db, [stepRecords]);
  if (o.json) {
    o.out(JSON.stringify(report, null, 2));
  } else {
    o.out(`Leaves in the tree: ${report.leaves}`);
    o.out(`Entries waiting to be placed: ${report.waiting}`);
    o.out(`Signed tree heads: ${report.heads}`);
    o.out(`Records checked: ${report.recordsChecked}${report.recordsUnchecked ? ` (${report.recordsUnchecked} entries of types with no record source, not checked)` : ''}`);
    if (report.problems.length === 0) o.out('No problems found.');
    else {
      o.out(`${report.problems.length} problem${report.problems.length === 1 ? '' : 's'} found:`);
      for (const p of report.problems) o.out(`  ${p.kind}: ${p.message}`);
    }
  }
  return report.problems.length === 0 ? 0 : 1;
}

/** The state file a monitor of `url` keeps when none is named: one per log, in the current directory. */
export function defaultMonitorStateFile(url: string): string {
  return `nara-log-monitor-${new URL(url).host.replace(/[^A-Za-z0-9.-]/g, '_')}.json`;
}

/**
 * A monitor's saved state, or undefined when the file does not exist yet.
 * @throws Error when the file is there but is not a monitor's state: starting afresh would
 *   silently forget the pinned key and every head seen, which is what a monitor is for
 */
export function loadMonitorState(file: string): MonitorState | undefined {
  if (!existsSync(file)) return undefined;
  let state: Partial<MonitorState>;
  try {
    state = JSON.parse(readFileSync(file, 'utf8')) as Partial<MonitorState>;
  } catch (error) {
    throw new Error(`${file} is not readable JSON (${(error as Error).message}); move it away to start afresh`);
  }
  if (!state || typeof state.url !== 'string' || typeof state.publicKey !== 'string' || typeof state.keyId !== 'string' || !Array.isArray(state.heads)) {
    throw new Error(`${file} is not a log monitor's state; move it away to start afresh`);
  }
  return state as MonitorState;
}

/** Writes the state whole or not at all (temporary file, then rename), so a crash never leaves half a file. */
export function saveMonitorState(file: string, state: MonitorState): void {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(temporary, file);
}

export interface LogMonitorOptions {
  url: string;
  /** default: `defaultMonitorStateFile(url)` */
  stateFile?: string;
  /** check again every `intervalSeconds` until `signal` aborts */
  follow?: boolean;
  intervalSeconds?: number;
  signal?: AbortSignal;
  fetchFn?: typeof fetch;
  out: Out;
}

function describeHead(report: MonitorReport): string {
  const h = report.head!;
  return `size ${h.tree_size}, signed ${new Date(h.timestamp).toISOString()}, root ${h.sha256_root_hash}`;
}

/**
 * `log monitor`: checks a Nara's log from outside, as anyone can, against what this monitor
 * saw before. Needs no database, only the log's address and the state file.
 * @returns the exit code: 1 if any check found a problem, else 0
 */
export async function runLogMonitor(o: LogMonitorOptions): Promise<number> {
  const file = o.stateFile ?? defaultMonitorStateFile(o.url);
  let state = loadMonitorState(file);
  let problemsSeen = false;
  const stamp = (line: string) => (o.follow ? `${new Date().toISOString()} ${line}` : line);
  for (let round = 0; ; round++) {
    const report = await monitorLog(o.url, state, o.fetchFn);
    for (const p of report.problems) o.out(stamp(`PROBLEM ${p.kind}: ${p.message}`));
    if (report.problems.length > 0) problemsSeen = true;
    // Only verified heads join the state, and a key is pinned only with a head it signed:
    // a first answer that fails its checks leaves nothing to trust.
    if (report.advanced) {
      state = report.state;
      saveMonitorState(file, state);
    }
    const first = report.advanced && report.state.heads.length === 1;
    if (!o.follow) {
      if (report.advanced) o.out(`Tree head ${describeHead(report)}: ${first ? 'the first this monitor has seen' : 'consistent with the last one seen'}`);
      else if (report.head && report.problems.length === 0) o.out(`Tree head ${describeHead(report)}: seen before`);
      if (first) o.out(`Pinned the log's key ${report.state.keyId}; state kept in ${file}`);
      return problemsSeen ? 1 : 0;
    }
    // Following, only what changed: a new head, or (on the first round) where things stand.
    if (report.advanced) o.out(stamp(`${first ? 'First head' : 'New head'}: ${describeHead(report)}`));
    else if (round === 0 && report.head && report.problems.length === 0) o.out(stamp(`Head: ${describeHead(report)} (seen before)`));
    try {
      await sleep((o.intervalSeconds ?? 60) * 1000, undefined, o.signal ? { signal: o.signal } : {});
    } catch {
      return problemsSeen ? 1 : 0;
    }
  }
}
