import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testApp, signIn, csrfFrom, type TestApp } from '../../../test/support/test-app.ts';
import { createOfficial } from './index.ts';

let t: TestApp;
const ids: Record<string, number> = {};
const agencies: Record<string, number> = {};
before(async () => {
  t = await testApp();
  await createOfficial(t.database.db, { username: 'mois.clerk', displayName: '주무관 문서진', email: 'mois.clerk@officials.example.kr', agencyCode: 'MOIS', departmentCode: 'RES', roles: ['clerk'], password: 'a long and quiet river', actor: { accountId: null } });
  for (const a of await t.database.db.selectFrom('accounts').select(['id', 'username']).execute()) ids[a.username] = a.id;
  for (const a of await t.database.db.selectFrom('agencies').select(['id', 'code']).execute()) agencies[a.code] = a.id;
});
after(async () => t.close());

const sessions = new Map<string, string>();
async function as(username: string) {
  if (!sessions.has(username)) sessions.set(username, await signIn(t.app, username, username === 'mois.clerk' ? 'a long and quiet river' : undefined));
  return sessions.get(username)!;
}
async function post(username: string, url: string, payload: Record<string, string | string[]>) {
  const cookie = await as(username);
  const page = await t.app.inject({ method: 'GET', url: '/account', headers: { cookie } });
  return t.app.inject({ method: 'POST', url, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams([...Object.entries(payload).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v]])), ['_csrf', csrfFrom(page.body)]]).toString() });
}
const rolesOf = async (username: string) =>
  (await t.database.db.selectFrom('account_roles').innerJoin('accounts', 'accounts.id', 'account_roles.account_id').select('role').where('accounts.username', '=', username).execute()).map((r) => r.role).sort();

test("an agency administrator sees their own agency's officials and can manage them", async () => {
  const res = await t.app.inject({ method: 'GET', url: '/admin/officials', headers: { cookie: await as('mois.admin') } });
  assert.equal(res.statusCode, 200);
  assert.match(res.body, /주무관 문서진/);
  assert.match(res.body, /action="\/admin\/officials\/\d+\/roles"/);
  assert.doesNotMatch(res.body, /주무관 박도현/, "another agency's official is not listed");
});

test('an agency administrator changes a clerk into a clerk and approver, and it is audited with before and after', async () => {
  const res = await post('mois.admin', `/admin/officials/${ids['mois.clerk']}/roles`, { roles: ['clerk', 'approver'] });
  assert.equal(res.statusCode, 303);
  assert.deepEqual(await rolesOf('mois.clerk'), ['approver', 'clerk']);
  const audit = await t.database.db.selectFrom('audit_events').selectAll().where('action', '=', 'identity.official.roles-changed').executeTakeFirstOrThrow();
  assert.deepEqual(audit.details, { before: ['clerk'], after: ['approver', 'clerk'] });
  assert.equal(audit.actor_account_id, ids['mois.admin']);
});

test("an administrator of one agency cannot see or touch another agency's officials", async () => {
  const view = await t.app.inject({ method: 'GET', url: `/admin/officials?agency=${agencies['SMG-JONGNO']}`, headers: { cookie: await as('mois.admin') } });
  assert.equal(view.statusCode, 403);
  const change = await post('mois.admin', `/admin/officials/${ids['jongno.clerk']}/roles`, { roles: ['agency-admin'] });
  assert.equal(change.statusCode, 403);
  assert.deepEqual(await rolesOf('jongno.clerk'), ['clerk']);
  const suspend = await post('mois.admin', `/admin/officials/${ids['jongno.clerk']}/status`, { status: 'suspended' });
  assert.equal(suspend.statusCode, 403);
});

test('a clerk cannot change anyone\u2019s roles, not even in their own agency', async () => {
  const res = await post('jongno.clerk', `/admin/officials/${ids['jongno.approver']}/roles`, { roles: ['clerk'] });
  assert.equal(res.statusCode, 403);
  assert.deepEqual(await rolesOf('jongno.approver'), ['approver', 'head-of-department']);
  const view = await t.app.inject({ method: 'GET', url: '/admin/officials', headers: { cookie: await as('jongno.clerk') } });
  assert.equal(view.statusCode, 403);
});

test('an auditor reads their agency\u2019s officials and changes nothing', async () => {
  const view = await t.app.inject({ method: 'GET', url: '/admin/officials?lang=en', headers: { cookie: await as('smg.auditor') } });
  assert.equal(view.statusCode, 200);
  assert.match(view.body, /As an auditor you can read this but not change it/);
  assert.doesNotMatch(view.body, /\/roles"/, 'no forms to change anything');
  const change = await post('smg.auditor', `/admin/officials/${ids['smg.auditor']}/roles`, { roles: ['agency-admin'] });
  assert.equal(change.statusCode, 403);
});

test('nobody changes their own roles, so no one can quietly make themselves everything', async () => {
  const res = await post('mois.admin', `/admin/officials/${ids['mois.admin']}/roles`, { roles: ['agency-admin', 'auditor'] });
  assert.equal(res.statusCode, 403);
  assert.match(res.body, /자신의 역할이나 상태는 바꿀 수 없습니다/);
});

test('an unknown or platform-level role cannot be given from the agency page', async () => {
  const res = await post('mois.admin', `/admin/officials/${ids['mois.clerk']}/roles`, { roles: ['clerk', 'platform-operator'] });
  assert.equal(res.statusCode, 422);
  assert.deepEqual(await rolesOf('mois.clerk'), ['approver', 'clerk']);
});

test("changing the platform operator's agency roles leaves the platform role in place", async () => {
  const res = await post('mois.admin', `/admin/officials/${ids['operator']}/roles`, { roles: ['auditor'] });
  assert.equal(res.statusCode, 303);
  assert.deepEqual(await rolesOf('operator'), ['auditor', 'platform-operator']);
});

test('suspending an official ends their sessions at once; reinstating lets them back', async () => {
  const clerk = await as('mois.clerk');
  assert.equal((await t.app.inject({ method: 'GET', url: '/account', headers: { cookie: clerk } })).statusCode, 200);
  assert.equal((await post('mois.admin', `/admin/officials/${ids['mois.clerk']}/status`, { status: 'suspended' })).statusCode, 303);
  assert.equal((await t.app.inject({ method: 'GET', url: '/account', headers: { cookie: clerk } })).statusCode, 303, 'signed out');
  await assert.rejects(signIn(t.app, 'mois.clerk', 'a long and quiet river'), /403/);
  assert.equal((await post('mois.admin', `/admin/officials/${ids['mois.clerk']}/status`, { status: 'active' })).statusCode, 303);
  assert.ok(await signIn(t.app, 'mois.clerk', 'a long and quiet river'));
});

test('a resident cannot reach agency administration at all', async () => {
  const res = await t.app.inject({ method: 'GET', url: '/admin/officials', headers: { cookie: await as('resident1') } });
  assert.equal(res.statusCode, 403);
  const change = await post('resident1', `/admin/officials/${ids['mois.clerk']}/roles`, { roles: ['clerk'] });
  assert.equal(change.statusCode, 403);
});

async function inviteLink(email: string): Promise<string> {
  await t.jobs.runDue();
  const mail = await t.database.db.selectFrom('mail_messages').select('text_body').where('to_address', '=', email).orderBy('id', 'desc').executeTakeFirstOrThrow();
  return new URL(/(http:\/\/\S+\/invitation\/\S+)/.exec(mail.text_body)![1]!).pathname;
}

test('an administrator invites a new official, who chooses a password from the mailed link and signs in with a second factor', async () => {
  const res = await post('mois.admin', `/admin/officials/invite?agency=${agencies['MOIS']}`, { displayName: '사무관 노지훈', username: 'mois.new', email: 'mois.new@officials.example.kr', departmentId: '', roles: ['clerk'] });
  assert.equal(res.statusCode, 303);
  assert.match(res.headers.location as string, /done=invited/);
  const path = await inviteLink('mois.new@officials.example.kr');
  const page = await t.app.inject({ method: 'GET', url: path });
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /사무관 노지훈님/);
  const cookie = page.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  const weak = await t.app.inject({ method: 'POST', url: path, headers: { cookie }, payload: { password: 'password1234', confirmPassword: 'password1234', _csrf: csrfFrom(page.body) } });
  assert.equal(weak.statusCode, 422);
  const set = await t.app.inject({ method: 'POST', url: path, headers: { cookie }, payload: { password: 'blue mountain tea house', confirmPassword: 'blue mountain tea house', _csrf: csrfFrom(page.body) } });
  assert.equal(set.statusCode, 303);
  assert.equal(set.headers.location, '/sign-in?invited=1');
  assert.ok(await signIn(t.app, 'mois.new', 'blue mountain tea house'));
  assert.deepEqual(await rolesOf('mois.new'), ['clerk']);
  const again = await t.app.inject({ method: 'GET', url: path });
  assert.equal(again.statusCode, 404, 'the link works once');
});

test("an invitation form with mistakes comes back filled in, with a message at each field", async () => {
  const res = await post('mois.admin', `/admin/officials/invite?agency=${agencies['MOIS']}&lang=en`, { displayName: '사무관 임하늘', username: 'x', email: 'not-an-address', departmentId: '', roles: [] });
  assert.equal(res.statusCode, 422);
  assert.match(res.body, /value="사무관 임하늘"/);
  assert.match(res.body, /href="#username">A username has 3 to 40/);
  assert.match(res.body, /href="#email">Enter an e-mail address/);
  assert.match(res.body, /href="#roles">One of the roles is unknown/);
});

test('only an agency administrator invites, and only into their own agency', async () => {
  const other = await post('mois.admin', `/admin/officials/invite?agency=${agencies['SMG-JONGNO']}`, { displayName: 'x', username: 'sneaky.one', email: 's@x.example', departmentId: '', roles: ['agency-admin'] });
  assert.equal(other.statusCode, 403);
  const clerk = await post('jongno.clerk', `/admin/officials/invite?agency=${agencies['SMG-JONGNO']}`, { displayName: 'x', username: 'sneaky.two', email: 's@x.example', departmentId: '', roles: ['clerk'] });
  assert.equal(clerk.statusCode, 403);
  assert.equal(await t.database.db.selectFrom('accounts').select('id').where('username', 'in', ['sneaky.one', 'sneaky.two']).executeTakeFirst(), undefined);
});

test('an expired invitation link cannot be used', async () => {
  await post('mois.admin', `/admin/officials/invite?agency=${agencies['MOIS']}`, { displayName: '주무관 서다온', username: 'mois.late', email: 'mois.late@officials.example.kr', departmentId: '', roles: ['clerk'] });
  const path = await inviteLink('mois.late@officials.example.kr');
  await t.database.db.updateTable('invitations').set({ expires_at: new Date(Date.now() - 1000) }).execute();
  const res = await t.app.inject({ method: 'GET', url: `${path}?lang=en` });
  assert.equal(res.statusCode, 404);
  assert.match(res.body, /This invitation link cannot be used/);
});
