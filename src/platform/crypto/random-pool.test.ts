import { test } from 'node:test';
import assert from 'node:assert/strict';
import { freshRandomBytes } from './random-pool.ts';

test('fresh random bytes are the size asked, all different across refills of the pool, and each a copy of its own', () => {
  // Sizes that do not divide the pool, so that some requests straddle a refill.
  const sizes = [16, 32, 7, 255];
  const values = Array.from({ length: 2000 }, (_, i) => freshRandomBytes(sizes[i % sizes.length]!));
  values.forEach((v, i) => assert.equal(v.length, sizes[i % sizes.length]));
  assert.equal(new Set(values.map((v) => v.toString('hex'))).size, values.length);
  const before = values[1]!.toString('hex');
  values[0]!.fill(0);
  freshRandomBytes(32).fill(0);
  assert.equal(values[1]!.toString('hex'), before);
  // Not all zero, nor a repeat of one byte: the pool is filled, not merely allocated.
  assert.ok(values.slice(1, 50).every((v) => v.length < 4 || new Set(v).size > 1));
});

test('a size outside 1–256 is refused', () => {
  for (const size of [0, -1, 257, 1.5]) assert.throws(() => freshRandomBytes(size), RangeError);
});
