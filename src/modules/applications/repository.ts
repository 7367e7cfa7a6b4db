import { sql, type Selectable } from 'kysely';
import type { Executor } from '../../platform/db/database.ts';
import type { ApplicationStepsTable, ApplicationsTable } from '../../platform/db/schema.ts';
import type { FormData } from '../catalogue/index.ts';
import type { Action, ActorKind, Status } from './workflow.ts';

export type ApplicationRow = Selectable<ApplicationsTable>;
export type StepRow = Selectable<ApplicationStepsTable>;

export function findApplication(db: Executor, id: number): Promise<ApplicationRow | undefined> {
  return db.selectFrom('applications').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The row locked for the rest of the transaction: steps on one application go one at a time. */
export function lockApplication(tx: Executor, id: number): Promise<ApplicationRow | undefined> {
  return tx.selectFrom('applications').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function stepsOf(db: Executor, applicationId: number): Promise<StepRow[]> {
  return db.selectFrom('application_steps').selectAll().where('application_id', '=', applicationId).orderBy('seq').execute();
}

export function applicationsOf(db: Executor, accountId: number): Promise<ApplicationRow[]> {
  return db.selectFrom('applications').selectAll().where('applicant_account_id', '=', accountId).orderBy('created_at', 'desc').limit(200).execute();
}

export interface NewDraft {
  serviceId: number;
  serviceVersion: number;
  agencyId: number;
  departmentId: number;
  applicantAccountId: number;
  businessId: number | null;
}

export async function insertDraft(db: Executor, d: NewDraft): Promise<number> {
  const { id } = await db
    .insertInto('applications')
    .values({ service_id: d.serviceId, service_version: d.serviceVersion, agency_id: d.agencyId, department_id: d.departmentId, applicant_account_id: d.applicantAccountId, business_id: d.businessId })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export async function saveAnswers(db: Executor, id: number, answers: FormData): Promise<void> {
  await db.updateTable('applications').set({ answers: JSON.stringify(answers), updated_at: sql<Date>`now()` }).where('id', '=', id).where('status', '=', 'draft').execute();
}

export interface NewStep {
  applicationId: number;
  seq: number;
  action: Action;
  statusAfter: Status;
  actorKind: ActorKind;
  actorAccountId: number | null;
  actorName: string | null;
  assistedBy?: number | null;
  departmentId: number | null;
  note?: string | null;
  details?: Record<string, unknown>;
}

/** Appends a step; the database stamps it. @returns its id and time */
export async function insertStep(tx: Executor, s: NewStep): Promise<{ id: number; recordedAt: Date }> {
  const row = await tx
    .insertInto('application_steps')
    .values({
      application_id: s.applicationId, seq: s.seq, action: s.action, status_after: s.statusAfter, actor_kind: s.actorKind, actor_account_id: s.actorAccountId,
      actor_name: s.actorName, assisted_by_account_id: s.assistedBy ?? null, department_id: s.departmentId, note: s.note ?? null, details: JSON.stringify(s.details ?? {}),
    })
    .returning(['id', 'recorded_at'])
    .executeTakeFirstOrThrow();
  return { id: row.id, recordedAt: row.recorded_at };
}

export interface Projection {
  status: Status;
  departmentId: number;
  assigneeAccountId: number | null;
  dueDate: string | null;
  receiptNo?: string;
  submittedAt?: 'now';
  decided?: boolean;
  escalated?: boolean;
  answers?: FormData;
}

export async function writeProjection(tx: Executor, id: number, p: Projection): Promise<void> {
  await tx
    .updateTable('applications')
    .set({
      status: p.status,
      department_id: p.departmentId,
      assignee_account_id: p.assigneeAccountId,
      due_date: p.dueDate,
      updated_at: sql<Date>`now()`,
      ...(p.receiptNo ? { receipt_no: p.receiptNo } : {}),
      ...(p.submittedAt ? { submitted_at: sql<Date>`now()` } : {}),
      ...(p.decided !== undefined ? { decided_at: p.decided ? sql<Date>`now()` : null } : {}),
      ...(p.escalated ? { escalated_at: sql<Date>`now()` } : {}),
      ...(p.answers ? { answers: JSON.stringify(p.answers) } : {}),
    })
    .where('id', '=', id)
    .execute();
}

export async function nextReceiptNo(tx: Executor, timeZone: string): Promise<string> {
  const row = await sql<{ n: number; day: string }>`select nextval('application_receipt_seq')::int as n, to_char(now() at time zone ${timeZone}, 'YYYYMMDD') as day`.execute(tx);
  const { n, day } = row.rows[0]!;
  return `${day}-${String(n).padStart(7, '0')}`;
}

/** Public holidays as `YYYY-MM-DD`. */
export async function holidaySet(db: Executor): Promise<Set<string>> {
  const rows = await db.selectFrom('holidays').select('day').execute();
  return new Set(rows.map((r) => r.day));
}
