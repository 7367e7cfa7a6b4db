import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { lowerThreadPriority } from './thread-priority.ts';

const niceOf = (statPath: string) => Number(readFileSync(statPath, 'utf8').split(') ')[1]!.split(' ')[16]);

test('a thread can lower its own priority, and only its own', { skip: !existsSync('/proc/thread-self') && 'not Linux' }, () => {
  const processNice = niceOf(`/proc/${process.pid}/stat`);
  assert.equal(lowerThreadPriority(Math.min(19, processNice + 3)), true);
  assert.equal(niceOf('/proc/thread-self/stat'), Math.min(19, processNice + 3));
});
