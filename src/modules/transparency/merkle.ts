/**
 * The Merkle tree of RFC 6962 §2.1 (RFC 9162 §2.1): hashing, proofs and their verification,
 * and the incremental append a sequencer needs. Pure: no I/O.
 *
 * Storage model. A node (level L, index i) is the hash of the perfect subtree over leaves
 * [i·2^L, (i+1)·2^L); level 0 holds the leaf hashes. Only complete perfect subtrees are
 * stored, and they never change once written, so any proof for any tree size is assembled
 * from O(log n) of them: the planning functions say which, the assembly functions hash them.
 *
 * Indexes and sizes are JavaScript numbers, exact up to 2^53; arithmetic here avoids the
 * 32-bit bitwise operators for that reason.
 */
import { createHash } from 'node:crypto';

/** Bytes in every hash of the tree (SHA-256). */
export const HASH_SIZE = 32;

/** The root of the empty tree: SHA-256 of the empty string. */
export const EMPTY_ROOT: Buffer = createHash('sha256').digest();

/** A stored perfect subtree: leaves [index·2^level, (index+1)·2^level). */
export interface NodeId {
  level: number;
  index: number;
}

/** A perfect subtree with its hash. */
export interface PerfectNode extends NodeId {
  hash: Buffer;
}

/** The leaves [start, end) whose Merkle tree hash is one element of a proof. */
export interface LeafRange {
  start: number;
  end: number;
}

/** Reads a stored perfect node; it must exist (the plan only asks for complete ones). */
export type NodeLookup = (level: number, index: number) => Uint8Array;

/** The RFC 6962 hash of a leaf: SHA-256(0x00 || input). */
export function leafHash(leafInput: Uint8Array): Buffer {
  return createHash('sha256').update(LEAF_PREFIX).update(leafInput).digest();
}

/** The RFC 6962 hash of an interior node: SHA-256(0x01 || left || right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  return createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();
}

const LEAF_PREFIX = Uint8Array.of(0x00);
const NODE_PREFIX = Uint8Array.of(0x01);

/** MTH(D[n]) of RFC 6962 §2.1 over leaf hashes; the empty tree gives EMPTY_ROOT. */
export function rootOf(leafHashes: readonly Uint8Array[]): Buffer {
  leafHashes.forEach((h, i) => assertHash(h, `leaf hash ${i}`));
  return mth(leafHashes, 0, leafHashes.length);
}

/**
 * The stored perfect nodes whose fold is MTH(D[start:end]), left to right: one per set bit
 * of end − start, largest first. Ranges that appear in RFC 6962 proofs always decompose
 * this way; a range that does not (its start misaligned) is a caller error and throws.
 */
export function perfectRanges(start: number, end: number): NodeId[] {
  assertIndex(start, 'start');
  assertIndex(end, 'end');
  if (end <= start) throw new RangeError(`empty leaf range [${start}, ${end})`);
  const nodes: NodeId[] = [];
  let pos = start;
  for (let level = floorLog2(end - start); level >= 0; level--) {
    const width = 2 ** level;
    if (end - pos < width) continue;
    if (pos % width !== 0) throw new RangeError(`[${start}, ${end}) is not a subtree of an RFC 6962 tree`);
    nodes.push({ level, index: pos / width });
    pos += width;
  }
  return nodes;
}

/**
 * MTH(D[start:end]) from stored perfect nodes. Folded right to left: the ragged right
 * edge of an RFC 6962 tree hangs off the right, so the smallest subtrees join first.
 */
export function subtreeHash(start: number, end: number, lookup: NodeLookup): Buffer {
  const hashes = perfectRanges(start, end).map(({ level, index }) => fetchNode(lookup, level, index));
  let acc: Buffer = Buffer.from(hashes[hashes.length - 1]!);
  for (let i = hashes.length - 2; i >= 0; i--) acc = nodeHash(hashes[i]!, acc);
  return acc;
}

/** The ranges whose hashes form PATH(index, D[treeSize]) (RFC 6962 §2.1.1), bottom-up. */
export function inclusionPlan(index: number, treeSize: number): LeafRange[] {
  assertIndex(index, 'index');
  assertIndex(treeSize, 'treeSize');
  if (index >= treeSize) throw new RangeError(`leaf ${index} is not in a tree of ${treeSize}`);
  // Walk down from the root collecting the sibling at each split; the proof lists them
  // from the leaf up.
  const ranges: LeafRange[] = [];
  let lo = 0;
  let hi = treeSize;
  while (hi - lo > 1) {
    const mid = lo + splitOf(hi - lo);
    if (index < mid) {
      ranges.push({ start: mid, end: hi });
      hi = mid;
    } else {
      ranges.push({ start: lo, end: mid });
      lo = mid;
    }
  }
  return ranges.reverse();
}

/**
 * The ranges whose hashes form PROOF(first, D[second]) (RFC 6962 §2.1.2), in the RFC's
 * order. first == second gives no ranges; first must be at least 1.
 */
export function consistencyPlan(first: number, second: number): LeafRange[] {
  assertIndex(first, 'first');
  assertIndex(second, 'second');
  if (first < 1 || first > second) throw new RangeError(`no consistency proof from ${first} to ${second}`);
  // SUBPROOF(m, D[lo:hi], b) unrolled: `complete` is the RFC's b, true while the old tree
  // is still a left-aligned complete subtree the verifier already knows the hash of.
  const ranges: LeafRange[] = [];
  let lo = 0;
  let hi = second;
  let m = first;
  let complete = true;
  while (m !== hi - lo) {
    const k = splitOf(hi - lo);
    if (m <= k) {
      ranges.push({ start: lo + k, end: hi });
      hi = lo + k;
    } else {
      ranges.push({ start: lo, end: lo + k });
      lo += k;
      m -= k;
      complete = false;
    }
  }
  if (!complete) ranges.push({ start: lo, end: hi });
  return ranges.reverse();
}

/** The distinct stored nodes a plan reads, in first-use order: fetch these in one query. */
export function nodesNeeded(plan: readonly LeafRange[]): NodeId[] {
  const seen = new Map<string, NodeId>();
  for (const { start, end } of plan) {
    for (const node of perfectRanges(start, end)) seen.set(`${node.level}:${node.index}`, node);
  }
  return [...seen.values()];
}

/** The proof a plan describes, hashed from stored perfect nodes. */
export function assembleProof(plan: readonly LeafRange[], lookup: NodeLookup): Buffer[] {
  return plan.map(({ start, end }) => subtreeHash(start, end, lookup));
}

/**
 * PATH(index, D[treeSize]) straight from the RFC's recursion over the leaf hashes: the
 * reference the stored-node assembly is tested against, and handy for small trees.
 */
export function inclusionProof(index: number, treeSize: number, leafHashes: readonly Uint8Array[]): Buffer[] {
  assertIndex(index, 'index');
  assertPrefix(treeSize, leafHashes);
  if (index >= treeSize) throw new RangeError(`leaf ${index} is not in a tree of ${treeSize}`);
  const path = (m: number, lo: number, hi: number): Buffer[] => {
    if (hi - lo <= 1) return [];
    const k = splitOf(hi - lo);
    return m < k ? [...path(m, lo, lo + k), mth(leafHashes, lo + k, hi)] : [...path(m - k, lo + k, hi), mth(leafHashes, lo, lo + k)];
  };
  return path(index, 0, treeSize);
}

/** PROOF(first, D[second]) straight from the RFC's SUBPROOF recursion over the leaf hashes. */
export function consistencyProof(first: number, second: number, leafHashes: readonly Uint8Array[]): Buffer[] {
  assertIndex(first, 'first');
  assertPrefix(second, leafHashes);
  if (first < 1 || first > second) throw new RangeError(`no consistency proof from ${first} to ${second}`);
  const subproof = (m: number, lo: number, hi: number, b: boolean): Buffer[] => {
    if (m === hi - lo) return b ? [] : [mth(leafHashes, lo, hi)];
    const k = splitOf(hi - lo);
    return m <= k ? [...subproof(m, lo, lo + k, b), mth(leafHashes, lo + k, hi)] : [...subproof(m - k, lo + k, hi, false), mth(leafHashes, lo, lo + k)];
  };
  return subproof(first, 0, second, true);
}

/** What `verifyInclusion` checks: that `leafHash` is leaf `leafIndex` of the tree with `root`. */
export interface InclusionClaim {
  leafIndex: number;
  treeSize: number;
  leafHash: Uint8Array;
  proof: readonly Uint8Array[];
  root: Uint8Array;
}

/**
 * RFC 9162 §2.1.3.2. Returns false, never throws, on any malformed input: an index outside
 * the tree, a size or index that is not a safe integer, a hash that is not 32 bytes.
 */
export function verifyInclusion(claim: InclusionClaim): boolean {
  if (typeof claim !== 'object' || claim === null) return false;
  const { leafIndex, treeSize, leafHash: leaf, proof, root } = claim;
  if (!isIndex(leafIndex) || !isIndex(treeSize) || leafIndex >= treeSize) return false;
  if (!isHash(leaf) || !isHash(root) || !isHashList(proof)) return false;
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r: Uint8Array = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      r = nodeHash(p, r);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && bytesEqual(r, root);
}

/** What `verifyConsistency` checks: that the tree of `second` leaves extends the tree of `first`. */
export interface ConsistencyClaim {
  first: number;
  second: number;
  firstRoot: Uint8Array;
  secondRoot: Uint8Array;
  proof: readonly Uint8Array[];
}

/**
 * RFC 9162 §2.1.4.2. first == second holds only with an empty proof and equal roots. A
 * first of 0 is always false: the empty tree is a prefix of everything, so a proof from it
 * proves nothing, and the conformance vectors expect such a request to fail. Returns
 * false, never throws, on any malformed input.
 */
export function verifyConsistency(claim: ConsistencyClaim): boolean {
  if (typeof claim !== 'object' || claim === null) return false;
  const { first, second, firstRoot, secondRoot, proof } = claim;
  if (!isIndex(first) || !isIndex(second) || first < 1 || first > second) return false;
  if (!(firstRoot instanceof Uint8Array) || !(secondRoot instanceof Uint8Array) || !Array.isArray(proof)) return false;
  if (first === second) return proof.length === 0 && bytesEqual(firstRoot, secondRoot);
  if (!isHash(firstRoot) || !isHash(secondRoot) || !isHashList(proof) || proof.length === 0) return false;
  // When the old tree is a complete subtree its root is the proof's implicit first node.
  const path: readonly Uint8Array[] = isPowerOfTwo(first) ? [firstRoot, ...proof] : proof;
  let fn = first - 1;
  let sn = second - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr: Uint8Array = path[0]!;
  let sr: Uint8Array = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && bytesEqual(fr, firstRoot) && bytesEqual(sr, secondRoot);
}

/** The perfect nodes on the right edge of a tree of `size` leaves, highest level first. */
export function frontierOf(size: number, lookup: NodeLookup): PerfectNode[] {
  assertIndex(size, 'size');
  if (size === 0) return [];
  return perfectRanges(0, size).map(({ level, index }) => ({ level, index, hash: Buffer.from(fetchNode(lookup, level, index)) }));
}

/** What `appendLeaves` returns. */
export interface AppendResult {
  /** every perfect node the batch completed, leaves included, each once, in completion order */
  newNodes: PerfectNode[];
  /** the frontier of the grown tree */
  frontier: PerfectNode[];
  size: number;
  root: Buffer;
}

/**
 * Appends leaf hashes to the tree of `size` leaves whose right edge is `frontier`. A batch
 * of k leaves costs about 2k hashes for the new nodes plus O(log n) for the root, whatever
 * the tree's size. Throws when the frontier does not fit the size.
 */
export function appendLeaves(size: number, frontier: readonly (NodeId & { hash: Uint8Array })[], newLeafHashes: readonly Uint8Array[]): AppendResult {
  assertFrontier(size, frontier);
  if (size + newLeafHashes.length > Number.MAX_SAFE_INTEGER) throw new RangeError('the tree would outgrow exact integer indexes');
  const stack: PerfectNode[] = frontier.map(({ level, index, hash }) => ({ level, index, hash: Buffer.from(hash) }));
  const newNodes: PerfectNode[] = [];
  let n = size;
  newLeafHashes.forEach((h, i) => assertHash(h, `new leaf hash ${i}`));
  for (const h of newLeafHashes) {
    let node: PerfectNode = { level: 0, index: n, hash: Buffer.from(h) };
    newNodes.push(node);
    // The frontier's lowest node is this node's left sibling exactly when they share a level.
    while (stack.length > 0 && stack[stack.length - 1]!.level === node.level) {
      const left = stack.pop()!;
      node = { level: node.level + 1, index: left.index / 2, hash: nodeHash(left.hash, node.hash) };
      newNodes.push(node);
    }
    stack.push(node);
    n += 1;
  }
  return { newNodes, frontier: stack, size: n, root: rootFromFrontier(stack) };
}

/** The root of the tree whose right edge is `frontier` (folded right to left, as MTH). */
export function rootFromFrontier(frontier: readonly { hash: Uint8Array }[]): Buffer {
  if (frontier.length === 0) return Buffer.from(EMPTY_ROOT);
  let acc: Buffer = Buffer.from(frontier[frontier.length - 1]!.hash);
  for (let i = frontier.length - 2; i >= 0; i--) acc = nodeHash(frontier[i]!.hash, acc);
  return acc;
}

function mth(leaves: readonly Uint8Array[], start: number, end: number): Buffer {
  const n = end - start;
  if (n === 0) return Buffer.from(EMPTY_ROOT);
  if (n === 1) return Buffer.from(leaves[start]!);
  const k = splitOf(n);
  return nodeHash(mth(leaves, start, start + k), mth(leaves, start + k, end));
}

/** The largest power of two strictly less than n (n ≥ 2): RFC 6962's k. */
function splitOf(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function floorLog2(n: number): number {
  let level = 0;
  while (2 ** (level + 1) <= n) level += 1;
  return level;
}

const isOdd = (n: number) => n % 2 === 1;
const half = (n: number) => Math.floor(n / 2);
const isPowerOfTwo = (n: number) => n > 0 && 2 ** floorLog2(n) === n;
const isIndex = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) >= 0;
const isHash = (h: unknown): h is Uint8Array => h instanceof Uint8Array && h.length === HASH_SIZE;

function isHashList(hs: unknown): hs is readonly Uint8Array[] {
  if (!Array.isArray(hs)) return false;
  // An index loop, not every(): every() skips the holes of a sparse array.
  for (let i = 0; i < hs.length; i++) if (!isHash(hs[i])) return false;
  return true;
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

function fetchNode(lookup: NodeLookup, level: number, index: number): Uint8Array {
  const hash = lookup(level, index);
  // A wrong-sized node is a storage fault; hashing on would publish a wrong root.
  assertHash(hash, `stored node (${level}, ${index})`);
  return hash;
}

function assertIndex(n: number, name: string): void {
  if (!isIndex(n)) throw new RangeError(`${name} must be a non-negative safe integer, not ${n}`);
}

function assertHash(h: unknown, what: string): asserts h is Uint8Array {
  if (!isHash(h)) throw new TypeError(`${what} must be ${HASH_SIZE} bytes`);
}

function assertPrefix(treeSize: number, leafHashes: readonly Uint8Array[]): void {
  assertIndex(treeSize, 'treeSize');
  if (treeSize > leafHashes.length) throw new RangeError(`a tree of ${treeSize} needs that many leaf hashes, not ${leafHashes.length}`);
}

function assertFrontier(size: number, frontier: readonly (NodeId & { hash: Uint8Array })[]): void {
  assertIndex(size, 'size');
  const expected = size === 0 ? [] : perfectRanges(0, size);
  const fits = frontier.length === expected.length && expected.every((e, i) => frontier[i]!.level === e.level && frontier[i]!.index === e.index && isHash(frontier[i]!.hash));
  if (!fits) throw new RangeError(`the frontier does not belong to a tree of ${size} leaves`);
}
