import { test } from 'node:test';
import assert from 'node:assert/strict';
import { safeNext } from './routes.ts';

test('after sign-in a user is only ever sent to a page of this site', () => {
  assert.equal(safeNext('/inbox'), '/inbox');
  assert.equal(safeNext('https://evil.example/'), '/');
  assert.equal(safeNext('//evil.example/'), '/');
  assert.equal(safeNext('/\\evil.example'), '/');
  assert.equal(safeNext(undefined), '/');
});
