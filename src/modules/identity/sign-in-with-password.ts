import type { Db } from '../../platform/db/database.ts';
import { DomainError } from '../../platform/http/errors.ts';
import { writeAuditEvent } from '../../platform/audit/write-audit-event.ts';
import { findAccountByUsername } from './repository.ts';
import { verifyPassword } from './passwords.ts';

export interface SignInOptions {
  username: string;
  password: string;
  requestId: string;
  ip: string;
}

/**
 * Checks a username and password. The same error for an unknown user and a wrong
 * password, so the form does not reveal which accounts exist.
 * @throws DomainError SIGN_IN_FAILED, ACCOUNT_SUSPENDED
 */
export async function signInWithPassword(db: Db, options: SignInOptions): Promise<{ accountId: number }> {
  const account = await findAccountByUsername(db, options.username.trim().toLowerCase());
  const ok = await verifyPassword(account?.password_hash ?? null, options.password);
  await db.transaction().execute(async (tx) => {
    await writeAuditEvent(tx, {
      action: ok ? 'identity.sign-in.succeeded' : 'identity.sign-in.failed',
      actor: { accountId: ok && account ? account.id : null },
      subject: account ? { type: 'account', id: account.id } : undefined,
      requestId: options.requestId,
      ip: options.ip,
      details: account ? {} : { username: options.username.slice(0, 60) },
    });
  });
  if (!account || !ok) throw new DomainError('SIGN_IN_FAILED', 'identity.signIn.failed');
  if (account.status !== 'active') throw new DomainError('ACCOUNT_SUSPENDED', 'identity.signIn.suspended');
  return { accountId: account.id };
}
