import type { PageContext } from '../../../platform/views/context.ts';
import { Layout } from '../../../platform/views/layout.tsx';
import { CsrfField, ErrorSummary, PageHeading } from '../../../platform/views/components.tsx';
import { FormFields, type FormData, type ServiceVersion } from '../../catalogue/index.ts';

export interface FormPageProps {
  ctx: PageContext;
  applicationId: number;
  service: ServiceVersion;
  sectionIndex: number;
  answers: FormData;
  typed?: Record<string, unknown>;
  errors: Array<{ field: string; message: string }>;
  notice?: string;
}

/** Where the applicant is in the form: each page, then the review. */
export function Progress({ ctx, service, current }: { ctx: PageContext; service: ServiceVersion; current: number }) {
  const { t, locale } = ctx;
  const names = [...service.form.sections.map((s) => s.title[locale]), t('applications.review')];
  return (
    <nav aria-label={t('applications.progress')}>
      <ol class="nara-progress">
        {names.map((name, i) => (
          <li class={i === current ? 'is-current' : i < current ? 'is-done' : ''} aria-current={i === current ? 'step' : undefined}>
            <span class="nara-progress-no">{t('applications.progress.step', { n: i + 1, total: names.length })}</span> {name}
          </li>
        ))}
      </ol>
    </nav>
  );
}

export function FormPage({ ctx, applicationId, service, sectionIndex, answers, typed, errors, notice }: FormPageProps) {
  const { t, locale } = ctx;
  const section = service.form.sections[sectionIndex]!;
  const title = `${section.title[locale]} - ${service.name[locale]}`;
  return (
    <Layout ctx={ctx} title={errors.length ? `${t('applications.errorPrefix')} ${title}` : title} scripts={['/assets/applications/form.js']}>
      <p class="nara-muted">{service.name[locale]}</p>
      <PageHeading>{section.title[locale]}</PageHeading>
      <Progress ctx={ctx} service={service} current={sectionIndex} />
      {notice ? <p role="status" class="nara-notice nara-notice-success">{notice}</p> : null}
      <ErrorSummary ctx={ctx} errors={errors.map((e) => ({ field: `f-${e.field}`, message: e.message }))} />
      {section.help ? <p>{section.help[locale]}</p> : null}
      <form method="post" action={`/applications/${applicationId}/edit/${section.id}`} novalidate>
        <CsrfField ctx={ctx} />
        <FormFields
          form={service.form}
          section={section}
          answers={answers}
          {...(typed ? { typed } : {})}
          errors={errors}
          locale={locale}
          requiredMark={t('applications.required')}
          conditionHint={(f) => {
            const other = service.form.sections.flatMap((s) => s.fields).find((x) => x.name === f.showIf!.field);
            return t('applications.onlyIf', { field: other?.label[locale] ?? f.showIf!.field });
          }}
        />
        <div class="nara-actions">
          <button type="submit" name="go" value="next" class="krds-btn large primary">
            {t('applications.next')}
          </button>
          {sectionIndex > 0 ? (
            <button type="submit" name="go" value="back" class="krds-btn large secondary">
              {t('applications.back')}
            </button>
          ) : null}
          <button type="submit" name="go" value="save" class="krds-btn large tertiary">
            {t('applications.saveDraft')}
          </button>
        </div>
      </form>
    </Layout>
  );
}
