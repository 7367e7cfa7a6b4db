import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.ts';

export interface GrowthDay {
  /** YYYY-MM-DD in the deployment's zone */
  day: string;
  /** the largest signed tree size that day */
  treeSize: number;
}

/** The log's size at the end of each of its last `days` days with a signed head, newest first. */
export async function logGrowth(db: Executor, timeZone: string, days = 14): Promise<GrowthDay[]> {
  const { rows } = await sql<{ day: string; tree_size: number }>`
    select to_char(to_timestamp(timestamp_ms / 1000.0) at time zone ${timeZone}, 'YYYY-MM-DD') as day, max(tree_size) as tree_size
      from transparency_heads
     where timestamp_ms >= (extract(epoch from now() - make_interval(days => ${days + 1})) * 1000)::bigint
     group by 1
     order by 1 desc
     limit ${days}`.execute(db);
  return rows.map((r) => ({ day: r.day, treeSize: Number(r.tree_size) }));
}
