import { loadConfig, type Config } from '../src/config.ts';
import { openDatabase, type Database } from '../src/platform/db/database.ts';
import { findPublishedService } from '../src/modules/catalogue/index.ts';
import { insertDraft, saveAnswers } from '../src/modules/applications/repository.ts';
import { submitApplication } from '../src/modules/applications/submit-application.ts';
import { takeAction } from '../src/modules/applications/take-action.ts';
import { loadMigrations, migrate } from '../src/platform/db/migrate.ts';
import { buildApp, migrationSources } from '../src/app.ts';
import { BACKGROUND_NICE, lowerPlatformWorkerPriority } from '../src/platform/threads/thread-priority.ts';
import { seedDemoData } from '../src/seed.ts';
import type { Server } from './servers.ts';

export interface NaraOptions {
  config?: Partial<Config>;
  /** S2: this many residents `reader1…`, each with a building permit received by a clerk */
  readers?: number;
  /** S2: this many residents `writer1…` who submit applications during the load */
  writers?: number;
  /** S2: drafts each writer has ready to submit (complete move-in reports) */
  writerDrafts?: number;
}

/** Residents with the demo password, and for readers a submitted, accepted application each. */
async function addBenchResidents(database: Database, readers: number, writers: number, writerDrafts: number, timeZone: string) {
  const { db } = database;
  const { passwordHash } = (await db.selectFrom('accounts').select('password_hash as passwordHash').where('username', '=', 'resident1').executeTakeFirstOrThrow()) as { passwordHash: string };
  const service = (await findPublishedService(db, 'building-permit'))!;
  const clerk = await db.selectFrom('accounts').select('id').where('username', '=', 'jongno.clerk').executeTakeFirstOrThrow();
  const answers = { siteAddress: '서울특별시 종로구 청운동 12-3', use: 'detached-house', floorArea: 180, floors: 2, hasBasement: false, architectName: '김건축', architectLicence: '12345', contactPhone: '010-1234-5678', declaration: true };
  const add = (username: string) => db.insertInto('accounts').values({ kind: 'resident', username, display_name: username, email: `${username}@bench.example.kr`, password_hash: passwordHash }).returning('id').executeTakeFirstOrThrow();
  for (let i = 1; i <= readers; i++) {
    const { id: accountId } = await add(`reader${i}`);
    const applicationId = await insertDraft(db, { serviceId: service.serviceId, serviceVersion: service.version, agencyId: service.agencyId, departmentId: service.departmentId, applicantAccountId: accountId, businessId: null });
    await saveAnswers(db, applicationId, answers);
    await submitApplication(db, { applicationId, accountId, timeZone });
    await takeAction(db, { applicationId, accountId: clerk.id, action: 'accept', timeZone });
  }
  const moveIn = (await findPublishedService(db, 'move-in-report'))!;
  const moveInAnswers = { newAddress: '서울특별시 종로구 삼봉로 43', movedOn: '2026-11-02', householdMembers: 1, contactPhone: '010-1234-5678' };
  for (let i = 1; i <= writers; i++) {
    const { id: accountId } = await add(`writer${i}`);
    for (let d = 0; d < writerDrafts; d++) {
      const draft = await insertDraft(db, { serviceId: moveIn.serviceId, serviceVersion: moveIn.version, agencyId: moveIn.agencyId, departmentId: moveIn.departmentId, applicantAccountId: accountId, businessId: null });
      await saveAnswers(db, draft, moveInAnswers);
    }
  }
}

/**
 * The real Nara as server.ts starts it (migrate, seed, build, listen, job runner), on
 * PGlite in memory, listening on a free port of 127.0.0.1.
 */
export async function startNara(options: NaraOptions = {}): Promise<Server> {
  const config = loadConfig(
    { NODE_ENV: 'test', LOG_LEVEL: 'warn', DATA_DIR: '/nonexistent-bench-dir' },
    { host: '127.0.0.1', port: 0, demoResidents: 500, ...options.config },
  );
  // As server.ts runs it: the embedded database on a thread of its own, V8's workers lowered.
  lowerPlatformWorkerPriority(BACKGROUND_NICE);
  const database = await openDatabase({ dataDir: 'memory://', thread: true });
  try {
    await migrate(database.db, loadMigrations(migrationSources));
    await seedDemoData(database, config);
    if (options.readers || options.writers) await addBenchResidents(database, options.readers ?? 0, options.writers ?? 0, options.writerDrafts ?? 0, config.timeZone);
    const { app, jobs } = await buildApp({ config, database });
    let url: string;
    try {
      url = await app.listen({ host: config.host, port: config.port });
    } catch (error) {
      await app.close();
      throw error;
    }
    jobs.start();
    return {
      url,
      async close() {
        await app.close();
        await database.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}
