import type { Executor } from '../../platform/db/database.ts';
import { DomainError } from '../../platform/http/errors.ts';
import type { Role } from './roles.ts';

/** Who is acting, as the use cases check it: roles are per agency. */
export interface Actor {
  accountId: number;
  kind: 'resident' | 'official';
  agencyId: number | null;
  departmentId: number | null;
  /** name as shown to others; for officials it carries their position (주무관 …) */
  displayName: string;
  roles: Array<{ role: Role; agencyId: number }>;
}

export async function loadActor(db: Executor, accountId: number): Promise<Actor | undefined> {
  const account = await db.selectFrom('accounts').select(['id', 'kind', 'agency_id', 'department_id', 'display_name', 'status']).where('id', '=', accountId).executeTakeFirst();
  if (!account || account.status !== 'active') return undefined;
  const roles = await db.selectFrom('account_roles').select(['role', 'agency_id']).where('account_id', '=', accountId).execute();
  return { accountId: account.id, kind: account.kind, agencyId: account.agency_id, departmentId: account.department_id, displayName: account.display_name, roles: roles.map((r) => ({ role: r.role as Role, agencyId: r.agency_id })) };
}

export function hasRole(actor: Actor, role: Role, agencyId: number): boolean {
  return actor.roles.some((r) => r.role === role && r.agencyId === agencyId);
}

/** @throws DomainError FORBIDDEN unless the actor holds one of `roles` in `agencyId` */
export function requireRole(actor: Actor | undefined, roles: Role[], agencyId: number): Actor {
  if (!actor || !roles.some((role) => hasRole(actor, role, agencyId))) throw new DomainError('FORBIDDEN');
  return actor;
}

/** Agencies where the actor may read officials (administrators and auditors). */
export function readableAgencies(actor: Actor): number[] {
  return [...new Set(actor.roles.filter((r) => r.role === 'agency-admin' || r.role === 'auditor').map((r) => r.agencyId))];
}
