import type { PageContext } from '../../../platform/views/context.ts';
import { Layout } from '../../../platform/views/layout.tsx';
import { PageHeading } from '../../../platform/views/components.tsx';
import { formatDate, formatMoney } from '../../../platform/views/format.ts';
import type { ServiceVersion } from '../repository.ts';

/** What the public record of a service's processing shows; computed by the applications module. */
export interface ServiceFigures {
  /** working days from submission to decision, median over the last twelve months */
  medianDays: number | null;
  /** share of decisions in the last twelve months made within the statutory period */
  withinDeadlineShare: number | null;
  decided: number;
  thisMonth: number;
  /** open applications past their deadline now */
  overdue: number;
  integrity: { index: number | null; responses: number; minimum: number };
}

export interface ServicePageProps {
  ctx: PageContext;
  service: ServiceVersion;
  agency: { name: string; phone: string; email: string; address: string };
  department: { name: string; phone: string };
  figures: ServiceFigures;
  timeZone: string;
}

/** Who may apply, the legal basis, the fee and the statutory period: the terms of a version. */
export function ServiceTerms({ ctx, service }: { ctx: PageContext; service: ServiceVersion }) {
  const { t, locale } = ctx;
  return (
    <>
      <dt>{t('service.who')}</dt>
      <dd>{service.applicantKinds.map((k) => t(`service.who.${k}`)).join(', ')}</dd>
      <dt>{t('service.legalBasis')}</dt>
      <dd>{service.legalBasis[locale]}</dd>
      <dt>{t('service.fee')}</dt>
      <dd>{service.feeMinor === 0 ? t('services.fee.none') : formatMoney(service.feeMinor, service.currency, locale)}</dd>
      <dt>{t('service.period')}</dt>
      <dd>{t('service.period.value', { days: service.periodDays })}</dd>
    </>
  );
}

const percent = (share: number, locale: string) => new Intl.NumberFormat(locale === 'ko' ? 'ko-KR' : 'en-GB', { style: 'percent', maximumFractionDigits: 0 }).format(share);

export function ServicePage({ ctx, service, agency, department, figures, timeZone }: ServicePageProps) {
  const { t, locale } = ctx;
  const name = service.name[locale];
  return (
    <Layout ctx={ctx} title={name}>
      <p class="nara-muted">{agency.name}</p>
      <PageHeading>{name}</PageHeading>
      <p class="nara-lead">{service.summary[locale]}</p>
      <p>
        <a class="krds-btn large primary" href={`/services/${service.code}/apply`}>
          {t('service.apply')}
        </a>
      </p>

      <section aria-labelledby="rules-heading">
        <h2 id="rules-heading" class="nara-section-title">{t('service.rules')}</h2>
        <dl class="nara-facts">
          <ServiceTerms ctx={ctx} service={service} />
          <dt>{t('service.department')}</dt>
          <dd>
            {agency.name} {department.name}
            <br />
            {t('service.contact.phone')} <a href={`tel:${department.phone}`}>{department.phone}</a> · {t('service.contact.email')} <a href={`mailto:${agency.email}`}>{agency.email}</a>
            <br />
            {agency.address}
          </dd>
          <dt>{t('service.version')}</dt>
          <dd>{service.publishedAt ? t('service.version.value', { version: service.version, date: formatDate(service.publishedAt, locale, timeZone) }) : service.version}</dd>
        </dl>
      </section>

      <section aria-labelledby="documents-heading">
        <h2 id="documents-heading" class="nara-section-title">{t('service.documents')}</h2>
        {service.documents.length === 0 ? <p>{t('service.documents.none')}</p> : <ul>{service.documents.map((d) => <li>{d[locale]}</li>)}</ul>}
      </section>

      <section aria-labelledby="steps-heading">
        <h2 id="steps-heading" class="nara-section-title">{t('service.steps')}</h2>
        <ol class="nara-steps">{service.steps.map((s) => <li>{s[locale]}</li>)}</ol>
        <p class="nara-help">{t('service.steps.open')}</p>
      </section>

      <section aria-labelledby="figures-heading">
        <h2 id="figures-heading" class="nara-section-title">{t('service.figures')}</h2>
        <dl class="nara-facts">
          <dt>{t('service.figures.median')}</dt>
          <dd>{figures.medianDays === null ? t('service.figures.none') : t('service.figures.days', { days: figures.medianDays })}</dd>
          <dt>{t('service.figures.withinDeadline')}</dt>
          <dd>{figures.withinDeadlineShare === null ? t('service.figures.none') : t('service.figures.share', { share: percent(figures.withinDeadlineShare, locale), decided: figures.decided })}</dd>
          <dt>{t('service.figures.thisMonth')}</dt>
          <dd>{figures.thisMonth}</dd>
          <dt>{t('service.figures.overdue')}</dt>
          <dd>{figures.overdue}</dd>
          <dt>{t('service.figures.integrity')}</dt>
          <dd>
            {figures.integrity.index === null
              ? t('service.figures.integrity.few', { responses: figures.integrity.responses, minimum: figures.integrity.minimum })
              : t('service.figures.integrity.value', { index: figures.integrity.index.toFixed(1), responses: figures.integrity.responses })}{' '}
            <a href="/integrity">{t('service.figures.integrity.method')}</a>
          </dd>
        </dl>
      </section>
    </Layout>
  );
}
