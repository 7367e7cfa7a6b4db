import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { sql } from 'kysely';
import type { Browser } from 'playwright-core';
import { testApp, type TestApp } from '../test/support/test-app.ts';
import { DEMO_PASSWORD, registerOidcClient } from '../src/modules/identity/index.ts';
import { createFieldEncryption } from '../src/platform/crypto/field-encryption.ts';
import { addVirtualAuthenticator, axeViolations, chromiumMissing, launchChromium, signInOfficialFirstTime, signInWithKeyboard, freePort } from './support.ts';

// Journeys for the counter (assisted service) and for signing in to another service with
// Nara (OpenID consent), in a real browser, keyboard first, checked with axe.

const shots = 'e2e/screenshots';
let CALLBACK = '';
let service: import('node:http').Server | undefined;
let t: TestApp;
let browser: Browser;
let base: string;
let clientId: string;


before(async () => {
  if (chromiumMissing) return;
  mkdirSync(shots, { recursive: true });
  // The other service's callback page: not part of Nara, a tiny server of its own.
  const servicePort = await freePort();
  CALLBACK = `http://127.0.0.1:${servicePort}/callback`;
  service = createHttpServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><html lang="en"><title>Youth Policy Portal</title><main><h1>Signed in</h1></main></html>'));
  await new Promise<void>((resolve) => service!.listen(servicePort, '127.0.0.1', resolve));
  const port = await freePort();
  base = `http://localhost:${port}`;
  t = await testApp({ config: { publicUrl: base } });
  await t.app.listen({ host: 'localhost', port });
  clientId = (await registerOidcClient(t.database.db, createFieldEncryption(t.config.dataKey), { name: 'Youth Policy Portal', redirectUris: [CALLBACK], scope: 'openid profile nara:verified_name nara:age_over_19' })).client_id;
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await t?.close();
  service?.close();
});

test('a clerk serves a resident at the counter on a narrow screen: the resident confirms with their code and sees it recorded', { skip: chromiumMissing }, async () => {
  const encryption = createFieldEncryption(t.config.dataKey);
  const visitor = await t.database.db
    .selectFrom('accounts')
    .innerJoin('residents', 'residents.id', 'accounts.resident_id')
    .select(['accounts.id', 'residents.name_ko', 'residents.national_id_cipher', sql<string>`residents.birth_date::text`.as('birth')])
    .where('accounts.username', '=', 'resident1')
    .executeTakeFirstOrThrow();
  const context = await browser.newContext({ bypassCSP: true, locale: 'ko-KR', viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  await signInOfficialFirstTime(page, base, 'jongno.clerk', DEMO_PASSWORD);
  await page.goto(`${base}/account`);
  await page.getByRole('link', { name: '창구 대리 서비스' }).click();
  await page.waitForURL(`${base}/counter`);
  assert.deepEqual(await axeViolations(page), [], 'counter start page');

  await page.getByLabel('이름').fill(visitor.name_ko);
  await page.getByLabel('생년월일').fill(visitor.birth);
  await page.getByLabel('주민등록번호').fill(encryption.decrypt(visitor.national_id_cipher));
  await page.getByLabel('주민등록번호').press('Enter');
  await page.waitForURL(/\/counter\/confirm\//);
  assert.deepEqual(await axeViolations(page), [], 'confirmation page');
  await page.screenshot({ path: `${shots}/counter-confirm-360.png`, fullPage: true });

  // The resident reads the code from their own inbox; the clerk types it.
  const note = await t.database.db.selectFrom('notifications').select('params').where('account_id', '=', visitor.id).where('template', '=', 'identity.assistCode').orderBy('id', 'desc').executeTakeFirstOrThrow();
  await page.getByLabel('인증번호').fill(String(note.params.code));
  await page.getByLabel('인증번호').press('Enter');
  await page.waitForURL(`${base}/counter?done=confirmed`);
  assert.match((await page.locator('h1').textContent()) ?? '', new RegExp(`${visitor.name_ko} 님 대리 처리 중`));
  assert.deepEqual(await axeViolations(page), [], 'serving page');
  await page.screenshot({ path: `${shots}/counter-serving-360.png`, fullPage: true });

  await page.getByRole('button', { name: '대리 처리 마치기' }).focus();
  await page.keyboard.press('Enter');
  await page.waitForURL(`${base}/counter?done=ended`);
  assert.match((await page.locator('.krds-alert, [role="status"], .nara-notice').first().textContent()) ?? (await page.content()), /대리 처리를 마쳤습니다/);
  await context.close();

  // The resident sees it on their account page.
  const residentContext = await browser.newContext({ bypassCSP: true, locale: 'ko-KR' });
  const own = await residentContext.newPage();
  await signInWithKeyboard(own, base, 'resident1', DEMO_PASSWORD);
  await own.goto(`${base}/account`);
  const history = own.locator('section[aria-labelledby="assisted-heading"]');
  assert.match((await history.textContent()) ?? '', /대리 처리 시작 \(본인 확인\).*주무관 박도현/s);
  assert.deepEqual(await axeViolations(own), [], 'account page with assisted history');
  await residentContext.close();
});

test("at the counter a resident confirms with their own passkey on the counter's device", { skip: chromiumMissing }, async () => {
  const encryption = createFieldEncryption(t.config.dataKey);
  const visitor = await t.database.db
    .selectFrom('accounts')
    .innerJoin('residents', 'residents.id', 'accounts.resident_id')
    .select(['residents.name_ko', 'residents.national_id_cipher', sql<string>`residents.birth_date::text`.as('birth')])
    .where('accounts.username', '=', 'resident3')
    .executeTakeFirstOrThrow();
  const context = await browser.newContext({ bypassCSP: true, locale: 'ko-KR' });
  const page = await context.newPage();
  await addVirtualAuthenticator(context, page);
  // The resident's passkey (in life, on their phone, used across devices).
  await signInWithKeyboard(page, base, 'resident3', DEMO_PASSWORD);
  await page.goto(`${base}/account`);
  await page.getByLabel('패스키 이름').fill('내 휴대전화');
  await page.getByRole('button', { name: '패스키 등록' }).click();
  await page.waitForURL(/done=passkey/);
  await page.getByRole('button', { name: '로그아웃' }).click();
  await page.waitForURL(/signedOut/);

  await signInOfficialFirstTime(page, base, 'gangnam.clerk', DEMO_PASSWORD);
  await page.goto(`${base}/counter`);
  await page.getByLabel('이름').fill(visitor.name_ko);
  await page.getByLabel('생년월일').fill(visitor.birth);
  await page.getByLabel('주민등록번호').fill(encryption.decrypt(visitor.national_id_cipher));
  await page.getByLabel('주민등록번호').press('Enter');
  await page.waitForURL(/\/counter\/confirm\//);
  await page.getByRole('button', { name: '주민 패스키로 확인' }).click();
  await page.waitForURL(`${base}/counter?done=confirmed`);
  assert.match((await page.locator('h1').textContent()) ?? '', new RegExp(`${visitor.name_ko} 님 대리 처리 중`));
  const confirmed = await t.database.db.selectFrom('assisted_sessions').select('confirmed_with').orderBy('created_at', 'desc').executeTakeFirstOrThrow();
  assert.equal(confirmed.confirmed_with, 'passkey');
  await context.close();
});

test('a resident signs in to another service with Nara in English, reads exactly what is shared, agrees, and later withdraws', { skip: chromiumMissing }, async () => {
  const context = await browser.newContext({ bypassCSP: true, locale: 'en-GB' });
  const page = await context.newPage();
  const authorize = new URL(`${base}/oidc/auth`);
  for (const [k, v] of Object.entries({ client_id: clientId, redirect_uri: CALLBACK, response_type: 'code', scope: 'openid profile nara:verified_name nara:age_over_19', state: 'journey-state', code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256' })) authorize.searchParams.set(k, v);
  await page.goto(`${base}/?lang=en`);
  await page.goto(authorize.href);
  await page.waitForURL(/\/sign-in/);
  await page.getByLabel('Username').fill('resident2');
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByLabel('Password').press('Enter');
  await page.waitForURL(/\/oidc\/interaction\//);
  assert.match((await page.locator('h1').textContent()) ?? '', /Share information with Youth Policy Portal/);
  const listed = (await page.locator('.nara-consent-list dt').allTextContents()).map((s) => s.trim());
  assert.deepEqual(listed, ['Identifier for this service', 'Name (your account display name)', 'Username', 'Language', 'Name on the resident register', 'Aged 19 or over']);
  assert.deepEqual(await axeViolations(page), [], 'consent page');
  await page.screenshot({ path: `${shots}/oidc-consent-en.png`, fullPage: true });

  await page.getByRole('button', { name: 'Agree and continue' }).focus();
  await page.keyboard.press('Enter');
  await page.waitForURL((url) => url.href.startsWith(CALLBACK));
  assert.equal(new URL(page.url()).searchParams.get('state'), 'journey-state');
  assert.ok(new URL(page.url()).searchParams.get('code'));

  await page.goto(`${base}/account`);
  const connected = page.locator('section[aria-labelledby="connected-heading"]');
  assert.match((await connected.textContent()) ?? '', /Youth Policy Portal.*Whether you are 19 or over/s);
  assert.deepEqual(await axeViolations(page), [], 'account page with a connected service');
  await page.getByRole('button', { name: 'Withdraw consent for Youth Policy Portal' }).focus();
  await page.keyboard.press('Enter');
  await page.waitForURL(`${base}/account?done=consent-revoked`);
  assert.match((await connected.textContent()) ?? '', /You have not agreed to any service/);

  // The service asks Nara to sign the person out: a Nara page asks, another confirms.
  await page.goto(`${base}/oidc/session/end?client_id=${encodeURIComponent(clientId)}`);
  assert.match((await page.locator('h1').textContent()) ?? '', /Sign out/);
  assert.deepEqual(await axeViolations(page), [], 'sign-out question');
  await page.getByRole('button', { name: 'Sign out', exact: true }).last().focus();
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/oidc\/session\/end\/success/);
  assert.match((await page.locator('h1').textContent()) ?? '', /You are signed out/);
  assert.deepEqual(await axeViolations(page), [], 'signed-out page');

  // A service that sends people to an address it never registered gets an explanation, not a redirect.
  authorize.searchParams.set('redirect_uri', 'https://elsewhere.example/cb');
  const response = await page.goto(authorize.href);
  assert.equal(response?.status(), 400);
  assert.equal(new URL(page.url()).origin, base);
  assert.deepEqual(await axeViolations(page), [], 'OpenID error page');
  await page.screenshot({ path: `${shots}/oidc-error-en.png`, fullPage: true });
  await context.close();
});
