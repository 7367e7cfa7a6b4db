import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import type { Browser } from 'playwright-core';
import type { TestApp } from '../test/support/test-app.ts';
import { DEMO_PASSWORD } from '../src/modules/identity/index.ts';
import { takeAction } from '../src/modules/applications/take-action.ts';
import { axeViolations, chromiumMissing, signInWithKeyboard, startJourney, SHOTS, type Journey } from './support.ts';

// The public log as people meet it: a resident on a narrow phone checks, in their own
// browser, that a step of their application is in the signed log, and sees a warning once
// the step has been altered behind the log's back; a visitor reads the log's public page.

const shots = SHOTS;
let journey: Journey;
let t: TestApp;
let browser: Browser;
let base: string;

before(async () => {
  if (chromiumMissing) return;
  journey = await startJourney({ demoApplications: true, config: { logIntervalMs: 200 } });
  ({ t, browser, base } = journey);
});

after(async () => journey?.close());

test('a resident checks a step of their application against the public log, and is warned once it has been altered', { skip: chromiumMissing }, async () => {
  const context = await browser.newContext({ bypassCSP: true, locale: 'ko-KR', viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  await signInWithKeyboard(page, base, 'resident1', DEMO_PASSWORD);
  const application = await t.database.db.selectFrom('applications').innerJoin('accounts', 'accounts.id', 'applications.applicant_account_id')
    .innerJoin('service_versions', (j) => j.onRef('service_versions.service_id', '=', 'applications.service_id').onRef('service_versions.version', '=', 'applications.service_version'))
    .select(['applications.id']).where('accounts.username', '=', 'resident1').where('applications.status', '=', 'submitted').orderBy('applications.id').executeTakeFirstOrThrow();
  await page.goto(`${base}/applications/${application.id}?lang=ko`);

  // With the keyboard: tab to the first step's check button and press it.
  const check = page.locator('#step-1 .nara-log-check');
  await check.waitFor();
  await check.focus();
  await page.keyboard.press('Enter');
  const result = page.locator('#log-result-1');
  await result.getByText(/^확인됨: 이 단계는 공개 기록부의 \d+번째 기록이고, .+에 서명된 기록부\(전체 \d+건\)에 들어 있습니다/).waitFor({ timeout: 10_000 });
  assert.deepEqual(await axeViolations(page), [], 'timeline with a checked step');
  await page.locator('#step-1').screenshot({ path: `${shots}/log-check-ok-360.png` });

  // Someone with database access rewrites the forwarding step's note, working around the
  // table's own guard; the resident's browser notices.
  const step = await t.database.db.selectFrom('application_steps').select(['id', 'seq']).where('application_id', '=', application.id).where('action', '=', 'forward').executeTakeFirstOrThrow();
  await sql`alter table application_steps disable trigger application_steps_no_change`.execute(t.database.db);
  await sql`update application_steps set note = '협의 불필요' where id = ${step.id}`.execute(t.database.db);
  await sql`alter table application_steps enable trigger application_steps_no_change`.execute(t.database.db);
  await page.locator(`#step-${step.seq} .nara-log-check`).click();
  await page.locator(`#log-result-${step.seq}`).getByText(/^경고: 이 단계의 지금 내용이 공개 기록부에 기록된 내용과 다릅니다/).waitFor({ timeout: 10_000 });
  await page.locator(`#step-${step.seq}`).screenshot({ path: `${shots}/log-check-altered-360.png` });
});

test('a step just recorded is checked as soon as the log has signed it', { skip: chromiumMissing }, async () => {
  const context = await browser.newContext({ bypassCSP: true, locale: 'en-GB', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await signInWithKeyboard(page, base, 'resident1', DEMO_PASSWORD, 'en');
  const application = await t.database.db.selectFrom('applications').innerJoin('accounts', 'accounts.id', 'applications.applicant_account_id')
    .select(['applications.id']).where('accounts.username', '=', 'resident1').where('applications.status', '=', 'submitted').orderBy('applications.id').executeTakeFirstOrThrow();
  // The Urban Management Division takes up the forwarded permit now.
  const planner = await t.database.db.selectFrom('accounts').select('id').where('username', '=', 'jongno.planner').executeTakeFirstOrThrow();
  await takeAction(t.database.db, { applicationId: application.id, accountId: planner.id, action: 'accept', timeZone: t.config.timeZone });
  await page.goto(`${base}/applications/${application.id}?lang=en`);
  const last = await page.locator('#timeline li').count();
  const result = page.locator(`#log-result-${last}`);
  // The log signs within moments; until then the check says so, and a second try succeeds.
  const done = /^Checked: this step is entry \d+ of the public log, in the log signed at .+ \(\d+ entries\)\. What this page shows is what was recorded\.$/;
  for (let attempt = 0; attempt < 20 && !done.test((await result.textContent()) ?? ''); attempt++) {
    await page.locator(`#step-${last} .nara-log-check`).click();
    await result.getByText(/^(Checked|This step is not in a signed log yet)/).waitFor({ timeout: 10_000 });
    if (!done.test((await result.textContent()) ?? '')) await page.waitForTimeout(250);
  }
  assert.match((await result.textContent()) ?? '', done);
  assert.deepEqual(await axeViolations(page), [], 'timeline in English with a checked step');
});

test('a visitor reads the public log page, in English and Korean, on a desktop and on a phone', { skip: chromiumMissing }, async () => {
  for (const [locale, viewport, lang] of [['en-GB', { width: 1280, height: 900 }, 'en'], ['ko-KR', { width: 360, height: 740 }, 'ko']] as const) {
    const context = await browser.newContext({ bypassCSP: true, locale, viewport });
    const page = await context.newPage();
    await page.goto(`${base}/transparency?lang=${lang}`);
    await page.getByRole('heading', { level: 1, name: lang === 'en' ? 'Public log (transparency log)' : '공개 기록부(투명성 로그)' }).waitFor();
    const size = (await (await page.request.get(`${base}/transparency/v1/get-sth`)).json()).tree_size as number;
    assert.match((await page.locator('dl').first().textContent()) ?? '', new RegExp(lang === 'en' ? `${size} entries` : `${size}건`));
    assert.deepEqual(await axeViolations(page), [], `public log page (${lang})`);
    // Nothing runs off the side of a phone: long hashes wrap.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`);
    await page.screenshot({ path: `${shots}/transparency-${lang}-${viewport.width}.png`, fullPage: true });
    await context.close();
  }
});
