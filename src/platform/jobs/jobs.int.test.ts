import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { testDatabase } from '../../../test/support/test-app.ts';
import type { Database } from '../db/database.ts';
import { createJobRunner, DEFAULT_MAX_ATTEMPTS, enqueueJob } from './jobs.ts';

let database: Database;
before(async () => {
  database = await testDatabase();
});
after(async () => database.close());

const clear = () => database.db.deleteFrom('jobs').execute();

test('a job queued in a transaction that rolls back never runs', async () => {
  await clear();
  const seen: unknown[] = [];
  const runner = createJobRunner({ db: database.db, pollMs: 10, handlers: { q: async (p) => void seen.push(p) } });
  await database.db
    .transaction()
    .execute(async (tx) => {
      await enqueueJob(tx, 'q', { n: 1 });
      throw new Error('the change failed');
    })
    .catch(() => {});
  assert.equal(await runner.runDue(), 0);
  assert.deepEqual(seen, []);
});

test('a job queued in a committed transaction runs once and is marked done', async () => {
  await clear();
  const seen: unknown[] = [];
  const runner = createJobRunner({ db: database.db, pollMs: 10, handlers: { q: async (p) => void seen.push(p) } });
  await database.db.transaction().execute((tx) => enqueueJob(tx, 'q', { n: 2 }));
  assert.equal(await runner.runDue(), 1);
  assert.equal(await runner.runDue(), 0);
  assert.deepEqual(seen, [{ n: 2 }]);
  const job = await database.db.selectFrom('jobs').selectAll().executeTakeFirstOrThrow();
  assert.ok(job.completed_at);
  assert.equal(job.attempts, 1);
});

test('a failing job is retried later with its error kept, and given up after its last attempt', async () => {
  await clear();
  let calls = 0;
  const outcomes: string[] = [];
  const runner = createJobRunner({
    db: database.db,
    pollMs: 10,
    handlers: { q: async () => { calls++; throw new Error('smtp down'); } },
    onOutcome: (_q, o) => outcomes.push(o),
  });
  await enqueueJob(database.db, 'q', {}, { maxAttempts: 2 });
  await runner.runDue();
  let job = await database.db.selectFrom('jobs').selectAll().executeTakeFirstOrThrow();
  assert.equal(job.last_error, 'Error: smtp down');
  assert.equal(job.failed_at, null);
  const wait = await sql<{ s: number }>`select extract(epoch from (run_at - now()))::float as s from jobs`.execute(database.db);
  assert.ok(wait.rows[0]!.s > 2, 'the retry waits a few seconds');
  assert.equal(await runner.runDue(), 0, 'not due again yet');
  await database.db.updateTable('jobs').set({ run_at: sql`now()` }).execute();
  await runner.runDue();
  job = await database.db.selectFrom('jobs').selectAll().executeTakeFirstOrThrow();
  assert.ok(job.failed_at, 'failed for good after max attempts');
  assert.equal(calls, 2);
  assert.deepEqual(outcomes, ['retried', 'failed']);
});

test('a job whose worker died mid-run is picked up again when its lease expires', async () => {
  await clear();
  await enqueueJob(database.db, 'q', { n: 3 });
  // A worker claimed it and crashed: attempts counted, lease held, never completed.
  await database.db.updateTable('jobs').set({ attempts: 1, locked_by: 'dead-worker', locked_until: sql`now() + interval '1 minute'` }).execute();
  const seen: unknown[] = [];
  const runner = createJobRunner({ db: database.db, pollMs: 10, handlers: { q: async (p) => void seen.push(p) } });
  assert.equal(await runner.runDue(), 0, 'lease still held');
  await database.db.updateTable('jobs').set({ locked_until: sql`now() - interval '1 second'` }).execute();
  assert.equal(await runner.runDue(), 1);
  assert.deepEqual(seen, [{ n: 3 }]);
});

test('two workers running together never run the same job twice', async () => {
  await clear();
  for (let i = 0; i < 40; i++) await enqueueJob(database.db, 'q', { i });
  const seen: number[] = [];
  const handler = async (p: Record<string, unknown>) => {
    seen.push(p.i as number);
    await new Promise((r) => setTimeout(r, 1));
  };
  const a = createJobRunner({ db: database.db, pollMs: 10, batchSize: 3, handlers: { q: handler } });
  const b = createJobRunner({ db: database.db, pollMs: 10, batchSize: 3, handlers: { q: handler } });
  const [ra, rb] = await Promise.all([a.runDue(), b.runDue()]);
  assert.equal(ra + rb, 40);
  assert.equal(new Set(seen).size, 40);
  assert.equal(seen.length, 40);
});

test('a job queued twice under one dedupe key exists once', async () => {
  await clear();
  await enqueueJob(database.db, 'q', {}, { dedupeKey: 'k' });
  await enqueueJob(database.db, 'q', {}, { dedupeKey: 'k' });
  const n = await database.db.selectFrom('jobs').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  assert.equal(n.n, 1);
});

test('the runner started in the background runs due jobs by itself and stops cleanly', async () => {
  await clear();
  let resolve!: () => void;
  const ran = new Promise<void>((r) => (resolve = r));
  const runner = createJobRunner({ db: database.db, pollMs: 20, handlers: { q: async () => resolve() } });
  runner.start();
  await enqueueJob(database.db, 'q', {});
  await ran;
  await runner.stop();
});

test('a job queued without its own limit gets as many attempts as the table gives by default', async () => {
  await clear();
  await enqueueJob(database.db, 'q', { n: 1 });
  await sql`insert into jobs (queue, payload) values ('q', '{}')`.execute(database.db);
  const jobs = await database.db.selectFrom('jobs').select('max_attempts').orderBy('id').execute();
  assert.deepEqual(jobs.map((j) => j.max_attempts), [DEFAULT_MAX_ATTEMPTS, DEFAULT_MAX_ATTEMPTS]);
});

test('in one batch the jobs that succeeded are marked done together, the one that failed waits for its retry, and a job another worker took over is left to it', async () => {
  await clear();
  for (let i = 0; i < 4; i++) await enqueueJob(database.db, 'q', { i });
  const outcomes: string[] = [];
  const runner = createJobRunner({
    db: database.db,
    pollMs: 10,
    batchSize: 10,
    onOutcome: (_q, o) => outcomes.push(o),
    handlers: {
      q: async (p) => {
        if (p.i === 1) throw new Error('mailbox full');
        // While job 2 runs, its lease passes to another worker (this one was too slow).
        if (p.i === 2) await database.db.updateTable('jobs').set({ locked_by: 'other-worker' }).where(sql<boolean>`payload->>'i' = '2'`).execute();
      },
    },
  });
  assert.equal(await runner.runDue(), 4);
  const jobs = await database.db.selectFrom('jobs').select(['payload', 'completed_at', 'locked_until', 'locked_by', 'last_error', 'failed_at']).orderBy('id').execute();
  const byI = (i: number) => jobs.find((j) => (j.payload as { i: number }).i === i)!;
  for (const i of [0, 3]) {
    assert.ok(byI(i).completed_at, `job ${i} is done`);
    assert.equal(byI(i).locked_until, null);
  }
  assert.equal(byI(1).completed_at, null);
  assert.equal(byI(1).last_error, 'Error: mailbox full');
  assert.equal(byI(1).failed_at, null, 'it has attempts left');
  assert.equal(byI(2).completed_at, null, 'the other worker holds it: not marked done by this one');
  assert.deepEqual(outcomes.sort(), ['completed', 'completed', 'completed', 'retried']);
  assert.equal(await runner.runDue(), 0, 'nothing else is due: the retry waits');
});
