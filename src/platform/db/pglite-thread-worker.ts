// The embedded database's own thread (see pglite-thread.ts): PGlite runs here, so that
// executing SQL never occupies the thread that serves HTTP.
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { lowerThreadPriority } from '../threads/thread-priority.ts';
import { pgliteParsers, pgliteSerializers } from './pglite-types.ts';

export type ThreadRequest =
  | { id: number; op: 'query'; sql: string; params: unknown[] }
  | { id: number; op: 'exec'; sql: string }
  | { id: number; op: 'dump' }
  | { id: number; op: 'listen'; channel: string }
  | { id: number; op: 'close' };

export type ThreadResponse =
  | { id: number; ok: true; rows: unknown[]; affectedRows: number | undefined; bytes?: Uint8Array }
  | { id: number; ok: false; error: Record<string, unknown> };

const { dataDir, replies } = workerData as { dataDir: string | undefined; replies: MessagePort };

// Below the HTTP thread, above password hashing: a request's queries come before the next
// request's hashing, and a health check comes before both.
lowerThreadPriority(5);

async function main() {
  const pglite = await PGlite.create({ ...(dataDir ? { dataDir } : {}), parsers: pgliteParsers, serializers: pgliteSerializers });
  const port = parentPort!;
  port.on('message', async (request: ThreadRequest) => {
    let response: ThreadResponse;
    try {
      if (request.op === 'query') {
        const result = await pglite.query(request.sql, request.params);
        response = { id: request.id, ok: true, rows: result.rows, affectedRows: result.affectedRows };
      } else if (request.op === 'exec') {
        const result = (await pglite.exec(request.sql)).at(-1);
        response = { id: request.id, ok: true, rows: result?.rows ?? [], affectedRows: result?.affectedRows ?? 0 };
      } else if (request.op === 'listen') {
        // Notifications cross to the other thread as messages without an id, on the replies'
        // port, in order with them.
        await pglite.listen(request.channel, (payload) => replies.postMessage({ notification: { channel: request.channel, payload } }));
        response = { id: request.id, ok: true, rows: [], affectedRows: undefined };
      } else if (request.op === 'dump') {
        const dump = await pglite.dumpDataDir('gzip');
        response = { id: request.id, ok: true, rows: [], affectedRows: undefined, bytes: new Uint8Array(await dump.arrayBuffer()) };
      } else {
        await pglite.close();
        response = { id: request.id, ok: true, rows: [], affectedRows: undefined };
      }
    } catch (error) {
      // A database error's fields (code, detail, constraint, ...) survive the crossing.
      const fields: Record<string, unknown> = { message: error instanceof Error ? error.message : String(error) };
      if (error && typeof error === 'object') for (const [key, value] of Object.entries(error)) if (typeof value !== 'function' && typeof value !== 'object') fields[key] = value;
      response = { id: request.id, ok: false, error: fields };
    }
    replies.postMessage(response);
  });
  port.postMessage({ ready: true });
}

main().catch((error) => parentPort!.postMessage({ failed: error instanceof Error ? (error.stack ?? error.message) : String(error) }));
