import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { CompactSign, compactVerify, createLocalJWKSet, type CompactJWSHeaderParameters, type JWK } from 'jose';
import { signCredential, signPresentation, verifyCredentialJwt, verifyPresentationJwt, type KeyRequest, type ResolveKey, type VerificationKey } from './vc-jose.ts';
import { VC_BASE_CONTEXT } from './vc-model.ts';

const ISSUER = 'https://nara.example/issuers/moj';
const HOLDER = 'did:example:resident-1';
const issuerKey = { ...generateKeyPairSync('ed25519'), kid: `${ISSUER}#key-1` };
const holderKey = { ...generateKeyPairSync('ed25519'), kid: `${HOLDER}#key-1` };

const credential = (changes: Record<string, unknown> = {}): Record<string, unknown> => ({
  '@context': [VC_BASE_CONTEXT],
  id: 'https://nara.example/verify/2025-0301-0000-0001',
  type: ['VerifiableCredential'],
  issuer: ISSUER,
  validFrom: '2025-03-01T00:00:00Z',
  validUntil: '2099-03-01T00:00:00Z',
  credentialSubject: { id: HOLDER, familyName: '김' },
  ...changes,
});

/** Resolves the test keys by kid, and records what it was asked. */
function resolver(keys: Array<{ kid: string; publicKey: VerificationKey }> = [issuerKey, holderKey]) {
  const asked: KeyRequest[] = [];
  const resolve: ResolveKey = async (header, request) => {
    asked.push(request);
    return keys.find((k) => k.kid === header.kid)?.publicKey;
  };
  return Object.assign(resolve, { asked });
}

/** A JWS with any header and payload, for what signCredential rightly refuses to make. */
const craft = (header: CompactJWSHeaderParameters, payload: unknown, key: KeyObject = issuerKey.privateKey, crit?: Record<string, boolean>) =>
  new CompactSign(new TextEncoder().encode(JSON.stringify(payload))).setProtectedHeader(header).sign(key, crit ? { crit } : undefined);

const vcHeader = { alg: 'EdDSA', typ: 'vc+jwt', cty: 'vc', kid: issuerKey.kid };
const code = (result: { ok: boolean; code?: string }) => (result.ok ? 'accepted' : result.code);
const part = (jwt: string, i: number) => JSON.parse(Buffer.from(jwt.split('.')[i]!, 'base64url').toString('utf8'));

const envelope = (jwt: string) => ({ '@context': VC_BASE_CONTEXT, type: 'EnvelopedVerifiableCredential', id: `data:application/vc+jwt,${jwt}` });
const presentation = (changes: Record<string, unknown> = {}): Record<string, unknown> => ({ '@context': [VC_BASE_CONTEXT], type: ['VerifiablePresentation'], holder: HOLDER, ...changes });

test('a signed credential is a vc+jwt whose payload is the credential itself, and it verifies', async () => {
  const vc = credential();
  const jwt = await signCredential(vc, issuerKey);
  assert.deepEqual(part(jwt, 0), { alg: 'EdDSA', typ: 'vc+jwt', cty: 'vc', kid: issuerKey.kid });
  assert.deepEqual(part(jwt, 1), vc);
  const resolve = resolver();
  const result = await verifyCredentialJwt(jwt, resolve);
  assert.ok(result.ok);
  assert.deepEqual(result.credential, vc);
  // The resolver learns whose key it must find: the issuer the payload names.
  assert.deepEqual(resolve.asked, [{ kind: 'credential', party: ISSUER }]);
});

test('a single changed character anywhere in the JWS makes it fail', async () => {
  const jwt = await signCredential(credential(), issuerKey);
  const accepted: number[] = [];
  for (let i = 0; i < jwt.length; i++) {
    const changed = `${jwt.slice(0, i)}${jwt[i] === 'A' ? 'B' : 'A'}${jwt.slice(i + 1)}`;
    if ((await verifyCredentialJwt(changed, resolver())).ok) accepted.push(i);
  }
  assert.deepEqual(accepted, []);
  assert.ok((await verifyCredentialJwt(jwt, resolver())).ok, 'the unchanged JWS still verifies');
});

test('a part spelled with stray bits in its last character is refused, though it decodes to the same bytes', async () => {
  const jwt = await signCredential(credential(), issuerKey);
  const [header, payload, signature] = jwt.split('.') as [string, string, string];
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  // 64 signature bytes are 86 characters: the last carries 2 bits of data and 4 spare ones.
  const last = alphabet.indexOf(signature.at(-1)!);
  const stray = `${signature.slice(0, -1)}${alphabet[last | 0b0001]}`;
  assert.deepEqual(Buffer.from(stray, 'base64url'), Buffer.from(signature, 'base64url'), 'the same bytes');
  assert.equal(code(await verifyCredentialJwt(`${header}.${payload}.${stray}`, resolver())), 'JWS_MALFORMED');
  // One character more than a whole group of four holds no byte at all.
  assert.equal(code(await verifyCredentialJwt(`${header}.${payload}.${signature}AAA`, resolver())), 'JWS_MALFORMED');
});

test('a payload with vc or vp claims is refused, and Nara will not sign one', async () => {
  for (const claims of [{ vc: credential() }, { vp: {} }, { vc: 'oops', vp: 'nooo' }]) {
    assert.equal(code(await verifyCredentialJwt(await craft(vcHeader, credential(claims)), resolver())), 'VC_VP_CLAIMS_PRESENT');
    await assert.rejects(signCredential(credential(claims), issuerKey), /vc or vp/);
  }
});

test('the media type must be vc+jwt, with or without application/ and in any case; cty, when present, vc', async () => {
  const verdict = async (header: Record<string, unknown>) => code(await verifyCredentialJwt(await craft({ ...vcHeader, ...header } as CompactJWSHeaderParameters, credential()), resolver()));
  assert.equal(await verdict({ typ: 'application/vc+jwt' }), 'accepted');
  assert.equal(await verdict({ typ: 'VC+JWT', cty: 'application/vc' }), 'accepted');
  assert.equal(await verdict({ cty: undefined }), 'accepted');
  for (const typ of ['JWT', 'vp+jwt', 'vc+sd-jwt', 'vc-ld+jwt', 'application/vc+jwt; charset=utf-8', undefined]) assert.equal(await verdict({ typ }), 'MEDIA_TYPE_INVALID', String(typ));
  assert.equal(await verdict({ cty: 'json' }), 'MEDIA_TYPE_INVALID');
});

test('alg none, HMAC and RSA are refused before any key is looked up', async () => {
  const resolve = resolver();
  const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'vc+jwt', kid: issuerKey.kid })).toString('base64url')}.${Buffer.from(JSON.stringify(credential())).toString('base64url')}.`;
  assert.equal(code(await verifyCredentialJwt(none, resolve)), 'ALG_NOT_ALLOWED');
  const hmac = await new CompactSign(new TextEncoder().encode(JSON.stringify(credential()))).setProtectedHeader({ ...vcHeader, alg: 'HS256' }).sign(new Uint8Array(32).fill(7));
  assert.equal(code(await verifyCredentialJwt(hmac, resolve)), 'ALG_NOT_ALLOWED');
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  assert.equal(code(await verifyCredentialJwt(await craft({ ...vcHeader, alg: 'RS256' }, credential(), rsa.privateKey), resolve)), 'ALG_NOT_ALLOWED');
  assert.deepEqual(resolve.asked, []);
});

test('ES256, ES384 and ES512 credentials verify with their P-256, P-384 and P-521 keys', async () => {
  for (const [alg, namedCurve] of [['ES256', 'P-256'], ['ES384', 'P-384'], ['ES512', 'P-521']] as const) {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve });
    const kid = `${ISSUER}#${namedCurve}`;
    const jwt = await craft({ ...vcHeader, alg, kid }, credential(), privateKey);
    assert.equal(code(await verifyCredentialJwt(jwt, resolver([{ kid, publicKey }]))), 'accepted', alg);
    // The key must fit the algorithm: an Ed25519 key under the same kid does not.
    assert.equal(code(await verifyCredentialJwt(jwt, resolver([{ kid, publicKey: issuerKey.publicKey }]))), 'KEY_UNSUITABLE', alg);
  }
});

test('an unknown kid, a failing resolver or another key is refused', async () => {
  const jwt = await signCredential(credential(), issuerKey);
  assert.equal(code(await verifyCredentialJwt(jwt, resolver([holderKey]))), 'UNKNOWN_KEY');
  assert.equal(code(await verifyCredentialJwt(jwt, async () => Promise.reject(new Error('registry down')))), 'UNKNOWN_KEY');
  assert.equal(code(await verifyCredentialJwt(jwt, resolver([{ kid: issuerKey.kid, publicKey: holderKey.publicKey }]))), 'SIGNATURE_INVALID');
  // A public JWK serves as well as a KeyObject.
  const jwk = issuerKey.publicKey.export({ format: 'jwk' }) as JWK;
  assert.equal(code(await verifyCredentialJwt(jwt, resolver([{ kid: issuerKey.kid, publicKey: jwk }]))), 'accepted');
});

test('critical header parameters are refused: Nara understands none', async () => {
  const jwt = await craft({ ...vcHeader, crit: ['urn:nara:test'], 'urn:nara:test': true }, credential(), issuerKey.privateKey, { 'urn:nara:test': true });
  assert.equal(code(await verifyCredentialJwt(jwt, resolver())), 'CRIT_UNSUPPORTED');
});

test('without iss the kid must be a URL; with iss, iss must be the issuer', async () => {
  await assert.rejects(signCredential(credential(), { privateKey: issuerKey.privateKey, kid: 'key-1' }), /kid/);
  const thumbprint = { kid: 'key-1', publicKey: issuerKey.publicKey };
  assert.equal(code(await verifyCredentialJwt(await craft({ ...vcHeader, kid: 'key-1' }, credential()), resolver([thumbprint]))), 'KID_INVALID');
  assert.equal(code(await verifyCredentialJwt(await craft({ ...vcHeader, kid: 'key-1' }, { ...credential(), iss: ISSUER }), resolver([thumbprint]))), 'accepted');
  assert.equal(code(await verifyCredentialJwt(await craft(vcHeader, { ...credential(), iss: 'https://nara.example/issuers/mois' }), resolver())), 'ISSUER_MISMATCH');
  assert.equal(code(await verifyCredentialJwt(await craft(vcHeader, { ...credential({ issuer: { id: ISSUER, name: '법무부' } }), iss: ISSUER }), resolver())), 'accepted');
});

test('an expired or not yet valid credential has its own code; now and checkValidity are honoured', async () => {
  const jwt = await signCredential(credential({ validFrom: '2025-03-01T00:00:00Z', validUntil: '2026-03-01T00:00:00Z' }), issuerKey);
  const at = async (iso: string, checkValidity?: boolean) => code(await verifyCredentialJwt(jwt, resolver(), { now: new Date(iso), ...(checkValidity === undefined ? {} : { checkValidity }) }));
  assert.equal(await at('2025-02-28T23:59:59Z'), 'NOT_YET_VALID');
  assert.equal(await at('2025-03-01T00:00:00Z'), 'accepted');
  assert.equal(await at('2026-03-01T00:00:00Z'), 'accepted');
  assert.equal(await at('2026-03-01T00:00:01Z'), 'EXPIRED');
  assert.equal(await at('2030-01-01T00:00:00Z', false), 'accepted');
  // JWT exp and nbf count too, and must be numbers.
  const exp = await craft(vcHeader, { ...credential(), exp: Date.parse('2025-06-01T00:00:00Z') / 1000 });
  assert.equal(code(await verifyCredentialJwt(exp, resolver(), { now: new Date('2025-06-01T00:00:00Z') })), 'EXPIRED');
  assert.equal(code(await verifyCredentialJwt(await craft(vcHeader, { ...credential(), nbf: '2025-01-01' }), resolver())), 'CLAIM_INVALID');
});

test('a payload that does not conform to the data model is refused with its problems, and Nara will not sign it', async () => {
  const { credentialSubject: _, ...withoutSubject } = credential();
  const result = await verifyCredentialJwt(await craft(vcHeader, withoutSubject), resolver());
  assert.equal(code(result), 'CREDENTIAL_INVALID');
  assert.deepEqual(result.ok ? [] : result.problems?.map((p) => p.code), ['SUBJECT_MISSING']);
  await assert.rejects(signCredential(withoutSubject, issuerKey), /SUBJECT_MISSING/);
  assert.equal(code(await verifyCredentialJwt(await craft(vcHeader, ['not', 'an', 'object']), resolver())), 'PAYLOAD_INVALID');
});

test('nothing it is given makes verification throw', async () => {
  const jwt = await signCredential(credential(), issuerKey);
  const [h, p, s] = jwt.split('.') as [string, string, string];
  const garbage: unknown[] = ['', '.', '..', 'a.b.c', `${h}.${p}`, `${h}.${p}.${s}.${s}`, `${h}.${p}.${s}=`, `e30.${p}.${s}`, `${h}.bm90IGpzb24.${s}`, `${h}.${p}.${s} `, 'x'.repeat(100_000), 42, null, { jwt }];
  for (const input of garbage) {
    const result = await verifyCredentialJwt(input as string, resolver());
    assert.equal(result.ok, false, String(input).slice(0, 40));
    const vp = await verifyPresentationJwt(input as string, resolver());
    assert.equal(vp.ok, false);
  }
  // Nor a resolver handing back something that is not a key.
  assert.equal(code(await verifyCredentialJwt(jwt, async () => ({}) as JWK)), 'KEY_UNSUITABLE');
});

test('a credential Nara signed verifies with plain jose, given only the public JWK set', async () => {
  const vc = credential();
  const jwt = await signCredential(vc, issuerKey);
  const publicJwk = { ...(issuerKey.publicKey.export({ format: 'jwk' }) as JWK), kid: issuerKey.kid, alg: 'EdDSA', use: 'sig' };
  const { payload, protectedHeader } = await compactVerify(jwt, createLocalJWKSet({ keys: [publicJwk] }));
  assert.equal(protectedHeader.typ, 'vc+jwt');
  assert.deepEqual(JSON.parse(new TextDecoder().decode(payload)), vc);
  // And the same check fails against a set holding only someone else's key.
  const otherJwk = { ...(holderKey.publicKey.export({ format: 'jwk' }) as JWK), kid: issuerKey.kid, alg: 'EdDSA' };
  await assert.rejects(compactVerify(jwt, createLocalJWKSet({ keys: [otherJwk] })));
});

test('a presentation verifies with each enveloped credential in it; one bad credential fails it', async () => {
  const first = await signCredential(credential(), issuerKey);
  const second = await signCredential(credential({ credentialSubject: { id: HOLDER, registered: true } }), issuerKey);
  const resolve = resolver();
  const vp = await signPresentation(presentation({ verifiableCredential: [envelope(first), envelope(second)] }), holderKey);
  assert.deepEqual(part(vp, 0), { alg: 'EdDSA', typ: 'vp+jwt', cty: 'vp', kid: holderKey.kid });
  const result = await verifyPresentationJwt(vp, resolve);
  assert.ok(result.ok);
  assert.deepEqual(result.credentials.map((c) => [c.index, c.credential.credentialSubject]), [[0, { id: HOLDER, familyName: '김' }], [1, { id: HOLDER, registered: true }]]);
  assert.deepEqual(resolve.asked, [{ kind: 'presentation', party: HOLDER }, { kind: 'credential', party: ISSUER }, { kind: 'credential', party: ISSUER }]);

  const tampered = `${second.slice(0, -2)}${second.at(-2) === 'A' ? 'B' : 'A'}${second.at(-1)}`;
  const bad = await verifyPresentationJwt(await signPresentation(presentation({ verifiableCredential: [envelope(first), envelope(tampered)] }), holderKey), resolver());
  assert.deepEqual(bad.ok ? 'accepted' : [bad.code, bad.credentialIndex, bad.cause?.code], ['ENVELOPED_CREDENTIAL_INVALID', 1, 'SIGNATURE_INVALID']);
  // The credentials are judged at the presentation's `now`.
  const late = await verifyPresentationJwt(vp, resolver(), { now: new Date('2100-01-01T00:00:00Z') });
  assert.deepEqual(late.ok ? 'accepted' : [late.code, late.cause?.code], ['ENVELOPED_CREDENTIAL_INVALID', 'EXPIRED']);
});

test('credentials in a vp+jwt must be enveloped, and a vc+jwt is no presentation', async () => {
  await assert.rejects(signPresentation(presentation({ verifiableCredential: [credential()] }), holderKey), /CREDENTIAL_NOT_ENVELOPED/);
  const plain = await craft({ alg: 'EdDSA', typ: 'vp+jwt', kid: holderKey.kid }, presentation({ verifiableCredential: [credential()] }), holderKey.privateKey);
  assert.deepEqual(await verifyPresentationJwt(plain, resolver()).then((r) => (r.ok ? 'accepted' : [r.code, r.credentialIndex])), ['CREDENTIAL_NOT_ENVELOPED', 0]);
  assert.equal(code(await verifyPresentationJwt(await signCredential(credential(), issuerKey), resolver())), 'MEDIA_TYPE_INVALID');
  assert.equal(code(await verifyCredentialJwt(await signPresentation(presentation(), holderKey), resolver())), 'MEDIA_TYPE_INVALID');
});

test('audience and nonce, when the verifier asks for them, must be the ones it gave', async () => {
  const vp = await craft({ alg: 'EdDSA', typ: 'vp+jwt', kid: holderKey.kid }, { ...presentation(), aud: ['https://nara.example'], nonce: 'n-1' }, holderKey.privateKey);
  assert.equal(code(await verifyPresentationJwt(vp, resolver(), { audience: 'https://nara.example', nonce: 'n-1' })), 'accepted');
  assert.equal(code(await verifyPresentationJwt(vp, resolver(), { audience: 'https://other.example' })), 'AUDIENCE_MISMATCH');
  assert.equal(code(await verifyPresentationJwt(vp, resolver(), { nonce: 'n-2' })), 'NONCE_MISMATCH');
  assert.equal(code(await verifyPresentationJwt(await signPresentation(presentation(), holderKey), resolver(), { nonce: 'n-1' })), 'NONCE_MISMATCH');
});

test('a credential signed with the presentation’s own key is self-asserted: the holder must be named and be its issuer', async () => {
  const selfIssued = (issuer: string) => signCredential(credential({ issuer }), holderKey);
  const verdict = async (vc: string, changes: Record<string, unknown> = {}) => code(await verifyPresentationJwt(await signPresentation(presentation({ verifiableCredential: [envelope(vc)], ...changes }), holderKey), resolver()));
  assert.equal(await verdict(await selfIssued(HOLDER)), 'accepted');
  assert.equal(await verdict(await selfIssued(HOLDER), { holder: { id: HOLDER } }), 'accepted');
  assert.equal(await verdict(await selfIssued(ISSUER)), 'SELF_ASSERTED_ISSUER_MISMATCH');
  assert.equal(await verdict(await selfIssued(HOLDER), { holder: undefined }), 'HOLDER_MISSING');
  // Signed by the issuer's own key, the credential is not self-asserted, whoever holds it.
  assert.equal(await verdict(await signCredential(credential(), issuerKey), { holder: undefined }), 'accepted');
});

test('envelopes secured another way (SD-JWT, COSE) are refused unless the caller asks for them to be reported', async () => {
  const cose = { '@context': VC_BASE_CONTEXT, type: 'EnvelopedVerifiableCredential', id: 'data:application/vc+cose;base64,0oRYVqQBJg' };
  const vp = await signPresentation(presentation({ verifiableCredential: [envelope(await signCredential(credential(), issuerKey)), cose] }), holderKey);
  const strict = await verifyPresentationJwt(vp, resolver());
  assert.deepEqual(strict.ok ? 'accepted' : [strict.code, strict.credentialIndex], ['ENVELOPE_MEDIA_TYPE_UNSUPPORTED', 1]);
  const reported = await verifyPresentationJwt(vp, resolver(), { unsupportedEnvelopes: 'report' });
  assert.ok(reported.ok);
  assert.deepEqual([reported.credentials.map((c) => c.index), reported.unverified], [[0], [{ index: 1, mediaType: 'application/vc+cose' }]]);
});
