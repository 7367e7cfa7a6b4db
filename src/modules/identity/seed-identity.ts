import type { Db, Executor } from '../../platform/db/database.ts';
import { writeAuditEvent } from '../../platform/audit/write-audit-event.ts';
import { demoAgencies, demoOfficials, DEMO_PASSWORD } from './demo-agencies.ts';
import { grantRoles, insertAccount } from './repository.ts';
import { hashPassword } from './passwords.ts';

export interface DemoResidentForAccount {
  residentId: number;
  nameKo: string;
  email: string | null;
  phone: string | null;
}

export interface SeededAccount {
  username: string;
  kind: 'resident' | 'official';
  displayName: string;
  description: string;
}

/** Loads demo agencies, officials and a few resident accounts; pass the seeding transaction. */
export async function seedIdentity(tx: Executor, residents: DemoResidentForAccount[]): Promise<SeededAccount[]> {
  // One hash for every demo account: they share the demo password, and hashing once keeps
  // the first start fast.
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const seeded: SeededAccount[] = [];
  {
    const ids = new Map<string, number>();
    const departmentIds = new Map<string, number>();
    for (const a of demoAgencies) {
      const { id } = await tx
        .insertInto('agencies')
        .values({
          code: a.code, parent_id: a.parent ? ids.get(a.parent)! : null, kind: a.kind, name_ko: a.nameKo, name_en: a.nameEn,
          phone: a.phone, email: a.email, address_ko: a.addressKo, address_en: a.addressEn, website: a.website,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      ids.set(a.code, id);
      for (const d of a.departments) {
        const dep = await tx
          .insertInto('departments')
          .values({ agency_id: id, code: d.code, name_ko: d.nameKo, name_en: d.nameEn, phone: d.phone })
          .returning('id')
          .executeTakeFirstOrThrow();
        departmentIds.set(`${a.code}/${d.code}`, dep.id);
      }
    }
    for (const o of demoOfficials) {
      const agencyId = ids.get(o.agency)!;
      const accountId = await insertAccount(tx, {
        kind: 'official', username: o.username, displayName: o.displayName, email: `${o.username}@officials.example.kr`,
        passwordHash, agencyId, departmentId: departmentIds.get(`${o.agency}/${o.department}`)!,
      });
      await grantRoles(tx, accountId, agencyId, o.roles);
      const agency = demoAgencies.find((a) => a.code === o.agency)!;
      seeded.push({ username: o.username, kind: 'official', displayName: o.displayName, description: `${o.roles.join(', ')} — ${agency.nameEn}` });
    }
    for (const [index, r] of residents.entries()) {
      const username = `resident${index + 1}`;
      await insertAccount(tx, { kind: 'resident', username, displayName: r.nameKo, email: r.email, phone: r.phone, passwordHash, residentId: r.residentId });
      seeded.push({ username, kind: 'resident', displayName: r.nameKo, description: 'resident (synthetic)' });
    }
    await writeAuditEvent(tx, { action: 'identity.demo-data.loaded', actor: { accountId: null }, details: { agencies: demoAgencies.length, accounts: seeded.length } });
  }
  return seeded;
}

/** The demo accounts of an already seeded database, described as on the first start. */
export async function listDemoAccounts(db: Db): Promise<SeededAccount[]> {
  const rows = await db
    .selectFrom('accounts')
    .leftJoin('agencies', 'agencies.id', 'accounts.agency_id')
    .select(['accounts.id', 'accounts.username', 'accounts.kind', 'accounts.display_name', 'agencies.name_en'])
    .where((eb) => eb.or([eb('accounts.username', 'in', demoOfficials.map((o) => o.username)), eb('accounts.username', 'like', 'resident_')]))
    .orderBy('accounts.id')
    .execute();
  const roles = rows.length ? await db.selectFrom('account_roles').select(['account_id', 'role']).where('account_id', 'in', rows.map((r) => r.id)).execute() : [];
  return rows.map((r) => ({
    username: r.username,
    kind: r.kind,
    displayName: r.display_name,
    description: r.kind === 'official' ? `${roles.filter((x) => x.account_id === r.id).map((x) => x.role).join(', ')} — ${r.name_en ?? ''}` : 'resident (synthetic)',
  }));
}
