import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import { DomainError, type FieldError } from '../../platform/http/errors.ts';
import { writeAuditEvent } from '../../platform/audit/write-audit-event.ts';
import { sameSecret } from '../../platform/crypto/same-secret.ts';
import { notify } from '../notifications/index.ts';
import { residentContacts } from '../registry/index.ts';
import { findAccountByUsername, insertAccount } from './repository.ts';
import { hashPassword, passwordProblem } from './passwords.ts';
import { hashSignUpCode } from './start-sign-up.ts';
import { isValidUsername } from './account-fields.ts';

export const MAX_CODE_ATTEMPTS = 5;

export interface CompleteSignUpOptions {
  signUpId: string;
  code: string;
  username: string;
  password: string;
  confirmPassword: string;
  codeSecret: string;
  requestId: string;
  ip: string;
}

/**
 * Finishes a sign-up: the one-time code must match, within its time and attempts, and be
 * unused; then the account is created, bound to the register record, and welcomed.
 * @throws DomainError SIGN_UP_EXPIRED (expired, used, or too many wrong codes),
 *   VALIDATION_FAILED (wrong code with attempts left, username or password problems), ACCOUNT_EXISTS
 */
export async function completeSignUp(db: Db, options: CompleteSignUpOptions): Promise<{ accountId: number }> {
  const request = await db
    .selectFrom('sign_up_requests')
    .selectAll()
    .where('id', '=', options.signUpId)
    .where('used_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .where('attempts', '<', MAX_CODE_ATTEMPTS)
    .executeTakeFirst();
  if (!request) throw new DomainError('SIGN_UP_EXPIRED', 'identity.signUp.expired');

  const fields: FieldError[] = [];
  const username = options.username.trim().toLowerCase();
  const codeOk = sameSecret(request.code_hash, hashSignUpCode(options.codeSecret, request.id, options.code.trim()));
  if (!codeOk) {
    const { attempts } = await db.updateTable('sign_up_requests').set({ attempts: sql`attempts + 1` }).where('id', '=', request.id).returning('attempts').executeTakeFirstOrThrow();
    if (attempts >= MAX_CODE_ATTEMPTS) throw new DomainError('SIGN_UP_EXPIRED', 'identity.signUp.tooManyAttempts');
    fields.push({ field: 'code', messageKey: 'identity.signUp.codeWrong', params: { left: MAX_CODE_ATTEMPTS - attempts } });
  }
  if (!isValidUsername(username)) fields.push({ field: 'username', messageKey: 'identity.username.invalid' });
  else if (await findAccountByUsername(db, username)) fields.push({ field: 'username', messageKey: 'identity.account.exists' });
  const problem = passwordProblem(options.password, { username });
  if (problem) fields.push({ field: 'password', messageKey: `identity.password.${problem}` });
  if (options.confirmPassword !== options.password) fields.push({ field: 'confirmPassword', messageKey: 'identity.password.mismatch' });
  if (fields.length > 0) throw new DomainError('VALIDATION_FAILED', 'error.VALIDATION_FAILED', { fields });

  const passwordHash = await hashPassword(options.password);
  const resident = await residentContacts(db, request.resident_id);
  if (!resident) throw new DomainError('SIGN_UP_EXPIRED', 'identity.signUp.expired');
  return db.transaction().execute(async (tx) => {
    // Marking it used in the same statement that checks it makes a second submit lose.
    const claimed = await tx.updateTable('sign_up_requests').set({ used_at: sql`now()` }).where('id', '=', request.id).where('used_at', 'is', null).executeTakeFirst();
    if (Number(claimed.numUpdatedRows) === 0) throw new DomainError('SIGN_UP_EXPIRED', 'identity.signUp.expired');
    if (await tx.selectFrom('accounts').select('id').where('resident_id', '=', request.resident_id).executeTakeFirst()) throw new DomainError('ACCOUNT_EXISTS', 'identity.signUp.accountExists');
    const accountId = await insertAccount(tx, { kind: 'resident', username, displayName: resident.nameKo, email: request.email, phone: resident.phone, passwordHash, residentId: request.resident_id });
    await writeAuditEvent(tx, { action: 'identity.account.created', actor: { accountId }, subject: { type: 'account', id: accountId }, requestId: options.requestId, ip: options.ip, details: { via: 'sign-up', resident: request.resident_id } });
    await notify(tx, { accountId, template: 'notifications.welcome', link: '/', email: true });
    return { accountId };
  });
}
