import type { Db } from '../../platform/db/database.ts';
import { DomainError } from '../../platform/http/errors.ts';
import { writeAuditEvent, type AuditEvent } from '../../platform/audit/write-audit-event.ts';
import { reusableQuery } from '../../platform/db/reusable-query.ts';
import { verifyPassword } from './passwords.ts';
import { throttleKeys, throttleRecordsSql, type SignInThrottle, type ThrottleRecord } from './sign-in-throttle.ts';
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

// One statement for the account, whether it has a second factor, and the throttle records:
// sign-in is the busiest write path there is, and each statement counts. Compiled once.
const selectForSignIn = reusableQuery((db, v: { username: string; keys: string[] }) =>
  db.selectNoFrom((eb) => [
    eb
      .selectFrom('accounts')
      .select(sql<SignInAccount>`json_build_object('id', accounts.id, 'kind', accounts.kind, 'status', accounts.status, 'password_hash', accounts.password_hash,
        'has_totp', exists (select 1 from totp_credentials t where t.account_id = accounts.id and t.confirmed_at is not null))`.as('account'))
      .where('username', '=', v.username)
      .as('account'),
    throttleRecordsSql(v.keys).as('throttle'),
  ]),
);

export interface SignInSuccess {
  accountId: number;
  kind: 'resident' | 'official';
  needsSecondFactor: boolean;
  /**
   * The audit event of this sign-in, not yet written: the caller writes it in the same
   * statement as the session it starts (`sessions.signIn` or `sessions.rotate`), so the
   * record says a sign-in succeeded exactly when a session began.
   */
  audit: AuditEvent;
}

/**
 * Checks a username and password. The same error for an unknown user and a wrong
 * password, so the form does not reveal which accounts exist. Failed attempts are audited
 * here and slow down further ones (see sign-in-throttle.ts).
 * @throws DomainError SIGN_IN_FAILED, SIGN_IN_THROTTLED (params.seconds), ACCOUNT_SUSPENDED
 */
export async function signInWithPassword(db: Db, options: SignInOptions): Promise<SignInSuccess> {
  const username = options.username.trim().toLowerCase();
  const { rows } = await selectForSignIn(db, { username, keys: throttleKeys(username, options.ip) });
  const row = rows[0]!;
  const account = (row.account ?? undefined) as SignInAccount | undefined;
  const verdict = options.throttle.verdict(row.throttle as ThrottleRecord[], username, account !== undefined && account.id === options.trustedDeviceAccountId);
  if (!verdict.allowed) {
    throw new DomainError('SIGN_IN_THROTTLED', verdict.locked ? 'identity.signIn.locked' : 'identity.signIn.throttled', { params: { seconds: verdict.retryAfter, minutes: Math.ceil(verdict.retryAfter / 60) } });
  }
  const ok = await verifyPassword(account?.password_hash ?? null, options.password);
  const attempt = { requestId: options.requestId, ip: options.ip };
  if (!account || !ok) {
    await writeAuditEvent(db, { action: 'identity.sign-in.failed', actor: { accountId: null }, subject: account ? { type: 'account', id: account.id } : undefined, ...attempt, details: account ? {} : { username: options.username.slice(0, 60) } });
    await options.throttle.recordFailure(username, options.ip, account?.id ?? null, options.requestId);
    throw new DomainError('SIGN_IN_FAILED', 'identity.signIn.failed');
  }
  if (verdict.userRecorded) await options.throttle.recordSuccess(username);
  if (account.status !== 'active') {
    // The right password, but no session: a refusal, with its reason.
    await writeAuditEvent(db, { action: 'identity.sign-in.failed', actor: { accountId: null }, subject: { type: 'account', id: account.id }, ...attempt, details: { reason: 'suspended' } });
    throw new DomainError('ACCOUNT_SUSPENDED', 'identity.signIn.suspended');
  }
  return {
    accountId: account.id,
    kind: account.kind,
    // Officials must always use a second factor; anyone who enrolled one uses it too.
    needsSecondFactor: account.kind === 'official' || Boolean(account.has_totp),
    audit: { action: 'identity.sign-in.succeeded', actor: { accountId: account.id }, subject: { type: 'account', id: account.id }, ...attempt, details: {} },
  };
}
