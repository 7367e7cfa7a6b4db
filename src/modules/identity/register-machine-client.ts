import { randomBytes } from 'node:crypto';
import type { Db } from '../../platform/db/database.ts';
import type { FieldEncryption } from '../../platform/crypto/field-encryption.ts';
import { DomainError, type FieldError } from '../../platform/http/errors.ts';
import { writeAuditEvent } from '../../platform/audit/write-audit-event.ts';
import { isMachineScope, MACHINE_SCOPES } from './machine-scopes.ts';
import { findAgencyByCode } from './repository.ts';

export interface NewMachineClient {
  name: string;
  /** the agency the client acts for, and the only one */
  agencyCode: string;
  /** space-separated, from MACHINE_SCOPES */
  scope: string;
}

export interface RegisteredMachineClient {
  client_id: string;
  client_secret: string;
  client_name: string;
  scope: string;
  /** the agency's code */
  agency: string;
}

/**
 * Registers an agency's system that calls Nara's APIs with tokens from the client
 * credentials grant (an operator's act, from the CLI). It has no redirect URIs, so it can
 * never sign anyone in. The secret is returned once and stored encrypted.
 * @throws DomainError VALIDATION_FAILED with the problem of each field (name, scope, agency)
 */
export async function registerMachineClient(db: Db, encryption: FieldEncryption, input: NewMachineClient): Promise<RegisteredMachineClient> {
  const problems: FieldError[] = [];
  const name = input.name.trim();
  if (name.length < 2 || name.length > 100) problems.push({ field: 'name', messageKey: 'oidc.client.nameLength' });
  const scopes = [...new Set(input.scope.split(/\s+/).filter(Boolean))];
  const unknown = scopes.filter((s) => !isMachineScope(s));
  if (scopes.length === 0) problems.push({ field: 'scope', messageKey: 'oidc.client.machineScopeRequired', params: { known: MACHINE_SCOPES.join(' ') } });
  if (unknown.length > 0) problems.push({ field: 'scope', messageKey: 'oidc.client.scopeUnknown', params: { scopes: unknown.join(' '), known: MACHINE_SCOPES.join(' ') } });
  const agencyCode = input.agencyCode.trim();
  const agency = agencyCode ? await findAgencyByCode(db, agencyCode) : undefined;
  if (!agency) problems.push({ field: 'agency', messageKey: 'oidc.client.agencyUnknown', params: { code: agencyCode } });
  if (problems.length > 0 || !agency) throw new DomainError('VALIDATION_FAILED', 'error.VALIDATION_FAILED', { fields: problems });

  const client: RegisteredMachineClient = {
    client_id: `nara-${randomBytes(12).toString('base64url')}`,
    client_secret: randomBytes(32).toString('base64url'),
    client_name: name,
    scope: scopes.join(' '),
    agency: agency.code,
  };
  const grantTypes = ['client_credentials'];
  await db.transaction().execute(async (tx) => {
    await tx
      .insertInto('oidc_clients')
      .values({
        client_id: client.client_id,
        name,
        secret_cipher: encryption.encrypt(client.client_secret),
        redirect_uris: JSON.stringify([]),
        scope: client.scope,
        grant_types: JSON.stringify(grantTypes),
        agency_id: agency.id,
      })
      .execute();
    await writeAuditEvent(tx, {
      action: 'identity.oidc-client.registered',
      actor: { accountId: null },
      subject: { type: 'oidc-client', id: client.client_id },
      details: { name, grantTypes, agency: agency.code, scope: client.scope },
    });
  });
  return client;
}
