import type { Executor } from '../../platform/db/database.ts';
import { announceLocally, STEP_CHANNEL } from './step-events.ts';
import { DomainError } from '../../platform/http/errors.ts';
import { writeAuditEvent } from '../../platform/audit/write-audit-event.ts';
import { notify } from '../notifications/index.ts';
import type { FormData } from '../catalogue/index.ts';
import { findServiceVersion, type ServiceVersion } from '../catalogue/index.ts';
import { holidaySet, insertStep, lockApplication, stepsOf, writeProjection, type ApplicationRow, type StepRow } from './repository.ts';
import { allowedActions, decisions, nextStatus, statusFromSteps, type Action, type ActorKind, type Status } from './workflow.ts';
import { deadlineOf } from './working-days.ts';
import { logStep } from './logged-steps.ts';
import { enqueueJob } from '../../platform/jobs/jobs.ts';
import { APPROVED_QUEUE } from './approved-application.ts';

export interface StepInput {
  action: Action;
  actorKind: ActorKind;
  actorAccountId: number | null;
  actorName: string | null;
  /** roles of an official actor in the application's agency, to name the allowed actions */
  actorRoles?: readonly string[];
  assistedBy?: number | null;
  note?: string | null;
  details?: Record<string, unknown>;
  outcome?: 'approved' | 'rejected';
  /** forward: the department that takes it over */
  moveTo?: number;
  /** claim / assign: who works on it; undefined keeps the current assignee */
  assignee?: number | null;
  /** the first submission: give the application its receipt number */
  assignReceipt?: boolean;
  answers?: FormData;
  requestId?: string | null;
  ip?: string | null;
}

export interface RecordedStep {
  application: ApplicationRow;
  status: Status;
  stepId: number;
  receiptNo: string | null;
}

/** An application already locked in this transaction, with its steps and service version. */
export interface Locked {
  application: ApplicationRow;
  steps: StepRow[];
  service: ServiceVersion;
}

/**
 * Locks an application for the rest of the transaction and reads its steps (a draft has
 * none) and its service version.
 * @throws DomainError NOT_FOUND
 */
export async function lockForStep(tx: Executor, applicationId: number): Promise<Locked> {
  const application = await lockApplication(tx, applicationId);
  if (!application) throw new DomainError('NOT_FOUND');
  const steps = application.status === 'draft' ? [] : await stepsOf(tx, applicationId);
  const service = await findServiceVersion(tx, application.service_id, application.service_version);
  if (!service) throw new Error(`application ${applicationId}: service version missing`);
  return { application, steps, service };
}

/**
 * Appends one step to a locked application, after checking that its current status (as
 * its steps say) allows the action, and rewrites the queue projection from the steps.
 * The caller has checked who the actor is; pass its transaction.
 * @throws DomainError NOT_FOUND, ACTION_NOT_ALLOWED (409, with the allowed actions)
 */
export async function recordStep(tx: Executor, applicationId: number, input: StepInput, timeZone: string, locked?: Locked): Promise<RecordedStep> {
  const { application: app, steps, service } = locked ?? (await lockForStep(tx, applicationId));
  const status = statusFromSteps(steps.map((s) => ({ action: s.action as Action, ...(s.action === 'decide' ? { outcome: s.status_after as 'approved' | 'rejected' } : {}) })));
  let after: Status;
  try {
    after = nextStatus(status, { action: input.action, ...(input.outcome ? { outcome: input.outcome } : {}) });
  } catch {
    const allowed = allowedActions(status, input.actorKind, input.actorRoles ?? []);
    throw new DomainError('ACTION_NOT_ALLOWED', 'applications.error.notAllowed', { allowed, params: { status, allowed: allowed.join(', ') } });
  }
  const departmentId = input.moveTo ?? app.department_id;
  const step = await insertStep(tx, {
    applicationId, seq: steps.length + 1, action: input.action, statusAfter: after, actorKind: input.actorKind, actorAccountId: input.actorAccountId, actorName: input.actorName,
    assistedBy: input.assistedBy ?? null, departmentId: app.department_id, note: input.note ?? null,
    details: { ...(input.details ?? {}), ...(input.moveTo ? { toDepartmentId: input.moveTo } : {}), ...(input.assignee !== undefined ? { assigneeAccountId: input.assignee } : {}) },
  });
  // In the public log in the same transaction: the step and its entry commit together.
  await logStep(tx, step);
  const timed = [...steps.map((s) => ({ action: s.action, recordedAt: s.recorded_at })), { action: input.action, recordedAt: step.recorded_at }];
  const deadline = deadlineOf(timed, service.periodDays, await holidaySet(tx), timeZone);
  // A forwarded application waits for someone in the new department to pick it up.
  const assignee = input.moveTo ? null : input.assignee !== undefined ? input.assignee : app.assignee_account_id;
  // The projection's statement also announces the change (STEP_CHANNEL), at commit.
  const receiptNo = await writeProjection(tx, applicationId, {
    status: after,
    departmentId,
    assigneeAccountId: assignee,
    dueDate: deadline.due,
    ...(input.assignReceipt ? { assignReceipt: { timeZone } } : {}),
    ...(decisions.has(after) !== decisions.has(status) ? { decided: decisions.has(after) } : {}),
    ...(input.action === 'escalate' ? { escalated: true } : {}),
    ...(input.answers ? { answers: input.answers } : {}),
  }, STEP_CHANNEL);
  announceLocally(applicationId);
  await writeAuditEvent(tx, {
    action: 'applications.step.recorded',
    actor: { accountId: input.actorAccountId, agencyId: input.actorKind === 'official' ? app.agency_id : null },
    onBehalfOfAccountId: input.assistedBy ? app.applicant_account_id : null,
    subject: { type: 'application', id: applicationId },
    requestId: input.requestId ?? null,
    ip: input.ip ?? null,
    details: { action: input.action, seq: steps.length + 1, status: after, ...(input.assistedBy ? { assistedBy: input.assistedBy } : {}) },
  });
  // What follows an approval (a permit, a certificate) belongs to other modules: they hear
  // of it after commit, with retries, and never hold up the decision.
  if (after === 'approved') await enqueueJob(tx, APPROVED_QUEUE, { applicationId }, { dedupeKey: `approved:${applicationId}:${step.id}` });
  if (input.actorKind !== 'applicant' && input.action !== 'claim' && input.action !== 'assign' && input.action !== 'escalate') {
    await notify(tx, { accountId: app.applicant_account_id, template: `applications.notice.${after}`, params: { receiptNo: receiptNo ?? '', service: service.name }, link: `/applications/${applicationId}`, email: true });
  }
  return { application: app, status: after, stepId: step.id, receiptNo };
}
