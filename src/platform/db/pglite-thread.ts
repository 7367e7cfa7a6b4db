import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { ThreadRequest, ThreadResponse } from './pglite-thread-worker.ts';
import { errorFromFields } from './beside-database.ts';
import type { PGliteSession } from './pglite-dialect.ts';

/** Each request kind without its id (assigned here). */
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

type Pending = { resolve: (response: ThreadResponse & { ok: true }) => void; reject: (error: Error) => void };

/**
 * PGlite on a thread of its own. The server's thread only sends SQL and receives rows;
 * the parsing, planning and executing (most of a request's CPU on the embedded database)
 * happen elsewhere, so a burst of queries no longer holds up every other request.
 */
export async function startPGliteThread(dataDir: string | undefined) {
  // Replies come over a port of their own, so that the server's thread can also take them
  // synchronously (`takeReplies`) between requests instead of only once per event-loop turn.
  const { port1: replies, port2 } = new MessageChannel();
  const worker = new Worker(new URL('./pglite-thread-worker.ts', import.meta.url), { workerData: { dataDir, replies: port2 }, transferList: [port2] });
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let failure: Error | undefined;

  await new Promise<void>((resolve, reject) => {
    worker.once('message', (message: { ready?: true; failed?: string }) => (message.ready ? resolve() : reject(new Error(`the embedded database did not start: ${message.failed}`))));
    worker.once('error', reject);
  });
  const listeners = new Map<string, Set<(payload: string) => void>>();
  const receive = (response: ThreadResponse | { notification: { channel: string; payload: string } }) => {
    if ('notification' in response) {
      for (const listener of listeners.get(response.notification.channel) ?? []) listener(response.notification.payload);
      return;
    }
    const waiting = pending.get(response.id);
    if (!waiting) return;
    pending.delete(response.id);
    if (response.ok) waiting.resolve(response);
    else waiting.reject(errorFromFields(response.error));
  };
  replies.on('message', receive);
  const fail = (error: Error) => {
    failure = error;
    for (const waiting of pending.values()) waiting.reject(error);
    pending.clear();
  };
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`the embedded database thread stopped (exit ${code})`)));

  function send(request: WithoutId<ThreadRequest>): Promise<ThreadResponse & { ok: true }> {
    if (failure) return Promise.reject(failure);
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker.postMessage({ ...request, id });
    });
  }

  const session: PGliteSession = {
    async query<R>(sql: string, params: unknown[] = []) {
      const result = await send({ op: 'query', sql, params });
      return { rows: result.rows as R[], affectedRows: result.affectedRows };
    },
    async exec(sql: string) {
      const result = await send({ op: 'exec', sql });
      return [{ rows: result.rows, affectedRows: result.affectedRows }];
    },
  };
  return {
    session,
    /**
     * Takes every reply already waiting, at once. Under load the event loop serves every
     * request that arrived before it looks at the database's replies again; called between
     * requests, this lets a transaction's next statement go out within a request's time, not
     * a whole turn's, so a write holds the single session for its own work only.
     */
    takeReplies() {
      if (pending.size === 0) return;
      for (let message = receiveMessageOnPort(replies); message; message = receiveMessageOnPort(replies)) {
        const reply = message.message as Parameters<typeof receive>[0];
        // A notification's listeners run as they would from the event loop, not inside
        // whichever request happened to take it (whose response they must not break).
        if ('notification' in reply) queueMicrotask(() => receive(reply));
        else receive(reply);
      }
    },
    /**
     * Runs a procedure (beside-database.ts) on the database's thread, with a Kysely of its
     * own there; requests sent meanwhile wait on that thread until it ends. The caller makes
     * sure no transaction of its own is open (PGliteDialect.outsideTransactions).
     */
    async run(module: string, name: string, args: unknown): Promise<unknown> {
      return (await send({ op: 'run', module, name, args })).value;
    },
    /** Calls `listener` with each NOTIFY payload on `channel`, after the notifying transaction commits. */
    async listen(channel: string, listener: (payload: string) => void): Promise<() => void> {
      let set = listeners.get(channel);
      if (!set) {
        set = new Set();
        listeners.set(channel, set);
        await send({ op: 'listen', channel });
      }
      set.add(listener);
      return () => void set.delete(listener);
    },
    async dumpDataDir(): Promise<Blob> {
      const result = await send({ op: 'dump' });
      return new Blob([new Uint8Array(result.bytes!)]);
    },
    async close() {
      if (failure) return;
      await send({ op: 'close' });
      await worker.terminate();
      replies.close();
    },
  };
}
