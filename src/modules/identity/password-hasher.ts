import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Options } from '@node-rs/argon2';
import type { HashRequest, HashResponse } from './password-hasher-worker.ts';

type Job = { request: HashRequest; resolve: (value: string | boolean) => void; reject: (error: Error) => void };

/**
 * Argon2id off the event loop, on one low-priority thread per core. Under a storm of
 * sign-ins the hashing takes every spare cycle while the event loop's thread, at normal
 * priority, still answers every other request at once. Threads start on first use and
 * keep the process alive only while they have work.
 */
export function createPasswordHasher(size = availableParallelism()) {
  const workerUrl = new URL('./password-hasher-worker.ts', import.meta.url);
  const idle: Worker[] = [];
  const busy = new Map<Worker, Job>();
  const queue: Job[] = [];
  let started = 0;
  let nextId = 1;

  function spawn(): Worker {
    const worker = new Worker(workerUrl);
    started++;
    worker.on('message', (response: HashResponse) => {
      const job = busy.get(worker);
      busy.delete(worker);
      if (job) {
        if (response.ok) job.resolve(response.value);
        else job.reject(new Error(response.error));
      }
      release(worker);
    });
    worker.on('error', (error) => {
      const job = busy.get(worker);
      busy.delete(worker);
      job?.reject(error);
    });
    worker.on('exit', () => {
      started--;
      const job = busy.get(worker);
      busy.delete(worker);
      job?.reject(new Error('password hashing thread stopped'));
      const at = idle.indexOf(worker);
      if (at !== -1) idle.splice(at, 1);
      pump();
    });
    return worker;
  }

  function release(worker: Worker) {
    const next = queue.shift();
    if (next) return assign(worker, next);
    worker.unref();
    idle.push(worker);
  }

  function assign(worker: Worker, job: Job) {
    busy.set(worker, job);
    worker.ref();
    worker.postMessage(job.request);
  }

  function pump() {
    while (queue.length > 0) {
      const worker = idle.pop() ?? (started < size ? spawn() : undefined);
      if (!worker) return;
      assign(worker, queue.shift()!);
    }
  }

  function run(request: HashRequest): Promise<string | boolean> {
    return new Promise((resolve, reject) => {
      queue.push({ request, resolve, reject });
      pump();
    });
  }

  return {
    hash: async (password: string, params: Options) => (await run({ id: nextId++, op: 'hash', password, params })) as string,
    verify: async (stored: string, password: string) => (await run({ id: nextId++, op: 'verify', stored, password })) as boolean,
    async close() {
      await Promise.all([...idle, ...busy.keys()].map((w) => w.terminate()));
    },
  };
}
