import path from 'node:path';
import { fileURLToPath } from 'node:url';

export { seedRegistry, type SeededResident } from './seed-registry.ts';
export { isValidNationalId, maskNationalId, isValidBusinessNo } from './national-id.ts';

export const registryMigrations = { owner: 'registry', dir: path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations') };
export { findResidentByIdentity, residentContacts, findBusinessByNumber, findBusinessesByIds, residentFacts, type ResidentFacts, type RegisterMatch, type BusinessRecord } from './find-resident.ts';
export { residentRecord, residentNationalId, businessRegistration, type ResidentRecord, type HouseholdMember, type BusinessRegistration } from './resident-record.ts';
