import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testApp, signIn, csrfFrom, type TestApp } from '../../../test/support/test-app.ts';
import { hashPassword } from './passwords.ts';
import { insertAccount } from './repository.ts';
import { businessesActingFor } from './index.ts';
import { formatBusinessNo } from '../registry/national-id.ts';

let t: TestApp;
let business: { id: number; registration_no: string; name_ko: string };
let otherBusiness: { id: number; registration_no: string };
let ownerId: number;
before(async () => {
  t = await testApp();
  const [a, b] = await t.database.db.selectFrom('businesses').select(['id', 'registration_no', 'name_ko', 'representative_resident_id']).orderBy('id').limit(2).execute();
  business = a!;
  otherBusiness = b!;
  // An account for the representative of the first business, as sign-up would make it.
  ownerId = await insertAccount(t.database.db, { kind: 'resident', username: 'ceo.one', displayName: 'CEO', email: 'ceo@example.kr', passwordHash: await hashPassword('bright harbour lights'), residentId: a!.representative_resident_id });
});
after(async () => t.close());

async function post(cookie: string, url: string, payload: Record<string, string> = {}) {
  const page = await t.app.inject({ method: 'GET', url: '/account', headers: { cookie } });
  return t.app.inject({ method: 'POST', url, headers: { cookie }, payload: { ...payload, _csrf: csrfFrom(page.body) } });
}

test('the representative on the register links their business and can then act for it', async () => {
  const cookie = await signIn(t.app, 'ceo.one', 'bright harbour lights');
  const res = await post(cookie, '/account/businesses', { registrationNo: business.registration_no.replace(/-/g, '') });
  assert.equal(res.statusCode, 303);
  const page = await t.app.inject({ method: 'GET', url: '/account?done=linked', headers: { cookie } });
  assert.ok(page.body.includes(business.name_ko));
  assert.match(page.body, /사업자를 연결했습니다/);
  assert.deepEqual((await businessesActingFor(t.database.db, ownerId)).map((b) => b.id), [business.id]);
  const audit = await t.database.db.selectFrom('audit_events').selectAll().where('action', '=', 'identity.business.linked').executeTakeFirst();
  assert.equal(audit?.subject_id, String(business.id));
});

test("a resident cannot link a business whose representative is someone else", async () => {
  const cookie = await signIn(t.app, 'resident1');
  const res = await post(cookie, '/account/businesses', { registrationNo: otherBusiness.registration_no });
  assert.equal(res.statusCode, 403);
  assert.match(res.body, /대표자가 본인이 아닙니다/);
  assert.ok(res.body.includes(`value="${otherBusiness.registration_no}"`), 'what was typed is kept');
  const account = await t.database.db.selectFrom('accounts').select('id').where('username', '=', 'resident1').executeTakeFirstOrThrow();
  assert.deepEqual(await businessesActingFor(t.database.db, account.id), []);
});

test('a malformed or unknown number is explained at the field', async () => {
  const cookie = await signIn(t.app, 'resident2');
  const bad = await post(cookie, '/account/businesses?lang=en', { registrationNo: '123-45' });
  assert.equal(bad.statusCode, 422);
  assert.match(bad.body, /href="#registrationNo">Enter the 10-digit business registration number correctly/);
  const unknown = await post(cookie, '/account/businesses?lang=en', { registrationNo: formatBusinessNo('999990001') });
  assert.equal(unknown.statusCode, 404);
  assert.match(unknown.body, /No business with that number is on the register/);
});

test('an official account cannot act for a business', async () => {
  const cookie = await signIn(t.app, 'jongno.clerk');
  const res = await post(cookie, '/account/businesses', { registrationNo: business.registration_no });
  assert.equal(res.statusCode, 403);
});

test("nobody can unlink someone else's business", async () => {
  const cookie = await signIn(t.app, 'resident3');
  const res = await post(cookie, `/account/businesses/${business.id}/unlink`);
  assert.equal(res.statusCode, 404);
  assert.equal((await businessesActingFor(t.database.db, ownerId)).length, 1);
});

test('the representative unlinks their business', async () => {
  const cookie = await signIn(t.app, 'ceo.one', 'bright harbour lights');
  const res = await post(cookie, `/account/businesses/${business.id}/unlink`);
  assert.equal(res.statusCode, 303);
  assert.deepEqual(await businessesActingFor(t.database.db, ownerId), []);
});

test('linking needs a signed-in owner', async () => {
  const res = await t.app.inject({ method: 'POST', url: '/account/businesses', payload: { registrationNo: business.registration_no } });
  assert.equal(res.statusCode, 403);
});
