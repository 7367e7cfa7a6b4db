import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import { DomainError } from '../../platform/http/errors.ts';
import { findServiceVersion, type ServiceVersion } from '../catalogue/index.ts';
import { displayNames, loadActor, type Actor } from '../identity/index.ts';
import { worksIn } from './take-action.ts';
import { holidaySet } from './repository.ts';
import { workingDaysBetween } from './working-days.ts';

export interface WorkQueueOptions {
  accountId: number;
  status: string;
  sort: 'due' | 'submitted';
  mine: boolean;
  timeZone: string;
}

export interface WorkQueueRow {
  id: number;
  receiptNo: string;
  service: ServiceVersion;
  status: string;
  submittedAt: Date;
  dueDate: string | null;
  daysLeft: number | null;
  assignee: string | null;
  escalated: boolean;
}

const openStatuses = ['submitted', 'in-review', 'awaiting-supplement'];

/**
 * The applications held by the official's department, filtered and sorted; working days
 * left are counted from today in the deployment's zone.
 * @throws DomainError FORBIDDEN (not a processing official of a department)
 */
export async function listWorkQueue(db: Db, o: WorkQueueOptions): Promise<{ actor: Actor; rows: WorkQueueRow[] }> {
  const actor = await loadActor(db, o.accountId);
  if (!actor || actor.agencyId === null || actor.departmentId === null || !worksIn(actor, actor.agencyId, actor.departmentId)) throw new DomainError('FORBIDDEN', 'applications.error.notYourDepartment');
  const today = (await sql<{ today: string }>`select (now() at time zone ${o.timeZone})::date::text as today`.execute(db)).rows[0]!.today;
  let q = db.selectFrom('applications').selectAll().where('agency_id', '=', actor.agencyId).where('department_id', '=', actor.departmentId).where('status', '<>', 'draft');
  if (o.status === 'open') q = q.where('status', 'in', openStatuses);
  else if (o.status === 'overdue') q = q.where('status', 'in', openStatuses).where('due_date', '<', today);
  else if (o.status === 'closed') q = q.where('status', 'in', ['approved', 'rejected', 'withdrawn']);
  else q = q.where('status', '=', o.status);
  if (o.mine) q = q.where('assignee_account_id', '=', actor.accountId);
  q = o.sort === 'due' ? q.orderBy(sql`due_date asc nulls last`).orderBy('submitted_at', 'asc') : q.orderBy('submitted_at', 'desc');
  const rows = await q.limit(500).execute();
  const holidays = await holidaySet(db);
  const names = await displayNames(db, [...new Set(rows.map((r) => r.assignee_account_id).filter((x): x is number => x !== null))]);
  const out: WorkQueueRow[] = [];
  for (const r of rows) {
    out.push({
      id: r.id,
      receiptNo: r.receipt_no ?? '',
      // Published versions are kept in memory by the catalogue: no query per row.
      service: (await findServiceVersion(db, r.service_id, r.service_version))!,
      status: r.status,
      submittedAt: r.submitted_at!,
      dueDate: r.due_date,
      daysLeft: r.due_date && openStatuses.includes(r.status) && r.status !== 'awaiting-supplement' ? workingDaysBetween(today, r.due_date, holidays) : null,
      assignee: r.assignee_account_id ? (names.get(r.assignee_account_id) ?? null) : null,
      escalated: r.escalated_at !== null,
    });
  }
  return { actor, rows: out };
}
