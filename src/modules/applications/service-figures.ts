import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import type { ServiceFigures } from '../catalogue/index.ts';
import { holidaySet } from './repository.ts';
import { localDay, workingDaysBetween } from './working-days.ts';

/** Below this many feedback responses no integrity index is published. */
export const INTEGRITY_MINIMUM = 10;

const median = (values: number[]): number | null => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/**
 * The public record of a service (OPEN): decisions of the last twelve months, how long
 * they took in working days and whether they met the deadline; applications this month;
 * open applications past their deadline now.
 */
export async function serviceFigures(db: Db, serviceId: number, timeZone: string): Promise<ServiceFigures> {
  const decided = await db
    .selectFrom('applications')
    .select(['submitted_at', 'decided_at', 'due_date'])
    .where('service_id', '=', serviceId)
    .where('status', 'in', ['approved', 'rejected'])
    .where('decided_at', '>=', sql<Date>`now() - interval '12 months'`)
    .execute();
  const counts = await sql<{ this_month: number; overdue: number; today: string }>`
    select
      count(*) filter (where submitted_at >= date_trunc('month', now() at time zone ${timeZone}) at time zone ${timeZone})::int as this_month,
      count(*) filter (where status in ('submitted', 'in-review') and due_date < (now() at time zone ${timeZone})::date)::int as overdue,
      (now() at time zone ${timeZone})::date::text as today
    from applications where service_id = ${serviceId}`.execute(db);
  const holidays = decided.length ? await holidaySet(db) : new Set<string>();
  const days: number[] = [];
  let onTime = 0;
  for (const d of decided) {
    if (!d.submitted_at || !d.decided_at) continue;
    const decidedDay = localDay(d.decided_at, timeZone);
    days.push(workingDaysBetween(localDay(d.submitted_at, timeZone), decidedDay, holidays));
    if (d.due_date && decidedDay <= d.due_date) onTime++;
  }
  const row = counts.rows[0]!;
  return {
    medianDays: median(days),
    withinDeadlineShare: days.length ? onTime / days.length : null,
    decided: days.length,
    thisMonth: row.this_month,
    overdue: row.overdue,
    integrity: { index: null, responses: 0, minimum: INTEGRITY_MINIMUM },
  };
}
