import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { loadConfig, type Config } from '../../src/config.ts';
import { openDatabase, type Database } from '../../src/platform/db/database.ts';
import { loadMigrations, migrate } from '../../src/platform/db/migrate.ts';
import { buildApp, migrationSources } from '../../src/app.ts';
import { seedDemoData } from '../../src/seed.ts';
import { DEMO_PASSWORD } from '../../src/modules/identity/index.ts';
import type { JobRunner } from '../../src/platform/jobs/jobs.ts';

export const onPostgres = Boolean(process.env.TEST_DATABASE_URL);

/**
 * A fresh, migrated database for one test file: PGlite in memory, or, when
 * TEST_DATABASE_URL is set, a schema of its own on that PostgreSQL so files run in parallel.
 */
export async function testDatabase(): Promise<Database> {
  const url = process.env.TEST_DATABASE_URL;
  let database: Database;
  if (url) {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    await admin.end();
    const inner = await openDatabase({ databaseUrl: url, dataDir: 'unused', poolSize: 4, schema });
    database = {
      ...inner,
      async close() {
        await inner.close();
        const c = new pg.Client({ connectionString: url });
        await c.connect();
        await c.query(`drop schema ${schema} cascade`);
        await c.end();
      },
    };
  } else {
    database = await openDatabase({ dataDir: 'memory://' });
  }
  await migrate(database.db, loadMigrations(migrationSources));
  return database;
}

export function testConfig(overrides: Partial<Config> = {}): Config {
  return loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: '/nonexistent-test-dir' }, { demoResidents: 120, jobPollMs: 50, ...overrides });
}

export interface TestApp {
  app: FastifyInstance;
  jobs: JobRunner;
  database: Database;
  config: Config;
  close(): Promise<void>;
}

/** The whole app over a fresh database, demo data loaded (a small population) unless `seed: false`. */
export async function testApp(options: { seed?: boolean; config?: Partial<Config>; beforeReady?: (app: FastifyInstance) => void } = {}): Promise<TestApp> {
  const database = await testDatabase();
  const config = testConfig(options.config);
  if (options.seed !== false) await seedDemoData(database, config);
  const { app, jobs } = await buildApp({ config, database, logger: false });
  options.beforeReady?.(app);
  await app.ready();
  return {
    app,
    jobs,
    database,
    config,
    async close() {
      await app.close();
      await database.close();
    },
  };
}

/** Cookies a response sets, as one Cookie header value to send back. */
export function cookiesFrom(response: LightMyRequestResponse, previous = ''): string {
  const jar = new Map(previous.split('; ').filter(Boolean).map((c) => c.split('=') as [string, string]));
  for (const c of response.cookies) {
    if (c.maxAge === 0 || c.value === '') jar.delete(c.name);
    else jar.set(c.name, c.value);
  }
  return [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
}

export function csrfFrom(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('page has no CSRF token');
  return match[1]!;
}

/** Signs in through the real form; returns the cookie header of the signed-in browser. */
export async function signIn(app: FastifyInstance, username: string, password = DEMO_PASSWORD): Promise<string> {
  const page = await app.inject({ method: 'GET', url: '/sign-in' });
  let cookie = cookiesFrom(page);
  const response = await app.inject({
    method: 'POST',
    url: '/sign-in',
    headers: { cookie },
    payload: { username, password, _csrf: csrfFrom(page.body) },
  });
  if (response.statusCode !== 303) throw new Error(`sign-in as ${username} failed: ${response.statusCode}`);
  cookie = cookiesFrom(response, cookie);
  return cookie;
}
