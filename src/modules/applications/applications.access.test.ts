import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { testApp, signIn, csrfFrom, cookiesFrom, type TestApp } from '../../../test/support/test-app.ts';

// Applying, processing and tracking: who may do what to an application, and that every
// step is a fact stamped by the database that nobody can change.

let t: TestApp;
const browsers = new Map<string, string>();

before(async () => {
  // Every request comes from one test address; the per-address limit is tested elsewhere.
  t = await testApp({ config: { rateLimitPerMinute: 100_000 } });
});
after(async () => t.close());

/** A signed-in browser: keeps its cookie, posts forms with the CSRF token of a page. */
async function as(username: string) {
  let cookie = browsers.get(username) ?? (await signIn(t.app, username));
  browsers.set(username, cookie);
  return {
    async get(url: string) {
      const res = await t.app.inject({ method: 'GET', url, headers: { cookie } });
      cookie = cookiesFrom(res, cookie);
      browsers.set(username, cookie);
      return res;
    },
    async post(url: string, payload: Record<string, string | string[]> = {}) {
      const page = await t.app.inject({ method: 'GET', url: '/services', headers: { cookie } });
      cookie = cookiesFrom(page, cookie);
      const res = await t.app.inject({ method: 'POST', url, headers: { cookie }, payload: { ...payload, _csrf: csrfFrom(page.body) } });
      cookie = cookiesFrom(res, cookie);
      browsers.set(username, cookie);
      return res;
    },
  };
}

const idFrom = (location: string | undefined) => Number(/\/applications\/(\d+)/.exec(location ?? '')?.[1]);

async function fileBuildingPermit(username = 'resident1'): Promise<number> {
  const me = await as(username);
  const started = await me.post('/services/building-permit/apply');
  assert.equal(started.statusCode, 303);
  const id = idFrom(started.headers.location as string);
  assert.equal((await me.post(`/applications/${id}/edit/site`, { siteAddress: '서울특별시 종로구 청운동 12-3', use: 'detached-house', floorArea: '180', floors: '2', go: 'next' })).statusCode, 303);
  assert.equal((await me.post(`/applications/${id}/edit/architect`, { architectName: '김건축', architectLicence: '12345', go: 'next' })).statusCode, 303);
  assert.equal((await me.post(`/applications/${id}/edit/contact`, { contactPhone: '010-1234-5678', declaration: 'true', go: 'next' })).statusCode, 303);
  const submitted = await me.post(`/applications/${id}/submit`);
  assert.equal(submitted.statusCode, 303);
  return id;
}

const steps = (id: number) => t.database.db.selectFrom('application_steps').selectAll().where('application_id', '=', id).orderBy('seq').execute();

test('a page of the form with mistakes comes back with each error at its field, and what was typed is kept', async () => {
  const me = await as('resident2');
  const id = idFrom((await me.post('/services/building-permit/apply')).headers.location as string);
  const res = await me.post(`/applications/${id}/edit/site`, { siteAddress: '종로구 청운동 1', use: 'detached-house', floorArea: 'many', floors: '200', hasBasement: 'true', go: 'next' });
  assert.equal(res.statusCode, 422);
  assert.match(res.body, /숫자로 입력해 주세요|Enter a number/);
  assert.match(res.body, /60 이하여야 합니다|Must be 60 or less/);
  assert.match(res.body, /value="many"/, 'the mistyped number is shown as typed');
  assert.match(res.body, /href="#f-floorArea"/, 'the summary links to the field');
  // The basement depth is asked because there is a basement, and it is required.
  assert.match(res.body, /id="f-basementDepth-error"/);
  // Nothing typed is lost: the draft holds it.
  const draft = await t.database.db.selectFrom('applications').select('answers').where('id', '=', id).executeTakeFirstOrThrow();
  assert.equal(draft.answers.siteAddress, '종로구 청운동 1');
  assert.equal(draft.answers.floorArea, 'many');
  // Coming back to the page shows the saved answers.
  const again = await me.get(`/applications/${id}/edit/site`);
  assert.match(again.body, /종로구 청운동 1/);
});

test('an answer to a question that no longer applies is dropped', async () => {
  const me = await as('resident2');
  const id = idFrom((await me.post('/services/building-permit/apply')).headers.location as string);
  await me.post(`/applications/${id}/edit/site`, { siteAddress: 'a', use: 'office', floorArea: '100', floors: '3', hasBasement: 'true', basementDepth: '5', go: 'next' });
  await me.post(`/applications/${id}/edit/site`, { siteAddress: 'a', use: 'office', floorArea: '100', floors: '3', basementDepth: '5', go: 'next' });
  const draft = await t.database.db.selectFrom('applications').select('answers').where('id', '=', id).executeTakeFirstOrThrow();
  assert.equal(draft.answers.hasBasement, false);
  assert.equal('basementDepth' in draft.answers, false);
});

test('a resident files a building permit and gets a receipt number, a deadline and an inbox notice', async () => {
  const id = await fileBuildingPermit();
  const app = await t.database.db.selectFrom('applications').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  assert.equal(app.status, 'submitted');
  assert.match(app.receipt_no ?? '', /^\d{8}-\d{7}$/);
  assert.match(app.due_date ?? '', /^\d{4}-\d{2}-\d{2}$/);
  const me = await as('resident1');
  const page = await me.get(`/applications/${id}?done=submitted`);
  assert.equal(page.statusCode, 200);
  assert.ok(page.body.includes(app.receipt_no!));
  const notice = await t.database.db.selectFrom('notifications').select('template').where('account_id', '=', app.applicant_account_id).where('template', '=', 'applications.notice.received').executeTakeFirst();
  assert.ok(notice, 'the applicant has an inbox notice');
  const inbox = await me.get('/inbox');
  assert.match(inbox.body, /건축허가 신청: 접수되었습니다|Building permit: received/, 'in the reader’s language');
  const mine = await me.get('/applications');
  assert.ok(mine.body.includes(app.receipt_no!));
});

test('another resident cannot see, change, withdraw or watch an application', async () => {
  const id = await fileBuildingPermit();
  const other = await as('resident3');
  assert.equal((await other.get(`/applications/${id}`)).statusCode, 404);
  assert.equal((await other.get(`/applications/${id}/events`)).statusCode, 404);
  assert.equal((await other.post(`/applications/${id}/withdraw`)).statusCode, 404);
  assert.equal((await other.post(`/applications/${id}/resubmit`, { siteAddress: 'x' })).statusCode, 404);
  assert.equal((await other.post(`/applications/${id}/edit/site`, { siteAddress: 'x' })).statusCode, 404);
  assert.equal((await steps(id)).length, 1);
  const anonymous = await t.app.inject({ method: 'GET', url: `/applications/${id}` });
  assert.equal(anonymous.statusCode, 303);
});

test('a submitted application cannot be edited as a draft', async () => {
  const id = await fileBuildingPermit();
  const me = await as('resident1');
  const res = await me.post(`/applications/${id}/edit/site`, { siteAddress: 'changed afterwards' });
  assert.equal(res.statusCode, 409);
  const app = await t.database.db.selectFrom('applications').select('answers').where('id', '=', id).executeTakeFirstOrThrow();
  assert.equal(app.answers.siteAddress, '서울특별시 종로구 청운동 12-3');
});

test('officials of another agency or another department cannot act; a clerk cannot approve', async () => {
  const id = await fileBuildingPermit();
  const gangnam = await as('gangnam.clerk');
  assert.equal((await gangnam.get(`/work/applications/${id}`)).statusCode, 404);
  assert.equal((await gangnam.post(`/work/applications/${id}/actions`, { action: 'accept' })).statusCode, 404);
  const planner = await as('jongno.planner'); // same agency, another department
  assert.equal((await planner.post(`/work/applications/${id}/actions`, { action: 'accept' })).statusCode, 403);
  const auditor = await as('smg.auditor');
  assert.equal((await auditor.post(`/work/applications/${id}/actions`, { action: 'accept' })).statusCode, 404);
  const resident = await as('resident1');
  assert.equal((await resident.post(`/work/applications/${id}/actions`, { action: 'accept' })).statusCode, 404);
  const clerk = await as('jongno.clerk');
  assert.equal((await clerk.post(`/work/applications/${id}/actions`, { action: 'accept' })).statusCode, 303);
  assert.equal((await clerk.post(`/work/applications/${id}/actions`, { action: 'approve' })).statusCode, 403);
  assert.deepEqual((await steps(id)).map((s) => s.action), ['submit', 'accept']);
});

test('an action the status does not allow is refused with 409 and the allowed actions', async () => {
  const id = await fileBuildingPermit();
  const approver = await as('jongno.approver');
  const res = await approver.post(`/work/applications/${id}/actions`, { action: 'approve' });
  assert.equal(res.statusCode, 409);
  assert.match(res.body, /accept/);
  assert.match(res.body, /forward/);
  const api = await t.app.inject({ method: 'POST', url: `/work/applications/${id}/actions`, headers: { cookie: browsers.get('jongno.approver')!, accept: 'application/json' }, payload: { action: 'approve' } });
  assert.ok([403, 409].includes(api.statusCode), 'a form post without its CSRF token never records a step');
  assert.equal((await steps(id)).length, 1);
});

test('a refusal and a supplement request need a reason', async () => {
  const id = await fileBuildingPermit();
  const clerk = await as('jongno.clerk');
  await clerk.post(`/work/applications/${id}/actions`, { action: 'accept' });
  const res = await clerk.post(`/work/applications/${id}/actions`, { action: 'request-supplement', note: '   ' });
  assert.equal(res.statusCode, 422);
  assert.match(res.body, /무엇을 보완해야 하는지|Say what needs to be supplemented/);
});

test('supplement, second department, approval: the whole building permit, with the deadline paused while waiting', async () => {
  const id = await fileBuildingPermit();
  const clerk = await as('jongno.clerk');
  assert.equal((await clerk.post(`/work/applications/${id}/actions`, { action: 'accept' })).statusCode, 303);
  assert.equal((await clerk.post(`/work/applications/${id}/actions`, { action: 'claim' })).statusCode, 303);
  assert.equal((await clerk.post(`/work/applications/${id}/actions`, { action: 'request-supplement', note: '배치도에 대지 경계선을 표시해 주세요.' })).statusCode, 303);
  let app = await t.database.db.selectFrom('applications').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  assert.equal(app.status, 'awaiting-supplement');
  assert.equal(app.due_date, null, 'the deadline is paused');
  const resident = await as('resident1');
  const page = await resident.get(`/applications/${id}`);
  assert.match(page.body, /배치도에 대지 경계선을 표시해 주세요/);
  const notified = await t.database.db.selectFrom('notifications').select('id').where('account_id', '=', app.applicant_account_id).where('template', '=', 'applications.notice.awaiting-supplement').executeTakeFirst();
  assert.ok(notified);
  // A resubmission is checked like a submission.
  const bad = await resident.post(`/applications/${id}/resubmit`, { siteAddress: '', use: 'detached-house', floorArea: '180', floors: '2', architectName: '김건축', architectLicence: '12345', contactPhone: '010-1234-5678', declaration: 'true' });
  assert.equal(bad.statusCode, 422);
  const good = await resident.post(`/applications/${id}/resubmit`, { siteAddress: '서울특별시 종로구 청운동 12-3 (경계 표시)', use: 'detached-house', floorArea: '180', floors: '2', architectName: '김건축', architectLicence: '12345', contactPhone: '010-1234-5678', declaration: 'true', note: '배치도를 고쳤습니다.' });
  assert.equal(good.statusCode, 303);
  app = await t.database.db.selectFrom('applications').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  assert.equal(app.status, 'in-review');
  assert.ok(app.due_date);
  assert.equal(app.answers.siteAddress, '서울특별시 종로구 청운동 12-3 (경계 표시)');
  // The Urban Management Division reviews it, then passes it back.
  const departments = await t.database.db.selectFrom('departments').innerJoin('agencies', 'agencies.id', 'departments.agency_id').select(['departments.id', 'departments.code']).where('agencies.code', '=', 'SMG-JONGNO').execute();
  const pln = departments.find((d) => d.code === 'PLN')!.id;
  const bld = departments.find((d) => d.code === 'BLD')!.id;
  assert.equal((await clerk.post(`/work/applications/${id}/actions`, { action: 'forward', toDepartmentId: String(pln) })).statusCode, 303);
  assert.equal((await clerk.get(`/work/applications/${id}`)).statusCode, 403, 'once forwarded, the first department no longer acts on it');
  const planner = await as('jongno.planner');
  const queue = await planner.get('/work');
  assert.ok(queue.body.includes(app.receipt_no!), "it is in the planner's queue");
  assert.equal((await planner.post(`/work/applications/${id}/actions`, { action: 'accept' })).statusCode, 303);
  assert.equal((await planner.post(`/work/applications/${id}/actions`, { action: 'forward', toDepartmentId: String(bld) })).statusCode, 303);
  const approver = await as('jongno.approver');
  assert.equal((await approver.post(`/work/applications/${id}/actions`, { action: 'accept' })).statusCode, 303);
  assert.equal((await approver.post(`/work/applications/${id}/actions`, { action: 'approve' })).statusCode, 303);
  app = await t.database.db.selectFrom('applications').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  assert.equal(app.status, 'approved');
  assert.ok(app.decided_at);
  const all = await steps(id);
  assert.deepEqual(all.map((s) => s.action), ['submit', 'accept', 'claim', 'request-supplement', 'resubmit', 'forward', 'accept', 'forward', 'accept', 'approve']);
  assert.deepEqual(all.map((s) => s.seq), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  assert.equal(all.at(-1)!.actor_name, '팀장 윤가은');
  // The timeline names each official and department, with server times in order.
  const timeline = await resident.get(`/applications/${id}`);
  assert.match(timeline.body, /주무관 박도현 · (건축과|Building Permits Division)/);
  assert.match(timeline.body, /주무관 한서진 · (도시관리과|Urban Management Division)/);
  for (let i = 1; i < all.length; i++) assert.ok(all[i]!.recorded_at >= all[i - 1]!.recorded_at);
  // A decided application can no longer be withdrawn.
  assert.equal((await resident.post(`/applications/${id}/withdraw`)).statusCode, 409);
  // The public page counts the decision.
  const open = await t.app.inject({ method: 'GET', url: '/api/v1/services/building-permit' });
  const figures = open.json().figures;
  assert.equal(figures.decided, 1);
  assert.equal(figures.withinDeadlineShare, 1);
});

test('the applicant withdraws before a decision, and nobody can act on it afterwards', async () => {
  const id = await fileBuildingPermit();
  const resident = await as('resident1');
  assert.equal((await resident.post(`/applications/${id}/withdraw`)).statusCode, 303);
  const clerk = await as('jongno.clerk');
  assert.equal((await clerk.post(`/work/applications/${id}/actions`, { action: 'accept' })).statusCode, 409);
  assert.deepEqual((await steps(id)).map((s) => s.action), ['submit', 'withdraw']);
});

test('no step can be changed or deleted, not even by direct SQL', async () => {
  const id = await fileBuildingPermit();
  await assert.rejects(sql`update application_steps set note = 'rewritten' where application_id = ${id}`.execute(t.database.db), /append-only/);
  await assert.rejects(sql`delete from application_steps where application_id = ${id}`.execute(t.database.db), /append-only/);
  await assert.rejects(sql`truncate application_steps`.execute(t.database.db), /append-only/);
  assert.equal((await steps(id)).length, 1);
});

test('a low-risk export declaration is cleared automatically, and the rule set that decided is on the timeline', async () => {
  // A business representative with an account: link the first business of resident1's register record, if any, else make one.
  const business = await t.database.db
    .selectFrom('businesses')
    .innerJoin('accounts', 'accounts.resident_id', 'businesses.representative_resident_id')
    .select(['businesses.id', 'accounts.username', 'businesses.opened_on'])
    .where('businesses.opened_on', '<', sql<string>`(current_date - interval '2 years')::date`)
    .executeTakeFirst();
  let username = business?.username;
  let businessId = business?.id;
  if (!business) {
    const account = await t.database.db.selectFrom('accounts').select(['id', 'resident_id', 'username']).where('username', '=', 'resident2').executeTakeFirstOrThrow();
    const row = await t.database.db
      .insertInto('businesses')
      .values({ registration_no: '999-88-77777', name_ko: '나라무역', name_en: 'Nara Trading', representative_resident_id: account.resident_id!, industry_code: 'G46', address_ko: '서울', address_en: 'Seoul', opened_on: '2019-03-01' })
      .returning('id')
      .executeTakeFirstOrThrow();
    username = account.username;
    businessId = row.id;
  }
  await t.database.db.insertInto('business_links').values({ account_id: (await t.database.db.selectFrom('accounts').select('id').where('username', '=', username!).executeTakeFirstOrThrow()).id, business_id: businessId! }).onConflict((oc) => oc.doNothing()).execute();
  const me = await as(username!);
  const declare = async (answers: Record<string, string>) => {
    const started = await me.post('/services/export-declaration/apply', { businessId: String(businessId) });
    assert.equal(started.statusCode, 303, started.body.slice(0, 200));
    const id = idFrom(started.headers.location as string);
    await me.post(`/applications/${id}/edit/goods`, { goodsDescription: 'Laptops', hsCode: '8471300000', quantity: '100', destination: 'VN', ...answers, go: 'next' });
    await me.post(`/applications/${id}/edit/contact`, { contactPhone: '010-2222-3333', declaration: 'true', go: 'next' });
    assert.equal((await me.post(`/applications/${id}/submit`)).statusCode, 303);
    return id;
  };
  const cleared = await declare({ valueUsd: '42000' });
  const clearedSteps = await steps(cleared);
  assert.deepEqual(clearedSteps.map((s) => [s.action, s.actor_kind, s.status_after]), [['submit', 'applicant', 'submitted'], ['decide', 'system', 'approved']]);
  assert.equal(clearedSteps[1]!.details.ruleSet, 'kcs-export-low-risk');
  const page = await me.get(`/applications/${cleared}`);
  assert.match(page.body, /kcs-export-low-risk/);
  const inspected = await declare({ valueUsd: '42000', strategicGoods: 'true' });
  assert.deepEqual((await steps(inspected)).map((s) => s.action), ['submit']);
  const customs = await as('customs.officer');
  const queue = await customs.get('/work');
  const receipt = (await t.database.db.selectFrom('applications').select('receipt_no').where('id', '=', inspected).executeTakeFirstOrThrow()).receipt_no!;
  assert.ok(queue.body.includes(receipt), 'the risky declaration waits for an inspector');
});

test('only businesses may file an export declaration', async () => {
  const me = await as('resident3');
  const res = await me.post('/services/export-declaration/apply');
  assert.equal(res.statusCode, 422);
});

test('an application past its deadline is reported to the head of department once, on its timeline', async () => {
  const { escalateOverdue } = await import('./escalate-overdue.ts');
  // An application filed years ago (steps can be inserted with any time, never changed).
  const filed = await t.database.db.selectFrom('applications').selectAll().where('id', '=', await fileBuildingPermit()).executeTakeFirstOrThrow();
  const { id } = await t.database.db
    .insertInto('applications')
    .values({ receipt_no: '20200102-9999999', service_id: filed.service_id, service_version: filed.service_version, agency_id: filed.agency_id, department_id: filed.department_id, applicant_account_id: filed.applicant_account_id, answers: JSON.stringify(filed.answers), status: 'submitted', submitted_at: new Date('2020-01-02T01:00:00Z'), due_date: '2020-01-16' })
    .returning('id')
    .executeTakeFirstOrThrow();
  await t.database.db.insertInto('application_steps').values({ application_id: id, seq: 1, action: 'submit', status_after: 'submitted', actor_kind: 'applicant', actor_account_id: filed.applicant_account_id, department_id: filed.department_id, recorded_at: '2020-01-02T01:00:00Z' }).execute();
  assert.ok((await escalateOverdue(t.database.db, t.config.timeZone)) >= 1);
  assert.equal(await escalateOverdue(t.database.db, t.config.timeZone), 0, 'never twice');
  assert.deepEqual((await steps(id)).map((s) => [s.action, s.actor_kind]), [['submit', 'applicant'], ['escalate', 'system']]);
  const head = await t.database.db.selectFrom('accounts').select('id').where('username', '=', 'jongno.approver').executeTakeFirstOrThrow();
  const notice = await t.database.db.selectFrom('notifications').select('link').where('account_id', '=', head.id).where('template', '=', 'applications.notice.escalated').executeTakeFirst();
  assert.equal(notice?.link, `/work/applications/${id}`);
  const clerk = await as('jongno.clerk');
  const queue = await clerk.get('/work?status=overdue');
  const receipt = (await t.database.db.selectFrom('applications').select('receipt_no').where('id', '=', id).executeTakeFirstOrThrow()).receipt_no!;
  assert.ok(queue.body.includes(receipt));
  assert.match(queue.body, /부서장 보고됨|Reported to the head/);
  // And it counts on the service's public page until it is decided.
  const before = (await t.app.inject({ method: 'GET', url: '/api/v1/services/building-permit' })).json().figures.overdue as number;
  assert.ok(before >= 1);
  const head2 = await as('jongno.approver');
  await head2.post(`/work/applications/${id}/actions`, { action: 'accept' });
  await head2.post(`/work/applications/${id}/actions`, { action: 'approve' });
  const after = (await t.app.inject({ method: 'GET', url: '/api/v1/services/building-permit' })).json().figures.overdue as number;
  assert.equal(after, before - 1);
});

test('feedback: only the applicant, only after a decision, once; improper requests reach the auditors trail', async () => {
  const id = await fileBuildingPermit();
  const me = await as('resident1');
  assert.equal((await me.post(`/applications/${id}/feedback`, { satisfaction: '4', improperRequest: 'no' })).statusCode, 409, 'not before a decision');
  const approver = await as('jongno.approver');
  await approver.post(`/work/applications/${id}/actions`, { action: 'accept' });
  await approver.post(`/work/applications/${id}/actions`, { action: 'approve' });
  const page = await me.get(`/applications/${id}`);
  assert.match(page.body, /부당한 것을 요구했나요|anything improper/);
  const incomplete = await me.post(`/applications/${id}/feedback`, { satisfaction: '4', comment: '친절했습니다' });
  assert.equal(incomplete.statusCode, 422);
  assert.match(incomplete.body, /부당한 요구가 있었는지 골라 주세요|Say whether anything improper/);
  assert.match(incomplete.body, /친절했습니다/, 'the comment is kept');
  assert.equal((await (await as('resident3')).post(`/applications/${id}/feedback`, { satisfaction: '1', improperRequest: 'yes' })).statusCode, 404, 'another resident cannot rate it');
  assert.equal((await me.post(`/applications/${id}/feedback`, { satisfaction: '2', improperRequest: 'yes', improperDetail: '급행료를 요구받았습니다' })).statusCode, 303);
  assert.equal((await me.post(`/applications/${id}/feedback`, { satisfaction: '5', improperRequest: 'no' })).statusCode, 409, 'once');
  const stored = await t.database.db.selectFrom('application_feedback').selectAll().where('application_id', '=', id).executeTakeFirstOrThrow();
  assert.equal(stored.satisfaction, 2);
  assert.equal(stored.improper_request, true);
  const trail = await t.database.db.selectFrom('audit_events').select('details').where('action', '=', 'applications.improper-request.reported').where('subject_id', '=', String(id)).executeTakeFirst();
  assert.ok(trail);
  assert.equal(JSON.stringify(trail.details).includes('급행료'), false, 'the trail says where, not what the person wrote');
});

test('the integrity index is published only from ten responses, by service and by department', async () => {
  const { processingRecord } = await import('./service-figures.ts');
  const service = await t.database.db.selectFrom('services').innerJoin('service_versions', 'service_versions.service_id', 'services.id').select(['services.id', 'services.agency_id', 'service_versions.department_id']).where('services.code', '=', 'information-disclosure').executeTakeFirstOrThrow();
  const applicant = await t.database.db.selectFrom('accounts').select('id').where('username', '=', 'resident3').executeTakeFirstOrThrow();
  // Decided applications with feedback, as months of work would leave them.
  const decide = async (n: number) => {
    for (let i = 0; i < n; i++) {
      const { id } = await t.database.db
        .insertInto('applications')
        .values({ receipt_no: `20261101-8${String(Math.random()).slice(2, 8)}`, service_id: service.id, service_version: 1, agency_id: service.agency_id, department_id: service.department_id, applicant_account_id: applicant.id, status: 'approved', submitted_at: sql<Date>`now() - interval '3 days'`, decided_at: sql<Date>`now()`, due_date: '2099-01-01' })
        .returning('id')
        .executeTakeFirstOrThrow();
      await t.database.db.insertInto('application_feedback').values({ application_id: id, satisfaction: 5, improper_request: i === 0 }).execute();
    }
  };
  await decide(9);
  const nine = await processingRecord(t.database.db, { serviceId: service.id }, t.config.timeZone);
  assert.equal(nine.integrity.responses, 9);
  assert.equal(nine.integrity.index, null);
  await decide(1);
  const ten = await processingRecord(t.database.db, { serviceId: service.id }, t.config.timeZone);
  assert.equal(ten.integrity.responses, 10);
  // 2 of 10 said something improper was asked (the first of each batch), all very satisfied, all on time, no supplements or reversals.
  assert.equal(ten.integrity.index, Math.round(10 * (0.4 * 0.8 + 0.2 + 0.2 + 0.1 + 0.1) * 10) / 10);
  const page = await t.app.inject({ method: 'GET', url: '/services/information-disclosure', headers: { 'accept-language': 'en' } });
  assert.match(page.body, new RegExp(`${ten.integrity.index!.toFixed(1)} out of 10 \\(10 responses\\)`));
  const byDepartment = await t.app.inject({ method: 'GET', url: '/integrity', headers: { 'accept-language': 'en' } });
  assert.match(byDepartment.body, /Seoul Metropolitan Government Civil Affairs Office/);
  assert.ok(byDepartment.body.includes(ten.integrity.index!.toFixed(1)));
});

/** A JSON client on a signed-in session: reads the CSRF token from /api/v1/session. */
async function api(username: string) {
  const cookie = browsers.get(username) ?? (await signIn(t.app, username));
  browsers.set(username, cookie);
  const session = await t.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie } });
  const token = session.json().csrfToken as string;
  return (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) =>
    t.app.inject({ method, url, headers: { cookie, 'x-csrf-token': token, ...(payload === undefined ? {} : { 'content-type': 'application/json' }) }, ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }) });
}

test('the JSON API: a resident drafts, is told what is missing, submits, and reads every step', async () => {
  const call = await api('resident1');
  const created = await call('POST', '/api/v1/applications', { service: 'passport-reissue' });
  assert.ok([200, 201].includes(created.statusCode), created.body);
  const { id } = created.json() as { id: number };
  const partial = await call('PUT', `/api/v1/applications/${id}/answers`, { reason: 'lost', pages: '58' });
  assert.equal(partial.statusCode, 200);
  const missing = (partial.json().fields as Array<{ field: string }>).map((f) => f.field).sort();
  assert.deepEqual(missing, ['contactPhone', 'lostWhere'], 'the loss must be explained, and a phone given');
  const early = await call('POST', `/api/v1/applications/${id}/submit`);
  assert.equal(early.statusCode, 422);
  assert.ok((early.json().error.fields as Array<{ field: string }>).some((f) => f.field === 'lostWhere'));
  await call('PUT', `/api/v1/applications/${id}/answers`, { reason: 'lost', pages: '58', lostWhere: '지하철에서 잃어버렸습니다', contactPhone: '010-5555-6666' });
  const submitted = await call('POST', `/api/v1/applications/${id}/submit`);
  assert.equal(submitted.statusCode, 200, submitted.body);
  assert.match(submitted.json().receiptNo, /^\d{8}-\d{7}$/);
  const read = await call('GET', `/api/v1/applications/${id}`);
  assert.equal(read.json().status, 'submitted');
  assert.deepEqual(read.json().steps.map((s: { action: string }) => s.action), ['submit']);
  assert.ok((await call('GET', '/api/v1/applications')).json().applications.some((a: { id: number }) => a.id === id));
  const notSigned = await t.app.inject({ method: 'GET', url: '/api/v1/applications' });
  assert.equal(notSigned.statusCode, 401);
  const other = await api('resident3');
  assert.equal((await other('GET', `/api/v1/applications/${id}`)).statusCode, 404);
});

test('the JSON API: a refused action names the allowed ones; an official who opens an application is on its record', async () => {
  const id = await fileBuildingPermit();
  const approver = await api('jongno.approver');
  const refused = await approver('POST', `/api/v1/applications/${id}/actions`, { action: 'approve' });
  assert.equal(refused.statusCode, 409);
  assert.deepEqual(refused.json().error.allowed.sort(), ['accept', 'assign', 'claim', 'forward']);
  const opened = await approver('GET', `/api/v1/applications/${id}`);
  assert.equal(opened.statusCode, 200);
  assert.equal((await (await api('gangnam.clerk'))('GET', `/api/v1/applications/${id}`)).statusCode, 404);
  const queue = await approver('GET', '/api/v1/work');
  assert.ok(queue.json().applications.some((a: { id: number }) => a.id === id));
  assert.equal((await (await api('resident1'))('GET', '/api/v1/work')).statusCode, 403);
  const resident = await as('resident1');
  const page = await resident.get(`/applications/${id}`);
  assert.match(page.body, /팀장 윤가은/, 'the applicant sees who opened it');
  const accepted = await approver('POST', `/api/v1/applications/${id}/actions`, { action: 'accept' });
  assert.deepEqual(accepted.json(), { status: 'in-review' });
});

/** A multipart form post, as a browser sends a file input. */
async function upload(username: string, url: string, fields: Record<string, string>, file: { name: string; type: string; bytes: Buffer }) {
  const cookie = browsers.get(username)!;
  const page = await t.app.inject({ method: 'GET', url: '/services', headers: { cookie } });
  const boundary = '----nara-test-boundary';
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries({ ...fields, _csrf: csrfFrom(page.body) })) parts.push(Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${file.name}"\r\ncontent-type: ${file.type}\r\n\r\n`), file.bytes, Buffer.from(`\r\n--${boundary}--\r\n`));
  return t.app.inject({ method: 'POST', url, headers: { cookie, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload: Buffer.concat(parts) });
}

const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(2000, 0x20), Buffer.from('\n%%EOF\n')]);

test('attachments: checked by their content, limited in size, kept with the application; only the applicant and the holding department can open them', async () => {
  const me = await as('resident1');
  const id = idFrom((await me.post('/services/building-permit/apply')).headers.location as string);
  await me.post(`/applications/${id}/edit/site`, { siteAddress: 'a', use: 'office', floorArea: '100', floors: '3', go: 'next' });
  await me.post(`/applications/${id}/edit/architect`, { architectName: '김건축', architectLicence: '12345', go: 'next' });
  await me.post(`/applications/${id}/edit/contact`, { contactPhone: '010-1234-5678', declaration: 'true', go: 'next' });
  const disguised = await upload('resident1', `/applications/${id}/attachments`, { document: '0' }, { name: 'plan.pdf', type: 'application/pdf', bytes: Buffer.from('MZ this is really a program') });
  assert.equal(disguised.statusCode, 422);
  assert.match(disguised.body, /PDF, PNG, JPEG 파일만|Only PDF, PNG and JPEG/);
  const huge = await upload('resident1', `/applications/${id}/attachments`, { document: '0' }, { name: 'big.pdf', type: 'application/pdf', bytes: Buffer.concat([Buffer.from('%PDF-'), Buffer.alloc(10 * 1024 * 1024 + 10)]) });
  assert.equal(huge.statusCode, 422);
  assert.match(huge.body, /10MB까지|up to 10 MB/);
  const ok = await upload('resident1', `/applications/${id}/attachments`, { document: '1' }, { name: '../../배치도.pdf', type: 'application/octet-stream', bytes: pdf });
  assert.equal(ok.statusCode, 303);
  const [stored] = await t.database.db.selectFrom('application_attachments').select(['id', 'filename', 'content_type', 'scan_status']).where('application_id', '=', id).execute();
  assert.equal(stored!.filename, '배치도.pdf');
  assert.equal(stored!.content_type, 'application/pdf');
  await t.jobs.runDue();
  const review = await me.get(`/applications/${id}/review`);
  assert.match(review.body, /배치도\.pdf/);
  assert.match(review.body, /바이러스 검사 안 함|not virus-checked/, 'without a scanner configured, the file says it was not scanned');
  const mine = await me.get(`/applications/${id}/attachments/${stored!.id}`);
  assert.equal(mine.statusCode, 200);
  assert.equal(mine.headers['content-type'], 'application/pdf');
  assert.match(String(mine.headers['content-disposition']), /^attachment;/);
  assert.equal(mine.rawPayload.equals(pdf), true);
  assert.equal((await (await as('resident3')).get(`/applications/${id}/attachments/${stored!.id}`)).statusCode, 404);
  assert.equal((await upload('resident1', `/applications/${id}/attachments`, { document: '0' }, { name: 'x.pdf', type: 'application/pdf', bytes: pdf })).statusCode, 303);
  await me.post(`/applications/${id}/submit`);
  // Submitted: documents can no longer be added or removed.
  assert.equal((await upload('resident1', `/applications/${id}/attachments`, { document: '0' }, { name: 'late.pdf', type: 'application/pdf', bytes: pdf })).statusCode, 409);
  assert.equal((await me.post(`/applications/${id}/attachments/${stored!.id}/remove`)).statusCode, 409);
  const clerk = await as('jongno.clerk');
  const theirs = await clerk.get(`/work/applications/${id}/attachments/${stored!.id}`);
  assert.equal(theirs.statusCode, 200);
  assert.equal((await (await as('gangnam.clerk')).get(`/work/applications/${id}/attachments/${stored!.id}`)).statusCode, 404);
});

test('the virus-scan hook: a file the scanner flags is marked infected and never sent', async () => {
  const { createAttachmentScanner } = await import('./attachments.ts');
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const path = await import('node:path');
  const dir = mkdtempSync(path.join(tmpdir(), 'nara-scanner-'));
  const scanner = path.join(dir, 'scan.sh');
  // A stand-in for clamdscan: exit 1 when the EICAR test signature is in the file.
  writeFileSync(scanner, '#!/bin/sh\nif grep -q EICAR-STANDARD-ANTIVIRUS-TEST-FILE "$1"; then exit 1; fi\nexit 0\n');
  const me = await as('resident1');
  const id = idFrom((await me.post('/services/outdoor-advertising-permit/apply')).headers.location as string);
  await upload('resident1', `/applications/${id}/attachments`, { document: '0' }, { name: 'clean.pdf', type: 'application/pdf', bytes: pdf });
  await upload('resident1', `/applications/${id}/attachments`, { document: '1' }, { name: 'bad.pdf', type: 'application/pdf', bytes: Buffer.concat([pdf, Buffer.from('X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*')]) });
  const rows = await t.database.db.selectFrom('application_attachments').select(['id', 'filename']).where('application_id', '=', id).orderBy('id').execute();
  const scan = createAttachmentScanner({ db: t.database.db, command: `sh ${scanner}` });
  for (const r of rows) await scan({ attachmentId: r.id });
  const after = await t.database.db.selectFrom('application_attachments').select(['filename', 'scan_status']).where('application_id', '=', id).orderBy('id').execute();
  assert.deepEqual(after.map((r) => [r.filename, r.scan_status]), [['clean.pdf', 'clean'], ['bad.pdf', 'infected']]);
  assert.equal((await me.get(`/applications/${id}/attachments/${rows[1]!.id}`)).statusCode, 403);
  assert.equal((await me.get(`/applications/${id}/attachments/${rows[0]!.id}`)).statusCode, 200);
});

test('a recorded step reaches open timelines through the database, not through the request that made it', async () => {
  const id = await fileBuildingPermit();
  const events: number[] = [];
  const { createStepEvents } = await import('./step-events.ts');
  const relay = createStepEvents();
  await relay.connect((channel, listener) => t.database.listen(channel, listener));
  const stop = relay.subscribe(id, () => events.push(id));
  const clerk = await as('jongno.clerk');
  // The submission's own announcement may still be on its way (PostgreSQL delivers them on
  // another connection): let it land, then count only what the clerk's step brings.
  await new Promise((r) => setTimeout(r, 200));
  events.length = 0;
  await clerk.post(`/work/applications/${id}/actions`, { action: 'accept' });
  for (let i = 0; i < 50 && events.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(events, [id]);
  stop();
  relay.disconnect();
});

test("the head of department sees the department's workload and assigns several applications at once; a clerk cannot", async () => {
  const ids = [await fileBuildingPermit(), await fileBuildingPermit()];
  const head = await as('jongno.approver');
  const queue = await head.get('/work');
  assert.match(queue.body, /부서 업무 현황|The department's workload/);
  const clerkAccount = await t.database.db.selectFrom('accounts').select('id').where('username', '=', 'jongno.clerk').executeTakeFirstOrThrow();
  const res = await head.post('/work/assign', { ids: ids.map(String), assigneeId: String(clerkAccount.id) });
  assert.equal(res.statusCode, 303);
  assert.match(res.headers.location as string, /assigned=2&refused=0/);
  for (const id of ids) {
    const app = await t.database.db.selectFrom('applications').select('assignee_account_id').where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(app.assignee_account_id, clerkAccount.id);
    assert.deepEqual((await steps(id)).map((s) => s.action), ['submit', 'assign']);
  }
  const clerk = await as('jongno.clerk');
  assert.equal((await clerk.post('/work/assign', { ids: ids.map(String), assigneeId: String(clerkAccount.id) })).statusCode, 403);
  // An application the head's department does not hold is refused, the others go through.
  const planner = await t.database.db.selectFrom('accounts').select('id').where('username', '=', 'jongno.planner').executeTakeFirstOrThrow();
  const mixed = await head.post('/work/assign', { ids: [String(ids[0]), '999999'], assigneeId: String(planner.id) });
  assert.match(mixed.headers.location as string, /assigned=0&refused=2/, 'the planner is not in the department, and 999999 does not exist');
});

test("the applicant's page shows a new step on the very next load, though pages are kept between changes", async () => {
  const id = await fileBuildingPermit();
  const me = await as('resident1');
  const first = await me.get(`/applications/${id}`);
  const again = await me.get(`/applications/${id}`);
  assert.equal(first.statusCode, 200);
  // The kept page carries this session's own CSRF token.
  assert.equal(csrfFrom(again.body), csrfFrom(first.body));
  assert.doesNotMatch(again.body, /nara-csrf-to-fill-in/);
  const clerk = await as('jongno.clerk');
  await clerk.post(`/work/applications/${id}/actions`, { action: 'accept' });
  const after = await me.get(`/applications/${id}`);
  assert.match(after.body, /접수 확인, 검토 시작|Received, review started/);
  assert.match(after.body, /주무관 박도현/, 'and the official who opened it');
  // Another resident still gets nothing, kept page or not.
  assert.equal((await (await as('resident3')).get(`/applications/${id}`)).statusCode, 404);
});
