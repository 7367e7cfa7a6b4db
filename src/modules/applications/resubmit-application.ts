import type { Db } from '../../platform/db/database.ts';
import { DomainError } from '../../platform/http/errors.ts';
import { checkAnswers, readAnswers, withoutUnasked, type FormData } from '../catalogue/index.ts';
import { ownApplication } from './own-application.ts';
import { recordStep } from './record-step.ts';
import type { ApplicantStepOptions } from './withdraw-application.ts';
import type { Status } from './workflow.ts';

/**
 * The applicant answers a supplement request: amended answers (all of the form) and a
 * note, checked like a submission; the clock starts again.
 * @throws DomainError NOT_FOUND, VALIDATION_FAILED, ACTION_NOT_ALLOWED (nothing was asked)
 */
export async function resubmitApplication(db: Db, o: ApplicantStepOptions & { input: Record<string, unknown>; note?: string }): Promise<{ status: Status; answers: FormData }> {
  const { application, service } = await ownApplication(db, o.applicationId, o.accountId);
  const answers = withoutUnasked(service.form, readAnswers(service.form, o.input));
  if (application.status === 'awaiting-supplement') {
    const errors = checkAnswers(service.form, answers);
    if (errors.length) throw new DomainError('VALIDATION_FAILED', 'error.VALIDATION_FAILED', { fields: errors });
  }
  const changed = Object.keys({ ...application.answers, ...answers }).filter((k) => application.answers[k] !== answers[k]);
  return db.transaction().execute(async (tx) => {
    const { status } = await recordStep(
      tx,
      o.applicationId,
      {
        action: 'resubmit', actorKind: 'applicant', actorAccountId: o.accountId, actorName: null, assistedBy: o.assistedBy ?? null, note: o.note?.trim() || null,
        details: { changedFields: changed }, answers, requestId: o.requestId ?? null, ip: o.ip ?? null,
      },
      o.timeZone,
    );
    return { status, answers };
  });
}
