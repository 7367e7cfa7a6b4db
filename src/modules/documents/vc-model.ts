/**
 * Structural conformance to the W3C Verifiable Credentials Data Model 2.0
 * (https://www.w3.org/TR/vc-data-model-2.0/): the normative MUSTs that can be judged from the
 * JSON alone. Pure: no I/O, no JSON-LD processor, no remote context is fetched.
 *
 * What a JSON-LD processor would add and this cannot: the content of remote contexts other
 * than the v2 base context. See `ContextState` for what is assumed about them.
 */

/** One way a document fails the data model. `path` is JavaScript-like: `credentialStatus[1].id`. */
export interface VcProblem {
  path: string;
  code: string;
  message: string;
}

export const VC_BASE_CONTEXT = 'https://www.w3.org/ns/credentials/v2';

/**
 * The top-level terms of the v2 base context (https://www.w3.org/ns/credentials/v2), all
 * protected, with the IRI each maps to. Terms scoped to a type (credentialSubject, issuer,
 * validFrom, holder, statusPurpose, ...) live inside those types' scoped contexts and are not
 * listed: a later context cannot collide with them at the top level.
 */
export const BASE_CONTEXT_TERMS: Readonly<Record<string, string>> = {
  id: '@id',
  type: '@type',
  kid: 'https://www.iana.org/assignments/jose#kid',
  iss: 'https://www.iana.org/assignments/jose#iss',
  sub: 'https://www.iana.org/assignments/jose#sub',
  jku: 'https://www.iana.org/assignments/jose#jku',
  x5u: 'https://www.iana.org/assignments/jose#x5u',
  aud: 'https://www.iana.org/assignments/jwt#aud',
  exp: 'https://www.iana.org/assignments/jwt#exp',
  nbf: 'https://www.iana.org/assignments/jwt#nbf',
  iat: 'https://www.iana.org/assignments/jwt#iat',
  cnf: 'https://www.iana.org/assignments/jwt#cnf',
  _sd_alg: 'https://www.iana.org/assignments/jwt#_sd_alg',
  _sd: 'https://www.iana.org/assignments/jwt#_sd',
  '...': 'https://www.iana.org/assignments/jwt#...',
  digestSRI: 'https://www.w3.org/2018/credentials#digestSRI',
  digestMultibase: 'https://w3id.org/security#digestMultibase',
  encodingFormat: 'https://schema.org/encodingFormat',
  description: 'https://schema.org/description',
  name: 'https://schema.org/name',
  VerifiableCredential: 'https://www.w3.org/2018/credentials#VerifiableCredential',
  VerifiablePresentation: 'https://www.w3.org/2018/credentials#VerifiablePresentation',
  EnvelopedVerifiableCredential: 'https://www.w3.org/2018/credentials#EnvelopedVerifiableCredential',
  EnvelopedVerifiablePresentation: 'https://www.w3.org/2018/credentials#EnvelopedVerifiablePresentation',
  JsonSchemaCredential: 'https://www.w3.org/2018/credentials#JsonSchemaCredential',
  JsonSchema: 'https://www.w3.org/2018/credentials#JsonSchema',
  BitstringStatusListCredential: 'https://www.w3.org/ns/credentials/status#BitstringStatusListCredential',
  BitstringStatusList: 'https://www.w3.org/ns/credentials/status#BitstringStatusList',
  BitstringStatusListEntry: 'https://www.w3.org/ns/credentials/status#BitstringStatusListEntry',
  DataIntegrityProof: 'https://w3id.org/security#DataIntegrityProof',
};

/**
 * Base terms whose definition is a bare IRI (or keyword). Repeating exactly that string is
 * not a redefinition. The others carry scoped contexts this module does not hold, so any
 * later definition of them is treated as a redefinition.
 */
const PLAIN_BASE_TERMS = new Set(['id', 'type', 'description', 'name', 'EnvelopedVerifiableCredential', 'EnvelopedVerifiablePresentation', 'JsonSchemaCredential', 'BitstringStatusListCredential']);

/** The base context's `@vocab`: every term it does not define maps here. */
export const ISSUER_DEPENDENT_VOCAB = 'https://www.w3.org/ns/credentials/issuer-dependent#';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Present as JSON sees it: an own property whose value is not undefined (JSON.stringify drops those). */
const has = (node: Json, key: string) => Object.hasOwn(node, key) && node[key] !== undefined;
const at = (path: string, key: string | number) => (typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key);

// RFC 3986 scheme, then nothing a URL cannot hold unescaped.
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;
const NOT_IN_URLS = /[\s\u0000-\u001f\u007f<>"{}|\\^`]/;
const NEEDS_AUTHORITY = /^(https?|wss?|ftp):/i;

/**
 * An absolute URL (DIDs and URNs included). Stricter than the WHATWG parser, which would
 * strip spaces and repair `https:example.org`; the data model's "URL" is RFC 3986's.
 */
export function isAbsoluteUrl(value: unknown): boolean {
  if (typeof value !== 'string' || !SCHEME.test(value) || NOT_IN_URLS.test(value)) return false;
  if (NEEDS_AUTHORITY.test(value) && !/^[a-z]+:\/\/[^/?#]/i.test(value)) return false;
  return URL.canParse(value);
}

// XML Schema 1.1 dateTimeStamp, as the data model gives it (§4.9), anchored.
const DATE_TIME_STAMP =
  /^(-?(?:[1-9][0-9]{3,}|0[0-9]{3}))-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T(?:([01][0-9]|2[0-3]):([0-5][0-9]):([0-5][0-9])(?:\.([0-9]+))?|(24):00:00(?:\.0+)?)(Z|[+-](?:(?:0[0-9]|1[0-3]):[0-5][0-9]|14:00))$/;

const isLeapYear = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const daysInMonth = (y: number, m: number) => (m === 2 ? (isLeapYear(y) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31);

interface Instant {
  ms: number;
  /** Digits of the fraction beyond milliseconds, to order two stamps in the same millisecond. */
  rest: string;
}

function parseStamp(s: string): Instant | undefined {
  const m = DATE_TIME_STAMP.exec(s);
  if (!m) return undefined;
  const [, ys, mos, ds, hs, mis, ss, frac = '', h24, zone] = m;
  const year = Number(ys);
  const month = Number(mos);
  const day = Number(ds);
  if (day > daysInMonth(year, month)) return undefined;
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  if (h24) d.setUTCHours(24, 0, 0, 0);
  else d.setUTCHours(Number(hs), Number(mis), Number(ss), Number(frac.slice(0, 3).padEnd(3, '0')));
  let ms = d.getTime();
  if (Number.isNaN(ms)) return { ms: Number.NaN, rest: '' };
  if (zone && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    ms -= sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60_000;
  }
  return { ms, rest: frac.slice(3).replace(/0+$/, '') };
}

/** An XML Schema 1.1 dateTimeStamp: a dateTime with a time zone, fractional seconds allowed. */
export function isDateTimeStamp(s: string): boolean {
  return typeof s === 'string' && parseStamp(s) !== undefined;
}

/** Milliseconds since the epoch of a dateTimeStamp; undefined if it is not one or lies beyond what a Date holds. */
export function dateTimeStampMillis(s: string): number | undefined {
  const instant = typeof s === 'string' ? parseStamp(s) : undefined;
  return instant && !Number.isNaN(instant.ms) ? instant.ms : undefined;
}

/** Negative, zero or positive as `a` is before, at or after `b`; undefined when either is out of range. */
function compareStamps(a: Instant, b: Instant): number | undefined {
  if (Number.isNaN(a.ms) || Number.isNaN(b.ms)) return undefined;
  if (a.ms !== b.ms) return a.ms - b.ms;
  const width = Math.max(a.rest.length, b.rest.length);
  const ra = a.rest.padEnd(width, '0');
  const rb = b.rest.padEnd(width, '0');
  return ra < rb ? -1 : ra > rb ? 1 : 0;
}

/**
 * What the `@context` says about terms, as far as it can be known without fetching.
 *
 * Remote contexts. A context URL other than the base one may define any term and may set a
 * `@vocab`; without fetching it nothing can be proven undefined, so once one is present every
 * term is taken as mapped. The fixtures agree: `credential-optional-type-ok` relies on the
 * examples context for `RelationshipCredential`. What is lost is detecting a remote context
 * that redefines a protected base term; a verifier that cares pins its contexts.
 *
 * The base context itself sets `@vocab` to the issuer-dependent namespace, so under JSON-LD
 * any term it does not define still maps to an IRI; a term is unmapped only after an inline
 * `"@vocab": null` or an explicit `"Term": null`, as `credential-type-unmapped-fail` does.
 */
interface ContextState {
  /** Terms defined by the base or an inline context, mapped to a non-null IRI. */
  defined: Set<string>;
  /** Terms an inline context set to null: they expand to nothing, vocabulary or not. */
  nulled: Set<string>;
  /** Which `@vocab` is in force. */
  vocab: 'base' | 'inline' | null;
  /** A remote context other than the base one is present. */
  remote: boolean;
}

function freshState(): ContextState {
  return { defined: new Set(Object.keys(BASE_CONTEXT_TERMS)), nulled: new Set(), vocab: null, remote: false };
}

const isKeyword = (s: string) => s.startsWith('@');

/** Reads `@context`, reporting what breaks its rules; returns what it establishes. */
function readContext(doc: Json, path: string, problems: VcProblem[]): ContextState {
  const state = freshState();
  const contextPath = at(path, '@context');
  if (!has(doc, '@context')) {
    problems.push({ path: contextPath, code: 'CONTEXT_MISSING', message: `@context is required and its first item must be ${VC_BASE_CONTEXT}` });
    return state;
  }
  const raw = doc['@context'];
  // A single value is a set of one (JSON-LD compacts one-item arrays to the item).
  const items = Array.isArray(raw) ? raw : [raw];
  if (items[0] !== VC_BASE_CONTEXT) {
    problems.push({ path: Array.isArray(raw) ? at(contextPath, 0) : contextPath, code: 'CONTEXT_BASE_NOT_FIRST', message: `the first item of @context must be exactly ${VC_BASE_CONTEXT}` });
  }
  // Inline-protected terms with the definition they were protected with.
  const protectedInline = new Map<string, string>();
  items.forEach((item, index) => {
    const itemPath = Array.isArray(raw) ? at(contextPath, index) : contextPath;
    if (item === VC_BASE_CONTEXT) {
      state.vocab = 'base';
      return;
    }
    if (typeof item === 'string') {
      if (isAbsoluteUrl(item)) state.remote = true;
      else problems.push({ path: itemPath, code: 'CONTEXT_ITEM_INVALID', message: `an @context item must be a URL or an object; ${JSON.stringify(item)} is not a URL` });
      return;
    }
    if (!isObject(item)) {
      problems.push({ path: itemPath, code: 'CONTEXT_ITEM_INVALID', message: `an @context item must be a URL or an object, not ${JSON.stringify(item)}` });
      return;
    }
    readInlineContext(item, itemPath, state, protectedInline, problems);
  });
  return state;
}

function readInlineContext(context: Json, path: string, state: ContextState, protectedInline: Map<string, string>, problems: VcProblem[]) {
  const protectsAll = context['@protected'] === true;
  if (has(context, '@vocab')) {
    const vocab = context['@vocab'];
    if (vocab === null) state.vocab = null;
    else if (typeof vocab === 'string') state.vocab = 'inline';
    else problems.push({ path: at(path, '@vocab'), code: 'CONTEXT_TERM_INVALID', message: '@vocab must be an IRI or null' });
  }
  if (typeof context['@import'] === 'string') state.remote = true;
  for (const [term, definition] of Object.entries(context)) {
    if (isKeyword(term)) continue;
    const termPath = at(path, term);
    const baseDefinition = BASE_CONTEXT_TERMS[term];
    if (baseDefinition !== undefined && !(PLAIN_BASE_TERMS.has(term) && definition === baseDefinition)) {
      problems.push({ path: termPath, code: 'CONTEXT_PROTECTED_TERM_REDEFINED', message: `${term} is a protected term of the base context and cannot be redefined` });
      continue;
    }
    const canonical = JSON.stringify(definition);
    const earlier = protectedInline.get(term);
    if (earlier !== undefined && earlier !== canonical) {
      problems.push({ path: termPath, code: 'CONTEXT_PROTECTED_TERM_REDEFINED', message: `${term} was protected by an earlier context and cannot be redefined` });
      continue;
    }
    const iri = definition === null ? null : typeof definition === 'string' ? definition : isObject(definition) ? definition['@id'] : undefined;
    if (iri === null) {
      state.defined.delete(term);
      state.nulled.add(term);
    } else if (iri === undefined && isObject(definition)) {
      // No @id: the term expands as an IRI itself or through @vocab.
      if (!isAbsoluteUrl(term) && state.vocab === null && !state.remote) {
        problems.push({ path: termPath, code: 'CONTEXT_TERM_INVALID', message: `${term} has no @id and no @vocab is in force to map it` });
        continue;
      }
      state.defined.add(term);
      state.nulled.delete(term);
    } else if (typeof iri === 'string' && (isKeyword(iri) || isAbsoluteUrl(iri) || (!iri.includes(':') && (state.defined.has(iri) || state.vocab !== null)))) {
      state.defined.add(term);
      state.nulled.delete(term);
    } else {
      problems.push({ path: termPath, code: 'CONTEXT_TERM_INVALID', message: `${term} must map to an absolute IRI; ${JSON.stringify(iri ?? definition)} is not one` });
      continue;
    }
    const protectsTerm = isObject(definition) && typeof definition['@protected'] === 'boolean' ? definition['@protected'] : protectsAll;
    if (protectsTerm) protectedInline.set(term, canonical);
  }
}

/** How a type term maps: through an IRI of its own or a definition, the issuer-dependent vocabulary, or not at all. */
function typeMapping(term: string, state: ContextState): 'defined' | 'issuer-dependent' | 'unmapped' {
  if (isAbsoluteUrl(term) || state.defined.has(term) || state.remote) return 'defined';
  if (state.nulled.has(term)) return 'unmapped';
  if (state.vocab === 'inline') return 'defined';
  if (state.vocab === 'base') return 'issuer-dependent';
  return 'unmapped';
}

/** The values of `type`, or undefined (with a problem) when it is not a string or a non-empty array of strings. */
function readType(node: Json, path: string, state: ContextState, problems: VcProblem[]): string[] | undefined {
  const typePath = at(path, 'type');
  if (!has(node, 'type')) {
    problems.push({ path: typePath, code: 'TYPE_MISSING', message: 'type is required' });
    return undefined;
  }
  const raw = node.type;
  const values = typeof raw === 'string' ? [raw] : Array.isArray(raw) && raw.length > 0 && raw.every((t) => typeof t === 'string' && t !== '') ? (raw as string[]) : undefined;
  if (!values || values.includes('')) {
    problems.push({ path: typePath, code: 'TYPE_INVALID', message: 'type must be a term or absolute URL, or a non-empty array of them' });
    return undefined;
  }
  values.forEach((term, i) => {
    if (typeMapping(term, state) === 'unmapped') {
      problems.push({ path: typeof raw === 'string' ? typePath : at(typePath, i), code: 'TYPE_TERM_UNDEFINED', message: `${term} is neither an absolute URL nor a term the @context maps to one` });
    }
  });
  return values;
}

function requireType(node: Json, path: string, state: ContextState, required: string, problems: VcProblem[]) {
  const types = readType(node, path, state, problems);
  if (types && !types.includes(required)) {
    problems.push({ path: at(path, 'type'), code: 'TYPE_REQUIRED_MISSING', message: `type must include ${required}` });
  }
}

function checkOptionalId(node: Json, path: string, problems: VcProblem[]) {
  if (has(node, 'id') && !isAbsoluteUrl(node.id)) {
    problems.push({ path: at(path, 'id'), code: 'ID_INVALID', message: 'id, when present, must be a single URL' });
  }
}

const LANGUAGE_TAG = /^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/;

/** A string, a language value object (§11.1), or a non-empty array of them. */
function isLanguageValue(value: unknown): boolean {
  const one = (v: unknown) =>
    typeof v === 'string' ||
    (isObject(v) &&
      typeof v['@value'] === 'string' &&
      Object.keys(v).every((k) => k === '@value' || k === '@language' || k === '@direction') &&
      (!has(v, '@language') || (typeof v['@language'] === 'string' && LANGUAGE_TAG.test(v['@language']))) &&
      (!has(v, '@direction') || v['@direction'] === 'ltr' || v['@direction'] === 'rtl'));
  return Array.isArray(value) ? value.length > 0 && value.every(one) : one(value);
}

function checkNames(node: Json, path: string, problems: VcProblem[]) {
  for (const key of ['name', 'description'] as const) {
    if (has(node, key) && !isLanguageValue(node[key])) {
      problems.push({ path: at(path, key), code: 'LANGUAGE_VALUE_INVALID', message: `${key} must be a string or a language value object (@value, optional @language and @direction, nothing else)` });
    }
  }
}

/** An object or a non-empty array of objects; reports and returns [] otherwise. */
function objectsOf(value: unknown, path: string, problems: VcProblem[]): Array<{ node: Json; path: string }> {
  if (isObject(value)) return [{ node: value, path }];
  if (Array.isArray(value) && value.length > 0 && value.every(isObject)) return value.map((node, i) => ({ node, path: at(path, i) }));
  problems.push({ path, code: 'OBJECT_INVALID', message: `${path.split('.').pop()} must be an object or a non-empty array of objects` });
  return [];
}

/** Properties whose every value must state its type; `id` as the data model asks for each. */
const TYPED_PROPERTIES: ReadonlyArray<{ key: string; id: 'required' | 'optional' }> = [
  { key: 'credentialStatus', id: 'optional' },
  { key: 'credentialSchema', id: 'required' },
  { key: 'refreshService', id: 'optional' },
  { key: 'termsOfUse', id: 'optional' },
  { key: 'evidence', id: 'optional' },
  { key: 'proof', id: 'optional' },
];

function checkTypedProperties(doc: Json, path: string, state: ContextState, keys: readonly string[], problems: VcProblem[]) {
  for (const { key, id } of TYPED_PROPERTIES) {
    if (!keys.includes(key) || !has(doc, key)) continue;
    for (const item of objectsOf(doc[key], at(path, key), problems)) {
      readType(item.node, item.path, state, problems);
      if (id === 'required' && !has(item.node, 'id')) problems.push({ path: at(item.path, 'id'), code: 'ID_MISSING', message: `each ${key} must have an id` });
      else checkOptionalId(item.node, item.path, problems);
    }
  }
}

function checkRelatedResources(doc: Json, path: string, problems: VcProblem[]) {
  if (!has(doc, 'relatedResource')) return;
  for (const item of objectsOf(doc.relatedResource, at(path, 'relatedResource'), problems)) {
    if (!isAbsoluteUrl(item.node.id)) problems.push({ path: at(item.path, 'id'), code: 'ID_INVALID', message: 'each relatedResource must have a URL id' });
    if (!has(item.node, 'digestSRI') && !has(item.node, 'digestMultibase')) {
      problems.push({ path: item.path, code: 'DIGEST_MISSING', message: 'each relatedResource must have digestSRI or digestMultibase' });
    }
  }
}

function checkIssuer(doc: Json, path: string, problems: VcProblem[]) {
  const issuerPath = at(path, 'issuer');
  if (!has(doc, 'issuer')) {
    problems.push({ path: issuerPath, code: 'ISSUER_MISSING', message: 'issuer is required' });
    return;
  }
  const issuer = doc.issuer;
  if (isObject(issuer)) {
    if (!isAbsoluteUrl(issuer.id)) problems.push({ path: at(issuerPath, 'id'), code: 'ISSUER_INVALID', message: 'an issuer object must have an id that is a URL' });
    checkNames(issuer, issuerPath, problems);
  } else if (!isAbsoluteUrl(issuer)) {
    problems.push({ path: issuerPath, code: 'ISSUER_INVALID', message: 'issuer must be a URL or an object whose id is a URL' });
  }
}

function checkSubjects(doc: Json, path: string, state: ContextState, problems: VcProblem[]) {
  const subjectPath = at(path, 'credentialSubject');
  if (!has(doc, 'credentialSubject')) {
    problems.push({ path: subjectPath, code: 'SUBJECT_MISSING', message: 'credentialSubject is required' });
    return;
  }
  for (const { node, path: p } of objectsOf(doc.credentialSubject, subjectPath, problems)) {
    // `id` alone is a claim about the subject (credential-ok has nothing else); {} is none.
    if (Object.keys(node).length === 0) problems.push({ path: p, code: 'SUBJECT_NO_CLAIMS', message: 'each credentialSubject must make at least one claim' });
    checkOptionalId(node, p, problems);
    if (has(node, 'type')) readType(node, p, state, problems);
  }
}

function checkValidity(doc: Json, path: string, problems: VcProblem[]) {
  const stamps: Partial<Record<'validFrom' | 'validUntil', Instant>> = {};
  for (const key of ['validFrom', 'validUntil'] as const) {
    if (!has(doc, key)) continue;
    const value = doc[key];
    const instant = typeof value === 'string' ? parseStamp(value) : undefined;
    if (instant) stamps[key] = instant;
    else problems.push({ path: at(path, key), code: 'DATETIME_INVALID', message: `${key} must be an XML Schema dateTimeStamp, such as 2024-01-01T00:00:00Z` });
  }
  if (stamps.validFrom && stamps.validUntil) {
    const order = compareStamps(stamps.validFrom, stamps.validUntil);
    if (order !== undefined && order > 0) problems.push({ path: at(path, 'validUntil'), code: 'VALIDITY_PERIOD_INVERTED', message: 'validUntil must not be before validFrom' });
  }
}

function checkCredentialAt(value: unknown, path: string, problems: VcProblem[]) {
  if (!isObject(value)) {
    problems.push({ path, code: 'NOT_AN_OBJECT', message: 'a credential must be a JSON object' });
    return;
  }
  const state = readContext(value, path, problems);
  checkOptionalId(value, path, problems);
  requireType(value, path, state, 'VerifiableCredential', problems);
  checkNames(value, path, problems);
  checkIssuer(value, path, problems);
  checkSubjects(value, path, state, problems);
  checkValidity(value, path, problems);
  checkTypedProperties(value, path, state, ['credentialStatus', 'credentialSchema', 'refreshService', 'termsOfUse', 'evidence', 'proof'], problems);
  checkRelatedResources(value, path, problems);
}

/** §4.13.1: an envelope names the base context, is typed, and carries its credential in a data: URL. */
function checkEnvelope(value: Json, path: string, problems: VcProblem[]) {
  const state = readContext(value, path, problems);
  requireType(value, path, state, 'EnvelopedVerifiableCredential', problems);
  if (typeof value.id !== 'string' || !/^data:[^,]*,/.test(value.id)) {
    problems.push({ path: at(path, 'id'), code: 'ENVELOPE_ID_INVALID', message: 'an EnvelopedVerifiableCredential id must be a data: URL holding the secured credential' });
  }
}

const typesOf = (node: Json): unknown[] => (Array.isArray(node.type) ? node.type : [node.type]);

/** Whether `item` of a presentation's verifiableCredential is an envelope rather than a credential. */
export function isEnvelopedCredential(item: unknown): item is Json & { id: string } {
  return isObject(item) && typesOf(item).includes('EnvelopedVerifiableCredential');
}

/** Problems that make `value` not a conforming verifiable credential; [] when it conforms. */
export function checkCredential(value: unknown): VcProblem[] {
  const problems: VcProblem[] = [];
  checkCredentialAt(value, '', problems);
  return problems;
}

/**
 * Problems that make `value` not a conforming verifiable presentation; [] when it conforms.
 * Each embedded credential is checked in full; an envelope only for its shape (opening it is
 * the securing mechanism's work).
 */
export function checkPresentation(value: unknown): VcProblem[] {
  const problems: VcProblem[] = [];
  if (!isObject(value)) return [{ path: '', code: 'NOT_AN_OBJECT', message: 'a presentation must be a JSON object' }];
  const state = readContext(value, '', problems);
  checkOptionalId(value, '', problems);
  requireType(value, '', state, 'VerifiablePresentation', problems);
  if (has(value, 'holder')) {
    const holder = value.holder;
    const ok = isObject(holder) ? isAbsoluteUrl(holder.id) : isAbsoluteUrl(holder);
    if (!ok) problems.push({ path: 'holder', code: 'HOLDER_INVALID', message: 'holder must be a URL or an object whose id is a URL' });
  }
  if (has(value, 'verifiableCredential')) {
    const raw = value.verifiableCredential;
    const items = Array.isArray(raw) ? raw : [raw];
    if (items.length === 0) problems.push({ path: 'verifiableCredential', code: 'OBJECT_INVALID', message: 'verifiableCredential, when present, must hold at least one credential' });
    items.forEach((item, i) => {
      const p = Array.isArray(raw) ? at('verifiableCredential', i) : 'verifiableCredential';
      if (!isObject(item)) {
        problems.push({ path: p, code: 'CREDENTIAL_NOT_OBJECT', message: 'each verifiableCredential must be a credential or envelope object, not a string, number or URL' });
      } else if (isEnvelopedCredential(item)) {
        checkEnvelope(item, p, problems);
      } else if (!has(item, 'type') && typeof item.id === 'string' && item.id.startsWith('data:')) {
        problems.push({ path: at(p, 'type'), code: 'TYPE_MISSING', message: 'an envelope (data: URL id) must have type EnvelopedVerifiableCredential' });
      } else {
        checkCredentialAt(item, p, problems);
      }
    });
  }
  checkTypedProperties(value, '', state, ['termsOfUse', 'proof'], problems);
  return problems;
}

/**
 * Type terms of a credential or presentation (its own, its subjects' and its typed
 * properties') that no context defines and that map only through the base context's
 * issuer-dependent `@vocab`. They conform, but their meaning is the issuer's alone; an
 * issuer or verifier may refuse them as policy.
 */
export function issuerDependentTypeTerms(value: unknown): string[] {
  if (!isObject(value)) return [];
  const found = new Set<string>();
  const visit = (doc: Json) => {
    const state = readContext(doc, '', []);
    const nodes: Json[] = [doc];
    for (const key of ['credentialSubject', ...TYPED_PROPERTIES.map((p) => p.key)]) {
      const v = doc[key];
      for (const n of Array.isArray(v) ? v : [v]) if (isObject(n)) nodes.push(n);
    }
    for (const node of nodes) {
      for (const t of typesOf(node)) if (typeof t === 'string' && typeMapping(t, state) === 'issuer-dependent') found.add(t);
    }
  };
  visit(value);
  const vcs = value.verifiableCredential;
  for (const vc of Array.isArray(vcs) ? vcs : [vcs]) if (isObject(vc) && !isEnvelopedCredential(vc)) visit(vc);
  return [...found];
}
