import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PGlite } from '@electric-sql/pglite';
import { preparedSession } from './pglite-prepared.ts';
import { startPGlite } from './pglite-types.ts';

// Prepared statements must answer exactly as PGlite's own query does: same rows, same
// types, same errors, notifications still heard, and never a stale shape after a migration.

async function withPGlite(run: (pglite: PGlite) => Promise<void>) {
  const pglite = await startPGlite(undefined);
  try {
    await pglite.exec(`create table things (id int8 primary key, day date, at timestamptz, doc jsonb, bytes bytea, name text)`);
    await run(pglite);
  } finally {
    await pglite.close();
  }
}

test('a prepared statement returns the same rows and types as PGlite’s own query, the first time and after', async () => {
  await withPGlite(async (pglite) => {
    const session = preparedSession(pglite);
    const insert = 'insert into things (id, day, at, doc, bytes, name) values ($1, $2, $3, $4, $5, $6) returning *';
    const values = [[1, '2026-11-27', new Date('2026-11-27T01:02:03.456Z'), JSON.stringify({ a: [1, 'b'] }), new Uint8Array([0, 255, 7]), '나라'], [2, null, null, null, null, null]];
    const mine = [];
    for (const v of values) mine.push((await session.query(insert, v)).rows[0]);
    const theirs = (await pglite.query('select * from things order by id')).rows;
    assert.deepEqual(mine, theirs);
    const row = mine[0] as Record<string, unknown>;
    assert.equal(row.id, 1, 'int8 as a number');
    assert.equal(row.day, '2026-11-27', 'a date as its day');
    assert.ok(row.at instanceof Date && row.at.toISOString() === '2026-11-27T01:02:03.456Z');
    assert.deepEqual(row.doc, { a: [1, 'b'] });
    assert.deepEqual([...(row.bytes as Uint8Array)], [0, 255, 7]);
    for (let i = 0; i < 7; i++) {
      const again = await session.query<{ name: string }>('select name from things where id = $1', [1]);
      assert.deepEqual(again.rows, [{ name: '나라' }], `run ${i + 1} of one prepared statement`);
    }
    const updated = await session.query('update things set name = $1 where id > $2', ['x', 0]);
    assert.equal(updated.affectedRows, 2);
  });
});

test('a failed statement reports the database’s error, and the session goes on', async () => {
  await withPGlite(async (pglite) => {
    const session = preparedSession(pglite);
    await session.query('insert into things (id) values ($1)', [1]);
    await assert.rejects(session.query('insert into things (id) values ($1)', [1]), (error: Error & { code?: string; constraint?: string }) => error.code === '23505' && error.constraint === 'things_pkey');
    await assert.rejects(session.query('select * from nowhere where id = $1', [1]), (error: Error & { code?: string }) => error.code === '42P01');
    assert.deepEqual((await session.query('select count(*)::int as n from things where id >= $1', [0])).rows, [{ n: 1 }]);
  });
});

test('after a schema change, a statement prepared before it sees the new shape', async () => {
  await withPGlite(async (pglite) => {
    const session = preparedSession(pglite);
    await session.query('insert into things (id) values ($1)', [1]);
    assert.deepEqual(Object.keys((await session.query('select * from things where id = $1', [1])).rows[0] as object).length, 6);
    await session.exec('alter table things add column extra text');
    const after = (await session.query('select * from things where id = $1', [1])).rows[0] as Record<string, unknown>;
    assert.ok('extra' in after);
  });
});

test('more distinct statements than are kept prepared all still run, the oldest again too', async () => {
  await withPGlite(async (pglite) => {
    const session = preparedSession(pglite);
    for (let i = 0; i < 520; i++) assert.deepEqual((await session.query(`select $1::int + ${i} as n`, [1])).rows, [{ n: 1 + i }]);
    assert.deepEqual((await session.query('select $1::int + 0 as n', [5])).rows, [{ n: 5 }]);
    const kept = await pglite.query<{ n: number }>('select count(*)::int as n from pg_prepared_statements');
    assert.ok(kept.rows[0]!.n <= 500, `at most 500 kept prepared (${kept.rows[0]!.n})`);
  });
});

test('a notification sent by a prepared statement reaches its listener', async () => {
  await withPGlite(async (pglite) => {
    const session = preparedSession(pglite);
    const heard: string[] = [];
    await pglite.listen('nara_test', (payload) => heard.push(payload));
    await session.query('select pg_notify($1, $2)', ['nara_test', 'hello']);
    await session.query('select pg_notify($1, $2)', ['nara_test', 'again']);
    assert.deepEqual(heard, ['hello', 'again']);
  });
});
