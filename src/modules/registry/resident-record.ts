import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.ts';
import type { FieldEncryption } from '../../platform/crypto/field-encryption.ts';

export interface HouseholdMember {
  role: 'head' | 'spouse' | 'child' | 'parent' | 'other';
  nameKo: string;
  nameEn: string;
  birthDate: string;
  nationalIdMasked: string;
}

export interface ResidentRecord {
  nameKo: string;
  nameEn: string;
  birthDate: string;
  sex: 'M' | 'F';
  nationalIdMasked: string;
  role: HouseholdMember['role'];
  address: { ko: string; en: string; postalCode: string; regionCode: string };
  registeredOn: string;
  /** everyone in the household, the person included, head first */
  household: HouseholdMember[];
}

const roleOrder = { head: 0, spouse: 1, parent: 2, child: 3, other: 4 } as const;

/** What the resident register holds on one person and their household (certificates). */
export async function residentRecord(db: Executor, residentId: number): Promise<ResidentRecord | undefined> {
  const person = await db
    .selectFrom('residents')
    .innerJoin('households', 'households.id', 'residents.household_id')
    .select([
      'residents.household_id', 'residents.name_ko', 'residents.name_en', 'residents.sex', 'residents.national_id_masked', 'residents.household_role',
      'households.address_ko', 'households.address_en', 'households.postal_code', 'households.region_code',
      sql<string>`residents.birth_date::text`.as('birth'), sql<string>`residents.created_at::date::text`.as('registered'),
    ])
    .where('residents.id', '=', residentId)
    .executeTakeFirst();
  if (!person) return undefined;
  const members = await db
    .selectFrom('residents')
    .select(['name_ko', 'name_en', 'national_id_masked', 'household_role', sql<string>`birth_date::text`.as('birth')])
    .where('household_id', '=', person.household_id)
    .orderBy('birth_date')
    .execute();
  return {
    nameKo: person.name_ko,
    nameEn: person.name_en,
    birthDate: person.birth,
    sex: person.sex as 'M' | 'F',
    nationalIdMasked: person.national_id_masked,
    role: person.household_role as HouseholdMember['role'],
    address: { ko: person.address_ko, en: person.address_en, postalCode: person.postal_code, regionCode: person.region_code },
    registeredOn: person.registered,
    household: members
      .map((m) => ({ role: m.household_role as HouseholdMember['role'], nameKo: m.name_ko, nameEn: m.name_en, birthDate: m.birth, nationalIdMasked: m.national_id_masked }))
      .sort((a, b) => roleOrder[a.role] - roleOrder[b.role]),
  };
}

/** The full national ID number, for the few certificates the law says must carry it. */
export async function residentNationalId(db: Executor, encryption: FieldEncryption, residentId: number): Promise<string | undefined> {
  const row = await db.selectFrom('residents').select('national_id_cipher').where('id', '=', residentId).executeTakeFirst();
  return row ? encryption.decrypt(row.national_id_cipher) : undefined;
}

export interface BusinessRegistration {
  registrationNo: string;
  nameKo: string;
  nameEn: string;
  representativeKo: string;
  representativeEn: string;
  industryCode: string;
  address: { ko: string; en: string };
  openedOn: string;
}

/** A business as its registration certificate states it. */
export async function businessRegistration(db: Executor, businessId: number): Promise<BusinessRegistration | undefined> {
  const row = await db
    .selectFrom('businesses')
    .innerJoin('residents', 'residents.id', 'businesses.representative_resident_id')
    .select([
      'businesses.registration_no', 'businesses.name_ko', 'businesses.name_en', 'businesses.industry_code', 'businesses.address_ko', 'businesses.address_en',
      'residents.name_ko as rep_ko', 'residents.name_en as rep_en', sql<string>`businesses.opened_on::text`.as('opened'),
    ])
    .where('businesses.id', '=', businessId)
    .executeTakeFirst();
  return row
    ? { registrationNo: row.registration_no, nameKo: row.name_ko, nameEn: row.name_en, representativeKo: row.rep_ko, representativeEn: row.rep_en, industryCode: row.industry_code, address: { ko: row.address_ko, en: row.address_en }, openedOn: row.opened }
    : undefined;
}
