import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isAdult, todayIn } from './oidc-claims.ts';

test('a person is an adult from their 19th birthday, not the day before', () => {
  assert.equal(isAdult('2007-11-27', '2026-11-27'), true);
  assert.equal(isAdult('2007-11-28', '2026-11-27'), false);
  assert.equal(isAdult('1950-01-01', '2026-11-27'), true);
  assert.equal(isAdult('2020-05-05', '2026-11-27'), false);
});

test('someone born on 29 February comes of age on 1 March in a common year', () => {
  assert.equal(isAdult('2007-02-29', '2026-02-28'), false);
  assert.equal(isAdult('2007-02-29', '2026-03-01'), true);
});

test('"today" is the date in the deployment time zone, not in UTC', () => {
  // 20:00 UTC on 26 November is already 27 November in Seoul.
  const evening = new Date('2026-11-26T20:00:00Z');
  assert.equal(todayIn('Asia/Seoul', evening), '2026-11-27');
  assert.equal(todayIn('UTC', evening), '2026-11-26');
});
