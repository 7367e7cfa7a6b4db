import { test } from 'node:test';
import assert from 'node:assert/strict';
import { integrityIndex } from './integrity.ts';

const perfect = { responses: 10, clean: 10, satisfactionSum: 50, decided: 20, withinDeadline: 20, supplements: 0, reversed: 0 };

test('nothing is published from fewer than ten responses', () => {
  assert.equal(integrityIndex({ ...perfect, responses: 9, clean: 9, satisfactionSum: 45 }), null);
  assert.equal(integrityIndex(perfect), 10);
});

test('each part weighs as the published method says', () => {
  // Every respondent asked for something improper: 40 % of the index is gone.
  assert.equal(integrityIndex({ ...perfect, clean: 0 }), 6);
  // Lowest satisfaction from everyone: 20 % gone.
  assert.equal(integrityIndex({ ...perfect, satisfactionSum: 10 }), 8);
  // Half decided late: 10 % gone.
  assert.equal(integrityIndex({ ...perfect, withinDeadline: 10 }), 9);
  // A supplement request per application or more: 10 % gone.
  assert.equal(integrityIndex({ ...perfect, supplements: 30 }), 9);
  // Every decision reversed: 10 % gone.
  assert.equal(integrityIndex({ ...perfect, reversed: 20 }), 9);
});
