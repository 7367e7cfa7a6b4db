import { sql } from 'kysely';
import type { FieldEncryption } from '../../platform/crypto/field-encryption.ts';
import { DomainError } from '../../platform/http/errors.ts';
import { findAgency, loadActor } from '../identity/index.ts';
import { findCertificateType, MOBILE_ID_TYPE } from './certificate-types.ts';
import { gatherFacts } from './gather-facts.ts';
import { contextUrlOf, issueCertificate, type IssueDeps } from './issue-certificate.ts';
import { issuerIdOf, methodIdOf } from './issuer-keys.ts';
import { statusChangesOf, type CertificateRow } from './repository.ts';
import type { VerificationLog } from './verification-log.ts';
import { signCredential, verifyCredentialJwt } from './vc-jose.ts';
import type { KeyResolver } from './verify-certificate.ts';
import { statusOf, type CertificateStatus } from './workflow.ts';

/** How long a shown ID stays good: long enough to hand the phone over, too short to reuse. */
export const PRESENTATION_SECONDS = 180;
/** What a resident may choose to show; the name is always shown with the photo. */
export const DISCLOSABLE = ['birthDate', 'ageOver19', 'region'] as const;
export type Disclosable = (typeof DISCLOSABLE)[number];

export async function currentMobileId(db: IssueDeps['db'], accountId: number): Promise<{ row: CertificateRow; status: CertificateStatus } | undefined> {
  const row = await db
    .selectFrom('certificates')
    .select(['id', 'issue_number', 'type_code', 'variant', 'agency_id', 'holder_account_id', 'business_id', 'application_id', 'lang', 'facts', 'credential_jwt', 'kid', 'status_list', 'status_index', 'fingerprint', 'issued_at', 'valid_until'])
    .where('holder_account_id', '=', accountId)
    .where('type_code', '=', MOBILE_ID_TYPE)
    .orderBy('issued_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  if (!row) return undefined;
  const changes = (await statusChangesOf(db, [row.id])).get(row.id) ?? [];
  return { row, status: statusOf(changes, row.valid_until, new Date()) };
}

/**
 * Gives a resident a mobile ID (a certificate with no PDF), or returns the one they hold
 * while it is valid.
 * @throws DomainError FORBIDDEN (not a resident), NOT_FOUND documents.error.noRecord
 */
export async function obtainMobileId(deps: IssueDeps & { encryption: FieldEncryption }, o: { accountId: number; lang: 'ko' | 'en'; today: string; requestId?: string | null; ip?: string | null }): Promise<string> {
  const actor = await loadActor(deps.db, o.accountId);
  if (!actor || actor.kind !== 'resident') throw new DomainError('FORBIDDEN', 'documents.error.residentsOnly');
  const held = await currentMobileId(deps.db, o.accountId);
  if (held && held.status === 'valid') return held.row.issue_number;
  const type = await findCertificateType(deps.db, MOBILE_ID_TYPE);
  if (!type) throw new DomainError('NOT_FOUND');
  const facts = await gatherFacts(deps.db, deps.encryption, type, { holderAccountId: o.accountId }, o.today);
  const issued = await issueCertificate(deps, { type, holderAccountId: o.accountId, lang: o.lang, facts, actor: { accountId: o.accountId, kind: 'holder' }, noPdf: true, requestId: o.requestId ?? null, ip: o.ip ?? null });
  return issued.issueNumber;
}

/**
 * A short-lived presentation of the holder's mobile ID: a credential signed by the issuing
 * agency stating only what the holder chose to show, valid for three minutes, pointing at
 * the mobile ID's status so a suspended or revoked ID is refused.
 * @throws DomainError NOT_FOUND (no mobile ID), ACTION_NOT_ALLOWED (it is not valid now)
 */
export async function presentMobileId(deps: IssueDeps, o: { accountId: number; disclose: string[] }): Promise<{ token: string; expiresAt: Date }> {
  const held = await currentMobileId(deps.db, o.accountId);
  if (!held) throw new DomainError('NOT_FOUND', 'documents.mobileId.none');
  if (held.status !== 'valid') throw new DomainError('ACTION_NOT_ALLOWED', 'documents.mobileId.notValid', { params: { status: held.status }, allowed: [] });
  const agency = await findAgency(deps.db, { id: held.row.agency_id });
  if (!agency) throw new Error('mobile ID agency missing');
  const issuerId = issuerIdOf(deps.publicUrl, agency.code);
  const base = JSON.parse(Buffer.from(held.row.credential_jwt.split('.')[1]!, 'base64url').toString('utf8')) as { credentialSubject: Record<string, string>; credentialStatus: unknown };
  const { now } = (await sql<{ now: Date }>`select now() as now`.execute(deps.db)).rows[0]!;
  const from = new Date(now);
  from.setMilliseconds(0);
  const until = new Date(from.getTime() + PRESENTATION_SECONDS * 1000);
  // Every character makes the QR code denser: only what the verifier needs goes in (the
  // photo is a placeholder the check page draws; the status entries need no ids).
  const subject: Record<string, string> = { name: base.credentialSubject.name ?? '', mobileId: held.row.issue_number };
  for (const key of DISCLOSABLE) if (o.disclose.includes(key) && base.credentialSubject[key] !== undefined) subject[key] = base.credentialSubject[key]!;
  const credential = {
    '@context': ['https://www.w3.org/ns/credentials/v2', contextUrlOf(deps.publicUrl)],
    type: ['VerifiableCredential', 'NaraMobileIdPresentation'],
    issuer: issuerId,
    validFrom: from.toISOString().replace('.000Z', 'Z'),
    validUntil: until.toISOString().replace('.000Z', 'Z'),
    credentialSubject: subject,
    credentialStatus: (base.credentialStatus as Array<Record<string, unknown>>).map(({ id: _id, ...entry }) => entry),
  };
  const key = await deps.keys.signingKey(agency.id);
  return { token: await signCredential(credential, { privateKey: key.privateKey, kid: methodIdOf(issuerId, key.kid) }), expiresAt: until };
}

export interface MobileIdCheck {
  outcome: 'valid' | 'expired' | 'revoked' | 'suspended' | 'invalid';
  claims?: Record<string, string>;
  expiresAt?: string;
}

/**
 * A verifier's check of a shown mobile ID on the server (the page's script checks the same
 * offline with cached keys): signature, the three-minute window, the ID's status.
 */
export async function checkMobileId(deps: { db: IssueDeps['db']; resolve: KeyResolver; log: VerificationLog }, token: string, who: { accountId?: number | undefined; kind: 'anonymous' | 'resident' | 'official' | 'machine' }): Promise<MobileIdCheck> {
  const result = await verifyCredentialJwt(token.trim(), async (header) => (await deps.resolve(header.kid))?.key);
  if (!result.ok) return { outcome: result.code === 'EXPIRED' ? 'expired' : 'invalid' };
  const credential = result.credential as { type: string[]; validUntil: string; credentialSubject: Record<string, string> };
  if (!credential.type.includes('NaraMobileIdPresentation')) return { outcome: 'invalid' };
  const number = credential.credentialSubject.mobileId ?? '';
  const row = await deps.db.selectFrom('certificates').select(['id', 'holder_account_id', 'valid_until']).where('issue_number', '=', number).where('type_code', '=', MOBILE_ID_TYPE).executeTakeFirst();
  if (!row) return { outcome: 'invalid' };
  const status = statusOf((await statusChangesOf(deps.db, [row.id])).get(row.id) ?? [], row.valid_until, new Date());
  const outcome = status === 'valid' ? 'valid' : status;
  if (who.accountId !== row.holder_account_id) deps.log.record({ certificate_id: row.id, channel: 'mobile-id', verifier_kind: who.kind, outcome });
  const { mobileId: _id, photo: _photo, ...claims } = credential.credentialSubject;
  return { outcome, claims, expiresAt: credential.validUntil };
}
