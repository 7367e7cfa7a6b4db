import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.ts';
import type { TreeHead } from './tree-head.ts';

export interface NodePosition {
  level: number;
  index: number;
}

/** Stored perfect-subtree hashes, keyed `level:index`. */
export async function nodesAt(db: Executor, positions: readonly NodePosition[]): Promise<Map<string, Buffer>> {
  const found = new Map<string, Buffer>();
  if (positions.length === 0) return found;
  const { rows } = await sql<{ level: number; idx: number; hash: Uint8Array }>`
    select n.level, n.idx, n.hash
      from unnest(${positions.map((p) => p.level)}::smallint[], ${positions.map((p) => p.index)}::bigint[]) as want(level, idx)
      join transparency_nodes n on n.level = want.level and n.idx = want.idx`.execute(db);
  for (const r of rows) found.set(`${r.level}:${r.idx}`, Buffer.from(r.hash));
  return found;
}

export interface StoredHead extends TreeHead {
  id: number;
  keyId: string;
  createdAt: Date;
}

const toHead = (r: { id: number; tree_size: number; timestamp_ms: number; root_hash: Uint8Array; signature: Uint8Array; key_id: string; created_at: Date }): StoredHead => ({
  id: r.id,
  treeSize: r.tree_size,
  timestamp: r.timestamp_ms,
  rootHash: Buffer.from(r.root_hash),
  signature: Buffer.from(r.signature),
  keyId: r.key_id,
  createdAt: r.created_at,
});

export async function latestHead(db: Executor): Promise<StoredHead | undefined> {
  const row = await db.selectFrom('transparency_heads').selectAll().orderBy('id', 'desc').limit(1).executeTakeFirst();
  return row ? toHead(row) : undefined;
}

/** Every head, oldest first, `limit` at a time after `afterId`. */
export async function headsAfter(db: Executor, afterId: number, limit: number): Promise<StoredHead[]> {
  const rows = await db.selectFrom('transparency_heads').selectAll().where('id', '>', afterId).orderBy('id').limit(limit).execute();
  return rows.map(toHead);
}

export async function treeSize(db: Executor): Promise<number> {
  return (await db.selectFrom('transparency_tree').select('size').executeTakeFirst())?.size ?? 0;
}

export interface EntryRow {
  id: number;
  entryType: string;
  subject: string;
  salt: Buffer;
  contentHash: Buffer;
  leafInput: Buffer;
  leafHash: Buffer;
  leafIndex: number | null;
}

type RawEntry = { id: number; entry_type: string; subject: string; salt: Uint8Array; content_hash: Uint8Array; leaf_input: Uint8Array; leaf_hash: Uint8Array; leaf_index: number | null };
const toEntry = (r: RawEntry): EntryRow => ({
  id: r.id,
  entryType: r.entry_type,
  subject: r.subject,
  salt: Buffer.from(r.salt),
  contentHash: Buffer.from(r.content_hash),
  leafInput: Buffer.from(r.leaf_input),
  leafHash: Buffer.from(r.leaf_hash),
  leafIndex: r.leaf_index,
});

/** Entries by position in the tree, `start` to `end` inclusive. */
export async function entriesByIndex(db: Executor, start: number, end: number): Promise<EntryRow[]> {
  const rows = await db.selectFrom('transparency_entries').selectAll().where('leaf_index', '>=', start).where('leaf_index', '<=', end).orderBy('leaf_index').execute();
  return rows.map(toEntry);
}

export async function entriesBySubject(db: Executor, subjects: readonly string[]): Promise<EntryRow[]> {
  if (subjects.length === 0) return [];
  const rows = await db.selectFrom('transparency_entries').selectAll().where('subject', 'in', subjects).orderBy('id').execute();
  return rows.map(toEntry);
}

export async function leafIndexOfHash(db: Executor, hash: Uint8Array, below: number): Promise<number | undefined> {
  // No ORDER BY: with one, the planner walks the leaf_index index instead of the hash's.
  // Two leaves never share a hash (each content hash is salted), so there is one row at most.
  const rows = await db.selectFrom('transparency_entries').select('leaf_index').where('leaf_hash', '=', hash).execute();
  const found = rows.map((r) => r.leaf_index).filter((i): i is number => i !== null && i < below);
  return found.length > 0 ? Math.min(...found) : undefined;
}
