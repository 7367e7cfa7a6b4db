import type { Db } from '../../platform/db/database.ts';
import { DomainError } from '../../platform/http/errors.ts';
import { writeAuditEvent } from '../../platform/audit/write-audit-event.ts';
import { verifyPassword } from './passwords.ts';
import type { SignInThrottle, ThrottleRecord } from './sign-in-throttle.ts';
import { sql } from 'kysely';

interface SignInAccount {
  id: number;
  kind: 'resident' | 'official';
  status: 'active' | 'suspended';
  password_hash: string | null;
  has_totp: boolean;
}

export interface SignInOptions {
  username: string;
  password: string;
  requestId: string;
  ip: string;
  throttle: SignInThrottle;
  /** the account this browser's device cookie vouches for, if any */
  trustedDeviceAccountId: number | null;
}

/**
 * Checks a username and password. The same error for an unknown user and a wrong
 * password, so the form does not reveal which accounts exist.
 * Failed attempts slow down further ones (see sign-in-throttle.ts).
 * @throws DomainError SIGN_IN_FAILED, SIGN_IN_THROTTLED (params.seconds), ACCOUNT_SUSPENDED
 */
export async function signInWithPassword(db: Db, options: SignInOptions): Promise<{ accountId: number; kind: 'resident' | 'official'; needsSecondFactor: boolean }> {
  const username = options.username.trim().toLowerCase();
  // One statement for the account, whether it has a second factor, and the throttle
  // records: sign-in is the busiest write path there is, and each statement counts.
  const row = await db
    .selectNoFrom((eb) => [
      eb
        .selectFrom('accounts')
        .select(sql<SignInAccount>`json_build_object('id', accounts.id, 'kind', accounts.kind, 'status', accounts.status, 'password_hash', accounts.password_hash,
          'has_totp', exists (select 1 from totp_credentials t where t.account_id = accounts.id and t.confirmed_at is not null))`.as('account'))
        .where('username', '=', username)
        .as('account'),
      options.throttle.recordsSql(username, options.ip).as('throttle'),
    ])
    .executeTakeFirstOrThrow();
  const account = (row.account ?? undefined) as SignInAccount | undefined;
  const verdict = options.throttle.verdict(row.throttle as ThrottleRecord[], username, account !== undefined && account.id === options.trustedDeviceAccountId);
  if (!verdict.allowed) {
    throw new DomainError('SIGN_IN_THROTTLED', verdict.locked ? 'identity.signIn.locked' : 'identity.signIn.throttled', { params: { seconds: verdict.retryAfter, minutes: Math.ceil(verdict.retryAfter / 60) } });
  }
  const ok = await verifyPassword(account?.password_hash ?? null, options.password);
  await writeAuditEvent(db, {
    action: ok ? 'identity.sign-in.succeeded' : 'identity.sign-in.failed',
    actor: { accountId: ok && account ? account.id : null },
    subject: account ? { type: 'account', id: account.id } : undefined,
    requestId: options.requestId,
    ip: options.ip,
    details: account ? {} : { username: options.username.slice(0, 60) },
  });
  if (!account || !ok) {
    await options.throttle.recordFailure(username, options.ip, account?.id ?? null, options.requestId);
    throw new DomainError('SIGN_IN_FAILED', 'identity.signIn.failed');
  }
  if (verdict.userRecorded) await options.throttle.recordSuccess(username);
  if (account.status !== 'active') throw new DomainError('ACCOUNT_SUSPENDED', 'identity.signIn.suspended');
  // Officials must always use a second factor; anyone who enrolled one uses it too.
  return { accountId: account.id, kind: account.kind, needsSecondFactor: account.kind === 'official' || Boolean(account.has_totp) };
}
