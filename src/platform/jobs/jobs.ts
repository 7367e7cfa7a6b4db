import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db, Executor } from '../db/database.ts';
import { reusableQuery } from '../db/reusable-query.ts';

export interface EnqueueOptions {
  /** not before this many seconds from now */
  delaySeconds?: number;
  /** a second enqueue with the same key is ignored: makes producers idempotent */
  dedupeKey?: string;
  maxAttempts?: number;
}

interface JobValues {
  queue: string;
  payload: string;
  dedupeKey: string | null;
  delaySeconds: number;
  maxAttempts: number;
}

const insertJob = reusableQuery((db, v: JobValues) =>
  db
    .insertInto('jobs')
    .values({ queue: v.queue, payload: v.payload, dedupe_key: v.dedupeKey, run_at: sql`now() + make_interval(secs => ${v.delaySeconds})`, max_attempts: v.maxAttempts })
    .onConflict((oc) => oc.column('dedupe_key').doNothing()),
);

const completeJobs = reusableQuery((db, v: { ids: number[]; workerId: string }) =>
  db
    .updateTable('jobs')
    .set({ completed_at: sql`now()`, locked_until: null, last_error: null })
    .where(sql<boolean>`id = any(${v.ids}::bigint[])`)
    .where('locked_by', '=', v.workerId),
);

/** A job's attempts unless it asks otherwise (the column's default, 001-platform.sql). */
export const DEFAULT_MAX_ATTEMPTS = 8;

/**
 * Adds a job inside the caller's transaction: this is the outbox. The job exists if and
 * only if the change that asked for it committed, and it is sent after that commit.
 */
export async function enqueueJob(tx: Executor, queue: string, payload: Record<string, unknown>, options: EnqueueOptions = {}): Promise<void> {
  await insertJob(tx, { queue, payload: JSON.stringify(payload), dedupeKey: options.dedupeKey ?? null, delaySeconds: options.delaySeconds ?? 0, maxAttempts: options.maxAttempts || DEFAULT_MAX_ATTEMPTS });
}

export interface JobContext {
  id: number;
  attempt: number;
  queue: string;
}
export type JobHandler = (payload: Record<string, unknown>, job: JobContext) => Promise<void>;

export interface JobRunnerOptions {
  db: Db;
  handlers: Record<string, JobHandler>;
  pollMs: number;
  /** a claimed job that is neither done nor failed after this is given to another worker */
  lockSeconds?: number;
  batchSize?: number;
  onOutcome?: (queue: string, outcome: 'completed' | 'retried' | 'failed') => void;
  log?: { error(obj: unknown, msg: string): void; warn(obj: unknown, msg: string): void };
}

/** Exponential backoff with jitter: about 5 s, 10 s, 20 s … capped at one hour. */
export function backoffSeconds(attempt: number, random = Math.random): number {
  const base = Math.min(3600, 5 * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.75 + random() * 0.5));
}

/**
 * Runs due jobs. Workers claim rows with `FOR UPDATE SKIP LOCKED` and a lease, so any
 * number of instances can run together; a worker that dies mid-job leaves a lease that
 * expires and the job runs again (at-least-once: handlers must be idempotent).
 */
export function createJobRunner(options: JobRunnerOptions) {
  const { db, handlers } = options;
  const workerId = `${process.pid}-${randomUUID().slice(0, 8)}`;
  const lockSeconds = options.lockSeconds ?? 120;
  const batchSize = options.batchSize ?? 10;
  const queues = Object.keys(handlers);
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;
  let stopped = true;

  async function claim() {
    const result = await sql<{ id: number; queue: string; payload: Record<string, unknown>; attempts: number; max_attempts: number }>`
      update jobs set attempts = attempts + 1,
        locked_until = now() + make_interval(secs => ${lockSeconds}),
        locked_by = ${workerId}
      where id in (
        select id from jobs
        where completed_at is null and failed_at is null and run_at <= now()
          and (locked_until is null or locked_until < now())
          and queue = any(${queues}::text[])
        order by run_at, id
        limit ${batchSize}
        for update skip locked)
      returning id, queue, payload, attempts, max_attempts`.execute(db);
    return result.rows;
  }

  type Claimed = Awaited<ReturnType<typeof claim>>[number];

  /** Runs one job's handler; true when it succeeded (its completion is recorded with its batch's). */
  async function runOne(job: Claimed): Promise<boolean> {
    const handler = handlers[job.queue]!;
    try {
      await handler(job.payload, { id: job.id, attempt: job.attempts, queue: job.queue });
      return true;
    } catch (error) {
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      const final = job.attempts >= job.max_attempts;
      if (final) {
        await db.updateTable('jobs').set({ failed_at: sql`now()`, locked_until: null, last_error: message.slice(0, 2000) }).where('id', '=', job.id).execute();
        options.log?.error({ jobId: job.id, queue: job.queue, err: error }, 'job failed for good');
      } else {
        await db
          .updateTable('jobs')
          .set({ run_at: sql`now() + make_interval(secs => ${backoffSeconds(job.attempts)})`, locked_until: null, last_error: message.slice(0, 2000) })
          .where('id', '=', job.id)
          .execute();
        options.log?.warn({ jobId: job.id, queue: job.queue, attempt: job.attempts, err: message }, 'job will retry');
      }
      options.onOutcome?.(job.queue, final ? 'failed' : 'retried');
      return false;
    }
  }

  /** Runs every job due now (also used by tests and the CLI). Returns how many ran. */
  async function runDue(): Promise<number> {
    let total = 0;
    for (;;) {
      const jobs = await claim();
      const done: Claimed[] = [];
      for (const job of jobs) if (await runOne(job)) done.push(job);
      // One statement marks the batch's successes done. Should it never run (the process
      // dies first), their leases expire and they run again: handlers are idempotent.
      if (done.length > 0) {
        await completeJobs(db, { ids: done.map((j) => j.id), workerId });
        for (const job of done) options.onOutcome?.(job.queue, 'completed');
      }
      total += jobs.length;
      if (jobs.length < batchSize) return total;
    }
  }

  function schedule() {
    if (stopped) return;
    timer = setTimeout(async () => {
      running = runDue().catch((error) => {
        options.log?.error({ err: error }, 'job runner poll failed');
        return 0;
      });
      await running;
      running = undefined;
      schedule();
    }, options.pollMs);
    timer.unref();
  }

  return {
    workerId,
    runDue,
    start() {
      if (!stopped) return;
      stopped = false;
      schedule();
    },
    /** Stops polling and waits for the jobs in hand to finish. */
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}

export type JobRunner = ReturnType<typeof createJobRunner>;
