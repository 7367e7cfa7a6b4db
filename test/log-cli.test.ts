import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { testApp, type TestApp } from './support/test-app.ts';
import { fakeLog, sthRewritingProxy } from './support/log-servers.ts';
import { loadConfig } from '../src/config.ts';
import { runLogAudit, runLogMonitor } from '../src/log-commands.ts';
import { migrationSources } from '../src/app.ts';
import { seedDemoData } from '../src/seed.ts';
import { openDatabase, type Db } from '../src/platform/db/database.ts';
import { loadMigrations, migrate } from '../src/platform/db/migrate.ts';
import { createFieldEncryption } from '../src/platform/crypto/field-encryption.ts';
import { startApplication } from '../src/modules/applications/start-application.ts';
import { saveDraft } from '../src/modules/applications/save-draft.ts';
import { submitApplication } from '../src/modules/applications/submit-application.ts';
import { takeAction } from '../src/modules/applications/take-action.ts';
import { advanceLog } from '../src/modules/transparency/advance-log.ts';
import { createLogSigner } from '../src/modules/transparency/log-key.ts';
import type { MonitorState } from '../src/modules/transparency/index.ts';

// `log audit` checks the log from the inside, against the database; `log monitor` checks it
// from the outside, as anyone can, against what it saw before. Both are run here the way an
// operator runs them and against the tampering each exists to catch.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const work = mkdtempSync(path.join(tmpdir(), 'nara-log-cli-'));
let t: TestApp;
let url: string;

before(async () => {
  t = await testApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
});
after(async () => {
  await t.close();
  rmSync(work, { recursive: true, force: true });
});

/** The CLI in a process of its own, without blocking this one (which may be serving the log it checks). */
function nara(args: string[], o: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<{ code: number | null; out: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'silent', ...o.env };
  delete env.DATABASE_URL;
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), path.join(root, 'src/cli.ts'), ...args], { env, cwd: o.cwd ?? root });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
  child.stderr.on('data', (d: Buffer) => (out += d.toString('utf8')));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, out })));
}

const collect = () => {
  const lines: string[] = [];
  return { lines, out: (line: string) => lines.push(line), text: () => lines.join('\n') };
};

/** A building permit filed by resident1 and accepted by the clerk: two more steps in the log. */
async function fileAndAccept(db: Db, timeZone: string): Promise<number> {
  const id = async (username: string) => (await db.selectFrom('accounts').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id;
  const [resident, clerk] = [await id('resident1'), await id('jongno.clerk')];
  const { applicationId } = await startApplication(db, { accountId: resident, serviceCode: 'building-permit' });
  const input = { siteAddress: '서울특별시 종로구 청운동 12-3', use: 'detached-house', floorArea: '180', floors: '2', hasBasement: 'false', architectName: '김건축', architectLicence: '12345', contactPhone: '010-1234-5678', declaration: 'true' };
  const { errors } = await saveDraft(db, { applicationId, accountId: resident, input });
  assert.deepEqual(errors, []);
  await submitApplication(db, { applicationId, accountId: resident, timeZone });
  await takeAction(db, { applicationId, accountId: clerk, action: 'accept', timeZone });
  return applicationId;
}

/** Places waiting entries and signs a head, as the app's sequencer does (same key: it is kept in the database). */
async function sequence(db: Db, dataKey: string) {
  return advanceLog(db, createLogSigner(db, createFieldEncryption(dataKey)), { wait: true, forceHead: true });
}

/** Changes a recorded step the way only someone with the database's owner rights could: past its append-only trigger. */
async function rewriteStep(db: Db, stepId: number, note: string | null) {
  await sql`alter table application_steps disable trigger application_steps_no_change`.execute(db);
  try {
    await db.updateTable('application_steps').set({ note }).where('id', '=', stepId).execute();
  } finally {
    await sql`alter table application_steps enable trigger application_steps_no_change`.execute(db);
  }
}

const firstStepOf = async (db: Db, applicationId: number) =>
  db.selectFrom('application_steps').select(['id', 'note']).where('application_id', '=', applicationId).orderBy('seq').executeTakeFirstOrThrow();

test('an audit of an untouched log finds no problem and says what it checked', async () => {
  await fileAndAccept(t.database.db, t.config.timeZone);
  await sequence(t.database.db, t.config.dataKey);
  const steps = (await t.database.db.selectFrom('application_steps').select('id').execute()).length;
  const { out, text } = collect();
  assert.equal(await runLogAudit(t.database.db, { out }), 0);
  assert.match(text(), new RegExp(`Leaves in the tree: ${steps}\\b`));
  assert.match(text(), /Entries waiting to be placed: 0/);
  assert.match(text(), new RegExp(`Records checked: ${steps}$`, 'm'));
  assert.match(text(), /No problems found\./);

  const json = collect();
  assert.equal(await runLogAudit(t.database.db, { json: true, out: json.out }), 0);
  const report = JSON.parse(json.text()) as { leaves: number; recordsChecked: number; heads: number; problems: unknown[] };
  assert.deepEqual(report.problems, []);
  assert.equal(report.leaves, steps);
  assert.equal(report.recordsChecked, steps);
  assert.ok(report.heads >= 2, 'the head signed at start and the one signed after the steps');
});

test('a step changed in the database behind the log is reported as changed, and the audit fails', async () => {
  const applicationId = await fileAndAccept(t.database.db, t.config.timeZone);
  await sequence(t.database.db, t.config.dataKey);
  const step = await firstStepOf(t.database.db, applicationId);
  await rewriteStep(t.database.db, step.id, 'submitted late (quietly edited)');
  try {
    const { out, text } = collect();
    assert.equal(await runLogAudit(t.database.db, { out }), 1);
    assert.match(text(), /1 problem found:/);
    assert.match(text(), new RegExp(`^  record-changed: leaf \\d+: application-step/${step.id} has changed since it was logged$`, 'm'));

    const json = collect();
    assert.equal(await runLogAudit(t.database.db, { json: true, out: json.out }), 1);
    const problems = (JSON.parse(json.text()) as { problems: Array<{ kind: string; subject: string }> }).problems;
    assert.deepEqual(problems.map((p) => `${p.kind} ${p.subject}`), [`record-changed application-step/${step.id}`]);
  } finally {
    await rewriteStep(t.database.db, step.id, step.note);
  }
  // The entry commits to the step's facts, not to the row: put back as it was, it checks out again.
  assert.equal(await runLogAudit(t.database.db, { out: () => {} }), 0);
});

test('log audit, run as operators run it, exits 0 on a clean embedded database and 1 once a step is changed; never while Nara runs on it', async () => {
  const dataDir = path.join(work, 'data');
  const env = { DATA_DIR: dataDir, DEMO_RESIDENTS: '30' };
  const config = loadConfig({ NODE_ENV: 'development', LOG_LEVEL: 'silent', ...env });
  let step: { id: number; note: string | null };
  {
    const database = await openDatabase({ dataDir });
    try {
      await migrate(database.db, loadMigrations(migrationSources));
      await seedDemoData(database, config);
      step = await firstStepOf(database.db, await fileAndAccept(database.db, config.timeZone));
      await sequence(database.db, config.dataKey);
    } finally {
      await database.close();
    }
  }
  const clean = await nara(['log', 'audit'], { env });
  assert.equal(clean.code, 0, clean.out);
  assert.match(clean.out, /No problems found/);

  {
    const database = await openDatabase({ dataDir });
    try {
      await rewriteStep(database.db, step.id, 'a note nobody wrote');
    } finally {
      await database.close();
    }
  }
  const tampered = await nara(['log', 'audit'], { env });
  assert.equal(tampered.code, 1, tampered.out);
  assert.match(tampered.out, new RegExp(`record-changed: leaf \\d+: application-step/${step.id} has changed since it was logged`));
  const json = await nara(['log', 'audit', '--json'], { env });
  assert.equal(json.code, 1);
  assert.deepEqual((JSON.parse(json.out) as { problems: Array<{ kind: string }> }).problems.map((p) => p.kind), ['record-changed']);

  // The embedded database has one user at a time.
  writeFileSync(path.join(dataDir, 'nara.pid'), String(process.pid));
  const running = await nara(['log', 'audit'], { env });
  assert.equal(running.code, 1);
  assert.match(running.out, /Nara is running on .*Stop it first/);
});

const readState = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as MonitorState;

test('a monitor pins the key and the head of a running Nara, then accepts a head that extends it', async () => {
  const stateFile = path.join(work, 'real.json');
  const first = collect();
  assert.equal(await runLogMonitor({ url, stateFile, out: first.out }), 0, first.text());
  const key = (await (await fetch(`${url}/transparency/v1/get-public-key`)).json()) as { key: string; key_id: string };
  const pinned = readState(stateFile);
  assert.equal(pinned.publicKey, key.key);
  assert.equal(pinned.heads.length, 1);
  assert.match(first.text(), new RegExp(`Tree head size ${pinned.heads[0]!.tree_size}, .*the first this monitor has seen`));
  assert.match(first.text(), /Pinned the log's key/);

  await fileAndAccept(t.database.db, t.config.timeZone);
  await sequence(t.database.db, t.config.dataKey);
  const second = collect();
  assert.equal(await runLogMonitor({ url, stateFile, out: second.out }), 0, second.text());
  const grown = readState(stateFile);
  assert.equal(grown.heads.length, 2);
  assert.ok(grown.heads[1]!.tree_size > grown.heads[0]!.tree_size, 'the log grew by the new steps');
  assert.deepEqual(grown.heads[0], pinned.heads[0], 'what was seen before is kept');
  assert.match(second.text(), /consistent with the last one seen/);
});

test('log monitor runs where no Nara is installed: no configuration, no database, state beside the operator', async () => {
  const cwd = mkdtempSync(path.join(work, 'observer-'));
  const noDataDir = path.join(cwd, 'no-data-here');
  // Production without a single secret: loadConfig would refuse to start.
  const res = await nara(['log', 'monitor', '--url', url], { cwd, env: { NODE_ENV: 'production', DATA_DIR: noDataDir, PUBLIC_URL: '', SESSION_SECRET: '', DATA_KEY: '' } });
  assert.equal(res.code, 0, res.out);
  assert.match(res.out, /Tree head size \d+/);
  const stateFile = path.join(cwd, `nara-log-monitor-127.0.0.1_${new URL(url).port}.json`);
  assert.ok(existsSync(stateFile), 'the state is kept in the current directory, named after the host');
  assert.equal(readState(stateFile).heads.length, 1);
  assert.ok(!existsSync(noDataDir), 'the data directory is never touched');
  const again = await nara(['log', 'monitor', '--url', url], { cwd, env: { NODE_ENV: 'production' } });
  assert.equal(again.code, 0, again.out);
  assert.match(again.out, /Tree head size \d+.*: (seen before|consistent with the last one seen)/);
  assert.match((await nara(['log', 'monitor'], { cwd })).out, /--url is required/);
});

test('a forged tree head is reported as not signed by the log, the exit code says so, and the state does not take it', async () => {
  const stateFile = path.join(work, 'forged.json');
  assert.equal(await runLogMonitor({ url, stateFile, out: () => {} }), 0);
  const before = readFileSync(stateFile, 'utf8');
  const flip = (b64: string) => {
    const bytes = Buffer.from(b64, 'base64');
    bytes[bytes.length - 1]! ^= 1;
    return bytes.toString('base64');
  };
  const forgedRoot = await sthRewritingProxy(url, (sth) => ({ ...sth, tree_size: sth.tree_size + 1, sha256_root_hash: flip(sth.sha256_root_hash) }));
  const forgedSignature = await sthRewritingProxy(url, (sth) => ({ ...sth, tree_head_signature: flip(sth.tree_head_signature) }));
  try {
    for (const proxy of [forgedRoot, forgedSignature]) {
      const { out, text } = collect();
      assert.equal(await runLogMonitor({ url: proxy.url, stateFile, out }), 1);
      assert.match(text(), /PROBLEM bad-signature: the tree head of size \d+ is not signed by the log's key/);
      assert.equal(readFileSync(stateFile, 'utf8'), before, 'the forged head does not become the next reference');
    }
    // A first look that meets a forged head pins nothing: there is no head to trust the key by.
    const fresh = path.join(work, 'forged-first.json');
    assert.equal(await runLogMonitor({ url: forgedRoot.url, stateFile: fresh, out: () => {} }), 1);
    assert.ok(!existsSync(fresh));
    // Through the honest path the same state still checks out.
    assert.equal(await runLogMonitor({ url, stateFile, out: () => {} }), 0);
  } finally {
    await forgedRoot.close();
    await forgedSignature.close();
  }
});

test('a state file that is not a monitor\'s is refused, never overwritten: it may hold the only record of the pinned key', async () => {
  const stateFile = path.join(work, 'not-a-state.json');
  for (const content of ['{"half": ', '{"url": "http://elsewhere"}']) {
    writeFileSync(stateFile, content);
    await assert.rejects(runLogMonitor({ url, stateFile, out: () => {} }), /not-a-state\.json is not (readable JSON|a log monitor's state).*move it away/);
    assert.equal(readFileSync(stateFile, 'utf8'), content);
  }
});

test('a properly signed head over a rewritten history, or a shrunken log, is reported; an honest extension is not', async () => {
  const log = await fakeLog();
  const stateFile = path.join(work, 'rewritten.json');
  const now = Date.now();
  try {
    const a = ['a1', 'a2', 'a3', 'a4'];
    log.serve(a, now);
    assert.equal(await runLogMonitor({ url: log.url, stateFile, out: () => {} }), 0);
    const seen = readFileSync(stateFile, 'utf8');

    // Tree B: six leaves signed by the same key, with a consistency proof that is honest
    // about B, but B does not begin with the four leaves seen.
    log.serve(['b1', 'b2', 'b3', 'b4', 'b5', 'b6'], now + 1000);
    const rewritten = collect();
    assert.equal(await runLogMonitor({ url: log.url, stateFile, out: rewritten.out }), 1);
    assert.match(rewritten.text(), /PROBLEM history-rewritten: the tree of 6 entries does not extend the tree of 4 seen before/);
    assert.equal(readFileSync(stateFile, 'utf8'), seen);

    // Run as the CLI, the same answer ends in exit code 1.
    const cli = await nara(['log', 'monitor', '--url', log.url, '--state', stateFile]);
    assert.equal(cli.code, 1, cli.out);
    assert.match(cli.out, /history-rewritten/);

    // Three of the four leaves, signed later: entries were removed.
    log.serve(a.slice(0, 3), now + 2000);
    const shrank = collect();
    assert.equal(await runLogMonitor({ url: log.url, stateFile, out: shrank.out }), 1);
    assert.match(shrank.text(), /PROBLEM log-shrank: the log now has 3 entries; it had 4/);
    assert.equal(readFileSync(stateFile, 'utf8'), seen);

    // The fake log tells the truth when it can: a tree that does extend A is accepted.
    log.serve([...a, 'a5', 'a6'], now + 3000);
    const extended = collect();
    assert.equal(await runLogMonitor({ url: log.url, stateFile, out: extended.out }), 0, extended.text());
    assert.deepEqual(readState(stateFile).heads.map((h) => h.tree_size), [4, 6]);
  } finally {
    await log.close();
  }
});

test('following, the monitor reports only what changes until it is stopped', async () => {
  const log = await fakeLog();
  const stateFile = path.join(work, 'follow.json');
  const stop = new AbortController();
  const { lines, out } = collect();
  const start = Date.now();
  try {
    log.serve(['x1', 'x2'], start);
    const following = runLogMonitor({ url: log.url, stateFile, follow: true, intervalSeconds: 0.05, signal: stop.signal, out });
    const waitFor = async (pattern: RegExp) => {
      const until = Date.now() + 10_000;
      while (!lines.some((l) => pattern.test(l))) {
        assert.ok(Date.now() < until, `waited in vain for ${pattern}; saw:\n${lines.join('\n')}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    await waitFor(/First head: size 2/);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(lines.length, 1, 'nothing new, nothing said');
    log.serve(['x1', 'x2', 'x3'], start + 1000);
    await waitFor(/New head: size 3/);
    log.serve(['y1', 'y2', 'y3', 'y4'], start + 2000);
    await waitFor(/PROBLEM history-rewritten/);
    stop.abort();
    assert.equal(await following, 1, 'a problem seen while following is in the exit code');
    assert.deepEqual(readState(stateFile).heads.map((h) => h.tree_size), [2, 3]);
    assert.ok(lines.every((l) => /^\d{4}-\d\d-\d\dT/.test(l)), 'each line says when');
  } finally {
    stop.abort();
    await log.close();
  }
});
