import type { FieldEncryption } from '../../platform/crypto/field-encryption.ts';
import { approvedApplication } from '../applications/index.ts';
import { accountLocale } from '../identity/index.ts';
import { certificateTypeForService } from './certificate-types.ts';
import { gatherFacts } from './gather-facts.ts';
import { issueCertificate, type IssueDeps } from './issue-certificate.ts';

/**
 * The step after an approval (the job queue brings it, with retries): a service whose
 * approval grants a permit or certificate gets it issued to the applicant, once.
 * @returns the issue number, or undefined when the service issues nothing or it is done
 */
export async function issueOnApproval(deps: IssueDeps & { encryption: FieldEncryption }, applicationId: number, today: string): Promise<string | undefined> {
  const app = await approvedApplication(deps.db, applicationId);
  if (!app) return undefined;
  const type = await certificateTypeForService(deps.db, app.serviceCode);
  if (!type) return undefined;
  const done = await deps.db.selectFrom('certificates').select('issue_number').where('application_id', '=', applicationId).where('type_code', '=', type.code).executeTakeFirst();
  if (done) return undefined;
  const facts = await gatherFacts(deps.db, deps.encryption, type, { holderAccountId: app.applicantAccountId, businessId: app.businessId, application: app }, today);
  const issued = await issueCertificate(deps, {
    type, holderAccountId: app.applicantAccountId, businessId: app.businessId, applicationId, lang: await accountLocale(deps.db, app.applicantAccountId), facts,
    actor: { accountId: null, agencyId: app.agencyId, kind: 'system' },
  });
  return issued.issueNumber;
}
