import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { JWK } from 'jose';
import {
  signCredential,
  verifyCredentialJwt,
  verifyPresentationJwt,
  type PresentationVerifyOptions,
  type ResolveKey,
  type VcJoseFailure,
} from '../../src/modules/documents/vc-jose.ts';

// The JOSE vectors of the W3C VC JOSE-COSE test suite (W3C licence, LICENSE.md beside them):
// compact JWS credentials and presentations, the verification methods that signed them, and
// the suite's test plan (README-upstream.md), whose verdicts are restated in VERDICTS.

const projectRoot = path.resolve(import.meta.dirname, '../..');
const vectors = path.resolve(projectRoot, '../shared/conformance/vc-jose-cose');
const missing = existsSync(vectors) ? false : `The VC JOSE-COSE vectors are not at ${vectors}; this test runs where ../shared/conformance is present`;

interface VerificationMethod {
  id: string;
  controller: string;
  publicKeyJwk: JWK & { kid: string };
}

/**
 * The published verification methods as a resolver: a key is returned only when its JWK kid
 * is the header's and its controller is the party the payload names, so a vector cannot be
 * verified with a key that belongs to someone else.
 */
function publishedMethods(): ResolveKey {
  const methods = readdirSync(vectors)
    .filter((f) => /^vm-.*\.json$/.test(f))
    .map((f) => JSON.parse(readFileSync(path.join(vectors, f), 'utf8')) as VerificationMethod);
  return async (header, { party }) => methods.find((m) => m.publicKeyJwk.kid === header.kid && m.controller === party)?.publicKeyJwk;
}

const read = (file: string) => readFileSync(path.join(vectors, file), 'utf8').trim();

// The presentations were signed for one day (iat 2024-12-16T01:04:10Z, exp a day later) and
// carry SD-JWT and COSE envelopes beside a vc+jwt one; they are judged on that day, with the
// envelopes Nara cannot open passed through and reported.
const presentationOptions: PresentationVerifyOptions = { now: new Date('2024-12-16T12:00:00Z'), unsupportedEnvelopes: 'report' };

/** The plan's verdict for every vector file: null to accept, else the refusal (our code for it). */
const VERDICTS: Readonly<Record<string, { plan: string; refusal: VcJoseFailure['code'] | null }>> = {
  'credential-jose-minimal.txt': { plan: '6. JWT Basic Credential Verification', refusal: null },
  'credential-jose-unknown-extensions.txt': { plan: '9. JWT Verification With Unknown Extensions', refusal: null },
  'credential-jose-bad-signature.txt': { plan: '12. JWT Credential with an Invalid Signature', refusal: 'SIGNATURE_INVALID' },
  'credential-jose-bad-media-type.txt': { plan: '13. JWT Credential with an Invalid Media Type', refusal: 'MEDIA_TYPE_INVALID' },
  'credential-jose-vc-vp-claims.txt': { plan: '15. JWT Credential with vc and vp Claims', refusal: 'VC_VP_CLAIMS_PRESENT' },
  'presentation-jose-multiple.txt': { plan: '7. JWT Presentation Verification', refusal: null },
  'presentation-jose-bad-media-type.txt': { plan: '14. JWT Presentation with an Invalid Media Type', refusal: 'MEDIA_TYPE_INVALID' },
  'presentation-jose-bad-credential.txt': { plan: '16. JWT Presentation with Invalid Credentials', refusal: 'PRESENTATION_INVALID' },
};

const passed = { vectors: 0, issued: 0 };

test('every JOSE vector is accepted or refused as the test plan says', { skip: missing }, async () => {
  const files = readdirSync(vectors).filter((f) => f.endsWith('.txt')).sort();
  assert.deepEqual(files, Object.keys(VERDICTS).sort(), 'every vector has a verdict, and every verdict a vector');
  const resolveKey = publishedMethods();
  const wrong: string[] = [];
  for (const file of files) {
    const { plan, refusal } = VERDICTS[file]!;
    const result = file.startsWith('presentation-') ? await verifyPresentationJwt(read(file), resolveKey, presentationOptions) : await verifyCredentialJwt(read(file), resolveKey);
    const got = result.ok ? null : result.code;
    if (got !== refusal) wrong.push(`${file} (${plan}): ${got ?? 'accepted'}, expected ${refusal ?? 'accepted'}`);
  }
  assert.deepEqual(wrong, []);
  passed.vectors = files.length;
});

test('in presentation-jose-multiple the vc+jwt credential is verified, and the SD-JWT and COSE ones are reported unverified', { skip: missing }, async () => {
  const result = await verifyPresentationJwt(read('presentation-jose-multiple.txt'), publishedMethods(), presentationOptions);
  assert.ok(result.ok, result.ok ? '' : result.code);
  assert.deepEqual(
    result.credentials.map((c) => [c.index, c.header.kid, c.credential.issuer]),
    [[0, '73voMXFNmNlOEpuYCSJlh8eN0dscykoO6gBukgRS1uU', 'https://example.issuer/vc-jose-cose']],
  );
  assert.deepEqual(result.unverified, [
    { index: 1, mediaType: 'application/vc+sd-jwt' },
    { index: 2, mediaType: 'application/vc+cose' },
  ]);
});

test('by default presentation-jose-multiple is refused: it has expired, and it holds envelopes Nara cannot check', { skip: missing }, async () => {
  const jwt = read('presentation-jose-multiple.txt');
  const today = await verifyPresentationJwt(jwt, publishedMethods(), { unsupportedEnvelopes: 'report' });
  assert.equal(today.ok ? 'accepted' : today.code, 'EXPIRED');
  const strict = await verifyPresentationJwt(jwt, publishedMethods(), { now: presentationOptions.now! });
  assert.deepEqual(strict.ok ? 'accepted' : [strict.code, strict.credentialIndex], ['ENVELOPE_MEDIA_TYPE_UNSUPPORTED', 1]);
});

test('presentation-jose-bad-credential is refused for an envelope whose id is not a data: URL', { skip: missing }, async () => {
  const result = await verifyPresentationJwt(read('presentation-jose-bad-credential.txt'), publishedMethods(), presentationOptions);
  assert.deepEqual(result.ok ? [] : result.problems?.map((p) => [p.path, p.code]), [['verifiableCredential[0].id', 'ENVELOPE_ID_INVALID']]);
});

test('the refused credential vectors carry valid signatures, so each is refused for its own defect', { skip: missing }, async () => {
  // Verified as bare JWS with the published key, the media-type and vc/vp vectors pass.
  const { compactVerify } = await import('jose');
  const ed25519 = (JSON.parse(readFileSync(path.join(vectors, 'vm-ed25519.json'), 'utf8')) as VerificationMethod).publicKeyJwk;
  for (const file of ['credential-jose-bad-media-type.txt', 'credential-jose-vc-vp-claims.txt', 'presentation-jose-bad-media-type.txt', 'presentation-jose-bad-credential.txt']) {
    await assert.doesNotReject(compactVerify(read(file), ed25519), file);
  }
  await assert.rejects(compactVerify(read('credential-jose-bad-signature.txt'), ed25519));
});

test('Nara issues each unsigned credential of the suite as vc+jwt and verifies what it issued', { skip: missing }, async () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const files = readdirSync(vectors).filter((f) => /^credential-.*\.json$/.test(f)).sort();
  assert.deepEqual(files, ['credential-full.json', 'credential-minimal.json', 'credential-unknown-extensions.json']);
  for (const file of files) {
    const credential = JSON.parse(read(file)) as Record<string, unknown>;
    const kid = `${credential.issuer as string}#nara-test`;
    const jwt = await signCredential(credential, { privateKey, kid });
    const result = await verifyCredentialJwt(jwt, async (header, { party }) => (header.kid === kid && party === credential.issuer ? publicKey : undefined), { now: new Date('2025-01-01T00:00:00Z') });
    assert.ok(result.ok, `${file}: ${result.ok ? '' : result.code}`);
    assert.deepEqual(result.credential, credential, file);
    passed.issued += 1;
  }
});

after(() => {
  if (missing || !passed.vectors || !passed.issued) return;
  console.log(`vc-jose-cose: ${passed.vectors} JOSE vectors as the test plan says; ${passed.issued} unsigned credentials issued and verified`);
});
