// The embedded database's own thread (see pglite-thread.ts): PGlite runs here, so that
// executing SQL never occupies the thread that serves HTTP.
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { Kysely } from 'kysely';
import { startPGlite } from './pglite-types.ts';
import { PGliteDialect } from './pglite-dialect.ts';
import { errorFields, procedureOf } from './beside-database.ts';
import { preparedSession } from './pglite-prepared.ts';
import type { DB } from './schema.ts';

export type ThreadRequest =
  | { id: number; op: 'query'; sql: string; params: unknown[] }
  | { id: number; op: 'exec'; sql: string }
  | { id: number; op: 'dump' }
  | { id: number; op: 'listen'; channel: string }
  /** a procedure (beside-database.ts): the other side sends nothing else until it answers */
  | { id: number; op: 'run'; module: string; name: string; args: unknown }
  | { id: number; op: 'close' };

export type ThreadResponse =
  | { id: number; ok: true; rows: unknown[]; affectedRows: number | undefined; bytes?: Uint8Array; value?: unknown }
  | { id: number; ok: false; error: Record<string, unknown> };

const { dataDir, replies } = workerData as { dataDir: string | undefined; replies: MessagePort };

// At the HTTP thread's priority. One notch below (nice 5) starved it whenever the HTTP
// thread and the load were busy: a transaction run here (beside-database.ts) then held the
// single session far longer than its own work while every other query waited (S2 writers
// reached 50–62 of 73 submissions/s asked; at the same priority 68–72, with /healthz during
// the login storm no slower). Password hashing stays below both.

// Procedures by module and export name, found once: import() asks the module loader (and
// its hooks) again on every call, even for a module already loaded.
const procedures = new Map<string, NonNullable<ReturnType<typeof procedureOf>>>();

async function procedureNamed(module: string, name: string) {
  const key = `${module}#${name}`;
  let procedure = procedures.get(key);
  if (!procedure) {
    procedure = procedureOf(((await import(module)) as Record<string, unknown>)[name]);
    if (!procedure) throw new Error(`${name} in ${module} is not a procedure`);
    procedures.set(key, procedure);
  }
  return procedure;
}

/** Queries run ahead of a waiting procedure at most, before it gets its turn. */
const QUERIES_PER_PROCEDURE = 16;

async function main() {
  const pglite = await startPGlite(dataDir);
  const session = preparedSession(pglite);
  const port = parentPort!;
  // Procedures' own Kysely, over PGlite on this thread; made on the first one.
  let db: Kysely<DB> | undefined;
  // One request at a time: a procedure's transaction then has the session to itself
  // without the other side holding its queries back meanwhile; they wait here, already
  // sent. Queries go in the order they came, and before waiting procedures: a query is
  // one statement, a procedure a whole transaction, so a page's reads do not queue behind
  // every submission sent before them (S2: its p99 under writes). A procedure still runs
  // after every QUERIES_PER_PROCEDURE queries, and never while a transaction of the other
  // side is open (it would run inside it): then only that transaction's statements come.
  const queries: ThreadRequest[] = [];
  const waitingProcedures: ThreadRequest[] = [];
  let working = false;
  let queriesSinceProcedure = 0;
  async function work() {
    if (working) return;
    working = true;
    try {
      for (;;) {
        const procedureDue = waitingProcedures.length > 0 && !pglite.isInTransaction() && (queries.length === 0 || queriesSinceProcedure >= QUERIES_PER_PROCEDURE);
        const next = procedureDue ? waitingProcedures.shift() : queries.shift();
        if (!next) return;
        queriesSinceProcedure = procedureDue ? 0 : queriesSinceProcedure + 1;
        await handle(next);
      }
    } finally {
      working = false;
    }
  }
  port.on('message', (request: ThreadRequest) => {
    (request.op === 'run' ? waitingProcedures : queries).push(request);
    void work();
  });
  async function handle(request: ThreadRequest) {
    let response: ThreadResponse;
    try {
      if (request.op === 'query') {
        const result = await session.query(request.sql, request.params);
        response = { id: request.id, ok: true, rows: result.rows, affectedRows: result.affectedRows };
      } else if (request.op === 'exec') {
        const result = (await session.exec(request.sql)).at(-1);
        response = { id: request.id, ok: true, rows: result?.rows ?? [], affectedRows: result?.affectedRows ?? 0 };
      } else if (request.op === 'run') {
        const procedure = await procedureNamed(request.module, request.name);
        db ??= new Kysely<DB>({ dialect: new PGliteDialect(session, true) });
        response = { id: request.id, ok: true, rows: [], affectedRows: undefined, value: await procedure(db, request.args) };
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
      response = { id: request.id, ok: false, error: errorFields(error) };
    }
    replies.postMessage(response);
  }
  port.postMessage({ ready: true });
}

main().catch((error) => parentPort!.postMessage({ failed: error instanceof Error ? (error.stack ?? error.message) : String(error) }));
