import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Db } from '../../platform/db/database.ts';
import { createVerificationLog } from './verification-log.ts';

/** A database that keeps what is inserted, and fails the writes it is told to. */
function fakeDb(failures = 0) {
  const written: unknown[][] = [];
  let fail = failures;
  const db = {
    insertInto: () => ({
      values: (rows: unknown[]) => ({
        execute: async () => {
          if (fail-- > 0) throw new Error('database unavailable');
          written.push(rows);
        },
      }),
    }),
  } as unknown as Db;
  return { db, written };
}

const row = (id: number) => ({ certificate_id: id, channel: 'page' as const, verifier_kind: 'anonymous' as const, outcome: 'valid' as const });

test('verifications arrive together in one write, a moment later', async () => {
  const { db, written } = fakeDb();
  const log = createVerificationLog(db, { flushMs: 20 });
  log.record(row(1));
  log.record(row(2));
  assert.equal(written.length, 0, 'not written per verification');
  await new Promise((resolve) => setTimeout(resolve, 60));
  assert.deepEqual(written, [[row(1), row(2)]]);
});

test('a failed write loses nothing: the rows go out with the next one', async () => {
  const errors: unknown[] = [];
  const { db, written } = fakeDb(1);
  const log = createVerificationLog(db, { flushMs: 10_000, onError: (e) => errors.push(e) });
  log.record(row(1));
  await log.flush();
  assert.equal(errors.length, 1);
  log.record(row(2));
  await log.close();
  assert.deepEqual(written, [[row(1), row(2)]]);
});
