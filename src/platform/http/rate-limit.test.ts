import { test } from 'node:test';
import assert from 'node:assert/strict';
import { memoryRateLimiter } from './rate-limit.ts';

test('the in-memory limiter counts per address within a minute, says when it ends, and starts afresh in the next', async () => {
  let clock = Date.UTC(2026, 10, 27, 9, 0, 15);
  const limiter = memoryRateLimiter(() => clock);
  for (let i = 1; i <= 3; i++) assert.equal((await limiter.hit('ip:a', 3)).allowed, true);
  const fourth = await limiter.hit('ip:a', 3);
  assert.equal(fourth.allowed, false);
  assert.equal(fourth.retryAfter, 45);
  assert.equal((await limiter.hit('ip:b', 3)).allowed, true, 'another address has its own count');
  clock += 45_000;
  const next = await limiter.hit('ip:a', 3);
  assert.deepEqual([next.allowed, next.hits], [true, 1]);
});

test('a clock that steps back starts a fresh window instead of adding to a later one', async () => {
  let clock = Date.UTC(2026, 10, 27, 9, 5, 0);
  const limiter = memoryRateLimiter(() => clock);
  for (let i = 0; i < 3; i++) await limiter.hit('ip:a', 3);
  clock -= 120_000;
  const back = await limiter.hit('ip:a', 3);
  assert.deepEqual([back.allowed, back.hits], [true, 1]);
});
