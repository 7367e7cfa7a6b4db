import { fork, type ChildProcess } from 'node:child_process';
import { availableParallelism, setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Options } from '@node-rs/argon2';
import type { HashRequest, HashResponse } from './password-hasher-worker.ts';

type Job = { request: HashRequest; resolve: (value: string | boolean) => void; reject: (error: Error) => void; retried?: boolean };

/** A hashing process died with the job in hand, twice: not an answer about the password. */
export class HasherUnavailableError extends Error {
  constructor() {
    super('password hashing is unavailable: its process stopped');
    this.name = 'HasherUnavailableError';
  }
}
type Hasher = { child: ChildProcess; inFlight: Job[] };

/** Jobs sent ahead to each process, so it never sits idle waiting for the server to reply. */
const AHEAD = 2;

/**
 * Argon2id off the server's process: one low-priority process per core. Each hash maps
 * and unmaps 19 MiB; in a process of its own that churn does not contend with the
 * server's threads for the address space, and at the lowest priority the hashing takes
 * every spare cycle while the server still answers every other request at once.
 * Processes start on first use and keep the server alive only while they have work.
 */
export function createPasswordHasher(size = availableParallelism()) {
  const entry = fileURLToPath(new URL('./password-hasher-worker.ts', import.meta.url));
  const hashers: Hasher[] = [];
  const queue: Job[] = [];
  let nextId = 1;

  const hold = (hasher: Hasher, held: boolean) => {
    const method = held ? 'ref' : 'unref';
    hasher.child[method]();
    hasher.child.channel?.[method]();
  };

  function spawn(): Hasher {
    const child = fork(entry, [], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'advanced',
      // No allocator settings: the library's own allocator (mimalloc, linked into it) maps
      // each hash's 19 MiB afresh whatever glibc's or mimalloc's variables say (measured:
      // 265 page faults and 2–3 ms of kernel time per verification with any of them).
    });
    const hasher: Hasher = { child, inFlight: [] };
    try {
      if (child.pid) setPriority(child.pid, 19);
    } catch {
      // not permitted here: normal priority
    }
    child.on('message', (response: HashResponse) => {
      // One job at a time, in order: the answer is for the oldest job sent; its id must say so.
      const job = hasher.inFlight[0];
      if (!job || job.request.id !== response.id) {
        child.kill();
        return;
      }
      hasher.inFlight.shift();
      if (!response.ok) job.reject(new Error(response.error));
      else if (job.request.op === 'verify' && typeof response.value !== 'boolean') job.reject(new Error('a verification answered with something other than yes or no'));
      else job.resolve(response.value);
      pump();
      if (hasher.inFlight.length === 0) hold(hasher, false);
    });
    // A failed fork or a send to a process that is going away: treated as its exit.
    child.on('error', () => child.kill());
    child.on('exit', () => {
      const at = hashers.indexOf(hasher);
      if (at === -1) return;
      hashers.splice(at, 1);
      // Jobs it held go to another process once; a second loss is an error.
      for (const job of hasher.inFlight.splice(0)) {
        if (job.retried) job.reject(new HasherUnavailableError());
        else queue.unshift({ ...job, retried: true });
      }
      pump();
    });
    hashers.push(hasher);
    return hasher;
  }

  function pump() {
    while (queue.length > 0) {
      // An idle process; else a new one while there are fewer than `size`; else the least busy with room.
      const leastBusy = hashers.reduce<Hasher | undefined>((best, h) => (h.inFlight.length < AHEAD && (!best || h.inFlight.length < best.inFlight.length) ? h : best), undefined);
      const target = leastBusy && leastBusy.inFlight.length === 0 ? leastBusy : hashers.length < size ? spawn() : leastBusy;
      if (!target) return;
      const job = queue.shift()!;
      target.inFlight.push(job);
      hold(target, true);
      target.child.send(job.request, (error) => {
        if (error) target.child.kill();
      });
    }
  }

  function run(request: HashRequest): Promise<string | boolean> {
    return new Promise((resolve, reject) => {
      queue.push({ request, resolve, reject });
      pump();
    });
  }

  return {
    /** the processes now running (tests) */
    pids: () => hashers.map((h) => h.child.pid),
    hash: async (password: string, params: Options) => (await run({ id: nextId++, op: 'hash', password, params })) as string,
    verify: async (stored: string, password: string) => (await run({ id: nextId++, op: 'verify', stored, password })) as boolean,
  };
}
