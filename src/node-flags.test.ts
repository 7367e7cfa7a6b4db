import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { NODE_FLAGS } from './node-flags.ts';

test('npm start runs the server with every flag Nara is measured with, before the entry point', () => {
  const { scripts } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> };
  const words = scripts.start!.split(/\s+/);
  const entry = words.indexOf('src/server.ts');
  assert.ok(entry > 0, 'npm start runs src/server.ts');
  for (const flag of NODE_FLAGS) {
    const at = words.indexOf(flag);
    assert.ok(at > 0 && at < entry, `${flag} is given to node, not to the server`);
  }
});
