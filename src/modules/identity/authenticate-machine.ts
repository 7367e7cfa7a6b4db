import type { Db } from '../../platform/db/database.ts';
import type { Oidc } from './oidc-provider.ts';
import { isMachineScope } from './machine-scopes.ts';

/** An agency's system, identified by a client-credentials access token. */
export interface MachineClient {
  clientId: string;
  /** the one agency it acts for */
  agencyId: number;
  agencyCode: string;
  /** the machine scopes the token carries that the client still holds */
  scopes: string[];
}

/** Who a request's `Authorization` header stands for, or undefined when it is not a live machine token. */
export type MachineAuthenticator = (authorizationHeader: string | undefined) => Promise<MachineClient | undefined>;

// oidc-provider's opaque tokens are URL-safe random strings (43 characters by default).
const BEARER = /^Bearer +([A-Za-z0-9_-]{20,128})$/i;

export interface MachineAuthenticatorOptions {
  db: Db;
  /** the provider that issued the tokens (`createOidcEndpoints(...).oidc`) */
  oidc: Oidc;
}

/**
 * Checks bearer tokens from the client credentials grant. Refuses anything else (a
 * person's access token, a refresh token, Basic credentials), tokens that expired, were
 * revoked or consumed, and every token of a client disabled since it was issued.
 */
export function createMachineAuthenticator({ db, oidc }: MachineAuthenticatorOptions): MachineAuthenticator {
  return async (authorizationHeader) => {
    const value = BEARER.exec(authorizationHeader?.trim() ?? '')?.[1];
    if (!value) return undefined;
    const { ClientCredentials } = await oidc.provider();
    const token = await ClientCredentials.find(value);
    if (!token?.clientId || token.isExpired || token.isSenderConstrained()) return undefined;
    // The client as it is now, not as it was at issue; and the stored token's consumed mark,
    // which the provider's model does not carry.
    const client = await db
      .selectFrom('oidc_clients')
      .innerJoin('agencies', 'agencies.id', 'oidc_clients.agency_id')
      .innerJoin('oidc_payloads', (join) => join.on('oidc_payloads.model', '=', 'ClientCredentials').on('oidc_payloads.id', '=', value))
      .select(['oidc_clients.client_id', 'oidc_clients.scope', 'oidc_clients.grant_types', 'agencies.id as agency_id', 'agencies.code as agency_code'])
      .where('oidc_clients.client_id', '=', token.clientId)
      .where('oidc_clients.disabled_at', 'is', null)
      .where('oidc_payloads.consumed_at', 'is', null)
      .executeTakeFirst();
    if (!client || !client.grant_types.includes('client_credentials')) return undefined;
    const held = new Set<string>(client.scope.split(' ').filter(isMachineScope));
    return { clientId: client.client_id, agencyId: client.agency_id, agencyCode: client.agency_code, scopes: [...token.scopes].filter((s) => held.has(s)) };
  };
}
