import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { testApp, cookiesFrom, csrfFrom, type TestApp } from '../../../test/support/test-app.ts';
import { createFieldEncryption } from '../../platform/crypto/field-encryption.ts';
import { completeSignUp } from './complete-sign-up.ts';

let t: TestApp;
before(async () => {
  t = await testApp();
});
after(async () => t.close());

interface Person {
  id: number;
  name: string;
  birthDate: string;
  nationalId: string;
  email: string | null;
}

/** Residents on the register, with their real number (decrypted as only a test may). */
async function residents(where: 'with-email' | 'without-email' | 'with-account'): Promise<Person[]> {
  const encryption = createFieldEncryption(t.config.dataKey);
  let q = t.database.db
    .selectFrom('residents')
    .select(['id', 'name_ko', 'email', 'national_id_cipher', sql<string>`birth_date::text`.as('birth')])
    .orderBy('id');
  const bound = t.database.db.selectFrom('accounts').select('resident_id').where('resident_id', 'is not', null);
  if (where === 'with-account') q = q.where('id', 'in', bound);
  else q = q.where('id', 'not in', bound).where('email', where === 'with-email' ? 'is not' : 'is', null);
  const rows = await q.limit(10).execute();
  return rows.map((r) => ({ id: r.id, name: r.name_ko, birthDate: r.birth, nationalId: encryption.decrypt(r.national_id_cipher), email: r.email }));
}

function browser() {
  let cookie = '';
  const go = async (method: 'GET' | 'POST', url: string, payload?: Record<string, string>) => {
    let body = payload;
    if (method === 'POST') {
      const form = await t.app.inject({ method: 'GET', url: url === '/sign-up/verify' ? '/sign-up/verify' : '/sign-up', headers: { cookie } });
      cookie = cookiesFrom(form, cookie);
      body = { ...payload, _csrf: csrfFrom(form.body) };
    }
    const res = await t.app.inject({ method, url, headers: { cookie }, ...(body ? { payload: body } : {}) });
    cookie = cookiesFrom(res, cookie);
    return res;
  };
  return { go, get cookie() { return cookie; } };
}

async function codeSentTo(email: string): Promise<string> {
  await t.jobs.runDue();
  const mail = await t.database.db.selectFrom('mail_messages').select('text_body').where('to_address', '=', email).orderBy('id', 'desc').executeTakeFirstOrThrow();
  return /\b(\d{6})\b/.exec(mail.text_body)![1]!;
}

test('a resident on the register signs up with the code mailed to the address on record, and is signed in', async () => {
  const [person] = await residents('with-email');
  const b = browser();
  const started = await b.go('POST', '/sign-up', { name: person!.name, birthDate: person!.birthDate, nationalId: person!.nationalId });
  assert.equal(started.statusCode, 303);
  assert.equal(started.headers.location, '/sign-up/verify');
  const verify = await b.go('GET', '/sign-up/verify');
  assert.match(verify.body, /인증번호 6자리를 보냈습니다/);
  assert.ok(!verify.body.includes(person!.email!), 'the address is shown masked');
  const code = await codeSentTo(person!.email!);
  const done = await b.go('POST', '/sign-up/verify', { code, username: `new.${person!.id}`, password: 'a quiet morning in jeju', confirmPassword: 'a quiet morning in jeju' });
  assert.equal(done.statusCode, 303);
  assert.equal(done.headers.location, '/inbox');
  const inbox = await b.go('GET', '/inbox');
  assert.equal(inbox.statusCode, 200);
  assert.match(inbox.body, /나라에 오신 것을 환영합니다/);
  const account = await t.database.db.selectFrom('accounts').selectAll().where('username', '=', `new.${person!.id}`).executeTakeFirstOrThrow();
  assert.equal(account.resident_id, person!.id);
  assert.equal(account.kind, 'resident');
});

test('details that do not match the register are refused without saying which part, keeping the name and date but not the number', async () => {
  const [person] = await residents('with-email');
  const b = browser();
  const res = await b.go('POST', '/sign-up', { name: '홍길동', birthDate: person!.birthDate, nationalId: person!.nationalId });
  assert.equal(res.statusCode, 422);
  assert.match(res.body, /일치하는 주민등록 정보가 없습니다/);
  assert.match(res.body, /value="홍길동"/);
  assert.ok(res.body.includes(`value="${person!.birthDate}"`));
  assert.ok(!res.body.includes(person!.nationalId), 'the national ID number is never sent back');
  const wrongDate = await b.go('POST', '/sign-up', { name: person!.name, birthDate: '1900-01-01', nationalId: person!.nationalId });
  assert.match(wrongDate.body, /일치하는 주민등록 정보가 없습니다/);
});

test('a number that fails the checksum is explained at its field', async () => {
  const res = await browser().go('POST', '/sign-up?lang=en', { name: 'Kim', birthDate: '1985-03-21', nationalId: '850321-1234560' });
  assert.equal(res.statusCode, 422);
  assert.match(res.body, /href="#nationalId">Enter all 13 digits/);
});

test('a person who already has an account is told to sign in', async () => {
  const [person] = await residents('with-account');
  const res = await browser().go('POST', '/sign-up', { name: person!.name, birthDate: person!.birthDate, nationalId: person!.nationalId });
  assert.equal(res.statusCode, 409);
  assert.match(res.body, /이미 나라 계정이 있습니다/);
});

test('without an e-mail address on record, the person is sent to a service counter', async () => {
  const [person] = await residents('without-email');
  const res = await browser().go('POST', '/sign-up', { name: person!.name, birthDate: person!.birthDate, nationalId: person!.nationalId });
  assert.equal(res.statusCode, 422);
  assert.match(res.body, /주민센터를 방문해 주세요/);
});

test('a wrong code says how many tries are left, and five wrong codes end the attempt', async () => {
  const [, person] = await residents('with-email');
  const b = browser();
  await b.go('POST', '/sign-up', { name: person!.name, birthDate: person!.birthDate, nationalId: person!.nationalId });
  const code = await codeSentTo(person!.email!);
  const wrong = code === '000000' ? '111111' : '000000';
  const first = await b.go('POST', '/sign-up/verify', { code: wrong, username: 'someone.new', password: 'a quiet morning in jeju', confirmPassword: 'a quiet morning in jeju' });
  assert.equal(first.statusCode, 422);
  assert.match(first.body, /4번 더 입력할 수 있습니다/);
  assert.match(first.body, /value="someone.new"/, 'the chosen username is kept');
  for (let i = 0; i < 3; i++) await b.go('POST', '/sign-up/verify', { code: wrong, username: 'someone.new', password: 'x', confirmPassword: 'x' });
  const fifth = await b.go('POST', '/sign-up/verify', { code: wrong, username: 'someone.new', password: 'x', confirmPassword: 'x' });
  assert.equal(fifth.statusCode, 410);
  assert.match(fifth.body, /인증번호를 너무 많이 틀렸습니다. 처음부터 다시 신청해 주세요/);
  const back = await b.go('GET', '/sign-up/verify');
  assert.equal(back.headers.location, '/sign-up', 'the attempt is over: back to the start');
  const request = await t.database.db.selectFrom('sign_up_requests').selectAll().where('resident_id', '=', person!.id).executeTakeFirstOrThrow();
  await assert.rejects(
    completeSignUp(t.database.db, { signUpId: request.id, code, username: 'someone.new', password: 'a quiet morning in jeju', confirmPassword: 'a quiet morning in jeju', codeSecret: t.config.sessionSecret, requestId: 'r', ip: '127.0.0.1' }),
    (e: { code?: string }) => e.code === 'SIGN_UP_EXPIRED',
    'even the right code no longer works',
  );
  assert.equal(await t.database.db.selectFrom('accounts').select('id').where('username', '=', 'someone.new').executeTakeFirst(), undefined);
});

test('a code works once and not after it expires', async () => {
  const [, , person] = await residents('with-email');
  const b = browser();
  await b.go('POST', '/sign-up', { name: person!.name, birthDate: person!.birthDate, nationalId: person!.nationalId });
  const code = await codeSentTo(person!.email!);
  const request = await t.database.db.selectFrom('sign_up_requests').selectAll().where('resident_id', '=', person!.id).executeTakeFirstOrThrow();
  await t.database.db.updateTable('sign_up_requests').set({ expires_at: new Date(Date.now() - 1000) }).where('id', '=', request.id).execute();
  const expired = await b.go('POST', '/sign-up/verify', { code, username: 'late.comer', password: 'a quiet morning in jeju', confirmPassword: 'a quiet morning in jeju' });
  assert.equal(expired.statusCode, 410);
  assert.match(expired.body, /인증 시간이 지났거나/);
  await t.database.db.updateTable('sign_up_requests').set({ expires_at: new Date(Date.now() + 600_000) }).where('id', '=', request.id).execute();
  const options = { signUpId: request.id, code, password: 'a quiet morning in jeju', confirmPassword: 'a quiet morning in jeju', codeSecret: t.config.sessionSecret, requestId: 'r', ip: '127.0.0.1' };
  await completeSignUp(t.database.db, { ...options, username: 'first.use' });
  await assert.rejects(completeSignUp(t.database.db, { ...options, username: 'second.use' }), (e: { code?: string }) => e.code === 'SIGN_UP_EXPIRED');
});

test('the code page is only reachable after giving register details in this browser', async () => {
  const res = await t.app.inject({ method: 'GET', url: '/sign-up/verify' });
  assert.equal(res.statusCode, 303);
  assert.equal(res.headers.location, '/sign-up');
});
