import { sql } from 'kysely';
import type { Config } from './config.ts';
import type { Database } from './platform/db/database.ts';
import { createFieldEncryption } from './platform/crypto/field-encryption.ts';
import { seedRegistry } from './modules/registry/index.ts';
import { departmentRefs, listDemoAccounts, seedIdentity, type SeededAccount } from './modules/identity/index.ts';
import { seedCatalogue } from './modules/catalogue/index.ts';
import { seedDemoApplications } from './modules/applications/index.ts';
import { seedCertificateTypes } from './modules/documents/index.ts';
import { notify } from './modules/notifications/index.ts';

const SEED_LOCK = 7_261_123;

export interface SeedResult {
  seeded: boolean;
  accounts: SeededAccount[];
  residents?: number;
  businesses?: number;
  services?: number;
  applications?: number;
}

/**
 * Loads the demo data once: registers first, then identity (whose resident accounts point
 * at register records), then a welcome notification. Safe when instances start together.
 * Then, unless `applications: false`, a few applications with a processing history.
 */
export async function seedDemoData(database: Database, config: Pick<Config, 'demoSeed' | 'demoResidents' | 'dataKey' | 'timeZone'>, options: { applications?: boolean } = {}): Promise<SeedResult> {
  // One transaction: either all demo data is there or none, and a second instance
  // starting at the same moment waits on the lock, then sees the data and skips.
  const result = await database.db.transaction().execute(async (tx): Promise<SeedResult> => {
    await sql`select pg_advisory_xact_lock(${SEED_LOCK})`.execute(tx);
    const existing = await tx.selectFrom('agencies').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    if (existing.n > 0) return { seeded: false, accounts: [] };
    const encryption = createFieldEncryption(config.dataKey);
    const registry = await seedRegistry(tx, { seed: config.demoSeed, residents: config.demoResidents, encryption });
    const accounts = await seedIdentity(tx, registry.adultsWithEmail.slice(0, 3));
    const services = await seedCatalogue(tx, await departmentRefs(tx));
    await seedCertificateTypes(tx, await departmentRefs(tx));
    const first = await tx.selectFrom('accounts').select('id').where('username', '=', 'resident1').executeTakeFirst();
    if (first) await notify(tx, { accountId: first.id, template: 'notifications.welcome', link: '/', email: true });
    return { seeded: true, accounts, residents: registry.residents, businesses: registry.businesses, services };
  });
  if (!result.seeded) {
    result.accounts = await listDemoAccounts(database.db);
    // Data made before certificates existed gains the demo certificate types.
    if (result.accounts.length > 0) await seedCertificateTypes(database.db, await departmentRefs(database.db));
  }
  // Filed through the use cases, which keep their own transactions; only the instance that
  // loaded the data above gets here.
  else if (options.applications !== false) result.applications = await seedDemoApplications(database.db, config.timeZone);
  return result;
}
