import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testApp, signIn, csrfFrom, cookiesFrom, type TestApp } from '../../../test/support/test-app.ts';

// The ceremony itself runs in Chromium with a virtual authenticator (e2e); here, who may
// do what with passkeys, and what a forged or replayed response gets.
let t: TestApp;
let victimPasskey: string;
before(async () => {
  t = await testApp();
  const victim = await t.database.db.selectFrom('accounts').select('id').where('username', '=', 'resident3').executeTakeFirstOrThrow();
  victimPasskey = 'dmljdGltLXBhc3NrZXk';
  await t.database.db.insertInto('passkeys').values({ id: victimPasskey, account_id: victim.id, public_key: 'AAAA', transports: '[]', name: "Victim's phone" }).execute();
});
after(async () => t.close());

async function json(cookie: string, url: string, body: unknown) {
  const page = await t.app.inject({ method: 'GET', url: '/account', headers: { cookie } });
  const token = page.statusCode === 200 ? csrfFrom(page.body) : csrfFrom((await t.app.inject({ method: 'GET', url: '/sign-in', headers: { cookie } })).body);
  return t.app.inject({ method: 'POST', url, headers: { cookie, 'x-csrf-token': token, accept: 'application/json', 'content-type': 'application/json' }, payload: JSON.stringify(body) });
}

test('only a signed-in account can start adding a passkey, and the options exclude its existing ones', async () => {
  const anonymous = await t.app.inject({ method: 'GET', url: '/sign-in' });
  const cookie = cookiesFrom(anonymous);
  const refused = await t.app.inject({ method: 'POST', url: '/account/passkeys/options', headers: { cookie, 'x-csrf-token': csrfFrom(anonymous.body), accept: 'application/json' } });
  assert.equal(refused.statusCode, 401);
  const victim = await signIn(t.app, 'resident3');
  const options = await json(victim, '/account/passkeys/options', {});
  assert.equal(options.statusCode, 200);
  const body = options.json();
  assert.equal(body.authenticatorSelection.residentKey, 'required');
  assert.equal(body.authenticatorSelection.userVerification, 'required');
  assert.deepEqual(body.excludeCredentials.map((c: { id: string }) => c.id), [victimPasskey]);
  assert.ok(body.challenge.length >= 16);
});

test('a registration response without the challenge this session was given is refused', async () => {
  const cookie = await signIn(t.app, 'resident1');
  const res = await json(cookie, '/account/passkeys', { name: 'Forged', response: { id: 'x', rawId: 'x', type: 'public-key', response: {} } });
  assert.equal(res.statusCode, 400);
  assert.equal((await t.database.db.selectFrom('passkeys').select('id').where('name', '=', 'Forged').execute()).length, 0);
});

test('a forged registration response is refused even with a fresh challenge', async () => {
  const cookie = await signIn(t.app, 'resident1');
  await json(cookie, '/account/passkeys/options', {});
  const res = await json(cookie, '/account/passkeys', { name: 'Forged', response: { id: 'eA', rawId: 'eA', type: 'public-key', response: { clientDataJSON: 'e30', attestationObject: 'oA' }, clientExtensionResults: {} } });
  assert.equal(res.statusCode, 422);
  assert.equal(res.json().error.code, 'VALIDATION_FAILED');
});

test("a resident cannot remove another resident's passkey", async () => {
  const cookie = await signIn(t.app, 'resident1');
  const page = await t.app.inject({ method: 'GET', url: '/account', headers: { cookie } });
  const res = await t.app.inject({ method: 'POST', url: `/account/passkeys/${victimPasskey}/remove`, headers: { cookie }, payload: { _csrf: csrfFrom(page.body) } });
  assert.equal(res.statusCode, 404);
  assert.ok(await t.database.db.selectFrom('passkeys').select('id').where('id', '=', victimPasskey).executeTakeFirst());
});

test("a resident's account page never lists another resident's passkeys", async () => {
  const cookie = await signIn(t.app, 'resident1');
  const page = await t.app.inject({ method: 'GET', url: '/account', headers: { cookie } });
  assert.ok(!page.body.includes("Victim&#39;s phone") && !page.body.includes("Victim's phone"));
});

test('the owner removes their passkey', async () => {
  const cookie = await signIn(t.app, 'resident3');
  const page = await t.app.inject({ method: 'GET', url: '/account', headers: { cookie } });
  assert.ok(page.body.includes('Victim&#39;s phone') || page.body.includes("Victim's phone"));
  const res = await t.app.inject({ method: 'POST', url: `/account/passkeys/${victimPasskey}/remove`, headers: { cookie }, payload: { _csrf: csrfFrom(page.body) } });
  assert.equal(res.statusCode, 303);
  assert.equal(await t.database.db.selectFrom('passkeys').select('id').where('id', '=', victimPasskey).executeTakeFirst(), undefined);
});

test('a passkey sign-in with an unknown credential or without a challenge signs nobody in', async () => {
  const page = await t.app.inject({ method: 'GET', url: '/sign-in' });
  const cookie = cookiesFrom(page);
  const headers = { cookie, 'x-csrf-token': csrfFrom(page.body), accept: 'application/json', 'content-type': 'application/json' };
  const noChallenge = await t.app.inject({ method: 'POST', url: '/sign-in/passkey', headers, payload: JSON.stringify({ response: { id: 'nope' } }) });
  assert.equal(noChallenge.statusCode, 400);
  const options = await t.app.inject({ method: 'POST', url: '/sign-in/passkey/options', headers, payload: '{}' });
  assert.equal(options.statusCode, 200);
  // The challenge is kept in the session, which now has a row and a cookie to match.
  headers.cookie = cookiesFrom(options, cookie);
  const unknown = await t.app.inject({ method: 'POST', url: '/sign-in/passkey', headers, payload: JSON.stringify({ response: { id: 'nope', rawId: 'nope', type: 'public-key', response: {} } }) });
  assert.equal(unknown.statusCode, 401);
  assert.equal(unknown.cookies.find((c) => c.name === 'nara_sid'), undefined, 'no signed-in session was issued');
});
