import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { cliRunner } from './support/cli.ts';

// Registering an agency's system from the operator's tool, run as operators run it.
const nara = cliRunner('machine-cli');

before(() => {
  const seeded = nara('seed');
  assert.equal(seeded.code, 0, seeded.out);
});

test('oidc-client create --machine prints the client with its agency as JSON; list shows it as a machine of that agency', () => {
  const created = nara('oidc-client', 'create', '--machine', '--agency', 'MOIS', '--name', '행정안전부 증명서 발급 시스템');
  assert.equal(created.code, 0, created.out);
  const client = JSON.parse(created.stdout) as Record<string, string>;
  assert.deepEqual(Object.keys(client).sort(), ['agency', 'client_id', 'client_name', 'client_secret', 'scope']);
  assert.match(client.client_id!, /^nara-/);
  assert.ok(client.client_secret!.length >= 40);
  assert.equal(client.client_name, '행정안전부 증명서 발급 시스템');
  assert.equal(client.scope, 'credentials:issue', 'the one machine scope unless told otherwise');
  assert.equal(client.agency, 'MOIS');

  const listed = nara('oidc-client', 'list');
  const row = (JSON.parse(listed.stdout) as Array<{ client_id: string; grant_types: string[]; agency: string | null; redirect_uris: string[] }>).find((c) => c.client_id === client.client_id);
  assert.deepEqual(row && { grant_types: row.grant_types, agency: row.agency, redirect_uris: row.redirect_uris }, { grant_types: ['client_credentials'], agency: 'MOIS', redirect_uris: [] });
  assert.ok(!listed.out.includes(client.client_secret!), 'the secret is shown once, at creation');
});

test('oidc-client create --machine explains mistakes in plain words', () => {
  const bad = nara('oidc-client', 'create', '--machine', '--agency', 'NOPE', '--name', 'x', '--scope', 'openid');
  assert.equal(bad.code, 1);
  assert.match(bad.out, /--name: The service name must be 2 to 100 characters/);
  assert.match(bad.out, /--scope: Unknown scope openid\. Scopes you can use: credentials:issue/);
  assert.match(bad.out, /--agency: No agency has the code NOPE\. A machine client acts for one agency/);

  // The usage that comes with the refusal names the command and the scopes it takes.
  const noAgency = nara('oidc-client', 'create', '--machine', '--name', 'MOIS 시스템');
  assert.equal(noAgency.code, 1);
  assert.match(noAgency.out, /--agency is required for a machine client/);
  assert.match(noAgency.out, /oidc-client create --machine --agency CODE --name "Name" \[--scope credentials:issue\]/);
  assert.match(noAgency.out, /Machine scopes: credentials:issue/);
  assert.match(nara('oidc-client', 'create', '--machine', '--agency', 'MOIS', '--name', 'MOIS 시스템', '--redirect-uri', 'https://mois.example.kr/cb').out, /has no --redirect-uri/);
});
