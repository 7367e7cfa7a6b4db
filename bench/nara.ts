import { loadConfig, type Config } from '../src/config.ts';
import { openDatabase } from '../src/platform/db/database.ts';
import { loadMigrations, migrate } from '../src/platform/db/migrate.ts';
import { buildApp, migrationSources } from '../src/app.ts';
import { seedDemoData } from '../src/seed.ts';
import type { Server } from './servers.ts';

export interface NaraOptions {
  config?: Partial<Config>;
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
  // As server.ts runs it: the embedded database on a thread of its own.
  const database = await openDatabase({ dataDir: 'memory://', thread: true });
  try {
    await migrate(database.db, loadMigrations(migrationSources));
    await seedDemoData(database, config);
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
