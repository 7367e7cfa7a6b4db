import type { Db, Executor } from '../../platform/db/database.ts';
import { DomainError, type FieldError } from '../../platform/http/errors.ts';
import { writeAuditEvent } from '../../platform/audit/write-audit-event.ts';
import { notify } from '../notifications/index.ts';
import { findAccountById } from './repository.ts';
import { hashPassword, passwordProblem, verifyPassword } from './passwords.ts';

export interface ChangePasswordOptions {
  accountId: number;
  currentPassword: string;
  newPassword: string;
  confirmPassword: string;
  /** the session making the change stays signed in; every other one ends */
  currentSessionId: string | null;
  endOtherSessions: (tx: Executor, accountId: number, keep: string | null) => Promise<number>;
  requestId: string;
  ip: string;
}

/**
 * Changes the account's password, ends its other sessions, records it, and tells the
 * owner (inbox and e-mail), so a change they did not make does not go unnoticed.
 * @throws DomainError VALIDATION_FAILED (wrong current password, weak or mismatched new one), NOT_FOUND
 * @returns how many other sessions were ended
 */
export async function changePassword(db: Db, options: ChangePasswordOptions): Promise<{ endedSessions: number }> {
  const account = await findAccountById(db, options.accountId);
  if (!account) throw new DomainError('NOT_FOUND');
  const fields: FieldError[] = [];
  if (!(await verifyPassword(account.password_hash, options.currentPassword))) fields.push({ field: 'currentPassword', messageKey: 'identity.password.currentWrong' });
  const problem = passwordProblem(options.newPassword, { username: account.username });
  if (problem) fields.push({ field: 'newPassword', messageKey: `identity.password.${problem}` });
  else if (options.newPassword === options.currentPassword) fields.push({ field: 'newPassword', messageKey: 'identity.password.same' });
  if (options.confirmPassword !== options.newPassword) fields.push({ field: 'confirmPassword', messageKey: 'identity.password.mismatch' });
  if (fields.length > 0) throw new DomainError('VALIDATION_FAILED', 'error.VALIDATION_FAILED', { fields });

  const passwordHash = await hashPassword(options.newPassword);
  return db.transaction().execute(async (tx) => {
    await tx.updateTable('accounts').set({ password_hash: passwordHash }).where('id', '=', account.id).execute();
    const endedSessions = await options.endOtherSessions(tx, account.id, options.currentSessionId);
    await writeAuditEvent(tx, {
      action: 'identity.password.changed',
      actor: { accountId: account.id, agencyId: account.agency_id },
      subject: { type: 'account', id: account.id },
      requestId: options.requestId,
      ip: options.ip,
      details: { endedSessions },
    });
    await notify(tx, { accountId: account.id, template: 'identity.passwordChanged', link: '/account', email: true });
    return { endedSessions };
  });
}
