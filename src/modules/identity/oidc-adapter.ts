import type { Adapter, AdapterPayload } from 'oidc-provider';
import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import type { FieldEncryption } from '../../platform/crypto/field-encryption.ts';
import { dropGrant } from './oidc-consents.ts';
import { isOidcScope } from './oidc-claims.ts';
import { isMachineScope } from './machine-scopes.ts';

/**
 * Keeps oidc-provider's models in the database, so any instance can finish a flow another
 * began. Clients are read from `oidc_clients` (registered by an operator), never written
 * by the provider.
 */
export function createOidcAdapterFactory(db: Db, encryption: FieldEncryption) {
  return (model: string): Adapter => (model === 'Client' ? clientAdapter(db, encryption) : payloadAdapter(db, model));
}

function payloadAdapter(db: Db, model: string): Adapter {
  async function findWhere(column: 'id' | 'uid' | 'user_code', value: string): Promise<AdapterPayload | undefined> {
    const row = await db
      .selectFrom('oidc_payloads')
      .select(['payload', 'consumed_at'])
      .where('model', '=', model)
      .where(column, '=', value)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', sql<Date>`now()`)]))
      .executeTakeFirst();
    if (!row) return undefined;
    const payload = row.payload as AdapterPayload;
    return row.consumed_at ? { ...payload, consumed: Math.floor(row.consumed_at.getTime() / 1000) } : payload;
  }

  return {
    async upsert(id, payload, expiresIn) {
      const values = {
        payload: JSON.stringify(payload),
        grant_id: payload.grantId ?? null,
        uid: payload.uid ?? null,
        user_code: payload.userCode ?? null,
        expires_at: expiresIn ? new Date(Date.now() + expiresIn * 1000) : null,
      };
      await db
        .insertInto('oidc_payloads')
        .values({ model, id, ...values })
        .onConflict((oc) => oc.columns(['model', 'id']).doUpdateSet(values))
        .execute();
    },
    find: (id) => findWhere('id', id),
    findByUid: (uid) => findWhere('uid', uid),
    findByUserCode: (userCode) => findWhere('user_code', userCode),
    async consume(id) {
      await db.updateTable('oidc_payloads').set({ consumed_at: sql`now()` }).where('model', '=', model).where('id', '=', id).execute();
    },
    async destroy(id) {
      await db.deleteFrom('oidc_payloads').where('model', '=', model).where('id', '=', id).execute();
    },
    async revokeByGrantId(grantId) {
      // Every artefact of a grant goes with it: codes, tokens and the grant itself.
      await dropGrant(db, grantId);
    },
  };
}

function clientAdapter(db: Db, encryption: FieldEncryption): Adapter {
  const readOnly = async () => {
    throw new Error('OpenID clients are registered with the nara CLI, not by the provider');
  };
  return {
    async find(id) {
      const row = await db.selectFrom('oidc_clients').selectAll().where('client_id', '=', id).where('disabled_at', 'is', null).executeTakeFirst();
      if (!row) return undefined;
      const common = {
        client_id: row.client_id,
        client_secret: encryption.decrypt(row.secret_cipher),
        client_name: row.name,
        token_endpoint_auth_method: 'client_secret_basic' as const,
      };
      // A client is either a machine or a service people sign in to, never both, and each
      // is given only its own kind's scopes whatever the row says: a service can never be
      // granted `credentials:issue`, and a machine has no way into the authorization endpoint.
      if (row.grant_types.includes('client_credentials')) {
        const scope = row.scope.split(' ').filter(isMachineScope).join(' ');
        // Without an agency or a scope it could act for no one; an empty scope would even
        // let it ask for any.
        if (row.agency_id === null || scope === '') return undefined;
        return { ...common, grant_types: ['client_credentials'], response_types: [], redirect_uris: [], scope };
      }
      const grantTypes = row.grant_types;
      return {
        ...common,
        redirect_uris: row.redirect_uris,
        grant_types: grantTypes,
        response_types: grantTypes.includes('authorization_code') ? ['code'] : [],
        scope: row.scope.split(' ').filter(isOidcScope).join(' ') || 'openid',
      };
    },
    upsert: readOnly,
    findByUid: async () => undefined,
    findByUserCode: async () => undefined,
    consume: readOnly,
    destroy: readOnly,
    revokeByGrantId: readOnly,
  };
}

/** Drops the provider's expired artefacts (run by the maintenance job). */
export async function purgeOidcPayloads(db: Db): Promise<void> {
  await db.deleteFrom('oidc_payloads').where('expires_at', '<', sql<Date>`now() - interval '1 day'`).execute();
}
