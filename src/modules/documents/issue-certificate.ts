import { createHash, randomInt } from 'node:crypto';
import { sql } from 'kysely';
import type { Db, Executor } from '../../platform/db/database.ts';
import type { I18n, Locale } from '../../platform/i18n/i18n.ts';
import type { LocalText } from '../../platform/db/schema.ts';
import { formatDate, formatDateTime } from '../../platform/views/format.ts';
import { writeAuditEvent } from '../../platform/audit/write-audit-event.ts';
import { notify } from '../notifications/index.ts';
import { findAgency } from '../identity/index.ts';
import type { CertificateView } from './certificate-pdf.ts';
import type { CertificateType } from './certificate-types.ts';
import type { Facts } from './gather-facts.ts';
import { issuerIdOf, methodIdOf, type IssuerKeys } from './issuer-keys.ts';
import { LIST_FILL, statusEntriesOf } from './status-list.ts';
import { signCredential } from './vc-jose.ts';

export interface IssueDeps {
  db: Db;
  keys: IssuerKeys;
  render: (view: CertificateView) => Promise<Buffer>;
  i18n: I18n;
  publicUrl: string;
  timeZone: string;
}

export interface IssueOptions {
  type: CertificateType;
  holderAccountId: number;
  businessId?: number | null;
  applicationId?: number | null;
  lang: Locale;
  facts: Facts;
  /** keys of omittable fields the requester left off */
  omit?: string[];
  /** who asked: the holder, an official, a machine client, or the system on approval */
  actor: { accountId: number | null; agencyId?: number | null; kind: 'holder' | 'system' | 'machine'; clientId?: string };
  /** no PDF (the mobile ID is shown, not printed) */
  noPdf?: boolean;
  requestId?: string | null;
  ip?: string | null;
}

export interface IssuedCertificate {
  id: number;
  issueNumber: string;
  credentialJwt: string;
  credential: Record<string, unknown>;
  validUntil: Date;
}

/** `NNNN-NNNN-NNNN-NNNN`: 16 random digits, so that a number cannot be guessed from another. */
export function newIssueNumber(): string {
  return Array.from({ length: 4 }, () => String(randomInt(0, 10_000)).padStart(4, '0')).join('-');
}

export const verifyUrlOf = (publicUrl: string, issueNumber: string) => `${publicUrl.replace(/\/$/, '')}/verify/${issueNumber}`;
export const contextUrlOf = (publicUrl: string) => `${publicUrl.replace(/\/$/, '')}/credentials/v1`;

/** The title the certificate carries: the variant's when something was left off. */
export function titleOf(type: CertificateType, omitted: string[]): { title: LocalText; variant: string | null } {
  if (omitted.length === 0 || type.variants.length === 0) return { title: type.title, variant: type.variants.length ? (type.variants[0]?.code ?? null) : null };
  const abridged = type.variants.find((v) => v.omits.length > 0) ?? type.variants[type.variants.length - 1]!;
  return { title: abridged.title, variant: abridged.code };
}

/**
 * A free bit in the agency's current status list, drawn at random. The current list is the
 * highest in use (an index lookup, however many certificates there are); when more than half
 * of a random draw is taken, the list is half full and the next one is opened.
 */
async function allocateStatus(db: Executor, agencyId: number): Promise<{ list: number; index: number }> {
  const highest = await db.selectFrom('certificates').select((eb) => eb.fn.max('status_list').as('list')).where('agency_id', '=', agencyId).executeTakeFirst();
  const list = Number(highest?.list ?? 0);
  const candidates = Array.from({ length: 16 }, () => randomInt(0, LIST_FILL * 2));
  const taken = new Set(
    (await db.selectFrom('certificates').select('status_index').where('agency_id', '=', agencyId).where('status_list', '=', list).where('status_index', 'in', candidates).execute()).map((r) => r.status_index),
  );
  const free = candidates.filter((c) => !taken.has(c));
  if (taken.size > candidates.length / 2 || free.length === 0) return { list: list + 1, index: candidates[0]! };
  return { list, index: free[0]! };
}

/**
 * Issues one certificate: the VC signed with the agency's current key, the PDF rendered
 * off the event loop, both stored with the audit event and the holder's notice in one
 * transaction. The time comes from the database clock.
 * @throws Error when the agency is missing (a bug in the type's data)
 */
export async function issueCertificate(deps: IssueDeps, o: IssueOptions): Promise<IssuedCertificate> {
  const { db, i18n, publicUrl, timeZone } = deps;
  const agency = await findAgency(db, { id: o.type.agency_id });
  if (!agency) throw new Error(`certificate type ${o.type.code}: agency ${o.type.agency_id} is missing`);
  const issuerId = issuerIdOf(publicUrl, agency.code);
  const key = await deps.keys.signingKey(agency.id);
  const omitted = (o.omit ?? []).filter((k) => o.type.fields.some((f) => f.key === k && f.omittable));
  const shown = o.type.fields.filter((f) => !omitted.includes(f.key) && o.facts[f.key] !== undefined);
  const { title, variant } = titleOf(o.type, omitted);
  const lang = o.lang;

  for (let attempt = 0; ; attempt++) {
    // Everything slow (signing, rendering) happens before the transaction, so it holds
    // its connection only for the inserts: the embedded database has one.
    const { now } = await sql<{ now: Date }>`select now() as now`.execute(db).then((r) => r.rows[0]!);
    const issuedAt = new Date(now);
    // Second precision: what the credential says is exactly what the database keeps.
    issuedAt.setMilliseconds(0);
    const validUntil = new Date(issuedAt.getTime() + o.type.validity_days * 86_400_000);
    const issueNumber = newIssueNumber();
    const status = await allocateStatus(db, agency.id);
    const subject: Record<string, string> = { certificateType: o.type.code, issueNumber };
    for (const field of shown) subject[field.key] = o.facts[field.key]![lang];
    const credential = {
      '@context': ['https://www.w3.org/ns/credentials/v2', contextUrlOf(publicUrl)],
      id: verifyUrlOf(publicUrl, issueNumber),
      type: ['VerifiableCredential', 'NaraCertificate'],
      issuer: { id: issuerId, name: agency.name[lang] },
      name: title[lang],
      validFrom: issuedAt.toISOString().replace('.000Z', 'Z'),
      validUntil: validUntil.toISOString().replace('.000Z', 'Z'),
      credentialSubject: subject,
      credentialStatus: statusEntriesOf(issuerId, status.list, status.index),
    };
    const jwt = await signCredential(credential, { privateKey: key.privateKey, kid: methodIdOf(issuerId, key.kid) });
    const fingerprint = createHash('sha256').update(jwt).digest('hex');
    const t = i18n.translator(lang);
    const pdf = o.noPdf
      ? null
      : await deps.render({
          lang,
          title: title[lang],
          issueNumber,
          issuerName: agency.name[lang],
          issuedAt: formatDateTime(issuedAt, lang, timeZone),
          // The PDF's own dates from the credential's, so the same certificate renders to the same bytes.
          issuedAtInstant: issuedAt.toISOString(),
          validUntil: formatDate(validUntil, lang, timeZone),
          holderLabel: o.type.fields[0]?.label[lang] ?? t('documents.holder'),
          holderName: o.facts[o.type.fields[0]?.key ?? '']?.[lang] ?? '',
          fields: shown.filter((f) => f.key !== o.type.fields[0]?.key).map((f) => ({ label: f.label[lang], value: o.facts[f.key]![lang] })),
          statement: t('documents.pdf.statement'),
          verifyUrl: credential.id,
          verifyHint: t('documents.pdf.verifyHint', { url: `${publicUrl.replace(/\/$/, '')}/verify` }),
          fingerprint,
          labels: { issueNumber: t('documents.issueNumber'), issuedAt: t('documents.issuedAt'), validUntil: t('documents.validUntil'), fingerprint: t('documents.pdf.fingerprint'), page: t('documents.pdf.page') },
        });
    try {
      return await db.transaction().execute(async (tx) => {
        const row = await tx
          .insertInto('certificates')
          .values({
            issue_number: issueNumber, type_code: o.type.code, variant, agency_id: agency.id, holder_account_id: o.holderAccountId, business_id: o.businessId ?? null,
            application_id: o.applicationId ?? null, lang, facts: JSON.stringify(Object.fromEntries(shown.map((f) => [f.key, o.facts[f.key]]))), credential_jwt: jwt, kid: key.kid,
            status_list: status.list, status_index: status.index, fingerprint, pdf, issued_at: issuedAt, valid_until: validUntil,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await writeAuditEvent(tx, {
          action: 'documents.certificate.issued',
          actor: { accountId: o.actor.accountId, agencyId: o.actor.agencyId ?? null },
          subject: { type: 'certificate', id: row.id },
          requestId: o.requestId ?? null,
          ip: o.ip ?? null,
          details: { type: o.type.code, issueNumber, by: o.actor.kind, ...(o.actor.clientId ? { clientId: o.actor.clientId } : {}), ...(omitted.length ? { omitted } : {}), ...(o.applicationId ? { applicationId: o.applicationId } : {}) },
        });
        await notify(tx, { accountId: o.holderAccountId, template: 'documents.notice.issued', params: { title: title[lang], issueNumber }, link: `/certificates/${issueNumber}`, email: o.actor.kind !== 'holder' });
        return { id: row.id, issueNumber, credentialJwt: jwt, credential, validUntil };
      });
    } catch (error) {
      // Another issuance took the same number or status bit meanwhile: draw again.
      if (attempt < 3 && isUniqueViolation(error)) continue;
      throw error;
    }
  }
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && (error as { code: unknown }).code === '23505';
}
