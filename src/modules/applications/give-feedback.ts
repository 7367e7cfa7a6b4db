import type { Db } from '../../platform/db/database.ts';
import { DomainError, type FieldError } from '../../platform/http/errors.ts';
import { writeAuditEvent } from '../../platform/audit/write-audit-event.ts';
import { ownApplication } from './own-application.ts';
import { announceChange } from './step-events.ts';
import { decisions, type Status } from './workflow.ts';

export interface GiveFeedbackOptions {
  applicationId: number;
  accountId: number;
  satisfaction: string | undefined;
  improperRequest: string | undefined;
  improperDetail?: string | undefined;
  comment?: string | undefined;
}

/**
 * The applicant's feedback after a decision, once per application. It counts in the
 * integrity index; a report of an improper request is recorded for the agency's auditors.
 * @throws DomainError NOT_FOUND, ACTION_NOT_ALLOWED (no decision yet), CONFLICT (already
 *   given), VALIDATION_FAILED (a rating or the improper-request answer missing)
 */
export async function giveFeedback(db: Db, o: GiveFeedbackOptions): Promise<void> {
  const { application } = await ownApplication(db, o.applicationId, o.accountId);
  if (!decisions.has(application.status as Status)) throw new DomainError('ACTION_NOT_ALLOWED', 'applications.error.feedbackTooEarly', { allowed: [] });
  const fields: FieldError[] = [];
  const satisfaction = Number(o.satisfaction);
  if (!Number.isInteger(satisfaction) || satisfaction < 1 || satisfaction > 5) fields.push({ field: 'satisfaction', messageKey: 'applications.feedback.error.satisfaction' });
  if (o.improperRequest !== 'yes' && o.improperRequest !== 'no') fields.push({ field: 'improperRequest', messageKey: 'applications.feedback.error.improper' });
  if (fields.length) throw new DomainError('VALIDATION_FAILED', 'error.VALIDATION_FAILED', { fields });
  const improper = o.improperRequest === 'yes';
  await db.transaction().execute(async (tx) => {
    const inserted = await tx
      .insertInto('application_feedback')
      .values({ application_id: o.applicationId, satisfaction, improper_request: improper, improper_detail: improper ? o.improperDetail?.trim().slice(0, 2000) || null : null, comment: o.comment?.trim().slice(0, 2000) || null })
      .onConflict((oc) => oc.column('application_id').doNothing())
      .returning('application_id')
      .executeTakeFirst();
    if (!inserted) throw new DomainError('CONFLICT', 'applications.error.feedbackGiven');
    await announceChange(tx, o.applicationId);
    // The auditors' trail: that a report exists and where, never the rating.
    if (improper) await writeAuditEvent(tx, { action: 'applications.improper-request.reported', actor: { accountId: o.accountId }, subject: { type: 'application', id: o.applicationId }, details: { agencyId: application.agency_id, departmentId: application.department_id } });
  });
}
