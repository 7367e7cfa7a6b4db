import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { openDatabase } from './database.ts';
import { loadMigrations, migrate, pendingMigrations } from './migrate.ts';
import { testDatabase } from '../../../test/support/test-app.ts';

function sources() {
  const dir = mkdtempSync(path.join(tmpdir(), 'nara-mig-'));
  writeFileSync(path.join(dir, '001-first.sql'), 'create table t_first (id int); insert into t_first values (1);');
  writeFileSync(path.join(dir, '002-second.sql'), 'create table t_second (id int);');
  writeFileSync(path.join(dir, 'notes.txt'), 'ignored');
  return { dir, list: [{ owner: 'demo', dir }] };
}

test('migrations apply in order, are recorded, and are not applied twice', async () => {
  const database = await openDatabase({ dataDir: 'memory://' });
  const { list } = sources();
  const migrations = loadMigrations(list);
  assert.deepEqual(migrations.map((m) => m.id), ['demo/001-first', 'demo/002-second']);
  assert.deepEqual(await pendingMigrations(database.db, migrations), ['demo/001-first', 'demo/002-second']);
  assert.deepEqual(await migrate(database.db, migrations), ['demo/001-first', 'demo/002-second']);
  assert.deepEqual(await migrate(database.db, migrations), []);
  assert.deepEqual(await pendingMigrations(database.db, migrations), []);
  const rows = await sql<{ n: number }>`select count(*)::int as n from t_first`.execute(database.db);
  assert.equal(rows.rows[0]!.n, 1, 'the first script ran once');
  await database.close();
});

test('a failing migration leaves nothing behind and stops the ones after it', async () => {
  const database = await openDatabase({ dataDir: 'memory://' });
  const { dir, list } = sources();
  writeFileSync(path.join(dir, '002-second.sql'), 'create table t_half (id int); select * from no_such_table;');
  writeFileSync(path.join(dir, '003-third.sql'), 'create table t_third (id int);');
  await assert.rejects(migrate(database.db, loadMigrations(list)));
  const half = await sql<{ t: string | null }>`select to_regclass('t_half')::text as t`.execute(database.db);
  assert.equal(half.rows[0]!.t, null, 'the failed migration rolled back');
  assert.deepEqual(await pendingMigrations(database.db, loadMigrations(list)), ['demo/002-second', 'demo/003-third']);
  await database.close();
});

test('editing an applied migration is refused', async () => {
  const database = await openDatabase({ dataDir: 'memory://' });
  const { dir, list } = sources();
  await migrate(database.db, loadMigrations(list));
  writeFileSync(path.join(dir, '001-first.sql'), 'create table t_first (id bigint);');
  await assert.rejects(migrate(database.db, loadMigrations(list)), /changed after it was applied/);
  await database.close();
});

test('two instances migrating at once apply each migration exactly once', async () => {
  const database = await testDatabase(); // already migrated with Nara's own migrations
  const { list } = sources();
  const migrations = loadMigrations(list);
  const [a, b] = await Promise.all([migrate(database.db, migrations), migrate(database.db, migrations)]);
  assert.deepEqual([...a, ...b].sort(), ['demo/001-first', 'demo/002-second']);
  const rows = await sql<{ n: number }>`select count(*)::int as n from t_first`.execute(database.db);
  assert.equal(rows.rows[0]!.n, 1);
  await database.close();
});
