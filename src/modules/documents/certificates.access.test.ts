import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { compactVerify, createLocalJWKSet, decodeProtectedHeader } from 'jose';
import { testApp, signIn, postForm, eventually, type TestApp } from '../../../test/support/test-app.ts';
import { bitAt, decodeStatusList } from './status-list.ts';

// Certificates: who may request, download, share, revoke; what anyone sees when verifying.

let t: TestApp;
before(async () => {
  t = await testApp({ demoApplications: true, config: { rateLimitPerMinute: 100_000, renderWorkers: 1 } });
});
after(async () => t.close());

const post = (cookie: string, pageUrl: string, url: string, fields: Record<string, string | string[]>) => postForm(t.app, cookie, pageUrl, url, fields);

const payloadOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, any>;

async function requestResidentCertificate(cookie: string, include: string[] = ['birthDate', 'registeredOn', 'householdHead', 'householdMembers'], lang = 'ko') {
  const res = await post(cookie, '/certificates/request/resident-registration', '/certificates/request/resident-registration', { lang, include });
  assert.equal(res.statusCode, 303, res.body);
  const match = /^\/certificates\/(\d{4}-\d{4}-\d{4}-\d{4})\?issued=1$/.exec(String(res.headers.location));
  assert.ok(match, String(res.headers.location));
  return match[1]!;
}

let issued: string;
let resident1: string;

test('a resident gets a resident registration certificate at once, as a PDF and as a signed credential', async () => {
  resident1 = await signIn(t.app, 'resident1');
  issued = await requestResidentCertificate(resident1);
  const page = await t.app.inject({ method: 'GET', url: `/certificates/${issued}?issued=1`, headers: { cookie: resident1 } });
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /주민등록표 등본/);
  assert.match(page.body, /\d{6}-\d\*{6}/, 'the national ID number is masked');
  const pdf = await t.app.inject({ method: 'GET', url: `/certificates/${issued}/pdf`, headers: { cookie: resident1 } });
  assert.equal(pdf.statusCode, 200);
  assert.equal(pdf.headers['content-type'], 'application/pdf');
  assert.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-');
  const vc = await t.app.inject({ method: 'GET', url: `/certificates/${issued}/credential`, headers: { cookie: resident1 } });
  assert.equal(vc.statusCode, 200);
  assert.match(String(vc.headers['content-type']), /^application\/vc\+jwt/);
  const header = decodeProtectedHeader(vc.body);
  assert.equal(header.typ, 'vc+jwt');
  assert.equal(header.alg, 'EdDSA');
  const credential = payloadOf(vc.body);
  assert.equal(credential.vc, undefined, 'no vc claim');
  assert.deepEqual(credential.type, ['VerifiableCredential', 'NaraCertificate']);
  assert.equal(credential.credentialSubject.issueNumber, issued);
  assert.ok(credential.credentialSubject.householdMembers, 'the full certificate lists the household');
  assert.equal(credential.credentialStatus.length, 2);
});

test("a credential verifies with jose alone and the agency's published JWKS; one changed byte fails", async () => {
  const vc = (await t.app.inject({ method: 'GET', url: `/certificates/${issued}/credential`, headers: { cookie: resident1 } })).body;
  const jwks = (await t.app.inject({ method: 'GET', url: '/issuers/MOIS/jwks.json' })).json();
  const { payload, protectedHeader } = await compactVerify(vc, createLocalJWKSet(jwks));
  assert.equal(protectedHeader.kid, decodeProtectedHeader(vc).kid);
  assert.equal(JSON.parse(new TextDecoder().decode(payload)).credentialSubject.issueNumber, issued);
  const [h, p, s] = vc.split('.') as [string, string, string];
  const bytes = Buffer.from(p, 'base64url');
  bytes[10] = bytes[10]! ^ 0x01;
  const tampered = `${h}.${bytes.toString('base64url')}.${s}`;
  await assert.rejects(compactVerify(tampered, createLocalJWKSet(jwks)));
  const viaApi = await t.app.inject({ method: 'POST', url: '/credentials/verify', payload: { verifiableCredential: tampered } });
  assert.equal(viaApi.statusCode, 400);
  assert.equal(viaApi.json().verified, false);
  const good = await t.app.inject({ method: 'POST', url: '/credentials/verify', payload: { verifiableCredential: { '@context': ['https://www.w3.org/ns/credentials/v2'], type: 'EnvelopedVerifiableCredential', id: `data:application/vc+jwt,${vc}` } } });
  assert.equal(good.statusCode, 200, good.body);
  assert.equal(good.json().verified, true);
});

test('anyone can check a certificate by its number without signing in, and the holder sees that it was checked', async () => {
  const res = await t.app.inject({ method: 'GET', url: `/verify?number=${issued.replace(/-/g, '')}` });
  assert.equal(res.statusCode, 303);
  assert.equal(res.headers.location, `/verify/${issued}`);
  const page = await t.app.inject({ method: 'GET', url: `/verify/${issued}`, headers: { 'accept-language': 'en' } });
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /This certificate is valid/);
  const api = await t.app.inject({ method: 'GET', url: `/api/v1/certificates/${issued}/verification` });
  assert.equal(api.json().outcome, 'valid');
  // Verifications are recorded in batches, within a fraction of a second.
  const recorded = () => t.database.db.selectFrom('certificate_verifications').select(['verifier_kind', 'channel']).execute();
  await eventually(async () => (await recorded()).length >= 2, 'recording both verifications');
  const holderView = await t.app.inject({ method: 'GET', url: `/certificates/${issued}`, headers: { cookie: resident1, 'accept-language': 'en' } });
  const rows = await recorded();
  assert.ok(rows.some((r) => r.verifier_kind === 'anonymous' && r.channel === 'page'));
  assert.ok(rows.some((r) => r.channel === 'api'));
  assert.doesNotMatch(holderView.body, /Nobody has checked it yet/);
});

test('an unknown or malformed number is said plainly, and the form keeps what was typed', async () => {
  const unknown = await t.app.inject({ method: 'GET', url: '/verify/0000-0000-0000-0000', headers: { 'accept-language': 'en' } });
  assert.equal(unknown.statusCode, 404);
  assert.match(unknown.body, /No certificate was issued with this number/);
  const bad = await t.app.inject({ method: 'GET', url: '/verify?number=12ab', headers: { 'accept-language': 'en' } });
  assert.equal(bad.statusCode, 422);
  assert.match(bad.body, /An issue number has 16 digits/);
  assert.match(bad.body, /value="12ab"/);
});

test('an abridged certificate leaves off what the resident chose to leave off', async () => {
  const number = await requestResidentCertificate(resident1, ['birthDate'], 'en');
  const list = await t.app.inject({ method: 'GET', url: '/certificates?lang=en', headers: { cookie: resident1 } });
  assert.match(list.body, new RegExp(`>${number}<`), 'the holder lists it with the others');
  assert.match(list.body, /Resident Registration Certificate \(abridged\)/);
  assert.match(list.body, /주민등록표 등본</, 'each under its own title and language');
  const vc = (await t.app.inject({ method: 'GET', url: `/certificates/${number}/credential`, headers: { cookie: resident1 } })).body;
  const credential = payloadOf(vc);
  assert.equal(credential.credentialSubject.householdMembers, undefined);
  assert.equal(credential.credentialSubject.householdHead, undefined);
  assert.ok(credential.credentialSubject.birthDate);
  assert.match(credential.name, /abridged/);
});

test('another resident can neither see nor download a certificate, until the holder allows it', async () => {
  const resident2 = await signIn(t.app, 'resident2');
  for (const url of [`/certificates/${issued}`, `/certificates/${issued}/pdf`, `/certificates/${issued}/credential`]) {
    assert.equal((await t.app.inject({ method: 'GET', url, headers: { cookie: resident2 } })).statusCode, 404, url);
  }
  const anonymous = await t.app.inject({ method: 'GET', url: `/certificates/${issued}/pdf` });
  assert.equal(anonymous.statusCode, 303);
  // resident2 cannot grant themselves access to resident1's certificate
  const grab = await post(resident2, '/verify', `/certificates/${issued}/shares`, { username: 'resident2' });
  assert.equal(grab.statusCode, 404);
  const share = await post(resident1, `/certificates/${issued}`, `/certificates/${issued}/shares`, { username: 'resident2' });
  assert.equal(share.statusCode, 303);
  const allowed = await t.app.inject({ method: 'GET', url: `/certificates/${issued}/pdf`, headers: { cookie: resident2 } });
  assert.equal(allowed.statusCode, 200);
  const audit = await t.database.db.selectFrom('audit_events').select('action').where('action', '=', 'documents.certificate.downloaded').execute();
  assert.equal(audit.length, 1);
  const row = await t.database.db.selectFrom('accounts').select('id').where('username', '=', 'resident2').executeTakeFirstOrThrow();
  const withdraw = await post(resident1, `/certificates/${issued}`, `/certificates/${issued}/shares/${row.id}/withdraw`, {});
  assert.equal(withdraw.statusCode, 303);
  assert.equal((await t.app.inject({ method: 'GET', url: `/certificates/${issued}/pdf`, headers: { cookie: resident2 } })).statusCode, 404);
});

test('an unknown username to share with is refused at the field, keeping what was typed', async () => {
  const res = await post(resident1, `/certificates/${issued}`, `/certificates/${issued}/shares`, { username: 'nobody.here' });
  assert.equal(res.statusCode, 422);
  assert.match(res.body, /value="nobody.here"/);
});

test('an official cannot request a certificate for themselves', async () => {
  const official = await signIn(t.app, 'jongno.clerk');
  const res = await post(official, '/verify', '/certificates/request/resident-registration', { lang: 'ko', include: [] });
  assert.equal(res.statusCode, 403);
});

test('only the issuing agency can revoke: another agency and the holder cannot; a reason is required; revocation is final', async () => {
  const other = await signIn(t.app, 'jongno.approver');
  const url = `/verify/${issued}/status`;
  assert.equal((await post(other, `/verify/${issued}`, url, { action: 'revoke', reason: 'x' })).statusCode, 404, 'another agency');
  assert.equal((await post(resident1, `/verify/${issued}`, url, { action: 'revoke', reason: 'x' })).statusCode, 404, 'the holder');
  const admin = await signIn(t.app, 'mois.admin');
  const page = await t.app.inject({ method: 'GET', url: `/verify/${issued}`, headers: { cookie: admin } });
  assert.match(page.body, /action="\/verify\/[\d-]+\/status"/, 'the issuing agency sees its actions');
  const noReason = await post(admin, `/verify/${issued}`, url, { action: 'revoke', reason: '  ' });
  assert.equal(noReason.statusCode, 422);
  const revoked = await post(admin, `/verify/${issued}`, url, { action: 'revoke', reason: '잘못 발급됨' });
  assert.equal(revoked.statusCode, 303);
  const after = await t.app.inject({ method: 'GET', url: `/verify/${issued}`, headers: { 'accept-language': 'en' } });
  assert.match(after.body, /This certificate has been revoked/);
  const inbox = await t.app.inject({ method: 'GET', url: '/inbox?lang=en', headers: { cookie: resident1 } });
  assert.match(inbox.body, /Certificate revoked: \d{4}-/, 'the holder is told, with the reason');
  assert.match(inbox.body, /잘못 발급됨/);
  const again = await post(admin, `/verify/${issued}`, url, { action: 'reinstate', reason: 'x' });
  assert.equal(again.statusCode, 409, 'a revoked certificate cannot be reinstated');
  assert.doesNotMatch(again.body, /name="action"/, 'and offers no actions');
});

test("the agency's revocation status list shows the revoked certificate's bit, signed by the agency", async () => {
  const vc = (await t.app.inject({ method: 'GET', url: `/certificates/${issued}/credential`, headers: { cookie: resident1 } })).body;
  const entry = payloadOf(vc).credentialStatus.find((s: { statusPurpose: string }) => s.statusPurpose === 'revocation');
  const path = new URL(entry.statusListCredential).pathname;
  const list = await t.app.inject({ method: 'GET', url: path });
  assert.equal(list.statusCode, 200);
  const jwks = (await t.app.inject({ method: 'GET', url: '/issuers/MOIS/jwks.json' })).json();
  const { payload } = await compactVerify(list.body, createLocalJWKSet(jwks));
  const statusCredential = JSON.parse(new TextDecoder().decode(payload));
  assert.deepEqual(statusCredential.type, ['VerifiableCredential', 'BitstringStatusListCredential']);
  const bits = decodeStatusList(statusCredential.credentialSubject.encodedList);
  assert.equal(bitAt(bits, Number(entry.statusListIndex)), true);
  const suspension = await t.app.inject({ method: 'GET', url: path.replace('/revocation', '/suspension') });
  const suspensionBits = decodeStatusList(payloadOf(suspension.body).credentialSubject.encodedList);
  assert.equal(bitAt(suspensionBits, Number(entry.statusListIndex)), false);
});

test('approving a building permit issues the permit to the applicant, once', async () => {
  await t.jobs.runDue();
  const permits = await t.database.db.selectFrom('certificates').select(['holder_account_id', 'application_id', 'credential_jwt']).where('type_code', '=', 'building-permit').execute();
  assert.equal(permits.length, 1, 'the demo data has one approved building permit');
  const app = await t.database.db.selectFrom('applications').select(['applicant_account_id', 'receipt_no']).where('id', '=', permits[0]!.application_id!).executeTakeFirstOrThrow();
  assert.equal(permits[0]!.holder_account_id, app.applicant_account_id);
  assert.equal(payloadOf(permits[0]!.credential_jwt).credentialSubject.permitNo, app.receipt_no);
  await t.jobs.runDue();
  assert.equal((await t.database.db.selectFrom('certificates').select('id').where('type_code', '=', 'building-permit').execute()).length, 1);
});

test('after the agency rotates its key, what the old key signed still verifies, and new certificates carry the new key', async () => {
  const before = (await t.app.inject({ method: 'GET', url: `/certificates/${issued}/credential`, headers: { cookie: resident1 } })).body;
  const { rotateIssuerKey } = await import('./rotate-issuer-key.ts');
  const { createFieldEncryption } = await import('../../platform/crypto/field-encryption.ts');
  const rotated = await rotateIssuerKey(t.database.db, createFieldEncryption(t.config.dataKey), 'MOIS');
  const jwks = (await t.app.inject({ method: 'GET', url: '/issuers/MOIS/jwks.json' })).json();
  assert.ok(jwks.keys.length >= 2, 'the retired key stays published');
  await compactVerify(before, createLocalJWKSet(jwks));
  const controller = (await t.app.inject({ method: 'GET', url: '/issuers/MOIS' })).json();
  assert.equal(controller.verificationMethod.length, jwks.keys.length);
  assert.ok(controller.assertionMethod.includes(decodeProtectedHeader(before).kid));
  // This instance looks for a new key at most a minute later; a fresh one at once.
  const { createIssuerKeys } = await import('./issuer-keys.ts');
  const key = await createIssuerKeys(t.database.db, createFieldEncryption(t.config.dataKey)).signingKey((await t.database.db.selectFrom('agencies').select('id').where('code', '=', 'MOIS').executeTakeFirstOrThrow()).id);
  assert.equal(key.kid, rotated.kid);
});

test("a business's representative gets its registration certificate; not for a business they do not represent", async () => {
  const { hashPassword } = await import('../identity/passwords.ts');
  const { insertAccount } = await import('../identity/repository.ts');
  const [mine, theirs] = await t.database.db.selectFrom('businesses').select(['id', 'registration_no', 'representative_resident_id']).orderBy('id').limit(2).execute();
  const ceo = await insertAccount(t.database.db, { kind: 'resident', username: 'ceo.docs', displayName: 'CEO', email: 'ceo.docs@example.kr', passwordHash: await hashPassword('bright harbour lights'), residentId: mine!.representative_resident_id });
  await t.database.db.insertInto('business_links').values({ account_id: ceo, business_id: mine!.id }).execute();
  const cookie = await signIn(t.app, 'ceo.docs', 'bright harbour lights');
  const page = await t.app.inject({ method: 'GET', url: '/certificates/request/business-registration', headers: { cookie } });
  assert.match(page.body, new RegExp(mine!.registration_no));
  const notMine = await post(cookie, '/certificates/request/business-registration', '/certificates/request/business-registration', { lang: 'en', businessId: String(theirs!.id) });
  assert.equal(notMine.statusCode, 403);
  const res = await post(cookie, '/certificates/request/business-registration', '/certificates/request/business-registration', { lang: 'en', businessId: String(mine!.id) });
  assert.equal(res.statusCode, 303, res.body);
  const number = /\/certificates\/([\d-]+)\?/.exec(String(res.headers.location))![1]!;
  const vc = (await t.app.inject({ method: 'GET', url: `/certificates/${number}/credential`, headers: { cookie } })).body;
  assert.equal(payloadOf(vc).credentialSubject.registrationNo, mine!.registration_no);
  assert.match(payloadOf(vc).issuer.id, /\/issuers\/NTS$/);
});

test('nobody can alter or delete an issued certificate, not even through the database', async () => {
  await assert.rejects(t.database.db.updateTable('certificates').set({ lang: 'en' }).execute(), /append-only/);
  await assert.rejects(t.database.db.deleteFrom('certificate_status_changes').execute(), /append-only/);
});
