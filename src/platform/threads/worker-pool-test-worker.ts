// A worker for worker-pool.test.ts: each request names a behaviour the pool must survive.
import { threadId } from 'node:worker_threads';
import { serveWorker } from './worker-pool.ts';

export type TestRequest =
  | { op: 'echo'; value: number; delayMs?: number }
  /** Waits until `parties` jobs have arrived at `barrier`, which only threads running at once can do. */
  | { op: 'meet'; barrier: SharedArrayBuffer; parties: number }
  /** Counts itself in `counter` and dies while the count is at most `deaths`. */
  | { op: 'die'; counter: SharedArrayBuffer; deaths: number; how: 'exit' | 'throw' }
  | { op: 'fail'; message: string }
  | { op: 'bytes'; length: number };

export type TestResponse = { value?: number; threadId: number; met?: boolean; bytes?: Uint8Array };

serveWorker<TestRequest, TestResponse>(
  async (request) => {
    switch (request.op) {
      case 'echo':
        if (request.delayMs) await new Promise((resolve) => setTimeout(resolve, request.delayMs));
        return { value: request.value, threadId };
      case 'meet': {
        const arrived = new Int32Array(request.barrier);
        Atomics.add(arrived, 0, 1);
        Atomics.notify(arrived, 0);
        const deadline = Date.now() + 5000;
        let count: number;
        while ((count = Atomics.load(arrived, 0)) < request.parties && Date.now() < deadline) Atomics.wait(arrived, 0, count, 50);
        return { threadId, met: Atomics.load(arrived, 0) >= request.parties };
      }
      case 'die': {
        const seen = Atomics.add(new Int32Array(request.counter), 0, 1) + 1;
        if (seen <= request.deaths) {
          if (request.how === 'exit') process.exit(3);
          // An uncaught error: the thread reports it and stops.
          setImmediate(() => {
            throw new Error('the test worker fell over');
          });
          await new Promise(() => {});
        }
        return { value: seen, threadId };
      }
      case 'fail':
        throw Object.assign(new Error(request.message), { code: 'TEST_FAILURE' });
      case 'bytes':
        return { threadId, bytes: new Uint8Array(request.length).fill(7) };
    }
  },
  { transfer: (response) => (response.bytes ? [response.bytes.buffer as ArrayBuffer] : []) },
);
