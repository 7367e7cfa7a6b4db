import type { Db } from '../../platform/db/database.ts';
import { DomainError, type FieldError } from '../../platform/http/errors.ts';
import { writeAuditEvent } from '../../platform/audit/write-audit-event.ts';
import { findAccountByUsername, findAgencyByCode, findDepartment, grantRoles, insertAccount } from './repository.ts';
import { hashPassword, passwordProblem } from './passwords.ts';
import { isRole, type Role } from './roles.ts';
import { isValidEmail, isValidUsername } from './account-fields.ts';

export interface CreateOfficialOptions {
  username: string;
  displayName: string;
  email: string;
  agencyCode: string;
  departmentCode?: string;
  roles: string[];
  password: string;
  /** who does it: null for the operator's command line and the demo seed */
  actor: { accountId: number | null; requestId?: string; ip?: string };
}

/**
 * Creates an official account in an agency with its roles, audited.
 * @throws DomainError VALIDATION_FAILED (bad username, e-mail, role or weak password),
 *   AGENCY_NOT_FOUND, DEPARTMENT_NOT_FOUND, ACCOUNT_EXISTS
 */
export async function createOfficial(db: Db, options: CreateOfficialOptions): Promise<{ accountId: number }> {
  const fields: FieldError[] = [];
  if (!isValidUsername(options.username)) fields.push({ field: 'username', messageKey: 'identity.username.invalid' });
  if (!isValidEmail(options.email)) fields.push({ field: 'email', messageKey: 'identity.email.invalid' });
  if (options.displayName.trim().length === 0) fields.push({ field: 'displayName', messageKey: 'identity.displayName.required' });
  const problem = passwordProblem(options.password, { username: options.username });
  if (problem) fields.push({ field: 'password', messageKey: `identity.password.${problem}` });
  const roles = options.roles.filter(isRole) as Role[];
  if (roles.length !== options.roles.length || roles.length === 0) fields.push({ field: 'roles', messageKey: 'identity.roles.invalid' });
  if (fields.length > 0) throw new DomainError('VALIDATION_FAILED', 'error.VALIDATION_FAILED', { fields });

  const passwordHash = await hashPassword(options.password);
  return db.transaction().execute(async (tx) => {
    const agency = await findAgencyByCode(tx, options.agencyCode);
    if (!agency) throw new DomainError('AGENCY_NOT_FOUND', 'identity.agency.notFound', { params: { code: options.agencyCode } });
    let departmentId: number | null = null;
    if (options.departmentCode) {
      const department = await findDepartment(tx, agency.id, options.departmentCode);
      if (!department) throw new DomainError('DEPARTMENT_NOT_FOUND', 'identity.department.notFound', { params: { code: options.departmentCode } });
      departmentId = department.id;
    }
    if (await findAccountByUsername(tx, options.username)) throw new DomainError('ACCOUNT_EXISTS', 'identity.account.exists');
    const accountId = await insertAccount(tx, {
      kind: 'official',
      username: options.username,
      displayName: options.displayName.trim(),
      email: options.email,
      passwordHash,
      agencyId: agency.id,
      departmentId,
    });
    await grantRoles(tx, accountId, agency.id, roles);
    await writeAuditEvent(tx, {
      action: 'identity.official.created',
      actor: { accountId: options.actor.accountId },
      subject: { type: 'account', id: accountId },
      requestId: options.actor.requestId ?? null,
      ip: options.actor.ip ?? null,
      details: { agency: agency.code, department: options.departmentCode ?? null, roles },
    });
    return { accountId };
  });
}
