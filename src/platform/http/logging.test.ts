import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { buildApp } from '../../app.ts';
import { testConfig, testDatabase } from '../../../test/support/test-app.ts';

test('the request id a user sees on an error page is in the log with the error', async () => {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  const database = await testDatabase();
  const { app } = await buildApp({ config: testConfig(), database, logger: { level: 'info', stream } });
  app.get('/test/boom', async () => {
    throw new Error('disk on fire');
  });
  try {
    const res = await app.inject({ method: 'GET', url: '/test/boom' });
    const id = res.headers['x-request-id'] as string;
    assert.ok(res.body.includes(id));
    const logged = lines.filter((l) => l.reqId === id);
    assert.ok(logged.some((l) => l.msg === 'unhandled error' && JSON.stringify(l.err).includes('disk on fire')), 'the error is logged under the request id');
    assert.ok(logged.some((l) => l.msg === 'request completed'), 'the request itself is logged');
  } finally {
    await app.close();
    await database.close();
  }
});
