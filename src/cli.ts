import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync, accessSync, constants } from 'node:fs';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'kysely';
import { ConfigError, configVariables, loadConfig, type Config } from './config.ts';
import { openDatabase, type Database } from './platform/db/database.ts';
import { loadMigrations, migrate, pendingMigrations } from './platform/db/migrate.ts';
import { migrationSources } from './app.ts';
import { seedDemoData } from './seed.ts';
import { listHolidays, removeHoliday, setHoliday } from './modules/applications/index.ts';
import { createOfficial, disableOidcClient, listOidcClients, MACHINE_SCOPES, OIDC_SCOPES, registerMachineClient, registerOidcClient, roles } from './modules/identity/index.ts';
import { createFieldEncryption } from './platform/crypto/field-encryption.ts';
import { DomainError } from './platform/http/errors.ts';
import { createI18n } from './platform/i18n/i18n.ts';
import { catalogues } from './app.ts';
import { isServerRunning } from './platform/db/data-dir-lock.ts';
import { runLogAudit, runLogMonitor } from './log-commands.ts';
import { listIssuerKeys, rotateIssuerKey } from './modules/documents/index.ts';

const run = promisify(execFile);

const usage = `Usage: npm run nara -- <command> [options]

Commands:
  migrate                         apply pending database migrations
  seed                            load the demo data (only into an empty database)
  create-official --username U --name "Name" --email E --agency CODE
                  [--department CODE] --roles clerk,approver [--password P]
                                  create an official; without --password one is generated and printed once
  oidc-client create --name "Name" --redirect-uri URL [--redirect-uri URL ...] [--scope "openid profile ..."]
                                  register a service that signs people in with Nara; prints its
                                  client id and secret as JSON (the secret is shown only once)
  oidc-client create --machine --agency CODE --name "Name" [--scope credentials:issue]
                                  register an agency's system that calls Nara's APIs for that agency
                                  alone (OAuth client credentials; no redirect URIs, signs no one
                                  in); prints its client id and secret as JSON, the secret once
  oidc-client list                the registered services and machine clients, as JSON
  oidc-client disable --client-id ID
                                  stop a service signing anyone in and withdraw every consent to it;
                                  a machine client's tokens stop working at once
  holiday list [--year YYYY]      the public holidays deadlines skip, as JSON
  holiday set --date YYYY-MM-DD --name-ko "…" --name-en "…"
                                  add a public holiday (or rename one)
  holiday remove --date YYYY-MM-DD
                                  remove a day from the holiday calendar
  backup [--out FILE]             embedded database: a .tar.gz of the data directory;
                                  PostgreSQL: a pg_dump custom-format file
  restore --from FILE             replace the database with a backup (stop Nara first)
  doctor                          check configuration, database and migrations
  issuer-key list --agency CODE   an agency's certificate signing keys (retired ones included), as JSON
  issuer-key rotate --agency CODE retire the agency's signing key and make a new one; what the old key
                                  signed stays verifiable (it stays published); prints the keys as JSON
  log audit [--json]              recompute the transparency log from the database and check every
                                  signed head and every logged record; exit code 1 on any problem
  log monitor --url URL [--state FILE] [--follow] [--interval SECONDS]
                                  check a Nara's log from outside: pins its key on the first run,
                                  then verifies each new head extends the last one seen (state in
                                  FILE, default nara-log-monitor-HOST.json); --follow checks every
                                  SECONDS (default 60) until stopped; needs no database

Roles: ${roles.join(', ')}
OpenID scopes: ${OIDC_SCOPES.join(', ')}
Machine scopes: ${MACHINE_SCOPES.join(', ')}`;

function fail(message: string): never {
  console.error(`error: ${message}`);
  process.exit(1);
}

/** Stops with a domain error's message and each field's problem, in plain English. */
function failWith(error: unknown): never {
  if (!(error instanceof DomainError)) throw error;
  const t = createI18n(catalogues).translator('en');
  const fields = error.details.fields?.map((f) => `  --${f.field}: ${t(f.messageKey, f.params)}`).join('\n');
  fail(fields ? `${t(error.messageKey)}\n${fields}` : t(error.messageKey, error.details.params));
}

function timestamp() {
  return new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
}

async function withDatabase<T>(config: Config, fn: (database: Database) => Promise<T>): Promise<T> {
  if (!config.databaseUrl && isServerRunning(config.dataDir)) {
    fail(`Nara is running on ${config.dataDir}; the embedded database has one user at a time. Stop it first.`);
  }
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
}

async function logMonitor(args: string[]) {
  const { values } = parseArgs({ args, options: { url: { type: 'string' }, state: { type: 'string' }, follow: { type: 'boolean' }, interval: { type: 'string' } } });
  if (!values.url) fail(`--url is required\n\n${usage}`);
  if (!URL.canParse(values.url) || !/^https?:$/.test(new URL(values.url).protocol)) fail(`--url must be an http(s) address, not ${values.url}`);
  const interval = values.interval === undefined ? 60 : Number(values.interval);
  if (!(interval > 0)) fail('--interval must be a number of seconds above 0');
  const stop = new AbortController();
  if (values.follow) {
    // Ctrl-C ends a --follow between checks, never in the middle of writing the state.
    process.once('SIGINT', () => stop.abort());
    process.once('SIGTERM', () => stop.abort());
  }
  try {
    process.exitCode = await runLogMonitor({
      url: values.url, follow: values.follow ?? false, intervalSeconds: interval, signal: stop.signal, out: (line) => console.log(line),
      ...(values.state ? { stateFile: values.state } : {}),
    });
  } catch (error) {
    fail((error as Error).message);
  }
}

async function main() {
  const [command, ...rest] = process.argv.slice(2);
  if (!command || command === 'help' || command === '--help') {
    console.log(usage);
    return;
  }
  // An outside observer: it runs where no Nara is installed, so it needs no configuration.
  if (command === 'log' && rest[0] === 'monitor') {
    await logMonitor(rest.slice(1));
    return;
  }
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
  const migrations = loadMigrations(migrationSources);

  switch (command) {
    case 'migrate': {
      await withDatabase(config, async ({ db }) => {
        const applied = await migrate(db, migrations);
        console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Database is up to date.');
      });
      return;
    }
    case 'seed': {
      await withDatabase(config, async (database) => {
        await migrate(database.db, migrations);
        const result = await seedDemoData(database, config);
        console.log(result.seeded ? `Demo data loaded: ${result.residents} residents, ${result.businesses} businesses, ${result.accounts.length} accounts.` : 'The database already has data; nothing loaded.');
      });
      return;
    }
    case 'create-official': {
      const { values } = parseArgs({
        args: rest,
        options: {
          username: { type: 'string' }, name: { type: 'string' }, email: { type: 'string' }, agency: { type: 'string' },
          department: { type: 'string' }, roles: { type: 'string' }, password: { type: 'string' },
        },
      });
      for (const required of ['username', 'name', 'email', 'agency', 'roles'] as const) {
        if (!values[required]) fail(`--${required} is required\n\n${usage}`);
      }
      const generated = values.password ? undefined : randomBytes(12).toString('base64url');
      await withDatabase(config, async ({ db }) => {
        try {
          const { accountId } = await createOfficial(db, {
            username: values.username!, displayName: values.name!, email: values.email!, agencyCode: values.agency!,
            ...(values.department ? { departmentCode: values.department } : {}),
            roles: values.roles!.split(',').map((r) => r.trim()).filter(Boolean),
            password: values.password ?? generated!,
            actor: { accountId: null },
          });
          console.log(`Created official #${accountId} (${values.username}).`);
          if (generated) console.log(`Password (shown once, ask them to change it): ${generated}`);
        } catch (error) {
          failWith(error);
        }
      });
      return;
    }
    case 'oidc-client': {
      const [action, ...args] = rest;
      const { values } = parseArgs({
        args,
        options: {
          name: { type: 'string' }, 'redirect-uri': { type: 'string', multiple: true }, scope: { type: 'string' }, 'client-id': { type: 'string' },
          machine: { type: 'boolean' }, agency: { type: 'string' },
        },
      });
      if (action === 'create' && values.machine) {
        if (!values.agency) fail(`--agency is required for a machine client\n\n${usage}`);
        if (values['redirect-uri']) fail('a machine client signs no one in, so it has no --redirect-uri');
      } else if (values.agency) {
        fail('--agency is only for a machine client (--machine)');
      }
      await withDatabase(config, async ({ db }) => {
        await migrate(db, migrations);
        try {
          if (action === 'create') {
            if (!values.name) fail(`--name is required\n\n${usage}`);
            const encryption = createFieldEncryption(config.dataKey);
            const client = values.machine
              ? await registerMachineClient(db, encryption, { name: values.name, agencyCode: values.agency!, scope: values.scope ?? 'credentials:issue' })
              : await registerOidcClient(db, encryption, { name: values.name, redirectUris: values['redirect-uri'] ?? [], ...(values.scope ? { scope: values.scope } : {}) });
            console.log(JSON.stringify(client, null, 2));
          } else if (action === 'list') {
            console.log(JSON.stringify(await listOidcClients(db), null, 2));
          } else if (action === 'disable') {
            if (!values['client-id']) fail(`--client-id is required\n\n${usage}`);
            await disableOidcClient(db, values['client-id']);
            console.log(`Disabled ${values['client-id']}; its consents and tokens are withdrawn.`);
          } else {
            fail(`unknown oidc-client action ${action ?? '(none)'}\n\n${usage}`);
          }
        } catch (error) {
          failWith(error);
        }
      });
      return;
    }
    case 'holiday': {
      const [action, ...args] = rest;
      const { values } = parseArgs({ args, options: { date: { type: 'string' }, 'name-ko': { type: 'string' }, 'name-en': { type: 'string' }, year: { type: 'string' } } });
      const by = process.env.USER ?? 'operator';
      await withDatabase(config, async ({ db }) => {
        await migrate(db, migrations);
        try {
          if (action === 'list') {
            console.log(JSON.stringify(await listHolidays(db, values.year ? Number(values.year) : undefined), null, 2));
          } else if (action === 'set') {
            await setHoliday(db, { day: values.date ?? '', nameKo: values['name-ko'] ?? '', nameEn: values['name-en'] ?? '' }, by);
            console.log(`Holiday ${values.date} set.`);
          } else if (action === 'remove') {
            if (!values.date) fail(`--date is required\n\n${usage}`);
            console.log((await removeHoliday(db, values.date, by)) ? `Removed ${values.date}.` : `${values.date} was not a holiday.`);
          } else {
            fail(`unknown holiday action ${action ?? '(none)'}\n\n${usage}`);
          }
        } catch (error) {
          failWith(error);
        }
      });
      return;
    }
    case 'backup': {
      const { values } = parseArgs({ args: rest, options: { out: { type: 'string' } } });
      mkdirSync('backups', { recursive: true });
      if (config.databaseUrl) {
        const out = values.out ?? path.join('backups', `nara-${timestamp()}.dump`);
        await run('pg_dump', ['--format=custom', '--no-owner', `--file=${out}`, config.databaseUrl]);
        console.log(`Backup written to ${out}`);
      } else {
        const out = values.out ?? path.join('backups', `nara-${timestamp()}.tar.gz`);
        await withDatabase(config, async (database) => {
          const dump = await database.dumpDataDir!();
          writeFileSync(out, Buffer.from(await dump.arrayBuffer()));
        });
        console.log(`Backup written to ${out}`);
      }
      return;
    }
    case 'restore': {
      const { values } = parseArgs({ args: rest, options: { from: { type: 'string' } } });
      if (!values.from || !existsSync(values.from)) fail('--from FILE is required and must exist');
      if (config.databaseUrl) {
        await run('pg_restore', ['--clean', '--if-exists', '--no-owner', `--dbname=${config.databaseUrl}`, values.from]);
        console.log(`Restored ${values.from} into PostgreSQL.`);
      } else {
        if (isServerRunning(config.dataDir)) fail('Stop Nara before restoring.');
        const pgdata = path.join(config.dataDir, 'pgdata');
        let kept: string | undefined;
        if (existsSync(pgdata)) {
          kept = `${pgdata}.before-restore-${timestamp()}`;
          renameSync(pgdata, kept);
        }
        const archive = new Blob([readFileSync(values.from)]);
        const pglite = await PGlite.create({ dataDir: pgdata, loadDataDir: archive });
        await pglite.query('select 1');
        await pglite.close();
        console.log(`Restored ${values.from} into ${pgdata}.${kept ? ` The previous data is kept in ${kept}.` : ''}`);
      }
      return;
    }
    case 'doctor': {
      let ok = true;
      const line = (good: boolean, text: string) => {
        if (!good) ok = false;
        console.log(`${good ? '  ok  ' : ' FAIL '} ${text}`);
      };
      line(process.versions.node.startsWith('24.'), `Node.js ${process.versions.node} (24 expected)`);
      line(true, `configuration valid (NODE_ENV=${config.env})`);
      for (const v of configVariables.filter((v) => v.required)) line(Boolean(process.env[v.name]) || config.env !== 'production', `${v.name} ${process.env[v.name] ? 'set' : config.env === 'production' ? 'not set' : 'not set (development default)'}`);
      if (!config.databaseUrl) {
        try {
          mkdirSync(config.dataDir, { recursive: true });
          accessSync(config.dataDir, constants.W_OK);
          line(true, `data directory ${config.dataDir} writable`);
        } catch {
          line(false, `data directory ${config.dataDir} not writable`);
        }
      }
      if (!config.databaseUrl && isServerRunning(config.dataDir)) {
        line(true, 'Nara is running on this data directory; database checks skipped (ask /readyz instead)');
      } else {
        try {
          await withDatabase(config, async ({ db, kind }) => {
            const version = await sql<{ v: string }>`select version() as v`.execute(db);
            line(true, `database reachable (${kind}): ${version.rows[0]?.v.split(' ').slice(0, 2).join(' ')}`);
            const pending = await pendingMigrations(db, migrations);
            line(pending.length === 0, pending.length === 0 ? `all ${migrations.length} migrations applied` : `pending migrations: ${pending.join(', ')} (run: npm run nara -- migrate)`);
          });
        } catch (error) {
          line(false, `database unreachable: ${(error as Error).message}`);
        }
      }
      console.log(ok ? '\nEverything looks right.' : '\nSome checks failed.');
      if (!ok) process.exitCode = 1;
      return;
    }
    case 'issuer-key': {
      const [action, ...args] = rest;
      if (action !== 'rotate' && action !== 'list') fail(`unknown issuer-key action ${action ?? '(none)'}\n\n${usage}`);
      const { values } = parseArgs({ args, options: { agency: { type: 'string' } } });
      if (!values.agency) fail(`--agency is required\n\n${usage}`);
      await withDatabase(config, async ({ db }) => {
        try {
          const encryption = createFieldEncryption(config.dataKey);
          const keys = action === 'rotate' ? (await rotateIssuerKey(db, encryption, values.agency!)).keys : await listIssuerKeys(db, values.agency!);
          console.log(JSON.stringify(keys.map((k) => ({ kid: k.kid, created_at: k.createdAt, retired_at: k.retiredAt, jwk: k.publicJwk })), null, 2));
        } catch (error) {
          if (error instanceof DomainError && error.code === 'AGENCY_NOT_FOUND') fail(`no agency has the code ${values.agency}`);
          throw error;
        }
      });
      return;
    }
    case 'log': {
      const [action, ...args] = rest;
      if (action !== 'audit') fail(`unknown log action ${action ?? '(none)'}\n\n${usage}`);
      const { values } = parseArgs({ args, options: { json: { type: 'boolean' } } });
      await withDatabase(config, async ({ db }) => {
        const pending = await pendingMigrations(db, migrations);
        if (pending.length > 0) fail(`the database has pending migrations (${pending.join(', ')}); run: npm run nara -- migrate`);
        process.exitCode = await runLogAudit(db, { json: values.json ?? false, out: (line) => console.log(line) });
      });
      return;
    }
    default:
      fail(`unknown command "${command}"\n\n${usage}`);
  }
}

await main();
