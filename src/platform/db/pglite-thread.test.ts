import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { openDatabase } from './database.ts';
import { loadMigrations, migrate } from './migrate.ts';
import { migrationSources } from '../../app.ts';
import { eventually } from '../../../test/support/test-app.ts';

// The embedded database on its own thread must behave exactly as on the server's thread:
// same rows and types, same errors, same transactions.

test('PGlite on its own thread migrates, returns typed rows, reports database errors and rolls back', async () => {
  const database = await openDatabase({ dataDir: 'memory://', thread: true });
  try {
    await migrate(database.db, loadMigrations(migrationSources));
    const { db } = database;
    await db.insertInto('rate_limits').values({ key: 'k1', window_start: new Date('2026-11-27T00:00:00Z'), hits: 3 }).execute();
    const row = await db.selectFrom('rate_limits').selectAll().where('key', '=', 'k1').executeTakeFirstOrThrow();
    assert.ok(row.window_start instanceof Date);
    assert.equal(row.window_start.toISOString(), '2026-11-27T00:00:00.000Z');
    assert.equal(row.hits, 3);
    const big = await sql<{ n: number }>`select 9007199254740991::int8 as n`.execute(db);
    assert.equal(big.rows[0]!.n, Number.MAX_SAFE_INTEGER, 'int8 arrives as a number');

    await assert.rejects(db.insertInto('rate_limits').values({ key: 'k1', window_start: new Date('2026-11-27T00:00:00Z'), hits: 1 }).execute(), (error: Error & { code?: string }) => error.code === '23505');

    await assert.rejects(
      db.transaction().execute(async (tx) => {
        await tx.insertInto('rate_limits').values({ key: 'k2', window_start: new Date(), hits: 1 }).execute();
        throw new Error('change of mind');
      }),
      /change of mind/,
    );
    assert.equal(await db.selectFrom('rate_limits').select('key').where('key', '=', 'k2').executeTakeFirst(), undefined);

    const updated = await db.updateTable('rate_limits').set({ hits: 4 }).where('key', '=', 'k1').executeTakeFirst();
    assert.equal(Number(updated.numUpdatedRows), 1);
    const dump = await database.dumpDataDir!();
    assert.ok(dump.size > 1000, 'a backup of the thread-held database has content');
  } finally {
    await database.close();
  }
});

test('on its own thread, a query made while someone else\'s transaction is open is never part of it', async () => {
  const database = await openDatabase({ dataDir: 'memory://', thread: true });
  try {
    await migrate(database.db, loadMigrations(migrationSources));
    const { db } = database;
    let outside: Promise<unknown> | undefined;
    await assert.rejects(
      db.transaction().execute(async (tx) => {
        await tx.insertInto('rate_limits').values({ key: 'inside', window_start: new Date(), hits: 1 }).execute();
        // Another caller writes while this transaction is open...
        outside = db.insertInto('rate_limits').values({ key: 'outside', window_start: new Date(), hits: 1 }).execute();
        await new Promise((resolve) => setTimeout(resolve, 50));
        throw new Error('roll back');
      }),
      /roll back/,
    );
    await outside;
    const keys = (await db.selectFrom('rate_limits').select('key').execute()).map((r) => r.key);
    // ...and its row survives the rollback: it waited for the transaction to end.
    assert.deepEqual(keys, ['outside']);
  } finally {
    await database.close();
  }
});

test('bytes round-trip exactly through the embedded database, on its own thread and on this one', async () => {
  // Every byte value, the empty string of bytes, and a PDF-sized run, each read back as written.
  const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
  const large = Buffer.alloc(200_000, 0xa5);
  large[0] = 0;
  large[large.length - 1] = 0xff;
  for (const thread of [true, false]) {
    const database = await openDatabase({ dataDir: 'memory://', thread });
    try {
      const { db } = database;
      await sql`create table blobs (name text primary key, bytes bytea not null)`.execute(db);
      for (const [name, bytes] of [['all', all], ['empty', Buffer.alloc(0)], ['large', large], ['view', all.subarray(10, 20)]] as const) {
        await sql`insert into blobs values (${name}, ${bytes})`.execute(db);
        const { rows } = await sql<{ bytes: Uint8Array; length: number }>`select bytes, length(bytes) as length from blobs where name = ${name}`.execute(db);
        assert.ok(rows[0]!.bytes instanceof Uint8Array, `${name}: read back as bytes (thread ${thread})`);
        assert.ok(Buffer.from(rows[0]!.bytes).equals(bytes), `${name}: the same bytes (thread ${thread})`);
        assert.equal(rows[0]!.length, bytes.length, `${name}: the database counts the same length (thread ${thread})`);
        // Its own memory, not a view of a shared pool that would cross between threads whole.
        assert.equal(rows[0]!.bytes.buffer.byteLength, bytes.length, `${name}: read back in memory of its own size (thread ${thread})`);
      }
      // Compared inside the database too: what it stored is the bytes, not their spelling.
      const { rows } = await sql<{ same: boolean }>`select bytes = '\\x00010203'::bytea as same from blobs where name = 'all' union all select substring(bytes from 1 for 4) = '\\x00010203'::bytea from blobs where name = 'all'`.execute(db);
      assert.deepEqual(rows.map((r) => r.same), [false, true]);
    } finally {
      await database.close();
    }
  }
});

test('replies are taken when asked, without waiting for a turn of the event loop', async () => {
  const database = await openDatabase({ dataDir: 'memory://', thread: true });
  try {
    assert.ok(database.takeReplies, 'the threaded database offers takeReplies');
    const heard: string[] = [];
    await database.listen('nara_test', (payload) => heard.push(payload));
    let answer: number | undefined;
    void sql<{ n: number }>`select pg_notify('nara_test', 'hello'), 41 + 1 as n`.execute(database.db).then((r) => (answer = r.rows[0]!.n));
    // Only microtasks from here on: the event loop never turns, so a reply can only arrive
    // through takeReplies.
    const deadline = Date.now() + 10_000;
    while (answer === undefined && Date.now() < deadline) {
      database.takeReplies();
      await Promise.resolve();
    }
    assert.equal(answer, 42);
    // The notification came with the reply, and its listener ran outside the taking.
    await eventually(async () => heard.length > 0, 'the notification');
    assert.deepEqual(heard, ['hello']);
  } finally {
    await database.close();
  }
});

test('embedded sessions, on their own thread or not, do not zero-fill each new WAL segment (a statement would stall while 16 MB are written)', async () => {
  for (const thread of [true, false]) {
    const database = await openDatabase({ dataDir: 'memory://', thread });
    try {
      const { rows } = await sql<{ wal_init_zero: string }>`show wal_init_zero`.execute(database.db);
      assert.equal(rows[0]!.wal_init_zero, 'off', thread ? 'on its own thread' : 'on this thread');
    } finally {
      await database.close();
    }
  }
});
