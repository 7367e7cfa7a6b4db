import type { PageContext } from '../../../platform/views/context.ts';
import { CsrfField, ErrorSummary } from '../../../platform/views/components.tsx';
import type { Action } from '../workflow.ts';

export interface OfficialActionsProps {
  ctx: PageContext;
  applicationId: number;
  allowed: Action[];
  departments: Array<{ id: number; name: string }>;
  colleagues: Array<{ id: number; name: string }>;
  errors: Array<{ field: string; message: string }>;
  typed: { action?: string; note?: string };
}

/** The actions the official may take now, each its own small form (works without JavaScript). */
export function OfficialActions({ ctx, applicationId, allowed, departments, colleagues, errors, typed }: OfficialActionsProps) {
  const { t } = ctx;
  const action = `/work/applications/${applicationId}/actions`;
  const noteError = errors.find((e) => e.field === 'note')?.message;
  const simple = allowed.filter((a) => a === 'accept' || a === 'claim' || a === 'approve');
  const withNote = allowed.filter((a) => a === 'request-supplement' || a === 'reject' || a === 'reopen');
  return (
    <section aria-labelledby="actions-heading" class="nara-panel">
      <h2 id="actions-heading" class="nara-section-title">{t('work.actions')}</h2>
      <ErrorSummary ctx={ctx} errors={errors.map((e) => ({ field: `action-${e.field}`, message: e.message }))} />
      {allowed.length === 0 ? <p>{t('work.actions.none')}</p> : null}
      <div class="nara-actions">
        {simple.map((a) => (
          <form method="post" action={action}>
            <CsrfField ctx={ctx} />
            <input type="hidden" name="action" value={a} />
            <button type="submit" class={`krds-btn medium ${a === 'approve' ? 'primary' : 'secondary'}`}>{t(`work.action.${a}`)}</button>
          </form>
        ))}
      </div>
      {withNote.length ? (
        <form method="post" action={action}>
          <CsrfField ctx={ctx} />
          <fieldset class="nara-field">
            <legend>{t('work.action.withNote')}</legend>
            {withNote.map((a, i) => (
              <div class="krds-form-check">
                <input type="radio" name="action" value={a} id={`action-${a}`} checked={typed.action ? typed.action === a : i === 0} />
                <label for={`action-${a}`}>{t(`work.action.${a}`)}</label>
              </div>
            ))}
          </fieldset>
          <div class={`form-group nara-field${noteError ? ' is-error' : ''}`}>
            <div class="form-tit">
              <label for="action-note">{t('work.note')}</label>
            </div>
            <p class="form-hint" id="action-note-hint">{t('work.note.hint')}</p>
            <div class="form-conts">
              <textarea id="action-note" name="note" class="krds-input" rows={4} maxLength={2000} aria-describedby={noteError ? 'action-note-hint action-note-error' : 'action-note-hint'} aria-invalid={noteError ? 'true' : undefined}>{typed.note ?? ''}</textarea>
            </div>
            {noteError ? <p class="form-hint-invalid" id="action-note-error">{noteError}</p> : null}
          </div>
          <button type="submit" class="krds-btn medium secondary">{t('work.action.record')}</button>
        </form>
      ) : null}
      {allowed.includes('forward') && departments.length ? (
        <form method="post" action={action}>
          <CsrfField ctx={ctx} />
          <input type="hidden" name="action" value="forward" />
          <div class="form-group">
            <div class="form-tit">
              <label for="action-toDepartmentId">{t('work.action.forward.to')}</label>
            </div>
            <div class="form-conts">
              <select id="action-toDepartmentId" name="toDepartmentId" class="krds-form-select">
                {departments.map((d) => <option value={String(d.id)}>{d.name}</option>)}
              </select>
            </div>
          </div>
          <button type="submit" class="krds-btn medium secondary">{t('work.action.forward')}</button>
        </form>
      ) : null}
      {allowed.includes('assign') && colleagues.length ? (
        <form method="post" action={action}>
          <CsrfField ctx={ctx} />
          <input type="hidden" name="action" value="assign" />
          <div class="form-group">
            <div class="form-tit">
              <label for="action-assigneeId">{t('work.action.assign.to')}</label>
            </div>
            <div class="form-conts">
              <select id="action-assigneeId" name="assigneeId" class="krds-form-select">
                {colleagues.map((c) => <option value={String(c.id)}>{c.name}</option>)}
              </select>
            </div>
          </div>
          <button type="submit" class="krds-btn medium secondary">{t('work.action.assign')}</button>
        </form>
      ) : null}
    </section>
  );
}
