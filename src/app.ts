import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { Config } from './config.ts';
import type { Database } from './platform/db/database.ts';
import { loadMigrations, type MigrationSource } from './platform/db/migrate.ts';
import { createI18n } from './platform/i18n/i18n.ts';
import { platformMessages } from './platform/i18n/messages.ts';
import { createMetrics } from './platform/http/metrics.ts';
import { createSessions } from './platform/http/sessions.ts';
import { createExpiringCache } from './platform/cache/expiring-cache.ts';
import { createPageContext, registerPlatform } from './platform/http/platform.ts';
import { createRateLimiter } from './platform/http/rate-limit.ts';
import { createJobRunner, enqueueJob, type JobRunner } from './platform/jobs/jobs.ts';
import { createFieldEncryption } from './platform/crypto/field-encryption.ts';
import { accountContact, todayIn, createAgencyDirectory, createSecondFactor, createSignInThrottle, identityMenu, identityMessages, identityMigrations, identityRoutes, loadViewAccount, ACCOUNT_CHANGED_CHANNEL, createOidcEndpoints, createMachineAuthenticator, purgeOidcPayloads } from './modules/identity/index.ts';
import { registryMigrations } from './modules/registry/index.ts';
import { createEmailSender, createMailTransport, EMAIL_QUEUE, notificationMessages, notificationMigrations, notificationRoutes } from './modules/notifications/index.ts';
import { operationsMessages, operationsRoutes } from './modules/operations/index.ts';
import { catalogueMessages, catalogueMigrations, catalogueRoutes } from './modules/catalogue/index.ts';
import { createTransparencyLog, transparencyMessages, transparencyMigrations, transparencyRoutes } from './modules/transparency/index.ts';
import { createCertificateRenderer, createVerificationLog, createIssuerKeys, createStatusLists, createVerifier, documentRoutes, documentsMenu, documentsMessages, documentsMigrations, issueOnApproval } from './modules/documents/index.ts';
import { stepRecords, APPROVED_QUEUE, SCAN_QUEUE, createAttachmentScanner, govstackRoutes, applicationApiRoutes, applicationMenu, applicationMessages, applicationMigrations, applicationRoutes, createStepEvents, escalateOverdue, serviceFigures } from './modules/applications/index.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
export const version: string = JSON.parse(readFileSync(path.join(here, '../package.json'), 'utf8')).version;

/** Every module's migrations, platform first; order matters only within an owner. */
export const migrationSources: MigrationSource[] = [
  { owner: 'platform', dir: path.join(here, 'platform/db/migrations') },
  identityMigrations,
  registryMigrations,
  notificationMigrations,
  catalogueMigrations,
  applicationMigrations,
  transparencyMigrations,
  documentsMigrations,
];

export const catalogues = [platformMessages, identityMessages, notificationMessages, catalogueMessages, applicationMessages, transparencyMessages, documentsMessages, operationsMessages];

export interface BuiltApp {
  app: FastifyInstance;
  jobs: JobRunner;
}

export interface BuildOptions {
  config: Config;
  database: Database;
  /** pino options, or false for silence (tests) */
  logger?: FastifyServerOptions['logger'];
}

const MAINTENANCE_QUEUE = 'platform.maintenance';

/** The composition root: platform plugins, then each module, wired explicitly. */
export async function buildApp({ config, database, logger }: BuildOptions): Promise<BuiltApp> {
  const { db } = database;
  const production = config.env === 'production';
  const app = Fastify({
    logger: logger ?? { level: config.logLevel },
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{8,64}$/.test(given) ? given : randomUUID();
    },
    // Trusting X-Forwarded-For from anyone would let a client choose its own address.
    trustProxy: config.trustProxy.trim() === '' ? false : config.trustProxy,
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<TypeBoxTypeProvider>();

  const migrations = loadMigrations(migrationSources);
  const i18n = createI18n(catalogues);
  const metrics = createMetrics(database.poolStats);
  // Secure cookies everywhere but development, where Nara is plain http on localhost.
  const secureCookies = config.env !== 'development';
  const sessions = createSessions({ db, secret: config.sessionSecret, secure: secureCookies });
  const directory = createAgencyDirectory(db);
  const throttle = createSignInThrottle(db, config.sessionSecret);
  const encryption = createFieldEncryption(config.dataKey);
  const transport = createMailTransport(config.smtpUrl);
  const rateLimiter = createRateLimiter(db, database.kind);
  const devMailbox = !production && transport.kind === 'dev-mailbox';
  const issuerKeys = createIssuerKeys(db, encryption);
  const renderer = createCertificateRenderer({ size: config.renderWorkers });
  const verificationLog = createVerificationLog(db, { onError: (err) => app.log.warn({ err }, 'could not record certificate verifications; retrying') });
  const issueDeps = { db, keys: issuerKeys, render: (view: Parameters<typeof renderer.render>[0]) => renderer.render(view), i18n, publicUrl: config.publicUrl, timeZone: config.timeZone };
  const transparencyLog = createTransparencyLog({ db, encryption, intervalMs: config.logIntervalMs, log: app.log, sources: [stepRecords] });

  // The address and language each notification's e-mail goes to: kept ten seconds like the
  // signed-in account below, and forgotten at once when the database announces a change.
  const recentContacts = createExpiringCache<number, Awaited<ReturnType<typeof accountContact>>>({ ttlMs: 10_000, maxEntries: 50_000 });
  const jobs = createJobRunner({
    db,
    pollMs: config.jobPollMs,
    log: app.log,
    onOutcome: (queue, outcome) => metrics.jobs.inc({ queue, outcome }),
    handlers: {
      [EMAIL_QUEUE]: createEmailSender({ db, i18n, transport, mailFrom: config.mailFrom, publicUrl: config.publicUrl, contact: (id) => recentContacts.get(id, () => accountContact(db, id)) }),
      [SCAN_QUEUE]: createAttachmentScanner({ db, command: config.virusScanCommand }),
      [APPROVED_QUEUE]: async (payload) => {
        await issueOnApproval({ ...issueDeps, encryption }, Number(payload.applicationId), todayIn(config.timeZone));
      },
      [MAINTENANCE_QUEUE]: async () => {
        await sessions.purgeExpired();
        await rateLimiter.purge();
        await throttle.purge();
        await purgeOidcPayloads(db);
        await directory.refresh();
        await escalateOverdue(db, config.timeZone);
        // PGlite has no autovacuum: without fresh statistics the planner walks the wrong index
        // (a proof by leaf hash scanned the whole log).
        if (database.kind === 'pglite') await sql`analyze`.execute(db);
      },
    },
  });

  // The signed-in account's name and standing, shown on every page: kept ten seconds, and
  // forgotten at once when the database announces a change to either, from any instance
  // (use cases check the account themselves).
  const recentAccounts = createExpiringCache<number, Awaited<ReturnType<typeof loadViewAccount>>>({ ttlMs: 10_000, maxEntries: 50_000 });
  const stopHearingAccounts = await database.listen(ACCOUNT_CHANGED_CHANNEL, (id) => {
    recentAccounts.forget(Number(id));
    recentContacts.forget(Number(id));
  });
  const stopHearingSessions = await sessions.hearChanges((channel, listener) => database.listen(channel, listener));
  app.addHook('onClose', async () => {
    stopHearingAccounts();
    stopHearingSessions();
  });
  const viewAccounts = (id: number) => recentAccounts.get(id, () => loadViewAccount(db, id));
  const platformDeps = {
    db,
    i18n,
    sessions,
    metrics,
    production,
    secureCookies,
    rateLimitPerMinute: config.rateLimitPerMinute,
    rateLimiter,
    loadAccount: viewAccounts,
    footerAgencies: directory.footer,
    menu: [...applicationMenu, ...documentsMenu, ...identityMenu, { href: '/transparency', labelKey: 'menu.transparency' }],
  };
  const pageContext = createPageContext(platformDeps);

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Nara API', version, description: 'Public and inter-agency API of the Nara digital-government platform.' },
      servers: [{ url: config.publicUrl }],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An access token from POST /oidc/token (client credentials) of a machine client registered for one agency.' }, session: { type: 'apiKey', in: 'cookie', name: 'nara_sid', description: 'A signed-in Nara session; writes also need its CSRF token (GET /api/v1/session) in the x-csrf-token header.' } } },
      tags: [
        { name: 'operations', description: 'Health, readiness and metrics' },
        { name: 'identity', description: 'Agencies, departments and accounts' },
        { name: 'catalogue', description: 'Services, their rules and public processing figures' },
        { name: 'govstack', description: 'The GovStack Registration building block API (for systems through an Information Mediator); on when GOVSTACK_CLIENTS names clients' },
        { name: 'documents', description: 'Certificates: verification by anyone, issuers’ keys and status lists, and the W3C VC-API (issue: machine clients with a client-credentials bearer token)' },
        { name: 'applications', description: "Applying, tracking, and officials' processing. Signed-in session (cookie) with the session's CSRF token in x-csrf-token for writes." },
      ],
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs', staticCSP: true, uiConfig: { docExpansion: 'list', deepLinking: true } });
  await registerPlatform(app, platformDeps);
  // The embedded database on its own thread: its replies are taken between requests too
  // (see takeReplies), so a transaction is not held up by a whole turn of the event loop.
  const takeReplies = database.takeReplies;
  if (takeReplies) {
    const take = (_request: unknown, _reply: unknown, done: () => void) => {
      takeReplies();
      done();
    };
    app.addHook('onRequest', take);
    app.addHook('onResponse', take);
  }

  await app.register(operationsRoutes({ db, migrations, metrics, version, databaseKind: database.kind, pageContext }));
  await app.register(catalogueRoutes({ db, pageContext, directory, timeZone: config.timeZone, figures: (serviceId) => serviceFigures(db, serviceId, config.timeZone) }));
  const stepEvents = createStepEvents();
  await stepEvents.connect((channel, listener) => database.listen(channel, listener));
  app.addHook('onClose', async () => stepEvents.disconnect());
  await app.register(applicationRoutes({ db, pageContext, directory, timeZone: config.timeZone, events: stepEvents }));
  await app.register(applicationApiRoutes({ db, timeZone: config.timeZone }));
  const govstackClients = config.govstackClients.split(',').map((c) => c.trim()).filter(Boolean);
  if (govstackClients.length > 0) await app.register(govstackRoutes({ db, directory, timeZone: config.timeZone, clients: govstackClients }));
  await app.register(identityRoutes({ db, sessions, pageContext, directory, showDemoHint: config.seedDemo && !production, timeZone: config.timeZone, throttle, secureCookies, encryption, codeSecret: config.sessionSecret, secondFactor: createSecondFactor({ db, encryption, codeSecret: config.sessionSecret, issuer: 'Nara' }), publicUrl: config.publicUrl, production }));
  const openId = createOidcEndpoints({ db, encryption, pageContext, sessions, issuer: config.publicUrl, cookieSecret: config.sessionSecret, secureCookies, behindProxy: config.trustProxy.trim() !== '', timeZone: config.timeZone });
  await app.register(openId.routes);

  await app.register(transparencyRoutes({ db, log: transparencyLog, pageContext, timeZone: config.timeZone }));
  await app.register(
    documentRoutes({
      issue: issueDeps,
      encryption,
      verifier: createVerifier({ db, publicUrl: config.publicUrl, log: verificationLog }),
      verificationLog,
      statusLists: createStatusLists({ db, keys: issuerKeys, publicUrl: config.publicUrl }),
      pageContext,
      authenticateMachine: createMachineAuthenticator({ db, oidc: openId.oidc }),
    }),
  );
  await app.register(notificationRoutes({ db, pageContext, timeZone: config.timeZone, devMailbox }));

  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  app.addHook('onReady', async () => {
    await directory.refresh();
    // A log that has never signed a head signs one now, so get-sth answers from the start.
    await transparencyLog.open();
  });
  let maintenance: NodeJS.Timeout | undefined;
  app.addHook('onListen', async () => {
    // Every instance offers the maintenance job every five minutes; the dedupe key lets
    // exactly one of them run it per slot.
    const offer = () =>
      enqueueJob(db, MAINTENANCE_QUEUE, {}, { dedupeKey: `maintenance:${Math.floor(Date.now() / 300_000)}` }).catch((err) => app.log.warn({ err }, 'could not queue maintenance'));
    void offer();
    maintenance = setInterval(offer, 300_000);
    maintenance.unref();
    transparencyLog.start();
  });
  app.addHook('onClose', async () => {
    if (maintenance) clearInterval(maintenance);
    await transparencyLog.stop();
    await jobs.stop();
    await renderer.close();
    await verificationLog.close();
    transport.close();
  });

  return { app, jobs };
}
