import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import path from 'node:path';

/**
 * Every setting Nara reads from the environment, in one schema. The README's
 * configuration table is written from `configVariables` below; keep them together.
 */
export const ConfigSchema = Type.Object({
  env: Type.Union([Type.Literal('development'), Type.Literal('test'), Type.Literal('production')]),
  host: Type.String({ minLength: 1 }),
  port: Type.Integer({ minimum: 0, maximum: 65535 }),
  publicUrl: Type.String({ pattern: '^https?://' }),
  dataDir: Type.String({ minLength: 1 }),
  databaseUrl: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  databasePoolSize: Type.Integer({ minimum: 1, maximum: 200 }),
  sessionSecret: Type.String({ minLength: 32 }),
  dataKey: Type.String({ pattern: '^[0-9a-fA-F]{64}$' }),
  smtpUrl: Type.Optional(Type.String({ pattern: '^smtps?://' })),
  mailFrom: Type.String({ minLength: 3 }),
  logLevel: Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l))),
  seedDemo: Type.Boolean(),
  demoSeed: Type.Integer({ minimum: 0 }),
  demoResidents: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
  rateLimitPerMinute: Type.Integer({ minimum: 1 }),
  jobPollMs: Type.Integer({ minimum: 10 }),
  logIntervalMs: Type.Integer({ minimum: 100 }),
  renderWorkers: Type.Integer({ minimum: 1, maximum: 64 }),
  timeZone: Type.String({ minLength: 1 }),
  trustProxy: Type.String({ pattern: '^[0-9a-fA-F.:/, ]*$' }),
  virusScanCommand: Type.Optional(Type.String({ minLength: 1 })),
  govstackClients: Type.String(),
});
export type Config = Static<typeof ConfigSchema>;

interface Variable {
  name: string;
  key: keyof Config;
  description: string;
  default: string;
  /** must be set when NODE_ENV=production: a secret, or a value no default can guess */
  required?: boolean;
  parse?: (raw: string) => unknown;
}

const int = (raw: string) => (/^-?\d+$/.test(raw.trim()) ? Number(raw) : raw);
const bool = (raw: string) => (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase()) ? true : ['0', 'false', 'no', 'off'].includes(raw.toLowerCase()) ? false : raw);

export const configVariables: Variable[] = [
  { name: 'NODE_ENV', key: 'env', description: 'development, test or production', default: 'development' },
  { name: 'HOST', key: 'host', description: 'address to listen on', default: '0.0.0.0' },
  { name: 'PORT', key: 'port', description: 'port to listen on', default: '3000', parse: int },
  { name: 'PUBLIC_URL', key: 'publicUrl', description: 'the address users reach Nara at (links in e-mails, OIDC issuer)', default: 'http://localhost:PORT', required: true },
  { name: 'DATA_DIR', key: 'dataDir', description: 'where the embedded database (PGlite) keeps its files', default: './data' },
  { name: 'DATABASE_URL', key: 'databaseUrl', description: 'PostgreSQL connection; when unset Nara uses the embedded database under DATA_DIR', default: '(unset)' },
  { name: 'DATABASE_POOL_SIZE', key: 'databasePoolSize', description: 'PostgreSQL connections per instance', default: '10', parse: int },
  { name: 'SESSION_SECRET', key: 'sessionSecret', description: 'secret for session and CSRF tokens, at least 32 characters', default: 'derived from DATA_DIR in development', required: true },
  { name: 'DATA_KEY', key: 'dataKey', description: 'AES-256 key (64 hex digits) that encrypts national ID numbers at rest', default: 'derived from DATA_DIR in development', required: true },
  { name: 'SMTP_URL', key: 'smtpUrl', description: 'smtp(s)://user:pass@host:port for outgoing e-mail; when unset, e-mail goes to the development mailbox at /dev/mailbox', default: '(unset)' },
  { name: 'MAIL_FROM', key: 'mailFrom', description: 'sender address of e-mail', default: 'Nara <no-reply@nara.example>' },
  { name: 'LOG_LEVEL', key: 'logLevel', description: 'pino log level', default: 'info' },
  { name: 'SEED_DEMO', key: 'seedDemo', description: 'load demo data on first start', default: 'true outside production', parse: bool },
  { name: 'DEMO_SEED', key: 'demoSeed', description: 'seed of the synthetic population', default: '20261122', parse: int },
  { name: 'DEMO_RESIDENTS', key: 'demoResidents', description: 'how many synthetic residents the demo data has', default: '3000', parse: int },
  { name: 'RATE_LIMIT_PER_MINUTE', key: 'rateLimitPerMinute', description: 'form submissions and API writes per client address per minute', default: '120', parse: int },
  { name: 'JOB_POLL_MS', key: 'jobPollMs', description: 'how often the job runner looks for due jobs', default: '1000', parse: int },
  { name: 'LOG_INTERVAL_MS', key: 'logIntervalMs', description: 'how often the transparency log places new entries in its tree and signs a tree head if it grew (a head is signed at least hourly regardless)', default: '2000', parse: int },
  { name: 'RENDER_WORKERS', key: 'renderWorkers', description: 'worker threads that render certificate PDFs (started on first use, idle ones cost nothing)', default: 'the number of cores less one (at least one)', parse: int },
  { name: 'TRUST_PROXY', key: 'trustProxy', description: 'addresses or CIDR ranges of the load balancers in front of Nara, comma-separated (e.g. 10.0.0.0/8); only their X-Forwarded-For is believed for the client address. Empty when clients connect directly', default: '(empty)' },
  { name: 'VIRUS_SCAN_COMMAND', key: 'virusScanCommand', description: 'a command that scans one uploaded file, given its path as the last argument (e.g. "clamdscan --no-summary"): exit 0 clean, 1 infected, anything else retried later. When unset, uploads are kept marked as not scanned', default: '(unset)' },
  { name: 'GOVSTACK_CLIENTS', key: 'govstackClients', description: 'Information Mediator clients (INSTANCE/CLASS/MEMBER/SUBSYSTEM, comma-separated) allowed to use the GovStack Registration API at /govstack/registration; the security server in front of Nara authenticates them. Empty turns the API off', default: 'eGovStack/GOV/90000009/eregistrations-dev outside production, empty in production' },
  { name: 'TZ_DEPLOYMENT', key: 'timeZone', description: 'the deployment time zone for deadlines and dates on screen', default: 'Asia/Seoul' },
];

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

function devSecret(dataDir: string, purpose: string, length: number): string {
  // Stable per data directory so that development restarts keep sessions and can read
  // encrypted data; never used in production, where the secret is required.
  return createHash('sha256').update(`nara-dev:${purpose}:${path.resolve(dataDir)}`).digest('hex').slice(0, length);
}

/** Reads, defaults and validates configuration; throws ConfigError listing every problem. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const nodeEnv = env.NODE_ENV ?? 'development';
  const production = nodeEnv === 'production';
  const raw: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const v of configVariables) {
    const value = env[v.name];
    if (value === undefined || value === '') {
      if (production && v.required) problems.push(`${v.name} is required in production (${v.description})`);
      continue;
    }
    raw[v.key] = v.parse ? v.parse(value) : value;
  }
  const port = (raw.port as number | undefined) ?? 3000;
  const dataDir = (raw.dataDir as string | undefined) ?? './data';
  const config = {
    env: nodeEnv,
    host: '0.0.0.0',
    port,
    publicUrl: `http://localhost:${port}`,
    dataDir,
    databasePoolSize: 10,
    sessionSecret: production ? '' : devSecret(dataDir, 'session', 64),
    dataKey: production ? '' : devSecret(dataDir, 'data', 64),
    mailFrom: 'Nara <no-reply@nara.example>',
    logLevel: 'info',
    seedDemo: !production,
    demoSeed: 20261122,
    demoResidents: 3000,
    rateLimitPerMinute: 120,
    jobPollMs: 1000,
    logIntervalMs: 2000,
    // One core is left to the HTTP and database threads: issuing then does not slow the rest
    // of the site (on two cores, the home page's p99 while issuing: 1.6× at rest with one
    // render thread, 2.3–3.3× with two).
    renderWorkers: Math.max(1, availableParallelism() - 1),
    timeZone: 'Asia/Seoul',
    trustProxy: '',
    govstackClients: production ? '' : 'eGovStack/GOV/90000009/eregistrations-dev',
    ...raw,
    ...overrides,
  };
  if (problems.length === 0 && !Value.Check(ConfigSchema, config)) {
    for (const e of Value.Errors(ConfigSchema, config)) {
      const variable = configVariables.find((v) => `/${v.key}` === e.path);
      problems.push(`${variable?.name ?? e.path}: ${e.message}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config as Config;
}
