import { sql, type Insertable, type Selectable } from 'kysely';
import type { Executor } from '../../platform/db/database.ts';
import { reusableQuery } from '../../platform/db/reusable-query.ts';
import type { ApplicationStepsTable, ApplicationsTable } from '../../platform/db/schema.ts';
import type { FormData } from '../catalogue/index.ts';
import type { Action, ActorKind, Status } from './workflow.ts';

export type ApplicationRow = Selectable<ApplicationsTable>;
export type StepRow = Selectable<ApplicationStepsTable>;

export function findApplication(db: Executor, id: number): Promise<ApplicationRow | undefined> {
  return db.selectFrom('applications').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The row locked for the rest of the transaction: steps on one application go one at a time. */
const selectForUpdate = reusableQuery((db, v: { id: number }) => db.selectFrom('applications').selectAll().where('id', '=', v.id).forUpdate());

export async function lockApplication(tx: Executor, id: number): Promise<ApplicationRow | undefined> {
  return (await selectForUpdate(tx, { id })).rows[0];
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
const insertStepRow = reusableQuery((db, r: Required<Omit<Insertable<ApplicationStepsTable>, 'id' | 'recorded_at'>>) =>
  db
    .insertInto('application_steps')
    .values({
      application_id: r.application_id, seq: r.seq, action: r.action, status_after: r.status_after, actor_kind: r.actor_kind, actor_account_id: r.actor_account_id,
      actor_name: r.actor_name, assisted_by_account_id: r.assisted_by_account_id, department_id: r.department_id, note: r.note, details: r.details,
    })
    .returningAll(),
);

export async function insertStep(tx: Executor, s: NewStep): Promise<StepRow> {
  const { rows } = await insertStepRow(tx, {
    application_id: s.applicationId, seq: s.seq, action: s.action, status_after: s.statusAfter, actor_kind: s.actorKind, actor_account_id: s.actorAccountId,
    actor_name: s.actorName, assisted_by_account_id: s.assistedBy ?? null, department_id: s.departmentId, note: s.note ?? null, details: JSON.stringify(s.details ?? {}),
  });
  return rows[0]!;
}

export interface Projection {
  status: Status;
  departmentId: number;
  assigneeAccountId: number | null;
  dueDate: string | null;
  /** give the application its receipt number (date in the deployment's zone, then a sequence) */
  assignReceipt?: { timeZone: string };
  decided?: boolean;
  escalated?: boolean;
  answers?: FormData;
}

/**
 * Rewrites the projection, and announces the change on `channel` in the same statement
 * (delivered when the transaction commits).
 * @returns the receipt number (assigned now or earlier)
 */
export async function writeProjection(tx: Executor, id: number, p: Projection, channel: string): Promise<string | null> {
  const row = await tx
    .updateTable('applications')
    .set({
      status: p.status,
      department_id: p.departmentId,
      assignee_account_id: p.assigneeAccountId,
      due_date: p.dueDate,
      updated_at: sql<Date>`now()`,
      ...(p.assignReceipt
        ? {
            receipt_no: sql<string>`to_char(now() at time zone ${p.assignReceipt.timeZone}, 'YYYYMMDD') || '-' || lpad(nextval('application_receipt_seq')::text, 7, '0')`,
            submitted_at: sql<Date>`now()`,
          }
        : {}),
      ...(p.decided !== undefined ? { decided_at: p.decided ? sql<Date>`now()` : null } : {}),
      ...(p.escalated ? { escalated_at: sql<Date>`now()` } : {}),
      ...(p.answers ? { answers: JSON.stringify(p.answers) } : {}),
    })
    .where('id', '=', id)
    .returning(['receipt_no', sql<void>`pg_notify(${channel}, ${String(id)})`.as('announced')])
    .executeTakeFirstOrThrow();
  return row.receipt_no;
}

// The calendar changes a few times a year and every deadline reads it: kept for a minute,
// and dropped at once when this instance changes it (others see a change within a minute).
let holidays: { days: Set<string>; at: number } | undefined;
const HOLIDAYS_TTL_MS = 60_000;

/** Public holidays as `YYYY-MM-DD`. */
export async function holidaySet(db: Executor): Promise<Set<string>> {
  if (holidays && Date.now() - holidays.at < HOLIDAYS_TTL_MS) return holidays.days;
  const rows = await db.selectFrom('holidays').select('day').execute();
  holidays = { days: new Set(rows.map((r) => r.day)), at: Date.now() };
  return holidays.days;
}

export function forgetHolidays(): void {
  holidays = undefined;
}
