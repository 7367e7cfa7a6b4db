import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPageCache } from './page-cache.ts';

test('a cached page is rendered once within its lifetime and again after it', async () => {
  const cache = createPageCache(30);
  let renders = 0;
  const render = () => `page ${++renders}`;
  assert.equal(cache.get('home:ko', render), 'page 1');
  assert.equal(cache.get('home:ko', render), 'page 1');
  assert.equal(cache.get('home:en', render), 'page 2', 'each language has its own copy');
  await new Promise((r) => setTimeout(r, 40));
  assert.equal(cache.get('home:ko', render), 'page 3');
});

test('the cache cannot grow without bound', () => {
  const cache = createPageCache(60_000, 3);
  for (let i = 0; i < 10; i++) cache.get(`k${i}`, () => String(i));
  let renders = 0;
  cache.get('k0', () => String(++renders));
  assert.equal(renders, 1, 'old entries were dropped');
});
