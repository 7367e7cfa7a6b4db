import { test } from 'node:test';
import assert from 'node:assert/strict';
import { poolStorms, type StormResult } from '../bench/login-storm.ts';
import { poolReads, poolWrites, type ReadResult, type WriteLoad } from '../bench/timeline-readers.ts';

const storm = (signIns: number, seconds: number, latencies: number[], rest: number[], probes: number[], extra: Partial<StormResult> = {}): StormResult => ({
  signIns,
  signInsPerSecond: signIns / seconds,
  signInP50: Number.NaN,
  signInP99: Number.NaN,
  errors: {},
  errorCount: 0,
  seconds,
  browsers: 200,
  healthz: { rest: { samples: 0, p50: 0, p99: 0, max: 0, failed: 0 }, storm: { samples: 0, p50: 0, p99: 0, max: 0, failed: 0 }, p99Ratio: 0 },
  loadGeneratorLagP99: 1,
  loadGeneratorCores: 0.1,
  otherCpu: 0.01,
  raw: { latencies, rest: { times: rest, failed: 0 }, storm: { times: probes, failed: 0 } },
  ...extra,
});

test('storms are pooled as one longer storm: sign-ins over seconds, percentiles over every sample', () => {
  const ones = Array.from({ length: 99 }, () => 1);
  const pooled = poolStorms([
    // 100 sign-ins in 10 s, then 300 in 10 s: 20/s pooled, where the mean of the rates would also be 20/s…
    storm(100, 10, [100, 200], [...ones, 50], ones, { errors: { 'POST /sign-in 500': 1 }, errorCount: 1, loadGeneratorLagP99: 3, loadGeneratorCores: 0.3, otherCpu: 0.2 }),
    storm(300, 10, [300], ones, [...ones, 8]),
    // …but not with a run of another length: 405 in 25 s.
    storm(5, 5, [400], ones, ones, { errors: { 'POST /sign-in 500': 2, 'GET /sign-in 502': 1 }, errorCount: 3 }),
  ]);
  assert.equal(pooled.signIns, 405);
  assert.equal(pooled.seconds, 25);
  assert.equal(pooled.signInsPerSecond, 405 / 25);
  assert.equal(pooled.signInP50, 200);
  assert.equal(pooled.signInP99, 400);
  // Every probe counts once: one slow probe among 298 is above the p99 (nearest rank, the third-slowest).
  assert.equal(pooled.healthz.rest.samples, 298);
  assert.equal(pooled.healthz.rest.max, 50);
  assert.equal(pooled.healthz.rest.p99, 1);
  assert.equal(pooled.healthz.storm.samples, 298);
  assert.equal(pooled.healthz.p99Ratio, pooled.healthz.storm.p99 / pooled.healthz.rest.p99);
  assert.deepEqual(pooled.errors, { 'POST /sign-in 500': 3, 'GET /sign-in 502': 1 });
  assert.equal(pooled.errorCount, 4);
  // The worst of each disturbance, so that one disturbed storm is still flagged.
  assert.equal(pooled.loadGeneratorLagP99, 3);
  assert.equal(pooled.otherCpu, 0.2);
  // The load generator's cores over all the seconds: (0.3 × 10 + 0.1 × 10 + 0.1 × 5) / 25.
  assert.equal(pooled.loadGeneratorCores.toFixed(6), (4.5 / 25).toFixed(6));
  assert.equal('raw' in pooled, false);
});

test('S2 windows are pooled by the means of their rates and percentiles, failures added up', () => {
  const read = (rps: number, p99: number, non2xx = 0, otherCpu?: number, extra: Partial<ReadResult> = {}): ReadResult => ({
    rps, p50: p99 / 2, p99, requests: rps * 10, non2xx, errors: 0, otherCpu, threads: { MainThread: 0.9 }, loadGeneratorCores: 0.6, loadGeneratorLagP99: 3, ...extra,
  });
  const pooled = poolReads([
    read(10_000, 20),
    read(12_000, 30, 2, 0.05, { threads: { MainThread: 0.8, WorkerThread: 0.3 }, loadGeneratorCores: 0.3, loadGeneratorLagP99: 12 }),
    read(8_000, 40, 0, 0.15, { threads: { MainThread: 0.7, WorkerThread: 0.6 } }),
  ]);
  assert.equal(pooled.rps, 10_000);
  assert.equal(pooled.p99, 30);
  assert.equal(pooled.p50, 15);
  assert.equal(pooled.requests, 300_000);
  assert.equal(pooled.non2xx, 2);
  assert.equal(pooled.otherCpu, 0.15);
  assert.equal(poolReads([read(1, 1)]).otherCpu, undefined);
  // Where the CPU went: each thread's mean over the windows, idle where a window did not list it.
  assert.equal(pooled.threads.MainThread!.toFixed(6), (0.8).toFixed(6));
  assert.equal(pooled.threads.WorkerThread!.toFixed(6), (0.3).toFixed(6));
  assert.equal(pooled.loadGeneratorCores.toFixed(6), (0.5).toFixed(6));
  assert.equal(pooled.loadGeneratorLagP99, 6);

  const write = (achievedPerSecond: number, failed: number): WriteLoad => ({ rate: 200, submitted: achievedPerSecond * 10, failed, behind: 0, achievedPerSecond, p50: 40, p99: 100 });
  const writes = poolWrites([write(200, 0), write(180, 1)]);
  assert.equal(writes.rate, 200);
  assert.equal(writes.achievedPerSecond, 190);
  assert.equal(writes.submitted, 3800);
  assert.equal(writes.failed, 1);
});
