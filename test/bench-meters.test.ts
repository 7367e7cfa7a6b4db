import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startLoadGeneratorMeter, startThreadMeter, threadsLine } from '../bench/lib.ts';

const spin = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('the load generator meter sees its own event loop held up, and the CPU it spent', async () => {
  const quiet = startLoadGeneratorMeter();
  await sleep(300);
  const rest = quiet();
  assert.ok(rest.lagP99 < 50, `an idle loop is not late by ${rest.lagP99} ms`);
  assert.ok(rest.cores < 0.5, `an idle loop used ${rest.cores} cores`);

  const busy = startLoadGeneratorMeter();
  // The loop is blocked 100 ms at a time, three times over, between short breathers.
  for (let i = 0; i < 3; i++) {
    spin(100);
    await sleep(10);
  }
  const held = busy();
  assert.ok(held.lagP99 >= 70, `blocked 100 ms at a time, the loop was late by only ${held.lagP99} ms at p99`);
  assert.ok(held.cores > 0.25, `spinning most of the time used only ${held.cores} cores`);
});

test('the thread meter gives the cores of each named thread of a process, and nothing without one', async () => {
  const meter = startThreadMeter(process.pid);
  spin(300);
  const threads = meter();
  if (process.platform === 'linux') {
    const busiest = Object.entries(threads)[0];
    assert.ok(busiest && busiest[1] > 0.25, `the spinning thread was not the busiest: ${JSON.stringify(threads)}`);
    assert.match(threadsLine(threads), new RegExp(`^server cores by thread: ${busiest[0]} \\d\\.\\d\\d`));
  }
  assert.deepEqual(startThreadMeter(undefined)(), {});
});
