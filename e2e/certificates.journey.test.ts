import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';
import type { Browser } from 'playwright-core';
import type { TestApp } from '../test/support/test-app.ts';
import { DEMO_PASSWORD } from '../src/modules/identity/index.ts';
import { axeViolations, chromiumMissing, signInOfficialFirstTime, signInWithKeyboard, startJourney, SHOTS, type Journey } from './support.ts';

// A resident gets a certificate and downloads its PDF; the PDF, rendered as a page would be
// printed, carries a QR code that leads to a verification page saying "valid" with the
// PDF's own facts; the issuing agency revokes it and the same page then says "revoked".

// jsqr is CommonJS with its function as the `default` property.
const jsQR = jsQRModule.default;
let journey: Journey;
let t: TestApp;
let browser: Browser;
let base: string;
const pdftoppmMissing = (() => {
  try {
    execFileSync('pdftoppm', ['-v'], { stdio: 'ignore' });
    return false;
  } catch {
    return 'pdftoppm not found; install it with: apt-get install -y poppler-utils';
  }
})();
const skip = chromiumMissing || pdftoppmMissing;

before(async () => {
  if (skip) return;
  journey = await startJourney({ config: { renderWorkers: 1 } });
  ({ t, browser, base } = journey);
});

after(async () => journey?.close());

/** The QR code on the first page of a PDF, decoded from a 150 dpi rendering. */
function qrOf(pdfPath: string, pngBase: string): string {
  execFileSync('pdftoppm', ['-r', '150', '-png', '-f', '1', '-l', '1', '-singlefile', pdfPath, pngBase]);
  const png = PNG.sync.read(readFileSync(`${pngBase}.png`));
  const code = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
  assert.ok(code, 'the rendered PDF has a readable QR code');
  return code.data;
}

test('a resident gets a certificate, its QR leads to "valid", and after the agency revokes it, to "revoked"', { skip }, async () => {
  const context = await browser.newContext({ bypassCSP: true, locale: 'ko-KR', viewport: { width: 360, height: 740 }, acceptDownloads: true });
  const page = await context.newPage();
  await signInWithKeyboard(page, base, 'resident1', DEMO_PASSWORD);
  await page.goto(`${base}/certificates?lang=ko`);
  assert.deepEqual(await axeViolations(page), [], 'my certificates');
  await page.getByRole('link', { name: '주민등록표 등본' }).click();
  assert.deepEqual(await axeViolations(page), [], 'request form');
  // Leave the household members off, with the keyboard.
  await page.getByLabel('세대 구성').focus();
  await page.keyboard.press('Space');
  await page.getByRole('button', { name: '발급 신청' }).press('Enter');
  await page.getByText(/증명서를 발급했습니다\. 발급번호 \d{4}-\d{4}-\d{4}-\d{4}/).waitFor();
  assert.deepEqual(await axeViolations(page), [], 'certificate page');
  await page.screenshot({ path: `${SHOTS}/certificate-issued-360.png`, fullPage: true });

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'PDF 내려받기' }).click()]);
  const dir = mkdtempSync(path.join(tmpdir(), 'nara-cert-'));
  const pdfPath = path.join(dir, 'certificate.pdf');
  await download.saveAs(pdfPath);
  const url = qrOf(pdfPath, path.join(dir, 'page'));
  writeFileSync(`${SHOTS}/certificate-pdf-page1.png`, readFileSync(path.join(dir, 'page.png')));
  assert.match(url, new RegExp(`^${base}/verify/\\d{4}-\\d{4}-\\d{4}-\\d{4}$`));
  const pdfText = execFileSync('pdftotext', ['-layout', pdfPath, '-']).toString('utf8');

  // Whoever receives the PDF scans its QR code: no sign-in.
  const verifier = await browser.newContext({ bypassCSP: true, locale: 'ko-KR', viewport: { width: 360, height: 740 } });
  const check = await verifier.newPage();
  await check.goto(url);
  await check.getByRole('heading', { name: '유효한 증명서입니다.' }).waitFor();
  assert.deepEqual(await axeViolations(check), [], 'verification: valid');
  await check.screenshot({ path: `${SHOTS}/verify-valid-360.png`, fullPage: true });
  // What the page says the certificate states is what the PDF prints.
  const facts = await check.locator('.nara-fact').allTextContents();
  assert.ok(facts.length >= 3);
  const squash = (s: string) => s.replace(/\s+/g, '');
  for (const fact of facts) assert.ok(squash(pdfText).includes(squash(fact)), `the PDF shows "${fact}"`);
  assert.ok(!(await check.locator('.nara-fact').allTextContents()).some((f) => f.includes('세대주 ')), 'the household members were left off');

  // The issuing agency (the Ministry of the Interior and Safety) revokes it.
  const agency = await browser.newContext({ bypassCSP: true, locale: 'ko-KR', viewport: { width: 1280, height: 900 } });
  const official = await agency.newPage();
  await signInOfficialFirstTime(official, base, 'mois.admin', DEMO_PASSWORD);
  await official.goto(url);
  // KRDS draws its own radio over the input: chosen with the keyboard, as people do.
  await official.getByLabel('취소(되돌릴 수 없음)').press('Space');
  await official.getByLabel('사유').fill('주소 정정으로 다시 발급');
  await official.getByRole('button', { name: '조치 기록' }).click();
  await official.getByText(/조치를 기록했습니다/).waitFor();
  assert.deepEqual(await axeViolations(official), [], 'verification with the agency actions');

  await check.reload();
  await check.getByRole('heading', { name: '취소된 증명서입니다.' }).waitFor();
  assert.deepEqual(await axeViolations(check), [], 'verification: revoked');
  await check.screenshot({ path: `${SHOTS}/verify-revoked-360.png`, fullPage: true });

  // English, for a foreign receiver: the same page in their language.
  await check.goto(`${url}?lang=en`);
  await check.getByRole('heading', { name: 'This certificate has been revoked.' }).waitFor();
  await t.jobs.runDue();
});

test('a resident shows a mobile ID on a phone; a verifier who opened the check page once checks it with no connection', { skip }, async () => {
  // A phone's screen: 360 CSS pixels at three device pixels each, as most phones have.
  const phone = await browser.newContext({ bypassCSP: true, locale: 'ko-KR', viewport: { width: 360, height: 740 }, deviceScaleFactor: 3 });
  const page = await phone.newPage();
  await signInWithKeyboard(page, base, 'resident2', DEMO_PASSWORD);
  await page.goto(`${base}/mobile-id?lang=ko`);
  await page.getByRole('button', { name: '모바일 신분증 받기' }).press('Enter');
  await page.getByRole('button', { name: 'QR 코드로 보여 주기' }).waitFor();
  assert.deepEqual(await axeViolations(page), [], 'mobile ID');
  await page.getByRole('button', { name: 'QR 코드로 보여 주기' }).press('Enter');
  const qr = page.getByRole('img', { name: '모바일 신분증 QR 코드' });
  await qr.waitFor();
  assert.deepEqual(await axeViolations(page), [], 'mobile ID shown');
  await page.screenshot({ path: `${SHOTS}/mobile-id-shown-360.png`, fullPage: true });
  // The page as the phone shows it from the top (the sticky header would cover an element
  // screenshot scrolled into view).
  await page.evaluate(() => window.scrollTo(0, 0));
  const box = await qr.boundingBox();
  assert.ok(box);
  const png = PNG.sync.read(await page.screenshot({ fullPage: true, clip: box, path: `${SHOTS}/mobile-id-qr.png` }));
  const code = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
  assert.ok(code, 'the QR code on the phone screen can be read');
  assert.match(code.data, new RegExp(`^${base}/mobile-id/check#[\\w-]+\\.[\\w-]+\\.[\\w-]+$`));

  // The verifier opened the check page once, with a connection; now they have none.
  const verifier = await browser.newContext({ bypassCSP: true, locale: 'en-GB', viewport: { width: 360, height: 740 } });
  const check = await verifier.newPage();
  await check.goto(`${base}/mobile-id/check?lang=en`);
  await check.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await check.waitForFunction(() => Object.keys(localStorage).filter((k) => k.startsWith('nara.cache.')).length >= 3);
  assert.deepEqual(await axeViolations(check), [], 'mobile ID check page');
  await verifier.setOffline(true);
  await check.goto(code.data);
  await check.getByRole('heading', { name: '유효한 모바일 신분증입니다.' }).or(check.getByRole('heading', { name: 'This mobile ID is valid.' })).waitFor({ timeout: 15_000 });
  await check.getByText(/No connection: checked with the saved keys|연결이 없어 저장된 정보로 확인했습니다/).waitFor();
  const facts = await check.locator('.nara-fact').allTextContents();
  assert.equal(facts.length, 3, 'name, aged 19 or over, and the time the code ends: nothing else');
  await check.screenshot({ path: `${SHOTS}/mobile-id-checked-offline-360.png`, fullPage: true });
  await verifier.setOffline(false);
});
