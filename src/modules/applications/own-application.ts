import type { Executor } from '../../platform/db/database.ts';
import { DomainError } from '../../platform/http/errors.ts';
import { findServiceVersion, type ServiceVersion } from '../catalogue/index.ts';
import { findApplication, type ApplicationRow } from './repository.ts';

/**
 * The application and its service version, if it belongs to this account. Another
 * person's application answers exactly as a missing one does, so ids reveal nothing.
 * @throws DomainError NOT_FOUND
 */
export async function ownApplication(db: Executor, applicationId: number, accountId: number): Promise<{ application: ApplicationRow; service: ServiceVersion }> {
  const application = await findApplication(db, applicationId);
  if (!application || application.applicant_account_id !== accountId) throw new DomainError('NOT_FOUND');
  const service = await findServiceVersion(db, application.service_id, application.service_version);
  if (!service) throw new DomainError('NOT_FOUND');
  return { application, service };
}
