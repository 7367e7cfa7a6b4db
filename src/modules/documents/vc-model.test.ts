import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkCredential, checkPresentation, dateTimeStampMillis, isAbsoluteUrl, isDateTimeStamp, issuerDependentTypeTerms, VC_BASE_CONTEXT } from './vc-model.ts';

/** A conforming credential; each test changes one thing. */
const credential = (changes: Record<string, unknown> = {}): Record<string, unknown> => ({
  '@context': [VC_BASE_CONTEXT],
  id: 'urn:uuid:0b5b3e1c-6a3e-4a39-9d2c-8a54f5c1e001',
  type: ['VerifiableCredential'],
  issuer: 'https://nara.example/issuers/moj',
  validFrom: '2025-03-01T09:00:00+09:00',
  validUntil: '2026-03-01T09:00:00+09:00',
  credentialSubject: { id: 'did:example:resident-1', familyName: '김' },
  ...changes,
});

const codes = (problems: Array<{ code: string }>) => problems.map((p) => p.code);

test('a credential with the base context, its type, an issuer URL and a subject conforms', () => {
  assert.deepEqual(checkCredential(credential()), []);
  // A lone context string is a set of one; type may be a single string.
  assert.deepEqual(checkCredential(credential({ '@context': VC_BASE_CONTEXT, type: 'VerifiableCredential' })), []);
});

test('a credential whose validUntil is before validFrom is refused, even across time zones', () => {
  assert.deepEqual(codes(checkCredential(credential({ validFrom: '2025-03-01T00:00:00Z', validUntil: '2025-03-01T08:59:59+09:00' }))), ['VALIDITY_PERIOD_INVERTED']);
  // The same instant written in two zones is not inverted; a fraction later is not either.
  assert.deepEqual(checkCredential(credential({ validFrom: '2025-03-01T00:00:00Z', validUntil: '2025-03-01T09:00:00+09:00' })), []);
  assert.deepEqual(codes(checkCredential(credential({ validFrom: '2025-03-01T00:00:00.0001Z', validUntil: '2025-03-01T00:00:00Z' }))), ['VALIDITY_PERIOD_INVERTED']);
});

test('a dateTimeStamp needs a time zone and a real calendar date; fractional seconds and 24:00:00 are allowed', () => {
  for (const good of ['2024-02-29T23:59:59Z', '2025-01-01T00:00:00.123456+14:00', '2025-01-01T24:00:00Z', '-0001-01-01T00:00:00Z', '12025-01-01T00:00:00-05:30']) assert.ok(isDateTimeStamp(good), good);
  for (const bad of ['2025-01-01T00:00:00', '2025-01-01', '2023-02-29T00:00:00Z', '2025-01-01T00:00:60Z', '2025-01-01T00:00:00+14:01', '2025-1-01T00:00:00Z', 'Sun, 26 Feb 2023 01:22:14 +0000', ' 2025-01-01T00:00:00Z']) {
    assert.equal(isDateTimeStamp(bad), false, bad);
  }
  assert.equal(dateTimeStampMillis('2025-01-01T24:00:00Z'), Date.UTC(2025, 0, 2));
  assert.equal(dateTimeStampMillis('0050-06-01T00:00:00Z'), Date.parse('0050-06-01T00:00:00Z'), 'a two-digit year is not taken for 1950');
  assert.deepEqual(codes(checkCredential(credential({ validFrom: '2025-03-01 09:00:00' }))), ['DATETIME_INVALID']);
});

test('a credential without an issuer, or with one that is not a URL, is refused', () => {
  const { issuer: _, ...withoutIssuer } = credential();
  assert.deepEqual(codes(checkCredential(withoutIssuer)), ['ISSUER_MISSING']);
  for (const issuer of ['moj', 'https ://nara.example/issuers/moj', null, 7, {}, { id: 'moj' }, ['https://nara.example/issuers/moj']]) {
    assert.deepEqual(codes(checkCredential(credential({ issuer }))), ['ISSUER_INVALID'], JSON.stringify(issuer));
  }
  assert.deepEqual(checkCredential(credential({ issuer: { id: 'https://nara.example/issuers/moj', name: { '@value': '법무부', '@language': 'ko' } } })), []);
});

test('the base context must come first, and the other items must be URLs or objects', () => {
  assert.deepEqual(codes(checkCredential(credential({ '@context': ['https://www.w3.org/ns/credentials/examples/v2', VC_BASE_CONTEXT] }))), ['CONTEXT_BASE_NOT_FIRST']);
  assert.deepEqual(codes(checkCredential(credential({ '@context': ['https://www.w3.org/2018/credentials/v1'] }))), ['CONTEXT_BASE_NOT_FIRST']);
  assert.deepEqual(codes(checkCredential(credential({ '@context': [VC_BASE_CONTEXT, 'contexts/nara'] }))), ['CONTEXT_ITEM_INVALID']);
  assert.deepEqual(codes(checkCredential(credential({ '@context': [VC_BASE_CONTEXT, null] }))), ['CONTEXT_ITEM_INVALID']);
});

test('a protected term of the base context cannot be redefined, though its own IRI may be repeated', () => {
  assert.deepEqual(codes(checkCredential(credential({ '@context': [VC_BASE_CONTEXT, { VerifiableCredential: 'https://nara.example/#Other' }] }))), ['CONTEXT_PROTECTED_TERM_REDEFINED']);
  assert.deepEqual(codes(checkCredential(credential({ '@context': [VC_BASE_CONTEXT, { BitstringStatusListEntry: null }] }))), ['CONTEXT_PROTECTED_TERM_REDEFINED']);
  assert.deepEqual(checkCredential(credential({ '@context': [VC_BASE_CONTEXT, { name: 'https://schema.org/name' }] })), []);
  // An inline context may protect its own terms against later ones.
  const twice = [VC_BASE_CONTEXT, { '@protected': true, Permit: 'https://nara.example/#Permit' }, { Permit: 'https://evil.example/#Permit' }];
  assert.deepEqual(codes(checkCredential(credential({ '@context': twice, type: ['VerifiableCredential', 'Permit'] }))), ['CONTEXT_PROTECTED_TERM_REDEFINED']);
});

test('a type term must map to an IRI: the base vocabulary maps any term until an inline context removes it', () => {
  const typed = (context: unknown[]) => codes(checkCredential(credential({ '@context': context, type: ['VerifiableCredential', 'ResidentCertificate'] })));
  assert.deepEqual(typed([VC_BASE_CONTEXT]), []);
  assert.deepEqual(typed([VC_BASE_CONTEXT, { '@vocab': null }]), ['TYPE_TERM_UNDEFINED']);
  assert.deepEqual(typed([VC_BASE_CONTEXT, { '@vocab': null, ResidentCertificate: 'https://nara.example/#ResidentCertificate' }]), []);
  assert.deepEqual(typed([VC_BASE_CONTEXT, { ResidentCertificate: null }]), ['TYPE_TERM_UNDEFINED']);
  // A remote context cannot be read, so it may define the term.
  assert.deepEqual(typed([VC_BASE_CONTEXT, { '@vocab': null }, 'https://nara.example/contexts/v1']), []);
  assert.deepEqual(codes(checkCredential(credential({ '@context': [VC_BASE_CONTEXT, { '@vocab': null }], type: ['VerifiableCredential', 'https://nara.example/#ResidentCertificate'] }))), []);
  assert.deepEqual(codes(checkCredential(credential({ '@context': [VC_BASE_CONTEXT, { ResidentCertificate: 'https ://nara.example/#ResidentCertificate' }] }))), ['CONTEXT_TERM_INVALID']);
  // Without a vocabulary, a relative IRI has nothing to resolve against.
  assert.deepEqual(codes(checkCredential(credential({ '@context': [VC_BASE_CONTEXT, { '@vocab': null, ResidentCertificate: 'nara#ResidentCertificate' }] }))), ['CONTEXT_TERM_INVALID']);
});

test('the type terms only the issuer-dependent vocabulary maps are listed for a stricter policy', () => {
  const doc = credential({
    '@context': [VC_BASE_CONTEXT, { Permit: 'https://nara.example/#Permit' }],
    type: ['VerifiableCredential', 'Permit', 'ResidentCertificate'],
    credentialStatus: { type: 'BitstringStatusListEntry', statusPurpose: 'revocation', statusListIndex: '7', statusListCredential: 'https://nara.example/status/1' },
    evidence: { type: 'InPersonCheck' },
  });
  assert.deepEqual(checkCredential(doc), []);
  assert.deepEqual(issuerDependentTypeTerms(doc).sort(), ['InPersonCheck', 'ResidentCertificate']);
  assert.deepEqual(issuerDependentTypeTerms(credential({ '@context': [VC_BASE_CONTEXT, 'https://nara.example/contexts/v1'], type: ['VerifiableCredential', 'ResidentCertificate'] })), []);
});

test('a credential schema needs a URL id; a status entry may omit its id but not give two', () => {
  assert.deepEqual(codes(checkCredential(credential({ credentialSchema: { type: 'JsonSchema' } }))), ['ID_MISSING']);
  assert.deepEqual(codes(checkCredential(credential({ credentialSchema: { id: 'schemas/1', type: 'JsonSchema' } }))), ['ID_INVALID']);
  assert.deepEqual(checkCredential(credential({ credentialSchema: [{ id: 'https://nara.example/schemas/1', type: 'JsonSchema' }] })), []);
  assert.deepEqual(checkCredential(credential({ credentialStatus: { type: 'BitstringStatusListEntry' } })), []);
  assert.deepEqual(codes(checkCredential(credential({ credentialStatus: { id: ['https://a.example/1', 'https://a.example/2'], type: 'BitstringStatusListEntry' } }))), ['ID_INVALID']);
  for (const key of ['credentialStatus', 'termsOfUse', 'evidence', 'refreshService', 'proof']) {
    assert.deepEqual(codes(checkCredential(credential({ [key]: { id: 'https://nara.example/x' } }))), ['TYPE_MISSING'], key);
    assert.deepEqual(codes(checkCredential(credential({ [key]: [] }))), ['OBJECT_INVALID'], key);
  }
});

test('every subject makes at least one claim, and an id on its own is one', () => {
  assert.deepEqual(checkCredential(credential({ credentialSubject: { id: 'did:example:resident-1' } })), []);
  assert.deepEqual(codes(checkCredential(credential({ credentialSubject: [{ id: 'did:example:resident-1' }, {}] }))), ['SUBJECT_NO_CLAIMS']);
  assert.deepEqual(codes(checkCredential(credential({ credentialSubject: [] }))), ['OBJECT_INVALID']);
  assert.deepEqual(codes(checkCredential(credential({ credentialSubject: 'did:example:resident-1' }))), ['OBJECT_INVALID']);
  const { credentialSubject: _, ...withoutSubject } = credential();
  assert.deepEqual(codes(checkCredential(withoutSubject)), ['SUBJECT_MISSING']);
});

test('an id is a single URL: not a list, not null, not a string with a space in its scheme', () => {
  for (const id of [['https://a.example/1'], null, 'https ://a.example/1', 'credential-1', 'https:a.example']) {
    assert.deepEqual(codes(checkCredential(credential({ id }))), ['ID_INVALID'], JSON.stringify(id));
  }
  for (const url of ['did:example:123', 'urn:uuid:0b5b3e1c-6a3e-4a39-9d2c-8a54f5c1e001', 'https://nara.example/verify/2025-0001', 'data:application/vc+jwt,eyJ']) assert.ok(isAbsoluteUrl(url), url);
});

test('names and descriptions are strings or language values with nothing else in them', () => {
  assert.deepEqual(checkCredential(credential({ name: [{ '@value': '주민등록표 등본', '@language': 'ko' }, { '@value': 'Resident registration', '@language': 'en', '@direction': 'ltr' }] })), []);
  assert.deepEqual(codes(checkCredential(credential({ description: { '@value': 'x', '@language': 'en', url: 'https://nara.example' } }))), ['LANGUAGE_VALUE_INVALID']);
  assert.deepEqual(codes(checkCredential(credential({ name: { '@value': 'x', '@direction': 'up' } }))), ['LANGUAGE_VALUE_INVALID']);
});

test('a presentation holds credential or envelope objects, never strings; an envelope carries a data: URL', () => {
  const presentation = (changes: Record<string, unknown>) => ({ '@context': [VC_BASE_CONTEXT], type: ['VerifiablePresentation'], ...changes });
  assert.deepEqual(checkPresentation(presentation({ holder: 'did:example:resident-1', verifiableCredential: [credential()] })), []);
  assert.deepEqual(codes(checkPresentation(presentation({ verifiableCredential: ['eyJhbGciOiJFZERTQSJ9.e30.c2ln'] }))), ['CREDENTIAL_NOT_OBJECT']);
  const envelope = { '@context': VC_BASE_CONTEXT, type: 'EnvelopedVerifiableCredential', id: 'data:application/vc+jwt,eyJhbGciOiJFZERTQSJ9.e30.c2ln' };
  assert.deepEqual(checkPresentation(presentation({ verifiableCredential: envelope })), []);
  assert.deepEqual(codes(checkPresentation(presentation({ verifiableCredential: [{ ...envelope, id: 'https://nara.example/vc/1' }] }))), ['ENVELOPE_ID_INVALID']);
  // A credential inside is checked in full, its problems under its own path.
  assert.deepEqual(
    checkPresentation(presentation({ verifiableCredential: [credential(), credential({ validFrom: 'soon' })] })).map((p) => [p.path, p.code]),
    [['verifiableCredential[1].validFrom', 'DATETIME_INVALID']],
  );
  assert.deepEqual(codes(checkPresentation(presentation({ holder: { name: 'Acme' } }))), ['HOLDER_INVALID']);
  assert.deepEqual(codes(checkPresentation(presentation({ type: ['VerifiableCredential'] }))), ['TYPE_REQUIRED_MISSING']);
});

test('every problem names where it is, a stable code and an English sentence; anything not an object is refused', () => {
  for (const value of [null, 'credential', [credential()], 42]) {
    assert.deepEqual(codes(checkCredential(value)), ['NOT_AN_OBJECT']);
    assert.deepEqual(codes(checkPresentation(value)), ['NOT_AN_OBJECT']);
  }
  const problems = checkCredential({ type: 'VerifiableCredential', credentialSubject: {}, validFrom: 'x' });
  assert.deepEqual(problems.map((p) => p.path).sort(), ['@context', 'credentialSubject', 'issuer', 'validFrom']);
  for (const p of problems) {
    assert.match(p.code, /^[A-Z]+(_[A-Z]+)*$/);
    assert.match(p.message, /^[\x20-\x7e]+$/);
  }
});
