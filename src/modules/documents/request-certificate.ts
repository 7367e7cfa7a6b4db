import type { Locale } from '../../platform/i18n/i18n.ts';
import { DomainError } from '../../platform/http/errors.ts';
import { businessesActingFor, loadActor } from '../identity/index.ts';
import { findCertificateType } from './certificate-types.ts';
import { gatherFacts } from './gather-facts.ts';
import { issueCertificate, type IssueDeps, type IssuedCertificate } from './issue-certificate.ts';
import type { FieldEncryption } from '../../platform/crypto/field-encryption.ts';

export interface RequestCertificateOptions {
  accountId: number;
  typeCode: string;
  lang: Locale;
  /** the omittable fields to keep; the others are left off */
  include: string[];
  /** for a business certificate: the business the requester represents */
  businessId?: number;
  today: string;
  requestId?: string | null;
  ip?: string | null;
}

/**
 * A resident asks for a certificate about themselves or a business they represent, and
 * gets it at once.
 * @throws DomainError NOT_FOUND (unknown type, or one issued only on approval), FORBIDDEN
 *   (an official, or a business the requester does not represent), BUSINESS_REQUIRED,
 *   NOT_FOUND documents.error.noRecord (no register record)
 */
export async function requestCertificate(deps: IssueDeps & { encryption: FieldEncryption }, o: RequestCertificateOptions): Promise<IssuedCertificate> {
  const type = await findCertificateType(deps.db, o.typeCode);
  if (!type || type.source === 'application') throw new DomainError('NOT_FOUND');
  const actor = await loadActor(deps.db, o.accountId);
  if (!actor || actor.kind !== 'resident') throw new DomainError('FORBIDDEN', 'documents.error.residentsOnly');
  let businessId: number | null = null;
  if (type.source === 'business-register') {
    if (o.businessId === undefined) throw new DomainError('BUSINESS_REQUIRED', 'documents.error.businessRequired', { fields: [{ field: 'businessId', messageKey: 'documents.error.businessRequired' }] });
    const represented = await businessesActingFor(deps.db, o.accountId);
    if (!represented.some((b) => b.id === o.businessId)) throw new DomainError('FORBIDDEN', 'documents.error.notRepresentative');
    businessId = o.businessId;
  }
  const facts = await gatherFacts(deps.db, deps.encryption, type, { holderAccountId: o.accountId, businessId }, o.today);
  return issueCertificate(deps, {
    type, holderAccountId: o.accountId, businessId, lang: o.lang, facts, omit: type.fields.filter((f) => f.omittable && !o.include.includes(f.key)).map((f) => f.key), actor: { accountId: o.accountId, kind: 'holder' },
    requestId: o.requestId ?? null, ip: o.ip ?? null,
  });
}
