import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { testApp, type TestApp } from '../support/test-app.ts';
import { createFieldEncryption } from '../../src/platform/crypto/field-encryption.ts';
import { registerMachineClient } from '../../src/modules/identity/index.ts';

// The W3C VC Data Model 2.0 suite's documents sent to Nara's VC-API as the suite does:
// each credential to POST /credentials/issue (as a machine client of one agency), and what
// comes back to POST /credentials/verify; each presentation to POST /presentations/verify.
// `-ok` must be accepted, `-fail` refused (issuer 400 or 422).

const fixtures = path.resolve(import.meta.dirname, '../../../shared/conformance/vc-data-model-2.0/input');
const missing = existsSync(fixtures) ? false : `The VC Data Model fixtures are not at ${fixtures}`;

let t: TestApp;
let issuerToken: string;
let otherToken: string;

async function tokenFor(agencyCode: string): Promise<string> {
  const client = await registerMachineClient(t.database.db, createFieldEncryption(t.config.dataKey), { name: `${agencyCode} system`, agencyCode, scope: 'credentials:issue' });
  const res = await t.app.inject({
    method: 'POST',
    url: '/oidc/token',
    headers: { authorization: `Basic ${Buffer.from(`${client.client_id}:${client.client_secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'grant_type=client_credentials&scope=credentials%3Aissue',
  });
  assert.equal(res.statusCode, 200, res.body);
  return res.json().access_token as string;
}

before(async () => {
  if (missing) return;
  t = await testApp({ config: { rateLimitPerMinute: 1_000_000, renderWorkers: 1 } });
  issuerToken = await tokenFor('NTS');
  otherToken = await tokenFor('KCS');
});
after(async () => t?.close());

/** The suite's placeholders for dates, filled as its harness does. */
function dated(doc: Record<string, unknown>): Record<string, unknown> {
  const copy = structuredClone(doc);
  const year = new Date().getUTCFullYear();
  for (const key of ['validFrom', 'validUntil']) {
    if (copy[key] === 'PAST DATE') copy[key] = `${year - 2}-01-01T00:00:00Z`;
    if (copy[key] === 'FUTURE DATE') copy[key] = `${year + 2}-01-01T00:00:00Z`;
  }
  return copy;
}

const issueWith = (token: string, credential: unknown) => t.app.inject({ method: 'POST', url: '/credentials/issue', headers: { authorization: `Bearer ${token}` }, payload: { credential } });

test('every VC Data Model 2.0 document gets the outcome its name says through the VC-API', { skip: missing }, async () => {
  const files = readdirSync(fixtures, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.json')).sort();
  const wrong: string[] = [];
  let passed = 0;
  let named = 0;
  for (const file of files) {
    const base = path.basename(file);
    const expect = base.endsWith('-ok.json') ? 'accept' : /-fail(-or-inject)?\.json$/.test(base) ? 'refuse' : undefined;
    if (!expect) continue;
    named++;
    const doc = dated(JSON.parse(readFileSync(path.join(fixtures, file), 'utf8')));
    let accepted: boolean;
    if (base.startsWith('presentation-')) {
      const res = await t.app.inject({ method: 'POST', url: '/presentations/verify', payload: { verifiablePresentation: doc } });
      accepted = res.statusCode === 200;
      if (!accepted && res.statusCode !== 400) wrong.push(`${file}: presentation verify answered ${res.statusCode}`);
    } else {
      const issued = await issueWith(issuerToken, doc);
      if (issued.statusCode === 201) {
        const verified = await t.app.inject({ method: 'POST', url: '/credentials/verify', payload: { verifiableCredential: issued.json().verifiableCredential } });
        accepted = verified.statusCode === 200 && verified.json().verified === true;
        if (!accepted) wrong.push(`${file}: issued, but verify answered ${verified.statusCode} ${verified.body.slice(0, 200)}`);
      } else {
        accepted = false;
        if (issued.statusCode !== 400 && issued.statusCode !== 422) wrong.push(`${file}: issue answered ${issued.statusCode}`);
        // Refused by the issuer; sent straight to the verifier it is refused there too.
        const direct = await t.app.inject({ method: 'POST', url: '/credentials/verify', payload: { verifiableCredential: doc } });
        if (direct.statusCode !== 400) wrong.push(`${file}: verify of the raw document answered ${direct.statusCode}`);
      }
    }
    if (accepted === (expect === 'accept')) passed++;
    else wrong.push(`${file}: expected ${expect}, was ${accepted ? 'accepted' : 'refused'}`);
  }
  process.stdout.write(`vc-api: ${passed} of ${named} named VC Data Model 2.0 documents as their names say\n`);
  assert.deepEqual(wrong, []);
  assert.ok(named >= 100, `only ${named} named fixtures were found`);
});

test('the issuer refuses a caller without a machine token, and a client cannot issue for another agency', { skip: missing }, async () => {
  const credential = { '@context': ['https://www.w3.org/ns/credentials/v2'], type: ['VerifiableCredential'], credentialSubject: { id: 'urn:uuid:0b7a1c52-8f0e-4f7d-9d3b-2a1c5e7f9a10', name: 'x' } };
  const none = await t.app.inject({ method: 'POST', url: '/credentials/issue', payload: { credential } });
  assert.equal(none.statusCode, 401);
  assert.equal((await issueWith('not-a-token', credential)).statusCode, 401);
  const foreign = await issueWith(otherToken, { ...credential, issuer: `${t.config.publicUrl}/issuers/NTS` });
  assert.equal(foreign.statusCode, 403, 'a customs client cannot issue as the tax service');
  const own = await issueWith(otherToken, credential);
  assert.equal(own.statusCode, 201);
  const jwt = (own.json().verifiableCredential.id as string).replace('data:application/vc+jwt,', '');
  const payload = JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8'));
  assert.equal(payload.issuer, `${t.config.publicUrl}/issuers/KCS`, 'issued under the client’s own agency');
  assert.equal((await issueWith(issuerToken, 'not an object')).statusCode, 400);
});
