import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { testApp, type TestApp } from '../test/support/test-app.ts';
import { DomainError } from '../src/platform/http/errors.ts';
import { DEMO_PASSWORD } from '../src/modules/identity/index.ts';
import { createFieldEncryption } from '../src/platform/crypto/field-encryption.ts';
import { sql } from 'kysely';
import { generate } from 'otplib';
import { addVirtualAuthenticator, axeViolations, chromiumMissing, launchChromium, signInOfficialFirstTime } from './support.ts';

const shots = 'e2e/screenshots';
let t: TestApp;
let browser: Browser;
let base: string;

before(async () => {
  if (chromiumMissing) return;
  mkdirSync(shots, { recursive: true });
  t = await testApp({
    beforeReady(app) {
      app.get('/test/boom', async () => {
        throw new Error('internal detail that must not show');
      });
      app.get('/test/forbidden', async () => {
        throw new DomainError('FORBIDDEN');
      });
    },
  });
  // "localhost", not an IP address: WebAuthn refuses IP addresses as relying-party ids.
  await t.app.listen({ host: 'localhost', port: 0 });
  const address = t.app.server.address();
  base = `http://localhost:${typeof address === 'object' && address ? address.port : 0}`;
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await t?.close();
});

test('a new visitor opens the home page in Korean, switches to English and skips to the content by keyboard', { skip: chromiumMissing }, async () => {
  const context = await browser.newContext({ locale: 'ko-KR', bypassCSP: true });
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
  await page.goto(`${base}/`);
  assert.equal(await page.getAttribute('html', 'lang'), 'ko');
  assert.equal(await page.locator('h1').textContent(), '모든 정부 서비스를 한곳에서');
  await page.screenshot({ path: `${shots}/home-ko.png`, fullPage: true });
  assert.deepEqual(await axeViolations(page), [], 'home page (ko) meets WCAG 2.2 AA');

  await page.getByRole('link', { name: 'English' }).click();
  await page.waitForURL(/lang=en/);
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.equal(await page.locator('h1').textContent(), 'Every government service in one place');
  await page.screenshot({ path: `${shots}/home-en.png`, fullPage: true });
  assert.deepEqual(await axeViolations(page), [], 'home page (en) meets WCAG 2.2 AA');

  // The choice is remembered on the next page, though the browser prefers Korean.
  await page.goto(`${base}/agencies`);
  assert.equal(await page.getAttribute('html', 'lang'), 'en');

  await page.goto(`${base}/`);
  await page.keyboard.press('Tab');
  const first = await page.evaluate(() => ({ text: document.activeElement?.textContent, href: document.activeElement?.getAttribute('href') }));
  assert.deepEqual(first, { text: 'Skip to main content', href: '#main' });
  assert.ok(await page.locator('#krds-skip-link a').isVisible(), 'the skip link shows when focused');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'main');
  assert.deepEqual(consoleErrors, [], 'no script or CSP errors in the console');
  await context.close();
});

test('the home page fits a 360-pixel phone screen and works without JavaScript', { skip: chromiumMissing }, async () => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, javaScriptEnabled: false, locale: 'ko-KR' });
  const page = await context.newPage();
  await page.goto(`${base}/`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `no sideways scrolling (overflow ${overflow}px)`);
  await page.screenshot({ path: `${shots}/home-360.png`, fullPage: true });
  await page.getByRole('link', { name: 'English' }).click();
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  await page.getByRole('searchbox', { name: 'Search terms' }).fill('customs');
  await page.getByRole('button', { name: 'Search' }).click();
  assert.match((await page.locator('main').textContent()) ?? '', /Korea Customs Service/);
  await context.close();
});

test('every page of the foundation meets WCAG 2.2 AA in both languages', { skip: chromiumMissing }, async () => {
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  for (const path of ['/agencies', '/sign-in', '/sign-up', '/search?q=seoul', '/privacy', '/accessibility', '/status', '/dev/mailbox']) {
    for (const lang of ['ko', 'en']) {
      await page.goto(`${base}${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
      assert.deepEqual(await axeViolations(page), [], `${path} (${lang})`);
    }
  }
  await context.close();
});

test('a resident signs in with the keyboard alone, after a mistake that keeps what they typed, reads the inbox and sees their devices', { skip: chromiumMissing }, async () => {
  const context = await browser.newContext({ bypassCSP: true, locale: 'ko-KR' });
  const page = await context.newPage();
  await page.goto(`${base}/sign-in?next=%2Finbox`);
  await page.getByLabel('아이디').focus();
  await page.keyboard.type('resident1');
  await page.keyboard.press('Tab');
  await page.keyboard.type('wrong-password');
  await page.keyboard.press('Enter');
  await page.waitForLoadState();
  assert.match((await page.locator('.nara-error-summary').textContent()) ?? '', /아이디 또는 비밀번호가 올바르지 않습니다/);
  assert.equal(await page.getByLabel('아이디').inputValue(), 'resident1', 'the username is kept');
  assert.deepEqual(await axeViolations(page), [], 'sign-in page with errors');
  await page.getByLabel('비밀번호').focus();
  await page.keyboard.type(DEMO_PASSWORD);
  await page.keyboard.press('Enter');
  await page.waitForURL(`${base}/inbox`);
  assert.match((await page.locator('main').textContent()) ?? '', /나라에 오신 것을 환영합니다/);
  await page.screenshot({ path: `${shots}/inbox-ko.png`, fullPage: true });
  assert.deepEqual(await axeViolations(page), [], 'inbox');
  await page.getByRole('button', { name: '읽음으로 표시' }).press('Enter');
  await page.waitForLoadState();
  assert.equal(await page.getByRole('button', { name: '읽음으로 표시' }).count(), 0);

  // The account page: this device is listed, and a mistaken password change keeps the form usable.
  await page.getByRole('link', { name: /님$/ }).click();
  await page.waitForURL(`${base}/account`);
  assert.match((await page.locator('main').textContent()) ?? '', /지금 사용 중인 기기/);
  assert.deepEqual(await axeViolations(page), [], 'account page');
  await page.getByLabel('현재 비밀번호').focus();
  await page.keyboard.type('not-my-password');
  await page.keyboard.press('Enter');
  await page.waitForLoadState();
  assert.match((await page.locator('.nara-error-summary').textContent()) ?? '', /현재 비밀번호가 올바르지 않습니다/);
  assert.deepEqual(await axeViolations(page), [], 'account page with errors');
  await page.screenshot({ path: `${shots}/account-ko.png`, fullPage: true });
  await context.close();
});

test('a new resident signs up from the register, reads the code in the development mailbox and arrives signed in', { skip: chromiumMissing }, async () => {
  const bound = t.database.db.selectFrom('accounts').select('resident_id').where('resident_id', 'is not', null);
  const row = await t.database.db
    .selectFrom('residents')
    .select(['name_en', 'national_id_cipher', sql<string>`birth_date::text`.as('birth')])
    .where('email', 'is not', null)
    .where('id', 'not in', bound)
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
  const nationalId = createFieldEncryption(t.config.dataKey).decrypt(row.national_id_cipher);
  const context = await browser.newContext({ bypassCSP: true, locale: 'en-GB' });
  const page = await context.newPage();
  await page.goto(`${base}/sign-in`);
  await page.getByRole('link', { name: /Create one/ }).click();
  await page.getByLabel('Name').fill(row.name_en);
  await page.getByLabel('Date of birth').fill(row.birth);
  await page.getByLabel('Resident registration number').fill(nationalId);
  await page.getByRole('button', { name: 'Send me a code' }).click();
  await page.waitForURL(`${base}/sign-up/verify`);
  assert.deepEqual(await axeViolations(page), [], 'code page');
  await t.jobs.runDue();

  const mailbox = await context.newPage();
  await mailbox.goto(`${base}/dev/mailbox`);
  const code = /\b(\d{6})\b/.exec((await mailbox.locator('.nara-mail').first().textContent()) ?? '')?.[1];
  assert.ok(code, 'the code is in the development mailbox');
  await mailbox.close();

  await page.getByLabel('Code').fill(code);
  await page.getByLabel('Choose a username').fill('journey.resident');
  await page.getByLabel('Password', { exact: true }).fill('a quiet morning in jeju');
  await page.getByLabel('Password again').fill('a quiet morning in jeju');
  await page.getByRole('button', { name: 'Create my account' }).click();
  await page.waitForURL(`${base}/inbox`);
  assert.match((await page.locator('main').textContent()) ?? '', /Welcome to Nara/);
  await page.screenshot({ path: `${shots}/sign-up-done-en.png`, fullPage: true });
  await context.close();
});

test('an official sets up an authenticator app at first sign-in and keeps the recovery codes', { skip: chromiumMissing }, async () => {
  const context = await browser.newContext({ bypassCSP: true, locale: 'ko-KR' });
  const page = await context.newPage();
  await page.goto(`${base}/sign-in`);
  await page.getByLabel('아이디').fill('pps.officer');
  await page.getByLabel('비밀번호').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: '로그인', exact: true }).click();
  await page.waitForURL(`${base}/sign-in/second-factor`);
  assert.ok(await page.getByRole('img', { name: '인증 앱에 등록할 QR 코드' }).isVisible());
  assert.deepEqual(await axeViolations(page), [], 'enrolment page');
  await page.screenshot({ path: `${shots}/totp-enrol-ko.png`, fullPage: true });
  const secret = ((await page.locator('#totp-secret').textContent()) ?? '').replace(/\s/g, '');
  await page.getByLabel('앱에 표시된 6자리 숫자').fill(await generate({ secret }));
  await page.getByRole('button', { name: '등록하고 로그인' }).click();
  await page.waitForLoadState();
  assert.equal(await page.locator('.nara-recovery-codes code').count(), 10);
  assert.deepEqual(await axeViolations(page), [], 'recovery codes page');
  await page.getByRole('link', { name: '보관했습니다. 계속하기' }).click();
  assert.match((await page.locator('header').textContent()) ?? '', /로그아웃/);
  await context.close();
});

test('an agency administrator manages an official with the keyboard, and the page meets WCAG 2.2 AA', { skip: chromiumMissing }, async () => {
  const context = await browser.newContext({ bypassCSP: true, locale: 'en-GB' });
  const page = await context.newPage();
  await signInOfficialFirstTime(page, base, 'mois.admin', DEMO_PASSWORD, 'en');
  await page.goto(`${base}/account`);
  await page.getByRole('link', { name: 'Officials of your agency' }).click();
  assert.deepEqual(await axeViolations(page), [], 'officials page');
  const card = page.locator('li.nara-card', { hasText: '(operator)' });
  await card.getByRole('checkbox', { name: 'Auditor' }).press('Space');
  await card.getByRole('button', { name: 'Save roles' }).press('Enter');
  await page.waitForURL(/done=roles/);
  assert.match((await page.locator('.nara-notice').textContent()) ?? '', /The roles are changed/);
  assert.match((await page.locator('li.nara-card', { hasText: '(operator)' }).textContent()) ?? '', /Auditor/);
  await page.screenshot({ path: `${shots}/officials-en.png`, fullPage: true });
  await context.close();
});

test('a resident adds a passkey, signs out, and signs in with the passkey alone', { skip: chromiumMissing }, async () => {
  const context = await browser.newContext({ bypassCSP: true, locale: 'en-GB' });
  const page = await context.newPage();
  await addVirtualAuthenticator(context, page);
  await page.goto(`${base}/sign-in`);
  await page.getByLabel('Username').fill('resident2');
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByLabel('Password').press('Enter');
  await page.waitForURL(`${base}/`);
  await page.goto(`${base}/account`);
  await page.getByLabel('Passkey name').fill('My test phone');
  await page.getByRole('button', { name: 'Add a passkey' }).click();
  await page.waitForURL(/done=passkey/);
  assert.match((await page.locator('main').textContent()) ?? '', /My test phone/);
  assert.deepEqual(await axeViolations(page), [], 'account page with a passkey');

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(/signedOut/);
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
  await page.waitForURL(`${base}/`);
  assert.match((await page.locator('header').textContent()) ?? '', /Sign out/);
  // Recorded as a passkey sign-in (written with the session it began).
  const account = await t.database.db.selectFrom('accounts').select('id').where('username', '=', 'resident2').executeTakeFirstOrThrow();
  const latest = await t.database.db.selectFrom('audit_events').select(['details']).where('action', '=', 'identity.sign-in.succeeded').where('actor_account_id', '=', account.id).orderBy('id', 'desc').executeTakeFirstOrThrow();
  assert.equal((latest.details as { method?: string }).method, 'passkey');
  await page.goto(`${base}/account`);
  assert.match((await page.locator('main').textContent()) ?? '', /last used/);
  await context.close();
});

test('the error pages meet WCAG 2.2 AA in both languages', { skip: chromiumMissing }, async () => {
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  for (const [path, status] of [['/no-such-page', 404], ['/test/forbidden', 403], ['/test/boom', 500]] as const) {
    for (const lang of ['ko', 'en']) {
      const response = await page.goto(`${base}${path}?lang=${lang}`);
      assert.equal(response?.status(), status);
      assert.equal(await page.getAttribute('html', 'lang'), lang);
      assert.deepEqual(await axeViolations(page), [], `${status} page (${lang})`);
    }
  }
  await page.screenshot({ path: `${shots}/error-500-en.png`, fullPage: true });
  assert.doesNotMatch(await page.content(), /internal detail/);
  await context.close();
});
