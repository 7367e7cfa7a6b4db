import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import { DomainError, type FieldError } from '../../platform/http/errors.ts';
import { writeAuditEvent } from '../../platform/audit/write-audit-event.ts';
import { emailTo } from '../notifications/index.ts';
import { requireRole, type Actor } from './actor.ts';
import { findAccountByUsername, grantRoles, insertAccount } from './repository.ts';
import { hashPassword, passwordProblem } from './passwords.ts';
import { agencyRoles, isValidEmail, isValidUsername } from './account-fields.ts';

export const INVITATION_HOURS = 72;
const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export interface InviteOfficialOptions {
  agencyId: number;
  username: string;
  displayName: string;
  email: string;
  departmentId: number | null;
  roles: string[];
  locale: 'ko' | 'en';
  publicUrl: string;
  requestId: string;
  ip: string;
}

/**
 * An agency administrator invites a new official into their own agency: the account is
 * created with its roles and no password, and the invitee is mailed a single-use link
 * to choose one (they enrol their second factor at first sign-in).
 * @throws DomainError FORBIDDEN, VALIDATION_FAILED
 */
export async function inviteOfficial(db: Db, actor: Actor | undefined, options: InviteOfficialOptions): Promise<{ accountId: number }> {
  const admin = requireRole(actor, ['agency-admin'], options.agencyId);
  const username = options.username.trim().toLowerCase();
  const fields: FieldError[] = [];
  if (!isValidUsername(username)) fields.push({ field: 'username', messageKey: 'identity.username.invalid' });
  else if (await findAccountByUsername(db, username)) fields.push({ field: 'username', messageKey: 'identity.account.exists' });
  if (!options.displayName.trim()) fields.push({ field: 'displayName', messageKey: 'identity.displayName.required' });
  if (!isValidEmail(options.email.trim())) fields.push({ field: 'email', messageKey: 'identity.email.invalid' });
  const roles = agencyRoles(options.roles);
  if (!roles) fields.push({ field: 'roles', messageKey: 'identity.roles.invalid' });
  if (options.departmentId !== null) {
    const dep = await db.selectFrom('departments').select('id').where('id', '=', options.departmentId).where('agency_id', '=', options.agencyId).executeTakeFirst();
    if (!dep) fields.push({ field: 'departmentId', messageKey: 'identity.department.notFound', params: { code: String(options.departmentId) } });
  }
  if (fields.length > 0) throw new DomainError('VALIDATION_FAILED', 'error.VALIDATION_FAILED', { fields });

  const token = randomBytes(32).toString('base64url');
  const agency = await db.selectFrom('agencies').select(['name_ko', 'name_en']).where('id', '=', options.agencyId).executeTakeFirstOrThrow();
  return db.transaction().execute(async (tx) => {
    const accountId = await insertAccount(tx, { kind: 'official', username, displayName: options.displayName.trim(), email: options.email.trim(), passwordHash: null, agencyId: options.agencyId, departmentId: options.departmentId, locale: options.locale });
    await grantRoles(tx, accountId, options.agencyId, roles!);
    await tx.insertInto('invitations').values({ token_hash: hashToken(token), account_id: accountId, invited_by: admin.accountId, expires_at: sql`now() + make_interval(hours => ${INVITATION_HOURS})` }).execute();
    await emailTo(tx, {
      to: options.email.trim(),
      locale: options.locale,
      template: 'identity.invitation',
      params: { name: options.displayName.trim(), agency: options.locale === 'ko' ? agency.name_ko : agency.name_en, link: new URL(`/invitation/${token}`, options.publicUrl).toString(), hours: INVITATION_HOURS },
    });
    await writeAuditEvent(tx, { action: 'identity.official.invited', actor: { accountId: admin.accountId, agencyId: options.agencyId }, subject: { type: 'account', id: accountId }, requestId: options.requestId, ip: options.ip, details: { roles } });
    return { accountId };
  });
}

/** The invitation a link names, if it is still usable. */
export async function findInvitation(db: Db, token: string) {
  return db
    .selectFrom('invitations')
    .innerJoin('accounts', 'accounts.id', 'invitations.account_id')
    .select(['invitations.token_hash', 'accounts.id as accountId', 'accounts.username', 'accounts.display_name as displayName'])
    .where('invitations.token_hash', '=', hashToken(token))
    .where('invitations.used_at', 'is', null)
    .where('invitations.expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
}

/**
 * Sets the invitee's password and spends the invitation.
 * @throws DomainError NOT_FOUND (unknown, used or expired link), VALIDATION_FAILED
 */
export async function acceptInvitation(db: Db, options: { token: string; password: string; confirmPassword: string; requestId: string; ip: string }): Promise<{ username: string }> {
  const invitation = await findInvitation(db, options.token);
  if (!invitation) throw new DomainError('NOT_FOUND', 'identity.invitation.invalid');
  const fields: FieldError[] = [];
  const problem = passwordProblem(options.password, { username: invitation.username });
  if (problem) fields.push({ field: 'password', messageKey: `identity.password.${problem}` });
  if (options.confirmPassword !== options.password) fields.push({ field: 'confirmPassword', messageKey: 'identity.password.mismatch' });
  if (fields.length > 0) throw new DomainError('VALIDATION_FAILED', 'error.VALIDATION_FAILED', { fields });
  const passwordHash = await hashPassword(options.password);
  await db.transaction().execute(async (tx) => {
    const spent = await tx.updateTable('invitations').set({ used_at: sql`now()` }).where('token_hash', '=', invitation.token_hash).where('used_at', 'is', null).executeTakeFirst();
    if (Number(spent.numUpdatedRows) !== 1) throw new DomainError('NOT_FOUND', 'identity.invitation.invalid');
    await tx.updateTable('accounts').set({ password_hash: passwordHash }).where('id', '=', invitation.accountId).execute();
    await writeAuditEvent(tx, { action: 'identity.invitation.accepted', actor: { accountId: invitation.accountId }, subject: { type: 'account', id: invitation.accountId }, requestId: options.requestId, ip: options.ip });
  });
  return { username: invitation.username };
}
