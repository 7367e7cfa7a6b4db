import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, configVariables, loadConfig } from './config.ts';

test('development starts with no configuration at all', () => {
  const config = loadConfig({});
  assert.equal(config.env, 'development');
  assert.equal(config.port, 3000);
  assert.equal(config.dataDir, './data');
  assert.equal(config.databaseUrl, undefined);
  assert.equal(config.seedDemo, true);
  assert.match(config.dataKey, /^[0-9a-f]{64}$/);
});

test('development secrets are stable for one data directory and differ between two', () => {
  assert.equal(loadConfig({ DATA_DIR: '/a' }).sessionSecret, loadConfig({ DATA_DIR: '/a' }).sessionSecret);
  assert.notEqual(loadConfig({ DATA_DIR: '/a' }).sessionSecret, loadConfig({ DATA_DIR: '/b' }).sessionSecret);
});

test('production refuses to boot without its secrets, naming each one', () => {
  assert.throws(
    () => loadConfig({ NODE_ENV: 'production' }),
    (error: unknown) => error instanceof ConfigError && error.problems.some((p) => p.startsWith('SESSION_SECRET')) && error.problems.some((p) => p.startsWith('DATA_KEY')),
  );
});

test('production refuses to guess its public address', () => {
  assert.throws(() => loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40), DATA_KEY: 'ab'.repeat(32) }), /PUBLIC_URL is required in production/);
});

test('production boots when its secrets are given and does not load demo data by default', () => {
  const config = loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40), DATA_KEY: 'ab'.repeat(32), PUBLIC_URL: 'https://www.nara.example' });
  assert.equal(config.seedDemo, false);
});

test('a malformed value is reported with its variable name', () => {
  assert.throws(() => loadConfig({ PORT: 'eighty' }), (error: unknown) => error instanceof ConfigError && error.problems.some((p) => p.startsWith('PORT')));
  assert.throws(() => loadConfig({ DATA_KEY: 'short' }), (error: unknown) => error instanceof ConfigError && error.problems.some((p) => p.startsWith('DATA_KEY')));
  assert.throws(() => loadConfig({ DATABASE_URL: 'mysql://x' }), (error: unknown) => error instanceof ConfigError && error.problems.some((p) => p.startsWith('DATABASE_URL')));
});

test('every configuration key has exactly one environment variable', () => {
  const keys = configVariables.map((v) => v.key);
  assert.equal(new Set(keys).size, keys.length);
});

test('client addresses come from X-Forwarded-For only when load balancers are declared', () => {
  assert.equal(loadConfig({}).trustProxy, '');
  assert.equal(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 192.168.1.5' }).trustProxy, '10.0.0.0/8, 192.168.1.5');
  assert.throws(() => loadConfig({ TRUST_PROXY: 'true' }), (e: unknown) => e instanceof ConfigError && e.problems.some((p) => p.startsWith('TRUST_PROXY')));
});
