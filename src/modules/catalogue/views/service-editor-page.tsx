import type { PageContext } from '../../../platform/views/context.ts';
import { Layout } from '../../../platform/views/layout.tsx';
import { CsrfField, ErrorSummary, Notice, PageHeading } from '../../../platform/views/components.tsx';
import type { AgencyServiceRow, ServiceInput } from '../edit-service.ts';

export function ServicesAdminPage({ ctx, agencyName, services, notice }: { ctx: PageContext; agencyName: string; services: AgencyServiceRow[]; notice?: string | undefined }) {
  const { t, locale } = ctx;
  return (
    <Layout ctx={ctx} title={t('catalogue.admin.title')}>
      <p class="nara-muted">{agencyName}</p>
      <PageHeading>{t('catalogue.admin.title')}</PageHeading>
      {notice ? <Notice kind="success">{notice}</Notice> : null}
      <p>
        <a class="krds-btn medium primary" href="/admin/services/new">{t('catalogue.admin.new')}</a>
      </p>
      <ul class="nara-card-list">
        {services.map((s) => (
          <li class="nara-card">
            <h2>
              <a href={`/admin/services/${s.code}/edit`}>{s.name[locale]}</a>
            </h2>
            <p class="nara-muted">
              {s.code} · {s.published ? t('catalogue.admin.published', { version: s.published }) : t('catalogue.admin.notPublished')}
              {s.draft ? ` · ${t('catalogue.admin.draft', { version: s.draft })}` : ''}
            </p>
          </li>
        ))}
      </ul>
    </Layout>
  );
}

export interface ServiceEditorProps {
  ctx: PageContext;
  agencyName: string;
  /** undefined for a new service */
  code?: string | undefined;
  values: ServiceInput;
  departments: Array<{ id: number; name: string }>;
  errors: Array<{ field: string; message: string }>;
  draftVersion: number | null;
  publishedVersion: number | null;
  notice?: string | undefined;
}

function Field({ id, label, hint, error, children }: { id: string; label: string; hint?: string; error?: string | undefined; children: preact.ComponentChildren }) {
  return (
    <div class={`form-group nara-field${error ? ' is-error' : ''}`}>
      <div class="form-tit">
        <label for={id}>{label}</label>
      </div>
      {hint ? <p class="form-hint" id={`${id}-hint`}>{hint}</p> : null}
      <div class="form-conts">{children}</div>
      {error ? <p class="form-hint-invalid" id={`${id}-error`}>{error}</p> : null}
    </div>
  );
}

/** The service editor: every field of a version, the form as JSON, a preview, publishing. */
export function ServiceEditorPage({ ctx, agencyName, code, values, departments, errors, draftVersion, publishedVersion, notice }: ServiceEditorProps) {
  const { t } = ctx;
  const err = (f: string) => errors.find((e) => e.field === f)?.message;
  const described = (id: string, hint: boolean) => [hint ? `${id}-hint` : '', err(id) ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  const text = (id: keyof ServiceInput, label: string, hint?: string) => (
    <Field id={id} label={label} {...(hint ? { hint } : {})} error={err(id)}>
      <input id={id} name={id} class="krds-input" value={String(values[id])} aria-describedby={described(id, !!hint)} aria-invalid={err(id) ? 'true' : undefined} />
    </Field>
  );
  const area = (id: keyof ServiceInput, label: string, hint: string, rows = 4) => (
    <Field id={id} label={label} hint={hint} error={err(id)}>
      <textarea id={id} name={id} class="krds-input nara-code" rows={rows} aria-describedby={described(id, true)} aria-invalid={err(id) ? 'true' : undefined}>
        {String(values[id])}
      </textarea>
    </Field>
  );
  return (
    <Layout ctx={ctx} title={code ? t('catalogue.editor.title', { code }) : t('catalogue.admin.new')}>
      <p class="nara-muted">{agencyName}</p>
      <PageHeading>{code ? t('catalogue.editor.title', { code }) : t('catalogue.admin.new')}</PageHeading>
      {notice ? <Notice kind="success">{notice}</Notice> : null}
      <p>
        {publishedVersion ? t('catalogue.admin.published', { version: publishedVersion }) : t('catalogue.admin.notPublished')}
        {draftVersion ? ` · ${t('catalogue.admin.draft', { version: draftVersion })}` : ''}
      </p>
      <p class="nara-help">{t('catalogue.editor.versions')}</p>
      <ErrorSummary ctx={ctx} errors={errors} />
      <form method="post" action={code ? `/admin/services/${code}/edit` : '/admin/services/new'} novalidate>
        <CsrfField ctx={ctx} />
        {code ? null : text('code', t('catalogue.editor.code'), t('catalogue.editor.code.hint'))}
        <Field id="departmentId" label={t('catalogue.editor.department')} error={err('departmentId')}>
          <select id="departmentId" name="departmentId" class="krds-form-select">
            {departments.map((d) => (
              <option value={String(d.id)} selected={values.departmentId === String(d.id)}>
                {d.name}
              </option>
            ))}
          </select>
        </Field>
        {text('nameKo', t('catalogue.editor.nameKo'))}
        {text('nameEn', t('catalogue.editor.nameEn'))}
        {area('summaryKo', t('catalogue.editor.summaryKo'), t('catalogue.editor.summary.hint'), 2)}
        {area('summaryEn', t('catalogue.editor.summaryEn'), t('catalogue.editor.summary.hint'), 2)}
        <fieldset class={`nara-field${err('applicantKinds') ? ' is-error' : ''}`} id="applicantKinds" tabindex={-1}>
          <legend>{t('service.who')}</legend>
          {(['resident', 'business'] as const).map((k) => (
            <div class="krds-form-check">
              <input type="checkbox" name="applicantKinds" value={k} id={`kind-${k}`} checked={values.applicantKinds.includes(k)} />
              <label for={`kind-${k}`}>{t(`service.who.${k}`)}</label>
            </div>
          ))}
          {err('applicantKinds') ? <p class="form-hint-invalid">{err('applicantKinds')}</p> : null}
        </fieldset>
        {text('legalBasisKo', t('catalogue.editor.legalBasisKo'))}
        {text('legalBasisEn', t('catalogue.editor.legalBasisEn'))}
        {area('documents', t('service.documents'), t('catalogue.editor.pairs.hint'))}
        {text('fee', t('catalogue.editor.fee'), t('catalogue.editor.fee.hint'))}
        {text('periodDays', t('catalogue.editor.period'), t('catalogue.editor.period.hint'))}
        {area('steps', t('service.steps'), t('catalogue.editor.pairs.hint'))}
        {area('form', t('catalogue.editor.form'), t('catalogue.editor.form.hint'), 18)}
        {area('rules', t('catalogue.editor.rules'), t('catalogue.editor.rules.hint'), 6)}
        <div class="nara-actions">
          <button type="submit" class="krds-btn large primary">{t('catalogue.editor.save')}</button>
        </div>
      </form>
      {code && draftVersion ? (
        <section aria-labelledby="publish-heading">
          <h2 id="publish-heading" class="nara-section-title">{t('catalogue.editor.publish.heading')}</h2>
          <p>
            <a href={`/admin/services/${code}/preview`}>{t('catalogue.editor.preview', { version: draftVersion })}</a>
          </p>
          <form method="post" action={`/admin/services/${code}/publish`}>
            <CsrfField ctx={ctx} />
            <p>{t('catalogue.editor.publish.explain')}</p>
            <button type="submit" class="krds-btn medium secondary">{t('catalogue.editor.publish', { version: draftVersion })}</button>
          </form>
        </section>
      ) : null}
    </Layout>
  );
}
