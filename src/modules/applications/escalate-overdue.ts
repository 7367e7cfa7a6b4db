import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import { findServiceVersion } from '../catalogue/index.ts';
import { departmentOfficials } from '../identity/index.ts';
import { notify } from '../notifications/index.ts';
import { recordStep } from './record-step.ts';

/**
 * Reports every open application past its deadline to the heads of the department holding
 * it, once: a system step on its timeline and a notice to each head. Safe to run from any
 * number of instances (each application is locked while its step is recorded, and one
 * already escalated is skipped).
 * @returns how many applications were escalated
 */
export async function escalateOverdue(db: Db, timeZone: string): Promise<number> {
  const overdue = await db
    .selectFrom('applications')
    .select(['id'])
    .where('status', 'in', ['submitted', 'in-review'])
    .where('escalated_at', 'is', null)
    .where('due_date', '<', sql<string>`(now() at time zone ${timeZone})::date`)
    .orderBy('due_date')
    .limit(500)
    .execute();
  let escalated = 0;
  for (const { id } of overdue) {
    await db.transaction().execute(async (tx) => {
      const fresh = await tx.selectFrom('applications').select(['escalated_at']).where('id', '=', id).forUpdate().executeTakeFirst();
      if (!fresh || fresh.escalated_at) return;
      const { application } = await recordStep(tx, id, { action: 'escalate', actorKind: 'system', actorAccountId: null, actorName: null, details: { reason: 'deadline-passed' } }, timeZone);
      const service = await findServiceVersion(tx, application.service_id, application.service_version);
      const heads = (await departmentOfficials(tx, application.agency_id, application.department_id)).filter((o) => o.roles.includes('head-of-department'));
      for (const head of heads) {
        await notify(tx, { accountId: head.id, template: 'applications.notice.escalated', params: { receiptNo: application.receipt_no ?? '', service: service?.name ?? { ko: '', en: '' } }, link: `/work/applications/${id}`, email: true });
      }
      escalated++;
    });
  }
  return escalated;
}
