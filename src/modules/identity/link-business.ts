import type { Db } from '../../platform/db/database.ts';
import { DomainError } from '../../platform/http/errors.ts';
import { writeAuditEvent } from '../../platform/audit/write-audit-event.ts';
import { findBusinessByNumber, findBusinessesByIds, isValidBusinessNo, type BusinessRecord } from '../registry/index.ts';
import { findAccountById } from './repository.ts';
import type { AssistedBy } from './assisted-service.ts';

/** The audit actor: the resident themself, or the official acting for them at a counter. */
const actedBy = (accountId: number, assistedBy: AssistedBy | undefined) =>
  assistedBy
    ? { actor: { accountId: assistedBy.officialAccountId, agencyId: assistedBy.agencyId }, onBehalfOfAccountId: accountId, details: { assistedSession: assistedBy.assistedSessionId } }
    : { actor: { accountId } };

/**
 * Links a resident's account to a business they represent on the business register, so
 * they can act for it (tenders, permits). The register decides, not the applicant.
 * @throws DomainError FORBIDDEN (not a resident account), VALIDATION_FAILED (malformed number),
 *   NOT_FOUND (no such business), NOT_REPRESENTATIVE
 */
export async function linkBusiness(db: Db, options: { accountId: number; registrationNo: string; requestId: string; ip: string; assistedBy?: AssistedBy | undefined }): Promise<BusinessRecord> {
  const account = await findAccountById(db, options.accountId);
  if (!account || account.kind !== 'resident' || account.resident_id === null) throw new DomainError('FORBIDDEN');
  if (!isValidBusinessNo(options.registrationNo.trim())) {
    throw new DomainError('VALIDATION_FAILED', 'error.VALIDATION_FAILED', { fields: [{ field: 'registrationNo', messageKey: 'identity.business.numberInvalid' }] });
  }
  const business = await findBusinessByNumber(db, options.registrationNo);
  if (!business) throw new DomainError('NOT_FOUND', 'identity.business.notFound');
  if (business.representativeResidentId !== account.resident_id) throw new DomainError('NOT_REPRESENTATIVE', 'identity.business.notRepresentative');
  await db.transaction().execute(async (tx) => {
    const inserted = await tx.insertInto('business_links').values({ account_id: account.id, business_id: business.id }).onConflict((oc) => oc.doNothing()).returning('business_id').executeTakeFirst();
    if (inserted) {
      await writeAuditEvent(tx, { action: 'identity.business.linked', ...actedBy(account.id, options.assistedBy), subject: { type: 'business', id: business.id }, requestId: options.requestId, ip: options.ip });
    }
  });
  return business;
}

/** Ends an account's link to a business (only its own links). @throws DomainError NOT_FOUND */
export async function unlinkBusiness(db: Db, options: { accountId: number; businessId: number; requestId: string; ip: string; assistedBy?: AssistedBy | undefined }): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const removed = await tx.deleteFrom('business_links').where('account_id', '=', options.accountId).where('business_id', '=', options.businessId).executeTakeFirst();
    if (Number(removed.numDeletedRows) === 0) throw new DomainError('NOT_FOUND');
    await writeAuditEvent(tx, { action: 'identity.business.unlinked', ...actedBy(options.accountId, options.assistedBy), subject: { type: 'business', id: options.businessId }, requestId: options.requestId, ip: options.ip });
  });
}

/** The businesses an account may act for (other modules ask this through index.ts). */
export async function businessesActingFor(db: Db, accountId: number): Promise<BusinessRecord[]> {
  const links = await db.selectFrom('business_links').select('business_id').where('account_id', '=', accountId).execute();
  return findBusinessesByIds(db, links.map((l) => l.business_id));
}
