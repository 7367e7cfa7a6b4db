import type { PageContext } from '../../../platform/views/context.ts';
import { Layout } from '../../../platform/views/layout.tsx';
import { CsrfField, ErrorSummary, PageHeading } from '../../../platform/views/components.tsx';
import type { ServiceVersion } from '../../catalogue/index.ts';

export interface StartPageProps {
  ctx: PageContext;
  service: ServiceVersion;
  businesses: Array<{ id: number; name: string; registrationNo: string }>;
  errors: Array<{ field: string; message: string }>;
}

/** Before the form: for whom the person applies, when a business may apply. */
export function StartPage({ ctx, service, businesses, errors }: StartPageProps) {
  const { t, locale } = ctx;
  const asSelf = service.applicantKinds.includes('resident');
  const asBusiness = service.applicantKinds.includes('business');
  return (
    <Layout ctx={ctx} title={`${t('applications.start')} - ${service.name[locale]}`}>
      <p class="nara-muted">{service.name[locale]}</p>
      <PageHeading>{t('applications.start')}</PageHeading>
      <ErrorSummary ctx={ctx} errors={errors} />
      <p>{t('applications.start.explain', { count: service.form.sections.length })}</p>
      <form method="post" action={`/services/${service.code}/apply`}>
        <CsrfField ctx={ctx} />
        {asBusiness && (businesses.length > 0 || !asSelf) ? (
          <fieldset class="nara-field" id="businessId" tabindex={-1}>
            <legend>{t('applications.start.who')}</legend>
            {asSelf ? (
              <div class="krds-form-check">
                <input type="radio" name="businessId" value="" id="who-self" checked />
                <label for="who-self">{t('applications.start.self')}</label>
              </div>
            ) : null}
            {businesses.map((b, i) => (
              <div class="krds-form-check">
                <input type="radio" name="businessId" value={String(b.id)} id={`who-${b.id}`} checked={!asSelf && i === 0} />
                <label for={`who-${b.id}`}>
                  {b.name} ({b.registrationNo})
                </label>
              </div>
            ))}
            {businesses.length === 0 ? <p>{t('applications.start.noBusiness')} <a href="/account#business-heading">{t('applications.start.linkBusiness')}</a></p> : null}
          </fieldset>
        ) : null}
        {asSelf || businesses.length > 0 ? (
          <button type="submit" class="krds-btn large primary">
            {t('applications.start.go')}
          </button>
        ) : null}
      </form>
    </Layout>
  );
}
