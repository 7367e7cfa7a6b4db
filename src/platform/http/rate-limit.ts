import { sql } from 'kysely';
import type { Db } from '../db/database.ts';

/**
 * Fixed one-minute windows counted in PostgreSQL, so the limit holds across every app
 * instance. Returns whether this hit is allowed and how many seconds until the window ends.
 */
export async function hitRateLimit(db: Db, key: string, limit: number): Promise<{ allowed: boolean; retryAfter: number; hits: number }> {
  const result = await sql<{ hits: number; retry_after: number }>`
    insert into rate_limits as r (key, window_start, hits)
    values (${key}, date_trunc('minute', now()), 1)
    on conflict (key) do update
      set hits = case when r.window_start = excluded.window_start then r.hits + 1 else 1 end,
          window_start = excluded.window_start
    returning hits, ceil(extract(epoch from (window_start + interval '1 minute' - now())))::int as retry_after`.execute(db);
  const row = result.rows[0]!;
  return { allowed: row.hits <= limit, retryAfter: Math.max(1, row.retry_after), hits: row.hits };
}

export async function purgeRateLimits(db: Db): Promise<void> {
  await db.deleteFrom('rate_limits').where('window_start', '<', sql<Date>`now() - interval '5 minutes'`).execute();
}
