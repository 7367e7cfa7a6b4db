import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testApp, signIn, csrfFrom, eventually, type TestApp } from '../../../test/support/test-app.ts';
import { notify } from './index.ts';

let t: TestApp;
let resident1Notification: number;
before(async () => {
  t = await testApp();
  const r1 = await t.database.db.selectFrom('accounts').select('id').where('username', '=', 'resident1').executeTakeFirstOrThrow();
  resident1Notification = (await t.database.db.selectFrom('notifications').select('id').where('account_id', '=', r1.id).executeTakeFirstOrThrow()).id;
});
after(async () => t.close());

test('a visitor who is not signed in is sent to sign in before seeing an inbox', async () => {
  const res = await t.app.inject({ method: 'GET', url: '/inbox' });
  assert.equal(res.statusCode, 303);
  assert.equal(res.headers.location, '/sign-in?next=%2Finbox');
});

test('a resident sees their own notifications in their language', async () => {
  const cookie = await signIn(t.app, 'resident1');
  const ko = await t.app.inject({ method: 'GET', url: '/inbox', headers: { cookie } });
  assert.match(ko.body, /나라에 오신 것을 환영합니다/);
  const en = await t.app.inject({ method: 'GET', url: '/inbox?lang=en', headers: { cookie } });
  assert.match(en.body, /Welcome to Nara/);
  assert.match(en.body, /1 notifications, 1 unread/);
});

test("a resident does not see another resident's notifications", async () => {
  const cookie = await signIn(t.app, 'resident2');
  const res = await t.app.inject({ method: 'GET', url: '/inbox', headers: { cookie } });
  assert.equal(res.statusCode, 200);
  assert.doesNotMatch(res.body, /나라에 오신 것을 환영합니다/);
});

test("a resident cannot mark another resident's notification as read", async () => {
  const cookie = await signIn(t.app, 'resident2');
  const page = await t.app.inject({ method: 'GET', url: '/inbox', headers: { cookie } });
  const res = await t.app.inject({ method: 'POST', url: `/inbox/${resident1Notification}/read`, headers: { cookie }, payload: { _csrf: csrfFrom(page.body) } });
  assert.equal(res.statusCode, 404);
  const row = await t.database.db.selectFrom('notifications').select('read_at').where('id', '=', resident1Notification).executeTakeFirstOrThrow();
  assert.equal(row.read_at, null);
});

test('marking as read needs a signed-in owner', async () => {
  const res = await t.app.inject({ method: 'POST', url: `/inbox/${resident1Notification}/read`, payload: {} });
  assert.equal(res.statusCode, 403, 'no session, no CSRF token');
});

test('the owner marks a notification as read', async () => {
  const cookie = await signIn(t.app, 'resident1');
  const page = await t.app.inject({ method: 'GET', url: '/inbox', headers: { cookie } });
  const res = await t.app.inject({ method: 'POST', url: `/inbox/${resident1Notification}/read`, headers: { cookie }, payload: { _csrf: csrfFrom(page.body) } });
  assert.equal(res.statusCode, 303);
  const row = await t.database.db.selectFrom('notifications').select('read_at').where('id', '=', resident1Notification).executeTakeFirstOrThrow();
  assert.ok(row.read_at);
});

test('the welcome e-mail leaves through the outbox once, in the recipient language, and lands in the development mailbox', async () => {
  assert.ok((await t.jobs.runDue()) >= 1);
  const mails = await t.database.db.selectFrom('mail_messages').selectAll().execute();
  assert.equal(mails.length, 1);
  assert.equal(mails[0]!.transport, 'dev-mailbox');
  assert.equal(mails[0]!.subject, '나라에 오신 것을 환영합니다');
  assert.match(mails[0]!.text_body, /http:\/\/localhost:3000\//);
  // The job runs again (say its worker crashed before marking it done): no second e-mail.
  await t.database.db.updateTable('jobs').set({ completed_at: null, locked_until: null }).where('queue', '=', 'notifications.email').execute();
  await t.jobs.runDue();
  assert.equal((await t.database.db.selectFrom('mail_messages').selectAll().execute()).length, 1);
  const page = await t.app.inject({ method: 'GET', url: '/dev/mailbox' });
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /나라에 오신 것을 환영합니다/);
});

test('an e-mail is written in the language the account prefers', async () => {
  const r2 = await t.database.db.selectFrom('accounts').select('id').where('username', '=', 'resident2').executeTakeFirstOrThrow();
  await t.database.db.updateTable('accounts').set({ locale: 'en' }).where('id', '=', r2.id).execute();
  await t.database.db.transaction().execute((tx) => notify(tx, { accountId: r2.id, template: 'notifications.welcome', email: true }));
  await t.jobs.runDue();
  const mail = await t.database.db.selectFrom('mail_messages').selectAll().where('account_id', '=', r2.id).executeTakeFirstOrThrow();
  assert.equal(mail.subject, 'Welcome to Nara');
});

test('a new e-mail address or language set elsewhere is used for the very next e-mail, though contacts are kept for a while', async () => {
  const r3 = await t.database.db.selectFrom('accounts').select(['id', 'email']).where('username', '=', 'resident3').executeTakeFirstOrThrow();
  const mailOnce = async () => {
    await t.database.db.transaction().execute((tx) => notify(tx, { accountId: r3.id, template: 'notifications.welcome', email: true }));
    await t.jobs.runDue();
    return t.database.db.selectFrom('mail_messages').select(['to_address', 'subject']).where('account_id', '=', r3.id).orderBy('id', 'desc').executeTakeFirstOrThrow();
  };
  assert.deepEqual(await mailOnce(), { to_address: r3.email, subject: '나라에 오신 것을 환영합니다' });
  const heard: string[] = [];
  const stop = await t.database.listen('nara_account_changed', (id) => heard.push(id));
  try {
    await t.database.db.updateTable('accounts').set({ email: 'moved@example.kr', locale: 'en' }).where('id', '=', r3.id).execute();
    await eventually(async () => heard.includes(String(r3.id)), 'the change being announced');
  } finally {
    stop();
  }
  assert.deepEqual(await mailOnce(), { to_address: 'moved@example.kr', subject: 'Welcome to Nara' });
});

test('the development mailbox does not exist in production', async () => {
  const prod = await testApp({ seed: false, config: { env: 'production' } });
  try {
    const res = await prod.app.inject({ method: 'GET', url: '/dev/mailbox' });
    assert.equal(res.statusCode, 404);
  } finally {
    await prod.close();
  }
});
