// S1: application submission through Nara's use case, against the same rows written by raw
// SQL through the same driver, in the same run, on the same database.
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { loadConfig } from '../src/config.ts';
import type { Database } from '../src/platform/db/database.ts';
import { loadMigrations, migrate } from '../src/platform/db/migrate.ts';
import { migrationSources } from '../src/app.ts';
import { seedDemoData } from '../src/seed.ts';
import { findPublishedService } from '../src/modules/catalogue/index.ts';
import { insertDraft, saveAnswers } from '../src/modules/applications/repository.ts';
import { submitApplication } from '../src/modules/applications/submit-application.ts';
import { startCpuMeter } from './lib.ts';

export interface SubmissionResult {
  submissions: number;
  /** accepted submissions/s through submitApplication */
  submissionsPerSecond: number;
  /** the same rows/s written by hand-written SQL, one transaction per submission */
  rawPerSecond: number;
  ratio: number;
  otherCpu: number | undefined;
}

const SERVICE = 'move-in-report';
const ANSWERS = { newAddress: '서울특별시 종로구 삼봉로 43', movedOn: '2026-11-02', householdMembers: 2, contactPhone: '010-1234-5678' };
const TIME_ZONE = 'Asia/Seoul';
/** rounds of the measured part: each has some submissions and as many raw filings */
const ROUNDS = 10;

// The raw filing's log entry: a row of the same size as appendEntry's, its bytes made once.
const RAW_SALT = randomBytes(16);
const RAW_HASH = randomBytes(32);
const RAW_LEAF = Buffer.from(`{"content_hash":"${randomBytes(32).toString('hex')}","subject":"application-step/1000000","time":"2026-11-27T00:00:00.000Z","type":"applications.step.recorded","v":1}`);

/**
 * Prepares drafts (not counted), then submits `n` of them one at a time with the use case,
 * and files `n` others with raw SQL that writes the same rows: the projection update, the
 * step and its transparency-log entry, the audit event, the inbox notice and its e-mail job,
 * in one transaction each.
 * Each half is preceded by an uncounted warm-up of its own; the counted part alternates
 * between the halves in rounds.
 */
export async function measureSubmissions(database: Database, n: number, warmup = Math.min(100, n)): Promise<SubmissionResult> {
  const { db } = database;
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: '/nonexistent-bench-dir' }, { demoResidents: 60 });
  await migrate(db, loadMigrations(migrationSources));
  await seedDemoData(database, config);
  const service = (await findPublishedService(db, SERVICE))!;
  const applicant = await db.selectFrom('accounts').select('id').where('username', '=', 'resident1').executeTakeFirstOrThrow();
  const drafts: number[] = [];
  for (let i = 0; i < 2 * (n + warmup); i++) {
    const id = await insertDraft(db, { serviceId: service.serviceId, serviceVersion: service.version, agencyId: service.agencyId, departmentId: service.departmentId, applicantAccountId: applicant.id, businessId: null });
    await saveAnswers(db, id, ANSWERS);
    drafts.push(id);
  }
  const viaUseCase = (id: number) => submitApplication(db, { applicationId: id, accountId: applicant.id, timeZone: TIME_ZONE });
  const viaRawSql = (id: number) =>
    db.transaction().execute(async (tx) => {
      const { rows } = await sql<{ n: number }>`select nextval('application_receipt_seq')::int as n`.execute(tx);
      await sql`update applications set status = 'submitted', receipt_no = ${`RAW-${rows[0]!.n}`}, submitted_at = now(), due_date = current_date + 1, updated_at = now() where id = ${id}`.execute(tx);
      const step = await sql<{ id: number }>`insert into application_steps (application_id, seq, action, status_after, actor_kind, actor_account_id, department_id) values (${id}, 1, 'submit', 'submitted', 'applicant', ${applicant.id}, ${service.departmentId}) returning id`.execute(tx);
      await sql`insert into transparency_entries (entry_type, subject, salt, content_hash, leaf_input, leaf_hash) values ('applications.step.recorded', ${`application-step/${step.rows[0]!.id}`}, ${RAW_SALT}, ${RAW_HASH}, ${RAW_LEAF}, ${RAW_HASH})`.execute(tx);
      await sql`insert into audit_events (action, actor_account_id, subject_type, subject_id, details) values ('applications.step.recorded', ${applicant.id}, 'application', ${String(id)}, ${JSON.stringify({ action: 'submit', seq: 1, status: 'submitted' })})`.execute(tx);
      const notice = await sql<{ id: number }>`insert into notifications (account_id, template, params, link) values (${applicant.id}, 'applications.notice.received', ${JSON.stringify({ receiptNo: rows[0]!.n })}, ${`/applications/${id}`}) returning id`.execute(tx);
      await sql`insert into jobs (queue, payload, dedupe_key) values ('notifications.email', ${JSON.stringify({ notificationId: notice.rows[0]!.id })}, ${`email:notification:${notice.rows[0]!.id}`})`.execute(tx);
    });

  const half = n + warmup;
  const useCaseDrafts = drafts.slice(0, half);
  const rawDrafts = drafts.slice(half);
  for (const id of useCaseDrafts.slice(0, warmup)) await viaUseCase(id);
  for (const id of rawDrafts.slice(0, warmup)) await viaRawSql(id);

  // Measured in alternating rounds, each half going first in every other round, so that
  // drift in the machine's speed (other tenants, the heap growing) and the tables growing
  // fall on both halves alike instead of on whichever ran second.
  const meter = startCpuMeter();
  const rounds = Math.min(ROUNDS, n);
  let useCaseSeconds = 0;
  let rawSeconds = 0;
  const timed = async (ids: number[], file: (id: number) => Promise<void>): Promise<number> => {
    const started = performance.now();
    for (const id of ids) await file(id);
    return (performance.now() - started) / 1000;
  };
  const submit = async (id: number) => {
    const { status } = await viaUseCase(id);
    if (status !== 'submitted') throw new Error(`submission ${id} ended ${status}`);
  };
  for (let round = 0; round < rounds; round++) {
    const from = warmup + Math.floor((round * n) / rounds);
    const to = warmup + Math.floor(((round + 1) * n) / rounds);
    if (round % 2 === 0) {
      useCaseSeconds += await timed(useCaseDrafts.slice(from, to), submit);
      rawSeconds += await timed(rawDrafts.slice(from, to), viaRawSql);
    } else {
      rawSeconds += await timed(rawDrafts.slice(from, to), viaRawSql);
      useCaseSeconds += await timed(useCaseDrafts.slice(from, to), submit);
    }
  }
  const submissionsPerSecond = n / useCaseSeconds;
  const rawPerSecond = n / rawSeconds;
  return { submissions: n, submissionsPerSecond, rawPerSecond, ratio: submissionsPerSecond / rawPerSecond, otherCpu: meter() };
}
