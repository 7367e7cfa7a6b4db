import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { testApp, cookiesFrom, csrfFrom, signIn, type TestApp } from '../../../test/support/test-app.ts';
import { DEMO_PASSWORD } from './index.ts';

let t: TestApp;
before(async () => {
  t = await testApp();
});
after(async () => t.close());

async function postSignIn(username: string, password: string, extra: Record<string, string> = {}, lang = 'ko') {
  const page = await t.app.inject({ method: 'GET', url: `/sign-in?lang=${lang}` });
  const cookie = cookiesFrom(page);
  const res = await t.app.inject({ method: 'POST', url: '/sign-in', headers: { cookie }, payload: { username, password, _csrf: csrfFrom(page.body), ...extra } });
  return { res, cookie };
}

test('a resident signs in with the demo password and the header greets them by name', async () => {
  const { res, cookie } = await postSignIn('resident1', DEMO_PASSWORD);
  assert.equal(res.statusCode, 303);
  assert.equal(res.headers.location, '/');
  const session = res.cookies.find((c) => c.name === 'nara_sid')!;
  assert.equal(session.httpOnly, true);
  assert.equal(session.sameSite, 'Lax');
  assert.equal(session.secure, true, 'Secure outside development');
  const home = await t.app.inject({ method: 'GET', url: '/', headers: { cookie: cookiesFrom(res, cookie) } });
  const account = await t.database.db.selectFrom('accounts').select('display_name').where('username', '=', 'resident1').executeTakeFirstOrThrow();
  assert.ok(home.body.includes(`${account.display_name}님`));
  assert.match(home.body, /action="\/sign-out"/);
});

test('the plain sign-in form, served again from memory, carries each visitor\'s own CSRF token, in their language', async () => {
  const first = await t.app.inject({ method: 'GET', url: '/sign-in' });
  const second = await t.app.inject({ method: 'GET', url: '/sign-in' });
  const [a, b] = [csrfFrom(first.body), csrfFrom(second.body)];
  assert.notEqual(a, b);
  assert.equal(first.body.replaceAll(a, 'TOKEN'), second.body.replaceAll(b, 'TOKEN'), 'the same page otherwise');
  assert.ok(!first.body.includes('nara-csrf-to-fill-in'));
  // Each token goes with its own session only.
  const crossed = await t.app.inject({ method: 'POST', url: '/sign-in', headers: { cookie: cookiesFrom(first) }, payload: { username: 'resident2', password: DEMO_PASSWORD, _csrf: b } });
  assert.equal(crossed.statusCode, 403);
  const own = await t.app.inject({ method: 'POST', url: '/sign-in', headers: { cookie: cookiesFrom(second) }, payload: { username: 'resident2', password: DEMO_PASSWORD, _csrf: b } });
  assert.equal(own.statusCode, 303);
  // A visitor who chose English gets the English form, with its own token.
  const english = await t.app.inject({ method: 'GET', url: '/sign-in', headers: { cookie: 'nara_lang=en' } });
  assert.match(english.body, /<html lang="en"/);
  assert.match(first.body, /<html lang="ko"/);
  assert.notEqual(csrfFrom(english.body), a);
});

test('signing in replaces the session token, so a token planted before sign-in is useless', async () => {
  const { res, cookie } = await postSignIn('resident1', DEMO_PASSWORD);
  const before = cookie.match(/nara_sid=([^;]+)/)![1];
  const after = res.cookies.find((c) => c.name === 'nara_sid')!.value;
  assert.notEqual(before, after);
  const planted = await t.app.inject({ method: 'GET', url: '/inbox', headers: { cookie: `nara_sid=${before}` } });
  assert.equal(planted.statusCode, 303, 'the old token is not signed in');
});

test('the database keeps only a hash of the session token', async () => {
  const { res } = await postSignIn('resident2', DEMO_PASSWORD);
  const token = res.cookies.find((c) => c.name === 'nara_sid')!.value;
  const stored = await t.database.db.selectFrom('sessions').select('id').where('id', '=', token).executeTakeFirst();
  assert.equal(stored, undefined);
  assert.match(token, /^s\./);
  const hashed = await t.database.db.selectFrom('sessions').select('id').where('id', '=', createHash('sha256').update(token.slice(2)).digest('hex')).executeTakeFirst();
  assert.ok(hashed);
});

test('a wrong password is refused with one message for unknown users and wrong passwords, keeping the username', async () => {
  const wrong = await postSignIn('resident1', 'not-the-password');
  assert.equal(wrong.res.statusCode, 401);
  assert.match(wrong.res.body, /아이디 또는 비밀번호가 올바르지 않습니다/);
  assert.match(wrong.res.body, /value="resident1"/);
  assert.doesNotMatch(wrong.res.body, /not-the-password/);
  const unknown = await postSignIn('nobody-here', 'whatever-password', {}, 'en');
  assert.equal(unknown.res.statusCode, 401);
  assert.match(unknown.res.body, /The username or password is not right/);
});

test('an empty form comes back with a message at each field and a summary', async () => {
  const { res } = await postSignIn('', '', {}, 'en');
  assert.equal(res.statusCode, 422);
  assert.match(res.body, /Please check the following/);
  assert.match(res.body, /href="#username">Enter your username/);
  assert.match(res.body, /id="password-error"/);
  assert.match(res.body, /aria-invalid="true"/);
});

test('after sign-in the user returns to the page they asked for, never to another site', async () => {
  const inside = await postSignIn('resident1', DEMO_PASSWORD, { next: '/inbox' });
  assert.equal(inside.res.headers.location, '/inbox');
  const outside = await postSignIn('resident1', DEMO_PASSWORD, { next: 'https://evil.example/' });
  assert.equal(outside.res.headers.location, '/');
});

test('signing out ends the session on the server', async () => {
  const cookie = await signIn(t.app, 'resident1');
  const inbox = await t.app.inject({ method: 'GET', url: '/inbox', headers: { cookie } });
  assert.equal(inbox.statusCode, 200);
  const out = await t.app.inject({ method: 'POST', url: '/sign-out', headers: { cookie }, payload: { _csrf: csrfFrom(inbox.body) } });
  assert.equal(out.statusCode, 303);
  const again = await t.app.inject({ method: 'GET', url: '/inbox', headers: { cookie } });
  assert.equal(again.statusCode, 303, 'the old cookie no longer works');
});

test('a suspended account cannot sign in, and its open sessions stop working', async () => {
  const cookie = await signIn(t.app, 'gangnam.clerk');
  await t.database.db.updateTable('accounts').set({ status: 'suspended' }).where('username', '=', 'gangnam.clerk').execute();
  try {
    const { res } = await postSignIn('gangnam.clerk', DEMO_PASSWORD);
    assert.equal(res.statusCode, 403);
    assert.match(res.body, /이용이 정지된 계정입니다/);
    const inbox = await t.app.inject({ method: 'GET', url: '/inbox', headers: { cookie } });
    assert.equal(inbox.statusCode, 303);
  } finally {
    await t.database.db.updateTable('accounts').set({ status: 'active' }).where('username', '=', 'gangnam.clerk').execute();
  }
});

test('a sign-in is recorded as a success only with its session: when either cannot be written, neither is', async () => {
  const { db } = t.database;
  const { id } = await db.selectFrom('accounts').select('id').where('username', '=', 'resident2').executeTakeFirstOrThrow();
  const written = async () => ({
    sessions: Number((await db.selectFrom('sessions').select((eb) => eb.fn.countAll().as('n')).where('account_id', '=', id).executeTakeFirstOrThrow()).n),
    successes: Number((await db.selectFrom('audit_events').select((eb) => eb.fn.countAll().as('n')).where('action', '=', 'identity.sign-in.succeeded').where('actor_account_id', '=', id).executeTakeFirstOrThrow()).n),
  });
  await sql`create function nara_test_refuse() returns trigger language plpgsql as $$ begin raise exception 'refused by the test'; end $$`.execute(db);
  try {
    // The database refuses the event, then the session, for this account alone.
    for (const [table, column] of [['audit_events', 'actor_account_id'], ['sessions', 'account_id']] as const) {
      await sql.raw(`create trigger nara_test_refuse before insert on ${table} for each row when (new.${column} = ${id}) execute function nara_test_refuse()`).execute(db);
      try {
        const before = await written();
        const { res } = await postSignIn('resident2', DEMO_PASSWORD);
        assert.equal(res.statusCode, 500, `${table} refused: the sign-in fails`);
        assert.doesNotMatch(String(res.headers['set-cookie'] ?? ''), /nara_sid=s\./, `${table} refused: no signed-in cookie`);
        assert.deepEqual(await written(), before, `${table} refused: neither a session nor a recorded success`);
      } finally {
        await sql.raw(`drop trigger nara_test_refuse on ${table}`).execute(db);
      }
    }
  } finally {
    await sql`drop function nara_test_refuse()`.execute(db);
  }
  const before = await written();
  assert.equal((await postSignIn('resident2', DEMO_PASSWORD)).res.statusCode, 303);
  assert.deepEqual(await written(), { sessions: before.sessions + 1, successes: before.successes + 1 }, 'with nothing in the way, both');
});

test('every sign-in attempt is audited with its address and request: a success together with the session it began, a refusal without one', async () => {
  const events = (requestId: string) => t.database.db.selectFrom('audit_events').selectAll().where('request_id', '=', requestId).execute();
  const sessionsOf = async (username: string) => {
    const account = await t.database.db.selectFrom('accounts').select('id').where('username', '=', username).executeTakeFirstOrThrow();
    return { id: account.id, count: Number((await t.database.db.selectFrom('sessions').select((eb) => eb.fn.countAll().as('n')).where('account_id', '=', account.id).executeTakeFirstOrThrow()).n) };
  };

  const wrong = await postSignIn('jongno.clerk', 'bad-password-1');
  const [failed] = await events(wrong.res.headers['x-request-id'] as string);
  assert.equal(failed?.action, 'identity.sign-in.failed');
  assert.ok(failed.ip);

  // A resident: the event and the signed-in session, from the same request.
  const before = await sessionsOf('resident3');
  const right = await postSignIn('resident3', DEMO_PASSWORD);
  assert.equal(right.res.statusCode, 303);
  const [succeeded, ...others] = await events(right.res.headers['x-request-id'] as string);
  assert.equal(others.length, 0);
  assert.equal(succeeded?.action, 'identity.sign-in.succeeded');
  assert.equal(succeeded.actor_account_id, before.id);
  assert.equal(succeeded.subject_id, String(before.id));
  assert.ok(succeeded.ip);
  assert.equal((await sessionsOf('resident3')).count, before.count + 1);

  // A browser whose session already had a row (it asked for passkey options): that row is
  // replaced, and the event is still written with the new session.
  const page = await t.app.inject({ method: 'GET', url: '/sign-in' });
  const csrf = csrfFrom(page.body);
  const options = await t.app.inject({ method: 'POST', url: '/sign-in/passkey/options', headers: { cookie: cookiesFrom(page), 'x-csrf-token': csrf, 'content-type': 'application/json' }, payload: '{}' });
  const stored = cookiesFrom(options, cookiesFrom(page));
  const storedId = createHash('sha256').update(/nara_sid=s\.([^;]+)/.exec(stored)![1]!).digest('hex');
  assert.ok(await t.database.db.selectFrom('sessions').select('id').where('id', '=', storedId).executeTakeFirst(), 'the stored session exists before sign-in');
  const again = await t.app.inject({ method: 'POST', url: '/sign-in', headers: { cookie: stored }, payload: { username: 'resident3', password: DEMO_PASSWORD, _csrf: csrf } });
  assert.equal(again.statusCode, 303);
  assert.equal((await events(again.headers['x-request-id'] as string))[0]?.action, 'identity.sign-in.succeeded');
  assert.equal(await t.database.db.selectFrom('sessions').select('id').where('id', '=', storedId).executeTakeFirst(), undefined, 'the old session is gone');

  // An official: the password step is audited with the session that waits for the second factor.
  const official = await postSignIn('jongno.approver', DEMO_PASSWORD);
  assert.equal(official.res.headers.location, '/sign-in/second-factor');
  assert.equal((await events(official.res.headers['x-request-id'] as string))[0]?.action, 'identity.sign-in.succeeded');

  // The right password for a suspended account: refused, audited with the reason, no session.
  await t.database.db.updateTable('accounts').set({ status: 'suspended' }).where('username', '=', 'resident3').execute();
  try {
    const count = (await sessionsOf('resident3')).count;
    const suspended = await postSignIn('resident3', DEMO_PASSWORD);
    assert.notEqual(suspended.res.statusCode, 303);
    const [refused] = await events(suspended.res.headers['x-request-id'] as string);
    assert.equal(refused?.action, 'identity.sign-in.failed');
    assert.deepEqual(refused.details, { reason: 'suspended' });
    assert.equal((await sessionsOf('resident3')).count, count);
  } finally {
    await t.database.db.updateTable('accounts').set({ status: 'active' }).where('username', '=', 'resident3').execute();
  }
});

test('the agencies page lists every agency with departments and contacts, in both languages', async () => {
  const ko = await t.app.inject({ method: 'GET', url: '/agencies' });
  for (const name of ['행정안전부', '조달청', '관세청', '국세청', '서울특별시', '서울특별시 종로구청', '서울특별시 강남구청']) assert.ok(ko.body.includes(name), name);
  const en = await t.app.inject({ method: 'GET', url: '/agencies?lang=en' });
  assert.match(en.body, /Korea Customs Service/);
  assert.match(en.body, /Part of/);
});
