import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// The operator's tool, run as operators run it: a new process each time over one data
// directory, so every step also proves the embedded database keeps records across restarts.
const dataDir = mkdtempSync(path.join(tmpdir(), 'nara-cli-'));
const backup = path.join(dataDir, '..', `${path.basename(dataDir)}-backup.tar.gz`);

function nara(...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'development', DATA_DIR: dataDir, DEMO_RESIDENTS: '60', LOG_LEVEL: 'silent' };
  delete env.DATABASE_URL;
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { env, encoding: 'utf8', timeout: 120_000 });
  return { code: result.status, out: `${result.stdout}${result.stderr}` };
}


test('doctor finds the pending migrations of a new data directory, and is content after migrate', () => {
  const first = nara('doctor');
  assert.equal(first.code, 1);
  assert.match(first.out, /pending migrations: platform\/001-platform/);
  const migrate = nara('migrate');
  assert.equal(migrate.code, 0);
  assert.match(migrate.out, /Applied: platform\/001-platform, platform\/002-audit-on-behalf, platform\/003-session-announcements, identity\/001-identity/);
  assert.match(nara('migrate').out, /up to date/);
  const again = nara('doctor');
  assert.equal(again.code, 0, again.out);
  assert.match(again.out, /all \d+ migrations applied/);
});

test('seed loads the demo data once', () => {
  const seeded = nara('seed');
  assert.equal(seeded.code, 0, seeded.out);
  assert.match(seeded.out, /Demo data loaded: 60 residents/);
  assert.match(nara('seed').out, /already has data/);
});

test('create-official adds an official with roles, and explains mistakes in plain words', () => {
  const created = nara('create-official', '--username', 'kim.clerk', '--name', '김주무관', '--email', 'kim@jongno.example.kr', '--agency', 'SMG-JONGNO', '--department', 'BLD', '--roles', 'clerk,approver');
  assert.equal(created.code, 0, created.out);
  assert.match(created.out, /Created official #\d+ \(kim\.clerk\)/);
  assert.match(created.out, /Password \(shown once/);
  const again = nara('create-official', '--username', 'kim.clerk', '--name', 'x', '--email', 'k@x.example', '--agency', 'SMG-JONGNO', '--roles', 'clerk', '--password', 'long-enough-password');
  assert.equal(again.code, 1);
  assert.match(again.out, /That username is already taken/);
  const badAgency = nara('create-official', '--username', 'lee.clerk', '--name', 'x', '--email', 'l@x.example', '--agency', 'NOPE', '--roles', 'clerk', '--password', 'long-enough-password');
  assert.match(badAgency.out, /No agency has the code NOPE/);
  const badRole = nara('create-official', '--username', 'lee.clerk', '--name', 'x', '--email', 'l@x.example', '--agency', 'MOIS', '--roles', 'king', '--password', 'short');
  assert.match(badRole.out, /--roles: One of the roles is unknown/);
  assert.match(badRole.out, /--password: A password needs at least 10 characters/);
  const missing = nara('create-official', '--username', 'x');
  assert.match(missing.out, /--name is required/);
});

test('oidc-client create registers a service and prints its id and secret as JSON; list never shows the secret', () => {
  const created = nara('oidc-client', 'create', '--name', '청년정책 포털', '--redirect-uri', 'https://youth.example.kr/callback', '--redirect-uri', 'http://localhost:8080/cb', '--scope', 'openid profile nara:age_over_19');
  assert.equal(created.code, 0, created.out);
  const client = JSON.parse(created.out) as { client_id: string; client_secret: string; redirect_uris: string[]; scope: string };
  assert.match(client.client_id, /^nara-/);
  assert.ok(client.client_secret.length >= 40);
  assert.deepEqual(client.redirect_uris, ['https://youth.example.kr/callback', 'http://localhost:8080/cb']);
  assert.equal(client.scope, 'openid profile nara:age_over_19');

  const listed = nara('oidc-client', 'list');
  assert.equal(listed.code, 0, listed.out);
  assert.match(listed.out, new RegExp(client.client_id));
  assert.ok(!listed.out.includes(client.client_secret), 'the secret is shown once, at creation');

  const bad = nara('oidc-client', 'create', '--name', 'x', '--redirect-uri', 'http://evil.example/cb', '--scope', 'profile credit_score');
  assert.equal(bad.code, 1);
  assert.match(bad.out, /--name: The service name must be 2 to 100 characters/);
  assert.match(bad.out, /--redirect-uri: Redirect URI http:\/\/evil\.example\/cb: must use https/);
  assert.match(bad.out, /--scope: Unknown scope credit_score/);
  assert.match(bad.out, /--scope: The scope must include openid/);

  const disabled = nara('oidc-client', 'disable', '--client-id', client.client_id);
  assert.equal(disabled.code, 0, disabled.out);
  assert.match(nara('oidc-client', 'disable', '--client-id', client.client_id).out, /No active client has the id nara-/);
});

test('holiday set, list and remove keep the calendar deadlines are counted on', () => {
  const set = nara('holiday', 'set', '--date', '2026-12-31', '--name-ko', '임시공휴일', '--name-en', 'Temporary holiday');
  assert.equal(set.code, 0, set.out);
  const listed = nara('holiday', 'list', '--year', '2026');
  const days = JSON.parse(listed.out) as Array<{ day: string; nameEn: string }>;
  assert.ok(days.some((d) => d.day === '2026-12-31' && d.nameEn === 'Temporary holiday'));
  assert.ok(days.some((d) => d.day === '2026-09-25'), 'the demo calendar has Chuseok');
  assert.ok(days.every((d) => d.day.startsWith('2026-')));
  const bad = nara('holiday', 'set', '--date', '2026-02-30', '--name-ko', 'x', '--name-en', 'x');
  assert.equal(bad.code, 1);
  assert.match(bad.out, /Give the day as 2026-12-25/);
  assert.match(nara('holiday', 'remove', '--date', '2026-12-31').out, /Removed 2026-12-31/);
  assert.match(nara('holiday', 'remove', '--date', '2026-12-31').out, /was not a holiday/);
});

test('backup then restore brings the database back to the moment of the backup', () => {
  const made = nara('backup', '--out', backup);
  assert.equal(made.code, 0, made.out);
  assert.ok(existsSync(backup));
  nara('create-official', '--username', 'after.backup', '--name', 'x', '--email', 'a@x.example', '--agency', 'MOIS', '--roles', 'clerk', '--password', 'long-enough-password');
  const restored = nara('restore', '--from', backup);
  assert.equal(restored.code, 0, restored.out);
  assert.match(restored.out, /previous data is kept in/);
  const retry = nara('create-official', '--username', 'after.backup', '--name', 'x', '--email', 'a@x.example', '--agency', 'MOIS', '--roles', 'clerk', '--password', 'long-enough-password');
  assert.equal(retry.code, 0, 'the official made after the backup is gone, so the name is free again');
  assert.match(nara('create-official', '--username', 'kim.clerk', '--name', 'x', '--email', 'k@x.example', '--agency', 'MOIS', '--roles', 'clerk', '--password', 'long-enough-password').out, /already taken/, 'what was there before the backup is back');
});

test('the tool refuses to touch the embedded database while Nara runs on it', () => {
  writeFileSync(path.join(dataDir, 'nara.pid'), String(process.pid));
  try {
    const res = nara('migrate');
    assert.equal(res.code, 1);
    assert.match(res.out, /Nara is running on .*Stop it first/);
  } finally {
    writeFileSync(path.join(dataDir, 'nara.pid'), '999999999');
  }
  assert.equal(nara('migrate').code, 0, 'a stale pid file is ignored');
});

test('an unknown command shows the usage', () => {
  const res = nara('frobnicate');
  assert.equal(res.code, 1);
  assert.match(res.out, /Usage: npm run nara/);
});
