import type { Executor } from '../../platform/db/database.ts';
import type { FieldEncryption } from '../../platform/crypto/field-encryption.ts';
import { generatePopulation } from './synthetic-population.ts';
import { maskNationalId } from './national-id.ts';

export interface SeededResident {
  residentId: number;
  nameKo: string;
  email: string | null;
  phone: string | null;
  birthDate: string;
}

const BATCH = 500;

/**
 * Loads a synthetic population into the registers. National ID numbers are encrypted
 * and hashed on the way in, exactly as real registrations would be.
 * @returns adult residents who have an e-mail address, first ones first (for demo accounts)
 */
export async function seedRegistry(tx: Executor, options: { seed: number; residents: number; encryption: FieldEncryption }): Promise<{ residents: number; households: number; businesses: number; adultsWithEmail: SeededResident[] }> {
  const population = generatePopulation({ seed: options.seed, residents: options.residents });
  const residentIds: number[][] = [];
  const adultsWithEmail: SeededResident[] = [];
  const adultBefore = `${new Date().getUTCFullYear() - 19}-01-01`;
  {
    for (let start = 0; start < population.households.length; start += BATCH) {
      const batch = population.households.slice(start, start + BATCH);
      // PostgreSQL returns the rows of a multi-row VALUES insert in the order given.
      const households = await tx
        .insertInto('households')
        .values(batch.map((h) => ({ region_code: h.regionCode, address_ko: h.addressKo, address_en: h.addressEn, postal_code: h.postalCode })))
        .returning('id')
        .execute();
      const rows = batch.flatMap((h, i) =>
        h.members.map((m) => ({
          household_id: households[i]!.id,
          household_role: m.householdRole,
          name_ko: m.nameKo,
          name_en: m.nameEn,
          birth_date: m.birthDate,
          sex: m.sex,
          national_id_cipher: options.encryption.encrypt(m.nationalId),
          national_id_hash: options.encryption.lookupHash(m.nationalId),
          national_id_masked: maskNationalId(m.nationalId),
          phone: m.phone,
          email: m.email,
        })),
      );
      const ids: number[] = [];
      for (let r = 0; r < rows.length; r += BATCH) {
        const inserted = await tx.insertInto('residents').values(rows.slice(r, r + BATCH)).returning('id').execute();
        ids.push(...inserted.map((x) => x.id));
      }
      let k = 0;
      batch.forEach((h) => {
        const memberIds = h.members.map(() => ids[k++]!);
        residentIds.push(memberIds);
        h.members.forEach((m, j) => {
          if (m.email && m.birthDate < adultBefore && adultsWithEmail.length < 20) adultsWithEmail.push({ residentId: memberIds[j]!, nameKo: m.nameKo, email: m.email, phone: m.phone, birthDate: m.birthDate });
        });
      });
    }
    for (let start = 0; start < population.businesses.length; start += BATCH) {
      const batch = population.businesses.slice(start, start + BATCH);
      await tx
        .insertInto('businesses')
        .values(
          batch.map((b) => ({
            registration_no: b.registrationNo,
            name_ko: b.nameKo,
            name_en: b.nameEn,
            representative_resident_id: residentIds[b.representative.household]![b.representative.member]!,
            industry_code: b.industryCode,
            address_ko: b.addressKo,
            address_en: b.addressEn,
            opened_on: b.openedOn,
          })),
        )
        .execute();
    }
  }
  return { residents: options.residents, households: population.households.length, businesses: population.businesses.length, adultsWithEmail };
}
