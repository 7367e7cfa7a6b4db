import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createExpiringCache } from './expiring-cache.ts';

test('a value is read once within its lifetime, again after it, and again once forgotten', async (t) => {
  t.mock.timers.enable({ apis: ['Date'] });
  const cache = createExpiringCache<string, number>({ ttlMs: 1000 });
  let reads = 0;
  const load = async () => ++reads;
  assert.equal(await cache.get('a', load), 1);
  t.mock.timers.tick(999);
  assert.equal(await cache.get('a', load), 1, 'still within its lifetime');
  t.mock.timers.tick(1);
  assert.equal(await cache.get('a', load), 2, 'read again once it has expired');
  cache.forget('a');
  assert.equal(await cache.get('a', load), 3, 'read again once forgotten');
});

test('callers at the same moment share one read, and a failed read is not kept', async () => {
  const cache = createExpiringCache<string, string>({ ttlMs: 60_000 });
  let reads = 0;
  const slow = () => new Promise<string>((resolve) => setTimeout(() => resolve(`v${++reads}`), 5));
  assert.deepEqual(await Promise.all([cache.get('k', slow), cache.get('k', slow)]), ['v1', 'v1']);
  await assert.rejects(cache.get('bad', async () => Promise.reject(new Error('database down'))), /database down/);
  assert.equal(await cache.get('bad', async () => 'recovered'), 'recovered');
});

test('past its size the oldest entry makes room', async () => {
  const cache = createExpiringCache<number, number>({ ttlMs: 60_000, maxEntries: 2 });
  let reads = 0;
  const load = async () => ++reads;
  await cache.get(1, load);
  await cache.get(2, load);
  await cache.get(3, load);
  assert.equal(await cache.get(2, load), 2, 'a newer entry stays');
  assert.equal(await cache.get(1, load), 4, 'the oldest was dropped and is read again');
});
