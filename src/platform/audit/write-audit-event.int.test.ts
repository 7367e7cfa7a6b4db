import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testDatabase } from '../../../test/support/test-app.ts';
import type { Database } from '../db/database.ts';
import { writeAuditEvent } from './write-audit-event.ts';

let database: Database;
before(async () => {
  database = await testDatabase();
});
after(async () => database.close());

test('an audit event commits with the change it describes and vanishes with a rolled-back one', async () => {
  await database.db.transaction().execute((tx) =>
    writeAuditEvent(tx, { action: 'test.thing.done', actor: { accountId: 7, agencyId: 2 }, subject: { type: 'thing', id: 1 }, requestId: 'r-1', details: { why: 'kept' } }),
  );
  await database.db
    .transaction()
    .execute(async (tx) => {
      await writeAuditEvent(tx, { action: 'test.thing.undone', actor: { accountId: 7 } });
      throw new Error('rollback');
    })
    .catch(() => {});
  const rows = await database.db.selectFrom('audit_events').selectAll().where('action', 'like', 'test.%').execute();
  assert.deepEqual(rows.map((r) => r.action), ['test.thing.done']);
  assert.equal(rows[0]!.subject_id, '1');
  assert.equal(rows[0]!.actor_agency_id, 2);
  assert.deepEqual(rows[0]!.details, { why: 'kept' });
  assert.ok(rows[0]!.occurred_at instanceof Date);
});

test('nobody can alter or delete an audit event, not even the application', async () => {
  await writeAuditEvent(database.db, { action: 'test.fixed', actor: { accountId: null } });
  await assert.rejects(database.db.updateTable('audit_events').set({ action: 'test.forged' }).execute(), /append-only/);
  await assert.rejects(database.db.deleteFrom('audit_events').execute(), /append-only/);
});
