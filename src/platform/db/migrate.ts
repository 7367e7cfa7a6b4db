import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import type { Db } from './database.ts';

export interface MigrationSource {
  /** the owner of the tables: `platform` or a module name */
  owner: string;
  dir: string;
}

export interface Migration {
  id: string;
  checksum: string;
  script: string;
}

// Any constant works; it only has to be the same for every instance of Nara.
const MIGRATION_LOCK = 7_261_122;

/** Reads `NNN-name.sql` files of each source, in source order then file order. */
export function loadMigrations(sources: MigrationSource[]): Migration[] {
  const migrations: Migration[] = [];
  for (const source of sources) {
    if (!existsSync(source.dir)) continue;
    const files = readdirSync(source.dir).filter((f) => /^\d{3}-[a-z0-9-]+\.sql$/.test(f)).sort();
    for (const file of files) {
      const script = readFileSync(path.join(source.dir, file), 'utf8');
      migrations.push({
        id: `${source.owner}/${file.replace(/\.sql$/, '')}`,
        checksum: createHash('sha256').update(script).digest('hex'),
        script,
      });
    }
  }
  return migrations;
}

async function ensureTable(db: Db) {
  await db.transaction().execute(async (tx) => {
    await sql`select pg_advisory_xact_lock(${MIGRATION_LOCK})`.execute(tx);
    await sql`create table if not exists schema_migrations (
      id text primary key,
      checksum text not null,
      applied_at timestamptz not null default now()
    )`.execute(tx);
  });
}

/**
 * Applies every migration not yet recorded, each in its own transaction under an
 * advisory lock, so two instances starting together apply each one exactly once.
 * A recorded migration whose file has changed stops the run: migrations are facts.
 * @returns the ids applied by this call
 */
export async function migrate(db: Db, migrations: Migration[]): Promise<string[]> {
  await ensureTable(db);
  const applied: string[] = [];
  for (const m of migrations) {
    await db.transaction().execute(async (tx) => {
      await sql`select pg_advisory_xact_lock(${MIGRATION_LOCK})`.execute(tx);
      const done = await tx.selectFrom('schema_migrations').select('checksum').where('id', '=', m.id).executeTakeFirst();
      if (done) {
        if (done.checksum !== m.checksum) throw new Error(`Migration ${m.id} was changed after it was applied; add a new migration instead`);
        return;
      }
      await sql.raw(m.script).execute(tx);
      await tx.insertInto('schema_migrations').values({ id: m.id, checksum: m.checksum }).execute();
      applied.push(m.id);
    });
  }
  return applied;
}

/** Migrations on disk that the database has not recorded (for /readyz and `nara doctor`). */
export async function pendingMigrations(db: Db, migrations: Migration[]): Promise<string[]> {
  const exists = await sql<{ t: string | null }>`select to_regclass('schema_migrations')::text as t`.execute(db);
  if (!exists.rows[0]?.t) return migrations.map((m) => m.id);
  const rows = await db.selectFrom('schema_migrations').select('id').execute();
  const recorded = new Set(rows.map((r) => r.id));
  return migrations.filter((m) => !recorded.has(m.id)).map((m) => m.id);
}
