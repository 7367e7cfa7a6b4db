import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { loadConfiguration, runCucumber } from '@cucumber/cucumber/api';
import { testApp, type TestApp } from '../support/test-app.ts';
import { departmentRefs, loadActor } from '../../src/modules/identity/index.ts';
import { insertService, insertServiceVersion } from '../../src/modules/catalogue/repository.ts';
import { addAlias, createFile } from '../../src/modules/applications/govstack.ts';
import { takeAction } from '../../src/modules/applications/take-action.ts';
import type { ScenarioOutcome } from './govstack/steps.ts';

// The GovStack Registration building block's own test scenarios, run with cucumber against
// Nara over HTTP. The suite names records by the identifiers of its test data; they are
// seeded here as aliases of Nara records made the way Nara makes them.

const features = path.resolve(import.meta.dirname, '../../../shared/conformance/govstack/registration/features');
const missing = existsSync(features) ? false : `The GovStack scenarios are not at ${features}; this test runs where ../shared/conformance is present`;
const CLIENT = 'eGovStack/GOV/90000009/eregistrations-dev';
/** The least number of the suite's 49 scenarios that must pass (the target). */
const MINIMUM = 45;

let t: TestApp;
let base: string;

async function seed() {
  const db = t.database.db;
  const refs = await departmentRefs(db);
  // The suite's example services, by the names its scenarios look for.
  const dgp = refs.get('MOIS/DGP')!;
  const notes = {
    schema: { type: 'object' as const, properties: { notes: { type: 'string' as const, maxLength: 500 } }, required: [] },
    sections: [{ id: 'details', title: { ko: '신청 내용', en: 'Details' }, fields: [{ name: 'notes', label: { ko: '메모', en: 'Notes' }, widget: 'textarea' as const }] }],
  };
  for (const [code, en, ko] of [
    ['good-health', 'Good Health and Well-Being', '건강과 웰빙'],
    ['industry-infrastructure', 'Industry and Infrastructure', '산업과 사회기반시설'],
    ['zero-hunger', 'Zero Hunger', '기아 종식'],
    ['mcts', 'MCTS', '모자 건강 추적'],
  ] as const) {
    const id = await insertService(db, code, dgp.agencyId);
    await insertServiceVersion(db, id, 1, {
      departmentId: dgp.departmentId, name: { ko, en }, summary: { ko: `${ko} 등록`, en: `${en} registration` }, applicantKinds: ['resident'], legalBasis: { ko: '시험', en: 'Test' },
      documents: [], feeMinor: 0, periodDays: 5, steps: [{ ko: '접수', en: 'Receipt' }], form: notes, createdBy: null,
    }, true);
  }
  await addAlias(db, 'service', 'P2c9280957e579ad7017e58a3399f0068', 'service:building-permit');
  await addAlias(db, 'service', 'f7d33db0-2809-484e-a780-76b7ccd4ecbf', 'service:zero-hunger');
  await addAlias(db, 'service', '0b4e529c-fe1a-11ed-be56-0242ac120002', 'service:good-health');
  await addAlias(db, 'service', '99be529c-fe1a-11ed-be56-0242ac120555', 'service:industry-infrastructure');
  await addAlias(db, 'eform', 'd98a205a-679b-485b-823d-7a32a391e744', 'eform:building-permit:1');
  const file = (serviceId: string, applicantId: string, data: Record<string, unknown> = {}) => createFile(db, { serviceId, body: { applicantId, formData: { data } }, client: CLIENT, timeZone: t.config.timeZone });
  // Files and their applicants.
  const known = await file('0b4e529c-fe1a-11ed-be56-0242ac120002', '42962de0-bdb2-11ed-9397-0242ac120004');
  await addAlias(db, 'application', '81c4445c-bff6-11ed-afa1-0242ac120002', `application:${known.id}`);
  await addAlias(db, 'task', '81c4445c-bff6-11ed-afa1-0242ac120002', `task:${known.id}:${known.department_id}`);
  await file('0b4e529c-fe1a-11ed-be56-0242ac120002', '11962de0-11b2-11cc-9390-0242ac121114');
  await file('99be529c-fe1a-11ed-be56-0242ac120555', '99b62de0-11b2-11cc-9390-0242ac121555');
  const draft = await file('P2c9280957e579ad7017e58a3399f0068', '622fcd1a-8070-4efc-9d26-29461f83a15b', { siteAddress: '서울특별시 종로구 청운동 1' });
  assert.equal(draft.status, 'draft');
  await addAlias(db, 'application', 'b8508d35-c2f3-442b-88a1-267ca25e85c0', `application:${draft.id}`);
  // A task assigned to an operator: a complete building permit, assigned by the head of department.
  const permit = await file('P2c9280957e579ad7017e58a3399f0068', '42962de0-bdb2-11ed-9397-0242ac120004', {
    siteAddress: '서울특별시 종로구 청운동 12-3', use: 'detached-house', floorArea: 120, floors: 2, architectName: '김건축', architectLicence: '12345', contactPhone: '010-1234-5678', declaration: true,
  });
  assert.equal(permit.status, 'submitted');
  const head = (await db.selectFrom('accounts').select('id').where('username', '=', 'jongno.approver').executeTakeFirstOrThrow()).id;
  assert.ok(await loadActor(db, head));
  await takeAction(db, { applicationId: permit.id, accountId: head, action: 'assign', assigneeId: head, timeZone: t.config.timeZone });
  await addAlias(db, 'task', 'd1e33d56-c5c7-4272-aeb6-bc2732cce1f2', `task:${permit.id}:${permit.department_id}`);
  await addAlias(db, 'main-task', '42962de0-bdb2-11ed-9397-0242ac120004', `application:${permit.id}`);
  await addAlias(db, 'operator', '42962de0-bdb2-11ed-9397-0242ac120022', `account:${head}`);
}

before(async () => {
  if (missing) return;
  t = await testApp({ config: { rateLimitPerMinute: 100_000, govstackClients: CLIENT } });
  base = await t.app.listen({ host: '127.0.0.1', port: 0 });
  await seed();
});
after(async () => t?.close());

test('the GovStack Registration building block scenarios pass against Nara', { skip: missing }, async () => {
  // The step definitions (loaded by cucumber itself) record each scenario's outcome here.
  const outcomes: ScenarioOutcome[] = [];
  (globalThis as { __govstackOutcomes?: ScenarioOutcome[] }).__govstackOutcomes = outcomes;
  const { runConfiguration } = await loadConfiguration({
    provided: {
      paths: [path.join(features, '*.feature')],
      import: [path.resolve(import.meta.dirname, 'govstack/steps.ts')],
      format: [],
      worldParameters: { base, client: CLIENT },
    },
  });
  const quiet = new Writable({ write: (_chunk, _enc, done) => done() });
  await runCucumber(runConfiguration, { stdout: quiet, stderr: quiet });
  const passed = outcomes.filter((o) => o.status === 'PASSED');
  const failed = outcomes.filter((o) => o.status !== 'PASSED');
  const report = [`GovStack Registration: ${passed.length} of ${outcomes.length} scenarios pass`, ...failed.map((o) => `  ${o.status}: ${o.uri} — ${o.name}: ${o.message ?? ''}`)].join('\n');
  console.log(report);
  assert.equal(outcomes.length, 49, 'the suite has 49 scenarios');
  assert.ok(passed.length >= MINIMUM, report);
});
