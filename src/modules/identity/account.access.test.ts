import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { testApp, signIn, csrfFrom, type TestApp } from '../../../test/support/test-app.ts';
import { DEMO_PASSWORD } from './index.ts';

let t: TestApp;
before(async () => {
  t = await testApp();
});
after(async () => t.close());

const page = (cookie: string, url = '/account') => t.app.inject({ method: 'GET', url, headers: { cookie } });
const post = async (cookie: string, url: string, payload: Record<string, string>) => {
  const form = await page(cookie);
  return t.app.inject({ method: 'POST', url, headers: { cookie }, payload: { ...payload, _csrf: csrfFrom(form.body) } });
};
/** The database id of the session a browser's cookie names (the hash of its token). */
// The session id is the hash of the cookie's random part (after its `s.` or `a.` kind).
const sessionIdFrom = (cookie: string) => createHash('sha256').update(/nara_sid=(?:[as]\.)?([^;]+)/.exec(cookie)![1]!).digest('hex');
const sessionIdsOf = async (username: string) => {
  const account = await t.database.db.selectFrom('accounts').select('id').where('username', '=', username).executeTakeFirstOrThrow();
  return (await t.database.db.selectFrom('sessions').select('id').where('account_id', '=', account.id).execute()).map((r) => r.id);
};

test('a visitor who is not signed in is sent to sign in before seeing an account page', async () => {
  const res = await t.app.inject({ method: 'GET', url: '/account' });
  assert.equal(res.statusCode, 303);
  assert.equal(res.headers.location, '/sign-in?next=%2Faccount');
});

test('a resident sees each device signed in to their account, this one marked', async () => {
  const phone = await signIn(t.app, 'resident1');
  await signIn(t.app, 'resident1');
  const res = await page(phone);
  assert.equal(res.statusCode, 200);
  assert.equal((res.body.match(/<li class="nara-card">/g) ?? []).length, (await sessionIdsOf('resident1')).length);
  assert.equal((res.body.match(/지금 사용 중인 기기/g) ?? []).length, 1);
  assert.match(res.body, /이 기기 로그아웃/);
});

test('a resident signs another of their devices out, and that device is signed out at once', async () => {
  const laptop = await signIn(t.app, 'resident2');
  const phone = await signIn(t.app, 'resident2');
  const before = await sessionIdsOf('resident2');
  const res = await post(phone, '/account/sessions/end', { session: sessionIdFrom(laptop) });
  assert.equal(res.statusCode, 303);
  assert.equal(res.headers.location, '/account?done=session');
  assert.equal((await sessionIdsOf('resident2')).length, before.length - 1);
  assert.equal((await page(laptop)).statusCode, 303, 'the laptop is signed out');
  assert.equal((await page(phone)).statusCode, 200, 'the phone is not');
});

test("a resident cannot sign out another resident's device", async () => {
  const victim = await signIn(t.app, 'resident3');
  const attacker = await signIn(t.app, 'resident1');
  const res = await post(attacker, '/account/sessions/end', { session: sessionIdFrom(victim) });
  assert.equal(res.statusCode, 404);
  assert.equal((await page(victim)).statusCode, 200, 'the victim is still signed in');
});

test("a resident's account page never shows another resident's devices", async () => {
  await signIn(t.app, 'resident3');
  const mine = await signIn(t.app, 'resident1');
  const res = await page(mine);
  for (const id of await sessionIdsOf('resident3')) assert.ok(!res.body.includes(id));
});

test('changing the password needs a signed-in owner', async () => {
  const res = await t.app.inject({ method: 'POST', url: '/account/password', payload: { currentPassword: DEMO_PASSWORD, newPassword: 'x'.repeat(12), confirmPassword: 'x'.repeat(12) } });
  assert.equal(res.statusCode, 403);
});

test('a wrong current password, a short or mismatched new one are each explained at their field', async () => {
  const cookie = await signIn(t.app, 'jongno.clerk');
  const res = await post(cookie, '/account/password?lang=en', { currentPassword: 'not-it', newPassword: 'short', confirmPassword: 'other' });
  assert.equal(res.statusCode, 422);
  assert.match(res.body, /href="#currentPassword">Your current password is not right/);
  assert.match(res.body, /href="#newPassword">A password needs at least 10 characters/);
  assert.match(res.body, /href="#confirmPassword">The two new passwords do not match/);
  assert.doesNotMatch(res.body, /not-it/, 'passwords are never echoed back');
  const signInAgain = await signIn(t.app, 'jongno.clerk');
  assert.ok(signInAgain, 'the password did not change');
});

test('a new password ends every other session, keeps this one, and the owner is told', async () => {
  const here = await signIn(t.app, 'jongno.approver');
  const elsewhere = await signIn(t.app, 'jongno.approver');
  const res = await post(here, '/account/password', { currentPassword: DEMO_PASSWORD, newPassword: 'a-new-long-password', confirmPassword: 'a-new-long-password' });
  assert.equal(res.statusCode, 303);
  assert.equal(res.headers.location, '/account?done=password&count=1');
  assert.equal((await page(here)).statusCode, 200, 'this device stays signed in');
  assert.equal((await page(elsewhere)).statusCode, 303, 'the other device is signed out');
  await assert.rejects(signIn(t.app, 'jongno.approver'), /failed: 401/, 'the old password no longer works');
  assert.ok(await signIn(t.app, 'jongno.approver', 'a-new-long-password'));
  const account = await t.database.db.selectFrom('accounts').select('id').where('username', '=', 'jongno.approver').executeTakeFirstOrThrow();
  const audit = await t.database.db.selectFrom('audit_events').selectAll().where('action', '=', 'identity.password.changed').where('subject_id', '=', String(account.id)).executeTakeFirst();
  assert.ok(audit);
  const inbox = await page(here, '/inbox');
  assert.match(inbox.body, /비밀번호가 변경되었습니다/);
  await t.jobs.runDue();
  const mail = await t.database.db.selectFrom('mail_messages').selectAll().where('account_id', '=', account.id).executeTakeFirst();
  assert.equal(mail?.subject, '비밀번호가 변경되었습니다');
});

test('a common password is refused as a new password, with the reason', async () => {
  const cookie = await signIn(t.app, 'pps.officer');
  const res = await post(cookie, '/account/password?lang=en', { currentPassword: DEMO_PASSWORD, newPassword: 'password123!', confirmPassword: 'password123!' });
  assert.equal(res.statusCode, 422);
  assert.match(res.body, /href="#newPassword">That password is too common or easy to guess/);
});
