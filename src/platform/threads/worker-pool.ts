import { availableParallelism } from 'node:os';
import { parentPort, Worker, type TransferListItem } from 'node:worker_threads';

/** What the pool sends a worker: one job. */
interface JobMessage<Req> {
  id: number;
  request: Req;
}

/** What a worker sends back for a job. */
type ReplyMessage<Res> = { id: number; ok: true; value: Res } | { id: number; ok: false; error: { name: string; message: string; code?: string } };

/** A job's thread stopped (crash, `process.exit`, out of memory) before it replied, on its last allowed attempt. */
export class WorkerLostError extends Error {
  readonly code = 'WORKER_LOST';
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'WorkerLostError';
  }
}

/** The pool was closed before the job finished. */
export class WorkerPoolClosedError extends Error {
  readonly code = 'WORKER_POOL_CLOSED';
  constructor(poolName: string) {
    super(`the worker pool "${poolName}" is closed`);
    this.name = 'WorkerPoolClosedError';
  }
}

/** The worker's handler threw: carries the handler's message, and its name and code when it had them. */
export class WorkerJobError extends Error {
  readonly code: string | undefined;
  readonly remoteName: string;
  constructor(error: { name: string; message: string; code?: string }) {
    super(error.message);
    this.name = 'WorkerJobError';
    this.remoteName = error.name;
    this.code = error.code;
  }
}

export interface WorkerPoolOptions {
  /** The worker's entry file; it calls `serveWorker`. */
  entry: URL;
  /** How many threads at most; default one per CPU the process may use. */
  size?: number;
  /** Names the threads (`name-1`, …) in errors, inspectors and heap snapshots. */
  name: string;
}

export interface WorkerPool<Req, Res> {
  /**
   * Runs one job on the first free thread, in the order asked. Rejects with the handler's
   * message as a `WorkerJobError`, with `WorkerLostError` when the job's thread died twice
   * (or once, when `transfer` moved the request's memory away), and with
   * `WorkerPoolClosedError` after `close()`.
   */
  run(request: Req, transfer?: readonly TransferListItem[]): Promise<Res>;
  /** Stops every thread; jobs running or waiting are rejected. */
  close(): Promise<void>;
  readonly size: number;
}

interface Job<Req, Res> {
  id: number;
  request: Req;
  transfer: readonly TransferListItem[] | undefined;
  attempts: number;
  resolve: (value: Res) => void;
  reject: (error: Error) => void;
}

interface Slot<Req, Res> {
  worker: Worker;
  label: string;
  job: Job<Req, Res> | undefined;
  /** The last 'error' event, to explain the 'exit' that follows it. */
  failure: Error | undefined;
  gone: boolean;
}

/** How many times a job may be started: a thread lost under it is forgiven once. */
const MAX_ATTEMPTS = 2;

/**
 * A fixed-size set of worker threads that run one job each at a time, in arrival order.
 * Threads start on demand and hold the process open only while they have a job, so a
 * pool that is never closed does not stop the process from exiting.
 */
export function createWorkerPool<Req, Res>(options: WorkerPoolOptions): WorkerPool<Req, Res> {
  const size = Math.max(1, Math.floor(options.size ?? availableParallelism()));
  const slots = new Set<Slot<Req, Res>>();
  const queue: Job<Req, Res>[] = [];
  let nextJobId = 1;
  let started = 0;
  let closed = false;

  function spawn(): Slot<Req, Res> {
    const label = `${options.name}-${++started}`;
    const worker = new Worker(options.entry, { name: label });
    const slot: Slot<Req, Res> = { worker, label, job: undefined, failure: undefined, gone: false };
    worker.on('message', (reply: ReplyMessage<Res>) => {
      const job = slot.job;
      if (!job || reply.id !== job.id) return;
      finish(slot);
      if (reply.ok) job.resolve(reply.value);
      else job.reject(new WorkerJobError(reply.error));
    });
    // The reply could not be deserialised here; with one job per thread it can only be this one's.
    worker.on('messageerror', (error) => {
      const job = slot.job;
      if (!job) return;
      finish(slot);
      job.reject(new WorkerJobError({ name: error.name, message: `the reply of ${label} could not be read: ${error.message}` }));
    });
    worker.on('error', (error) => {
      slot.failure = error;
    });
    worker.on('exit', (exitCode) => lost(slot, exitCode));
    slots.add(slot);
    return slot;
  }

  function finish(slot: Slot<Req, Res>) {
    slot.job = undefined;
    slot.worker.unref();
    dispatch();
  }

  function lost(slot: Slot<Req, Res>, exitCode: number) {
    if (slot.gone) return;
    slot.gone = true;
    slots.delete(slot);
    const job = slot.job;
    slot.job = undefined;
    if (!job || closed) return;
    const why = slot.failure ? `: ${slot.failure.message}` : '';
    if (job.attempts >= MAX_ATTEMPTS) {
      job.reject(new WorkerLostError(`job ${job.id} lost its thread ${MAX_ATTEMPTS} times; last ${slot.label} exited with code ${exitCode}${why}`, { cause: slot.failure }));
    } else if (job.transfer?.length) {
      // The transferred memory went down with the thread: there is nothing left to send again.
      job.reject(new WorkerLostError(`job ${job.id} lost its thread (${slot.label} exited with code ${exitCode}${why}) and cannot be retried: its request was transferred`, { cause: slot.failure }));
    } else {
      // Ahead of the queue: this job has waited longest.
      queue.unshift(job);
    }
    dispatch();
  }

  function dispatch() {
    while (!closed && queue.length > 0) {
      let slot: Slot<Req, Res> | undefined;
      for (const candidate of slots) {
        if (!candidate.job && !candidate.gone) {
          slot = candidate;
          break;
        }
      }
      if (!slot && slots.size < size) slot = spawn();
      if (!slot) return;
      const job = queue.shift()!;
      job.attempts += 1;
      slot.job = job;
      slot.worker.ref();
      try {
        slot.worker.postMessage({ id: job.id, request: job.request } satisfies JobMessage<Req>, job.transfer);
      } catch (error) {
        // Not cloneable: the request is at fault, not the thread, which stays free.
        slot.job = undefined;
        slot.worker.unref();
        job.reject(error instanceof Error ? error : new Error(String(error)));
      }
    }
  }

  return {
    size,
    run(request, transfer) {
      if (closed) return Promise.reject(new WorkerPoolClosedError(options.name));
      return new Promise<Res>((resolve, reject) => {
        queue.push({ id: nextJobId++, request, transfer, attempts: 0, resolve, reject });
        dispatch();
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      const error = new WorkerPoolClosedError(options.name);
      for (const job of queue.splice(0)) job.reject(error);
      const stopping: Promise<number>[] = [];
      for (const slot of slots) {
        slot.job?.reject(error);
        slot.job = undefined;
        stopping.push(slot.worker.terminate());
      }
      slots.clear();
      await Promise.all(stopping);
    },
  };
}

export interface ServeWorkerOptions<Res> {
  /** What to move rather than copy back to the pool, e.g. a result's ArrayBuffer. */
  transfer?: (value: Res) => readonly TransferListItem[];
}

/**
 * The worker side of `createWorkerPool`: the entry file calls this once with the function
 * that does one job. A thrown error reaches the caller as a `WorkerJobError` with its message.
 */
export function serveWorker<Req, Res>(handler: (request: Req) => Promise<Res> | Res, options: ServeWorkerOptions<Res> = {}): void {
  const port = parentPort;
  if (!port) throw new Error('serveWorker is for the entry file of a worker thread');
  port.on('message', async ({ id, request }: JobMessage<Req>) => {
    let reply: ReplyMessage<Res>;
    try {
      const value = await handler(request);
      port.postMessage({ id, ok: true, value } satisfies ReplyMessage<Res>, options.transfer?.(value));
      return;
    } catch (error) {
      reply = { id, ok: false, error: describe(error) };
    }
    port.postMessage(reply);
  });
}

function describe(error: unknown): { name: string; message: string; code?: string } {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const code = (error as { code?: unknown }).code;
  return { name: error.name, message: error.message, ...(typeof code === 'string' ? { code } : {}) };
}
