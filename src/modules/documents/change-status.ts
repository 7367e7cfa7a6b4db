import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import { DomainError } from '../../platform/http/errors.ts';
import { writeAuditEvent } from '../../platform/audit/write-audit-event.ts';
import { notify } from '../notifications/index.ts';
import { hasRole, loadActor } from '../identity/index.ts';
import { findCertificate } from './repository.ts';
import { allowedStatusActions, statusOf, type CertificateStatus, type StatusAction } from './workflow.ts';

/** Who in the issuing agency may withdraw or suspend what it issued. */
export const STATUS_ROLES = ['approver', 'head-of-department', 'agency-admin'] as const;

export interface ChangeStatusOptions {
  accountId: number;
  issueNumber: string;
  action: StatusAction;
  reason: string;
  requestId?: string | null;
  ip?: string | null;
}

/**
 * Revokes, suspends or reinstates a certificate: only the agency that issued it, by an
 * approver, head of department or agency administrator, always with a reason. The holder
 * is told. Status lists show it as soon as they are next built.
 * @throws DomainError NOT_FOUND (also for another agency's certificate), FORBIDDEN (no such
 *   role), VALIDATION_FAILED (no reason), ACTION_NOT_ALLOWED (409, with the allowed actions)
 */
export async function changeCertificateStatus(db: Db, o: ChangeStatusOptions): Promise<{ status: CertificateStatus; certificateId: number; agencyId: number; statusList: number }> {
  const actor = await loadActor(db, o.accountId);
  const cert = await findCertificate(db, o.issueNumber);
  if (!cert || !actor || actor.kind !== 'official' || actor.agencyId !== cert.agency_id) throw new DomainError('NOT_FOUND');
  if (!STATUS_ROLES.some((role) => hasRole(actor, role, cert.agency_id))) throw new DomainError('FORBIDDEN', 'documents.error.statusRole');
  const reason = o.reason.normalize('NFC').trim();
  if (reason.length === 0 || reason.length > 500) throw new DomainError('VALIDATION_FAILED', 'error.VALIDATION_FAILED', { fields: [{ field: 'reason', messageKey: 'documents.error.reason' }] });
  return db.transaction().execute(async (tx) => {
    // One change at a time per certificate, so two officials cannot both act on the same status.
    await sql`select id from certificates where id = ${cert.id} for update`.execute(tx);
    const changes = await tx.selectFrom('certificate_status_changes').select('action').where('certificate_id', '=', cert.id).orderBy('id').execute();
    const { now } = (await sql<{ now: Date }>`select now() as now`.execute(tx)).rows[0]!;
    const status = statusOf(changes, cert.valid_until, now);
    const allowed = allowedStatusActions(status);
    if (!allowed.includes(o.action)) throw new DomainError('ACTION_NOT_ALLOWED', 'documents.error.notAllowed', { allowed, params: { status, allowed: allowed.join(', ') || '—' } });
    await tx.insertInto('certificate_status_changes').values({ certificate_id: cert.id, action: o.action, reason, actor_account_id: actor.accountId }).execute();
    await writeAuditEvent(tx, {
      action: `documents.certificate.${o.action === 'revoke' ? 'revoked' : o.action === 'suspend' ? 'suspended' : 'reinstated'}`,
      actor: { accountId: actor.accountId, agencyId: cert.agency_id },
      subject: { type: 'certificate', id: cert.id },
      requestId: o.requestId ?? null,
      ip: o.ip ?? null,
      details: { issueNumber: cert.issue_number, reason },
    });
    const after = statusOf([...changes, { action: o.action }], cert.valid_until, now);
    await notify(tx, { accountId: cert.holder_account_id, template: `documents.notice.${o.action}`, params: { issueNumber: cert.issue_number, reason }, link: `/certificates/${cert.issue_number}`, email: true });
    return { status: after, certificateId: cert.id, agencyId: cert.agency_id, statusList: cert.status_list };
  });
}
