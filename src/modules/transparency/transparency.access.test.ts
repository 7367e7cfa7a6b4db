import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { testApp, signIn, csrfFrom, cookiesFrom, type TestApp } from '../../../test/support/test-app.ts';

// Who may ask for a tree head now, and who may read the salts and records behind an
// application's log entries (the applicant alone).

let t: TestApp;
before(async () => {
  t = await testApp({ demoApplications: true, config: { rateLimitPerMinute: 100_000 } });
});
after(async () => t.close());

const heads = async () => (await t.database.db.selectFrom('transparency_heads').select('id').execute()).length;

async function postSign(cookie: string) {
  const page = await t.app.inject({ method: 'GET', url: '/transparency', headers: { cookie } });
  const c = cookiesFrom(page, cookie);
  return { page, res: await t.app.inject({ method: 'POST', url: '/transparency/sign', headers: { cookie: c }, payload: { _csrf: csrfFrom(page.body) } }) };
}

test('a platform operator can sign a tree head now; the head is added and the request is audited', async () => {
  const cookie = await signIn(t.app, 'operator');
  const before = await heads();
  const { page, res } = await postSign(cookie);
  assert.match(page.body, /action="\/transparency\/sign"/);
  assert.equal(res.statusCode, 303);
  assert.equal(res.headers.location, '/transparency?done=signed');
  assert.equal(await heads(), before + 1);
  const audit = await t.database.db.selectFrom('audit_events').select('action').where('action', '=', 'transparency.head.requested').execute();
  assert.equal(audit.length, 1);
});

test('a resident, an agency official or a visitor cannot sign a tree head', async () => {
  const before = await heads();
  for (const username of ['resident1', 'jongno.approver', 'mois.admin']) {
    const { res } = await postSign(await signIn(t.app, username));
    assert.equal(res.statusCode, 403, username);
  }
  // A visitor's form (the sign-in page's token) is sent to sign in first.
  const page = await t.app.inject({ method: 'GET', url: '/sign-in' });
  const anonymous = await t.app.inject({ method: 'POST', url: '/transparency/sign', headers: { cookie: cookiesFrom(page) }, payload: { _csrf: csrfFrom(page.body) } });
  assert.equal(anonymous.statusCode, 303);
  assert.match(String(anonymous.headers.location), /^\/sign-in/);
  assert.equal(await heads(), before);
});

async function applicationOf(username: string): Promise<number> {
  const row = await t.database.db.selectFrom('applications').innerJoin('accounts', 'accounts.id', 'applications.applicant_account_id').select('applications.id').where('accounts.username', '=', username).where('applications.status', '!=', 'draft').orderBy('applications.id').executeTakeFirstOrThrow();
  return row.id;
}

test("the applicant reads their steps' log entries, whose salt and record hash to each leaf's content hash", async () => {
  const id = await applicationOf('resident1');
  const cookie = await signIn(t.app, 'resident1');
  const res = await t.app.inject({ method: 'GET', url: `/applications/${id}/log`, headers: { cookie, accept: 'application/json' } });
  assert.equal(res.statusCode, 200);
  const { steps } = res.json() as { steps: Array<{ seq: number; leaf_input: string; salt: string; record: string }> };
  const count = (await t.database.db.selectFrom('application_steps').select('id').where('application_id', '=', id).execute()).length;
  assert.equal(steps.length, count);
  for (const s of steps) {
    const leaf = JSON.parse(Buffer.from(s.leaf_input, 'base64').toString('utf8'));
    const content = createHash('sha256').update(Buffer.from(s.salt, 'hex')).update(s.record, 'utf8').digest('hex');
    assert.equal(content, leaf.content_hash);
    assert.equal(JSON.parse(s.record).seq, s.seq);
  }
  // The timeline offers the check, with its script.
  const page = await t.app.inject({ method: 'GET', url: `/applications/${id}`, headers: { cookie } });
  assert.match(page.body, /class="[^"]*nara-log-check[^"]*" data-seq="1"/);
  assert.match(page.body, /src="\/assets\/transparency\/log-check.js"/);
  const script = await t.app.inject({ method: 'GET', url: '/assets/transparency/log-check.js' });
  assert.equal(script.statusCode, 200);
});

test("another resident, an official of the department and a visitor cannot read an applicant's log records", async () => {
  const id = await applicationOf('resident1');
  for (const username of ['resident2', 'jongno.clerk']) {
    const res = await t.app.inject({ method: 'GET', url: `/applications/${id}/log`, headers: { cookie: await signIn(t.app, username), accept: 'application/json' } });
    assert.equal(res.statusCode, 404, username);
    assert.doesNotMatch(res.body, /salt|record/);
  }
  const anonymous = await t.app.inject({ method: 'GET', url: `/applications/${id}/log`, headers: { accept: 'application/json' } });
  assert.equal(anonymous.statusCode, 401);
});
