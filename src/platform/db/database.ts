import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import pg from 'pg';
import { mkdirSync } from 'node:fs';
import { PGliteDialect } from './pglite-dialect.ts';
import { startPGliteThread } from './pglite-thread.ts';
import type { DB } from './schema.ts';

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
const parseInt8 = (value: string) => Number(value);

/** Opens PostgreSQL when a URL is given, otherwise the embedded PGlite under dataDir. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.poolSize ?? 10, options.schema);
  return options.thread ? openPGliteThread(options.dataDir) : openPGlite(options.dataDir);
}

async function openPGliteThread(dataDir: string): Promise<Database> {
  const memory = dataDir.startsWith('memory://');
  if (!memory) mkdirSync(dataDir, { recursive: true });
  const thread = await startPGliteThread(memory ? undefined : `${dataDir}/pgdata`);
  const db = new Kysely<DB>({ dialect: new PGliteDialect(thread.session, false) });
  let closed = false;
  return {
    kind: 'pglite',
    db,
    dumpDataDir: () => thread.dumpDataDir(),
    poolStats: () => ({ total: 1, idle: 1, waiting: 0 }),
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy();
      await thread.close();
    },
  };
}

async function openPGlite(dataDir: string): Promise<Database> {
  const memory = dataDir.startsWith('memory://');
  if (!memory) mkdirSync(dataDir, { recursive: true });
  const pglite = await PGlite.create({
    ...(memory ? {} : { dataDir: `${dataDir}/pgdata` }),
    parsers: { [INT8]: parseInt8 },
  });
  const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite) });
  let closed = false;
  return {
    kind: 'pglite',
    db,
    pglite,
    dumpDataDir: () => pglite.dumpDataDir('gzip'),
    poolStats: () => ({ total: 1, idle: 1, waiting: 0 }),
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy();
      await pglite.close();
    },
  };
}

async function openPostgres(url: string, poolSize: number, schema?: string): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8 ? parseInt8 : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  await sql`select 1`.execute(db);
  let closed = false;
  return {
    kind: 'postgres',
    db,
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy();
    },
  };
}
