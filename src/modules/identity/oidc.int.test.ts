import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import * as client from 'openid-client';
import { testApp, type TestApp } from '../../../test/support/test-app.ts';
import { DEMO_PASSWORD } from './demo-agencies.ts';
import { registerOidcClient } from './oidc-clients.ts';
import { createFieldEncryption } from '../../platform/crypto/field-encryption.ts';
import { isAdult, todayIn } from './oidc-claims.ts';

// Nara as OpenID Provider, driven by openid-client as a real relying party over HTTP,
// with a small cookie-keeping "browser" for the person's side of the flow.

const REDIRECT = 'http://127.0.0.1:9/callback';
const SCOPE = 'openid profile email nara:verified_name nara:age_over_19 nara:region';

class Browser {
  private jar = new Map<string, string>();
  constructor(private readonly origin: string) {}

  private remember(response: Response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, ...value] = pair!.split('=');
      if (/max-age=0|expires=Thu, 01 Jan 1970/i.test(line) || value.join('=') === '') this.jar.delete(name!.trim());
      else this.jar.set(name!.trim(), value.join('='));
    }
  }

  async request(url: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<Response> {
    const headers: Record<string, string> = { cookie: [...this.jar].map(([k, v]) => `${k}=${v}`).join('; '), accept: 'text/html' };
    let body: string | undefined;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    }
    const response = await fetch(new URL(url, this.origin), { method: init.method ?? (body ? 'POST' : 'GET'), headers, body, redirect: 'manual' });
    this.remember(response);
    return response;
  }

  /** Follows redirects within Nara; stops at a page, or at a redirect to another site (the client). */
  async follow(url: string, init: { form?: Record<string, string> } = {}): Promise<{ url: string; status: number; body: string }> {
    let response = await this.request(url, init);
    let current = new URL(url, this.origin).href;
    for (let hops = 0; hops < 20 && response.status >= 300 && response.status < 400; hops++) {
      const next = new URL(response.headers.get('location')!, current).href;
      if (!next.startsWith(this.origin)) return { url: next, status: response.status, body: '' };
      current = next;
      response = await this.request(next);
    }
    return { url: current, status: response.status, body: await response.text() };
  }

  async signIn(pageUrl: string, username: string, page: string) {
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1]!;
    const next = new URL(pageUrl).searchParams.get('next') ?? '/';
    return this.follow('/sign-in', { form: { username, password: DEMO_PASSWORD, next, _csrf: csrf } });
  }

  async submit(pageUrl: string, page: string, fields: Record<string, string>) {
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1]!;
    return this.follow(pageUrl, { form: { ...fields, _csrf: csrf } });
  }
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

let t: TestApp;
let issuer: string;
let rp: client.Configuration;
let clientId: string;

before(async () => {
  const port = await freePort();
  issuer = `http://127.0.0.1:${port}`;
  t = await testApp({ config: { publicUrl: issuer, rateLimitPerMinute: 10_000, logLevel: process.env.DEBUG_OIDC ? 'error' : 'silent' } });
  await t.app.listen({ port, host: '127.0.0.1' });
  const registered = await registerOidcClient(t.database.db, createFieldEncryption(t.config.dataKey), { name: '청년정책 포털', redirectUris: [REDIRECT], scope: SCOPE });
  clientId = registered.client_id;
  rp = await client.discovery(new URL(issuer), clientId, undefined, client.ClientSecretBasic(registered.client_secret), { execute: [client.allowInsecureRequests] });
});
after(() => t.close());

async function startFlow(extra: Record<string, string> = {}) {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(rp, {
    redirect_uri: REDIRECT, scope: SCOPE, state, nonce,
    code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', ...extra,
  });
  return { url: url.href, verifier, state, nonce };
}

/** Signs in as `username` through the flow and agrees on the consent page if it is shown. */
async function signInThrough(browser: Browser, flow: { url: string }, username: string, consent: 'allow' | 'deny' | 'expect-none' | 'allow-if-asked' = 'allow') {
  let page = await browser.follow(flow.url);
  if (page.url.includes('/sign-in')) page = await browser.signIn(page.url, username, page.body);
  if (consent === 'allow-if-asked') consent = page.url.startsWith(REDIRECT) ? 'expect-none' : 'allow';
  if (consent === 'expect-none') {
    assert.ok(page.url.startsWith(REDIRECT), `no consent page was expected, got ${page.url}`);
    return { callback: page.url, consentPage: undefined };
  }
  assert.match(page.url, /\/oidc\/interaction\//, `expected the consent page, got ${page.url} ${page.status} ${page.body.slice(0, 3000)}`);
  const consentPage = page.body;
  const done = await browser.submit(page.url, page.body, { decision: consent });
  assert.ok(done.url.startsWith(REDIRECT), `expected a redirect to the client, got ${done.url} (${done.status})`);
  return { callback: done.url, consentPage };
}

async function registerFacts(username: string) {
  return t.database.db
    .selectFrom('accounts')
    .innerJoin('residents', 'residents.id', 'accounts.resident_id')
    .innerJoin('households', 'households.id', 'residents.household_id')
    .select(['accounts.public_id', 'accounts.email', 'residents.name_ko', 'households.region_code'])
    .select((eb) => eb.cast<string>('residents.birth_date', 'text').as('birth'))
    .where('accounts.username', '=', username)
    .executeTakeFirstOrThrow();
}

test('discovery and the JWKS are served at the issuer, and only the code flow with S256 PKCE is offered', async () => {
  const meta = rp.serverMetadata();
  assert.equal(meta.issuer, issuer);
  assert.deepEqual(meta.response_types_supported, ['code']);
  assert.deepEqual(meta.code_challenge_methods_supported, ['S256']);
  assert.ok(meta.scopes_supported?.includes('nara:age_over_19'));
  const jwks = (await (await fetch(meta.jwks_uri!)).json()) as { keys: Array<Record<string, string>> };
  assert.equal(jwks.keys.length, 1);
  assert.equal(jwks.keys[0]!.kty, 'RSA');
  assert.ok(jwks.keys[0]!.kid);
  assert.equal(jwks.keys[0]!.d, undefined, 'the private part is never published');
});

test('a resident signs in to a service: consent lists exactly what is shared, the ID token and userinfo carry it', async () => {
  const facts = await registerFacts('resident1');
  const browser = new Browser(issuer);
  const flow = await startFlow();
  const { callback, consentPage } = await signInThrough(browser, flow, 'resident1');
  assert.ok(consentPage!.includes('청년정책 포털'));
  assert.ok(consentPage!.includes(facts.name_ko), 'the consent page shows the register name that will be shared');
  assert.ok(!consentPage!.includes(facts.birth), 'no date of birth is shared, so none is listed');

  const tokens = await client.authorizationCodeGrant(rp, new URL(callback), { pkceCodeVerifier: flow.verifier, expectedState: flow.state, expectedNonce: flow.nonce });
  const idToken = tokens.claims()!;
  assert.equal(idToken.iss, issuer);
  assert.equal(idToken.aud, clientId);
  assert.equal(idToken.sub, facts.public_id);

  const info = await client.fetchUserInfo(rp, tokens.access_token, idToken.sub);
  assert.equal(info.verified_name, facts.name_ko);
  assert.equal(info.age_over_19, isAdult(facts.birth, todayIn(t.config.timeZone)));
  assert.equal((info.resident_region as { code: string }).code, facts.region_code);
  assert.equal(info.email, facts.email);
  assert.equal(info.email_verified, true);
  assert.equal(info.birthdate, undefined, 'birth date was not asked for, so it is not released');

  // The code is single-use: a second exchange is refused, and the tokens it gave are withdrawn.
  await assert.rejects(
    client.authorizationCodeGrant(rp, new URL(callback), { pkceCodeVerifier: flow.verifier, expectedState: flow.state, expectedNonce: flow.nonce }),
    (error: client.ResponseBodyError) => error.error === 'invalid_grant',
  );
  await assert.rejects(client.fetchUserInfo(rp, tokens.access_token, idToken.sub));
});

test('consent is remembered per client: a new sign-in on another device goes straight back', async () => {
  await signInThrough(new Browser(issuer), await startFlow(), 'resident2');
  const flow = await startFlow();
  const { callback } = await signInThrough(new Browser(issuer), flow, 'resident2', 'expect-none');
  const tokens = await client.authorizationCodeGrant(rp, new URL(callback), { pkceCodeVerifier: flow.verifier, expectedState: flow.state, expectedNonce: flow.nonce });
  assert.ok(tokens.access_token);
});

test('a wrong PKCE verifier is refused', async () => {
  const flow = await startFlow();
  const { callback } = await signInThrough(new Browser(issuer), flow, 'resident2', 'expect-none');
  await assert.rejects(
    client.authorizationCodeGrant(rp, new URL(callback), { pkceCodeVerifier: client.randomPKCECodeVerifier(), expectedState: flow.state, expectedNonce: flow.nonce }),
    (error: client.ResponseBodyError) => error.error === 'invalid_grant',
  );
});

test('a request without PKCE is refused back at the client', async () => {
  const url = client.buildAuthorizationUrl(rp, { redirect_uri: REDIRECT, scope: 'openid', state: 'no-pkce' });
  const response = await new Browser(issuer).request(url.href);
  const location = new URL(response.headers.get('location')!);
  assert.equal(location.origin + location.pathname, REDIRECT);
  assert.equal(location.searchParams.get('error'), 'invalid_request');
});

test('an unregistered redirect URI is never redirected to; the person sees an explanation', async () => {
  const flow = await startFlow({ redirect_uri: 'https://attacker.example/steal' });
  const response = await new Browser(issuer).request(flow.url);
  assert.equal(response.status, 400);
  assert.equal(response.headers.get('location'), null);
  const body = await response.text();
  assert.match(body, /redirect_uri/);
  assert.match(body, /서비스 연결 요청을 처리할 수 없습니다/);
});

test('prompt=none without a session returns login_required to the client', async () => {
  const flow = await startFlow({ prompt: 'none' });
  const response = await new Browser(issuer).request(flow.url);
  const location = new URL(response.headers.get('location')!);
  assert.equal(location.origin + location.pathname, REDIRECT);
  assert.equal(location.searchParams.get('error'), 'login_required');
  assert.equal(location.searchParams.get('state'), flow.state);
});

test('declining consent sends access_denied to the client and remembers nothing', async () => {
  const browser = new Browser(issuer);
  const { callback } = await signInThrough(browser, await startFlow(), 'resident3', 'deny');
  assert.equal(new URL(callback).searchParams.get('error'), 'access_denied');
  const consents = await t.database.db.selectFrom('oidc_consents').innerJoin('accounts', 'accounts.id', 'oidc_consents.account_id').where('accounts.username', '=', 'resident3').execute();
  assert.equal(consents.length, 0);
});

test('prompt=login makes a signed-in person sign in again', async () => {
  const browser = new Browser(issuer);
  await signInThrough(browser, await startFlow(), 'resident2', 'expect-none');
  const again = await browser.follow((await startFlow({ prompt: 'login' })).url);
  assert.match(again.url, /\/sign-in\?next=.*reauth=1/);
  assert.match(again.body, /다시 로그인하도록 요청했습니다/);
  const done = await browser.signIn(again.url, 'resident2', again.body);
  assert.ok(done.url.startsWith(REDIRECT), done.url);
  assert.ok(new URL(done.url).searchParams.get('code'));
});

test('consent is listed on the account page and can be withdrawn only by its owner; tokens stop working', async () => {
  const browser = new Browser(issuer);
  const flow = await startFlow();
  const { callback } = await signInThrough(browser, flow, 'resident2', 'expect-none');
  const tokens = await client.authorizationCodeGrant(rp, new URL(callback), { pkceCodeVerifier: flow.verifier, expectedState: flow.state, expectedNonce: flow.nonce });

  // Someone else, signed in to Nara, cannot withdraw it: their request finds no consent of theirs.
  const other = new Browser(issuer);
  const signInPage = await other.follow('/sign-in');
  await other.signIn(signInPage.url, 'resident3', signInPage.body);
  const otherAccount = await other.follow('/account');
  assert.match(otherAccount.body, /나라 계정으로 로그인하도록 동의한 서비스가 없습니다/);
  const refused = await other.submit(`/account/connected-services/${clientId}/revoke`, otherAccount.body, {});
  assert.equal(refused.status, 404);
  const stillThere = await t.database.db.selectFrom('oidc_consents').innerJoin('accounts', 'accounts.id', 'oidc_consents.account_id').where('accounts.username', '=', 'resident2').execute();
  assert.equal(stillThere.length, 1);
  assert.ok(await client.fetchUserInfo(rp, tokens.access_token, tokens.claims()!.sub));

  const account = await browser.follow('/account');
  assert.match(account.body, /청년정책 포털/);
  assert.match(account.body, /만 19세 이상 여부/);
  const revoked = await browser.submit(`/account/connected-services/${clientId}/revoke`, account.body, {});
  assert.match(revoked.body, /동의를 철회했습니다/);
  await assert.rejects(client.fetchUserInfo(rp, tokens.access_token, tokens.claims()!.sub));
  // The next sign-in asks again.
  const next = await browser.follow((await startFlow()).url);
  assert.match(next.url, /\/oidc\/interaction\//);
  assert.match(next.body, /동의하고 계속/);
});

test('signing out of Nara signs out of the provider: prompt=none then answers login_required', async () => {
  const browser = new Browser(issuer);
  await signInThrough(browser, await startFlow(), 'resident2', 'allow-if-asked');
  const silent = await browser.request((await startFlow({ prompt: 'none' })).url);
  assert.ok(new URL(silent.headers.get('location')!).searchParams.get('code'), 'signed in: a silent request gets a code');
  const account = await browser.follow('/account');
  await browser.submit('/sign-out', account.body, {});
  const after = await browser.request((await startFlow({ prompt: 'none' })).url);
  assert.equal(new URL(after.headers.get('location')!).searchParams.get('error'), 'login_required');
});

test("consent is given only by the person the service's request is for, and only with the page's CSRF token", async () => {
  const browser = new Browser(issuer);
  let page = await browser.follow((await startFlow()).url);
  page = await browser.signIn(page.url, 'resident3', page.body);
  assert.match(page.url, /\/oidc\/interaction\//);
  const consentUrl = page.url;
  const noToken = await browser.request(consentUrl, { form: { decision: 'allow' } });
  assert.equal(noToken.status, 403, 'without the CSRF token nothing is agreed');

  // Someone else takes over the browser: signs out and in as another resident.
  await browser.submit('/sign-out', (await browser.follow('/account')).body, {});
  const signInPage = await browser.follow('/sign-in');
  await browser.signIn(signInPage.url, 'resident1', signInPage.body);
  // Signing out ended resident3's provider session, so the request is refused outright.
  const shown = await browser.request(consentUrl);
  assert.ok([400, 403].includes(shown.status), `resident1 is not shown resident3's consent page (${shown.status})`);
  const shownBody = await shown.text();
  assert.doesNotMatch(shownBody, /name="decision"/);
  assert.match(shownBody, /서비스 연결 요청을 처리할 수 없습니다/, 'the person is told to start again at the service');
  const form = await browser.follow('/account');
  const posted = await browser.submit(consentUrl, form.body, { decision: 'allow' });
  assert.ok([400, 403].includes(posted.status), `resident1 cannot agree for resident3 (${posted.status})`);
  const consents = await t.database.db.selectFrom('oidc_consents').innerJoin('accounts', 'accounts.id', 'oidc_consents.account_id').where('accounts.username', 'in', ['resident3']).execute();
  assert.equal(consents.length, 0);
});

test('when the Nara session ends any other way (ended from another device, idle), no service signs the person in silently', async () => {
  const browser = new Browser(issuer);
  await signInThrough(browser, await startFlow(), 'resident2', 'allow-if-asked');
  const account = await t.database.db.selectFrom('accounts').select('id').where('username', '=', 'resident2').executeTakeFirstOrThrow();
  await t.database.db.deleteFrom('sessions').where('account_id', '=', account.id).execute();
  const silent = await browser.request((await startFlow({ prompt: 'none' })).url);
  assert.equal(new URL(silent.headers.get('location')!).searchParams.get('error'), 'login_required');
  const asked = await browser.follow((await startFlow()).url);
  assert.match(asked.url, /\/sign-in\?next=/, 'a normal request asks the person to sign in');
});

test('a made-up proof of signing in again does not get past prompt=login', async () => {
  const browser = new Browser(issuer);
  await signInThrough(browser, await startFlow(), 'resident2', 'allow-if-asked');
  const again = await browser.follow((await startFlow({ prompt: 'login', max_age: '0' })).url);
  const interaction = new URL(new URL(again.url).searchParams.get('next')!, issuer);
  for (const forged of ['forged', `x.${'A'.repeat(22)}`]) {
    interaction.searchParams.set('was', forged);
    const tried = await browser.follow(interaction.href);
    assert.match(tried.url, /\/sign-in\?next=.*reauth=1/, `"${forged}" is not taken as proof`);
  }
});

test('a sign-out a service asks for signs the person out of Nara too, on a Nara page, and keeps their consent', async () => {
  const browser = new Browser(issuer);
  const flow = await startFlow();
  const { callback } = await signInThrough(browser, flow, 'resident2', 'allow-if-asked');
  const tokens = await client.authorizationCodeGrant(rp, new URL(callback), { pkceCodeVerifier: flow.verifier, expectedState: flow.state, expectedNonce: flow.nonce });
  const ask = await browser.follow(client.buildEndSessionUrl(rp, { id_token_hint: tokens.id_token! }).href);
  assert.equal(ask.status, 200);
  assert.match(ask.body, /청년정책 포털에서 로그아웃을 요청했습니다/);
  const action = /<form[^>]*id="op.logoutForm"[^>]*action="([^"]+)"/.exec(ask.body)?.[1] ?? /<form[^>]*action="([^"]+)"[^>]*id="op.logoutForm"/.exec(ask.body)![1]!;
  const xsrf = /name="xsrf" value="([^"]+)"/.exec(ask.body)![1]!;
  const done = await browser.follow(action, { form: { xsrf, logout: 'yes' } });
  assert.match(done.body, /청년정책 포털와 나라에서 로그아웃했습니다|로그아웃했습니다/);
  const account = await browser.follow('/account');
  assert.match(account.url, /\/sign-in\?next=/, 'signed out of Nara as well');
  // Their consent is theirs: the next sign-in does not ask again.
  await signInThrough(browser, await startFlow(), 'resident2', 'expect-none');
});

test('a signed-out visitor cannot withdraw anything', async () => {
  const browser = new Browser(issuer);
  const page = await browser.follow('/sign-in');
  const response = await browser.submit(`/account/connected-services/${clientId}/revoke`, page.body, {});
  assert.equal(response.status, 401);
});
