import type { Executor } from '../../platform/db/database.ts';
import { assembleProof, consistencyPlan, inclusionPlan, nodesNeeded, type LeafRange } from './merkle.ts';
import { leafIndexOfHash, nodesAt } from './repository.ts';

/** A proof from the stored perfect subtrees: one query, whatever the tree's size. */
async function proofFrom(db: Executor, plan: readonly LeafRange[]): Promise<Buffer[]> {
  const nodes = await nodesAt(db, nodesNeeded(plan));
  return assembleProof(plan, (level, index) => {
    const hash = nodes.get(`${level}:${index}`);
    if (!hash) throw new Error(`transparency: node ${level}:${index} is missing`);
    return hash;
  });
}

/** The audit path of the leaf with `hash` in the tree's first `treeSize` leaves, if it is there. */
export async function inclusionByHash(db: Executor, hash: Uint8Array, treeSize: number): Promise<{ leafIndex: number; auditPath: Buffer[] } | undefined> {
  const leafIndex = await leafIndexOfHash(db, hash, treeSize);
  if (leafIndex === undefined) return undefined;
  return { leafIndex, auditPath: await proofFrom(db, inclusionPlan(leafIndex, treeSize)) };
}

/** That the tree of `second` leaves extends the tree of `first` (0 < first ≤ second ≤ the tree's size). */
export function consistencyBetween(db: Executor, first: number, second: number): Promise<Buffer[]> {
  if (first === second) return Promise.resolve([]);
  return proofFrom(db, consistencyPlan(first, second));
}
