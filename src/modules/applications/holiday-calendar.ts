import type { Db } from '../../platform/db/database.ts';
import { DomainError } from '../../platform/http/errors.ts';
import { writeAuditEvent } from '../../platform/audit/write-audit-event.ts';
import { forgetHolidays } from './repository.ts';

export interface Holiday {
  day: string;
  nameKo: string;
  nameEn: string;
}

const isDay = (day: string) => /^\d{4}-\d{2}-\d{2}$/.test(day) && !Number.isNaN(Date.parse(`${day}T00:00:00Z`)) && new Date(`${day}T00:00:00Z`).toISOString().startsWith(day);

export async function listHolidays(db: Db, year?: number): Promise<Holiday[]> {
  let q = db.selectFrom('holidays').selectAll().orderBy('day');
  if (year) q = q.where('day', '>=', `${year}-01-01`).where('day', '<=', `${year}-12-31`);
  return (await q.execute()).map((r) => ({ day: r.day, nameKo: r.name_ko, nameEn: r.name_en }));
}

/**
 * Adds a public holiday, or renames one, by an operator. Deadlines already set keep their
 * day; applications submitted from now on count it as a holiday.
 * @throws DomainError VALIDATION_FAILED (not a calendar day, or a name missing)
 */
export async function setHoliday(db: Db, h: Holiday, by: string): Promise<void> {
  if (!isDay(h.day) || !h.nameKo.trim() || !h.nameEn.trim()) throw new DomainError('VALIDATION_FAILED', 'applications.error.holiday');
  await db.transaction().execute(async (tx) => {
    await tx.insertInto('holidays').values({ day: h.day, name_ko: h.nameKo.trim(), name_en: h.nameEn.trim() }).onConflict((oc) => oc.column('day').doUpdateSet({ name_ko: h.nameKo.trim(), name_en: h.nameEn.trim() })).execute();
    await writeAuditEvent(tx, { action: 'applications.holiday.set', actor: { accountId: null }, details: { day: h.day, nameKo: h.nameKo, nameEn: h.nameEn, by } });
  });
  forgetHolidays();
}

/** @returns whether there was such a holiday */
export async function removeHoliday(db: Db, day: string, by: string): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    const removed = await tx.deleteFrom('holidays').where('day', '=', day).executeTakeFirst();
    if (removed.numDeletedRows > 0n) await writeAuditEvent(tx, { action: 'applications.holiday.removed', actor: { accountId: null }, details: { day, by } });
    forgetHolidays();
    return removed.numDeletedRows > 0n;
  });
}
