import type { Executor } from '../../platform/db/database.ts';
import type { Role } from './roles.ts';

export function findAgencyByCode(db: Executor, code: string) {
  return db.selectFrom('agencies').selectAll().where('code', '=', code).executeTakeFirst();
}

export function findDepartment(db: Executor, agencyId: number, code: string) {
  return db.selectFrom('departments').selectAll().where('agency_id', '=', agencyId).where('code', '=', code).executeTakeFirst();
}

export function listAgencies(db: Executor) {
  return db.selectFrom('agencies').selectAll().orderBy('id').execute();
}

export function listDepartments(db: Executor) {
  return db.selectFrom('departments').selectAll().orderBy('agency_id').orderBy('id').execute();
}

export function findAccountByUsername(db: Executor, username: string) {
  return db.selectFrom('accounts').selectAll().where('username', '=', username).executeTakeFirst();
}

export function findAccountById(db: Executor, id: number) {
  return db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertAccount(
  db: Executor,
  row: {
    kind: 'resident' | 'official';
    username: string;
    displayName: string;
    email: string | null;
    phone?: string | null;
    passwordHash: string | null;
    residentId?: number | null;
    agencyId?: number | null;
    departmentId?: number | null;
    locale?: 'ko' | 'en';
  },
): Promise<number> {
  const inserted = await db
    .insertInto('accounts')
    .values({
      kind: row.kind,
      username: row.username,
      display_name: row.displayName,
      email: row.email,
      phone: row.phone ?? null,
      password_hash: row.passwordHash,
      resident_id: row.residentId ?? null,
      agency_id: row.agencyId ?? null,
      department_id: row.departmentId ?? null,
      ...(row.locale ? { locale: row.locale } : {}),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

export async function grantRoles(db: Executor, accountId: number, agencyId: number, roles: Role[]): Promise<void> {
  if (roles.length === 0) return;
  await db
    .insertInto('account_roles')
    .values(roles.map((role) => ({ account_id: accountId, role, agency_id: agencyId })))
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export function departmentsOf(db: Executor, agencyId: number) {
  return db.selectFrom('departments').select(['id', 'name_ko', 'name_en']).where('agency_id', '=', agencyId).orderBy('id').execute();
}
