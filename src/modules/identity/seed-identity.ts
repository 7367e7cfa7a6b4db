import type { Executor } from '../../platform/db/database.ts';
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
