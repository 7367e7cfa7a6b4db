import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type AuthenticatorTransport,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import { DomainError } from '../../platform/http/errors.ts';
import { writeAuditEvent, type AuditEvent } from '../../platform/audit/write-audit-event.ts';
import { findAccountById } from './repository.ts';

/** Where the ceremony happens: the relying party id (host) and the page origin. */
export interface RelyingParty {
  id: string;
  origin: string;
  name: string;
}

const b64 = {
  encode: (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url'),
  decode: (text: string) => new Uint8Array(Buffer.from(text, 'base64url')),
};

export async function passkeysOf(db: Db, accountId: number) {
  return db.selectFrom('passkeys').select(['id', 'name', 'created_at', 'last_used_at']).where('account_id', '=', accountId).orderBy('created_at').execute();
}

/** Options for registering a new passkey; the challenge must be kept by the caller (session). */
export async function passkeyRegistrationOptions(db: Db, rp: RelyingParty, accountId: number) {
  const account = await findAccountById(db, accountId);
  if (!account) throw new DomainError('NOT_FOUND');
  const existing = await db.selectFrom('passkeys').select(['id', 'transports']).where('account_id', '=', accountId).execute();
  return generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userName: account.username,
    userDisplayName: account.display_name,
    userID: new TextEncoder().encode(`nara-account-${account.id}`),
    attestationType: 'none',
    // Discoverable credentials, so a passkey alone signs in without typing a username.
    authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
    excludeCredentials: existing.map((p) => ({ id: p.id, transports: p.transports as AuthenticatorTransport[] })),
  });
}

/**
 * Verifies a registration against the challenge this session was given and stores the
 * passkey under the owner's chosen name.
 * @throws DomainError VALIDATION_FAILED (empty or long name, failed verification)
 */
export async function registerPasskey(db: Db, rp: RelyingParty, options: { accountId: number; name: string; challenge: string; response: RegistrationResponseJSON; requestId: string; ip: string }): Promise<void> {
  const name = options.name.trim();
  if (!name || name.length > 60) throw new DomainError('VALIDATION_FAILED', 'error.VALIDATION_FAILED', { fields: [{ field: 'passkeyName', messageKey: 'identity.passkey.nameRequired' }] });
  let verification;
  try {
    verification = await verifyRegistrationResponse({ response: options.response, expectedChallenge: options.challenge, expectedOrigin: rp.origin, expectedRPID: rp.id, requireUserVerification: true });
  } catch {
    verification = { verified: false as const };
  }
  if (!verification.verified) throw new DomainError('VALIDATION_FAILED', 'identity.passkey.failed');
  const { credential, credentialBackedUp } = verification.registrationInfo;
  await db.transaction().execute(async (tx) => {
    await tx
      .insertInto('passkeys')
      .values({ id: credential.id, account_id: options.accountId, public_key: b64.encode(credential.publicKey), counter: credential.counter, transports: JSON.stringify(credential.transports ?? []), name, backed_up: credentialBackedUp })
      .execute();
    await writeAuditEvent(tx, { action: 'identity.passkey.registered', actor: { accountId: options.accountId }, subject: { type: 'account', id: options.accountId }, requestId: options.requestId, ip: options.ip, details: { name } });
  });
}

/** Options for an assertion; `allow` limits it to these credentials (one person's passkeys). */
export function passkeyAuthenticationOptions(rp: RelyingParty, allow?: Array<{ id: string; transports: string[] }>) {
  return generateAuthenticationOptions({
    rpID: rp.id,
    userVerification: 'required',
    ...(allow ? { allowCredentials: allow.map((c) => ({ id: c.id, transports: c.transports as AuthenticatorTransport[] })) } : {}),
  });
}

/**
 * Checks a passkey assertion and records the credential's use.
 * @returns the account and passkey, or null when the assertion does not verify
 */
async function verifyPasskeyAssertion(db: Db, rp: RelyingParty, options: { challenge: string; response: AuthenticationResponseJSON }): Promise<{ accountId: number; passkeyName: string } | null> {
  const stored = await db.selectFrom('passkeys').selectAll().where('id', '=', options.response.id).executeTakeFirst();
  if (!stored) return null;
  let verification;
  try {
    verification = await verifyAuthenticationResponse({
      response: options.response,
      expectedChallenge: options.challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserVerification: true,
      credential: { id: stored.id, publicKey: b64.decode(stored.public_key), counter: stored.counter, transports: stored.transports as AuthenticatorTransport[] },
    });
  } catch {
    return null;
  }
  if (!verification.verified) return null;
  const account = await findAccountById(db, stored.account_id);
  if (!account || account.status !== 'active') return null;
  await db.updateTable('passkeys').set({ counter: verification.authenticationInfo.newCounter, last_used_at: sql`now()` }).where('id', '=', stored.id).execute();
  return { accountId: account.id, passkeyName: stored.name };
}

/**
 * Signs in with a passkey alone: the credential names the account, the signature proves
 * possession, user verification (PIN or biometrics) makes it two factors in one.
 * @returns the account and the sign-in's audit event, to be written with the session it
 * begins (`sessions.signIn`), or null when the assertion does not verify
 */
export async function authenticateWithPasskey(db: Db, rp: RelyingParty, options: { challenge: string; response: AuthenticationResponseJSON; requestId: string; ip: string }): Promise<{ accountId: number; audit: AuditEvent } | null> {
  const verified = await verifyPasskeyAssertion(db, rp, options);
  if (!verified) return null;
  const audit: AuditEvent = { action: 'identity.sign-in.succeeded', actor: { accountId: verified.accountId }, subject: { type: 'account', id: verified.accountId }, requestId: options.requestId, ip: options.ip, details: { method: 'passkey', passkey: verified.passkeyName } };
  return { accountId: verified.accountId, audit };
}

/** A passkey assertion by its owner (a resident confirming assisted service): whose it was, or null. */
export async function passkeyOwner(db: Db, rp: RelyingParty, options: { challenge: string; response: AuthenticationResponseJSON }): Promise<number | null> {
  return (await verifyPasskeyAssertion(db, rp, options))?.accountId ?? null;
}

/** Removes one of the owner's passkeys. @throws DomainError NOT_FOUND for anyone else's */
export async function removePasskey(db: Db, options: { accountId: number; passkeyId: string; requestId: string; ip: string }): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const removed = await tx.deleteFrom('passkeys').where('id', '=', options.passkeyId).where('account_id', '=', options.accountId).returning('name').executeTakeFirst();
    if (!removed) throw new DomainError('NOT_FOUND');
    await writeAuditEvent(tx, { action: 'identity.passkey.removed', actor: { accountId: options.accountId }, subject: { type: 'account', id: options.accountId }, requestId: options.requestId, ip: options.ip, details: { name: removed.name } });
  });
}
