import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { cliRunner } from './support/cli.ts';

// Rotating an agency's certificate signing key from the operator's tool.
const nara = cliRunner('issuer-key-cli');

before(() => {
  const seeded = nara('seed');
  assert.equal(seeded.code, 0, seeded.out);
});

test('issuer-key rotate retires the current key and keeps it published beside the new one', () => {
  const first = nara('issuer-key', 'rotate', '--agency', 'NTS');
  assert.equal(first.code, 0, first.out);
  const second = nara('issuer-key', 'rotate', '--agency', 'NTS');
  const keys = JSON.parse(second.stdout) as Array<{ kid: string; retired_at: string | null; jwk: { kty: string; crv: string } }>;
  assert.equal(keys.length, 2);
  assert.equal(keys.filter((k) => k.retired_at === null).length, 1, 'one key signs');
  assert.equal(keys[0]!.retired_at, null, 'the newest first');
  assert.deepEqual([keys[0]!.jwk.kty, keys[0]!.jwk.crv], ['OKP', 'Ed25519']);
  const listed = JSON.parse(nara('issuer-key', 'list', '--agency', 'NTS').stdout) as Array<{ kid: string }>;
  assert.deepEqual(listed.map((k) => k.kid), keys.map((k) => k.kid));
});

test('issuer-key names an unknown agency plainly', () => {
  const bad = nara('issuer-key', 'rotate', '--agency', 'NOPE');
  assert.equal(bad.code, 1);
  assert.match(bad.out, /no agency has the code NOPE/);
});
