import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { generate } from 'otplib';
import { testApp, cookiesFrom, csrfFrom, secretFrom, type TestApp } from '../../../test/support/test-app.ts';
import { DEMO_PASSWORD } from './index.ts';

let t: TestApp;
before(async () => {
  t = await testApp();
});
after(async () => t.close());

/** Password step only: returns the cookie of a browser waiting for its second factor. */
async function password(username: string, lang = 'ko') {
  const form = await t.app.inject({ method: 'GET', url: `/sign-in?lang=${lang}` });
  let cookie = cookiesFrom(form);
  const res = await t.app.inject({ method: 'POST', url: '/sign-in', headers: { cookie }, payload: { username, password: DEMO_PASSWORD, _csrf: csrfFrom(form.body) } });
  cookie = cookiesFrom(res, cookie);
  return { res, cookie };
}
async function submitCode(cookie: string, code: string) {
  const page = await t.app.inject({ method: 'GET', url: '/sign-in/second-factor', headers: { cookie } });
  const res = await t.app.inject({ method: 'POST', url: '/sign-in/second-factor', headers: { cookie }, payload: { code, _csrf: csrfFrom(page.body) } });
  return { res, cookie: cookiesFrom(res, cookie), page };
}
const signedIn = async (cookie: string) => (await t.app.inject({ method: 'GET', url: '/account', headers: { cookie } })).statusCode === 200;

test("an official's right password alone does not sign them in", async () => {
  const { res, cookie } = await password('jongno.clerk');
  assert.equal(res.headers.location, '/sign-in/second-factor');
  assert.equal(await signedIn(cookie), false);
});

test('an official enrols an authenticator app on first sign-in, gets ten recovery codes once, and is signed in', async () => {
  const { cookie } = await password('customs.officer', 'en');
  const page = await t.app.inject({ method: 'GET', url: '/sign-in/second-factor', headers: { cookie } });
  assert.match(page.body, /Set up two-step verification/);
  assert.match(page.body, /<svg[^>]*>.*<path/s, 'a QR code drawn without script');
  const secret = secretFrom(page.body);
  const stored = await t.database.db.selectFrom('totp_credentials').selectAll().executeTakeFirstOrThrow();
  assert.ok(!stored.secret_cipher.includes(secret), 'the secret is stored encrypted');

  const wrong = await submitCode(cookie, '000000' === (await generate({ secret })) ? '111111' : '000000');
  assert.equal(wrong.res.statusCode, 422);
  assert.match(wrong.res.body, /You can try 4 more times/);

  const done = await submitCode(cookie, await generate({ secret }));
  assert.equal(done.res.statusCode, 200);
  assert.match(done.res.body, /Keep your recovery codes/);
  assert.equal([...done.res.body.matchAll(/<code>[a-z0-9]{5}-[a-z0-9]{5}<\/code>/g)].length, 10);
  assert.equal(await signedIn(done.cookie), true);
});

test('an enrolled official signs in with a fresh number, and the same number is refused a second time', async () => {
  const first = await password('nts.officer');
  const secret = secretFrom((await t.app.inject({ method: 'GET', url: '/sign-in/second-factor', headers: { cookie: first.cookie } })).body);
  const enrolled = await submitCode(first.cookie, await generate({ secret }));
  assert.equal(enrolled.res.statusCode, 200);

  const second = await password('nts.officer');
  const page = await t.app.inject({ method: 'GET', url: '/sign-in/second-factor', headers: { cookie: second.cookie } });
  assert.doesNotMatch(page.body, /totp-secret/, 'an enrolled account is not shown its secret again');
  const replay = await submitCode(second.cookie, await generate({ secret }));
  assert.equal(replay.res.statusCode, 422, 'the number used to enrol cannot be used again');
  const nextStep = await generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 });
  const ok = await submitCode(second.cookie, nextStep);
  assert.equal(ok.res.statusCode, 303);
  assert.equal(await signedIn(ok.cookie), true);
});

test('a recovery code signs in once and never again', async () => {
  const first = await password('smg.auditor');
  const secret = secretFrom((await t.app.inject({ method: 'GET', url: '/sign-in/second-factor', headers: { cookie: first.cookie } })).body);
  const enrolled = await submitCode(first.cookie, await generate({ secret }));
  const [recovery] = [...enrolled.res.body.matchAll(/<code>([a-z0-9]{5}-[a-z0-9]{5})<\/code>/g)].map((m) => m[1]!);

  const lostPhone = await password('smg.auditor');
  const used = await submitCode(lostPhone.cookie, recovery!.toUpperCase());
  assert.equal(used.res.statusCode, 303, 'case and hyphen do not matter');
  const audit = await t.database.db.selectFrom('audit_events').selectAll().where('action', '=', 'identity.recovery-code.used').execute();
  assert.equal(audit.length, 1);

  const again = await password('smg.auditor');
  assert.equal((await submitCode(again.cookie, recovery!)).res.statusCode, 422);
});

test('five wrong numbers end the attempt and send the official back to the password step', async () => {
  const { cookie } = await password('mois.admin');
  let last;
  for (let i = 0; i < 5; i++) last = await submitCode(cookie, '12345');
  assert.equal(last!.res.statusCode, 401);
  assert.match(last!.res.body, /번호를 너무 많이 틀렸습니다/);
  const after = await t.app.inject({ method: 'GET', url: '/sign-in/second-factor', headers: { cookie: last!.cookie } });
  assert.equal(after.headers.location, '/sign-in');
});

test('the second-factor step cannot be reached without the password step', async () => {
  const res = await t.app.inject({ method: 'GET', url: '/sign-in/second-factor' });
  assert.equal(res.statusCode, 303);
  assert.equal(res.headers.location, '/sign-in');
  const post = await t.app.inject({ method: 'POST', url: '/sign-in/second-factor', payload: { code: '123456' } });
  assert.equal(post.statusCode, 403);
});

test('a resident without an authenticator app signs in with the password alone', async () => {
  const { res, cookie } = await password('resident1');
  assert.equal(res.headers.location, '/');
  assert.equal(await signedIn(cookie), true);
});
