import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testApp, type TestApp } from '../../../test/support/test-app.ts';
import { createFile } from './govstack.ts';

// The GovStack Registration API is for admitted Information Mediator clients only: the
// catalogue is public, but files, tasks, documents and statistics are not.

const ADMITTED = 'eGovStack/GOV/90000009/eregistrations-dev';
let t: TestApp;

before(async () => {
  t = await testApp({ config: { rateLimitPerMinute: 100_000, govstackClients: ADMITTED } });
});
after(async () => t.close());

const call = (method: 'GET' | 'POST', url: string, client?: string, payload?: unknown) =>
  t.app.inject({ method, url: `/govstack/registration${url}`, headers: { ...(client !== undefined ? { 'information-mediator-client': client } : {}), ...(payload ? { 'content-type': 'application/json' } : {}) }, ...(payload ? { payload: JSON.stringify(payload) } : {}) });

test('the service catalogue is public; files, tasks, documents and statistics need an admitted client', async () => {
  assert.equal((await call('GET', '/services')).statusCode, 200);
  const file = await createFile(t.database.db, { serviceId: (await call('GET', '/services')).json()[0].id, body: { applicantId: 'someone-elsewhere' }, client: ADMITTED, timeZone: t.config.timeZone });
  for (const [method, url] of [['GET', '/applications'], ['GET', `/applications/nara-application-${file.id}`], ['GET', '/tasks'], ['GET', `/tasks/nara-task-${file.id}-${file.department_id}`], ['POST', `/tasks/nara-task-${file.id}-${file.department_id}/complete`], ['POST', '/documents'], ['GET', '/data/statistics/1.0']] as const) {
    assert.equal((await call(method, url, undefined, method === 'POST' ? { data: {} } : undefined)).statusCode, 400, `${method} ${url} without the header`);
    assert.equal((await call(method, url, 'eGovStack/GOV/12345678/someone-else', method === 'POST' ? { data: {} } : undefined)).statusCode, 403, `${method} ${url} from a client not admitted`);
  }
  assert.equal((await call('GET', `/applications/nara-application-${file.id}`, ADMITTED)).statusCode, 200);
});

test('without admitted clients (the production default) the API is not there', async () => {
  const off = await testApp({ config: { govstackClients: '' } });
  try {
    assert.equal((await off.app.inject({ method: 'GET', url: '/govstack/registration/services' })).statusCode, 404);
  } finally {
    await off.close();
  }
});
