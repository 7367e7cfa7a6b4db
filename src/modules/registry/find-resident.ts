import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.ts';
import type { FieldEncryption } from '../../platform/crypto/field-encryption.ts';
import { normalizeNationalId } from './national-id.ts';
import { districtName } from './synthetic-population.ts';

export interface RegisterMatch {
  residentId: number;
  nameKo: string;
  email: string | null;
  phone: string | null;
  nationalIdMasked: string;
}

const squash = (s: string) => s.normalize('NFC').replace(/\s+/g, '').toLowerCase();

/**
 * Finds the register record whose national ID, name and birth date all match. The number
 * is looked up by its keyed hash, never decrypted. Returns undefined for any mismatch
 * without saying which part was wrong.
 */
export async function findResidentByIdentity(
  db: Executor,
  encryption: FieldEncryption,
  claim: { name: string; birthDate: string; nationalId: string },
): Promise<RegisterMatch | undefined> {
  const normalized = normalizeNationalId(claim.nationalId);
  if (!normalized) return undefined;
  const row = await db
    .selectFrom('residents')
    .select(['id', 'name_ko', 'name_en', 'email', 'phone', 'national_id_masked', sql<string>`birth_date::text`.as('birth')])
    .where('national_id_hash', '=', encryption.lookupHash(normalized))
    .executeTakeFirst();
  if (!row) return undefined;
  const nameMatches = [row.name_ko, row.name_en].some((n) => squash(n) === squash(claim.name));
  if (!nameMatches || row.birth !== claim.birthDate) return undefined;
  return { residentId: row.id, nameKo: row.name_ko, email: row.email, phone: row.phone, nationalIdMasked: row.national_id_masked };
}

/** Name and contacts on record for one resident (for an account bound to that record). */
export async function residentContacts(db: Executor, residentId: number): Promise<{ nameKo: string; phone: string | null; email: string | null } | undefined> {
  const row = await db.selectFrom('residents').select(['name_ko', 'phone', 'email']).where('id', '=', residentId).executeTakeFirst();
  return row ? { nameKo: row.name_ko, phone: row.phone, email: row.email } : undefined;
}

export interface BusinessRecord {
  id: number;
  registrationNo: string;
  nameKo: string;
  nameEn: string;
  representativeResidentId: number;
  industryCode: string;
  openedOn: string;
}

const businessColumns = ['id', 'registration_no', 'name_ko', 'name_en', 'representative_resident_id', 'industry_code', 'opened_on'] as const;
type BusinessRow = { id: number; registration_no: string; name_ko: string; name_en: string; representative_resident_id: number; industry_code: string; opened_on: string };
const toBusiness = (row: BusinessRow): BusinessRecord => ({
  id: row.id, registrationNo: row.registration_no, nameKo: row.name_ko, nameEn: row.name_en, representativeResidentId: row.representative_resident_id, industryCode: row.industry_code, openedOn: row.opened_on,
});

/** A business on the register by its registration number (with or without hyphens). */
export async function findBusinessByNumber(db: Executor, registrationNo: string): Promise<BusinessRecord | undefined> {
  const digits = registrationNo.replace(/\D/g, '');
  if (digits.length !== 10) return undefined;
  const formatted = `${digits.slice(0, 3)}-${digits.slice(3, 5)}-${digits.slice(5)}`;
  const row = await db.selectFrom('businesses').select(businessColumns).where('registration_no', '=', formatted).executeTakeFirst();
  return row ? toBusiness(row) : undefined;
}

export async function findBusinessesByIds(db: Executor, ids: number[]): Promise<BusinessRecord[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('businesses').select(businessColumns).where('id', 'in', ids).orderBy('name_ko').execute();
  return rows.map(toBusiness);
}

export interface ResidentFacts {
  nameKo: string;
  nameEn: string;
  birthDate: string;
  email: string | null;
  region: { code: string; nameKo: string; nameEn: string };
}

/** What the register states about one resident that they may share (OpenID claims). */
export async function residentFacts(db: Executor, residentId: number): Promise<ResidentFacts | undefined> {
  const row = await db
    .selectFrom('residents')
    .innerJoin('households', 'households.id', 'residents.household_id')
    .select(['residents.name_ko', 'residents.name_en', 'residents.email', 'households.region_code', sql<string>`residents.birth_date::text`.as('birth')])
    .where('residents.id', '=', residentId)
    .executeTakeFirst();
  if (!row) return undefined;
  const names = districtName(row.region_code);
  return {
    nameKo: row.name_ko,
    nameEn: row.name_en,
    birthDate: row.birth,
    email: row.email,
    region: { code: row.region_code, nameKo: names?.ko ?? row.region_code, nameEn: names?.en ?? row.region_code },
  };
}
