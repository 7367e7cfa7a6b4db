import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import type { TestApp } from '../test/support/test-app.ts';
import { DEMO_PASSWORD } from '../src/modules/identity/index.ts';
import { axeViolations, chromiumMissing, signInOfficialFirstTime, signInWithKeyboard, startJourney, SHOTS, type Journey } from './support.ts';

// A building permit from application to approval, as the people involved would do it: the
// resident in Korean on a narrow phone, the officials in English on a desktop, the resident
// watching the timeline update live in another tab. And an export declaration cleared at once.

const shots = SHOTS;
let journey: Journey;
let t: TestApp;
let browser: Browser;
let base: string;

before(async () => {
  if (chromiumMissing) return;
  journey = await startJourney();
  ({ t, browser, base } = journey);
});

after(async () => journey?.close());

async function clean(page: Page, what: string) {
  assert.deepEqual(await axeViolations(page), [], what);
}

async function official(username: string): Promise<Page> {
  const context = await browser.newContext({ bypassCSP: true, locale: 'en-GB', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await signInOfficialFirstTime(page, base, username, DEMO_PASSWORD, 'en');
  return page;
}

async function act(page: Page, receiptNo: string, button: string) {
  await page.goto(`${base}/work?lang=en`);
  await page.getByRole('link', { name: receiptNo }).click();
  await page.getByRole('button', { name: button, exact: true }).click();
  await page.waitForLoadState();
}

test('a resident applies for a building permit, two departments review it, the head approves, and the resident watches it live', { skip: chromiumMissing }, async () => {
  const context = await browser.newContext({ bypassCSP: true, locale: 'ko-KR', viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  await signInWithKeyboard(page, base, 'resident1', DEMO_PASSWORD);

  await page.goto(`${base}/services?lang=ko`);
  await clean(page, 'services');
  await page.getByLabel('서비스 찾기').fill('건축');
  await page.getByLabel('서비스 찾기').press('Enter');
  await page.getByRole('link', { name: '건축허가 신청' }).click();
  await clean(page, 'public procedure page');
  await page.screenshot({ path: `${shots}/service-page-360.png`, fullPage: true });
  await page.getByRole('link', { name: '온라인 신청하기' }).click();
  await page.getByRole('button', { name: '신청서 작성 시작' }).click();

  // Page 1, first with a mistake: the error summary and the field say what is wrong.
  await page.getByLabel('대지 위치(지번)').fill('서울특별시 종로구 청운동 12-3');
  await page.getByLabel('단독주택').press('Space');
  await page.getByLabel('연면적').fill('백팔십');
  await page.getByLabel('지상 층수').fill('2');
  await page.getByRole('button', { name: '저장하고 다음으로' }).click();
  await page.getByRole('heading', { name: '다음 항목을 확인해 주세요' }).waitFor();
  await clean(page, 'form page with errors');
  await page.screenshot({ path: `${shots}/form-errors-360.png`, fullPage: true });
  assert.equal(await page.getByLabel('대지 위치(지번)').inputValue(), '서울특별시 종로구 청운동 12-3', 'what was typed is kept');
  await page.getByLabel('연면적').fill('180');
  // The basement depth is asked only once there is a basement.
  assert.equal(await page.getByLabel('지하층 깊이').isVisible(), false);
  await page.getByLabel('지하층이 있습니다').press('Space');
  await page.getByLabel('지하층 깊이').fill('4');
  await page.getByRole('button', { name: '저장하고 다음으로' }).click();
  await page.getByLabel('건축사 이름').fill('김건축');
  await page.getByLabel('건축사 자격번호').fill('12345');
  await clean(page, 'form page 2');
  await page.getByLabel('건축사 자격번호').press('Enter');
  await page.getByLabel('휴대전화 번호').fill('010-1234-5678');
  await page.getByLabel('위 내용이 사실과 다르지 않음을 확인합니다.').press('Space');
  await page.getByRole('button', { name: '저장하고 다음으로' }).click();
  await page.getByRole('heading', { name: '입력한 내용 확인' }).waitFor();
  await clean(page, 'review page');
  // The site plan, photographed or scanned, attached from the phone.
  await page.getByLabel('어떤 서류인가요?').selectOption({ index: 1 });
  await page.getByLabel('파일', { exact: true }).setInputFiles({ name: '배치도.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n') });
  await page.getByRole('button', { name: '첨부하기' }).click();
  await page.getByText('서류를 첨부했습니다.').waitFor();
  await clean(page, 'review page with an attachment');
  await page.screenshot({ path: `${shots}/review-attached-360.png`, fullPage: true });
  await page.getByRole('button', { name: '제출하기' }).click();
  await page.getByText('제출했습니다').waitFor();
  await clean(page, 'application page');
  const receiptNo = ((await page.locator('p.nara-muted').first().textContent()) ?? '').replace('접수번호', '').trim();
  assert.match(receiptNo, /^\d{8}-\d{7}$/);
  const applicationUrl = page.url().replace(/\?.*$/, '');

  // A second tab keeps the timeline open.
  const watcher = await context.newPage();
  await watcher.goto(applicationUrl);
  await watcher.locator('#timeline').waitFor();

  const clerk = await official('jongno.clerk');
  await clerk.goto(`${base}/work?lang=en`);
  await clean(clerk, 'work queue');
  await act(clerk, receiptNo, 'Receive and start review');
  await clean(clerk, 'application as an official');
  await clerk.getByLabel('Request a supplement').press('Space');
  await clerk.getByLabel('Reason or request').fill('배치도에 대지 경계선을 표시해 주세요.');
  await clerk.getByRole('button', { name: 'Record' }).click();
  await clerk.waitForLoadState();

  // The watching tab updates by itself.
  await watcher.locator('#timeline').getByText('배치도에 대지 경계선을 표시해 주세요.').waitFor({ timeout: 10_000 });
  assert.match((await watcher.locator('#status').textContent()) ?? '', /보완 요청/);
  await watcher.screenshot({ path: `${shots}/timeline-live-360.png`, fullPage: true });

  await page.goto(applicationUrl);
  await clean(page, 'supplement request');
  await page.getByLabel('대지 위치(지번)').fill('서울특별시 종로구 청운동 12-3 (경계 표시)');
  await page.getByLabel('담당자에게 남길 말(선택)').fill('배치도를 고쳤습니다.');
  await page.getByRole('button', { name: '보완하여 다시 제출' }).click();
  await page.getByText('보완한 내용을 제출했습니다').waitFor();

  await clerk.goto(`${base}/work?lang=en`);
  await clerk.getByRole('link', { name: receiptNo }).click();
  await clerk.getByLabel('Department to pass it to').selectOption({ label: 'Urban Management Division' });
  await clerk.getByRole('button', { name: 'Pass to another department' }).click();
  await clerk.waitForURL(`${base}/work`);

  const planner = await official('jongno.planner');
  await act(planner, receiptNo, 'Receive and start review');
  await planner.getByLabel('Department to pass it to').selectOption({ label: 'Building Permits Division' });
  await planner.getByRole('button', { name: 'Pass to another department' }).click();
  await planner.waitForURL(`${base}/work`);

  const head = await official('jongno.approver');
  await head.goto(`${base}/work?lang=en`);
  await head.getByRole('heading', { name: "The department's workload" }).waitFor();
  await clean(head, "a head of department's queue with the workload and bulk assignment");
  await act(head, receiptNo, 'Receive and start review');
  await head.getByRole('button', { name: 'Approve', exact: true }).click();
  await head.getByText('Recorded: Approve.').waitFor();

  await watcher.locator('#status').getByText('처리 완료(승인)').waitFor({ timeout: 10_000 });
  const steps = await watcher.locator('#timeline li').count();
  assert.equal(steps, 9, 'submit, accept, supplement, resubmit, forward, accept, forward, accept, approve');
  await clean(watcher, 'approved application');
  await watcher.screenshot({ path: `${shots}/timeline-approved-360.png`, fullPage: true });
});

test('an export declaration with a low-risk profile is cleared in seconds', { skip: chromiumMissing }, async () => {
  const db = t.database.db;
  const account = await db.selectFrom('accounts').select(['id', 'resident_id']).where('username', '=', 'resident2').executeTakeFirstOrThrow();
  const business = await db
    .insertInto('businesses')
    .values({ registration_no: '998-87-76543', name_ko: '한빛전자무역', name_en: 'Hanbit Electronics Trading', representative_resident_id: account.resident_id!, industry_code: 'G46', address_ko: '서울특별시 중구 세종대로 1', address_en: '1 Sejong-daero, Jung-gu, Seoul', opened_on: '2018-05-02' })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.insertInto('business_links').values({ account_id: account.id, business_id: business.id }).execute();

  const context = await browser.newContext({ bypassCSP: true, locale: 'en-GB', viewport: { width: 1024, height: 800 } });
  const page = await context.newPage();
  await signInWithKeyboard(page, base, 'resident2', DEMO_PASSWORD, 'en');
  await page.goto(`${base}/services/export-declaration?lang=en`);
  await page.getByRole('link', { name: 'Apply online' }).click();
  await page.getByLabel('Hanbit Electronics Trading (998-87-76543)').press('Space');
  await page.getByRole('button', { name: 'Start the form' }).click();
  await page.getByLabel('Description of goods').fill('Notebook computers');
  await page.getByLabel('HS code (10 digits)').fill('8471300000');
  await page.getByLabel('Quantity').fill('120');
  await page.getByLabel('Declared value (US dollars)').fill('42,000');
  await page.getByLabel('Country of destination').selectOption('VN');
  await clean(page, 'export declaration form');
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await page.getByLabel('Mobile phone number').fill('010-2222-3333');
  await page.getByLabel('I confirm that the above is true.').press('Space');
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await page.getByRole('button', { name: 'Submit' }).click();
  await page.locator('#status').getByText('Approved').waitFor();
  await page.getByText('Automatic check (rules kcs-export-low-risk, version 1)').waitFor();
  await clean(page, 'cleared declaration');
  await page.screenshot({ path: `${shots}/export-cleared.png`, fullPage: true });
});

test('an agency administrator edits a service, previews the new version and publishes it', { skip: chromiumMissing }, async () => {
  const page = await official('mois.admin');
  await page.goto(`${base}/account?lang=en`);
  await page.getByRole('link', { name: "Your agency's services" }).click();
  await clean(page, 'services admin list');
  await page.getByRole('link', { name: 'Open data request' }).click();
  await clean(page, 'service editor');
  await page.getByLabel('Statutory period (working days)').fill('8');
  await page.getByRole('button', { name: 'Save as the version being written' }).click();
  await page.getByText('Saved. Check the preview, then publish.').waitFor();
  await page.getByRole('link', { name: 'Preview version 2' }).click();
  await clean(page, 'preview');
  await page.screenshot({ path: `${shots}/service-preview.png`, fullPage: true });
  await page.getByRole('link', { name: 'Back to editing' }).click();
  await page.getByRole('button', { name: 'Publish version 2' }).click();
  await page.getByText('Published.').waitFor();
  await page.goto(`${base}/services/open-data-request?lang=en`);
  await page.getByText('8 working days (time waiting for your supplement does not count)').waitFor();
  await page.getByText('Version 2, since').waitFor();
});
