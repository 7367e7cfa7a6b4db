import type { Db } from '../../platform/db/database.ts';
import { DomainError } from '../../platform/http/errors.ts';
import { writeAuditEvent } from '../../platform/audit/write-audit-event.ts';
import { findPublishedService } from '../catalogue/index.ts';
import { businessesActingFor, loadActor } from '../identity/index.ts';
import { insertDraft } from './repository.ts';

export interface StartApplicationOptions {
  accountId: number;
  serviceCode: string;
  /** the business applied for; required when only businesses may apply */
  businessId?: number | null;
  requestId?: string | null;
  ip?: string | null;
}

/**
 * Opens a draft of a service's current version, or returns the draft the person already
 * has for it (so an interrupted application is picked up, not started twice).
 * @throws DomainError NOT_FOUND (no such published service), FORBIDDEN (not a resident
 *   account), BUSINESS_REQUIRED, NOT_REPRESENTATIVE (not linked to that business)
 */
export async function startApplication(db: Db, o: StartApplicationOptions): Promise<{ applicationId: number; resumed: boolean }> {
  const actor = await loadActor(db, o.accountId);
  if (!actor || actor.kind !== 'resident') throw new DomainError('FORBIDDEN', 'applications.error.residentsOnly');
  const service = await findPublishedService(db, o.serviceCode);
  if (!service) throw new DomainError('NOT_FOUND');
  let businessId: number | null = null;
  if (service.applicantKinds.includes('business') && o.businessId) {
    const mine = await businessesActingFor(db, o.accountId);
    if (!mine.some((b) => b.id === o.businessId)) throw new DomainError('NOT_REPRESENTATIVE', 'applications.error.notRepresentative');
    businessId = o.businessId;
  } else if (!service.applicantKinds.includes('resident')) {
    throw new DomainError('BUSINESS_REQUIRED', 'applications.error.businessRequired');
  }
  return db.transaction().execute(async (tx) => {
    const existing = await tx
      .selectFrom('applications')
      .select('id')
      .where('applicant_account_id', '=', o.accountId)
      .where('service_id', '=', service.serviceId)
      .where('status', '=', 'draft')
      .where((eb) => (businessId === null ? eb('business_id', 'is', null) : eb('business_id', '=', businessId)))
      .orderBy('id', 'desc')
      .executeTakeFirst();
    if (existing) return { applicationId: existing.id, resumed: true };
    const applicationId = await insertDraft(tx, { serviceId: service.serviceId, serviceVersion: service.version, agencyId: service.agencyId, departmentId: service.departmentId, applicantAccountId: o.accountId, businessId });
    await writeAuditEvent(tx, { action: 'applications.draft.started', actor: { accountId: o.accountId }, subject: { type: 'application', id: applicationId }, requestId: o.requestId ?? null, ip: o.ip ?? null, details: { service: service.code, version: service.version, businessId } });
    return { applicationId, resumed: false };
  });
}
