import type { Db, Executor } from '../../platform/db/database.ts';
import { besideTheDatabase } from '../../platform/db/beside-database.ts';
import { DomainError } from '../../platform/http/errors.ts';
import { checkAnswers } from '../catalogue/index.ts';
import { findBusinessesByIds } from '../registry/index.ts';
import { notify } from '../notifications/index.ts';
import { evaluateRules, isDecisionRules } from './decision-rules.ts';
import { lockForStep, recordStep } from './record-step.ts';
import type { Status } from './workflow.ts';

export interface SubmitApplicationOptions {
  applicationId: number;
  accountId: number;
  /** an official at a counter submitting for the applicant, who is present */
  assistedBy?: number | null;
  timeZone: string;
  requestId?: string | null;
  ip?: string | null;
}

/** Register facts the decision rules may use: `facts.businessYears` and the like. */
async function factsFor(db: Executor, businessId: number | null, today: Date): Promise<Record<string, unknown>> {
  if (businessId === null) return {};
  const [business] = await findBusinessesByIds(db, [businessId]);
  if (!business) return {};
  const opened = new Date(`${business.openedOn}T00:00:00Z`);
  const years = (today.getTime() - opened.getTime()) / (365.25 * 24 * 3600 * 1000);
  return { businessYears: Math.floor(years), industryCode: business.industryCode };
}

/**
 * Files a draft: checks every answer, gives it a receipt number, records the submission,
 * tells the applicant, and lets the service's rules decide at once when they hold. The
 * busiest write there is: its transaction runs beside the database (beside-database.ts).
 * @throws DomainError NOT_FOUND, VALIDATION_FAILED (with the fields), ACTION_NOT_ALLOWED
 */
export const submitApplication = besideTheDatabase(import.meta.url, 'submitApplication', async (db: Db, o: SubmitApplicationOptions): Promise<{ receiptNo: string; status: Status }> =>
  db.transaction().execute(async (tx) => {
    const locked = await lockForStep(tx, o.applicationId);
    const { application } = locked;
    if (application.applicant_account_id !== o.accountId) throw new DomainError('NOT_FOUND');
    if (application.status !== 'draft') throw new DomainError('ACTION_NOT_ALLOWED', 'applications.error.notDraft', { allowed: [] });
    const errors = checkAnswers(locked.service.form, application.answers);
    if (errors.length) throw new DomainError('VALIDATION_FAILED', 'error.VALIDATION_FAILED', { fields: errors });
    const facts = isDecisionRules(locked.service.rules) ? await factsFor(tx, application.business_id, new Date()) : {};
    const common = { requestId: o.requestId ?? null, ip: o.ip ?? null };
    const submitted = await recordStep(tx, o.applicationId, { action: 'submit', actorKind: 'applicant', actorAccountId: o.accountId, actorName: null, assistedBy: o.assistedBy ?? null, assignReceipt: true, ...common }, o.timeZone, locked);
    const receiptNo = submitted.receiptNo!;
    let status = submitted.status;
    await notify(tx, { accountId: o.accountId, template: 'applications.notice.received', params: { receiptNo, service: locked.service.name }, link: `/applications/${o.applicationId}`, email: true });
    const outcome = evaluateRules(locked.service.rules, application.answers, facts);
    if (outcome && isDecisionRules(locked.service.rules)) {
      ({ status } = await recordStep(
        tx,
        o.applicationId,
        { action: 'decide', actorKind: 'system', actorAccountId: null, actorName: null, outcome, details: { ruleSet: locked.service.rules.id, ruleVersion: locked.service.rules.version, serviceVersion: locked.service.version }, ...common },
        o.timeZone,
      ));
    }
    return { receiptNo, status };
  }),
);
