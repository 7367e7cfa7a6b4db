import { test } from 'node:test';
import assert from 'node:assert/strict';
import { freshSalt } from './append-entry.ts';

test('salts are 16 bytes, all different across refills of the pool, and changing one changes no other', () => {
  const salts = Array.from({ length: 1000 }, () => freshSalt());
  assert.ok(salts.every((s) => s.length === 16));
  assert.equal(new Set(salts.map((s) => s.toString('hex'))).size, salts.length);
  const before = salts[1]!.toString('hex');
  salts[0]!.fill(0);
  freshSalt().fill(0);
  assert.equal(salts[1]!.toString('hex'), before);
});
