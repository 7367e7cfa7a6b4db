import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testApp, type TestApp } from '../../../test/support/test-app.ts';
import { DomainError } from './errors.ts';

let t: TestApp;
before(async () => {
  t = await testApp({
    seed: false,
    beforeReady(app) {
      app.get('/test/boom', async () => {
        throw new Error('connection to 10.0.0.5 refused by pg_hba.conf');
      });
      app.get('/test/forbidden', async () => {
        throw new DomainError('FORBIDDEN');
      });
    },
  });
});
after(async () => t.close());

test('a 500 page apologises in the reader language and shows nothing of the internals', async () => {
  for (const [lang, text] of [['ko', '일시적인 오류'], ['en', 'Something went wrong']] as const) {
    const res = await t.app.inject({ method: 'GET', url: '/test/boom', headers: { 'accept-language': lang } });
    assert.equal(res.statusCode, 500);
    assert.match(res.body, new RegExp(text));
    assert.doesNotMatch(res.body, /10\.0\.0\.5|pg_hba|Error:|at .*\.ts/);
    assert.ok(res.body.includes(res.headers['x-request-id'] as string), 'the request id is shown so support can find the log');
  }
});

test('a 500 to an API client is JSON without internals', async () => {
  const res = await t.app.inject({ method: 'GET', url: '/test/boom', headers: { accept: 'application/json' } });
  assert.equal(res.statusCode, 500);
  assert.equal(res.json().error.code, 'INTERNAL');
  assert.doesNotMatch(res.body, /10\.0\.0\.5/);
});

test('a 403 page is shown in both languages', async () => {
  const ko = await t.app.inject({ method: 'GET', url: '/test/forbidden' });
  assert.equal(ko.statusCode, 403);
  assert.match(ko.body, /이 페이지를 볼 권한이 없습니다/);
  const en = await t.app.inject({ method: 'GET', url: '/test/forbidden?lang=en' });
  assert.match(en.body, /You do not have permission/);
});
