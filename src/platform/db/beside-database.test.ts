import { test } from 'node:test';
import assert from 'node:assert/strict';
import { threadId } from 'node:worker_threads';
import { openDatabase, type Database } from './database.ts';
import { loadMigrations, migrate } from './migrate.ts';
import { migrationSources } from '../../app.ts';
import { DomainError } from '../http/errors.ts';
import { countHits } from './beside-database-test-procedures.ts';
import { besideTheDatabase } from './beside-database.ts';

/** Runs `check` against a migrated in-memory database, on a thread of its own or not, and closes it. */
async function withDatabase(thread: boolean, check: (database: Database) => Promise<void>): Promise<void> {
  const database = await openDatabase({ dataDir: 'memory://', thread });
  try {
    await migrate(database.db, loadMigrations(migrationSources));
    await check(database);
  } finally {
    await database.close();
  }
}
const hitsOf = async (database: Database, key: string) => (await database.db.selectFrom('rate_limits').select('hits').where('key', '=', key).executeTakeFirst())?.hits;

test('with the embedded database on its own thread, a procedure runs there and its rows are committed', async () => {
  await withDatabase(true, async (database) => {
    const result = await countHits(database.db, { key: 'a' });
    assert.notEqual(result.threadId, threadId, 'ran on the database thread');
    assert.equal(result.key, 'a');
    assert.equal(await hitsOf(database, 'a'), 2);
  });
});

test('a procedure’s DomainError comes back as a DomainError with its details, and its transaction is rolled back', async () => {
  await withDatabase(true, async (database) => {
    await assert.rejects(countHits(database.db, { key: 'b', fail: 'domain' }), (error: unknown) => {
      assert.ok(error instanceof DomainError);
      assert.equal(error.code, 'VALIDATION_FAILED');
      assert.equal(error.status, 422);
      assert.deepEqual(error.details.fields, [{ field: 'key', messageKey: 'form.required' }]);
      return true;
    });
    assert.equal(await hitsOf(database, 'b'), undefined, 'nothing of the failed transaction is left');
    await assert.rejects(countHits(database.db, { key: 'c', fail: 'duplicate' }), (error: Error & { code?: string }) => error.code === '23505');
    assert.equal(await hitsOf(database, 'c'), undefined);
    // The session is usable afterwards: no transaction was left open.
    await countHits(database.db, { key: 'd' });
    assert.equal(await hitsOf(database, 'd'), 2);
  });
});

test('while a procedure’s transaction is open, other queries wait for it and never see it half done', async () => {
  await withDatabase(true, async (database) => {
    const running = countHits(database.db, { key: 'e', holdSeconds: 0.3 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    // Sent while the row exists with one hit, uncommitted: it must wait and see the end.
    const [seen, other] = await Promise.all([hitsOf(database, 'e'), database.db.transaction().execute(async (tx) => (await tx.selectFrom('rate_limits').select('hits').where('key', '=', 'e').executeTakeFirst())?.hits)]);
    await running;
    assert.equal(seen, 2);
    assert.equal(other, 2);
  });
});

test('without a database thread (PGlite here, or PostgreSQL), a procedure runs on the calling thread', async () => {
  await withDatabase(false, async (database) => {
    const result = await countHits(database.db, { key: 'f' });
    assert.equal(result.threadId, threadId);
    assert.equal(await hitsOf(database, 'f'), 2);
    await assert.rejects(countHits(database.db, { key: 'g', fail: 'domain' }), DomainError);
  });
});

test('the database thread refuses to run an export that is not a procedure', async () => {
  const database = await openDatabase({ dataDir: 'memory://', thread: true });
  try {
    const pretender = besideTheDatabase(new URL('./beside-database-test-procedures.ts', import.meta.url).href, 'notAProcedure', async () => 'here');
    await assert.rejects(pretender(database.db, {}), /notAProcedure in .* is not a procedure/);
  } finally {
    await database.close();
  }
});
