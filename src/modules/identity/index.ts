import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db, Executor } from '../../platform/db/database.ts';
import type { ViewAccount } from '../../platform/views/context.ts';
import { findAccountById } from './repository.ts';

export { identityMessages } from './messages.ts';
export { identityRoutes, type IdentityRouteDeps } from './routes.ts';
export { createAgencyDirectory, type AgencyDirectory } from './agency-directory.ts';
export { createOfficial, type CreateOfficialOptions } from './create-official.ts';
export { seedIdentity, listDemoAccounts, type SeededAccount, type DemoResidentForAccount } from './seed-identity.ts';
export { DEMO_PASSWORD } from './demo-agencies.ts';
export { roles, type Role } from './roles.ts';
export { loadActor, hasRole, type Actor } from './actor.ts';
export { departmentsOf } from './repository.ts';
export { createSignInThrottle, type SignInThrottle } from './sign-in-throttle.ts';
export { createSecondFactor, type SecondFactor } from './second-factor.ts';

export const identityMigrations = { owner: 'identity', dir: path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations') };
export const identityMenu = [{ href: '/agencies', labelKey: 'menu.agencies' }];

/** The database announces here the id of every account whose name or standing changed (migration 011). */
export const ACCOUNT_CHANGED_CHANNEL = 'nara_account_changed';

/** The signed-in account as pages show it; suspended accounts count as signed out. */
export async function loadViewAccount(db: Db, accountId: number): Promise<ViewAccount | undefined> {
  const account = await findAccountById(db, accountId);
  if (!account || account.status !== 'active') return undefined;
  return { id: account.id, displayName: account.display_name, kind: account.kind };
}

/** Contact details for e-mail delivery (notifications reads them through here). */
export async function accountContact(db: Db, accountId: number): Promise<{ email: string | null; locale: 'ko' | 'en'; displayName: string } | undefined> {
  const account = await findAccountById(db, accountId);
  return account ? { email: account.email, locale: account.locale, displayName: account.display_name } : undefined;
}
export { businessesActingFor } from './link-business.ts';
export { oidcRoutes, createOidcEndpoints, type OidcRouteDeps } from './oidc-routes.ts';
export type { Oidc } from './oidc-provider.ts';
export { registerOidcClient, listOidcClients, disableOidcClient, type RegisteredClient } from './oidc-clients.ts';
export { registerMachineClient, type NewMachineClient, type RegisteredMachineClient } from './register-machine-client.ts';
export { createMachineAuthenticator, type MachineAuthenticator, type MachineAuthenticatorOptions, type MachineClient } from './authenticate-machine.ts';
export { MACHINE_SCOPES, type MachineScope } from './machine-scopes.ts';
export { purgeOidcPayloads } from './oidc-adapter.ts';
export { OIDC_SCOPES } from './oidc-claims.ts';

/** Agency and department ids by `AGENCY/DEPARTMENT` code, for seeding other modules. */
export async function departmentRefs(db: Executor): Promise<Map<string, { agencyId: number; departmentId: number }>> {
  const rows = await db.selectFrom('departments').innerJoin('agencies', 'agencies.id', 'departments.agency_id').select(['agencies.code as agency', 'departments.code', 'departments.id', 'departments.agency_id']).execute();
  return new Map(rows.map((r) => [`${r.agency}/${r.code}`, { agencyId: r.agency_id, departmentId: r.id }]));
}

/** Active officials of a department with their roles there, for assigning work. */
export async function departmentOfficials(db: Executor, agencyId: number, departmentId: number): Promise<Array<{ id: number; displayName: string; roles: string[] }>> {
  const rows = await db
    .selectFrom('accounts')
    .leftJoin('account_roles', (j) => j.onRef('account_roles.account_id', '=', 'accounts.id').on('account_roles.agency_id', '=', agencyId))
    .select(['accounts.id', 'accounts.display_name', 'account_roles.role'])
    .where('accounts.kind', '=', 'official')
    .where('accounts.status', '=', 'active')
    .where('accounts.agency_id', '=', agencyId)
    .where('accounts.department_id', '=', departmentId)
    .orderBy('accounts.display_name')
    .execute();
  const byId = new Map<number, { id: number; displayName: string; roles: string[] }>();
  for (const r of rows) {
    const entry = byId.get(r.id) ?? { id: r.id, displayName: r.display_name, roles: [] };
    if (r.role) entry.roles.push(r.role);
    byId.set(r.id, entry);
  }
  return [...byId.values()];
}

/** Display names of accounts by id (officials' names on queues and timelines). */
export async function displayNames(db: Executor, ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('accounts').select(['id', 'display_name']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.display_name]));
}

/**
 * The account of an applicant known only to another system (an application filed through
 * an inter-agency API): created on first use, without a password, so it cannot sign in.
 * @returns the account id
 */
export async function externalApplicant(db: Executor, scheme: string, externalId: string, displayName: string): Promise<number> {
  const username = `ext.${scheme}.${createHash('sha256').update(externalId).digest('hex').slice(0, 24)}`;
  const existing = await db.selectFrom('accounts').select('id').where('username', '=', username).executeTakeFirst();
  if (existing) return existing.id;
  const created = await db
    .insertInto('accounts')
    .values({ kind: 'resident', username, display_name: displayName.slice(0, 100) || externalId.slice(0, 100) })
    .onConflict((oc) => oc.column('username').doNothing())
    .returning('id')
    .executeTakeFirst();
  return created?.id ?? (await db.selectFrom('accounts').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id;
}

/** The public id (uuid) of each account, by account id: how other systems name officials and applicants. */
export async function publicIds(db: Executor, ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('accounts').select(['id', 'public_id']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.public_id]));
}

/** The account with this public id, if any. */
export async function accountByPublicId(db: Executor, publicId: string): Promise<number | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(publicId)) return undefined;
  return (await db.selectFrom('accounts').select('id').where('public_id', '=', publicId).executeTakeFirst())?.id;
}

/** The register record an account is bound to, if any (certificates about the person). */
export async function residentIdOf(db: Executor, accountId: number): Promise<number | undefined> {
  const row = await db.selectFrom('accounts').select('resident_id').where('id', '=', accountId).executeTakeFirst();
  return row?.resident_id ?? undefined;
}

export interface AgencyRef {
  id: number;
  code: string;
  name: { ko: string; en: string };
}

/** An agency's code and names, by id or by code. */
export async function findAgency(db: Executor, by: { id: number } | { code: string }): Promise<AgencyRef | undefined> {
  const query = db.selectFrom('agencies').select(['id', 'code', 'name_ko', 'name_en']);
  const row = await ('id' in by ? query.where('id', '=', by.id) : query.where('code', '=', by.code)).executeTakeFirst();
  return row ? { id: row.id, code: row.code, name: { ko: row.name_ko, en: row.name_en } } : undefined;
}

/** The language an account reads Nara in (documents issued without asking use it). */
export async function accountLocale(db: Executor, accountId: number): Promise<'ko' | 'en'> {
  return (await findAccountById(db, accountId))?.locale ?? 'ko';
}

/** An active account's id by its username. */
export async function accountIdByUsername(db: Executor, username: string): Promise<number | undefined> {
  if (username.length === 0 || username.length > 100) return undefined;
  return (await db.selectFrom('accounts').select('id').where('username', '=', username).where('status', '=', 'active').executeTakeFirst())?.id;
}
export { todayIn } from './oidc-claims.ts';

/** Usernames by account id (whom a resident let download a certificate). */
export async function usernamesOf(db: Executor, ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('accounts').select(['id', 'username']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.username]));
}
