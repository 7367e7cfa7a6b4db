import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { sql } from 'kysely';
import * as client from 'openid-client';
import { testApp, type TestApp } from '../../../test/support/test-app.ts';
import { createFieldEncryption } from '../../platform/crypto/field-encryption.ts';
import { DomainError } from '../../platform/http/errors.ts';
import { createOidcEndpoints } from './oidc-routes.ts';
import { registerOidcClient, disableOidcClient } from './oidc-clients.ts';
import { registerMachineClient, type RegisteredMachineClient } from './register-machine-client.ts';
import { createMachineAuthenticator, type MachineAuthenticator } from './authenticate-machine.ts';

// Machine clients: an agency's system gets a client-credentials token at /oidc/token over
// HTTP (openid-client, as agencies' systems would) and an API asks who the token stands for.

const REDIRECT = 'http://127.0.0.1:9/callback';

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

let t: TestApp;
let issuer: string;
let authenticate: MachineAuthenticator;
let provider: Awaited<ReturnType<ReturnType<typeof createOidcEndpoints>['oidc']['provider']>>;

before(async () => {
  const port = await freePort();
  issuer = `http://127.0.0.1:${port}`;
  t = await testApp({ config: { publicUrl: issuer, rateLimitPerMinute: 10_000 } });
  await t.app.listen({ port, host: '127.0.0.1' });
  // The provider as another instance of Nara has it, over the same database: a token is
  // good wherever it is checked, whichever instance issued it.
  const { oidc } = createOidcEndpoints({
    db: t.database.db, encryption: createFieldEncryption(t.config.dataKey), pageContext: undefined as never, sessions: undefined as never,
    issuer, cookieSecret: t.config.sessionSecret, secureCookies: false, behindProxy: false, timeZone: t.config.timeZone,
  });
  authenticate = createMachineAuthenticator({ db: t.database.db, oidc });
  provider = await oidc.provider();
});
after(() => t.close());

const encryption = () => createFieldEncryption(t.config.dataKey);

async function machine(agencyCode = 'MOIS', scope = 'credentials:issue'): Promise<RegisteredMachineClient> {
  return registerMachineClient(t.database.db, encryption(), { name: `${agencyCode} 증명서 발급 시스템`, agencyCode, scope });
}

async function configFor(clientId: string, secret: string) {
  return client.discovery(new URL(issuer), clientId, undefined, client.ClientSecretBasic(secret), { execute: [client.allowInsecureRequests] });
}

/** A token request as a system sends it, without a library smoothing anything over. */
function tokenRequest(clientId: string, secret: string, form: Record<string, string>) {
  return fetch(`${issuer}/oidc/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
}

async function agencyId(code: string) {
  return (await t.database.db.selectFrom('agencies').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;
}

test('a machine client gets a ten-minute opaque token for credentials:issue, and the token tells the API which agency it acts for', async () => {
  const registered = await machine('MOIS');
  const tokens = await client.clientCredentialsGrant(await configFor(registered.client_id, registered.client_secret), { scope: 'credentials:issue' });
  assert.equal(tokens.token_type, 'bearer');
  assert.equal(tokens.scope, 'credentials:issue');
  assert.equal(tokens.expires_in, 600);
  assert.ok(!tokens.access_token.includes('.'), 'an opaque reference, not a JWT a third party could read');

  const found = await authenticate(`Bearer ${tokens.access_token}`);
  assert.deepEqual(found, { clientId: registered.client_id, agencyId: await agencyId('MOIS'), agencyCode: 'MOIS', scopes: ['credentials:issue'] });
});

test('two agencies each get their own agency, never the other', async () => {
  const mois = await machine('MOIS');
  const pps = await machine('PPS');
  const [a, b] = await Promise.all([
    client.clientCredentialsGrant(await configFor(mois.client_id, mois.client_secret), { scope: 'credentials:issue' }),
    client.clientCredentialsGrant(await configFor(pps.client_id, pps.client_secret), { scope: 'credentials:issue' }),
  ]);
  assert.equal((await authenticate(`Bearer ${a.access_token}`))?.agencyCode, 'MOIS');
  assert.equal((await authenticate(`Bearer ${b.access_token}`))?.agencyCode, 'PPS');
});

test('a wrong secret is refused with 401 invalid_client', async () => {
  const registered = await machine();
  const response = await tokenRequest(registered.client_id, 'not-the-secret', { grant_type: 'client_credentials', scope: 'credentials:issue' });
  assert.equal(response.status, 401);
  assert.equal(((await response.json()) as { error: string }).error, 'invalid_client');
});

test("a machine client cannot ask for a person's scopes", async () => {
  const registered = await machine();
  const response = await tokenRequest(registered.client_id, registered.client_secret, { grant_type: 'client_credentials', scope: 'openid nara:verified_name' });
  assert.equal(response.status, 400);
  assert.equal(((await response.json()) as { error: string }).error, 'invalid_scope');
});

test('a service people sign in to can neither use client credentials nor be granted credentials:issue, whatever its row says', async () => {
  const rp = await registerOidcClient(t.database.db, encryption(), { name: '청년정책 포털', redirectUris: [REDIRECT], scope: 'openid profile' });
  const grant = await tokenRequest(rp.client_id, rp.client_secret, { grant_type: 'client_credentials', scope: 'credentials:issue' });
  assert.equal(grant.status, 400);
  const refusal = (await grant.json()) as { error: string; error_description: string };
  assert.equal(refusal.error, 'invalid_request');
  assert.match(refusal.error_description, /grant type is not allowed for this client/);

  // Even an operator's slip that writes the machine scope into its row changes nothing.
  await t.database.db.updateTable('oidc_clients').set({ scope: 'openid profile credentials:issue' }).where('client_id', '=', rp.client_id).execute();
  const rpConfig = await configFor(rp.client_id, rp.client_secret);
  const url = client.buildAuthorizationUrl(rpConfig, {
    redirect_uri: REDIRECT, scope: 'openid credentials:issue', state: 'st',
    code_challenge: await client.calculatePKCECodeChallenge(client.randomPKCECodeVerifier()), code_challenge_method: 'S256',
  });
  const response = await fetch(url, { redirect: 'manual' });
  const location = new URL(response.headers.get('location')!);
  assert.equal(location.origin + location.pathname, REDIRECT);
  assert.equal(location.searchParams.get('error'), 'invalid_scope', 'refused before any resident is asked');
});

test('a machine client cannot start a sign-in at the authorization endpoint', async () => {
  const registered = await machine();
  const config = await configFor(registered.client_id, registered.client_secret);
  for (const [redirect, scope] of [[REDIRECT, 'openid'], ['https://mois.example.kr/callback', 'credentials:issue']] as const) {
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: redirect, scope, state: 'st',
      code_challenge: await client.calculatePKCECodeChallenge(client.randomPKCECodeVerifier()), code_challenge_method: 'S256',
    });
    const response = await fetch(url, { redirect: 'manual' });
    assert.equal(response.status, 400, `${scope}: refused outright`);
    assert.equal(response.headers.get('location'), null, 'sent nowhere');
    assert.ok(!response.headers.getSetCookie().some((c) => c.startsWith('nara_op_interaction')), 'no sign-in is started');
  }
});

test('disabling a machine client stops the tokens it already holds, and it gets no new ones', async () => {
  const registered = await machine();
  const tokens = await client.clientCredentialsGrant(await configFor(registered.client_id, registered.client_secret), { scope: 'credentials:issue' });
  assert.ok(await authenticate(`Bearer ${tokens.access_token}`));
  await disableOidcClient(t.database.db, registered.client_id);
  assert.equal(await authenticate(`Bearer ${tokens.access_token}`), undefined);
  const again = await tokenRequest(registered.client_id, registered.client_secret, { grant_type: 'client_credentials', scope: 'credentials:issue' });
  assert.equal(again.status, 401);
});

test('a token whose client is disabled is refused even if the token itself survived', async () => {
  const registered = await machine();
  const tokens = await client.clientCredentialsGrant(await configFor(registered.client_id, registered.client_secret), { scope: 'credentials:issue' });
  // As when the token is issued while the operator disables the client.
  await t.database.db.updateTable('oidc_clients').set({ disabled_at: sql`now()` }).where('client_id', '=', registered.client_id).execute();
  assert.equal(await authenticate(`Bearer ${tokens.access_token}`), undefined);
});

test('a revoked, consumed or expired token is refused', async () => {
  const registered = await machine();
  const config = await configFor(registered.client_id, registered.client_secret);
  const grant = () => client.clientCredentialsGrant(config, { scope: 'credentials:issue' }).then((r) => r.access_token);

  const revoked = await grant();
  await client.tokenRevocation(config, revoked);
  assert.equal(await authenticate(`Bearer ${revoked}`), undefined, 'the agency revoked it');

  const consumed = await grant();
  await provider.ClientCredentials.adapter.consume(consumed);
  assert.equal(await authenticate(`Bearer ${consumed}`), undefined, 'consumed');

  // Eleven minutes later, as the database and the token both see it.
  const expired = await grant();
  await t.database.db
    .updateTable('oidc_payloads')
    .set({ expires_at: sql`now() - interval '1 minute'`, payload: sql`jsonb_set(payload, '{exp}', to_jsonb(extract(epoch from now())::int - 60))` })
    .where('model', '=', 'ClientCredentials')
    .where('id', '=', expired)
    .execute();
  assert.equal(await authenticate(`Bearer ${expired}`), undefined, 'expired');
});

test("only a machine's bearer token counts: no header, Basic credentials, garbage or a person's access token give no one", async () => {
  const registered = await machine();
  const tokens = await client.clientCredentialsGrant(await configFor(registered.client_id, registered.client_secret), { scope: 'credentials:issue' });
  assert.ok(await authenticate(`bearer ${tokens.access_token}`), 'the scheme name is case-insensitive');

  const rp = await registerOidcClient(t.database.db, encryption(), { name: '청년정책 포털', redirectUris: [REDIRECT] });
  const rpClient = (await provider.Client.find(rp.client_id))!;
  const resident = await t.database.db.selectFrom('accounts').select('public_id').where('username', '=', 'resident1').executeTakeFirstOrThrow();
  const grant = new provider.Grant({ accountId: resident.public_id, clientId: rp.client_id });
  grant.addOIDCScope('openid');
  const personal = await new provider.AccessToken({ accountId: resident.public_id, client: rpClient, scope: 'openid', grantId: await grant.save(), gty: 'authorization_code' }).save();
  const userinfo = await fetch(`${issuer}/oidc/userinfo`, { headers: { authorization: `Bearer ${personal}` } });
  assert.equal(userinfo.status, 200, "the person's token is good where it belongs");

  const refused = [
    undefined,
    '',
    'Bearer',
    'Bearer ',
    `Basic ${Buffer.from(`${registered.client_id}:${registered.client_secret}`).toString('base64')}`,
    `Basic ${tokens.access_token}`,
    `Bearer ${tokens.access_token}x`,
    `Bearer ${tokens.access_token} ${tokens.access_token}`,
    `Bearer ${'A'.repeat(43)}`,
    "Bearer ' or 1=1 --",
    `Bearer ${personal}`,
  ];
  for (const header of refused) assert.equal(await authenticate(header), undefined, `${String(header).slice(0, 30)} is refused`);
});

test('registration names each mistake: unknown agency, no scope, a scope machines cannot hold', async () => {
  const attempt = registerMachineClient(t.database.db, encryption(), { name: 'x', agencyCode: 'NOPE', scope: 'openid credentials:issue' });
  await assert.rejects(attempt, (error: DomainError) => {
    assert.equal(error.code, 'VALIDATION_FAILED');
    assert.deepEqual(error.details.fields?.map((f) => [f.field, f.messageKey]), [
      ['name', 'oidc.client.nameLength'],
      ['scope', 'oidc.client.scopeUnknown'],
      ['agency', 'oidc.client.agencyUnknown'],
    ]);
    return true;
  });
  await assert.rejects(registerMachineClient(t.database.db, encryption(), { name: 'MOIS 시스템', agencyCode: 'MOIS', scope: '  ' }), (error: DomainError) => {
    assert.deepEqual(error.details.fields?.map((f) => f.messageKey), ['oidc.client.machineScopeRequired']);
    return true;
  });
  const kept = await t.database.db.selectFrom('oidc_clients').select('client_id').where('name', '=', 'MOIS 시스템').execute();
  assert.equal(kept.length, 0, 'nothing is registered');
});

test('registration is audited with the agency and scope', async () => {
  const registered = await machine('PPS');
  const event = await t.database.db.selectFrom('audit_events').select(['action', 'details']).where('subject_type', '=', 'oidc-client').where('subject_id', '=', registered.client_id).executeTakeFirstOrThrow();
  assert.equal(event.action, 'identity.oidc-client.registered');
  assert.deepEqual(event.details, { name: 'PPS 증명서 발급 시스템', grantTypes: ['client_credentials'], agency: 'PPS', scope: 'credentials:issue' });
});
