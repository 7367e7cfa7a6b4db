import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { configVariables } from '../src/config.ts';
import { demoOfficials } from '../src/modules/identity/demo-agencies.ts';

const readme = readFileSync('README.md', 'utf8');

test('the README documents every environment variable with its default and whether production needs it', () => {
  for (const v of configVariables) {
    const row = readme.split('\n').find((line) => line.startsWith(`| \`${v.name}\` |`));
    assert.ok(row, `${v.name} is missing from the configuration table (regenerate it with scripts/config-table.ts)`);
    assert.ok(row.includes(v.required ? '| yes |' : '| no |'), `${v.name}: required-in-production column is wrong`);
  }
});

test('the README gives the two commands and every demo sign-in', () => {
  assert.match(readme, /npm install && npm start/);
  assert.match(readme, /npm test/);
  for (const o of demoOfficials) assert.ok(readme.includes(`\`${o.username}\``), `${o.username} missing`);
});
