import type { Db } from '../../platform/db/database.ts';
import { DomainError, type FieldError } from '../../platform/http/errors.ts';
import { checkAnswers, readAnswers, withoutUnasked, type FormData } from '../catalogue/index.ts';
import { ownApplication } from './own-application.ts';
import { saveAnswers } from './repository.ts';

export interface SaveDraftOptions {
  applicationId: number;
  accountId: number;
  /** the page of the form the answers come from; without it, the whole form */
  sectionId?: string;
  input: Record<string, unknown>;
}

/**
 * Saves one page of answers (or all of them) to a draft, whatever they are (nothing typed is lost), and
 * says what is wrong with them so the page can be shown again with its errors.
 * @throws DomainError NOT_FOUND (no such draft of this person), ACTION_NOT_ALLOWED (submitted)
 */
export async function saveDraft(db: Db, o: SaveDraftOptions): Promise<{ answers: FormData; errors: FieldError[] }> {
  const { application, service } = await ownApplication(db, o.applicationId, o.accountId);
  if (application.status !== 'draft') throw new DomainError('ACTION_NOT_ALLOWED', 'applications.error.notDraft', { allowed: [] });
  const sections = o.sectionId === undefined ? service.form.sections : service.form.sections.filter((s) => s.id === o.sectionId);
  if (sections.length === 0) throw new DomainError('NOT_FOUND');
  const kept: FormData = { ...application.answers };
  for (const field of sections.flatMap((s) => s.fields)) delete kept[field.name];
  const answers = withoutUnasked(service.form, { ...kept, ...readAnswers(service.form, o.input, o.sectionId) });
  await saveAnswers(db, o.applicationId, answers);
  return { answers, errors: checkAnswers(service.form, answers, o.sectionId) };
}
