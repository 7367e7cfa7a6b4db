import type { Db } from '../../platform/db/database.ts';
import { DomainError } from '../../platform/http/errors.ts';
import { writeAuditEvent } from '../../platform/audit/write-audit-event.ts';
import { requireRole, type Actor } from './actor.ts';
import type { Role } from './roles.ts';
import { agencyRoles } from './account-fields.ts';

export interface OfficialRow {
  id: number;
  username: string;
  displayName: string;
  email: string | null;
  department: { ko: string; en: string } | null;
  roles: Role[];
  status: 'active' | 'suspended';
}

/**
 * The officials of one agency, for its administrators and auditors.
 * @throws DomainError FORBIDDEN
 */
export async function listAgencyOfficials(db: Db, actor: Actor | undefined, agencyId: number): Promise<OfficialRow[]> {
  requireRole(actor, ['agency-admin', 'auditor'], agencyId);
  const rows = await db
    .selectFrom('accounts')
    .leftJoin('departments', 'departments.id', 'accounts.department_id')
    .select(['accounts.id', 'accounts.username', 'accounts.display_name', 'accounts.email', 'accounts.status', 'departments.name_ko', 'departments.name_en'])
    .where('accounts.kind', '=', 'official')
    .where('accounts.agency_id', '=', agencyId)
    .orderBy('accounts.display_name')
    .execute();
  const roles = rows.length ? await db.selectFrom('account_roles').select(['account_id', 'role']).where('agency_id', '=', agencyId).where('account_id', 'in', rows.map((r) => r.id)).execute() : [];
  return rows.map((r) => ({
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    email: r.email,
    department: r.name_ko && r.name_en ? { ko: r.name_ko, en: r.name_en } : null,
    roles: roles.filter((x) => x.account_id === r.id).map((x) => x.role as Role),
    status: r.status,
  }));
}

async function officialOfAgency(db: Db, accountId: number) {
  const target = await db.selectFrom('accounts').select(['id', 'kind', 'agency_id', 'status']).where('id', '=', accountId).executeTakeFirst();
  if (!target || target.kind !== 'official' || target.agency_id === null) throw new DomainError('NOT_FOUND');
  return target as typeof target & { agency_id: number };
}

export interface ChangeRolesOptions {
  accountId: number;
  roles: string[];
  requestId: string;
  ip: string;
}

/**
 * Replaces an official's roles in their agency. Only that agency's administrator may, and
 * not on their own account (so nobody quietly makes themselves everything). Platform
 * operator is granted by the operator's command line, never here.
 * @throws DomainError FORBIDDEN, NOT_FOUND, VALIDATION_FAILED
 */
export async function changeOfficialRoles(db: Db, actor: Actor | undefined, options: ChangeRolesOptions): Promise<void> {
  const target = await officialOfAgency(db, options.accountId);
  const admin = requireRole(actor, ['agency-admin'], target.agency_id);
  if (admin.accountId === target.id) throw new DomainError('FORBIDDEN', 'identity.admin.notYourself');
  const roles = agencyRoles(options.roles);
  if (!roles) {
    throw new DomainError('VALIDATION_FAILED', 'error.VALIDATION_FAILED', { fields: [{ field: 'roles', messageKey: 'identity.roles.invalid' }] });
  }
  await db.transaction().execute(async (tx) => {
    const before = await tx.selectFrom('account_roles').select('role').where('account_id', '=', target.id).where('agency_id', '=', target.agency_id).execute();
    // Platform operator is not the agency's to give or take: it stays as it is.
    await tx.deleteFrom('account_roles').where('account_id', '=', target.id).where('agency_id', '=', target.agency_id).where('role', '!=', 'platform-operator').execute();
    await tx.insertInto('account_roles').values(roles.map((role) => ({ account_id: target.id, role, agency_id: target.agency_id }))).execute();
    await writeAuditEvent(tx, {
      action: 'identity.official.roles-changed',
      actor: { accountId: admin.accountId, agencyId: target.agency_id },
      subject: { type: 'account', id: target.id },
      requestId: options.requestId,
      ip: options.ip,
      details: { before: before.map((r) => r.role).sort(), after: [...roles].sort() },
    });
  });
}

export interface SetStatusOptions {
  accountId: number;
  status: 'active' | 'suspended';
  requestId: string;
  ip: string;
  /** ends every session of a suspended account, in the same transaction */
  endSessions: (tx: Db, accountId: number) => Promise<number>;
}

/**
 * Suspends or reinstates an official of the administrator's own agency. Suspension ends
 * the official's sessions at once.
 * @throws DomainError FORBIDDEN, NOT_FOUND
 */
export async function setOfficialStatus(db: Db, actor: Actor | undefined, options: SetStatusOptions): Promise<void> {
  const target = await officialOfAgency(db, options.accountId);
  const admin = requireRole(actor, ['agency-admin'], target.agency_id);
  if (admin.accountId === target.id) throw new DomainError('FORBIDDEN', 'identity.admin.notYourself');
  if (target.status === options.status) return;
  await db.transaction().execute(async (tx) => {
    await tx.updateTable('accounts').set({ status: options.status }).where('id', '=', target.id).execute();
    const ended = options.status === 'suspended' ? await options.endSessions(tx, target.id) : 0;
    await writeAuditEvent(tx, {
      action: options.status === 'suspended' ? 'identity.official.suspended' : 'identity.official.reinstated',
      actor: { accountId: admin.accountId, agencyId: target.agency_id },
      subject: { type: 'account', id: target.id },
      requestId: options.requestId,
      ip: options.ip,
      details: { endedSessions: ended },
    });
  });
}
