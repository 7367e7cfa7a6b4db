import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  EMPTY_ROOT,
  HASH_SIZE,
  appendLeaves,
  assembleProof,
  consistencyPlan,
  consistencyProof,
  frontierOf,
  inclusionPlan,
  inclusionProof,
  leafHash,
  nodeHash,
  nodesNeeded,
  perfectRanges,
  rootFromFrontier,
  rootOf,
  subtreeHash,
  verifyConsistency,
  verifyInclusion,
  type NodeLookup,
  type PerfectNode,
} from './merkle.ts';

const leaves = (n: number, tag = 'entry') => Array.from({ length: n }, (_, i) => leafHash(Buffer.from(`${tag} ${i}`)));
const key = (level: number, index: number) => `${level}:${index}`;

/** Every perfect node of `hashes`, as the sequencer would have stored them. */
function storeOf(hashes: readonly Buffer[]): Map<string, Buffer> {
  const { newNodes } = appendLeaves(0, [], hashes);
  return new Map(newNodes.map((n) => [key(n.level, n.index), n.hash]));
}

/** A lookup that, like the database at tree size `size`, has only the nodes complete by then. */
function lookupAt(store: Map<string, Buffer>, size: number, asked: string[] = []): NodeLookup {
  return (level, index) => {
    assert.ok((index + 1) * 2 ** level <= size, `node (${level}, ${index}) is not complete at size ${size}`);
    const hash = store.get(key(level, index));
    assert.ok(hash, `node (${level}, ${index}) is not stored`);
    asked.push(key(level, index));
    return hash;
  };
}

/** A copy of `proof` with one byte of element `i` changed. */
function withFlippedByte(proof: readonly Buffer[], i: number, at: number): Buffer[] {
  return proof.map((p, j) => {
    if (j !== i) return p;
    const copy = Buffer.from(p);
    copy[at] = copy[at]! ^ 0x01;
    return copy;
  });
}

const sha256 = (...parts: Uint8Array[]) => parts.reduce((h, p) => h.update(p), createHash('sha256')).digest();

test('leaves and nodes are hashed with the RFC 6962 domain-separation prefixes', () => {
  const a = Buffer.from('a');
  const l = leafHash(a);
  const r = leafHash(Buffer.from('b'));
  assert.deepEqual(l, sha256(Uint8Array.of(0), a));
  assert.deepEqual(nodeHash(l, r), sha256(Uint8Array.of(1), l, r));
  assert.equal(EMPTY_ROOT.toString('hex'), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  assert.equal(leafHash(new Uint8Array()).toString('hex'), '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d');
});

test('the root splits at the largest power of two strictly below the size', () => {
  const [a, b, c, d, e] = leaves(5) as [Buffer, Buffer, Buffer, Buffer, Buffer];
  assert.deepEqual(rootOf([]), EMPTY_ROOT);
  assert.deepEqual(rootOf([a]), a);
  assert.deepEqual(rootOf([a, b, c]), nodeHash(nodeHash(a, b), c));
  assert.deepEqual(rootOf([a, b, c, d]), nodeHash(nodeHash(a, b), nodeHash(c, d)));
  assert.deepEqual(rootOf([a, b, c, d, e]), nodeHash(nodeHash(nodeHash(a, b), nodeHash(c, d)), e));
});

test('a root is refused over a leaf hash that is not 32 bytes', () => {
  assert.throws(() => rootOf([Buffer.alloc(31)]), TypeError);
});

test('a subtree range decomposes into its stored perfect nodes, largest first', () => {
  assert.deepEqual(perfectRanges(0, 7), [{ level: 2, index: 0 }, { level: 1, index: 2 }, { level: 0, index: 6 }]);
  assert.deepEqual(perfectRanges(8, 13), [{ level: 2, index: 2 }, { level: 0, index: 12 }]);
  assert.deepEqual(perfectRanges(16, 32), [{ level: 4, index: 1 }]);
  assert.throws(() => perfectRanges(2, 7), RangeError, 'a range that is no RFC 6962 subtree');
  assert.throws(() => perfectRanges(3, 3), RangeError, 'an empty range');
});

test('a subtree hash from stored nodes is the root of that slice of leaves', () => {
  const hashes = leaves(64);
  const store = storeOf(hashes);
  for (const [start, end] of [[0, 1], [0, 7], [8, 13], [32, 64], [48, 63], [0, 64]] as const) {
    assert.deepEqual(subtreeHash(start, end, lookupAt(store, 64)), rootOf(hashes.slice(start, end)), `[${start}, ${end})`);
  }
});

test('the plans match the worked examples of RFC 6962 §2.1.3', () => {
  // The seven-leaf tree of the RFC: a..f and d6 are leaves, g..j their parents, k and l above.
  const r = (start: number, end: number) => ({ start, end });
  assert.deepEqual(inclusionPlan(0, 7), [r(1, 2), r(2, 4), r(4, 7)], 'd0: [b, h, l]');
  assert.deepEqual(inclusionPlan(3, 7), [r(2, 3), r(0, 2), r(4, 7)], 'd3: [c, g, l]');
  assert.deepEqual(inclusionPlan(4, 7), [r(5, 6), r(6, 7), r(0, 4)], 'd4: [f, j, k]');
  assert.deepEqual(inclusionPlan(6, 7), [r(4, 6), r(0, 4)], 'd6: [i, k]');
  assert.deepEqual(consistencyPlan(3, 7), [r(2, 3), r(3, 4), r(0, 2), r(4, 7)], '3 to 7: [c, d, g, l]');
  assert.deepEqual(consistencyPlan(4, 7), [r(4, 7)], '4 to 7: [l]');
  assert.deepEqual(consistencyPlan(6, 7), [r(4, 6), r(6, 7), r(0, 4)], '6 to 7: [i, j, k]');
  assert.deepEqual(consistencyPlan(7, 7), [], 'a tree is consistent with itself by an empty proof');
});

test('a proof from stored perfect nodes equals the proof from the whole leaf list for every index and size up to 70', () => {
  const hashes = leaves(70);
  const store = storeOf(hashes);
  for (let size = 1; size <= 70; size++) {
    const root = rootOf(hashes.slice(0, size));
    for (let index = 0; index < size; index++) {
      const plan = inclusionPlan(index, size);
      const asked: string[] = [];
      const proof = assembleProof(plan, lookupAt(store, size, asked));
      assert.deepEqual(proof, inclusionProof(index, size, hashes), `leaf ${index} of ${size}`);
      assert.deepEqual(new Set(asked), new Set(nodesNeeded(plan).map((n) => key(n.level, n.index))), 'the plan names every node it reads');
      assert.ok(verifyInclusion({ leafIndex: index, treeSize: size, leafHash: hashes[index]!, proof, root }), `leaf ${index} of ${size} verifies`);
    }
  }
});

test('a consistency proof from stored perfect nodes equals the proof from the whole leaf list', () => {
  const hashes = leaves(70);
  const store = storeOf(hashes);
  for (let second = 1; second <= 70; second++) {
    for (let first = 1; first <= second; first++) {
      const proof = assembleProof(consistencyPlan(first, second), lookupAt(store, second));
      assert.deepEqual(proof, consistencyProof(first, second, hashes), `${first} to ${second}`);
    }
  }
});

test('a proof at any size up to 2^40 reads at most 2·log2(size) stored nodes', () => {
  for (const size of [1, 2, 3, 1000, 999_999, 1_000_000, 2 ** 20 + 1, 2 ** 40 - 1, 2 ** 40 + 12_345]) {
    const bound = 2 * Math.ceil(Math.log2(size));
    for (const i of new Set([0, 1, Math.floor(size / 3), size - 2, size - 1].filter((i) => i >= 0 && i < size))) {
      assert.ok(nodesNeeded(inclusionPlan(i, size)).length <= bound, `inclusion of ${i} in ${size}`);
      if (i >= 1) assert.ok(nodesNeeded(consistencyPlan(i, size)).length <= bound, `consistency ${i} to ${size}`);
    }
  }
});

test('an inclusion proof fails when one byte of it, the leaf or the root changes', () => {
  const hashes = leaves(13);
  const root = rootOf(hashes);
  for (let index = 0; index < 13; index++) {
    const proof = inclusionProof(index, 13, hashes);
    const claim = { leafIndex: index, treeSize: 13, leafHash: hashes[index]!, proof, root };
    for (let i = 0; i < proof.length; i++) {
      for (const at of [0, 17, HASH_SIZE - 1]) assert.equal(verifyInclusion({ ...claim, proof: withFlippedByte(proof, i, at) }), false);
    }
    assert.equal(verifyInclusion({ ...claim, leafHash: hashes[(index + 1) % 13]! }), false);
    assert.equal(verifyInclusion({ ...claim, root: rootOf(hashes.slice(0, 12)) }), false);
    assert.equal(verifyInclusion({ ...claim, proof: [...proof, root] }), false, 'an extra element');
    assert.equal(verifyInclusion({ ...claim, proof: proof.slice(0, -1) }), false, 'a missing element');
    assert.equal(verifyInclusion({ ...claim, leafIndex: index ^ 1 }), false, 'another index');
  }
});

test('inclusion verification rejects an index at or past the size, and a size of 0', () => {
  const hashes = leaves(4);
  const root = rootOf(hashes);
  const claim = { leafIndex: 3, treeSize: 4, leafHash: hashes[3]!, proof: inclusionProof(3, 4, hashes), root };
  assert.equal(verifyInclusion(claim), true);
  assert.equal(verifyInclusion({ ...claim, leafIndex: 4 }), false);
  assert.equal(verifyInclusion({ ...claim, leafIndex: 5 }), false);
  assert.equal(verifyInclusion({ leafIndex: 0, treeSize: 0, leafHash: EMPTY_ROOT, proof: [], root: EMPTY_ROOT }), false);
  assert.throws(() => inclusionPlan(4, 4), RangeError);
  assert.throws(() => inclusionProof(4, 4, hashes), RangeError);
});

test('a proof does not stretch to a larger tree size claimed with the smaller tree\'s root', () => {
  const hashes = leaves(8);
  const [r2, r4] = [rootOf(hashes.slice(0, 2)), rootOf(hashes.slice(0, 4))];
  // Hashes cannot tell a leaf from a subtree; the sizes in the verifier's arithmetic must.
  assert.equal(verifyInclusion({ leafIndex: 0, treeSize: 4, leafHash: hashes[0]!, proof: inclusionProof(0, 4, hashes), root: r4 }), true);
  assert.equal(verifyInclusion({ leafIndex: 0, treeSize: 8, leafHash: hashes[0]!, proof: inclusionProof(0, 4, hashes), root: r4 }), false);
  assert.equal(verifyConsistency({ first: 2, second: 4, firstRoot: r2, secondRoot: r4, proof: consistencyProof(2, 4, hashes) }), true);
  assert.equal(verifyConsistency({ first: 2, second: 8, firstRoot: r2, secondRoot: r4, proof: consistencyProof(2, 4, hashes) }), false);
});

test('a one-leaf tree proves its leaf with an empty proof, and only with 32-byte hashes', () => {
  const [a] = leaves(1) as [Buffer];
  assert.equal(verifyInclusion({ leafIndex: 0, treeSize: 1, leafHash: a, proof: [], root: a }), true);
  assert.equal(verifyInclusion({ leafIndex: 0, treeSize: 1, leafHash: new Uint8Array(), proof: [], root: new Uint8Array() }), false);
  assert.equal(verifyInclusion({ leafIndex: 0, treeSize: 1, leafHash: a.subarray(1), proof: [], root: a.subarray(1) }), false);
});

test('a consistency proof between any two sizes up to 40 verifies and fails when one byte of it changes', () => {
  const hashes = leaves(40);
  const roots = Array.from({ length: 41 }, (_, n) => rootOf(hashes.slice(0, n)));
  const others = leaves(40, 'other');
  for (let second = 1; second <= 40; second++) {
    for (let first = 1; first <= second; first++) {
      const proof = consistencyProof(first, second, hashes);
      const claim = { first, second, firstRoot: roots[first]!, secondRoot: roots[second]!, proof };
      assert.ok(verifyConsistency(claim), `${first} to ${second}`);
      if (first === second) {
        assert.deepEqual(proof, []);
        continue;
      }
      for (let i = 0; i < proof.length; i++) {
        for (let at = 0; at < HASH_SIZE; at += 7) assert.equal(verifyConsistency({ ...claim, proof: withFlippedByte(proof, i, at) }), false, `${first} to ${second}, element ${i}, byte ${at}`);
      }
      assert.equal(verifyConsistency({ ...claim, firstRoot: claim.secondRoot, secondRoot: claim.firstRoot }), false, 'swapped roots');
      assert.equal(verifyConsistency({ ...claim, proof: proof.slice(1) }), false, 'a missing element');
      assert.equal(verifyConsistency({ ...claim, proof: [...proof, roots[1]!] }), false, 'an extra element');
      assert.equal(verifyConsistency({ ...claim, firstRoot: rootOf(others.slice(0, first)) }), false, 'the first root of another log');
    }
  }
});

test('consistency verification rejects reversed sizes, a first size of 0 and a non-empty proof between equal sizes', () => {
  const hashes = leaves(5);
  const r2 = rootOf(hashes.slice(0, 2));
  const r5 = rootOf(hashes);
  const proof = consistencyProof(2, 5, hashes);
  assert.equal(verifyConsistency({ first: 2, second: 5, firstRoot: r2, secondRoot: r5, proof }), true);
  assert.equal(verifyConsistency({ first: 5, second: 2, firstRoot: r5, secondRoot: r2, proof }), false);
  assert.equal(verifyConsistency({ first: 0, second: 5, firstRoot: EMPTY_ROOT, secondRoot: r5, proof: [] }), false);
  assert.equal(verifyConsistency({ first: 0, second: 0, firstRoot: EMPTY_ROOT, secondRoot: EMPTY_ROOT, proof: [] }), false);
  assert.equal(verifyConsistency({ first: 5, second: 5, firstRoot: r5, secondRoot: r5, proof: [] }), true);
  assert.equal(verifyConsistency({ first: 5, second: 5, firstRoot: r5, secondRoot: r5, proof: [r5] }), false);
  assert.equal(verifyConsistency({ first: 5, second: 5, firstRoot: r5, secondRoot: r2, proof: [] }), false);
  assert.equal(verifyConsistency({ first: 2, second: 5, firstRoot: r2, secondRoot: r5, proof: [] }), false, 'an empty proof between different sizes');
  assert.throws(() => consistencyPlan(0, 5), RangeError);
  assert.throws(() => consistencyPlan(6, 5), RangeError);
});

test('verification returns false and never throws on malformed input', () => {
  const [a, b] = leaves(2) as [Buffer, Buffer];
  const root = nodeHash(a, b);
  const good = { leafIndex: 0, treeSize: 2, leafHash: a, proof: [b], root };
  assert.equal(verifyInclusion(good), true);
  const badInclusion: unknown[] = [
    null,
    'claim',
    { ...good, leafIndex: -1 },
    { ...good, leafIndex: 0.5 },
    { ...good, leafIndex: Number.NaN },
    { ...good, leafIndex: 2 ** 64 },
    { ...good, leafIndex: '0' },
    { ...good, treeSize: Infinity },
    { ...good, proof: null },
    { ...good, proof: 'b' },
    { ...good, proof: [b.toString('hex')] },
    { ...good, proof: [b.subarray(0, 31)] },
    // A sparse array: its hole must not be skipped as every() would.
    { ...good, proof: [, b] },
    { ...good, leafHash: undefined },
    { ...good, root: Buffer.concat([root, Buffer.of(0)]) },
  ];
  for (const claim of badInclusion) assert.equal(verifyInclusion(claim as never), false, JSON.stringify(claim));

  const consistent = { first: 1, second: 2, firstRoot: a, secondRoot: root, proof: [b] };
  assert.equal(verifyConsistency(consistent), true);
  const badConsistency: unknown[] = [
    undefined,
    { ...consistent, first: -1 },
    { ...consistent, second: 2.5 },
    { ...consistent, second: 2 ** 60 },
    { ...consistent, proof: undefined },
    { ...consistent, proof: [b.subarray(1)] },
    { ...consistent, firstRoot: 'a' },
    { ...consistent, secondRoot: null },
    { ...consistent, first: 2, proof: 'x' },
    { ...consistent, first: 2, firstRoot: undefined },
  ];
  for (const claim of badConsistency) assert.equal(verifyConsistency(claim as never), false, JSON.stringify(claim));
});

test('appending in batches of any size gives the same nodes and root as building at once', () => {
  const hashes = leaves(70);
  const once = appendLeaves(0, [], hashes);
  const sortNodes = (nodes: PerfectNode[]) => [...nodes].sort((x, y) => x.level - y.level || x.index - y.index);
  for (const batches of [[1], [2], [3], [7], [16], [70], [5, 1, 9, 2, 30]]) {
    let size = 0;
    let frontier: PerfectNode[] = [];
    const nodes: PerfectNode[] = [];
    for (let b = 0; size < 70; b++) {
      const batch = hashes.slice(size, size + batches[b % batches.length]!);
      const result = appendLeaves(size, frontier, batch);
      nodes.push(...result.newNodes);
      ({ size, frontier } = result);
      assert.deepEqual(result.root, rootOf(hashes.slice(0, size)), `root at ${size} in batches of ${batches}`);
    }
    assert.deepEqual(sortNodes(nodes), sortNodes(once.newNodes), `batches of ${batches}`);
  }
  assert.deepEqual(once.root, rootOf(hashes));
});

test('every perfect node is produced exactly once, leaves included, with the hash of its leaves', () => {
  const hashes = leaves(70);
  const { newNodes } = appendLeaves(0, [], hashes);
  // floor(70 / 2^L) complete nodes at each level L.
  assert.equal(newNodes.length, 70 + 35 + 17 + 8 + 4 + 2 + 1);
  assert.equal(new Set(newNodes.map((n) => key(n.level, n.index))).size, newNodes.length);
  for (const n of newNodes) assert.deepEqual(n.hash, rootOf(hashes.slice(n.index * 2 ** n.level, (n.index + 1) * 2 ** n.level)));
});

test('a frontier read back from storage continues the tree as the one in memory does', () => {
  const hashes = leaves(45);
  const store = storeOf(hashes);
  for (let size = 0; size <= 40; size++) {
    const frontier = frontierOf(size, lookupAt(store, size));
    const setBits = [...size.toString(2)].flatMap((bit, i, all) => (bit === '1' ? [all.length - 1 - i] : []));
    assert.deepEqual(frontier.map((n) => n.level), setBits, 'one node per set bit of the size, highest first');
    assert.deepEqual(rootFromFrontier(frontier), rootOf(hashes.slice(0, size)));
    const grown = appendLeaves(size, frontier, hashes.slice(size, 45));
    assert.deepEqual(grown.root, rootOf(hashes));
    for (const n of grown.newNodes) assert.deepEqual(n.hash, store.get(key(n.level, n.index)));
  }
});

test('appending refuses a frontier that does not belong to the size', () => {
  const hashes = leaves(6);
  const { frontier } = appendLeaves(0, [], hashes);
  assert.throws(() => appendLeaves(5, frontier, []), RangeError);
  assert.throws(() => appendLeaves(6, frontier.slice(1), []), RangeError);
  assert.throws(() => appendLeaves(6, [frontier[1]!, frontier[0]!], []), RangeError);
  assert.throws(() => appendLeaves(6, frontier, [Buffer.alloc(16)]), TypeError);
  assert.equal(appendLeaves(6, frontier, []).root.equals(rootOf(hashes)), true);
});

test('returned hashes are copies the caller cannot corrupt the tree through', () => {
  const hashes = leaves(3);
  const result = appendLeaves(0, [], hashes);
  result.newNodes[0]!.hash.fill(0);
  assert.deepEqual(hashes[0], leafHash(Buffer.from('entry 0')));
  rootOf([]).fill(0);
  assert.equal(EMPTY_ROOT.toString('hex'), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
});
