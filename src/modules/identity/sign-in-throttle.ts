import { createHmac } from 'node:crypto';
import { sameSecret } from '../../platform/crypto/same-secret.ts';
import { freshRandomBytes } from '../../platform/crypto/random-pool.ts';
import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import { writeAuditEvent } from '../../platform/audit/write-audit-event.ts';
import { notify } from '../notifications/index.ts';
import { FAILURE_WINDOW_SECONDS, lockSeconds, waitSeconds, type ThrottleKind } from './throttle-policy.ts';

export const DEVICE_COOKIE = 'nara_device';

/** One throttle record as sign-in reads it. */
export interface ThrottleRecord {
  key: string;
  /** seconds until the next attempt is allowed */
  wait: number;
  locked: boolean;
  /** the last failure is within the counting window */
  recent: boolean;
}

/** The keys of the throttle records that bear on a sign-in: its address and its username. */
export const throttleKeys = (username: string, ip: string): string[] => [`ip:${ip}`, `user:${username}`];

/**
 * The throttle records under `keys` as one SQL expression (a JSON array), so that sign-in
 * can read them in the same statement as the account.
 */
export function throttleRecordsSql(keys: string[]) {
  return sql<ThrottleRecord[]>`(
    select coalesce(json_agg(json_build_object(
      'key', key,
      'wait', greatest(ceil(extract(epoch from (greatest(next_attempt_at, coalesce(locked_until, next_attempt_at)) - now()))), 0)::int,
      'locked', coalesce(locked_until > now(), false),
      'recent', last_failure_at > now() - make_interval(secs => ${FAILURE_WINDOW_SECONDS})
    )), '[]'::json)
    from sign_in_throttle
    where key = any(${keys}::text[]))`;
}

export type ThrottleVerdict = { allowed: true } | { allowed: false; retryAfter: number; locked: boolean };

/**
 * Brute-force defence for password sign-in. A browser that has signed in to an account
 * before carries a signed device cookie and is not held back by that account's lock
 * (OWASP "device cookies"), so an attacker can slow down guesses but cannot lock the real
 * owner out. Counting is by username, known or not, so the answers reveal no accounts.
 */
export function createSignInThrottle(db: Db, secret: string) {
  const sign = (value: string) => createHmac('sha256', secret).update(`device:${value}`).digest('base64url');

  async function bump(key: string, kind: ThrottleKind) {
    const row = await sql<{ failures: number; was_locked: boolean }>`
      insert into sign_in_throttle as t (key, failures, last_failure_at, next_attempt_at)
      values (${key}, 1, now(), now())
      on conflict (key) do update set
        failures = case when t.last_failure_at < now() - make_interval(secs => ${FAILURE_WINDOW_SECONDS}) then 1 else t.failures + 1 end,
        last_failure_at = now()
      returning failures, coalesce(locked_until > now(), false) as was_locked`.execute(db);
    const { failures, was_locked } = row.rows[0]!;
    const lock = lockSeconds(kind, failures);
    await db
      .updateTable('sign_in_throttle')
      .set({
        next_attempt_at: sql`now() + make_interval(secs => ${waitSeconds(kind, failures)})`,
        ...(lock > 0 && !was_locked ? { locked_until: sql`now() + make_interval(secs => ${lock})` } : {}),
      })
      .where('key', '=', key)
      .execute();
    return { newlyLocked: lock > 0 && !was_locked, lockMinutes: Math.round(lock / 60) };
  }

  return {
    /** A device cookie for an account, set after a successful sign-in. */
    deviceToken(accountId: number): string {
      const value = `${accountId}.${freshRandomBytes(12).toString('base64url')}`;
      return `${value}.${sign(value)}`;
    },
    /** The account a device cookie vouches for, if its signature holds. */
    deviceAccount(token: string | undefined): number | null {
      if (!token) return null;
      const cut = token.lastIndexOf('.');
      if (cut < 0) return null;
      const value = token.slice(0, cut);
      if (!sameSecret(sign(value), token.slice(cut + 1))) return null;
      const id = Number(value.split('.')[0]);
      return Number.isInteger(id) ? id : null;
    },

    /** Whether a sign-in may be tried now; `userRecorded`: the username has a record to clear on success. */
    verdict(records: ThrottleRecord[], username: string, trustedDevice: boolean): ThrottleVerdict & { userRecorded: boolean } {
      const userKey = `user:${username}`;
      const userRecorded = records.some((r) => r.key === userKey);
      // A trusted device is held back only by its address, never by the account's lock.
      const blocking = records.filter((r) => r.recent && r.wait > 0 && !(trustedDevice && r.key === userKey));
      if (blocking.length === 0) return { allowed: true, userRecorded };
      return { allowed: false, retryAfter: Math.max(...blocking.map((r) => r.wait)), locked: blocking.some((r) => r.locked), userRecorded };
    },

    /** Counts a failure; the first time a username locks, its owner is told and it is audited. */
    async recordFailure(username: string, ip: string, accountId: number | null, requestId: string): Promise<void> {
      await bump(`ip:${ip}`, 'ip');
      const user = await bump(`user:${username}`, 'user');
      if (user.newlyLocked && accountId !== null) {
        await db.transaction().execute(async (tx) => {
          await writeAuditEvent(tx, { action: 'identity.sign-in.locked', actor: { accountId: null }, subject: { type: 'account', id: accountId }, requestId, ip, details: { minutes: user.lockMinutes } });
          await notify(tx, { accountId, template: 'identity.signInLocked', params: { minutes: user.lockMinutes }, link: '/account', email: true });
        });
      }
    },

    async recordSuccess(username: string): Promise<void> {
      await db.deleteFrom('sign_in_throttle').where('key', '=', `user:${username}`).execute();
    },

    async purge(): Promise<void> {
      await db.deleteFrom('sign_in_throttle').where('last_failure_at', '<', sql<Date>`now() - make_interval(secs => ${FAILURE_WINDOW_SECONDS * 2})`).execute();
    },
  };
}
export type SignInThrottle = ReturnType<typeof createSignInThrottle>;
