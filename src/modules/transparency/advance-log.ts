import { sql } from 'kysely';
import type { Db, Executor } from '../../platform/db/database.ts';
import { appendLeaves, EMPTY_ROOT, frontierOf, perfectRanges } from './merkle.ts';
import { encodeDigitallySigned, treeHeadSignedData } from './tree-head.ts';
import type { LogSigner } from './log-key.ts';
import { latestHead, nodesAt } from './repository.ts';

/** Held by whoever sequences or signs, so heads come out in order from any number of instances. */
export const LOG_LOCK = 6_962_001;
const BATCH = 20_000;

export interface AdvanceOptions {
  /** sign a new head even if the tree has not grown (an operator's request) */
  forceHead?: boolean;
  /** sign a new head when the newest is older than this, grown or not (default one hour) */
  maxHeadAgeMs?: number;
  /** wait for another instance that is advancing the log, rather than leaving it to it */
  wait?: boolean;
}

export interface Advanced {
  /** entries placed in the tree */
  sequenced: number;
  treeSize: number;
  /** a new head was signed */
  signed: boolean;
  /** another instance held the log and this call did nothing */
  busy?: boolean;
}

/**
 * The sequencer: places waiting entries in the tree, in batches, and signs a tree head when
 * the tree has grown, when the newest head is stale, or when asked. Appending entries never
 * waits for this; only sequencers and signers take the log's lock.
 */
export async function advanceLog(db: Db, signer: LogSigner, options: AdvanceOptions = {}): Promise<Advanced> {
  const key = await signer();
  let sequenced = 0;
  for (;;) {
    const step = await db.transaction().execute(async (tx) => {
      if (options.wait) await sql`select pg_advisory_xact_lock(${LOG_LOCK})`.execute(tx);
      else {
        const { rows } = await sql<{ got: boolean }>`select pg_try_advisory_xact_lock(${LOG_LOCK}) as got`.execute(tx);
        if (!rows[0]?.got) return { busy: true as const };
      }
      const tree = await tx.selectFrom('transparency_tree').select(['size', 'root_hash']).executeTakeFirst();
      const size = tree?.size ?? 0;
      const waiting = await tx.selectFrom('transparency_entries').select(['id', 'leaf_hash']).where('leaf_index', 'is', null).orderBy('id').limit(BATCH).execute();
      if (waiting.length > 0) {
        const known = await nodesAt(tx, size === 0 ? [] : perfectRanges(0, size));
        const grown = appendLeaves(size, frontierOf(size, (level, index) => known.get(`${level}:${index}`)!), waiting.map((w) => w.leaf_hash));
        await sql`
          update transparency_entries e set leaf_index = v.leaf_index
            from unnest(${waiting.map((w) => w.id)}::bigint[], ${waiting.map((_, i) => size + i)}::bigint[]) as v(id, leaf_index)
           where e.id = v.id`.execute(tx);
        await insertNodes(tx, grown.newNodes);
        if (tree) await tx.updateTable('transparency_tree').set({ size: grown.size, root_hash: grown.root, updated_at: sql<Date>`now()` }).execute();
        else await tx.insertInto('transparency_tree').values({ size: grown.size, root_hash: grown.root }).execute();
        if (waiting.length === BATCH) return { sequenced: waiting.length, more: true as const };
        return { sequenced: waiting.length, treeSize: grown.size, signed: await signIfDue(tx, grown.size, grown.root, options) };
      }
      return { sequenced: 0, treeSize: size, signed: await signIfDue(tx, size, tree ? tree.root_hash : EMPTY_ROOT, options) };
    });
    if ('busy' in step) return { sequenced, treeSize: -1, signed: false, busy: true };
    sequenced += step.sequenced;
    if ('more' in step) continue;
    return { sequenced, treeSize: step.treeSize, signed: step.signed };
  }

  async function signIfDue(tx: Executor, size: number, root: Uint8Array, o: AdvanceOptions): Promise<boolean> {
    const last = await latestHead(tx);
    const stale = !last || Date.now() - last.timestamp >= (o.maxHeadAgeMs ?? 3_600_000);
    if (!o.forceHead && !stale && last.treeSize === size) return false;
    // Heads never go back in time, even if this machine's clock does.
    const timestamp = Math.max(Date.now(), last ? last.timestamp : 0);
    const signature = encodeDigitallySigned(key.sign(treeHeadSignedData(timestamp, size, root)));
    await tx.insertInto('transparency_heads').values({ tree_size: size, timestamp_ms: timestamp, root_hash: root, key_id: key.keyId, signature }).execute();
    return true;
  }
}

async function insertNodes(tx: Executor, nodes: ReadonlyArray<{ level: number; index: number; hash: Uint8Array }>): Promise<void> {
  for (let i = 0; i < nodes.length; i += 10_000) {
    const chunk = nodes.slice(i, i + 10_000);
    await sql`
      insert into transparency_nodes (level, idx, hash)
      select level, idx, decode(hash, 'hex')
        from unnest(${chunk.map((n) => n.level)}::smallint[], ${chunk.map((n) => n.index)}::bigint[], ${chunk.map((n) => Buffer.from(n.hash).toString('hex'))}::text[]) as v(level, idx, hash)`.execute(tx);
  }
}
