import { sql } from 'kysely';
import type { Db } from '../db/database.ts';

export interface RateLimitHit {
  allowed: boolean;
  /** seconds until the window ends */
  retryAfter: number;
  hits: number;
}

export interface RateLimiter {
  hit(key: string, limit: number): Promise<RateLimitHit>;
  /** drops finished windows (the maintenance job) */
  purge(): Promise<void>;
}

/**
 * Fixed one-minute windows. On PostgreSQL they are counted in the database, so the limit
 * holds across every app instance. The embedded database has exactly one instance (the
 * data-directory lock sees to that), so there the same windows are counted in memory and
 * a form submission costs no extra statement.
 */
export function createRateLimiter(db: Db, kind: 'pglite' | 'postgres'): RateLimiter {
  return kind === 'postgres' ? databaseRateLimiter(db) : memoryRateLimiter();
}

function databaseRateLimiter(db: Db): RateLimiter {
  return {
    async hit(key, limit) {
      const result = await sql<{ hits: number; retry_after: number }>`
        insert into rate_limits as r (key, window_start, hits)
        values (${key}, date_trunc('minute', now()), 1)
        on conflict (key) do update
          set hits = case when r.window_start = excluded.window_start then r.hits + 1 else 1 end,
              window_start = excluded.window_start
        returning hits, ceil(extract(epoch from (window_start + interval '1 minute' - now())))::int as retry_after`.execute(db);
      const row = result.rows[0]!;
      return { allowed: row.hits <= limit, retryAfter: Math.max(1, row.retry_after), hits: row.hits };
    },
    async purge() {
      await db.deleteFrom('rate_limits').where('window_start', '<', sql<Date>`now() - interval '5 minutes'`).execute();
    },
  };
}

export function memoryRateLimiter(now = () => Date.now()): RateLimiter {
  const windows = new Map<string, { start: number; hits: number }>();
  let swept = 0;
  return {
    async hit(key, limit) {
      const time = now();
      const start = time - (time % 60_000);
      if (start !== swept) {
        // Once a minute, windows other than this one go, so none can grow without bound
        // (a clock that steps back cannot keep an old window alive either).
        swept = start;
        for (const [k, w] of windows) if (w.start !== start) windows.delete(k);
      }
      let window = windows.get(key);
      if (!window || window.start !== start) {
        window = { start, hits: 0 };
        windows.set(key, window);
      }
      window.hits++;
      return { allowed: window.hits <= limit, retryAfter: Math.max(1, Math.ceil((start + 60_000 - time) / 1000)), hits: window.hits };
    },
    async purge() {
      const time = now();
      const start = time - (time % 60_000);
      for (const [k, w] of windows) if (w.start !== start) windows.delete(k);
    },
  };
}
