import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { testApp, signIn, csrfFrom, cookiesFrom, type TestApp } from '../../../test/support/test-app.ts';
import { createFieldEncryption } from '../../platform/crypto/field-encryption.ts';
import { hashPassword } from './passwords.ts';
import { insertAccount } from './repository.ts';
import { businessesActingFor } from './index.ts';
import { confirmAssistanceWithPasskey } from './assisted-service.ts';

// Assisted service at a counter: an official acts for a resident who is present, only after
// the resident confirms, and everything done is recorded as such and shown to the resident.

let t: TestApp;
let resident: { accountId: number; name: string; birthDate: string; nationalId: string };
let business: { id: number; registration_no: string; name_ko: string };
const RESIDENT_PASSWORD = 'quiet river morning';

before(async () => {
  t = await testApp();
  const row = await t.database.db
    .selectFrom('businesses')
    .innerJoin('residents', 'residents.id', 'businesses.representative_resident_id')
    .select(['businesses.id', 'businesses.registration_no', 'businesses.name_ko', 'residents.id as resident_id', 'residents.name_ko as person', 'residents.national_id_cipher', sql<string>`residents.birth_date::text`.as('birth')])
    .where('residents.id', 'not in', t.database.db.selectFrom('accounts').select('resident_id').where('resident_id', 'is not', null))
    .orderBy('businesses.id')
    .executeTakeFirstOrThrow();
  business = row;
  const accountId = await insertAccount(t.database.db, { kind: 'resident', username: 'counter.visitor', displayName: row.person, email: 'visitor@example.kr', passwordHash: await hashPassword(RESIDENT_PASSWORD), residentId: row.resident_id });
  resident = { accountId, name: row.person, birthDate: row.birth, nationalId: createFieldEncryption(t.config.dataKey).decrypt(row.national_id_cipher) };
});
after(async () => t.close());

/** A browser session: keeps its cookie, sends forms with the page's CSRF token. */
function counterBrowser(cookie: string) {
  return {
    get cookie() {
      return cookie;
    },
    async get(url: string) {
      const res = await t.app.inject({ method: 'GET', url, headers: { cookie } });
      cookie = cookiesFrom(res, cookie);
      return res;
    },
    async post(url: string, payload: Record<string, string> = {}) {
      const page = await t.app.inject({ method: 'GET', url: '/account', headers: { cookie } });
      cookie = cookiesFrom(page, cookie);
      const res = await t.app.inject({ method: 'POST', url, headers: { cookie }, payload: { ...payload, _csrf: csrfFrom(page.body) } });
      cookie = cookiesFrom(res, cookie);
      return res;
    },
  };
}

async function latestCode(): Promise<string> {
  const row = await t.database.db.selectFrom('notifications').select('params').where('account_id', '=', resident.accountId).where('template', '=', 'identity.assistCode').orderBy('id', 'desc').executeTakeFirstOrThrow();
  return String(row.params.code);
}

async function startFor(browser: ReturnType<typeof counterBrowser>) {
  const started = await browser.post('/counter/start', { name: resident.name, birthDate: resident.birthDate, nationalId: resident.nationalId });
  assert.equal(started.statusCode, 303, started.body.slice(0, 500));
  assert.match(started.headers.location as string, /^\/counter\/confirm\//);
  return started.headers.location as string;
}

test('a clerk serves a resident who confirms with the code; what is done is marked and shown to the resident', async () => {
  const clerk = counterBrowser(await signIn(t.app, 'jongno.clerk'));
  const confirmUrl = await startFor(clerk);

  // The resident gets the code in the inbox and by e-mail, naming who asks.
  await t.jobs.runDue();
  const mail = await t.database.db.selectFrom('mail_messages').select('text_body').where('to_address', '=', 'visitor@example.kr').orderBy('id', 'desc').executeTakeFirstOrThrow();
  const code = await latestCode();
  assert.ok(mail.text_body.includes(code));
  assert.match(mail.text_body, /주무관 박도현/);

  // Until confirmed, nothing can be done for them.
  const early = await clerk.post('/counter/businesses', { registrationNo: business.registration_no });
  assert.equal(early.headers.location, '/counter?done=expired');
  assert.equal((await businessesActingFor(t.database.db, resident.accountId)).length, 0);

  const wrong = await clerk.post(confirmUrl, { code: code === '000000' ? '111111' : '000000' });
  assert.equal(wrong.statusCode, 422);
  assert.match(wrong.body, /4번 더 입력할 수 있습니다/);
  const right = await clerk.post(confirmUrl, { code });
  assert.equal(right.headers.location, '/counter?done=confirmed');
  const serving = await clerk.get('/counter?done=confirmed');
  assert.match(serving.body, new RegExp(`${resident.name} 님 대리 처리 중`));

  const linked = await clerk.post('/counter/businesses', { registrationNo: business.registration_no });
  assert.equal(linked.headers.location, '/counter?done=linked');
  assert.deepEqual((await businessesActingFor(t.database.db, resident.accountId)).map((b) => b.id), [business.id]);
  const event = await t.database.db.selectFrom('audit_events').selectAll().where('action', '=', 'identity.business.linked').where('subject_id', '=', String(business.id)).executeTakeFirstOrThrow();
  const clerkId = (await t.database.db.selectFrom('accounts').select('id').where('username', '=', 'jongno.clerk').executeTakeFirstOrThrow()).id;
  assert.equal(event.actor_account_id, clerkId, 'the official is the actor');
  assert.equal(event.on_behalf_of_account_id, resident.accountId, 'marked as done for the resident');

  assert.equal((await clerk.post('/counter/end')).headers.location, '/counter?done=ended');
  const after = await clerk.post('/counter/businesses', { registrationNo: business.registration_no });
  assert.equal(after.headers.location, '/counter?done=expired', 'after the end, nothing more can be done for them');

  // The resident sees every step on their own account page.
  const own = await t.app.inject({ method: 'GET', url: '/account', headers: { cookie: await signIn(t.app, 'counter.visitor', RESIDENT_PASSWORD) } });
  assert.match(own.body, /창구에서 대신 처리한 일/);
  for (const label of ['대리 처리 확인번호 요청', '대리 처리 시작 (본인 확인)', '사업자 연결', '대리 처리 종료']) assert.ok(own.body.includes(label), label);
  assert.ok(own.body.includes('주무관 박도현'));
});

test('bad identity details are explained at each field and what was typed is kept', async () => {
  const clerk = counterBrowser(await signIn(t.app, 'jongno.clerk'));
  const res = await clerk.post('/counter/start', { name: resident.name, birthDate: '1999-13-45', nationalId: '12345' });
  assert.equal(res.statusCode, 422);
  assert.match(res.body, /value="1999-13-45"/);
  const mismatch = await clerk.post('/counter/start', { name: '다른사람', birthDate: resident.birthDate, nationalId: resident.nationalId });
  assert.equal(mismatch.statusCode, 422);
  assert.match(mismatch.body, /주민등록 정보와 맞지 않습니다/);
});

test('only counter staff may start: residents, auditors and visitors are refused', async () => {
  const residentBrowser = counterBrowser(await signIn(t.app, 'counter.visitor', RESIDENT_PASSWORD));
  assert.equal((await residentBrowser.post('/counter/start', { name: resident.name, birthDate: resident.birthDate, nationalId: resident.nationalId })).statusCode, 403);
  const auditor = counterBrowser(await signIn(t.app, 'smg.auditor'));
  assert.equal((await auditor.post('/counter/start', { name: resident.name, birthDate: resident.birthDate, nationalId: resident.nationalId })).statusCode, 403);
  const page = await t.app.inject({ method: 'GET', url: '/sign-in' });
  const anonymous = await t.app.inject({ method: 'POST', url: '/counter/start', headers: { cookie: cookiesFrom(page) }, payload: { _csrf: csrfFrom(page.body), name: 'x', birthDate: 'x', nationalId: 'x' } });
  assert.equal(anonymous.statusCode, 401);
});

test("another official, or the same official on another device, cannot use someone's confirmation", async () => {
  const clerk = counterBrowser(await signIn(t.app, 'jongno.clerk'));
  const confirmUrl = await startFor(clerk);
  const code = await latestCode();
  const other = counterBrowser(await signIn(t.app, 'gangnam.clerk'));
  assert.equal((await other.post(confirmUrl, { code })).headers.location, '/counter?done=expired');
  const sameOfficialElsewhere = counterBrowser(await signIn(t.app, 'jongno.clerk'));
  assert.equal((await sameOfficialElsewhere.post(confirmUrl, { code })).headers.location, '/counter?done=expired');
  // The rightful counter still can, once; and only its own session serves the resident.
  assert.equal((await clerk.post(confirmUrl, { code })).headers.location, '/counter?done=confirmed');
  assert.equal((await sameOfficialElsewhere.post('/counter/businesses', { registrationNo: business.registration_no })).headers.location, '/counter?done=expired');
  await clerk.post('/counter/end');
});

test('five wrong codes end the attempt; a passkey that is not the resident\'s does not confirm', async () => {
  const clerk = counterBrowser(await signIn(t.app, 'jongno.clerk'));
  const confirmUrl = await startFor(clerk);
  const code = await latestCode();
  const wrongCode = code === '000000' ? '111111' : '000000';
  for (let i = 0; i < 4; i++) assert.equal((await clerk.post(confirmUrl, { code: wrongCode })).statusCode, 422);
  assert.equal((await clerk.post(confirmUrl, { code: wrongCode })).headers.location, '/counter?done=expired');
  assert.equal((await clerk.post(confirmUrl, { code })).headers.location, '/counter?done=expired', 'the right code is too late now');

  const again = await startFor(clerk);
  const pending = await t.database.db.selectFrom('assisted_sessions').select(['id', 'official_account_id', 'official_session_id']).where('id', '=', again.split('/').pop()!).executeTakeFirstOrThrow();
  const someoneElse = (await t.database.db.selectFrom('accounts').select('id').where('username', '=', 'resident1').executeTakeFirstOrThrow()).id;
  await assert.rejects(
    confirmAssistanceWithPasskey(t.database.db, { id: pending.id, officialAccountId: pending.official_account_id, officialSessionId: pending.official_session_id, passkeyAccountId: someoneElse, requestId: 'test', ip: '127.0.0.1' }),
    (error: Error & { code?: string }) => error.code === 'FORBIDDEN',
  );
  const stillPending = await t.database.db.selectFrom('assisted_sessions').select('confirmed_at').where('id', '=', pending.id).executeTakeFirstOrThrow();
  assert.equal(stillPending.confirmed_at, null);
});

/** Earlier tests' codes count towards the hourly limit: let an hour pass for them. */
const anHourPasses = () => t.database.db.updateTable('assisted_sessions').set({ created_at: sql`created_at - interval '2 hours'` }).execute();

test('codes tried all at once still get five tries in all, and a clerk who loses the role stops at once', async () => {
  await anHourPasses();
  const clerk = counterBrowser(await signIn(t.app, 'jongno.clerk'));
  const confirmUrl = await startFor(clerk);
  const code = await latestCode();
  const wrong = Array.from({ length: 12 }, (_, i) => String((Number(code) + 1 + i) % 1_000_000).padStart(6, '0'));
  const page = await clerk.get('/account');
  const csrf = csrfFrom(page.body);
  await Promise.all([...wrong, code].map((c) => t.app.inject({ method: 'POST', url: confirmUrl, headers: { cookie: clerk.cookie }, payload: { code: c, _csrf: csrf } })));
  const row = await t.database.db.selectFrom('assisted_sessions').select(['attempts', 'confirmed_at']).where('id', '=', confirmUrl.split('/').pop()!).executeTakeFirstOrThrow();
  assert.ok(row.attempts <= 5, `at most five tries were counted (${row.attempts})`);

  // A fresh confirmation, then the role is taken away.
  const again = await startFor(clerk);
  assert.equal((await clerk.post(again, { code: await latestCode() })).headers.location, '/counter?done=confirmed');
  const clerkId = (await t.database.db.selectFrom('accounts').select('id').where('username', '=', 'jongno.clerk').executeTakeFirstOrThrow()).id;
  await t.database.db.deleteFrom('account_roles').where('account_id', '=', clerkId).where('role', '=', 'clerk').execute();
  assert.equal((await clerk.post('/counter/businesses', { registrationNo: business.registration_no })).headers.location, '/counter?done=expired');
});

test('a resident is sent at most five codes an hour, whoever asks', async () => {
  await anHourPasses();
  const official = counterBrowser(await signIn(t.app, 'jongno.approver'));
  for (let i = 0; i < 5; i++) await startFor(official);
  const refused = await official.post('/counter/start', { name: resident.name, birthDate: resident.birthDate, nationalId: resident.nationalId });
  assert.equal(refused.statusCode, 429);
  assert.match(refused.body, /확인번호를 너무 많이 보냈습니다/);
});
