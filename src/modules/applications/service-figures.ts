import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import type { ServiceFigures } from '../catalogue/index.ts';
import { holidaySet } from './repository.ts';
import { INTEGRITY_MINIMUM, integrityIndex } from './integrity.ts';
import { localDay, workingDaysBetween } from './working-days.ts';

const median = (values: number[]): number | null => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** Whose record: one service, or one department (by where the application was decided). */
export type RecordScope = { serviceId: number } | { departmentId: number };

/**
 * The public record (OPEN): decisions of the last twelve months, how long they took in
 * working days and whether they met the deadline; applications this month; open
 * applications past their deadline now; the integrity index from feedback and the record.
 */
export async function processingRecord(db: Db, scope: RecordScope, timeZone: string): Promise<ServiceFigures> {
  const inScope = 'serviceId' in scope ? sql`a.service_id = ${scope.serviceId}` : sql`a.department_id = ${scope.departmentId}`;
  const decided = await sql<{ id: number; submitted_at: Date; decided_at: Date; due_date: string | null; supplements: number; reopened: boolean }>`
    select a.id, a.submitted_at, a.decided_at, a.due_date,
      (select count(*)::int from application_steps s where s.application_id = a.id and s.action = 'request-supplement') as supplements,
      exists (select 1 from application_steps s where s.application_id = a.id and s.action = 'reopen') as reopened
    from applications a
    where ${inScope} and a.status in ('approved', 'rejected') and a.decided_at >= now() - interval '12 months'`.execute(db);
  const counts = await sql<{ this_month: number; overdue: number }>`
    select
      count(*) filter (where a.submitted_at >= date_trunc('month', now() at time zone ${timeZone}) at time zone ${timeZone})::int as this_month,
      count(*) filter (where a.status in ('submitted', 'in-review') and a.due_date < (now() at time zone ${timeZone})::date)::int as overdue
    from applications a where ${inScope}`.execute(db);
  const feedback = await sql<{ responses: number; clean: number; satisfaction: number }>`
    select count(*)::int as responses, count(*) filter (where not f.improper_request)::int as clean, coalesce(sum(f.satisfaction), 0)::int as satisfaction
    from application_feedback f join applications a on a.id = f.application_id
    where ${inScope} and a.decided_at >= now() - interval '12 months'`.execute(db);
  const holidays = decided.rows.length ? await holidaySet(db) : new Set<string>();
  const days: number[] = [];
  let onTime = 0;
  let supplements = 0;
  let reversed = 0;
  for (const d of decided.rows) {
    const decidedDay = localDay(d.decided_at, timeZone);
    days.push(workingDaysBetween(localDay(d.submitted_at, timeZone), decidedDay, holidays));
    if (d.due_date && decidedDay <= d.due_date) onTime++;
    supplements += d.supplements;
    if (d.reopened) reversed++;
  }
  const f = feedback.rows[0]!;
  const c = counts.rows[0]!;
  return {
    medianDays: median(days),
    withinDeadlineShare: days.length ? onTime / days.length : null,
    decided: days.length,
    thisMonth: c.this_month,
    overdue: c.overdue,
    integrity: {
      index: integrityIndex({ responses: f.responses, clean: f.clean, satisfactionSum: f.satisfaction, decided: days.length, withinDeadline: onTime, supplements, reversed }),
      responses: f.responses,
      minimum: INTEGRITY_MINIMUM,
    },
  };
}

export const serviceFigures = (db: Db, serviceId: number, timeZone: string) => processingRecord(db, { serviceId }, timeZone);
