import { test } from 'node:test';
import assert from 'node:assert/strict';
import { failuresIn } from '../scripts/node-tests.ts';

// The closing list of node --test's spec reporter, as CI printed it when V8 aborted one file.
const crashed = `✔ other things (12ms)
ℹ tests 460
ℹ fail 1

✖ failing tests:

test at src/platform/db/pglite-prepared.test.ts:1:1
✖ src/platform/db/pglite-prepared.test.ts (10818.291158ms)
  'test failed'
`;

test('a file whose process died is told apart from a test that failed', () => {
  assert.deepEqual(failuresIn(crashed), { crashedFiles: ['src/platform/db/pglite-prepared.test.ts'], otherFailures: 0 });
  const failing = `${crashed}
test at src/modules/identity/routes.test.ts:20:1
✖ a resident signs in with the demo password (35.2ms)
  AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:
`;
  assert.deepEqual(failuresIn(failing), { crashedFiles: ['src/platform/db/pglite-prepared.test.ts'], otherFailures: 1 });
  assert.deepEqual(failuresIn('ℹ pass 3\nℹ fail 0\n'), { crashedFiles: [], otherFailures: 0 });
  // A file named by its absolute path is located relative to the working directory.
  const absolute = `${process.cwd()}/src/x.test.ts`;
  assert.deepEqual(failuresIn(`✖ failing tests:\n\ntest at src/x.test.ts:1:1\n✖ ${absolute} (5ms)\n  'test failed'\n`), { crashedFiles: [absolute], otherFailures: 0 });
});
