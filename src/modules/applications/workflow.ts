/**
 * The processing rules of an application, as pure functions: which actions each status
 * allows, who may take them, and the status that follows. Status is never stored as a
 * fact; it is what the steps say (the stored copy is a projection for the queues).
 */

export const statuses = ['draft', 'submitted', 'in-review', 'awaiting-supplement', 'approved', 'rejected', 'withdrawn'] as const;
export type Status = (typeof statuses)[number];

export const actions = ['submit', 'accept', 'claim', 'assign', 'forward', 'request-supplement', 'resubmit', 'approve', 'reject', 'withdraw', 'decide', 'escalate', 'reopen'] as const;
export type Action = (typeof actions)[number];

/** Actions that end the processing with a decision. */
export const decisions = new Set<Status>(['approved', 'rejected']);
export const closed = new Set<Status>(['approved', 'rejected', 'withdrawn']);

export type ActorKind = 'applicant' | 'official' | 'system';

interface Rule {
  from: Status[];
  by: ActorKind;
  /** the status after; `same` keeps it */
  to: Status | 'same';
  /** roles an official needs (any of them); none means any official of the department */
  roles?: string[];
}

const open: Status[] = ['submitted', 'in-review', 'awaiting-supplement'];

export const rules: Record<Action, Rule> = {
  submit: { from: ['draft'], by: 'applicant', to: 'submitted' },
  accept: { from: ['submitted'], by: 'official', to: 'in-review' },
  claim: { from: ['submitted', 'in-review'], by: 'official', to: 'same' },
  assign: { from: ['submitted', 'in-review'], by: 'official', to: 'same', roles: ['head-of-department'] },
  // The receiving department accepts it again: its own review starts on its own record.
  forward: { from: ['submitted', 'in-review'], by: 'official', to: 'submitted' },
  'request-supplement': { from: ['in-review'], by: 'official', to: 'awaiting-supplement' },
  resubmit: { from: ['awaiting-supplement'], by: 'applicant', to: 'in-review' },
  approve: { from: ['in-review'], by: 'official', to: 'approved', roles: ['approver', 'head-of-department'] },
  reject: { from: ['in-review'], by: 'official', to: 'rejected', roles: ['approver', 'head-of-department'] },
  withdraw: { from: open, by: 'applicant', to: 'withdrawn' },
  // Automatic decision by the service's rules, right after submission.
  decide: { from: ['submitted'], by: 'system', to: 'approved' },
  escalate: { from: open, by: 'system', to: 'same' },
  // A decision taken back (an error found, an appeal upheld); counts as a reversal.
  reopen: { from: ['approved', 'rejected'], by: 'official', to: 'in-review', roles: ['head-of-department'] },
};

export interface StepFact {
  action: Action;
  /** for `decide`: the outcome the rules gave */
  outcome?: 'approved' | 'rejected';
}

/** The status after the given steps, in order. Throws on a sequence the rules never allow. */
export function statusFromSteps(steps: StepFact[]): Status {
  let status: Status = 'draft';
  for (const step of steps) status = nextStatus(status, step);
  return status;
}

export function nextStatus(status: Status, step: StepFact): Status {
  const rule = rules[step.action];
  if (!rule.from.includes(status)) throw new Error(`${step.action} is not allowed in ${status}`);
  if (step.action === 'decide') return step.outcome ?? 'approved';
  return rule.to === 'same' ? status : rule.to;
}

/** The actions a kind of actor may take in a status (for the 409 answer and the buttons). */
export function allowedActions(status: Status, by: ActorKind, roles: readonly string[] = []): Action[] {
  return actions.filter((a) => {
    const rule = rules[a];
    if (rule.by !== by || !rule.from.includes(status)) return false;
    return !rule.roles || rule.roles.some((r) => roles.includes(r));
  });
}

/** Actions that need a written reason or request from the official. */
export const needsNote = new Set<Action>(['reject', 'request-supplement', 'reopen']);
