import type { PageContext } from '../../../platform/views/context.ts';
import { Layout } from '../../../platform/views/layout.tsx';
import { Notice, PageHeading } from '../../../platform/views/components.tsx';
import type { ServiceVersion } from '../repository.ts';
import { FormFields } from './form-fields.tsx';
import { ServiceTerms } from './service-page.tsx';

/** A draft version as applicants would meet it: its rules, documents, steps and every page of its form. */
export function ServicePreviewPage({ ctx, service }: { ctx: PageContext; service: ServiceVersion }) {
  const { t, locale } = ctx;
  return (
    <Layout ctx={ctx} title={`${t('catalogue.preview.title')} - ${service.name[locale]}`} scripts={['/assets/applications/form.js']}>
      <Notice kind="warning">{t('catalogue.preview.notice', { version: service.version })}</Notice>
      <PageHeading>{service.name[locale]}</PageHeading>
      <p class="nara-lead">{service.summary[locale]}</p>
      <dl class="nara-facts">
        <ServiceTerms ctx={ctx} service={service} />
      </dl>
      <h2 class="nara-section-title">{t('service.documents')}</h2>
      {service.documents.length ? <ul>{service.documents.map((d) => <li>{d[locale]}</li>)}</ul> : <p>{t('service.documents.none')}</p>}
      <h2 class="nara-section-title">{t('service.steps')}</h2>
      <ol class="nara-steps">{service.steps.map((s) => <li>{s[locale]}</li>)}</ol>
      <h2 class="nara-section-title">{t('catalogue.preview.form')}</h2>
      {service.form.sections.map((section, i) => (
        <fieldset class="nara-fieldset nara-panel">
          <legend>{t('catalogue.preview.page', { n: i + 1, title: section.title[locale] })}</legend>
          {section.help ? <p>{section.help[locale]}</p> : null}
          <FormFields form={service.form} section={section} answers={{}} errors={[]} locale={locale} requiredMark={t('catalogue.preview.required')} conditionHint={() => t('catalogue.preview.conditional')} />
        </fieldset>
      ))}
      <p>
        <a href={`/admin/services/${service.code}/edit`}>{t('catalogue.preview.back')}</a>
      </p>
    </Layout>
  );
}
