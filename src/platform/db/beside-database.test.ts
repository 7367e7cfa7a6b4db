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

test('while a procedure waits on a timer mid-transaction, queries sent meanwhile wait on the database thread and never see it half done', async () => {
  await withDatabase(true, async (database) => {
    const running = countHits(database.db, { key: 'f', awaitMs: 300 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = performance.now();
    const [seen, other] = await Promise.all([hitsOf(database, 'f'), database.db.transaction().execute(async (tx) => (await tx.selectFrom('rate_limits').select('hits').where('key', '=', 'f').executeTakeFirst())?.hits)]);
    assert.equal(seen, 2, 'the query ran after the commit');
    assert.equal(other, 2);
    assert.ok(performance.now() - started >= 150, 'it waited for the procedure');
    await running;
  });
});

test('a procedure asked for while a transaction of this side is open runs after it, never inside it', async () => {
  await withDatabase(true, async (database) => {
    let procedure: Promise<unknown> | undefined;
    await assert.rejects(
      database.db.transaction().execute(async (tx) => {
        await tx.insertInto('rate_limits').values({ key: 'g', window_start: new Date('2026-11-27T00:00:00Z'), hits: 5 }).execute();
        procedure = countHits(database.db, { key: 'h' });
        await new Promise((resolve) => setTimeout(resolve, 100));
        throw new Error('this transaction is rolled back');
      }),
      /rolled back/,
    );
    await procedure;
    assert.equal(await hitsOf(database, 'g'), undefined, 'the rolled-back row is gone');
    assert.equal(await hitsOf(database, 'h'), 2, "the procedure's own transaction committed on its own");
  });
});

test('on the database thread, a query does not wait behind procedures sent before it, and a waiting procedure never runs inside a transaction of this side', async () => {
  await withDatabase(true, async (database) => {
    const finished: string[] = [];
    // The first holds the session for 200 ms; the next two wait on the database thread.
    const procedures = ['p1', 'p2', 'p3'].map((key, i) => countHits(database.db, { key, awaitMs: i === 0 ? 200 : 50 }).then(() => void finished.push(key)));
    await new Promise((resolve) => setTimeout(resolve, 50));
    // A transaction of this side begins while they wait: its statements come before them,
    // and they wait for its end; it rolls back, and none of them was part of it.
    const transaction = database.db
      .transaction()
      .execute(async (tx) => {
        await tx.insertInto('rate_limits').values({ key: 'j', window_start: new Date('2026-11-27T00:00:00Z'), hits: 7 }).execute();
        await new Promise((resolve) => setTimeout(resolve, 150));
        throw new Error('rolled back on purpose');
      })
      .catch((error: Error) => void finished.push(error.message));
    const read = hitsOf(database, 'p1').then((hits) => void finished.push(`read ${hits}`));
    await Promise.all([...procedures, transaction, read]);
    const at = (what: string) => finished.indexOf(what);
    assert.equal(at('p1'), 0);
    assert.ok(at('read 2') < at('p2'), 'the read went ahead of the waiting procedures');
    assert.ok(at('rolled back on purpose') < at('p2'), 'they waited for the transaction to end');
    assert.ok(at('p2') < at('p3'), 'procedures keep their order');
    assert.equal(await hitsOf(database, 'j'), undefined, 'the rolled-back row is gone');
    for (const key of ['p1', 'p2', 'p3']) assert.equal(await hitsOf(database, key), 2, `${key} committed on its own`);
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
