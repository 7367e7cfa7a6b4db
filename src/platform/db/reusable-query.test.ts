import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql, type Kysely } from 'kysely';
import { openDatabase, type Executor } from './database.ts';
import { reusableQuery } from './reusable-query.ts';

// The tests use a table of their own, outside Nara's schema types.
const untyped = (db: Executor) => db as unknown as Kysely<Record<string, Record<string, unknown>>>;

interface Thing {
  id: number;
  name: string | null;
  size: number;
}

const insertThing = reusableQuery((db, v: { id: number; name: string | null; size: number }) =>
  untyped(db)
    .insertInto('things')
    .values({ id: v.id, name: v.name, size: v.size, added: sql`now()`, kind: 'fixed' })
    .returning(['id', 'name', 'size', 'kind']),
);
const bigger = reusableQuery((db, v: { size: number }) => untyped(db).selectFrom('things').select('id').where('size', '>', v.size).where(sql<boolean>`size < ${v.size} * 10`).orderBy('id'));

test('a reusable query runs with each call’s own values, its fixed parts unchanged, inside and outside transactions', async () => {
  const database = await openDatabase({ dataDir: 'memory://' });
  try {
    const { db } = database;
    await sql`create table things (id int primary key, name text, size int not null, added timestamptz not null, kind text not null)`.execute(db);
    const first = await insertThing(db, { id: 1, name: '하나', size: 5 });
    assert.deepEqual(first.rows, [{ id: 1, name: '하나', size: 5, kind: 'fixed' }]);
    await db.transaction().execute(async (tx) => {
      assert.deepEqual((await insertThing(tx, { id: 2, name: null, size: 50 })).rows, [{ id: 2, name: null, size: 50, kind: 'fixed' }]);
      await insertThing(tx, { id: 3, name: 'three', size: 500 });
    });
    const all = await untyped(db).selectFrom('things').select(['id', 'name', 'size']).orderBy('id').execute();
    assert.deepEqual(all as unknown as Thing[], [{ id: 1, name: '하나', size: 5 }, { id: 2, name: null, size: 50 }, { id: 3, name: 'three', size: 500 }]);
    // One value used twice: both places get it.
    assert.deepEqual((await bigger(db, { size: 4 })).rows, [{ id: 1 }]);
    assert.deepEqual((await bigger(db, { size: 40 })).rows, [{ id: 2 }]);
  } finally {
    await database.close();
  }
});

test('a reusable query refuses a missing value instead of sending null', async () => {
  const database = await openDatabase({ dataDir: 'memory://' });
  try {
    const { db } = database;
    await sql`create table things (id int primary key, name text, size int not null, added timestamptz not null, kind text not null)`.execute(db);
    await assert.rejects(insertThing(db, { id: 1, name: 'x' } as never), /no value for "size"/);
    assert.equal((await untyped(db).selectFrom('things').select('id').execute()).length, 0);
  } finally {
    await database.close();
  }
});
