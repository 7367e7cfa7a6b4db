import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { testDatabase } from '../../../test/support/test-app.ts';
import type { Database } from '../../platform/db/database.ts';
import { createFieldEncryption } from '../../platform/crypto/field-encryption.ts';
import { appendEntry } from './append-entry.ts';
import { advanceLog } from './advance-log.ts';
import { auditLog, type RecordSource } from './audit-log.ts';
import { backfillLog } from './backfill-log.ts';
import { createLogSigner } from './log-key.ts';
import { leafHash, rootOf, verifyConsistency, verifyInclusion } from './merkle.ts';
import { consistencyBetween, inclusionByHash } from './proofs.ts';
import { latestHead } from './repository.ts';
import { encodeDigitallySigned, treeHeadSignedData, verifyTreeHead } from './tree-head.ts';

let database: Database;
const encryption = createFieldEncryption('11'.repeat(32));
// The records the log's entries stand for, as a module's table would hold them.
const records = new Map<string, { n: number; text: string }>();
const source: RecordSource = {
  type: 'test.thing.recorded',
  async records(_db, subjects) {
    return new Map(subjects.filter((s) => records.has(s)).map((s) => [s, records.get(s)]));
  },
  async *subjects() {
    yield [...records.keys()];
  },
  timeOf: () => new Date('2026-01-02T03:04:05.678Z'),
};

before(async () => {
  database = await testDatabase();
});
after(async () => database.close());

async function record(n: number, db = database.db) {
  const subject = `thing/${n}`;
  const value = { n, text: `thing number ${n}` };
  records.set(subject, value);
  return appendEntry(db, { type: source.type, subject, record: value, time: new Date() });
}

test('an entry added in a transaction that rolls back never reaches the log', async () => {
  const signer = createLogSigner(database.db, encryption);
  await database.db
    .transaction()
    .execute(async (tx) => {
      await appendEntry(tx, { type: source.type, subject: 'thing/rolled-back', record: { n: -1 }, time: new Date() });
      throw new Error('the change failed');
    })
    .catch(() => undefined);
  const advanced = await advanceLog(database.db, signer);
  assert.equal(advanced.sequenced, 0);
  assert.equal((await database.db.selectFrom('transparency_entries').select('id').execute()).length, 0);
  // The empty log still signs a head, so get-sth answers from the first start.
  const head = await latestHead(database.db);
  assert.equal(head?.treeSize, 0);
  assert.ok(verifyTreeHead(head!, (await signer()).publicKey));
});

test('the sequencer places entries in order of arrival and signs a head whose root is the tree of their leaves', async () => {
  const signer = createLogSigner(database.db, encryption);
  const hashes: Buffer[] = [];
  for (let n = 1; n <= 13; n++) hashes.push((await record(n)).leafHash);
  const advanced = await advanceLog(database.db, signer);
  assert.deepEqual({ sequenced: advanced.sequenced, treeSize: advanced.treeSize, signed: advanced.signed }, { sequenced: 13, treeSize: 13, signed: true });
  const head = (await latestHead(database.db))!;
  assert.equal(head.treeSize, 13);
  assert.deepEqual(head.rootHash, rootOf(hashes));
  const stored = await database.db.selectFrom('transparency_entries').select(['leaf_input', 'leaf_hash', 'leaf_index']).orderBy('leaf_index').execute();
  assert.deepEqual(stored.map((e) => e.leaf_index), [...Array(13).keys()]);
  for (const e of stored) assert.deepEqual(Buffer.from(e.leaf_hash), leafHash(e.leaf_input));
  // A leaf says what happened and when, and carries only a hash of the record itself.
  const leaf = JSON.parse(Buffer.from(stored[0]!.leaf_input).toString('utf8'));
  assert.deepEqual(Object.keys(leaf).sort(), ['content_hash', 'subject', 'time', 'type', 'v']);
  assert.doesNotMatch(Buffer.from(stored[0]!.leaf_input).toString('utf8'), /thing number/);
});

test('no new head while the tree has not grown, unless one is asked for, and heads never go back in time', async () => {
  const signer = createLogSigner(database.db, encryption);
  const before = (await latestHead(database.db))!;
  assert.equal((await advanceLog(database.db, signer)).signed, false);
  const forced = await advanceLog(database.db, signer, { forceHead: true, wait: true });
  assert.equal(forced.signed, true);
  const after = (await latestHead(database.db))!;
  assert.equal(after.treeSize, before.treeSize);
  assert.ok(after.timestamp >= before.timestamp);
  assert.ok(after.id > before.id);
});

test('proofs from the stored nodes verify against the signed head, for every leaf and every earlier size', async () => {
  const signer = createLogSigner(database.db, encryption);
  for (let n = 14; n <= 40; n++) {
    await record(n);
    if (n % 9 === 0) await advanceLog(database.db, signer);
  }
  await advanceLog(database.db, signer);
  const head = (await latestHead(database.db))!;
  assert.equal(head.treeSize, 40);
  const leaves = await database.db.selectFrom('transparency_entries').select(['leaf_hash', 'leaf_index']).orderBy('leaf_index').execute();
  for (const leaf of leaves) {
    const found: { leafIndex: number; auditPath: Buffer[] } = (await inclusionByHash(database.db, leaf.leaf_hash, head.treeSize))!;
    assert.equal(found.leafIndex, leaf.leaf_index);
    assert.ok(verifyInclusion({ leafIndex: found.leafIndex, treeSize: head.treeSize, leafHash: leaf.leaf_hash, proof: found.auditPath, root: head.rootHash }));
  }
  const all = leaves.map((l) => Buffer.from(l.leaf_hash));
  for (let first = 1; first < 40; first += 3) {
    const proof = await consistencyBetween(database.db, first, 40);
    assert.ok(verifyConsistency({ first, second: 40, firstRoot: rootOf(all.slice(0, first)), secondRoot: head.rootHash, proof }), `consistency ${first} → 40`);
  }
  assert.equal(await inclusionByHash(database.db, leafHash(Buffer.from('never logged')), head.treeSize), undefined);
});

test('nobody can change or remove an entry, a tree node or a signed head, not even the database owner', async () => {
  const attempts = [
    sql`update transparency_entries set subject = 'thing/other' where leaf_index = 0`,
    sql`update transparency_entries set leaf_index = 999 where leaf_index = 1`,
    sql`delete from transparency_entries where leaf_index = 2`,
    sql`update transparency_nodes set hash = '\\x00' where level = 0 and idx = 0`,
    sql`delete from transparency_nodes where level = 1`,
    sql`update transparency_heads set tree_size = 1`,
    sql`delete from transparency_heads`,
    sql`truncate transparency_entries cascade`,
  ];
  for (const attempt of attempts) {
    await assert.rejects(attempt.execute(database.db), /append-only/);
  }
  assert.equal((await latestHead(database.db))!.treeSize, 40);
});

test('an audit of an untouched log finds nothing wrong', async () => {
  const report = await auditLog(database.db, [source]);
  assert.deepEqual(report.problems, []);
  assert.equal(report.leaves, 40);
  assert.equal(report.recordsChecked, 40);
  assert.ok(report.heads >= 5);
});

test('the audit reports a changed record, a removed record and a record that never reached the log', async () => {
  records.set('thing/7', { n: 7, text: 'thing number 7, quietly edited' });
  const removed = records.get('thing/8')!;
  records.delete('thing/8');
  records.set('thing/unlogged', { n: 0, text: 'slipped in around the log' });
  try {
    const report = await auditLog(database.db, [source]);
    const found = report.problems.map((p) => `${p.kind} ${p.subject}`).sort();
    assert.deepEqual(found, ['record-changed thing/7', 'record-missing thing/8', 'record-unlogged thing/unlogged']);
  } finally {
    records.set('thing/7', { n: 7, text: 'thing number 7' });
    records.set('thing/8', removed);
    records.delete('thing/unlogged');
  }
});

test('the audit rejects a head with a forged signature and a properly signed head over a rewritten history', async () => {
  const signer = await createLogSigner(database.db, encryption)();
  const real = (await latestHead(database.db))!;
  // A forged head: the right shape, signed by nobody.
  await database.db.insertInto('transparency_heads').values({ tree_size: 40, timestamp_ms: real.timestamp + 1, root_hash: real.rootHash, key_id: signer.keyId, signature: encodeDigitallySigned(Buffer.alloc(64, 7)) }).execute();
  // A rewritten history: the log's own key signs a root that is not the tree of its entries.
  const otherRoot = rootOf([leafHash(Buffer.from('a different past'))]);
  const timestamp = real.timestamp + 2;
  await database.db.insertInto('transparency_heads').values({ tree_size: 40, timestamp_ms: timestamp, root_hash: otherRoot, key_id: signer.keyId, signature: encodeDigitallySigned(signer.sign(treeHeadSignedData(timestamp, 40, otherRoot))) }).execute();
  const report = await auditLog(database.db, [source]);
  const kinds = report.problems.map((p) => p.kind).sort();
  // The forged head names the true root but no key signed it; the rewritten one is signed but
  // is not the tree of the entries, nor consistent with the head before it.
  assert.deepEqual(kinds, ['head-consistency', 'head-root', 'head-signature']);
});

test('a log started on a database that already has records takes them in once, with their own times, and audits clean', async () => {
  const earlier = await testDatabase();
  try {
    const before = new Map([['old/1', { n: 1 }], ['old/2', { n: 2 }], ['old/3', { n: 3 }]]);
    const old: RecordSource = {
      type: 'test.old.recorded',
      records: async (_db, subjects) => new Map(subjects.map((s) => [s, before.get(s)])),
      subjects: async function* () {
        yield [...before.keys()];
      },
      timeOf: (r) => new Date(Date.UTC(2025, 0, (r as { n: number }).n)),
    };
    assert.equal(await backfillLog(earlier.db, [old]), 3);
    assert.equal(await backfillLog(earlier.db, [old]), 0, 'only once');
    await advanceLog(earlier.db, createLogSigner(earlier.db, encryption));
    const leaves = await earlier.db.selectFrom('transparency_entries').select(['leaf_input', 'leaf_index']).orderBy('leaf_index').execute();
    assert.deepEqual(leaves.map((l) => JSON.parse(Buffer.from(l.leaf_input).toString('utf8')).time), ['2025-01-01T00:00:00.000Z', '2025-01-02T00:00:00.000Z', '2025-01-03T00:00:00.000Z']);
    assert.deepEqual((await auditLog(earlier.db, [old])).problems, []);
  } finally {
    await earlier.close();
  }
});
