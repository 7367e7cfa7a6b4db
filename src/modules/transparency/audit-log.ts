import { createPublicKey, type KeyObject } from 'node:crypto';
import type { Executor } from '../../platform/db/database.ts';
import { contentHashOf, parseLeafInput } from './append-entry.ts';
import { appendLeaves, leafHash, rootFromFrontier, verifyConsistency, type PerfectNode } from './merkle.ts';
import { consistencyBetween } from './proofs.ts';
import { entriesByIndex, headsAfter, nodesAt, type StoredHead } from './repository.ts';
import { verifyTreeHead } from './tree-head.ts';

/** Where the audit finds the records behind one type of entry (wired in by the composition root). */
export interface RecordSource {
  type: string;
  /** the records of these subjects as they are now, built as when they were logged */
  records(db: Executor, subjects: readonly string[]): Promise<Map<string, unknown>>;
  /** every subject that should be in the log, in batches, oldest first */
  subjects(db: Executor): AsyncIterable<string[]>;
  /** when the record's event happened (the time its entry carries) */
  timeOf(record: unknown): Date;
}

export type ProblemKind =
  | 'leaf-hash' | 'leaf-content' | 'leaf-gap' | 'node' | 'tree-root'
  | 'head-signature' | 'head-root' | 'head-order' | 'head-consistency' | 'head-beyond-tree'
  | 'record-changed' | 'record-missing' | 'record-unlogged';

export interface Problem {
  kind: ProblemKind;
  message: string;
  leafIndex?: number;
  subject?: string;
  headId?: number;
}

export interface AuditReport {
  leaves: number;
  /** entries written but not yet placed in the tree */
  waiting: number;
  heads: number;
  recordsChecked: number;
  /** entries of a type no source was given for */
  recordsUnchecked: number;
  problems: Problem[];
}

const BATCH = 10_000;

/**
 * Recomputes the tree from the stored entries and checks everything the log claims:
 * each leaf against its input, each stored node, each signed head's signature and root,
 * consistency between consecutive heads, and each entry's record against the record as
 * it stands now. Reads in batches, so memory stays small at millions of entries (apart
 * from one set of subjects, to find records missing from the log).
 */
export async function auditLog(db: Executor, sources: readonly RecordSource[]): Promise<AuditReport> {
  const problems: Problem[] = [];
  const byType = new Map(sources.map((s) => [s.type, s]));
  const logged = new Set<string>();
  const keys = new Map<string, KeyObject>();
  for (const k of await db.selectFrom('transparency_keys').select(['key_id', 'public_key']).execute()) {
    keys.set(k.key_id, createPublicKey({ key: Buffer.from(k.public_key), format: 'der', type: 'spki' }));
  }

  const heads: StoredHead[] = [];
  for (let after = 0; ; ) {
    const batch = await headsAfter(db, after, BATCH);
    if (batch.length === 0) break;
    heads.push(...batch);
    after = batch[batch.length - 1]!.id;
  }
  // Roots the recomputed tree had at each size some head names.
  const wantedSizes = new Set(heads.map((h) => h.treeSize));
  const rootsAt = new Map<number, Buffer>();
  if (wantedSizes.has(0)) rootsAt.set(0, rootFromFrontier([]));

  let frontier: PerfectNode[] = [];
  let size = 0;
  let recordsChecked = 0;
  let recordsUnchecked = 0;
  for (;;) {
    const entries = await entriesByIndex(db, size, size + BATCH - 1);
    if (entries.length === 0) break;
    const hashes: Buffer[] = [];
    for (const [i, e] of entries.entries()) {
      if (e.leafIndex !== size + i) {
        problems.push({ kind: 'leaf-gap', leafIndex: size + i, message: `leaf ${size + i} is missing; the next stored leaf is ${e.leafIndex}` });
        break;
      }
      const recomputed = leafHash(e.leafInput);
      if (!recomputed.equals(e.leafHash)) problems.push({ kind: 'leaf-hash', leafIndex: e.leafIndex, subject: e.subject, message: `leaf ${e.leafIndex}: its stored hash does not match its input` });
      const content = parseLeafInput(e.leafInput);
      if (!content || content.type !== e.entryType || content.subject !== e.subject || content.content_hash !== e.contentHash.toString('hex')) {
        problems.push({ kind: 'leaf-content', leafIndex: e.leafIndex, subject: e.subject, message: `leaf ${e.leafIndex}: its input no longer says what the entry says (${e.subject})` });
      }
      logged.add(e.subject);
      hashes.push(recomputed);
    }
    // Only whole steps of the recomputation: stop at a gap, the rest cannot be placed.
    const placed = entries.slice(0, hashes.length);
    const sizesHere = [...wantedSizes].filter((s) => s > size && s <= size + hashes.length).sort((a, b) => a - b);
    const grownNodes: PerfectNode[] = [];
    // Appending stops at each head's size so that head's root can be compared.
    let done = 0;
    for (const target of [...sizesHere, size + hashes.length]) {
      const take = target - (size + done);
      if (take <= 0) continue;
      const grown = appendLeaves(size + done, frontier, hashes.slice(done, done + take));
      grownNodes.push(...grown.newNodes);
      frontier = grown.frontier;
      done += take;
      if (wantedSizes.has(target)) rootsAt.set(target, grown.root);
    }
    const stored = await nodesAt(db, grownNodes);
    for (const n of grownNodes) {
      const s = stored.get(`${n.level}:${n.index}`);
      if (!s || !s.equals(n.hash)) problems.push({ kind: 'node', message: `stored tree node ${n.level}:${n.index} ${s ? 'differs from' : 'is missing from'} the recomputed tree` });
    }
    size += hashes.length;
    const checked = await checkRecords(db, placed, byType, problems);
    recordsChecked += checked.checked;
    recordsUnchecked += checked.unchecked;
    if (hashes.length < entries.length || entries.length < BATCH) break;
  }

  const tree = await db.selectFrom('transparency_tree').select(['size', 'root_hash']).executeTakeFirst();
  if (tree && (tree.size !== size || !rootFromFrontier(frontier).equals(Buffer.from(tree.root_hash)))) {
    problems.push({ kind: 'tree-root', message: `the sequencer's tree (${tree.size} leaves) does not match the tree recomputed from the entries (${size} leaves)` });
  }

  let previous: StoredHead | undefined;
  for (const head of heads) {
    const key = keys.get(head.keyId);
    if (!key || !verifyTreeHead(head, key)) problems.push({ kind: 'head-signature', headId: head.id, message: `head ${head.id} (size ${head.treeSize}): the signature does not verify with the log's key` });
    const root = rootsAt.get(head.treeSize);
    if (head.treeSize > size) problems.push({ kind: 'head-beyond-tree', headId: head.id, message: `head ${head.id} claims ${head.treeSize} leaves; the log holds ${size}` });
    else if (!root || !root.equals(head.rootHash)) problems.push({ kind: 'head-root', headId: head.id, message: `head ${head.id} (size ${head.treeSize}): its root is not the root of the recorded entries` });
    if (previous) {
      if (head.treeSize < previous.treeSize || head.timestamp < previous.timestamp) {
        problems.push({ kind: 'head-order', headId: head.id, message: `head ${head.id} goes back from head ${previous.id} (size ${previous.treeSize} → ${head.treeSize})` });
      } else if (previous.treeSize > 0 && head.treeSize <= size) {
        const proof = await consistencyBetween(db, previous.treeSize, head.treeSize).catch(() => undefined);
        if (!proof || !verifyConsistency({ first: previous.treeSize, second: head.treeSize, firstRoot: previous.rootHash, secondRoot: head.rootHash, proof })) {
          problems.push({ kind: 'head-consistency', headId: head.id, message: `head ${head.id} (size ${head.treeSize}) is not consistent with head ${previous.id} (size ${previous.treeSize})` });
        }
      }
    }
    previous = head;
  }

  const waitingRows = await db.selectFrom('transparency_entries').select(['subject']).where('leaf_index', 'is', null).execute();
  for (const w of waitingRows) logged.add(w.subject);
  for (const source of sources) {
    for await (const subjects of source.subjects(db)) {
      for (const subject of subjects) {
        if (!logged.has(subject)) problems.push({ kind: 'record-unlogged', subject, message: `${subject} is not in the log` });
      }
    }
  }
  return { leaves: size, waiting: waitingRows.length, heads: heads.length, recordsChecked, recordsUnchecked, problems };
}

async function checkRecords(db: Executor, entries: Awaited<ReturnType<typeof entriesByIndex>>, byType: Map<string, RecordSource>, problems: Problem[]) {
  let checked = 0;
  let unchecked = 0;
  const groups = new Map<string, typeof entries>();
  for (const e of entries) {
    const group = groups.get(e.entryType);
    if (group) group.push(e);
    else groups.set(e.entryType, [e]);
  }
  for (const [type, group] of groups) {
    const source = byType.get(type);
    if (!source) {
      unchecked += group.length;
      continue;
    }
    const records = await source.records(db, group.map((e) => e.subject));
    for (const e of group) {
      checked += 1;
      const record = records.get(e.subject);
      if (record === undefined) problems.push({ kind: 'record-missing', leafIndex: e.leafIndex!, subject: e.subject, message: `leaf ${e.leafIndex}: ${e.subject} no longer exists` });
      else if (!contentHashOf(e.salt, record).equals(e.contentHash)) problems.push({ kind: 'record-changed', leafIndex: e.leafIndex!, subject: e.subject, message: `leaf ${e.leafIndex}: ${e.subject} has changed since it was logged` });
    }
  }
  return { checked, unchecked };
}
