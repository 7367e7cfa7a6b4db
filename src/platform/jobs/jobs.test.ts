import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffSeconds } from './jobs.ts';

test('retries back off exponentially from five seconds and never wait more than about an hour', () => {
  const mid = () => 0.5; // no jitter
  assert.deepEqual([1, 2, 3, 4].map((a) => backoffSeconds(a, mid)), [5, 10, 20, 40]);
  assert.equal(backoffSeconds(30, mid), 3600);
  assert.ok(backoffSeconds(30, () => 0.999) <= 4500);
});

test('jitter spreads retries of jobs that failed together', () => {
  assert.notEqual(backoffSeconds(3, () => 0), backoffSeconds(3, () => 0.99));
});
