import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testApp, cookiesFrom, csrfFrom, passSecondFactor, type TestApp } from '../../../test/support/test-app.ts';
import { DEMO_PASSWORD } from './index.ts';

let t: TestApp;
before(async () => {
  t = await testApp();
});
after(async () => t.close());

let address = 0;
/** A browser: its own cookie jar, from its own address unless told otherwise. */
function browser(ip = `198.51.100.${++address}`) {
  let cookie = '';
  return {
    get cookie() {
      return cookie;
    },
    set cookie(value: string) {
      cookie = value;
    },
    async signIn(username: string, password: string) {
      const form = await t.app.inject({ method: 'GET', url: '/sign-in?lang=en', remoteAddress: ip, headers: { cookie } });
      cookie = cookiesFrom(form, cookie);
      const res = await t.app.inject({ method: 'POST', url: '/sign-in', remoteAddress: ip, headers: { cookie }, payload: { username, password, _csrf: csrfFrom(form.body) } });
      cookie = cookiesFrom(res, cookie);
      // Officials finish with their second factor; the device cookie comes only after it.
      if (res.headers.location === '/sign-in/second-factor') cookie = await passSecondFactor(t.app, username, cookie);
      return res;
    },
  };
}
const letTimePass = () => t.database.db.updateTable('sign_in_throttle').set({ next_attempt_at: new Date(Date.now() - 1000) }).execute();

test('after three wrong passwords the next try must wait, even with the right password, and says how long', async () => {
  const b = browser();
  for (let i = 0; i < 3; i++) assert.equal((await b.signIn('resident1', 'wrong-password')).statusCode, 401);
  const res = await b.signIn('resident1', DEMO_PASSWORD);
  assert.equal(res.statusCode, 429);
  assert.equal(res.headers['retry-after'], '1');
  assert.match(res.body, /Try again in 1 seconds/);
  await letTimePass();
  assert.equal((await b.signIn('resident1', DEMO_PASSWORD)).statusCode, 303, 'after the wait the right password works');
  const row = await t.database.db.selectFrom('sign_in_throttle').selectAll().where('key', '=', 'user:resident1').executeTakeFirst();
  assert.equal(row, undefined, 'a success clears the count');
});

test('an unknown username is slowed down exactly like a real one, so answers reveal no accounts', async () => {
  const known = browser();
  const unknown = browser();
  const answers = async (b: ReturnType<typeof browser>, username: string) => {
    const out: Array<[number, string | undefined]> = [];
    for (let i = 0; i < 5; i++) {
      const res = await b.signIn(username, 'wrong-password');
      out.push([res.statusCode, res.headers['retry-after'] as string | undefined]);
    }
    return out;
  };
  assert.deepEqual(await answers(unknown, 'no-such-person'), await answers(known, 'resident2'));
});

test('ten failures pause sign-in to the account for new devices, and the owner is told once', async () => {
  const attacker = browser();
  const account = await t.database.db.selectFrom('accounts').select('id').where('username', '=', 'resident3').executeTakeFirstOrThrow();
  for (let i = 0; i < 12; i++) {
    await attacker.signIn('resident3', `guess-${i}`);
    await letTimePass();
  }
  const res = await attacker.signIn('resident3', DEMO_PASSWORD);
  assert.equal(res.statusCode, 429);
  assert.match(res.body, /signing in to this account is paused. Try again in 15 minutes/);
  const notices = await t.database.db.selectFrom('notifications').selectAll().where('account_id', '=', account.id).where('template', '=', 'identity.signInLocked').execute();
  assert.equal(notices.length, 1, 'one notice per lock, not one per guess');
  const audit = await t.database.db.selectFrom('audit_events').selectAll().where('action', '=', 'identity.sign-in.locked').where('subject_id', '=', String(account.id)).execute();
  assert.equal(audit.length, 1);
  await t.jobs.runDue();
  const mail = await t.database.db.selectFrom('mail_messages').selectAll().where('account_id', '=', account.id).where('subject', '=', '로그인 시도가 잠시 차단되었습니다').executeTakeFirst();
  assert.ok(mail, 'the owner is e-mailed');
});

test('an attacker cannot lock the owner out: a device that signed in before still signs in during the pause', async () => {
  const owner = browser();
  assert.equal((await owner.signIn('gangnam.clerk', DEMO_PASSWORD)).statusCode, 303);
  // Later the session has ended; the browser keeps only its device cookie.
  owner.cookie = owner.cookie.split('; ').filter((c) => c.startsWith('nara_device=')).join('; ');
  assert.ok(owner.cookie);
  const attacker = browser();
  for (let i = 0; i < 12; i++) {
    await attacker.signIn('gangnam.clerk', `guess-${i}`);
    await letTimePass();
  }
  assert.equal((await attacker.signIn('gangnam.clerk', DEMO_PASSWORD)).statusCode, 429, 'a new device is held back');
  assert.equal((await owner.signIn('gangnam.clerk', DEMO_PASSWORD)).statusCode, 303, "the owner's known device is not");
});

test("a device cookie that was not issued by Nara, or was issued for another account, does not get past a pause", async () => {
  const other = browser();
  assert.equal((await other.signIn('nts.officer', DEMO_PASSWORD)).statusCode, 303);
  const attacker = browser();
  for (let i = 0; i < 12; i++) {
    await attacker.signIn('customs.officer', `guess-${i}`);
    await letTimePass();
  }
  const theirs = /nara_device=([^;]+)/.exec(other.cookie)![1]!;
  attacker.cookie = `nara_device=${theirs}`;
  assert.equal((await attacker.signIn('customs.officer', DEMO_PASSWORD)).statusCode, 429, 'a cookie for another account');
  const account = await t.database.db.selectFrom('accounts').select('id').where('username', '=', 'customs.officer').executeTakeFirstOrThrow();
  attacker.cookie = `nara_device=${account.id}.forged.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`;
  assert.equal((await attacker.signIn('customs.officer', DEMO_PASSWORD)).statusCode, 429, 'a forged cookie');
});

test('one address trying many usernames is slowed down too', async () => {
  const b = browser('203.0.113.77');
  const statuses: number[] = [];
  for (let i = 0; i < 14; i++) statuses.push((await b.signIn(`someone-${i}`, 'wrong-password')).statusCode);
  assert.ok(statuses.slice(0, 10).every((s) => s === 401), `first ten are plain failures: ${statuses}`);
  assert.equal(statuses.at(-1), 429);
});
