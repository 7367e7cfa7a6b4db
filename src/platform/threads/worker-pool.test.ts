import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createWorkerPool, WorkerJobError, WorkerLostError, WorkerPoolClosedError } from './worker-pool.ts';
import type { TestRequest, TestResponse } from './worker-pool-test-worker.ts';

const entry = new URL('./worker-pool-test-worker.ts', import.meta.url);
const poolOf = (size: number) => createWorkerPool<TestRequest, TestResponse>({ entry, size, name: 'pool-test' });
const counter = () => new SharedArrayBuffer(4);

test('each job gets its own result back, whatever order the threads finish in', async () => {
  const pool = poolOf(3);
  try {
    const values = Array.from({ length: 24 }, (_, i) => i);
    const results = await Promise.all(values.map((value) => pool.run({ op: 'echo', value, delayMs: (value * 7) % 20 })));
    assert.deepEqual(
      results.map((result) => result.value),
      values,
    );
  } finally {
    await pool.close();
  }
});

test('jobs start in the order they were asked for', async () => {
  const pool = poolOf(1);
  const started: number[] = [];
  try {
    await Promise.all(Array.from({ length: 8 }, (_, value) => pool.run({ op: 'echo', value }).then((result) => started.push(result.value!))));
    assert.deepEqual(started, [0, 1, 2, 3, 4, 5, 6, 7]);
  } finally {
    await pool.close();
  }
});

test('jobs run at the same time on different threads, up to the pool size', async () => {
  const pool = poolOf(4);
  try {
    assert.equal(pool.size, 4);
    // Four jobs can only all pass the barrier if four threads hold them at once.
    const barrier = counter();
    const results = await Promise.all(Array.from({ length: 4 }, () => pool.run({ op: 'meet', barrier, parties: 4 })));
    assert.ok(results.every((result) => result.met));
    assert.equal(new Set(results.map((result) => result.threadId)).size, 4);
  } finally {
    await pool.close();
  }
});

test('a job whose thread dies under it is retried once on a new thread and succeeds', async () => {
  const pool = poolOf(2);
  try {
    for (const how of ['exit', 'throw'] as const) {
      const deaths = counter();
      const result = await pool.run({ op: 'die', counter: deaths, deaths: 1, how });
      assert.equal(result.value, 2, `${how}: the second attempt succeeded`);
    }
  } finally {
    await pool.close();
  }
});

test('a job whose thread dies twice is rejected, and the pool goes on serving', async () => {
  const pool = poolOf(2);
  try {
    await assert.rejects(pool.run({ op: 'die', counter: counter(), deaths: 2, how: 'exit' }), (error) => error instanceof WorkerLostError && error.code === 'WORKER_LOST' && /2 times/.test(error.message));
    await assert.rejects(pool.run({ op: 'die', counter: counter(), deaths: 2, how: 'throw' }), (error) => error instanceof WorkerLostError && /fell over/.test(error.message));
    assert.equal((await pool.run({ op: 'echo', value: 5 })).value, 5);
  } finally {
    await pool.close();
  }
});

test('an error thrown by the handler rejects the job with its message and code', async () => {
  const pool = poolOf(1);
  try {
    await assert.rejects(pool.run({ op: 'fail', message: '주민등록번호가 없습니다' }), (error) => error instanceof WorkerJobError && error.message === '주민등록번호가 없습니다' && error.code === 'TEST_FAILURE' && error.remoteName === 'Error');
    assert.equal((await pool.run({ op: 'echo', value: 1 })).value, 1, 'the thread is still usable');
  } finally {
    await pool.close();
  }
});

test('a result can be transferred back rather than copied', async () => {
  const pool = poolOf(1);
  try {
    const result = await pool.run({ op: 'bytes', length: 1 << 20 });
    assert.equal(result.bytes?.byteLength, 1 << 20);
    assert.equal(result.bytes?.[123], 7);
  } finally {
    await pool.close();
  }
});

test('closing rejects the job in hand and every queued job, and refuses new ones', async () => {
  const pool = poolOf(1);
  const running = pool.run({ op: 'echo', value: 0, delayMs: 5000 });
  const queued = [pool.run({ op: 'echo', value: 1 }), pool.run({ op: 'echo', value: 2 })];
  const outcomes = [running, ...queued].map((job) => assert.rejects(job, WorkerPoolClosedError));
  await new Promise((resolve) => setTimeout(resolve, 50));
  await pool.close();
  await Promise.all(outcomes);
  await assert.rejects(pool.run({ op: 'echo', value: 3 }), WorkerPoolClosedError);
});

test('idle threads do not keep the process alive', async () => {
  // A process that uses a pool and never closes it must still end by itself.
  const script = `
    import { createWorkerPool } from ${JSON.stringify(new URL('./worker-pool.ts', import.meta.url).href)};
    const pool = createWorkerPool({ entry: new URL(${JSON.stringify(entry.href)}), size: 2, name: 'idle' });
    const [a, b] = await Promise.all([pool.run({ op: 'echo', value: 1 }), pool.run({ op: 'echo', value: 2, delayMs: 20 })]);
    console.log(a.value + b.value);
  `;
  // No --input-type: the threads would inherit it and refuse their entry file.
  const root = new URL('../../../', import.meta.url);
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '-e', script], { cwd: root, timeout: 15_000 });
  assert.equal(stdout.trim(), '3');
});
