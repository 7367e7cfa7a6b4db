// L1 and L2: what the transparency log costs the transactions that add to it, and how fast
// it proves things at a million leaves, each against a ceiling measured in the same run on
// the same database through the same driver. See bench/README.md.
//
//   node --import tsx bench/transparency.ts [append|proofs] [pglite|postgres]
//
// runs them alone (both parts, both databases unless narrowed); PostgreSQL is
// BENCH_DATABASE_URL, as for `npm run bench`, in a throwaway schema.
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { loadConfig } from '../src/config.ts';
import { openDatabase, type Database, type Db, type Executor } from '../src/platform/db/database.ts';
import { loadMigrations, migrate } from '../src/platform/db/migrate.ts';
import { migrationSources } from '../src/app.ts';
import { seedDemoData } from '../src/seed.ts';
import { createFieldEncryption } from '../src/platform/crypto/field-encryption.ts';
import { DomainError } from '../src/platform/http/errors.ts';
import { writeAuditEvent } from '../src/platform/audit/write-audit-event.ts';
import { findPublishedService } from '../src/modules/catalogue/index.ts';
import { departmentOfficials } from '../src/modules/identity/index.ts';
import { notify } from '../src/modules/notifications/index.ts';
import { lockForStep, recordStep, type StepInput } from '../src/modules/applications/record-step.ts';
import { holidaySet, insertStep, writeProjection } from '../src/modules/applications/repository.ts';
import { announceLocally, STEP_CHANNEL } from '../src/modules/applications/step-events.ts';
import { allowedActions, decisions, nextStatus, statusFromSteps, type Action, type Status } from '../src/modules/applications/workflow.ts';
import { deadlineOf } from '../src/modules/applications/working-days.ts';
import { advanceLog } from '../src/modules/transparency/advance-log.ts';
import { parseLeafInput } from '../src/modules/transparency/append-entry.ts';
import { createLogSigner, type LogSigner } from '../src/modules/transparency/log-key.ts';
import { leafHash, nodesNeeded, consistencyPlan, inclusionPlan, perfectRanges, subtreeHash, verifyConsistency, verifyInclusion } from '../src/modules/transparency/merkle.ts';
import { consistencyBetween, inclusionByHash } from '../src/modules/transparency/proofs.ts';
import { nodesAt } from '../src/modules/transparency/repository.ts';
import { envNumber, int, onThrowawaySchema, startCpuMeter } from './lib.ts';

type Progress = (message: string) => void;
const quiet: Progress = () => {};
const seconds = (from: number) => (performance.now() - from) / 1000;
const TIME_ZONE = 'Asia/Seoul';
// Officials of its department are in the demo data (jongno.clerk, jongno.approver).
const SERVICE = 'building-permit';
const ANSWERS = { siteAddress: '서울특별시 종로구 청운동 12-3', use: 'detached-house', floorArea: 180, floors: 2, hasBasement: false, architectName: '김건축', architectLicence: '12345', contactPhone: '010-1234-5678', declaration: true };

// ---------------------------------------------------------------------------------------
// L1: appending inside ordinary transactions
// ---------------------------------------------------------------------------------------

export interface AppendOptions {
  /** transactions in flight at once (clients, each one awaited at a time) */
  clients: number;
  /** seconds of each counted phase */
  phaseSeconds: number;
  /** rounds of four counted phases: without, with, with, without */
  rounds: number;
  /** seconds of each uncounted warm-up phase (one without the log, one with it) */
  warmupSeconds: number;
}

export interface AppendPhase {
  log: boolean;
  transactions: number;
  /** from the first transaction's start to the last one's end, and with the log until every entry of the phase is in the tree */
  seconds: number;
  perSecond: number;
}

export interface AppendResult {
  clients: number;
  phaseSeconds: number;
  rounds: number;
  /** steps recorded per second by a copy of recordStep without its logStep call */
  withoutLogPerSecond: number;
  /** steps recorded per second by recordStep itself, the sequencer running every intervalMs */
  withLogPerSecond: number;
  ratio: number;
  /** with ÷ without of each adjacent pair of phases, to show the noise */
  pairRatios: number[];
  phases: AppendPhase[];
  sequencer: {
    intervalMs: number;
    /** advanceLog calls during the counted with-log phases, the final drains included */
    runs: number;
    entries: number;
    /** wall seconds inside advanceLog, summed, and the longest single call */
    seconds: number;
    longest: number;
    /** entries left for the final drain of each with-log phase, and the drains' seconds */
    drained: number;
    drainSeconds: number;
  };
  /** share of the machine other processes used meanwhile; on a local PostgreSQL its processes serving this run are not "other" */
  otherCpu: number | undefined;
}

/**
 * recordStep (src/modules/applications/record-step.ts) statement for statement, without its
 * one call to logStep: the same transaction without the log. Keep it in step with
 * recordStep; measureAppends checks before measuring that both write the same rows but the
 * log's entry, and stops when they do not.
 */
async function recordStepWithoutLog(tx: Executor, applicationId: number, input: StepInput, timeZone: string): Promise<Status> {
  const { application: app, steps, service } = await lockForStep(tx, applicationId);
  const status = statusFromSteps(steps.map((s) => ({ action: s.action as Action, ...(s.action === 'decide' ? { outcome: s.status_after as 'approved' | 'rejected' } : {}) })));
  let after: Status;
  try {
    after = nextStatus(status, { action: input.action, ...(input.outcome ? { outcome: input.outcome } : {}) });
  } catch {
    const allowed = allowedActions(status, input.actorKind, input.actorRoles ?? []);
    throw new DomainError('ACTION_NOT_ALLOWED', 'applications.error.notAllowed', { allowed, params: { status, allowed: allowed.join(', ') } });
  }
  const departmentId = input.moveTo ?? app.department_id;
  const step = await insertStep(tx, {
    applicationId, seq: steps.length + 1, action: input.action, statusAfter: after, actorKind: input.actorKind, actorAccountId: input.actorAccountId, actorName: input.actorName,
    assistedBy: input.assistedBy ?? null, departmentId: app.department_id, note: input.note ?? null,
    details: { ...(input.details ?? {}), ...(input.moveTo ? { toDepartmentId: input.moveTo } : {}), ...(input.assignee !== undefined ? { assigneeAccountId: input.assignee } : {}) },
  });
  // recordStep calls logStep(tx, step) here: the one difference.
  const timed = [...steps.map((s) => ({ action: s.action, recordedAt: s.recorded_at })), { action: input.action, recordedAt: step.recorded_at }];
  const deadline = deadlineOf(timed, service.periodDays, await holidaySet(tx), timeZone);
  const assignee = input.moveTo ? null : input.assignee !== undefined ? input.assignee : app.assignee_account_id;
  const receiptNo = await writeProjection(tx, applicationId, {
    status: after,
    departmentId,
    assigneeAccountId: assignee,
    dueDate: deadline.due,
    ...(input.assignReceipt ? { assignReceipt: { timeZone } } : {}),
    ...(decisions.has(after) !== decisions.has(status) ? { decided: decisions.has(after) } : {}),
    ...(input.action === 'escalate' ? { escalated: true } : {}),
    ...(input.answers ? { answers: input.answers } : {}),
  }, STEP_CHANNEL);
  announceLocally(applicationId);
  await writeAuditEvent(tx, {
    action: 'applications.step.recorded',
    actor: { accountId: input.actorAccountId, agencyId: input.actorKind === 'official' ? app.agency_id : null },
    onBehalfOfAccountId: input.assistedBy ? app.applicant_account_id : null,
    subject: { type: 'application', id: applicationId },
    requestId: input.requestId ?? null,
    ip: input.ip ?? null,
    details: { action: input.action, seq: steps.length + 1, status: after, ...(input.assistedBy ? { assistedBy: input.assistedBy } : {}) },
  });
  if (input.actorKind !== 'applicant' && input.action !== 'claim' && input.action !== 'assign' && input.action !== 'escalate') {
    await notify(tx, { accountId: app.applicant_account_id, template: `applications.notice.${after}`, params: { receiptNo: receiptNo ?? '', service: service.name }, link: `/applications/${applicationId}`, email: true });
  }
  return after;
}

/**
 * On a PostgreSQL of this machine, the server processes of this database's connections:
 * their CPU is the measurement's, not disturbance (the rest of the server's still is).
 * Opens up to `wanted` connections at once to learn them; none for PGlite or a remote server.
 */
async function ownBackends(database: Database, wanted: number): Promise<number[]> {
  if (database.kind !== 'postgres') return [];
  const pids = await Promise.all(
    Array.from({ length: wanted }, () => database.db.transaction().execute(async (tx) => (await sql<{ pid: number }>`select pg_backend_pid() as pid, pg_sleep(0.05)`.execute(tx)).rows[0]!.pid)),
  );
  return [...new Set(pids)].filter((pid) => existsSync(`/proc/${pid}/stat`));
}

const COUNTED_TABLES = ['application_steps', 'audit_events', 'notifications', 'jobs', 'transparency_entries'] as const;

async function rowCounts(db: Db): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of COUNTED_TABLES) {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(db);
    out[table] = rows[0]!.n;
  }
  return out;
}

/**
 * L1. Officials accept submitted building permits (`accept`: the step, the projection with
 * its new deadline and announcement, the audit event, the applicant's notice and its
 * e-mail job, in one transaction), `clients` at a time, each on an application of its own
 * that nothing else touches. Without the log: a copy of recordStep minus logStep; with it:
 * recordStep itself, while advanceLog runs every `logIntervalMs` as the server's timer
 * does. Each round's phases go without, with, with, without (a linear drift counts the
 * same on both sides), after an uncounted warm-up of each; each with-log phase ends when
 * all its entries are in the tree, so the sequencer's whole work counts.
 */
export async function measureAppends(database: Database, options: AppendOptions, progress: Progress = quiet): Promise<AppendResult> {
  const { db } = database;
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: '/nonexistent-bench-dir' }, { demoResidents: 60 });
  await migrate(db, loadMigrations(migrationSources));
  await seedDemoData(database, config);
  const signer = createLogSigner(db, createFieldEncryption(config.dataKey));
  // The demo applications' steps, and the first head: not part of any phase.
  await advanceLog(db, signer, { wait: true });
  const service = await findPublishedService(db, SERVICE);
  if (!service) throw new Error(`the ${SERVICE} service is not published`);
  const [official] = await departmentOfficials(db, service.agencyId, service.departmentId);
  if (!official) throw new Error(`no official in the department of ${SERVICE}`);
  const residents = (await db.selectFrom('accounts').select('id').where('kind', '=', 'resident').orderBy('id').limit(60).execute()).map((r) => r.id);
  if (residents.length === 0) throw new Error('no residents');

  /** Applications submitted and waiting to be accepted, written straight into the tables. */
  const pool: number[] = [];
  const topUp = async (wanted: number) => {
    const missing = wanted - pool.length;
    if (missing <= 0) return;
    const { rows } = await sql<{ id: number }>`
      with apps as (
        insert into applications (service_id, service_version, agency_id, department_id, applicant_account_id, answers, status, receipt_no, submitted_at, due_date)
        select ${service.serviceId}, ${service.version}, ${service.agencyId}, ${service.departmentId}, (${residents}::bigint[])[1 + g % ${residents.length}],
               ${JSON.stringify(ANSWERS)}::jsonb, 'submitted', 'BENCH-' || lpad(nextval('application_receipt_seq')::text, 9, '0'), now(), current_date + 7
          from generate_series(1, ${missing}::int) g
        returning id, applicant_account_id)
      insert into application_steps (application_id, seq, action, status_after, actor_kind, actor_account_id, department_id)
      select id, 1, 'submit', 'submitted', 'applicant', applicant_account_id, ${service.departmentId} from apps
      returning application_id as id`.execute(db);
    pool.push(...rows.map((r) => r.id));
    // PostgreSQL's autovacuum would analyze the grown tables at some moment of a phase and
    // change its plans there; do it now, uncounted. PGlite runs no autovacuum, so neither
    // does the bench there: as in production on the embedded database.
    if (database.kind === 'postgres') await sql`analyze`.execute(db);
  };
  const input: StepInput = { action: 'accept', actorKind: 'official', actorAccountId: official.id, actorName: official.displayName, actorRoles: official.roles, note: null, requestId: null, ip: '127.0.0.1' };
  const withLog = (id: number) => db.transaction().execute(async (tx) => (await recordStep(tx, id, input, TIME_ZONE)).status);
  const withoutLog = (id: number) => db.transaction().execute((tx) => recordStepWithoutLog(tx, id, input, TIME_ZONE));

  // The copy must write what recordStep writes, but the log's entry.
  await topUp(2);
  const delta = async (run: (id: number) => Promise<Status>) => {
    const before = await rowCounts(db);
    const status = await run(pool.pop()!);
    const after = await rowCounts(db);
    const rows: Record<string, number> = Object.fromEntries(COUNTED_TABLES.map((t) => [t, after[t]! - before[t]!]));
    return { status, rows };
  };
  const real = await delta(withLog);
  const copy = await delta(withoutLog);
  const expected: Record<string, number> = { ...copy.rows, transparency_entries: copy.rows.transparency_entries! + 1 };
  if (real.status !== 'in-review' || copy.status !== 'in-review' || COUNTED_TABLES.some((t) => real.rows[t] !== expected[t])) {
    throw new Error(`the bench's copy of recordStep no longer writes what recordStep writes but the log's entry: recordStep ${JSON.stringify(real)}, copy ${JSON.stringify(copy)}; update recordStepWithoutLog`);
  }
  await advanceLog(db, signer, { wait: true });

  const counted = { runs: 0, entries: 0, seconds: 0, longest: 0, drained: 0, drainSeconds: 0 };
  const phase = async (log: boolean, length: number, count: boolean): Promise<AppendPhase> => {
    const run = log ? withLog : withoutLog;
    const started = performance.now();
    const end = started + length * 1000;
    let transactions = 0;
    let dry = false;
    let failure: unknown;
    const calls = new Set<Promise<void>>();
    const sequence = () => {
      const t = performance.now();
      const call: Promise<void> = advanceLog(db, signer)
        .then((r) => {
          if (!count) return;
          counted.runs += 1;
          counted.entries += r.sequenced;
          counted.seconds += seconds(t);
          counted.longest = Math.max(counted.longest, seconds(t));
        })
        .catch((error: unknown) => void (failure ??= error))
        .finally(() => calls.delete(call));
      calls.add(call);
    };
    // As the server does: a timer, whatever the previous call is still doing.
    const timer = log ? setInterval(sequence, config.logIntervalMs) : undefined;
    const client = async () => {
      while (performance.now() < end && failure === undefined) {
        const id = pool.pop();
        if (id === undefined) {
          dry = true;
          return;
        }
        try {
          const status = await run(id);
          if (status !== 'in-review') throw new Error(`application ${id} ended ${status}`);
          transactions += 1;
        } catch (error) {
          failure ??= error;
        }
      }
    };
    await Promise.all(Array.from({ length: options.clients }, client));
    if (timer) clearInterval(timer);
    await Promise.all(calls);
    if (log) {
      // The entries of the phase's last moments: the next tick's work, counted here.
      const t = performance.now();
      const r = await advanceLog(db, signer, { wait: true });
      if (count) {
        counted.runs += 1;
        counted.entries += r.sequenced;
        counted.drained += r.sequenced;
        counted.seconds += seconds(t);
        counted.drainSeconds += seconds(t);
        counted.longest = Math.max(counted.longest, seconds(t));
      }
    }
    const elapsed = seconds(started);
    if (log) {
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from transparency_entries where leaf_index is null`.execute(db);
      if (rows[0]!.n !== 0) throw new Error(`${rows[0]!.n} entries still wait for the sequencer after the phase`);
    }
    if (failure !== undefined) throw failure instanceof Error ? failure : new Error(String(failure));
    if (dry && count) throw new Error('the bench ran out of prepared applications during a phase');
    return { log, transactions, seconds: elapsed, perSecond: transactions / elapsed };
  };
  // Enough prepared applications for a phase at twice the fastest rate seen so far.
  let fastest = 500;
  const ready = async (length: number) => topUp(Math.ceil(fastest * length * 2) + options.clients * 4);

  progress(`L1: warm-up, ${options.warmupSeconds} s without the log and ${options.warmupSeconds} s with it`);
  for (const log of [false, true]) {
    await ready(Math.max(1, options.warmupSeconds));
    if (options.warmupSeconds > 0) fastest = Math.max(fastest, (await phase(log, options.warmupSeconds, false)).perSecond);
  }
  const phases: AppendPhase[] = [];
  // The counted phases start from a checkpoint of their own (a superuser's right; without
  // it, whenever the server's next one comes): not in the middle of one.
  if (database.kind === 'postgres') await sql`checkpoint`.execute(db).catch(() => undefined);
  const meter = startCpuMeter(await ownBackends(database, options.clients));
  for (const log of Array.from({ length: options.rounds }, () => [false, true, true, false]).flat()) {
    await ready(options.phaseSeconds);
    progress(`L1: ${options.phaseSeconds} s ${log ? 'with' : 'without'} the log, ${options.clients} clients`);
    const p = await phase(log, options.phaseSeconds, true);
    fastest = Math.max(fastest, p.perSecond);
    phases.push(p);
  }
  const otherCpu = meter();
  const rate = (log: boolean) => {
    const ps = phases.filter((p) => p.log === log);
    return ps.reduce((n, p) => n + p.transactions, 0) / ps.reduce((s, p) => s + p.seconds, 0);
  };
  const withoutLogPerSecond = rate(false);
  const withLogPerSecond = rate(true);
  return {
    clients: options.clients,
    phaseSeconds: options.phaseSeconds,
    rounds: options.rounds,
    withoutLogPerSecond,
    withLogPerSecond,
    ratio: withLogPerSecond / withoutLogPerSecond,
    // Each with-log phase against the without-log phase next to it.
    pairRatios: phases.flatMap((p, i) => (i % 4 === 1 ? [p.perSecond / phases[i - 1]!.perSecond] : i % 4 === 2 ? [p.perSecond / phases[i + 1]!.perSecond] : [])),
    phases,
    sequencer: { intervalMs: config.logIntervalMs, ...counted },
    otherCpu,
  };
}

// ---------------------------------------------------------------------------------------
// L2: proofs at a million leaves
// ---------------------------------------------------------------------------------------

export interface ProofOptions {
  leaves: number;
  /** requests in flight at once */
  concurrency: number;
  /** seconds of each counted run */
  duration: number;
  /** seconds of the same load before each, not counted */
  warmup: number;
}

export interface ProofRate {
  count: number;
  seconds: number;
  perSecond: number;
  /** perSecond ÷ the point-lookup ceiling */
  ratio: number;
  /** stored nodes read per proof, on average */
  nodesPerProof: number;
  /** proofs checked against the tree's root after the run, and how many failed */
  verified: number;
  wrong: number;
}

export interface ProofResult {
  leaves: number;
  concurrency: number;
  /** writing the entries by set-based SQL (not measured against anything) */
  fill: { seconds: number; entriesPerSecond: number };
  /** advanceLog placing all of them in the tree, from empty */
  sequencing: { seconds: number; leavesPerSecond: number; batches: number };
  /** the ceiling: one transparency_nodes row by its primary key, measured before and after the proofs */
  lookups: { before: number; after: number; perSecond: number };
  inclusion: ProofRate;
  consistency: ProofRate;
  /** as AppendResult's */
  otherCpu: number | undefined;
}

const FILL_CHUNK = 100_000;

/**
 * Writes `n` entries as appendEntry would (salted content hash, canonical leaf, leaf hash
 * = SHA-256(0x00 || leaf)), computed by the database, 100,000 per statement.
 */
async function fillEntries(db: Db, n: number, progress: Progress): Promise<void> {
  for (let from = 1; from <= n; from += FILL_CHUNK) {
    const to = Math.min(n, from + FILL_CHUNK - 1);
    await sql`
      insert into transparency_entries (entry_type, subject, salt, content_hash, leaf_input, leaf_hash)
      select 'bench.filled', subject, salt, content_hash, leaf_input, sha256(decode('00', 'hex') || leaf_input)
        from (select subject, salt, content_hash,
                     convert_to('{"content_hash":"' || encode(content_hash, 'hex') || '","subject":"' || subject || '","time":"' || stamp || '","type":"bench.filled","v":1}', 'UTF8') as leaf_input
                from (select 'bench/' || g as subject, salt, sha256(salt || convert_to('{"n":' || g || '}', 'UTF8')) as content_hash,
                             to_char(now() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as stamp
                        from (select g, substring(sha256(int8send(g)) from 1 for 16) as salt from generate_series(${from}::bigint, ${to}::bigint) as g) as salted) as hashed) as leaves`.execute(db);
    if (to % 500_000 === 0 || to === n) progress(`L2: ${int(to)} entries written`);
  }
}

/** Runs `op` `concurrency` at a time for `duration` seconds (each started before then finishes and counts). */
async function closedLoop(concurrency: number, duration: number, op: () => Promise<void>): Promise<{ count: number; seconds: number }> {
  const started = performance.now();
  const end = started + duration * 1000;
  let count = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        await op();
        count += 1;
      }
    }),
  );
  return { count, seconds: seconds(started) };
}

const randomBelow = (n: number) => Math.floor(Math.random() * n);

/**
 * L2. Fills an empty log with `leaves` entries by set-based SQL, lets advanceLog sequence
 * them all, then measures, `concurrency` at a time: point lookups of one stored node (the
 * ceiling), inclusion proofs of random leaves by their hash (inclusionByHash, at the full
 * tree size) and consistency proofs from a random earlier size to the full one
 * (consistencyBetween). A sample of each kind of proof is verified against the tree's root.
 */
export async function measureProofs(database: Database, options: ProofOptions, progress: Progress = quiet): Promise<ProofResult> {
  const { db } = database;
  await migrate(db, loadMigrations(migrationSources));
  const signer: LogSigner = createLogSigner(db, createFieldEncryption('5a'.repeat(32)));
  const n = options.leaves;

  progress(`L2: writing ${int(n)} entries by set-based SQL`);
  let t = performance.now();
  await fillEntries(db, n, progress);
  const fillSeconds = seconds(t);
  // One written entry, read back as the log's readers would: a Nara leaf whose hash is right.
  const sample = await db.selectFrom('transparency_entries').select(['leaf_input', 'leaf_hash']).orderBy('id').limit(1).executeTakeFirstOrThrow();
  if (!parseLeafInput(sample.leaf_input) || !leafHash(sample.leaf_input).equals(Buffer.from(sample.leaf_hash))) throw new Error('the entries written by SQL are not RFC 6962 leaves of Nara');

  progress(`L2: advanceLog places ${int(n)} entries in the tree (on PGlite here about ${Math.round(n / 12_000)} s)`);
  t = performance.now();
  const advanced = await advanceLog(db, signer, { wait: true });
  const sequencingSeconds = seconds(t);
  const tree = await db.selectFrom('transparency_tree').select(['size', 'root_hash']).executeTakeFirstOrThrow();
  if (advanced.sequenced !== n || tree.size !== n) throw new Error(`advanceLog placed ${advanced.sequenced} of ${n} entries (tree size ${tree.size})`);
  const root = Buffer.from(tree.root_hash);
  const size = tree.size;
  // PostgreSQL's autovacuum soon cleans up after the sequencer's million updates and
  // analyzes the new rows; do it now rather than during a measurement. PGlite runs no
  // autovacuum, so its tables stay as the sequencer left them, as in production there.
  if (database.kind === 'postgres') await sql`vacuum analyze`.execute(db);

  // Leaves to prove, chosen at random, with their hashes: fetched before any measurement.
  const picks = Array.from({ length: 20_000 }, () => randomBelow(size));
  const { rows: leafRows } = await sql<{ idx: number; hash: Uint8Array }>`select idx, hash from transparency_nodes where level = 0 and idx = any(${picks}::bigint[])`.execute(db);
  // In random order: the rows come back sorted by index, and a proof's cost may depend on it.
  const leaves = leafRows.map((r) => ({ index: r.idx, hash: Buffer.from(r.hash), order: Math.random() })).sort((a, b) => a.order - b.order).map(({ index, hash }) => ({ index, hash }));

  const lookup = async () => {
    const row = await db.selectFrom('transparency_nodes').select('hash').where('level', '=', 0).where('idx', '=', randomBelow(size)).executeTakeFirst();
    if (!row) throw new Error('a stored leaf node is missing');
  };
  const inclusionSample: Array<{ index: number; hash: Buffer; proof: { leafIndex: number; auditPath: Buffer[] } | undefined }> = [];
  // Cursors run on from the warm-up into the measurement: no leaf is proved twice in a row.
  let nextLeaf = 0;
  const inclusion = async () => {
    const leaf = leaves[nextLeaf++ % leaves.length]!;
    const proof = await inclusionByHash(db, leaf.hash, size);
    if (inclusionSample.length < 1000) inclusionSample.push({ ...leaf, proof });
  };
  const firsts = Array.from({ length: 20_000 }, () => 1 + randomBelow(size - 1));
  const consistencySample: Array<{ first: number; proof: Buffer[] }> = [];
  let nextFirst = 0;
  const consistency = async () => {
    const first = firsts[nextFirst++ % firsts.length]!;
    const proof = await consistencyBetween(db, first, size);
    if (consistencySample.length < 200) consistencySample.push({ first, proof });
  };
  const measure = async (label: string, op: () => Promise<void>) => {
    progress(`L2: ${label}, ${options.concurrency} at a time: ${options.warmup} s warm-up + ${options.duration} s`);
    if (options.warmup > 0) await closedLoop(options.concurrency, options.warmup, op);
    const r = await closedLoop(options.concurrency, options.duration, op);
    return { ...r, perSecond: r.count / r.seconds };
  };

  const meter = startCpuMeter(await ownBackends(database, options.concurrency));
  const before = await measure('point lookups of a stored node (the ceiling)', lookup);
  inclusionSample.length = 0;
  const inc = await measure(`inclusion proofs at ${int(size)} leaves`, inclusion);
  consistencySample.length = 0;
  const con = await measure(`consistency proofs to ${int(size)} leaves`, consistency);
  const after = await measure('point lookups again', lookup);
  const otherCpu = meter();
  const ceiling = (before.perSecond + after.perSecond) / 2;

  // Check what was served: every sampled proof must verify against the tree's root.
  let inclusionWrong = 0;
  for (const s of inclusionSample) {
    if (!s.proof || s.proof.leafIndex !== s.index || !verifyInclusion({ leafIndex: s.index, treeSize: size, leafHash: s.hash, proof: s.proof.auditPath, root })) inclusionWrong += 1;
  }
  let consistencyWrong = 0;
  for (const s of consistencySample) {
    const known = await nodesAt(db, perfectRanges(0, s.first));
    const firstRoot = subtreeHash(0, s.first, (level, index) => known.get(`${level}:${index}`)!);
    if (!verifyConsistency({ first: s.first, second: size, firstRoot, secondRoot: root, proof: s.proof })) consistencyWrong += 1;
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const inclusionNodes = mean(leaves.slice(0, 1000).map((l) => nodesNeeded(inclusionPlan(l.index, size)).length));
  const consistencyNodes = mean(firsts.slice(0, 1000).map((f) => nodesNeeded(consistencyPlan(f, size)).length));

  return {
    leaves: size,
    concurrency: options.concurrency,
    fill: { seconds: fillSeconds, entriesPerSecond: n / fillSeconds },
    sequencing: { seconds: sequencingSeconds, leavesPerSecond: n / sequencingSeconds, batches: Math.ceil(n / 20_000) },
    lookups: { before: before.perSecond, after: after.perSecond, perSecond: ceiling },
    inclusion: { count: inc.count, seconds: inc.seconds, perSecond: inc.perSecond, ratio: inc.perSecond / ceiling, nodesPerProof: inclusionNodes, verified: inclusionSample.length, wrong: inclusionWrong },
    consistency: { count: con.count, seconds: con.seconds, perSecond: con.perSecond, ratio: con.perSecond / ceiling, nodesPerProof: consistencyNodes, verified: consistencySample.length, wrong: consistencyWrong },
    otherCpu,
  };
}

// ---------------------------------------------------------------------------------------
// Report lines, shared by bench/run.ts and the stand-alone run below
// ---------------------------------------------------------------------------------------

export const APPEND_TARGET = 0.8;
export const appendLabel = (db: string) => `L1 log entry in step transactions, ${db}`;
const leavesShort = (n: number) => (n >= 1e6 && n % 1e5 === 0 ? `${n / 1e6}M` : n >= 1e3 && n % 100 === 0 ? `${n / 1e3}k` : String(n));
export const inclusionLabel = (db: string, leaves: number) => `L2 inclusion proofs at ${leavesShort(leaves)} leaves, ${db}`;
export const consistencyLabel = (db: string, leaves: number) => `L2 consistency proofs at ${leavesShort(leaves)} leaves, ${db}`;

/** The figures of L1, after its label. */
export function appendFigures(r: AppendResult): string {
  const s = r.sequencer;
  return (
    `${int(r.withLogPerSecond).padStart(8)} tx/s with the log   without ${int(r.withoutLogPerSecond)}/s   ${r.ratio.toFixed(2)} × without  target ≥ ${APPEND_TARGET.toFixed(2)}  ${r.ratio >= APPEND_TARGET ? 'PASS' : 'BELOW TARGET'}` +
    `   (pairs ${r.pairRatios.map((p) => p.toFixed(2)).join(', ')}; sequencer ${s.runs} runs, ${s.seconds.toFixed(1)} s, longest ${s.longest.toFixed(2)} s)`
  );
}

/** The figures of L2's two lines, after their labels. */
export function proofFigures(r: ProofResult): { inclusion: string; consistency: string } {
  // Two significant digits below 0.1: "0.0012 ×" says more than "0.00 ×".
  const ratio = (x: number) => (x < 0.1 ? x.toPrecision(2) : x.toFixed(2));
  const line = (p: ProofRate, what: string) =>
    `${(p.perSecond < 10 ? p.perSecond.toFixed(1) : int(p.perSecond)).padStart(8)} proofs/s   point lookups ${int(r.lookups.perSecond)}/s   ${ratio(p.ratio)} × point lookup  no target   (${p.nodesPerProof.toFixed(1)} nodes each; ${p.verified} verified${p.wrong > 0 ? `, ${p.wrong} WRONG` : ''})${what}`;
  return {
    inclusion: line(r.inclusion, `   — ${int(r.leaves)} leaves sequenced by advanceLog in ${r.sequencing.seconds.toFixed(0)} s, ${int(r.sequencing.leavesPerSecond)} leaves/s`),
    consistency: line(r.consistency, ''),
  };
}

/** The settings `npm run bench` uses, from the same environment variables. */
export function logSettings(env: NodeJS.ProcessEnv = process.env) {
  const number = (name: string, fallback: number) => envNumber(env, name, fallback);
  const warmup = number('BENCH_WARMUP', 2);
  return {
    append: { clients: 50, phaseSeconds: Math.max(1, number('BENCH_LOG_PHASE', 5)), rounds: Math.max(1, Math.round(number('BENCH_LOG_ROUNDS', 2))), warmupSeconds: warmup } satisfies AppendOptions,
    proofs: { leaves: Math.max(2, Math.round(number('BENCH_LOG_LEAVES', 1_000_000))), concurrency: 16, duration: Math.max(1, number('BENCH_DURATION', 10)), warmup } satisfies ProofOptions,
  };
}

// ---------------------------------------------------------------------------------------
// Stand-alone: node --import tsx bench/transparency.ts [append|proofs] [pglite|postgres]
// ---------------------------------------------------------------------------------------


if (import.meta.main) {
  const args = new Set(process.argv.slice(2));
  const parts = ['append', 'proofs'].filter((p) => args.has(p));
  const dbs = ['pglite', 'postgres'].filter((d) => args.has(d));
  const settings = logSettings();
  const url = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const progress: Progress = (message) => process.stderr.write(`  … ${message}\n`);
  const lines: string[] = [];
  const W = consistencyLabel('PostgreSQL', settings.proofs.leaves).length + 2;
  const onEach = async (db: string, open: <T>(measure: (database: Database) => Promise<T>) => Promise<T | { skipped: string }>) => {
    if (parts.length === 0 || parts.includes('append')) {
      const r = await open((database) => measureAppends(database, settings.append, progress));
      lines.push(`scenario ${appendLabel(db).padEnd(W)}${'skipped' in r ? `skipped: ${r.skipped}` : appendFigures(r)}`);
      if (!('skipped' in r)) lines.push(`         ${''.padEnd(W)}phases ${r.phases.map((p) => `${p.log ? 'with' : 'without'} ${int(p.perSecond)}/s`).join(', ')}; other processes ${r.otherCpu === undefined ? '?' : Math.round(r.otherCpu * 100)} % of the CPU`);
    }
    if (parts.length === 0 || parts.includes('proofs')) {
      const r = await open((database) => measureProofs(database, settings.proofs, progress));
      if ('skipped' in r) lines.push(`scenario ${inclusionLabel(db, settings.proofs.leaves).padEnd(W)}skipped: ${r.skipped}`);
      else {
        const f = proofFigures(r);
        lines.push(`scenario ${inclusionLabel(db, r.leaves).padEnd(W)}${f.inclusion}`, `scenario ${consistencyLabel(db, r.leaves).padEnd(W)}${f.consistency}`);
        lines.push(`         ${''.padEnd(W)}entries written by SQL in ${r.fill.seconds.toFixed(0)} s; point lookups ${int(r.lookups.before)}/s before, ${int(r.lookups.after)}/s after; other processes ${r.otherCpu === undefined ? '?' : Math.round(r.otherCpu * 100)} % of the CPU`);
      }
    }
  };
  if (dbs.length === 0 || dbs.includes('pglite')) {
    await onEach('PGlite', async (measure) => {
      const database = await openDatabase({ dataDir: 'memory://' });
      try {
        return await measure(database);
      } finally {
        await database.close();
      }
    });
  }
  if (dbs.length === 0 || dbs.includes('postgres')) await onEach('PostgreSQL', (measure) => onThrowawaySchema(url, measure));
  console.log(lines.join('\n'));
}
