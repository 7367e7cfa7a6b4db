// Step definitions for the GovStack Registration building block's test scenarios
// (../shared/conformance/govstack/registration/features), written to the wording of its
// feature files. Requests go over HTTP to a running Nara (base URL in the world's
// parameters); responses are checked against the building block's own OpenAPI schemas.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { After, Given, Then, When, setDefaultTimeout, World, setWorldConstructor, type IWorldOptions } from '@cucumber/cucumber';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

const conformance = path.resolve(import.meta.dirname, '../../../../shared/conformance/govstack/registration');
const spec = JSON.parse(readFileSync(path.join(conformance, 'api/GovStack_Registration_BB_API.json'), 'utf8'));
const statisticsSpec = JSON.parse(readFileSync(path.join(conformance, 'api/GovStack_Registration_BB_API_statistics.json'), 'utf8'));
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
// OpenAPI schemas carry `example`, `xml` and the like: not JSON Schema keywords, so not strict.
const ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
ajv.addSchema(spec, 'registration');
ajv.addSchema(statisticsSpec, 'statistics');
const ref = (doc: string, name: string) => ({ $ref: `${doc}#/components/schemas/${name}` });
const arrayOf = (doc: string, name: string) => ({ type: 'array', items: ref(doc, name) });
const schemas: Record<string, object> = {
  '/services': arrayOf('registration', 'service'),
  '/services/{serviceId}': ref('registration', 'service'),
  '/services/{serviceId}/eForms': arrayOf('registration', 'EFormListItem'),
  '/eForms/{eFormId}': ref('registration', 'EForm'),
  '/services/{serviceId}/applications': ref('registration', 'applicationFileResponse'),
  '/applications': arrayOf('registration', 'applicantApplicationFileListResponse'),
  '/applications/{fileId}': ref('registration', 'applicationFileResponse'),
  'PUT /applications/{fileId}': ref('registration', 'applicationFileResponse'),
  '/tasks': arrayOf('registration', 'userTaskResponse'),
  '/tasks/{taskId}': ref('registration', 'dataUserTaskResponse'),
  '/tasks/{taskId}/complete': ref('registration', 'completedTaskResponse'),
  '/documents': ref('registration', 'uploadResponse'),
  '/documents bad request': ref('registration', 'systemError'),
  statistics: arrayOf('statistics', 'inline_response_200'),
};
const validators = new Map<string, ValidateFunction>();
const validator = (key: string) => {
  let v = validators.get(key);
  if (!v) {
    v = ajv.compile(schemas[key]!);
    validators.set(key, v);
  }
  return v;
};

export interface ScenarioOutcome {
  name: string;
  uri: string;
  line: number;
  status: string;
  message?: string | undefined;
}
/** Where the runner reads each scenario's outcome (it sets the array before the run). */
const outcomes = ((globalThis as { __govstackOutcomes?: ScenarioOutcome[] }).__govstackOutcomes ??= []);

setDefaultTimeout(20_000);
/** The building block's own limit: a response later than this fails its scenario. */
const RESPONSE_LIMIT_MS = 15_000;

class RegistrationWorld extends World<{ base: string; client: string }> {
  method = 'GET';
  path = '';
  query = new URLSearchParams();
  headers: Record<string, string> = {};
  body: Record<string, unknown> | undefined;
  multipart: FormData | undefined;
  endpoint = '';
  response: { status: number; contentType: string; text: string; json: unknown } | undefined;
  failure: Error | undefined;
  constructor(options: IWorldOptions<{ base: string; client: string }>) {
    super(options);
  }
  /**
   * Every call goes through the Information Mediator, as GovStack building blocks talk to
   * each other, so it carries the mediator's client header, whether or not the step names
   * it; only the steps about that header change or leave it out.
   */
  request(method: string, endpoint: string, p: string, withClient = true) {
    this.method = method;
    this.endpoint = endpoint;
    this.path = p;
    if (withClient) this.headers['information-mediator-client'] = this.parameters.client;
    else delete this.headers['information-mediator-client'];
  }
  async send() {
    if (this.response || this.failure) return;
    const url = new URL(`/govstack/registration${this.path}`, this.parameters.base);
    for (const [k, v] of this.query) url.searchParams.append(k, v);
    const headers: Record<string, string> = { ...this.headers };
    let body: BodyInit | undefined;
    if (this.multipart) body = this.multipart;
    else if (this.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(this.body);
    }
    try {
      const res = await fetch(url, { method: this.method, headers, ...(body !== undefined ? { body } : {}), signal: AbortSignal.timeout(RESPONSE_LIMIT_MS) });
      const text = await res.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      this.response = { status: res.status, contentType: res.headers.get('content-type') ?? '', text, json };
    } catch (error) {
      this.failure = error as Error;
    }
  }
  get json(): unknown {
    assert.ok(this.response, `no response (${this.failure?.message ?? 'not sent'})`);
    return this.response.json;
  }
}
setWorldConstructor(RegistrationWorld);

After(function (this: RegistrationWorld, { pickle, result }) {
  outcomes.push({ name: pickle.name, uri: path.basename(pickle.uri), line: 0, status: String(result?.status ?? 'UNKNOWN'), message: result?.message?.split('\n')[0] });
});

// ----- Given: what the user wants (the When steps say how) -----

for (const wish of [
  'User wants to retrieve the list of services', 'User wants to retrieve all the information about the service', 'User wants to retrieve the list of all e-service forms with schema',
  'User wants to get eForm information', 'An applicant wants to submit an application', 'User wants to retrieve all application files', 'User wants to get an application file',
  'User wants to update service application file', 'User wants to retrieve all tasks', 'User wants to get task information', 'User wants to complete the task', 'Wants to upload a document',
  'User wants to retrieve the service statistics',
]) {
  Given(wish, function () {});
}
Given('The API supports all media types for document upload', function () {});

// ----- When: the requests -----

When('GET request to retrieve a list of services is sent', function (this: RegistrationWorld) {
  this.request('GET', '/services', '/services');
});
When('User sends GET \\/services request with given {string} as name', function (this: RegistrationWorld, name: string) {
  this.request('GET', '/services', '/services');
  this.query.set('name', name);
});
When('GET request to retrieve the information of single service with given {string} as serviceId', function (this: RegistrationWorld, id: string) {
  this.request('GET', '/services/{serviceId}', `/services/${encodeURIComponent(id)}`);
});
When('User sends GET \\/services\\/\\{serviceId}\\/eForms request with given {string} as serviceId', function (this: RegistrationWorld, id: string) {
  this.request('GET', '/services/{serviceId}/eForms', `/services/${encodeURIComponent(id)}/eForms`);
});
When('GET request to get eForm is sent with given {string} as eFormId parameter', function (this: RegistrationWorld, id: string) {
  this.request('GET', '/eForms/{eFormId}', `/eForms/${encodeURIComponent(id)}`);
});
When('POST request to submit an application is sent with given Information-Mediator-Client header and {string} as serviceId parameter', function (this: RegistrationWorld, id: string) {
  this.request('POST', '/services/{serviceId}/applications', `/services/${encodeURIComponent(id)}/applications`);
  this.body = {};
});
When(/^The request contains a payload with "([^"]*)" as applicantId$/, function (this: RegistrationWorld, applicantId: string) {
  this.body = { ...(this.body ?? {}), applicantId };
});
When(/^The request contains a payload with "([^"]*)" as applicationName, "([^"]*)" as applicantId and "([^"]*)" as created\s*$/, function (this: RegistrationWorld, applicationName: string, applicantId: string, created: string) {
  this.body = { ...(this.body ?? {}), applicationName, applicantId, created };
});
When(/^GET request to get all application files is sent with given Information-Mediator-Client header(?: and a payload with "([^"]*)" as (\w+) parameter)?$/, function (this: RegistrationWorld, value?: string, name?: string) {
  this.request('GET', '/applications', '/applications');
  if (name) this.query.set(name, value ?? '');
});
When(/^GET request to get all tasks is sent with given Information-Mediator-Client header(?: and a payload with "([^"]*)" as (\w+) parameter)?$/, function (this: RegistrationWorld, value?: string, name?: string) {
  this.request('GET', '/tasks', '/tasks');
  if (name) this.query.set(name, value ?? '');
});
When(/^The request contains a payload with "([^"]*)" as (\w+) parameter$/, function (this: RegistrationWorld, value: string, name: string) {
  this.query.set(name, value);
});
When(/^The (?:\/applications )?request contains a payload with (\d+) as firstResult, (\d+) as maxResult, "([^"]*)" as sortBy and "([^"]*)" as sortOrder$/, function (this: RegistrationWorld, first: string, max: string, sortBy: string, sortOrder: string) {
  this.query.set('firstResult', first);
  this.query.set('maxResult', max);
  this.query.set('sortBy', sortBy);
  this.query.set('sortOrder', sortOrder);
});
When('GET request to get an application file is sent with given Information-Mediator-Client header and {string} as fileId parameter', function (this: RegistrationWorld, id: string) {
  this.request('GET', '/applications/{fileId}', `/applications/${encodeURIComponent(id)}`);
});
When('PUT request to update service application file is sent with given Information-Mediator-Client header, {string} as a fileId parameter and body containing applicantId: {string}', function (this: RegistrationWorld, id: string, applicantId: string) {
  this.request('PUT', 'PUT /applications/{fileId}', `/applications/${encodeURIComponent(id)}`);
  this.body = { applicantId, formData: { data: {} } };
});
When('GET request to get task is sent with given {string} as taskId parameter', function (this: RegistrationWorld, id: string) {
  this.request('GET', '/tasks/{taskId}', `/tasks/${encodeURIComponent(id)}`);
});
When('POST request to completes the task is sent with given {string} as a taskId parameter and body', function (this: RegistrationWorld, id: string) {
  this.request('POST', '/tasks/{taskId}/complete', `/tasks/${encodeURIComponent(id)}/complete`);
  this.body = { data: {} };
});
When('POST request with given document is sent', function (this: RegistrationWorld) {
  this.request('POST', '/documents', '/documents');
  const form = new FormData();
  form.append('file', new Blob([Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n')], { type: 'application/pdf' }), 'birth-certificate.pdf');
  this.multipart = form;
});
When('The request contains {string} as additionalMetadata', function (this: RegistrationWorld, metadata: string) {
  this.query.set('additionalMetadata', metadata);
});
When('POST request to upload a document is sent without payload', function (this: RegistrationWorld) {
  this.request('POST', '/documents', '/documents');
});
When(/^User sends GET request with given "(.*)" as Information-Mediator-Client header$/, function (this: RegistrationWorld, client: string) {
  this.request('GET', 'statistics', '/data/statistics/1.0', false);
  this.headers['information-mediator-client'] = client;
});
When('User sends GET request without Information-Mediator-Client header', function (this: RegistrationWorld) {
  this.request('GET', 'statistics', '/data/statistics/1.0', false);
});
When(/^User provides optional query parameters "(.*)" as startDate "(.*)" as endDate "(.*)" as registrationName "(.*)" as operator "(.*)" as role "(.*)" as timeframe$/, function (this: RegistrationWorld, startDate: string, endDate: string, registrationName: string, operator: string, role: string, timeframe: string) {
  for (const [k, v] of Object.entries({ startDate, endDate, registrationName, operator, role, timeframe })) this.query.set(k, v);
});
When('User provides query parameter {string} as registrationName', function (this: RegistrationWorld, name: string) {
  this.query.set('registrationName', name);
});

// ----- Then: the response -----

Then(/^The response from the (.+) endpoint is received$/, async function (this: RegistrationWorld, _endpoint: string) {
  await this.send();
  assert.ok(this.response, `no response: ${this.failure?.message}`);
});
Then('User receives a response', async function (this: RegistrationWorld) {
  await this.send();
  assert.ok(this.response, `no response: ${this.failure?.message}`);
});
// The request was sent with the building block's own limit as its timeout: a slower answer
// never arrives, and the step fails.
Then(/^The (?:.+ )?response should be returned in a timely manner(?: \d+ms)?$/, async function (this: RegistrationWorld) {
  await this.send();
  assert.ok(this.response, `no response within ${RESPONSE_LIMIT_MS} ms: ${this.failure?.message}`);
});
Then(/^The (?:.+ )?response should have status (\d+)$/, async function (this: RegistrationWorld, status: string) {
  await this.send();
  assert.equal(this.response?.status, Number(status), this.response?.text.slice(0, 300));
});
Then(/^The (.+) response should have "content-type": "(.*)" header$/, async function (this: RegistrationWorld, _endpoint: string, type: string) {
  await this.send();
  assert.ok(this.response?.contentType.startsWith(type), `content-type ${this.response?.contentType}`);
});
Then('The response header content-type should be {string}', async function (this: RegistrationWorld, type: string) {
  await this.send();
  assert.equal(this.response?.contentType, type);
});
Then(/^The (?:.+ )?response should match json schema$/, async function (this: RegistrationWorld) {
  await this.send();
  const validate = validator(this.endpoint);
  assert.ok(validate(this.json), `${this.endpoint}: ${ajv.errorsText(validate.errors)}`);
});
Then('The \\/documents response should match bad request json schema', async function (this: RegistrationWorld) {
  await this.send();
  const validate = validator('/documents bad request');
  assert.ok(validate(this.json), ajv.errorsText(validate.errors));
});
Then(/^The (.+) response's (\w+) should be equal to the (\w+) from the request "(.*)"$/, async function (this: RegistrationWorld, _endpoint: string, field: string, _same: string, expected: string) {
  await this.send();
  assert.equal((this.json as Record<string, unknown>)[field], expected);
});
Then(/^The (.+) response should contains empty array$/, async function (this: RegistrationWorld, _endpoint: string) {
  await this.send();
  assert.deepEqual(this.json, []);
});
Then('The name field in the response matches with {string} provided as name in the query parameter', async function (this: RegistrationWorld, name: string) {
  await this.send();
  const list = this.json as Array<{ name: string }>;
  assert.ok(Array.isArray(list) && list.length > 0, 'no service of that name');
  for (const s of list) assert.match(s.name.toLowerCase(), new RegExp(name.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
});
