import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { testApp, signIn, csrfFrom, cookiesFrom, type TestApp } from '../../../test/support/test-app.ts';

// Agency administrators edit their own services in versions; a published version never
// changes, and applications keep the version they were filed under.

let t: TestApp;
const cookies = new Map<string, string>();

before(async () => {
  t = await testApp({ config: { rateLimitPerMinute: 100_000 } });
});
after(async () => t.close());

async function as(username: string) {
  let cookie = cookies.get(username) ?? (await signIn(t.app, username));
  const keep = (c: string) => {
    cookie = c;
    cookies.set(username, c);
  };
  keep(cookie);
  return {
    async get(url: string) {
      const res = await t.app.inject({ method: 'GET', url, headers: { cookie } });
      keep(cookiesFrom(res, cookie));
      return res;
    },
    async post(url: string, payload: Record<string, string | string[]> = {}) {
      const page = await t.app.inject({ method: 'GET', url: '/services', headers: { cookie } });
      keep(cookiesFrom(page, cookie));
      const body = new URLSearchParams();
      for (const [k, v] of Object.entries({ ...payload, _csrf: csrfFrom(page.body) })) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
      const res = await t.app.inject({ method: 'POST', url, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: body.toString() });
      keep(cookiesFrom(res, cookie));
      return res;
    },
  };
}

/** The editor's fields for a service, as the edit page fills them in. */
function fieldsOf(html: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  const decode = (s: string) => s.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
  for (const m of html.matchAll(/<input id="(\w+)" name="\w+" class="krds-input" value="([^"]*)"/g)) out[m[1]!] = decode(m[2]!);
  for (const m of html.matchAll(/<textarea id="(\w+)" name="\w+"[^>]*>([\s\S]*?)<\/textarea>/g)) out[m[1]!] = decode(m[2]!);
  const selected = /<select id="departmentId"[\s\S]*?<option value="(\d+)" selected/.exec(html);
  if (selected) out.departmentId = selected[1]!;
  out.applicantKinds = [...html.matchAll(/name="applicantKinds" value="(\w+)" id="kind-\w+" checked/g)].map((m) => m[1]!);
  return out;
}

test('an administrator edits a service as a new version, previews it and publishes it; filed applications keep their version', async () => {
  const admin = await as('mois.admin');
  const list = await admin.get('/admin/services');
  assert.equal(list.statusCode, 200);
  assert.match(list.body, /open-data-request/);
  // A resident files under version 1 first.
  const resident = await as('resident1');
  const started = await resident.post('/services/open-data-request/apply');
  const applicationId = Number(/\/applications\/(\d+)/.exec(started.headers.location as string)![1]);

  const page = await admin.get('/admin/services/open-data-request/edit');
  assert.equal(page.statusCode, 200);
  const fields = fieldsOf(page.body);
  assert.equal(fields.nameEn, 'Open data request');
  const saved = await admin.post('/admin/services/open-data-request/edit', { ...fields, nameEn: 'Request for public data', periodDays: '7' });
  assert.equal(saved.statusCode, 303, saved.body.slice(0, 300));
  // Still version 1 in force until published.
  assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/services/open-data-request' })).json().periodWorkingDays, 10);
  const preview = await admin.get('/admin/services/open-data-request/preview');
  assert.equal(preview.statusCode, 200);
  assert.match(preview.body, /Request for public data|공공데이터 제공 신청/);
  assert.equal((await admin.post('/admin/services/open-data-request/publish')).statusCode, 303);
  const now = (await t.app.inject({ method: 'GET', url: '/api/v1/services/open-data-request' })).json();
  assert.equal(now.version, 2);
  assert.equal(now.periodWorkingDays, 7);
  assert.equal(now.name.en, 'Request for public data');
  const filed = await t.database.db.selectFrom('applications').select('service_version').where('id', '=', applicationId).executeTakeFirstOrThrow();
  assert.equal(filed.service_version, 1, 'the draft opened before keeps version 1');
  // Nothing to publish twice.
  assert.equal((await admin.post('/admin/services/open-data-request/publish')).statusCode, 409);
});

test('a broken form definition is refused with the problem at the field, and everything typed comes back', async () => {
  const admin = await as('mois.admin');
  const fields = fieldsOf((await admin.get('/admin/services/open-data-request/edit')).body);
  const res = await admin.post('/admin/services/open-data-request/edit', { ...fields, summaryEn: 'Kept as typed', form: '{ "schema": { "type": "object", "properties": {} }, "sections": [{ "id": "a", "title": { "ko": "가", "en": "A" }, "fields": [{ "name": "ghost", "label": { "ko": "유령", "en": "Ghost" } }] }] }' });
  assert.equal(res.statusCode, 422);
  assert.match(res.body, /ghost/);
  assert.match(res.body, /Kept as typed/);
  const notJson = await admin.post('/admin/services/open-data-request/edit', { ...fields, form: '{ nope' });
  assert.equal(notJson.statusCode, 422);
  assert.match(notJson.body, /JSON/);
});

test('an administrator creates a new service; its code must be new and well formed', async () => {
  const admin = await as('mois.admin');
  const blank = fieldsOf((await admin.get('/admin/services/new')).body);
  const bad = await admin.post('/admin/services/new', { ...blank, code: 'Bad Code', nameKo: '민원', nameEn: 'x', summaryKo: 'x', summaryEn: 'x', legalBasisKo: 'x', legalBasisEn: 'x' });
  assert.equal(bad.statusCode, 422);
  const taken = await admin.post('/admin/services/new', { ...blank, code: 'open-data-request', nameKo: '민원', nameEn: 'x', summaryKo: 'x', summaryEn: 'x', legalBasisKo: 'x', legalBasisEn: 'x' });
  assert.equal(taken.statusCode, 422);
  assert.match(taken.body, /already in use|이미 쓰고 있는/);
  const made = await admin.post('/admin/services/new', { ...blank, code: 'data-correction-request', nameKo: '공공데이터 정정 요청', nameEn: 'Public data correction request', summaryKo: '잘못된 공공데이터를 고쳐 달라고 요청합니다.', summaryEn: 'Ask for wrong public data to be corrected.', legalBasisKo: '공공데이터법 제36조', legalBasisEn: 'Public Data Act, Article 36' });
  assert.equal(made.statusCode, 303, made.body.slice(0, 400));
  assert.equal((await t.app.inject({ method: 'GET', url: '/services/data-correction-request' })).statusCode, 404, 'not public until published');
  await admin.post('/admin/services/data-correction-request/publish');
  assert.equal((await t.app.inject({ method: 'GET', url: '/services/data-correction-request' })).statusCode, 200);
});

test('only the agency administrator of the service edits it', async () => {
  const admin = await as('mois.admin');
  assert.equal((await admin.get('/admin/services/building-permit/edit')).statusCode, 403, "another agency's service");
  assert.equal((await admin.post('/admin/services/building-permit/publish')).statusCode, 403);
  for (const username of ['jongno.clerk', 'jongno.approver', 'smg.auditor', 'resident1']) {
    const someone = await as(username);
    assert.equal((await someone.get('/admin/services')).statusCode, 403, username);
    assert.equal((await someone.post('/admin/services/open-data-request/edit', { nameKo: 'x' })).statusCode, 403, username);
    assert.equal((await someone.post('/admin/services/new', { code: 'sneaky-service' })).statusCode, 403, username);
  }
  assert.equal((await t.database.db.selectFrom('services').select('id').where('code', '=', 'sneaky-service').executeTakeFirst()), undefined);
});

test('a published version cannot be changed or deleted, even by direct SQL', async () => {
  await assert.rejects(sql`update service_versions set name_en = 'changed' where published_at is not null`.execute(t.database.db), /cannot be changed/);
  await assert.rejects(sql`delete from service_versions where published_at is not null`.execute(t.database.db), /cannot be deleted/);
});
