/**
 * Statutory deadlines in working days. A working day is Monday to Friday and not a public
 * holiday of the deployment's calendar. Days are `YYYY-MM-DD` in the deployment's zone.
 *
 * The rule Nara applies (documented on the integrity page and in docs/applications.md):
 * the period starts the day after receipt; the deadline is the last day of the period;
 * working days from the day after a supplement request up to and including the day the
 * applicant resubmits do not count, so the deadline moves by that many working days.
 */

const dayFormatters = new Map<string, Intl.DateTimeFormat>();

let today: { zone: string; minute: number; day: string } | undefined;

/** The day it is now in a time zone (worked out at most once a minute: pages ask on every request). */
export function localToday(timeZone: string): string {
  const minute = Math.floor(Date.now() / 60_000);
  if (!today || today.minute !== minute || today.zone !== timeZone) today = { zone: timeZone, minute, day: localDay(new Date(), timeZone) };
  return today.day;
}

// Every change of offset and every local midnight falls on a quarter hour in UTC (today's
// offsets are whole quarter hours, and changes happen on a local quarter hour), so all
// instants of one UTC quarter hour share their local day: it is worked out once per quarter
// hour and zone.
const QUARTER_HOUR_MS = 15 * 60_000;
const daysByQuarter = new Map<string, string>();

/** The calendar day of an instant in a time zone. */
export function localDay(instant: Date, timeZone: string): string {
  const key = `${timeZone} ${Math.floor(instant.getTime() / QUARTER_HOUR_MS)}`;
  const known = daysByQuarter.get(key);
  if (known !== undefined) return known;
  let f = dayFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormatters.set(timeZone, f);
  }
  const day = f.format(instant);
  if (daysByQuarter.size >= 10_000) daysByQuarter.clear();
  daysByQuarter.set(key, day);
  return day;
}

const toUtc = (day: string) => new Date(`${day}T00:00:00Z`);
const fromUtc = (d: Date) => d.toISOString().slice(0, 10);
const nextDay = (day: string) => {
  const d = toUtc(day);
  d.setUTCDate(d.getUTCDate() + 1);
  return fromUtc(d);
};

export function isWorkingDay(day: string, holidays: ReadonlySet<string>): boolean {
  const weekday = toUtc(day).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !holidays.has(day);
}

/** The `n`th working day after `day` (for n = 0: `day` if it is a working day, else the next one). */
export function addWorkingDays(day: string, n: number, holidays: ReadonlySet<string>): string {
  let current = day;
  if (n === 0) {
    while (!isWorkingDay(current, holidays)) current = nextDay(current);
    return current;
  }
  let left = n;
  while (left > 0) {
    current = nextDay(current);
    if (isWorkingDay(current, holidays)) left--;
  }
  return current;
}

/** Working days in (from, to]; negative when `to` is before `from`. */
export function workingDaysBetween(from: string, to: string, holidays: ReadonlySet<string>): number {
  if (to < from) return -workingDaysBetween(to, from, holidays);
  let count = 0;
  for (let d = from; d < to; ) {
    d = nextDay(d);
    if (isWorkingDay(d, holidays)) count++;
  }
  return count;
}

export interface TimedStep {
  action: string;
  recordedAt: Date;
}

export interface Deadline {
  /** the last day of the period, or null while the clock is paused or before submission */
  due: string | null;
  paused: boolean;
  /** working days the clock stood still for supplements */
  pausedDays: number;
}

/** The deadline the steps so far give an application with a period of `periodDays`. */
export function deadlineOf(steps: TimedStep[], periodDays: number, holidays: ReadonlySet<string>, timeZone: string): Deadline {
  const submitted = steps.find((s) => s.action === 'submit');
  if (!submitted) return { due: null, paused: false, pausedDays: 0 };
  let pausedDays = 0;
  let pausedSince: string | undefined;
  for (const step of steps) {
    if (step.action === 'request-supplement') pausedSince = localDay(step.recordedAt, timeZone);
    if (step.action === 'resubmit' && pausedSince !== undefined) {
      pausedDays += Math.max(0, workingDaysBetween(pausedSince, localDay(step.recordedAt, timeZone), holidays));
      pausedSince = undefined;
    }
  }
  if (pausedSince !== undefined) return { due: null, paused: true, pausedDays };
  return { due: addWorkingDays(localDay(submitted.recordedAt, timeZone), periodDays + pausedDays, holidays), paused: false, pausedDays };
}
