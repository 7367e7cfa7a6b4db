import type { Db } from '../../platform/db/database.ts';
import { DomainError } from '../../platform/http/errors.ts';
import { departmentsOf, hasRole, loadActor, type Actor } from '../identity/index.ts';
import { findApplication, type ApplicationRow } from './repository.ts';
import { recordStep } from './record-step.ts';
import { needsNote, rules, type Action, type Status } from './workflow.ts';

/** Roles that process applications; an agency administrator or auditor alone does not. */
const processingRoles = ['clerk', 'approver', 'head-of-department'] as const;

export interface TakeActionOptions {
  applicationId: number;
  accountId: number;
  action: Action;
  note?: string;
  /** forward: the department of the same agency that takes it over */
  toDepartmentId?: number;
  /** assign: the official of the department who will work on it */
  assigneeId?: number;
  timeZone: string;
  requestId?: string | null;
  ip?: string | null;
}

export function rolesIn(actor: Actor, agencyId: number): string[] {
  return actor.roles.filter((r) => r.agencyId === agencyId).map((r) => r.role);
}

/** Whether an official may work on applications held by a department: its own members only. */
export function worksIn(actor: Actor | undefined, agencyId: number, departmentId: number): actor is Actor {
  return !!actor && actor.kind === 'official' && actor.agencyId === agencyId && actor.departmentId === departmentId && processingRoles.some((r) => hasRole(actor, r, agencyId));
}

/**
 * The application and the official, when the official's department holds it: what every
 * official's page, download and action on one application starts from.
 * @throws DomainError NOT_FOUND (none, a draft, or another agency's: those do not exist for
 *   this official), FORBIDDEN (not a processing official of the holding department)
 */
export async function heldApplication(db: Db, applicationId: number, accountId: number): Promise<{ actor: Actor; application: ApplicationRow }> {
  const actor = await loadActor(db, accountId);
  const application = await findApplication(db, applicationId);
  if (!application || !actor || actor.kind !== 'official' || actor.agencyId !== application.agency_id || application.status === 'draft') throw new DomainError('NOT_FOUND');
  if (!worksIn(actor, application.agency_id, application.department_id)) throw new DomainError('FORBIDDEN', 'applications.error.notYourDepartment');
  return { actor, application };
}

/**
 * An official's step on an application held by their department: accept, claim, assign,
 * forward, request a supplement, approve, reject, reopen. Stamped by the database clock
 * with the official's name; the applicant is told.
 * @throws DomainError NOT_FOUND (also for applications of other agencies), FORBIDDEN (not a
 *   member of the holding department, or lacking the role the action needs),
 *   VALIDATION_FAILED (a reason is required; bad department or assignee),
 *   ACTION_NOT_ALLOWED (409, with the actions the status allows)
 */
export async function takeAction(db: Db, o: TakeActionOptions): Promise<{ status: Status }> {
  const { actor, application } = await heldApplication(db, o.applicationId, o.accountId);
  const rule = rules[o.action];
  const roles = rolesIn(actor, application.agency_id);
  if (rule.by !== 'official') throw new DomainError('FORBIDDEN');
  if (rule.roles && !rule.roles.some((r) => roles.includes(r))) throw new DomainError('FORBIDDEN', 'applications.error.role');
  const note = o.note?.normalize('NFC').trim() ?? '';
  if (needsNote.has(o.action) && !note) throw new DomainError('VALIDATION_FAILED', 'error.VALIDATION_FAILED', { fields: [{ field: 'note', messageKey: `applications.error.note.${o.action}` }] });
  let moveTo: number | undefined;
  let assignee: number | null | undefined;
  if (o.action === 'forward') {
    const target = (await departmentsOf(db, application.agency_id)).find((d) => d.id === o.toDepartmentId);
    if (!target || target.id === application.department_id) {
      throw new DomainError('VALIDATION_FAILED', 'error.VALIDATION_FAILED', { fields: [{ field: 'toDepartmentId', messageKey: 'applications.error.department' }] });
    }
    moveTo = target.id;
  }
  if (o.action === 'claim') assignee = actor.accountId;
  if (o.action === 'assign') {
    const colleague = o.assigneeId === undefined ? undefined : await loadActor(db, o.assigneeId);
    if (!worksIn(colleague, application.agency_id, application.department_id)) {
      throw new DomainError('VALIDATION_FAILED', 'error.VALIDATION_FAILED', { fields: [{ field: 'assigneeId', messageKey: 'applications.error.assignee' }] });
    }
    assignee = colleague.accountId;
  }
  return db.transaction().execute(async (tx) => {
    const { status } = await recordStep(
      tx,
      o.applicationId,
      {
        action: o.action, actorKind: 'official', actorAccountId: actor.accountId, actorName: actor.displayName, actorRoles: roles, note: note || null,
        ...(moveTo !== undefined ? { moveTo } : {}), ...(assignee !== undefined ? { assignee } : {}), requestId: o.requestId ?? null, ip: o.ip ?? null,
      },
      o.timeZone,
    );
    return { status };
  });
}
