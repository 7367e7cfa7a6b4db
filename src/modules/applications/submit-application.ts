import type { Db } from '../../platform/db/database.ts';
import { DomainError } from '../../platform/http/errors.ts';
import { checkAnswers } from '../catalogue/index.ts';
import { findBusinessesByIds } from '../registry/index.ts';
import { notify } from '../notifications/index.ts';
import { evaluateRules, isDecisionRules } from './decision-rules.ts';
import { ownApplication } from './own-application.ts';
import { recordStep } from './record-step.ts';
import { nextReceiptNo } from './repository.ts';
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
async function factsFor(db: Db, businessId: number | null, today: Date): Promise<Record<string, unknown>> {
  if (businessId === null) return {};
  const [business] = await findBusinessesByIds(db, [businessId]);
  if (!business) return {};
  const opened = new Date(`${business.openedOn}T00:00:00Z`);
  const years = (today.getTime() - opened.getTime()) / (365.25 * 24 * 3600 * 1000);
  return { businessYears: Math.floor(years), industryCode: business.industryCode };
}

/**
 * Files a draft: checks every answer, gives it a receipt number, records the submission,
 * tells the applicant, and lets the service's rules decide at once when they hold.
 * @throws DomainError NOT_FOUND, VALIDATION_FAILED (with the fields), ACTION_NOT_ALLOWED
 */
export async function submitApplication(db: Db, o: SubmitApplicationOptions): Promise<{ receiptNo: string; status: Status }> {
  const { application, service } = await ownApplication(db, o.applicationId, o.accountId);
  if (application.status !== 'draft') throw new DomainError('ACTION_NOT_ALLOWED', 'applications.error.notDraft', { allowed: [] });
  const errors = checkAnswers(service.form, application.answers);
  if (errors.length) throw new DomainError('VALIDATION_FAILED', 'error.VALIDATION_FAILED', { fields: errors });
  const facts = isDecisionRules(service.rules) ? await factsFor(db, application.business_id, new Date()) : {};
  return db.transaction().execute(async (tx) => {
    const receiptNo = await nextReceiptNo(tx, o.timeZone);
    const common = { requestId: o.requestId ?? null, ip: o.ip ?? null };
    let { status } = await recordStep(tx, o.applicationId, { action: 'submit', actorKind: 'applicant', actorAccountId: o.accountId, actorName: null, assistedBy: o.assistedBy ?? null, receiptNo, ...common }, o.timeZone);
    await notify(tx, { accountId: o.accountId, template: 'applications.notice.received', params: { receiptNo, service: service.name }, link: `/applications/${o.applicationId}`, email: true });
    const outcome = evaluateRules(service.rules, application.answers, facts);
    if (outcome && isDecisionRules(service.rules)) {
      ({ status } = await recordStep(
        tx,
        o.applicationId,
        { action: 'decide', actorKind: 'system', actorAccountId: null, actorName: null, outcome, details: { ruleSet: service.rules.id, ruleVersion: service.rules.version, serviceVersion: service.version }, ...common },
        o.timeZone,
      ));
    }
    return { receiptNo, status };
  });
}
