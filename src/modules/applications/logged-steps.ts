import type { Db, Executor } from '../../platform/db/database.ts';
import { appendEntry, canonicalJson, entriesBySubject, type RecordSource } from '../transparency/index.ts';
import { ownApplication } from './own-application.ts';
import { stepsOf, type StepRow } from './repository.ts';

export const STEP_ENTRY = 'applications.step.recorded';

export function stepSubject(stepId: number): string {
  return `application-step/${stepId}`;
}

/**
 * The facts of a step that its log entry commits to: everything the applicant sees on the
 * timeline, by identifier. The same function builds it when the step is recorded and when
 * `log audit` checks it again, so any later change to the row shows.
 */
export function stepRecord(row: StepRow) {
  return {
    step_id: row.id,
    application_id: row.application_id,
    seq: row.seq,
    action: row.action,
    status_after: row.status_after,
    actor_kind: row.actor_kind,
    actor_account_id: row.actor_account_id,
    actor_name: row.actor_name,
    assisted_by_account_id: row.assisted_by_account_id,
    department_id: row.department_id,
    note: row.note,
    details: row.details,
    recorded_at: row.recorded_at,
  };
}

/** Adds a just-recorded step to the public log, in the caller's transaction. */
export function logStep(tx: Executor, row: StepRow) {
  return appendEntry(tx, { type: STEP_ENTRY, subject: stepSubject(row.id), record: stepRecord(row), time: row.recorded_at });
}

/** Where `log audit` finds the steps behind the log's entries. */
export const stepRecords: RecordSource = {
  type: STEP_ENTRY,
  async records(db, subjects) {
    const ids = subjects.map((s) => Number(s.slice('application-step/'.length))).filter((n) => Number.isSafeInteger(n));
    const found = new Map<string, unknown>();
    for (let i = 0; i < ids.length; i += 5000) {
      const rows = await db.selectFrom('application_steps').selectAll().where('id', 'in', ids.slice(i, i + 5000)).execute();
      for (const row of rows) found.set(stepSubject(row.id), stepRecord(row));
    }
    return found;
  },
  async *subjects(db) {
    let after = 0;
    for (;;) {
      const rows = await db.selectFrom('application_steps').select('id').where('id', '>', after).orderBy('id').limit(10_000).execute();
      if (rows.length === 0) return;
      yield rows.map((r) => stepSubject(r.id));
      after = rows[rows.length - 1]!.id;
    }
  },
  timeOf: (record) => (record as ReturnType<typeof stepRecord>).recorded_at,
};

export interface LoggedStep {
  seq: number;
  /** base64 of the public leaf */
  leaf_input: string;
  /** hex salt, and the canonical record as it stands now: SHA-256(salt || record) is the leaf's content hash while nothing has changed */
  salt: string;
  record: string;
}

/**
 * The owner's steps with their log entries, for checking in the browser.
 * @throws DomainError NOT_FOUND unless the account filed the application
 */
export async function loggedStepsOf(db: Db, applicationId: number, accountId: number): Promise<LoggedStep[]> {
  await ownApplication(db, applicationId, accountId);
  const steps = await stepsOf(db, applicationId);
  const entries = new Map((await entriesBySubject(db, steps.map((s) => stepSubject(s.id)))).map((e) => [e.subject, e]));
  return steps.flatMap((s) => {
    const entry = entries.get(stepSubject(s.id));
    return entry ? [{ seq: s.seq, leaf_input: entry.leafInput.toString('base64'), salt: entry.salt.toString('hex'), record: canonicalJson(stepRecord(s)) }] : [];
  });
}
