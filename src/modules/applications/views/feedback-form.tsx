import type { PageContext } from '../../../platform/views/context.ts';
import { CsrfField, ErrorSummary } from '../../../platform/views/components.tsx';

export interface FeedbackState {
  given: boolean;
  values: Record<string, string>;
  errors: Array<{ field: string; message: string }>;
}

/** After a decision: how it went, and whether anyone asked for anything improper. */
export function FeedbackForm({ ctx, applicationId, state }: { ctx: PageContext; applicationId: number; state: FeedbackState }) {
  const { t } = ctx;
  if (state.given) {
    return (
      <section aria-labelledby="feedback-heading">
        <h2 id="feedback-heading" class="nara-section-title">{t('applications.feedback')}</h2>
        <p>{t('applications.feedback.thanks')}</p>
      </section>
    );
  }
  const error = (field: string) => state.errors.find((e) => e.field === field)?.message;
  return (
    <section aria-labelledby="feedback-heading" class="nara-panel">
      <h2 id="feedback-heading" class="nara-section-title">{t('applications.feedback')}</h2>
      <p>{t('applications.feedback.explain')}</p>
      <ErrorSummary ctx={ctx} errors={state.errors.map((e) => ({ field: `feedback-${e.field}`, message: e.message }))} />
      <form method="post" action={`/applications/${applicationId}/feedback`} novalidate>
        <CsrfField ctx={ctx} />
        <fieldset class={`nara-field${error('satisfaction') ? ' is-error' : ''}`} id="feedback-satisfaction" tabindex={-1}>
          <legend>{t('applications.feedback.satisfaction')}</legend>
          {[5, 4, 3, 2, 1].map((n) => (
            <div class="krds-form-check">
              <input type="radio" name="satisfaction" value={String(n)} id={`satisfaction-${n}`} checked={state.values.satisfaction === String(n)} />
              <label for={`satisfaction-${n}`}>{t(`applications.feedback.satisfaction.${n}`)}</label>
            </div>
          ))}
          {error('satisfaction') ? <p class="form-hint-invalid">{error('satisfaction')}</p> : null}
        </fieldset>
        <fieldset class={`nara-field${error('improperRequest') ? ' is-error' : ''}`} id="feedback-improperRequest" tabindex={-1}>
          <legend>{t('applications.feedback.improper')}</legend>
          <p class="form-hint">{t('applications.feedback.improper.hint')}</p>
          {['no', 'yes'].map((v) => (
            <div class="krds-form-check">
              <input type="radio" name="improperRequest" value={v} id={`improper-${v}`} checked={state.values.improperRequest === v} />
              <label for={`improper-${v}`}>{t(`applications.feedback.improper.${v}`)}</label>
            </div>
          ))}
          {error('improperRequest') ? <p class="form-hint-invalid">{error('improperRequest')}</p> : null}
        </fieldset>
        <div class="form-group nara-field" data-show-if="improperRequest" data-show-value="yes">
          <div class="form-tit">
            <label for="feedback-detail">{t('applications.feedback.detail')}</label>
          </div>
          <p class="form-hint" id="feedback-detail-hint">{t('applications.feedback.detail.hint')}</p>
          <div class="form-conts">
            <textarea id="feedback-detail" name="improperDetail" class="krds-input" rows={3} maxLength={2000} aria-describedby="feedback-detail-hint">{state.values.improperDetail ?? ''}</textarea>
          </div>
        </div>
        <div class="form-group nara-field">
          <div class="form-tit">
            <label for="feedback-comment">{t('applications.feedback.comment')}</label>
          </div>
          <div class="form-conts">
            <textarea id="feedback-comment" name="comment" class="krds-input" rows={3} maxLength={2000}>{state.values.comment ?? ''}</textarea>
          </div>
        </div>
        <button type="submit" class="krds-btn medium primary">{t('applications.feedback.send')}</button>
      </form>
    </section>
  );
}
