import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { lowerPlatformWorkerPriority, lowerThreadPriority } from './thread-priority.ts';

const niceOf = (statPath: string) => Number(readFileSync(statPath, 'utf8').split(') ')[1]!.split(' ')[16]);

test('a thread can lower its own priority, and only its own', { skip: !existsSync('/proc/thread-self') && 'not Linux' }, () => {
  const processNice = niceOf(`/proc/${process.pid}/stat`);
  assert.equal(lowerThreadPriority(Math.min(19, processNice + 3)), true);
  assert.equal(niceOf('/proc/thread-self/stat'), Math.min(19, processNice + 3));
});

test("V8's platform workers are lowered, and the calling thread is not", { skip: !existsSync('/proc/thread-self') && 'not Linux' }, () => {
  const processNice = niceOf(`/proc/${process.pid}/stat`);
  const own = niceOf('/proc/thread-self/stat');
  const target = Math.min(19, processNice + 2);
  const lowered = lowerPlatformWorkerPriority(target);
  const workers = readdirSync('/proc/self/task').filter((tid) => readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim() === 'V8Worker');
  assert.ok(workers.length > 0, 'this process has V8 platform workers');
  assert.equal(lowered, workers.length);
  for (const tid of workers) assert.equal(niceOf(`/proc/self/task/${tid}/stat`), target, `V8Worker ${tid}`);
  assert.equal(niceOf('/proc/thread-self/stat'), own, 'the calling thread keeps its priority');
});
