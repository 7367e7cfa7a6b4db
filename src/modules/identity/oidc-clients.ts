import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Db, Executor } from '../../platform/db/database.ts';
import type { FieldEncryption } from '../../platform/crypto/field-encryption.ts';
import { DomainError, type FieldError } from '../../platform/http/errors.ts';
import { writeAuditEvent } from '../../platform/audit/write-audit-event.ts';
import { isOidcScope, OIDC_SCOPES } from './oidc-claims.ts';
import { dropGrant } from './oidc-consents.ts';

export interface NewOidcClient {
  name: string;
  redirectUris: string[];
  /** space-separated; defaults to `openid profile email` */
  scope?: string;
}

export interface RegisteredClient {
  client_id: string;
  client_secret: string;
  client_name: string;
  redirect_uris: string[];
  scope: string;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Why a redirect URI cannot be registered, or undefined if it can. */
export function redirectUriProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'is not an absolute URL';
  }
  if (url.hash) return 'must not have a fragment';
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && LOOPBACK.has(url.hostname)) return undefined;
  return 'must use https (plain http only on this machine: localhost or 127.0.0.1)';
}

/**
 * Registers a relying party (an operator's act, from the CLI). The secret is returned once
 * and stored encrypted; the provider needs it in clear to check client_secret_basic.
 * @throws DomainError VALIDATION_FAILED with the problem of each field
 */
export async function registerOidcClient(db: Db, encryption: FieldEncryption, input: NewOidcClient): Promise<RegisteredClient> {
  const problems: FieldError[] = [];
  const name = input.name.trim();
  if (name.length < 2 || name.length > 100) problems.push({ field: 'name', messageKey: 'oidc.client.nameLength' });
  if (input.redirectUris.length === 0) problems.push({ field: 'redirect-uri', messageKey: 'oidc.client.redirectRequired' });
  for (const uri of input.redirectUris) {
    const problem = redirectUriProblem(uri);
    if (problem) problems.push({ field: 'redirect-uri', messageKey: 'oidc.client.redirectInvalid', params: { uri, problem } });
  }
  const scopes = [...new Set((input.scope ?? 'openid profile email').split(/\s+/).filter(Boolean))];
  const unknown = scopes.filter((s) => !isOidcScope(s));
  if (unknown.length > 0) problems.push({ field: 'scope', messageKey: 'oidc.client.scopeUnknown', params: { scopes: unknown.join(' '), known: OIDC_SCOPES.join(' ') } });
  if (!scopes.includes('openid')) problems.push({ field: 'scope', messageKey: 'oidc.client.scopeOpenid' });
  if (problems.length > 0) throw new DomainError('VALIDATION_FAILED', 'error.VALIDATION_FAILED', { fields: problems });

  const client: RegisteredClient = {
    client_id: `nara-${randomBytes(12).toString('base64url')}`,
    client_secret: randomBytes(32).toString('base64url'),
    client_name: name,
    redirect_uris: input.redirectUris,
    scope: scopes.join(' '),
  };
  await db.transaction().execute(async (tx) => {
    await tx
      .insertInto('oidc_clients')
      .values({ client_id: client.client_id, name, secret_cipher: encryption.encrypt(client.client_secret), redirect_uris: JSON.stringify(client.redirect_uris), scope: client.scope })
      .execute();
    await writeAuditEvent(tx, { action: 'identity.oidc-client.registered', actor: { accountId: null }, subject: { type: 'oidc-client', id: client.client_id }, details: { name, redirectUris: client.redirect_uris, scope: client.scope } });
  });
  return client;
}

/** Every registered client; machine clients show their grant type and agency. */
export function listOidcClients(db: Executor) {
  return db
    .selectFrom('oidc_clients')
    .leftJoin('agencies', 'agencies.id', 'oidc_clients.agency_id')
    .select(['oidc_clients.client_id', 'oidc_clients.name', 'oidc_clients.redirect_uris', 'oidc_clients.scope', 'oidc_clients.grant_types', 'agencies.code as agency', 'oidc_clients.created_at', 'oidc_clients.disabled_at'])
    .orderBy('oidc_clients.created_at')
    .execute();
}

/**
 * Disables a client: it can no longer sign anyone in, every grant to it is withdrawn, and
 * a machine client's tokens stop working.
 * @throws DomainError NOT_FOUND
 */
export async function disableOidcClient(db: Db, clientId: string): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const updated = await tx.updateTable('oidc_clients').set({ disabled_at: sql`now()` }).where('client_id', '=', clientId).where('disabled_at', 'is', null).executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) throw new DomainError('NOT_FOUND', 'oidc.client.notFound', { params: { clientId } });
    const consents = await tx.deleteFrom('oidc_consents').where('client_id', '=', clientId).returning('grant_id').execute();
    for (const { grant_id } of consents) await dropGrant(tx, grant_id);
    // Client-credentials tokens belong to no grant.
    await tx.deleteFrom('oidc_payloads').where('model', '=', 'ClientCredentials').where(sql<string>`payload->>'clientId'`, '=', clientId).execute();
    await writeAuditEvent(tx, { action: 'identity.oidc-client.disabled', actor: { accountId: null }, subject: { type: 'oidc-client', id: clientId } });
  });
}
