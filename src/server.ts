import { performance } from 'node:perf_hooks';
import { ConfigError, loadConfig } from './config.ts';
import { openDatabase } from './platform/db/database.ts';
import { lockDataDir } from './platform/db/data-dir-lock.ts';
import { loadMigrations, migrate } from './platform/db/migrate.ts';
import { buildApp, migrationSources } from './app.ts';
import { seedDemoData } from './seed.ts';
import { DEMO_PASSWORD } from './modules/identity/index.ts';
import { BACKGROUND_NICE, lowerPlatformWorkerPriority } from './platform/threads/thread-priority.ts';

const started = performance.now();
// Garbage collection for the background threads (certificate rendering) runs on these.
lowerPlatformWorkerPriority(BACKGROUND_NICE);
let config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(78); // EX_CONFIG
  }
  throw error;
}

let unlock = () => {};
if (!config.databaseUrl) {
  try {
    unlock = lockDataDir(config.dataDir);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}
const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: config.databasePoolSize, thread: true });
const applied = await migrate(database.db, loadMigrations(migrationSources));
const seed = config.seedDemo ? await seedDemoData(database, config) : undefined;
const { app, jobs } = await buildApp({ config, database });
if (applied.length > 0) app.log.info({ applied }, 'migrations applied');

await app.listen({ host: config.host, port: config.port });
jobs.start();

const seconds = ((performance.now() - started) / 1000).toFixed(1);
const where = database.kind === 'pglite' ? `embedded PostgreSQL (PGlite) in ${config.dataDir}` : 'PostgreSQL';
const lines = [
  '',
  `  Nara is running at ${config.publicUrl}  (started in ${seconds} s, ${where})`,
  `  API reference: ${config.publicUrl}/api/docs`,
  `  Sign in with Nara (OpenID Provider): ${config.publicUrl}/.well-known/openid-configuration`,
  '    register a service with: npm run nara -- oidc-client create --name "…" --redirect-uri URL',
  `  Public transparency log: ${config.publicUrl}/transparency (RFC 6962 API under /transparency/v1/)`,
  `  Certificates: ${config.publicUrl}/certificates; anyone checks one at ${config.publicUrl}/verify, a mobile ID at ${config.publicUrl}/mobile-id/check`,
];
if (seed) {
  if (seed.seeded) lines.push(`  Demo data loaded: 8 agencies, ${seed.services} services, ${seed.residents} synthetic residents, ${seed.businesses} businesses, ${seed.applications ?? 0} applications with their steps.`);
  lines.push(`  Civil services: ${config.publicUrl}/services (apply as a resident; officials process them at /work)`);
  const residents = seed.accounts.filter((a) => a.kind === 'resident').slice(0, 3);
  const officials = seed.accounts.filter((a) => a.kind === 'official');
  lines.push(`  Demo sign-ins at ${config.publicUrl}/sign-in, password for all: ${DEMO_PASSWORD}`);
  for (const a of [...residents, ...officials]) lines.push(`    ${a.username.padEnd(18)} ${a.description}`);
  lines.push('  Officials set up an authenticator (TOTP) app at their first sign-in; clerks serve residents at /counter.');
  if (config.smtpUrl === undefined) lines.push(`  E-mail is not sent (no SMTP_URL); see ${config.publicUrl}/dev/mailbox`);
}
console.log(`${lines.join('\n')}\n`);

let closing = false;
async function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  app.log.info({ signal }, 'shutting down');
  const force = setTimeout(() => process.exit(1), 10_000);
  force.unref();
  await app.close();
  await database.close();
  unlock();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
