import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { generate } from 'otplib';
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

/** The whole app over a fresh database, demo data loaded (a small population, no demo applications unless asked) unless `seed: false`. */
export async function testApp(options: { seed?: boolean; demoApplications?: boolean; config?: Partial<Config>; beforeReady?: (app: FastifyInstance) => void } = {}): Promise<TestApp> {
  const database = await testDatabase();
  const config = testConfig(options.config);
  // Most tests count applications of their own; the demo's filed ones only when asked for.
  if (options.seed !== false) await seedDemoData(database, config, { applications: options.demoApplications ?? false });
  const { app, jobs } = await buildApp({ config, database, logger: config.logLevel === 'silent' ? false : { level: config.logLevel } });
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

// What a test "user" wrote down while enrolling a second factor, per app and username.
const authenticators = new WeakMap<FastifyInstance, Map<string, { secret: string; recovery: string[] }>>();

/** Reads the secret off the enrolment page, as a person would type it into an app. */
export function secretFrom(html: string): string {
  const match = /id="totp-secret">([^<]+)</.exec(html);
  if (!match) throw new Error('page shows no TOTP secret');
  return match[1]!.replace(/\s/g, '');
}

/**
 * Completes the second factor of a pending sign-in: enrols on first use (keeping the
 * recovery codes), later uses a recovery code, since a TOTP code is refused twice in one
 * 30-second step and tests sign in faster than that.
 */
export async function passSecondFactor(app: FastifyInstance, username: string, cookie: string): Promise<string> {
  const page = await app.inject({ method: 'GET', url: '/sign-in/second-factor', headers: { cookie } });
  let known = authenticators.get(app)?.get(username);
  let code: string;
  if (page.body.includes('id="totp-secret"')) {
    const secret = secretFrom(page.body);
    code = await generate({ secret });
    known = { secret, recovery: [] };
  } else {
    if (!known) throw new Error(`${username} has a second factor this test did not enrol`);
    code = known.recovery.shift() ?? (await generate({ secret: known.secret }));
  }
  const res = await app.inject({ method: 'POST', url: '/sign-in/second-factor', headers: { cookie }, payload: { code, _csrf: csrfFrom(page.body) } });
  if (res.statusCode === 200) known!.recovery = [...res.body.matchAll(/<code>([a-z0-9]{5}-[a-z0-9]{5})<\/code>/g)].map((m) => m[1]!);
  else if (res.statusCode !== 303) throw new Error(`second factor for ${username} failed: ${res.statusCode}`);
  if (!authenticators.has(app)) authenticators.set(app, new Map());
  authenticators.get(app)!.set(username, known!);
  return cookiesFrom(res, cookie);
}

/** Signs in through the real forms (and second factor); returns the signed-in browser's cookies. */
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
  if (response.headers.location === '/sign-in/second-factor') cookie = await passSecondFactor(app, username, cookie);
  return cookie;
}

/**
 * Submits a form as a browser would: opens the page that carries it (for the session's CSRF
 * token), then posts the fields, repeating a name for each value of a list.
 */
export async function postForm(app: FastifyInstance, cookie: string, pageUrl: string, url: string, fields: Record<string, string | string[]>): Promise<LightMyRequestResponse> {
  const page = await app.inject({ method: 'GET', url: pageUrl, headers: { cookie } });
  const body = new URLSearchParams();
  body.append('_csrf', csrfFrom(page.body));
  for (const [name, value] of Object.entries(fields)) for (const one of [value].flat()) body.append(name, one);
  return app.inject({ method: 'POST', url, headers: { cookie: cookiesFrom(page, cookie), 'content-type': 'application/x-www-form-urlencoded' }, payload: body.toString() });
}

/** Waits (up to five seconds) until `check` answers true: for what the app writes a moment later. */
export async function eventually(check: () => Promise<boolean>, what = 'the condition'): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${what} did not happen within five seconds`);
}
