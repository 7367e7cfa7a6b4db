import type { Db, Executor } from '../../platform/db/database.ts';
import { DomainError } from '../../platform/http/errors.ts';
import { writeAuditEvent } from '../../platform/audit/write-audit-event.ts';

/**
 * Removes a grant and every code and token issued under it. The provider does this itself
 * too (a replayed authorization code, a sign-out at a service); the person's consent stays,
 * and the next sign-in builds a new grant from it (see `grantFromConsent`).
 */
export async function dropGrant(tx: Executor, grantId: string): Promise<void> {
  await tx.deleteFrom('oidc_payloads').where((eb) => eb.or([eb('grant_id', '=', grantId), eb.and([eb('model', '=', 'Grant'), eb('id', '=', grantId)])])).execute();
}

/** Remembers what a person agreed a client may receive, replacing an earlier consent. */
export async function recordConsent(db: Db, consent: { accountId: number; clientId: string; grantId: string; scope: string; requestId: string; ip: string }): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const values = { grant_id: consent.grantId, scope: consent.scope };
    await tx
      .insertInto('oidc_consents')
      .values({ account_id: consent.accountId, client_id: consent.clientId, ...values })
      .onConflict((oc) => oc.columns(['account_id', 'client_id']).doUpdateSet(values))
      .execute();
    await writeAuditEvent(tx, {
      action: 'identity.oidc-consent.granted',
      actor: { accountId: consent.accountId },
      subject: { type: 'oidc-client', id: consent.clientId },
      requestId: consent.requestId,
      ip: consent.ip,
      details: { scope: consent.scope },
    });
  });
}

/** A person's remembered consent to a client, if any: the grant it stands for and its scopes. */
export async function consentFor(db: Executor, accountId: number, clientId: string): Promise<{ grantId: string; scope: string } | undefined> {
  const row = await db.selectFrom('oidc_consents').select(['grant_id', 'scope']).where('account_id', '=', accountId).where('client_id', '=', clientId).executeTakeFirst();
  return row ? { grantId: row.grant_id, scope: row.scope } : undefined;
}

/** Points a consent at the grant rebuilt from it. */
export async function moveConsent(db: Executor, accountId: number, clientId: string, grantId: string): Promise<void> {
  await db.updateTable('oidc_consents').set({ grant_id: grantId }).where('account_id', '=', accountId).where('client_id', '=', clientId).execute();
}

/** The services a person lets sign them in, with what each receives (account page). */
export function listConsents(db: Executor, accountId: number) {
  return db
    .selectFrom('oidc_consents')
    .innerJoin('oidc_clients', 'oidc_clients.client_id', 'oidc_consents.client_id')
    .select(['oidc_consents.client_id', 'oidc_clients.name', 'oidc_consents.scope', 'oidc_consents.granted_at'])
    .where('oidc_consents.account_id', '=', accountId)
    .orderBy('oidc_consents.granted_at', 'desc')
    .execute();
}

/**
 * Withdraws a person's consent to a client: its tokens stop working at once, and the
 * next sign-in there asks again. Only the person's own consents can be withdrawn.
 * @throws DomainError NOT_FOUND if this account has no consent for the client
 */
export async function revokeConsent(db: Db, revoke: { accountId: number; clientId: string; requestId: string; ip: string }): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const removed = await tx.deleteFrom('oidc_consents').where('account_id', '=', revoke.accountId).where('client_id', '=', revoke.clientId).returning('grant_id').executeTakeFirst();
    if (!removed) throw new DomainError('NOT_FOUND');
    await dropGrant(tx, removed.grant_id);
    await writeAuditEvent(tx, { action: 'identity.oidc-consent.revoked', actor: { accountId: revoke.accountId }, subject: { type: 'oidc-client', id: revoke.clientId }, requestId: revoke.requestId, ip: revoke.ip });
  });
}
