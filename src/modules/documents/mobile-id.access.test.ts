import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testApp, signIn, postForm, eventually, type TestApp } from '../../../test/support/test-app.ts';
import { createFieldEncryption } from '../../platform/crypto/field-encryption.ts';
import { createIssuerKeys, issuerIdOf, methodIdOf } from './issuer-keys.ts';
import { signCredential } from './vc-jose.ts';

// The mobile ID: only a resident gets one; what a shown code says is what the holder chose;
// a verifier's check refuses a changed, expired, or suspended ID.

let t: TestApp;
before(async () => {
  t = await testApp({ config: { rateLimitPerMinute: 100_000, renderWorkers: 1 } });
});
after(async () => t.close());

const post = (cookie: string, pageUrl: string, url: string, fields: Record<string, string | string[]>) => postForm(t.app, cookie, pageUrl, url, fields);

const check = (token: string) => t.app.inject({ method: 'POST', url: '/mobile-id/check?lang=en', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ token }).toString() });

let resident1: string;
let token: string;

test('a resident gets a mobile ID and shows only that they are over 19, with their name', async () => {
  resident1 = await signIn(t.app, 'resident1');
  const got = await post(resident1, '/mobile-id', '/mobile-id', {});
  assert.equal(got.statusCode, 303);
  const shown = await post(resident1, '/mobile-id', '/mobile-id/present', { disclose: ['ageOver19'] });
  assert.equal(shown.statusCode, 200);
  assert.match(shown.body, /<svg/);
  const link = /href="[^"]*\/mobile-id\/check#([\w-]+\.[\w-]+\.[\w-]+)"/.exec(shown.body);
  assert.ok(link, 'the page links the same code');
  token = link[1]!;
  const res = await check(token);
  assert.equal(res.statusCode, 200);
  assert.match(res.body, /This mobile ID is valid/);
  assert.match(res.body, /Aged 19 or over/);
  assert.doesNotMatch(res.body, /<dt>Date of birth<\/dt>/, 'the birth date was not chosen, so it is not there');
  const seenNow = () => t.database.db.selectFrom('certificate_verifications').select(['channel', 'verifier_kind']).execute();
  await eventually(async () => (await seenNow()).length > 0, 'recording the check');
  const seen = await seenNow();
  assert.deepEqual(seen, [{ channel: 'mobile-id', verifier_kind: 'anonymous' }], 'the holder will see the check');
});

test('an official cannot get a mobile ID, and a visitor is sent to sign in', async () => {
  const official = await signIn(t.app, 'jongno.clerk');
  assert.equal((await post(official, '/mobile-id', '/mobile-id', {})).statusCode, 403);
  const visitor = await t.app.inject({ method: 'GET', url: '/mobile-id' });
  assert.equal(visitor.statusCode, 303);
});

test('a changed code, or one past its three minutes, is refused', async () => {
  const [h, p, s] = token.split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
  claims.credentialSubject.ageOver19 = 'Yes (changed)';
  const forged = `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${s}`;
  const res = await check(forged);
  assert.equal(res.statusCode, 422);
  assert.match(res.body, /The signature does not match/);

  // Signed by the agency's own key but with its window over.
  const keys = createIssuerKeys(t.database.db, createFieldEncryption(t.config.dataKey));
  const agency = await t.database.db.selectFrom('agencies').select('id').where('code', '=', 'MOIS').executeTakeFirstOrThrow();
  const key = await keys.signingKey(agency.id);
  const issuer = issuerIdOf(t.config.publicUrl, 'MOIS');
  const old = await signCredential({ ...claims, credentialSubject: JSON.parse(Buffer.from(p, 'base64url').toString('utf8')).credentialSubject, validFrom: '2026-01-01T00:00:00Z', validUntil: '2026-01-01T00:03:00Z' }, { privateKey: key.privateKey, kid: methodIdOf(issuer, key.kid) });
  const expired = await check(old);
  assert.match(expired.body, /This code has expired/);
});

test('once the agency suspends the mobile ID, a code shown before is refused as suspended', async () => {
  const number = (await t.database.db.selectFrom('certificates').select('issue_number').where('type_code', '=', 'mobile-id').executeTakeFirstOrThrow()).issue_number;
  const admin = await signIn(t.app, 'mois.admin');
  const res = await post(admin, `/verify/${number}`, `/verify/${number}/status`, { action: 'suspend', reason: '분실 신고' });
  assert.equal(res.statusCode, 303);
  const after = await check(token);
  assert.match(after.body, /This mobile ID is suspended/);
  const again = await post(resident1, '/mobile-id', '/mobile-id/present', { disclose: ['ageOver19'] });
  assert.equal(again.statusCode, 409, 'a suspended ID cannot be shown');
});
