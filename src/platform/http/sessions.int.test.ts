import { test, before, after, mock } from 'node:test';
import assert from 'node:assert/strict';
import { testApp, cookiesFrom, csrfFrom, eventually, signIn, type TestApp } from '../../../test/support/test-app.ts';
import { DEMO_PASSWORD } from '../../modules/identity/index.ts';

// Anonymous sessions cost no write until they hold something; their CSRF token survives
// getting a row; the cookie's kind cannot be forged into a signed-in session.

let t: TestApp;
before(async () => {
  t = await testApp();
});
after(() => t.close());

const rows = async () => Number((await t.database.db.selectFrom('sessions').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
const sid = (cookie: string) => /nara_sid=([^;]+)/.exec(cookie)![1]!;

test('viewing a form writes no session row, and its CSRF token still protects the post', async () => {
  const before = await rows();
  const page = await t.app.inject({ method: 'GET', url: '/sign-in' });
  const cookie = cookiesFrom(page);
  assert.match(sid(cookie), /^a\./);
  assert.equal(await rows(), before, 'no row for a visitor who only looks');

  const forged = await t.app.inject({ method: 'POST', url: '/sign-in', headers: { cookie }, payload: { username: 'resident1', password: 'wrong', _csrf: 'not-the-token' } });
  assert.equal(forged.statusCode, 403, 'a wrong CSRF token is refused');
  const honest = await t.app.inject({ method: 'POST', url: '/sign-in', headers: { cookie }, payload: { username: 'resident1', password: DEMO_PASSWORD, _csrf: csrfFrom(page.body) } });
  assert.equal(honest.statusCode, 303);
  assert.match(sid(cookiesFrom(honest, cookie)), /^s\./, 'signing in stores a new session under a new token');
});

test('an anonymous session gets its row when it holds data, and keeps its CSRF token', async () => {
  const page = await t.app.inject({ method: 'GET', url: '/sign-in' });
  let cookie = cookiesFrom(page);
  const csrf = csrfFrom(page.body);
  const before = await rows();
  const options = await t.app.inject({ method: 'POST', url: '/sign-in/passkey/options', headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' }, payload: '{}' });
  assert.equal(options.statusCode, 200);
  cookie = cookiesFrom(options, cookie);
  assert.equal(sid(cookie), `s.${sid(cookiesFrom(page)).split('.')[1]}`, 'same random part, now stored');
  assert.equal(await rows(), before + 1);
  // The page's token is still good.
  const signedIn = await t.app.inject({ method: 'POST', url: '/sign-in', headers: { cookie }, payload: { username: 'resident2', password: DEMO_PASSWORD, _csrf: csrf } });
  assert.equal(signedIn.statusCode, 303);
});

test('changing the cookie kind gains nothing: a made-up stored token is no session, a signed-in one marked anonymous is signed out', async () => {
  const page = await t.app.inject({ method: 'GET', url: '/sign-in' });
  const anonymous = sid(cookiesFrom(page));
  const promoted = await t.app.inject({ method: 'GET', url: '/account', headers: { cookie: `nara_sid=s.${anonymous.split('.')[1]}` } });
  assert.equal(promoted.statusCode, 303, 'no such stored session: sent to sign in');

  const signed = await t.app.inject({ method: 'POST', url: '/sign-in', headers: { cookie: cookiesFrom(page) }, payload: { username: 'resident3', password: DEMO_PASSWORD, _csrf: csrfFrom(page.body) } });
  const token = sid(cookiesFrom(signed));
  assert.equal((await t.app.inject({ method: 'GET', url: '/account', headers: { cookie: `nara_sid=${token}` } })).statusCode, 200);
  const demoted = await t.app.inject({ method: 'GET', url: '/account', headers: { cookie: `nara_sid=a.${token.slice(2)}` } });
  assert.equal(demoted.statusCode, 303, 'marked anonymous, the same token signs nobody in');
});

test('only Nara makes anonymous session ids: a made-up one is replaced', async () => {
  const made = await t.app.inject({ method: 'GET', url: '/sign-in', headers: { cookie: 'nara_sid=a.chosen-by-attacker.xxxxxxxxxxxxxxxxxxxxxx' } });
  const issued = sid(cookiesFrom(made));
  assert.match(issued, /^a\./);
  assert.notEqual(issued.split('.')[1], 'chosen-by-attacker');
});

test('two requests giving one anonymous session its row at once both succeed', async () => {
  const page = await t.app.inject({ method: 'GET', url: '/sign-in' });
  const cookie = cookiesFrom(page);
  const headers = { cookie, 'x-csrf-token': csrfFrom(page.body), 'content-type': 'application/json' };
  const both = await Promise.all([1, 2].map(() => t.app.inject({ method: 'POST', url: '/sign-in/passkey/options', headers, payload: '{}' })));
  assert.deepEqual(both.map((r) => r.statusCode), [200, 200]);
});

// Sessions and the signed-in account are kept in memory for ten seconds; a change made by
// another instance or a tool reaches this one through the database's announcement, at once.

test('a session ended elsewhere (another instance, a tool) stops working at once, not when the kept copy expires', async () => {
  const cookie = await signIn(t.app, 'resident2');
  const signedIn = await t.app.inject({ method: 'GET', url: '/account', headers: { cookie } });
  assert.equal(signedIn.statusCode, 200, 'signed in, and the session is now kept');
  const id = (await t.database.db.selectFrom('sessions').select('id').where('account_id', '=', (await t.database.db.selectFrom('accounts').select('id').where('username', '=', 'resident2').executeTakeFirstOrThrow()).id).orderBy('created_at', 'desc').executeTakeFirstOrThrow()).id;
  await t.database.db.deleteFrom('sessions').where('id', '=', id).execute();
  await eventually(async () => (await t.app.inject({ method: 'GET', url: '/account', headers: { cookie } })).statusCode === 303, 'the ended session being refused');
});

test('once the kept copies have expired, each session is read again with its own account, the account read alongside', async () => {
  const one = await signIn(t.app, 'resident1');
  const two = await signIn(t.app, 'resident2');
  const names = await t.database.db.selectFrom('accounts').select(['username', 'display_name']).where('username', 'in', ['resident1', 'resident2']).execute();
  const name = (u: string) => names.find((n) => n.username === u)!.display_name;
  for (const [cookie, user] of [[one, 'resident1'], [two, 'resident2']] as const) {
    const page = await t.app.inject({ method: 'GET', url: '/account', headers: { cookie } });
    assert.ok(page.body.includes(name(user)), 'kept now');
  }
  mock.timers.enable({ apis: ['Date'], now: Date.now() });
  try {
    mock.timers.tick(11_000);
    // Both kept copies (session and account) have expired: each request reads them again.
    const [a, b] = await Promise.all([one, two].map((cookie) => t.app.inject({ method: 'GET', url: '/account', headers: { cookie } })));
    assert.equal(a!.statusCode, 200);
    assert.ok(a!.body.includes(name('resident1')) && !a!.body.includes(name('resident2')));
    assert.equal(b!.statusCode, 200);
    assert.ok(b!.body.includes(name('resident2')) && !b!.body.includes(name('resident1')));
  } finally {
    mock.timers.reset();
  }
});

test('seeing a session again is not announced: a kept session is not read again on every touch', async () => {
  const cookie = await signIn(t.app, 'resident3');
  assert.equal((await t.app.inject({ method: 'GET', url: '/account', headers: { cookie } })).statusCode, 200);
  const heard: string[] = [];
  const stop = await t.database.listen('nara_session_changed', (id) => heard.push(id));
  try {
    await t.database.db.updateTable('sessions').set({ last_seen_at: new Date() }).execute();
    const [row] = await t.database.db.insertInto('sessions').values({ id: 'announce-test', account_id: null, data: '{}', expires_at: new Date(Date.now() + 60_000) }).returning('id').execute();
    await t.database.db.updateTable('sessions').set({ data: JSON.stringify({ step: 2 }) }).where('id', '=', row!.id).execute();
    await eventually(async () => heard.includes('announce-test'), 'the changed session being announced');
    // Announcements arrive in commit order: had touching every session been announced, it would be heard first.
    assert.deepEqual(heard, ['announce-test']);
  } finally {
    stop();
  }
});

test('an account suspended elsewhere is signed out of every page at once', async () => {
  const cookie = await signIn(t.app, 'resident1');
  const before = await t.app.inject({ method: 'GET', url: '/account', headers: { cookie } });
  assert.equal(before.statusCode, 200);
  await t.database.db.updateTable('accounts').set({ status: 'suspended' }).where('username', '=', 'resident1').execute();
  try {
    await eventually(async () => (await t.app.inject({ method: 'GET', url: '/account', headers: { cookie } })).statusCode === 303, 'the suspended account being signed out');
  } finally {
    await t.database.db.updateTable('accounts').set({ status: 'active' }).where('username', '=', 'resident1').execute();
  }
});
