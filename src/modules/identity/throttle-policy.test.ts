import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lockSeconds, waitSeconds } from './throttle-policy.ts';

test('a user may mistype a password three times without waiting, then waits longer each time, up to a minute', () => {
  assert.deepEqual([1, 2, 3, 4, 5, 6, 9, 20].map((f) => waitSeconds('user', f)), [0, 0, 1, 2, 4, 8, 60, 60]);
});

test('ten failures lock a username for fifteen minutes, not for ever', () => {
  assert.equal(lockSeconds('user', 9), 0);
  assert.equal(lockSeconds('user', 10), 900);
  assert.equal(lockSeconds('user', 500), 900);
});

test('an address shared by many people is throttled more gently than one username', () => {
  assert.equal(waitSeconds('ip', 9), 0);
  assert.ok(waitSeconds('ip', 12) > 0);
  assert.equal(lockSeconds('ip', 99), 0);
  assert.equal(lockSeconds('ip', 100), 900);
});
