import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import { appendEntry } from './append-entry.ts';
import type { RecordSource } from './audit-log.ts';
import { LOG_LOCK } from './advance-log.ts';

/**
 * A log started on a database that already has records (an upgrade) takes them in once,
 * oldest first, each with its original time, so the audit can vouch for them from then on.
 * Runs only while the log has no entry at all; instances starting together wait on the
 * log's lock and the second finds the work done.
 * @returns how many entries were added
 */
export async function backfillLog(db: Db, sources: readonly RecordSource[]): Promise<number> {
  if (await db.selectFrom('transparency_entries').select('id').limit(1).executeTakeFirst()) return 0;
  return db.transaction().execute(async (tx) => {
    await sql`select pg_advisory_xact_lock(${LOG_LOCK})`.execute(tx);
    if (await tx.selectFrom('transparency_entries').select('id').limit(1).executeTakeFirst()) return 0;
    let added = 0;
    for (const source of sources) {
      for await (const subjects of source.subjects(tx)) {
        const records = await source.records(tx, subjects);
        for (const subject of subjects) {
          const record = records.get(subject);
          if (record === undefined) continue;
          await appendEntry(tx, { type: source.type, subject, record, time: source.timeOf(record) });
          added += 1;
        }
      }
    }
    return added;
  });
}
