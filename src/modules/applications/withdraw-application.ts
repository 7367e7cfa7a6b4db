import type { Db } from '../../platform/db/database.ts';
import { ownApplication } from './own-application.ts';
import { recordStep } from './record-step.ts';
import type { Status } from './workflow.ts';

export interface ApplicantStepOptions {
  applicationId: number;
  accountId: number;
  assistedBy?: number | null;
  timeZone: string;
  requestId?: string | null;
  ip?: string | null;
}

/**
 * The applicant withdraws an application that has not been decided.
 * @throws DomainError NOT_FOUND, ACTION_NOT_ALLOWED (decided, withdrawn, or a draft)
 */
export async function withdrawApplication(db: Db, o: ApplicantStepOptions & { reason?: string }): Promise<{ status: Status }> {
  await ownApplication(db, o.applicationId, o.accountId);
  return db.transaction().execute(async (tx) => {
    const { status } = await recordStep(
      tx,
      o.applicationId,
      { action: 'withdraw', actorKind: 'applicant', actorAccountId: o.accountId, actorName: null, assistedBy: o.assistedBy ?? null, note: o.reason?.trim() || null, requestId: o.requestId ?? null, ip: o.ip ?? null },
      o.timeZone,
    );
    return { status };
  });
}
