import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import {
  appendLeaves,
  assembleProof,
  consistencyPlan,
  consistencyProof,
  inclusionPlan,
  inclusionProof,
  leafHash,
  rootOf,
  verifyConsistency,
  verifyInclusion,
  type PerfectNode,
} from '../../src/modules/transparency/merkle.ts';

// The RFC 6962 verification vectors of the transparency-dev Merkle library (Apache-2.0,
// LICENSE beside them): every inclusion and consistency case, with whether it must fail,
// and the eight-leaf reference tree the happy paths are built on.

const projectRoot = path.resolve(import.meta.dirname, '../..');
const vectors = path.resolve(projectRoot, '../shared/conformance/merkle-rfc6962');
const missing = existsSync(vectors) ? false : `The RFC 6962 vectors are not at ${vectors}; this test runs where ../shared/conformance is present`;

interface InclusionVector {
  leafIdx: number;
  treeSize: number;
  root: string | null;
  leafHash: string | null;
  proof: string[] | null;
  desc: string;
  wantErr: boolean;
}

interface ConsistencyVector {
  size1: number;
  size2: number;
  root1: string | null;
  root2: string | null;
  proof: string[] | null;
  desc: string;
  wantErr: boolean;
}

interface ReferenceTree {
  leaves: string[];
  roots: string[];
}

/** Every vector file under `dir`, by its path relative to the vectors folder. */
function readVectors<T>(dir: string): Array<{ file: string; v: T }> {
  const root = path.join(vectors, dir);
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ file: path.join(dir, f), v: JSON.parse(readFileSync(path.join(root, f), 'utf8')) as T }));
}

// A JSON null or absent hash is the empty byte string, as in the Go vectors' []byte.
const bytes = (b64: string | null | undefined) => Buffer.from(b64 ?? '', 'base64');
const hashes = (list: string[] | null | undefined) => (list ?? []).map(bytes);
const b64 = (proof: readonly Uint8Array[]) => proof.map((p) => Buffer.from(p).toString('base64'));

function reference(): { leafHashes: Buffer[]; roots: Buffer[] } {
  const tree = JSON.parse(readFileSync(path.join(vectors, 'reference-tree.json'), 'utf8')) as ReferenceTree;
  return { leafHashes: tree.leaves.map((hex) => leafHash(Buffer.from(hex, 'hex'))), roots: tree.roots.map((hex) => Buffer.from(hex, 'hex')) };
}

/** A store of every perfect node of `leafHashes`, read the way the database would be. */
function storedLookup(leafHashes: readonly Buffer[]) {
  const store = new Map(appendLeaves(0, [], leafHashes).newNodes.map((n) => [`${n.level}:${n.index}`, n.hash]));
  return (level: number, index: number) => store.get(`${level}:${index}`)!;
}

const passed = { inclusion: 0, consistency: 0, regenerated: 0, reference: false };

test('every inclusion vector verifies exactly when it should', { skip: missing }, () => {
  const all = readVectors<InclusionVector>('inclusion');
  // Two "leafIdx sub @1" vectors hold 2^64 − 1, which JSON.parse rounds to 2^64: either way
  // no safe integer, so the verifier must (and does) refuse it.
  const wrong = all.filter(({ v }) => verifyInclusion({ leafIndex: v.leafIdx, treeSize: v.treeSize, leafHash: bytes(v.leafHash), proof: hashes(v.proof), root: bytes(v.root) }) === v.wantErr);
  assert.ok(all.some(({ v }) => !v.wantErr) && all.some(({ v }) => v.wantErr), 'the vectors hold both cases');
  assert.deepEqual(wrong.map(({ file, v }) => `${file}: ${v.desc}, wantErr ${v.wantErr}`), []);
  passed.inclusion = all.length;
});

test('every consistency vector verifies exactly when it should', { skip: missing }, () => {
  const all = readVectors<ConsistencyVector>('consistency');
  const wrong = all.filter(({ v }) => verifyConsistency({ first: v.size1, second: v.size2, firstRoot: bytes(v.root1), secondRoot: bytes(v.root2), proof: hashes(v.proof) }) === v.wantErr);
  assert.ok(all.some(({ v }) => !v.wantErr) && all.some(({ v }) => v.wantErr), 'the vectors hold both cases');
  assert.deepEqual(wrong.map(({ file, v }) => `${file}: ${v.desc}, wantErr ${v.wantErr}`), []);
  passed.consistency = all.length;
});

test('Nara generates the very proofs of the vectors built on the reference tree', { skip: missing }, () => {
  const { leafHashes, roots } = reference();
  const lookup = storedLookup(leafHashes);
  const onReference = (size: number, root: string | null) => size >= 1 && size <= leafHashes.length && bytes(root).equals(roots[size]!);
  let count = 0;
  for (const { file, v } of readVectors<InclusionVector>('inclusion')) {
    if (v.wantErr || !onReference(v.treeSize, v.root)) continue;
    assert.deepEqual(b64(inclusionProof(v.leafIdx, v.treeSize, leafHashes)), v.proof ?? [], file);
    assert.deepEqual(b64(assembleProof(inclusionPlan(v.leafIdx, v.treeSize), lookup)), v.proof ?? [], file);
    count += 1;
  }
  for (const { file, v } of readVectors<ConsistencyVector>('consistency')) {
    if (v.wantErr || !onReference(v.size2, v.root2) || !onReference(v.size1, v.root1)) continue;
    assert.deepEqual(b64(consistencyProof(v.size1, v.size2, leafHashes)), v.proof ?? [], file);
    assert.deepEqual(b64(assembleProof(consistencyPlan(v.size1, v.size2), lookup)), v.proof ?? [], file);
    count += 1;
  }
  assert.ok(count >= 8, `only ${count} happy paths lie on the reference tree`);
  passed.regenerated = count;
});

test('the reference tree has the reference root at every size, built at once or one leaf at a time', { skip: missing }, () => {
  const { leafHashes, roots } = reference();
  assert.equal(roots.length, leafHashes.length + 1);
  let size = 0;
  let frontier: PerfectNode[] = [];
  assert.deepEqual(appendLeaves(0, [], []).root, roots[0]);
  for (let n = 0; n <= leafHashes.length; n++) {
    assert.deepEqual(rootOf(leafHashes.slice(0, n)), roots[n], `rootOf at size ${n}`);
    if (n === 0) continue;
    const step = appendLeaves(size, frontier, [leafHashes[n - 1]!]);
    ({ size, frontier } = step);
    assert.deepEqual(step.root, roots[n], `appendLeaves at size ${n}`);
  }
  passed.reference = true;
});

// An RFC 6962 verifier Nara did not write: the one @sigstore/verify checks Rekor entries
// with. The package has no `exports` map, so its internal module is reachable by path; it
// throws a VerificationError where ours returns false.
interface SigstoreMerkle {
  verifyMerkleInclusion(
    entry: { canonicalizedBody: Buffer; inclusionProof: { logIndex: string; hashes: Buffer[] } },
    checkpoint: { logSize: bigint; logHash: Buffer },
  ): void;
}
const sigstore = createRequire(import.meta.url)('@sigstore/verify/dist/tlog/merkle.js') as SigstoreMerkle;

/** Whether sigstore accepts `proof` for leaf input `input` at `index` of the tree with `root`. */
function sigstoreAccepts(input: Buffer, index: number, size: number, proof: Buffer[], root: Buffer): boolean {
  try {
    sigstore.verifyMerkleInclusion({ canonicalizedBody: input, inclusionProof: { logIndex: String(index), hashes: proof } }, { logSize: BigInt(size), logHash: root });
    return true;
  } catch (error) {
    if ((error as Error).name !== 'VerificationError') throw error;
    return false;
  }
}

test("Nara's inclusion proofs from stored nodes pass sigstore's RFC 6962 verifier for every leaf of trees of 1 to 20", () => {
  const inputs = Array.from({ length: 20 }, (_, i) => Buffer.from(JSON.stringify({ v: 1, type: 'test.entry.appended', subject: `entry/${i}` })));
  const leafHashes = inputs.map(leafHash);
  const lookup = storedLookup(leafHashes);
  let checked = 0;
  for (let size = 1; size <= 20; size++) {
    const root = rootOf(leafHashes.slice(0, size));
    for (let index = 0; index < size; index++) {
      const proof = assembleProof(inclusionPlan(index, size), lookup);
      assert.ok(sigstoreAccepts(inputs[index]!, index, size, proof, root), `leaf ${index} of ${size}`);
      // The adapter is not vacuous: sigstore refuses the same proof for a neighbour's input.
      if (size > 1) assert.equal(sigstoreAccepts(inputs[(index + 1) % size]!, index, size, proof, root), false, `neighbour of ${index} in ${size}`);
      checked += 1;
    }
  }
  assert.equal(checked, 210);
});

after(() => {
  if (missing || !passed.reference || !passed.inclusion || !passed.consistency || !passed.regenerated) return;
  console.log(`merkle-rfc6962: ${passed.inclusion} inclusion vectors, ${passed.consistency} consistency vectors, all as expected (${passed.regenerated} happy paths regenerated from the reference tree)`);
});
