import type { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import pg from 'pg';
import { mkdirSync } from 'node:fs';
import { PGliteDialect, type PGliteSession } from './pglite-dialect.ts';
import { startPGliteThread } from './pglite-thread.ts';
import type { DB } from './schema.ts';
import { startPGlite } from './pglite-types.ts';
import { runProceduresWith, type ProcedureRunner } from './beside-database.ts';
import { preparedSession } from './pglite-prepared.ts';

export type Db = Kysely<DB>;
export type Tx = Transaction<DB>;
/** Either the database or a transaction: what repositories take. */
export type Executor = Kysely<DB>;

export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
}

export interface Database {
  readonly kind: 'pglite' | 'postgres';
  readonly db: Db;
  /** Embedded database on this thread only: the PGlite instance (tests, CLI). */
  readonly pglite?: PGlite;
  /** Embedded database only: a gzipped tarball of its data directory (backups). */
  dumpDataDir?(): Promise<Blob>;
  poolStats(): PoolStats;
  /**
   * Embedded database on its own thread only: delivers the replies already waiting, at once
   * (the server calls it between requests; see pglite-thread.ts).
   */
  takeReplies?(): void;
  /**
   * Calls `listener` with the payload of each `pg_notify(channel, …)`, delivered when the
   * notifying transaction commits, from this instance or (on PostgreSQL) any other.
   * @returns a function that stops listening
   */
  listen(channel: string, listener: (payload: string) => void): Promise<() => void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl?: string | undefined;
  /** Directory of the embedded database; `memory://` keeps it in memory (tests). */
  dataDir: string;
  poolSize?: number;
  /** PostgreSQL only: schema to use as search_path (each test file gets its own). */
  schema?: string;
  /** Embedded database only: run PGlite on a thread of its own (the server does). */
  thread?: boolean;
}

const INT8 = 20;
// A `date` is a calendar day, not an instant: keep it as `YYYY-MM-DD` rather than a Date at
// some zone's midnight.
const DATE = 1082;
const asText = (value: string) => value;
const parseInt8 = (value: string) => Number(value);

/** Opens PostgreSQL when a URL is given, otherwise the embedded PGlite under dataDir. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.poolSize ?? 10, options.schema);
  return options.thread ? openPGliteThread(options.dataDir) : openPGlite(options.dataDir);
}

/** The embedded database's directory (created if needed), or undefined for memory. */
function pgdataOf(dataDir: string): string | undefined {
  if (dataDir.startsWith('memory://')) return undefined;
  mkdirSync(dataDir, { recursive: true });
  return `${dataDir}/pgdata`;
}

/** An embedded database over a PGlite session, here or on its own thread. */
function embedded(session: PGliteSession, onThisThread: boolean, parts: { pglite?: PGlite; takeReplies?(): void; run?: ProcedureRunner; dumpDataDir(): Promise<Blob>; listen(channel: string, listener: (payload: string) => void): Promise<() => void>; close(): Promise<void> }): Database {
  const dialect = new PGliteDialect(session, onThisThread);
  const db = new Kysely<DB>({ dialect });
  const run = parts.run;
  if (run) runProceduresWith(db, (module, name, args) => dialect.outsideTransactions(() => run(module, name, args)));
  let closed = false;
  return {
    kind: 'pglite',
    db,
    ...(parts.pglite ? { pglite: parts.pglite } : {}),
    ...(parts.takeReplies ? { takeReplies: parts.takeReplies } : {}),
    dumpDataDir: parts.dumpDataDir,
    listen: parts.listen,
    poolStats: () => ({ total: 1, idle: 1, waiting: 0 }),
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy();
      await parts.close();
    },
  };
}

async function openPGliteThread(dataDir: string): Promise<Database> {
  const thread = await startPGliteThread(pgdataOf(dataDir));
  return embedded(thread.session, false, { takeReplies: thread.takeReplies, run: thread.run, dumpDataDir: () => thread.dumpDataDir(), listen: (channel, listener) => thread.listen(channel, listener), close: () => thread.close() });
}

async function openPGlite(dataDir: string): Promise<Database> {
  const pgdata = pgdataOf(dataDir);
  const pglite = await startPGlite(pgdata);
  return embedded(preparedSession(pglite), true, {
    pglite,
    dumpDataDir: () => pglite.dumpDataDir('gzip'),
    listen: async (channel, listener) => {
      const stop = await pglite.listen(channel, listener);
      return () => void stop();
    },
    close: () => pglite.close(),
  });
}

async function openPostgres(url: string, poolSize: number, schema?: string): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8 ? parseInt8 : oid === DATE ? asText : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  await sql`select 1`.execute(db);
  let closed = false;

  // LISTEN needs a connection of its own, outside the pool, kept for as long as Nara runs;
  // when it drops, a new one listens again to every channel after a pause.
  const listeners = new Map<string, Set<(payload: string) => void>>();
  let listener: pg.Client | undefined;
  let connecting: Promise<pg.Client> | undefined;
  const connectListener = (): Promise<pg.Client> => {
    connecting ??= (async () => {
      const client = new pg.Client({ connectionString: url });
      client.on('notification', (n) => {
        for (const l of listeners.get(n.channel) ?? []) l(n.payload ?? '');
      });
      const reconnect = () => {
        if (listener !== client) return;
        listener = undefined;
        connecting = undefined;
        if (!closed) setTimeout(() => void connectListener().catch(() => undefined), 2000).unref();
      };
      client.on('error', reconnect);
      client.on('end', reconnect);
      await client.connect();
      for (const channel of listeners.keys()) await client.query(`listen ${pg.escapeIdentifier(channel)}`);
      listener = client;
      return client;
    })();
    return connecting;
  };
  return {
    kind: 'postgres',
    db,
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    async listen(channel, l) {
      let set = listeners.get(channel);
      if (!set) {
        set = new Set();
        listeners.set(channel, set);
        const client = listener ?? (await connectListener());
        if (listener === client) await client.query(`listen ${pg.escapeIdentifier(channel)}`);
      }
      set.add(l);
      return () => void set.delete(l);
    },
    async close() {
      if (closed) return;
      closed = true;
      const client = listener;
      listener = undefined;
      await client?.end().catch(() => undefined);
      await db.destroy();
    },
  };
}
