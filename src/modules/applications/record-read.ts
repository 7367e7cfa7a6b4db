import type { Executor } from '../../platform/db/database.ts';
import { writeAuditEvent } from '../../platform/audit/write-audit-event.ts';
import { displayNames, type Actor } from '../identity/index.ts';
import type { ApplicationRow } from './repository.ts';
import { announceChange } from './step-events.ts';

export const READ_ACTION = 'applications.application.read';

/**
 * Records that an official opened someone's application: personal data read by another
 * person is always recorded, and the applicant sees the record on the application.
 */
export async function recordRead(db: Executor, o: { application: ApplicationRow; official: Actor; requestId?: string | null; ip?: string | null }): Promise<void> {
  await writeAuditEvent(db, {
    action: READ_ACTION,
    actor: { accountId: o.official.accountId, agencyId: o.official.agencyId },
    subject: { type: 'application', id: o.application.id },
    requestId: o.requestId ?? null,
    ip: o.ip ?? null,
    details: { applicantAccountId: o.application.applicant_account_id, departmentId: o.official.departmentId },
  });
  await announceChange(db, o.application.id);
}

export interface ReadRecord {
  officialName: string;
  departmentId: number | null;
  at: Date;
}

/** Who opened the application, newest first (officials only; the applicant's own views are not listed). */
export async function readsOf(db: Executor, applicationId: number): Promise<ReadRecord[]> {
  const rows = await db
    .selectFrom('audit_events')
    .select(['actor_account_id', 'details', 'occurred_at'])
    .where('subject_type', '=', 'application')
    .where('subject_id', '=', String(applicationId))
    .where('action', '=', READ_ACTION)
    .orderBy('occurred_at', 'desc')
    .limit(50)
    .execute();
  const names = await displayNames(db, [...new Set(rows.map((r) => r.actor_account_id).filter((x): x is number => x !== null))]);
  return rows.map((r) => ({ officialName: (r.actor_account_id && names.get(r.actor_account_id)) || '', departmentId: typeof r.details.departmentId === 'number' ? r.details.departmentId : null, at: r.occurred_at }));
}
