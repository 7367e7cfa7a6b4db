/**
 * Verifiable credentials and presentations secured with JOSE, as W3C "Securing Verifiable
 * Credentials using JOSE and COSE" (https://www.w3.org/TR/vc-jose-cose/) specifies: a compact
 * JWS whose payload is the credential (or presentation) itself, typed `vc+jwt` (`vp+jwt`).
 *
 * Verification never throws for what it is given: every refusal is `{ ok: false, code }`.
 */
import { createPublicKey, KeyObject, verify as verifySignature, type webcrypto } from 'node:crypto';
import { CompactSign, compactVerify, errors, type JWK } from 'jose';
import { checkCredential, checkPresentation, dateTimeStampMillis, isAbsoluteUrl, isEnvelopedCredential, type VcProblem } from './vc-model.ts';

/**
 * Signature algorithms a verifier accepts. Asymmetric only: `none` and the HMAC family would
 * let anyone holding (or guessing) a shared secret mint credentials.
 */
export const VC_JOSE_ALGORITHMS = ['EdDSA', 'ES256', 'ES384', 'ES512'] as const;

export type VerificationKey = KeyObject | webcrypto.CryptoKey | JWK;

/** The protected header as received; only `alg` is known to be a string. */
export interface VcJoseHeader {
  alg: string;
  typ?: unknown;
  cty?: unknown;
  kid?: unknown;
  [parameter: string]: unknown;
}

/**
 * What a key resolver is told besides the header. `party` is the issuer (credential) or
 * holder (presentation) URL the payload claims, not yet verified: the resolver must return a
 * key only if that party controls it (a verification method of that party's controller
 * document), or a valid signature proves nothing about who issued.
 */
export interface KeyRequest {
  kind: 'credential' | 'presentation';
  party: string | undefined;
}

export type ResolveKey = (header: VcJoseHeader, request: KeyRequest) => Promise<VerificationKey | undefined>;

export interface VerifyOptions {
  /** The moment validity is judged at; now by default. */
  now?: Date;
  /** Whether validFrom/validUntil (and JWT nbf/exp) are enforced; true by default. */
  checkValidity?: boolean;
}

export interface PresentationVerifyOptions extends VerifyOptions {
  /** When set, the presentation's `aud` must name it. */
  audience?: string;
  /** When set, the presentation's `nonce` must equal it. */
  nonce?: string;
  /**
   * Envelopes secured other than as `vc+jwt` (SD-JWT, COSE) cannot be checked here. Refused by
   * default; with 'report' they are listed in `unverified` and never in `credentials`.
   */
  unsupportedEnvelopes?: 'reject' | 'report';
}

export type VcJoseCode =
  | 'JWS_MALFORMED'
  | 'ALG_NOT_ALLOWED'
  | 'MEDIA_TYPE_INVALID'
  | 'CRIT_UNSUPPORTED'
  | 'KID_INVALID'
  | 'UNKNOWN_KEY'
  | 'KEY_UNSUITABLE'
  | 'SIGNATURE_INVALID'
  | 'PAYLOAD_INVALID'
  | 'VC_VP_CLAIMS_PRESENT'
  | 'CREDENTIAL_INVALID'
  | 'PRESENTATION_INVALID'
  | 'ISSUER_MISMATCH'
  | 'HOLDER_MISMATCH'
  | 'CLAIM_INVALID'
  | 'NOT_YET_VALID'
  | 'EXPIRED'
  | 'AUDIENCE_MISMATCH'
  | 'NONCE_MISMATCH'
  | 'CREDENTIAL_NOT_ENVELOPED'
  | 'ENVELOPE_MEDIA_TYPE_UNSUPPORTED'
  | 'ENVELOPED_CREDENTIAL_INVALID'
  | 'HOLDER_MISSING'
  | 'SELF_ASSERTED_ISSUER_MISMATCH';

export interface VcJoseFailure {
  ok: false;
  code: VcJoseCode;
  message: string;
  /** The data model problems, for CREDENTIAL_INVALID and PRESENTATION_INVALID. */
  problems?: VcProblem[];
  /** Which `verifiableCredential` item failed, for the envelope codes. */
  credentialIndex?: number;
  /** Why an enveloped credential failed. */
  cause?: VcJoseFailure;
}

export interface VerifiedCredential {
  ok: true;
  credential: Record<string, unknown>;
  header: VcJoseHeader;
}

export interface VerifiedPresentation {
  ok: true;
  presentation: Record<string, unknown>;
  header: VcJoseHeader;
  /** The enveloped credentials, each verified, by their index in `verifiableCredential`. */
  credentials: Array<{ index: number; credential: Record<string, unknown>; header: VcJoseHeader }>;
  /** Envelopes passed through unchecked (only with `unsupportedEnvelopes: 'report'`). */
  unverified: Array<{ index: number; mediaType: string }>;
}

export interface SigningKeyInput {
  privateKey: KeyObject | webcrypto.CryptoKey;
  /** The verification method's URL, e.g. `https://…/issuers/moj#<thumbprint>`. */
  kid: string;
}

type Json = Record<string, unknown>;
type Kind = KeyRequest['kind'];

const MEDIA = { credential: { typ: 'vc+jwt', cty: 'vc' }, presentation: { typ: 'vp+jwt', cty: 'vp' } } as const;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const fail = (code: VcJoseCode, message: string, extra: Partial<VcJoseFailure> = {}): VcJoseFailure => ({ ok: false, code, message, ...extra });

/**
 * RFC 7515 §4.1.9: a `typ` without a slash means `application/` plus it; media types compare
 * case-insensitively.
 */
function isMediaType(value: unknown, subtype: string): boolean {
  if (typeof value !== 'string') return false;
  const v = value.toLowerCase();
  return v === subtype || v === `application/${subtype}`;
}

const partyOf = (value: unknown): string | undefined => (typeof value === 'string' ? value : isObject(value) && typeof value.id === 'string' ? value.id : undefined);

async function sign(document: object, key: SigningKeyInput, kind: Kind): Promise<string> {
  if ((document as Json).vc !== undefined || (document as Json).vp !== undefined) throw new TypeError('vc-jose: the payload must not carry vc or vp claims');
  const problems = kind === 'credential' ? checkCredential(document) : checkPresentation(document);
  if (kind === 'presentation') {
    const items = (document as Json).verifiableCredential;
    for (const [i, item] of (Array.isArray(items) ? items : items === undefined ? [] : [items]).entries()) {
      if (!isEnvelopedCredential(item)) problems.push({ path: `verifiableCredential[${i}]`, code: 'CREDENTIAL_NOT_ENVELOPED', message: 'a vp+jwt carries its credentials as EnvelopedVerifiableCredential' });
    }
  }
  if (problems.length > 0) {
    throw new TypeError(`vc-jose: refusing to sign a non-conforming ${kind}: ${problems.map((p) => `${p.path || '(root)'} ${p.code}`).join(', ')}`);
  }
  // No `iss` is added, so the kid is how a verifier finds the key: it must be a URL.
  if (!isAbsoluteUrl(key.kid)) throw new TypeError('vc-jose: kid must be the absolute URL of a verification method');
  const { typ, cty } = MEDIA[kind];
  return new CompactSign(new TextEncoder().encode(JSON.stringify(document))).setProtectedHeader({ alg: 'EdDSA', typ, cty, kid: key.kid }).sign(key.privateKey);
}

/** A compact JWS `vc+jwt` of `credential` signed with an Ed25519 key. Throws if the credential does not conform. */
export function signCredential(credential: object, key: SigningKeyInput): Promise<string> {
  return sign(credential, key, 'credential');
}

/** A compact JWS `vp+jwt` of `presentation`; its credentials must be envelopes. Throws if it does not conform. */
export function signPresentation(presentation: object, key: SigningKeyInput): Promise<string> {
  return sign(presentation, key, 'presentation');
}

/** The SPKI bytes of a key, to tell whether two resolved keys are the same; undefined if unreadable. */
function spkiOf(key: VerificationKey): string | undefined {
  try {
    const object = key instanceof KeyObject ? key : 'kty' in key ? createPublicKey({ key: key as Record<string, string>, format: 'jwk' }) : KeyObject.from(key as webcrypto.CryptoKey);
    return createPublicKey(object).export({ type: 'spki', format: 'der' }).toString('base64');
  } catch {
    return undefined;
  }
}

type Verified = { ok: true; payload: Json; header: VcJoseHeader; key: VerificationKey };

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * Whether `part` (already known to hold only base64url characters) is the one unpadded
 * base64url spelling of its bytes: no length that leaves a lone character, and no stray bits
 * in the last character (two spare bits after 3 characters, four after 2).
 */
function isCanonicalBase64url(part: string): boolean {
  const rest = part.length % 4;
  if (rest === 1) return false;
  if (rest === 0) return true;
  const last = BASE64URL.indexOf(part[part.length - 1]!);
  return (last & (rest === 2 ? 0b1111 : 0b11)) === 0;
}

// An empty signature is let through to be refused by name (alg none), not as malformed.
const COMPACT_JWS = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]*)$/;

/** Everything both verifications share: the header, the key, the signature, the claims. */
async function verifyJws(jwt: unknown, kind: Kind, resolveKey: ResolveKey, options: VerifyOptions): Promise<Verified | VcJoseFailure> {
  const parts = typeof jwt === 'string' ? COMPACT_JWS.exec(jwt) : null;
  if (typeof jwt !== 'string' || !parts) return fail('JWS_MALFORMED', 'not a compact JWS');
  // Stray bits in a final base64url character would let one signature travel as several
  // strings; Nara compares issued credentials byte for byte, so only the canonical one passes.
  if (!isCanonicalBase64url(parts[1]!) || !isCanonicalBase64url(parts[2]!) || !isCanonicalBase64url(parts[3]!)) {
    return fail('JWS_MALFORMED', 'a part of the JWS is not canonical base64url');
  }
  let header: VcJoseHeader;
  let unverified: unknown;
  try {
    const decoded: unknown = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
    if (!isObject(decoded)) throw new TypeError('the header is not a JSON object');
    header = decoded as VcJoseHeader;
    unverified = JSON.parse(Buffer.from(parts[2]!, 'base64url').toString('utf8'));
  } catch {
    return fail('JWS_MALFORMED', 'the header or payload is not base64url JSON');
  }
  if (!(VC_JOSE_ALGORITHMS as readonly unknown[]).includes(header.alg)) {
    return fail('ALG_NOT_ALLOWED', `alg must be one of ${VC_JOSE_ALGORITHMS.join(', ')}`);
  }
  // No extension is understood, so any critical one must be refused (RFC 7515 §4.1.11).
  if ('crit' in header) return fail('CRIT_UNSUPPORTED', 'the header has critical parameters this verifier does not understand');
  const { typ, cty } = MEDIA[kind];
  if (!isMediaType(header.typ, typ)) return fail('MEDIA_TYPE_INVALID', `typ must be ${typ}`);
  if ('cty' in header && !isMediaType(header.cty, cty)) return fail('MEDIA_TYPE_INVALID', `cty, when present, must be ${cty}`);
  if (!isObject(unverified)) return fail('PAYLOAD_INVALID', 'the payload is not a JSON object');
  if ('kid' in header && typeof header.kid !== 'string') return fail('KID_INVALID', 'kid must be a string');
  // Without iss, the kid is the only pointer to the signer's controller document.
  if (!('iss' in unverified) && !isAbsoluteUrl(header.kid)) return fail('KID_INVALID', 'without iss, kid must be the absolute URL of a verification method');

  const party = partyOf(kind === 'credential' ? unverified.issuer : unverified.holder);
  let key: VerificationKey | undefined;
  try {
    key = await resolveKey(header, { kind, party });
  } catch {
    key = undefined;
  }
  if (!key) return fail('UNKNOWN_KEY', 'no verification key is known for this kid and party');

  let bytes: Uint8Array;
  try {
    if (header.alg === 'EdDSA' && key instanceof KeyObject && key.type === 'public' && key.asymmetricKeyType === 'ed25519') {
      // Nara's own credentials: one Ed25519 verification on libuv's thread pool, without
      // WebCrypto's preparations or jose decoding the parts a second time (the verification
      // itself stays off this thread, where it would cost more than the whole request else).
      // Every other key and algorithm goes through jose.
      const signed = Buffer.from(`${parts[1]}.${parts[2]}`, 'ascii');
      const signature = Buffer.from(parts[3]!, 'base64url');
      const valid = await new Promise<boolean>((resolve, reject) => verifySignature(null, signed, key, signature, (error, ok) => (error ? reject(error) : resolve(ok))));
      if (!valid) {
        return fail('SIGNATURE_INVALID', 'the signature does not verify');
      }
      bytes = Buffer.from(parts[2]!, 'base64url');
    } else {
      ({ payload: bytes } = await compactVerify(jwt, key, { algorithms: [...VC_JOSE_ALGORITHMS] }));
    }
  } catch (error) {
    if (error instanceof errors.JWSSignatureVerificationFailed) return fail('SIGNATURE_INVALID', 'the signature does not verify');
    if (error instanceof errors.JWSInvalid) return fail('JWS_MALFORMED', 'not a valid JWS');
    return fail('KEY_UNSUITABLE', 'the resolved key cannot verify this algorithm');
  }
  let payload: unknown;
  try {
    payload = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return fail('PAYLOAD_INVALID', 'the payload is not UTF-8 JSON');
  }
  if (!isObject(payload)) return fail('PAYLOAD_INVALID', 'the payload is not a JSON object');
  if ('vc' in payload || 'vp' in payload) return fail('VC_VP_CLAIMS_PRESENT', 'the payload must be the document itself, without vc or vp claims');

  const problems = kind === 'credential' ? checkCredential(payload) : checkPresentation(payload);
  if (problems.length > 0) {
    return fail(kind === 'credential' ? 'CREDENTIAL_INVALID' : 'PRESENTATION_INVALID', `the ${kind} does not conform to the data model`, { problems });
  }
  const claimedParty = partyOf(kind === 'credential' ? payload.issuer : payload.holder);
  if ('iss' in payload && claimedParty !== undefined && payload.iss !== claimedParty) {
    return kind === 'credential' ? fail('ISSUER_MISMATCH', 'iss must equal the issuer') : fail('HOLDER_MISMATCH', 'iss must equal the holder');
  }
  for (const claim of ['exp', 'nbf'] as const) {
    if (claim in payload && !(typeof payload[claim] === 'number' && Number.isFinite(payload[claim]))) return fail('CLAIM_INVALID', `${claim} must be a NumericDate`);
  }
  if (options.checkValidity !== false) {
    const now = (options.now ?? new Date()).getTime();
    const from = typeof payload.validFrom === 'string' ? dateTimeStampMillis(payload.validFrom) : undefined;
    const until = typeof payload.validUntil === 'string' ? dateTimeStampMillis(payload.validUntil) : undefined;
    if ((from !== undefined && now < from) || (typeof payload.nbf === 'number' && now < payload.nbf * 1000)) {
      return fail('NOT_YET_VALID', `the ${kind} is not valid yet`);
    }
    if ((until !== undefined && now > until) || (typeof payload.exp === 'number' && now >= payload.exp * 1000)) {
      return fail('EXPIRED', `the ${kind} has expired`);
    }
  }
  return { ok: true, payload, header, key };
}

/** Verifies a `vc+jwt`: signature, media type, payload as a conforming credential, validity. */
export async function verifyCredentialJwt(jwt: string, resolveKey: ResolveKey, options: VerifyOptions = {}): Promise<VerifiedCredential | VcJoseFailure> {
  try {
    const result = await verifyJws(jwt, 'credential', resolveKey, options);
    return result.ok ? { ok: true, credential: result.payload, header: result.header } : result;
  } catch {
    return fail('JWS_MALFORMED', 'the credential could not be read');
  }
}

const DATA_URL = /^data:([^,;]*)((?:;[^,]*)*),(.*)$/s;

/** The media type and text of an envelope's data: URL; undefined when it is not one. */
function openDataUrl(url: string): { mediaType: string; text: string } | undefined {
  const m = DATA_URL.exec(url);
  if (!m) return undefined;
  const [, mediaType = '', params = '', data = ''] = m;
  try {
    const base64 = params.split(';').some((p) => p.toLowerCase() === 'base64');
    return { mediaType: mediaType.toLowerCase(), text: base64 ? Buffer.from(data, 'base64').toString('utf8') : decodeURIComponent(data) };
  } catch {
    return undefined;
  }
}

async function verifyPresentation(jwt: string, resolveKey: ResolveKey, options: PresentationVerifyOptions): Promise<VerifiedPresentation | VcJoseFailure> {
  const outer = await verifyJws(jwt, 'presentation', resolveKey, options);
  if (!outer.ok) return outer;
  const { payload: presentation, header, key } = outer;
  if (options.audience !== undefined) {
    const aud = presentation.aud;
    const audiences = Array.isArray(aud) ? aud : [aud];
    if (!audiences.includes(options.audience)) return fail('AUDIENCE_MISMATCH', 'the presentation is not addressed to this verifier');
  }
  if (options.nonce !== undefined && presentation.nonce !== options.nonce) return fail('NONCE_MISMATCH', 'the presentation does not carry the expected nonce');

  const holder = partyOf(presentation.holder);
  const vpKey = spkiOf(key);
  const raw = presentation.verifiableCredential;
  const items: unknown[] = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  const credentials: VerifiedPresentation['credentials'] = [];
  const unverified: VerifiedPresentation['unverified'] = [];
  for (const [index, item] of items.entries()) {
    if (!isEnvelopedCredential(item)) {
      return fail('CREDENTIAL_NOT_ENVELOPED', 'credentials in a vp+jwt must be secured, as EnvelopedVerifiableCredential', { credentialIndex: index });
    }
    const opened = openDataUrl(item.id);
    if (!opened) return fail('ENVELOPED_CREDENTIAL_INVALID', 'the envelope id is not a readable data: URL', { credentialIndex: index });
    if (opened.mediaType !== 'application/vc+jwt') {
      if (options.unsupportedEnvelopes === 'report') {
        unverified.push({ index, mediaType: opened.mediaType });
        continue;
      }
      return fail('ENVELOPE_MEDIA_TYPE_UNSUPPORTED', `an envelope of ${opened.mediaType || 'no media type'} cannot be verified here`, { credentialIndex: index });
    }
    const inner = await verifyJws(opened.text, 'credential', resolveKey, options);
    if (!inner.ok) return fail('ENVELOPED_CREDENTIAL_INVALID', `credential ${index} of the presentation does not verify`, { credentialIndex: index, cause: inner });
    // Signed with the presentation's own key, the credential is self-asserted by the holder
    // (VCDM 2.0, "Presentations Including Holder Claims").
    const innerKey = spkiOf(inner.key);
    if (innerKey !== undefined ? innerKey === vpKey : inner.key === key) {
      if (holder === undefined) return fail('HOLDER_MISSING', 'a presentation with a self-asserted credential must name its holder', { credentialIndex: index });
      if (partyOf(inner.payload.issuer) !== holder) {
        return fail('SELF_ASSERTED_ISSUER_MISMATCH', 'a self-asserted credential must be issued by the holder', { credentialIndex: index });
      }
    }
    credentials.push({ index, credential: inner.payload, header: inner.header });
  }
  return { ok: true, presentation, header, credentials, unverified };
}

/**
 * Verifies a `vp+jwt` and every enveloped `vc+jwt` credential in it with the same resolver
 * and options; any credential that fails fails the presentation.
 */
export async function verifyPresentationJwt(jwt: string, resolveKey: ResolveKey, options: PresentationVerifyOptions = {}): Promise<VerifiedPresentation | VcJoseFailure> {
  try {
    return await verifyPresentation(jwt, resolveKey, options);
  } catch {
    return fail('JWS_MALFORMED', 'the presentation could not be read');
  }
}
