import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testApp, type TestApp } from '../../../test/support/test-app.ts';
import { leafHash, rootOf, verifyConsistency, verifyInclusion } from './merkle.ts';
import { parseSthJson, verifyTreeHead } from './tree-head.ts';

// The log's public API, as any outside party uses it: names and fields of RFC 6962 §4.

let t: TestApp;
before(async () => {
  t = await testApp({ demoApplications: true });
});
after(async () => t.close());

const get = async (url: string) => {
  const res = await t.app.inject({ method: 'GET', url });
  return { status: res.statusCode, json: res.headers['content-type']?.toString().includes('json') ? res.json() : undefined, body: res.body };
};

async function allLeaves(size: number): Promise<Buffer[]> {
  const leaves: Buffer[] = [];
  while (leaves.length < size) {
    const page = await get(`/transparency/v1/get-entries?start=${leaves.length}&end=${size - 1}`);
    assert.equal(page.status, 200);
    assert.ok(page.json.entries.length > 0);
    for (const e of page.json.entries) {
      assert.equal(e.extra_data, '');
      leaves.push(Buffer.from(e.leaf_input, 'base64'));
    }
  }
  return leaves;
}

test('a fresh start already serves a signed, non-empty log holding every demo application step', async () => {
  const steps = await t.database.db.selectFrom('application_steps').select('id').execute();
  assert.ok(steps.length >= 10, 'the demo data has applications with a history');
  const sth = await get('/transparency/v1/get-sth');
  assert.equal(sth.status, 200);
  assert.deepEqual(Object.keys(sth.json).sort(), ['sha256_root_hash', 'timestamp', 'tree_head_signature', 'tree_size']);
  assert.equal(sth.json.tree_size, steps.length);
  const key = await get('/transparency/v1/get-public-key');
  assert.equal(key.json.algorithm, 'Ed25519');
  assert.ok(verifyTreeHead(parseSthJson(sth.json)!, Buffer.from(key.json.key, 'base64')));
  // The root is the RFC 6962 tree of the entries the log hands out, and each entry says only
  // what happened to which step, when, and a hash.
  const leaves = await allLeaves(sth.json.tree_size);
  assert.deepEqual(rootOf(leaves.map(leafHash)), Buffer.from(sth.json.sha256_root_hash, 'base64'));
  const subjects = leaves.map((l) => JSON.parse(l.toString('utf8')).subject).sort();
  assert.deepEqual(subjects, steps.map((s) => `application-step/${s.id}`).sort());
  assert.doesNotMatch(leaves.map((l) => l.toString('utf8')).join('\n'), /청운동|010-|김건축/);
});

test('every entry has an audit path to the signed root, and any two sizes have a consistency proof', async () => {
  const sth = (await get('/transparency/v1/get-sth')).json;
  const root = Buffer.from(sth.sha256_root_hash, 'base64');
  const leaves = await allLeaves(sth.tree_size);
  for (const [index, leaf] of leaves.entries()) {
    const hash = leafHash(leaf);
    const proof = await get(`/transparency/v1/get-proof-by-hash?hash=${encodeURIComponent(hash.toString('base64'))}&tree_size=${sth.tree_size}`);
    assert.equal(proof.status, 200);
    assert.equal(proof.json.leaf_index, index);
    assert.ok(verifyInclusion({ leafIndex: index, treeSize: sth.tree_size, leafHash: hash, proof: proof.json.audit_path.map((p: string) => Buffer.from(p, 'base64')), root }));
  }
  for (const first of [1, 2, 5, sth.tree_size - 1]) {
    const c = await get(`/transparency/v1/get-sth-consistency?first=${first}&second=${sth.tree_size}`);
    assert.equal(c.status, 200);
    const proof = c.json.consistency.map((p: string) => Buffer.from(p, 'base64'));
    assert.ok(verifyConsistency({ first, second: sth.tree_size, firstRoot: rootOf(leaves.slice(0, first).map(leafHash)), secondRoot: root, proof }), `${first} → ${sth.tree_size}`);
  }
});

test('bad requests get a 400 (422 when not even a number) that says what is wrong, and an unknown leaf a 404, both in JSON', async () => {
  const size = (await get('/transparency/v1/get-sth')).json.tree_size;
  const unknown = leafHash(Buffer.from('never logged')).toString('base64');
  const cases: Array<[string, number, RegExp]> = [
    [`/transparency/v1/get-sth-consistency?first=3&second=2`, 400, /first/],
    [`/transparency/v1/get-sth-consistency?first=1&second=${size + 1}`, 400, /second/],
    [`/transparency/v1/get-proof-by-hash?hash=abc&tree_size=${size}`, 400, /hash/],
    [`/transparency/v1/get-proof-by-hash?hash=${encodeURIComponent(unknown)}&tree_size=${size}`, 404, /no leaf/],
    [`/transparency/v1/get-proof-by-hash?hash=${encodeURIComponent(unknown)}&tree_size=${size + 5}`, 400, /tree_size/],
    [`/transparency/v1/get-entries?start=5&end=2`, 400, /start/],
    [`/transparency/v1/get-entries?start=${size}&end=${size + 3}`, 400, /start/],
    [`/transparency/v1/get-entries?start=x&end=2`, 422, /.+/],
  ];
  for (const [url, status, message] of cases) {
    const res = await t.app.inject({ method: 'GET', url });
    assert.equal(res.statusCode, status, url);
    assert.match(res.json().error.message, message, url);
  }
});

test('the public page explains the log and shows its latest signed head, in Korean and in English', async () => {
  const sth = (await get('/transparency/v1/get-sth')).json;
  const ko = await t.app.inject({ method: 'GET', url: '/transparency', headers: { 'accept-language': 'ko' } });
  assert.equal(ko.statusCode, 200);
  assert.match(ko.body, /공개 기록부/);
  assert.match(ko.body, new RegExp(`${sth.tree_size}건`));
  assert.ok(ko.body.includes(Buffer.from(sth.sha256_root_hash, 'base64').toString('hex')));
  const en = await t.app.inject({ method: 'GET', url: '/transparency?lang=en' });
  assert.match(en.body, /Public log/);
  assert.match(en.body, new RegExp(`${sth.tree_size} entries`));
  assert.match(en.body, /href="\/transparency\/v1\/get-sth"/);
  // Only operators are offered signing a head now.
  assert.doesNotMatch(en.body, /action="\/transparency\/sign"/);
});
