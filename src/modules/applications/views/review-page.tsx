import type { PageContext } from '../../../platform/views/context.ts';
import { Layout } from '../../../platform/views/layout.tsx';
import { CsrfField, ErrorSummary, PageHeading } from '../../../platform/views/components.tsx';
import { formatMoney } from '../../../platform/views/format.ts';
import { answerText, isAsked, type FormData, type ServiceVersion } from '../../catalogue/index.ts';
import { Progress } from './form-page.tsx';

export interface ReviewPageProps {
  ctx: PageContext;
  applicationId: number;
  service: ServiceVersion;
  answers: FormData;
  businessName: string | null;
  errors: Array<{ field: string; message: string; section: string }>;
  attachments?: preact.ComponentChildren;
  notice?: string | undefined;
}

export function ReviewPage({ ctx, applicationId, service, answers, businessName, errors, attachments, notice }: ReviewPageProps) {
  const { t, locale } = ctx;
  return (
    <Layout ctx={ctx} title={`${errors.length ? `${t('applications.errorPrefix')} ` : ''}${t('applications.review')} - ${service.name[locale]}`}>
      <p class="nara-muted">{service.name[locale]}</p>
      <PageHeading>{t('applications.review.heading')}</PageHeading>
      <Progress ctx={ctx} service={service} current={service.form.sections.length} />
      {notice ? <p role="status" class="nara-notice nara-notice-success">{notice}</p> : null}
      <ErrorSummary ctx={ctx} errors={errors.map((e) => ({ field: `answer-${e.field}`, message: e.message }))} />
      {businessName ? <p>{t('applications.forBusiness', { name: businessName })}</p> : null}
      {service.form.sections.map((section) => (
        <section aria-labelledby={`review-${section.id}`}>
          <h2 id={`review-${section.id}`} class="nara-section-title">{section.title[locale]}</h2>
          <dl class="nara-facts">
            {section.fields.filter((f) => isAsked(f, answers)).map((f) => {
              const error = errors.find((e) => e.field === f.name);
              return (
                <>
                  <dt id={`answer-${f.name}`}>{f.label[locale]}</dt>
                  <dd>
                    {answerText(service.form, f, answers[f.name], locale, t('applications.yes'), t('applications.no'))}
                    {error ? <p class="form-hint-invalid">{error.message}</p> : null}
                  </dd>
                </>
              );
            })}
          </dl>
          <p>
            <a href={`/applications/${applicationId}/edit/${section.id}`}>{t('applications.change', { section: section.title[locale] })}</a>
          </p>
        </section>
      ))}
      <section aria-labelledby="review-documents">
        <h2 id="review-documents" class="nara-section-title">{t('service.documents')}</h2>
        {service.documents.length ? <ul>{service.documents.map((d) => <li>{d[locale]}</li>)}</ul> : <p>{t('service.documents.none')}</p>}
      </section>
      {attachments}
      <section aria-labelledby="review-fee">
        <h2 id="review-fee" class="nara-section-title">{t('service.fee')}</h2>
        <p>{service.feeMinor ? t('applications.feeDue', { fee: formatMoney(service.feeMinor, service.currency, locale) }) : t('services.fee.none')}</p>
      </section>
      <form method="post" action={`/applications/${applicationId}/submit`}>
        <CsrfField ctx={ctx} />
        <p>{t('applications.submit.explain', { days: service.periodDays })}</p>
        <button type="submit" class="krds-btn large primary">
          {t('applications.submit')}
        </button>
      </form>
    </Layout>
  );
}
