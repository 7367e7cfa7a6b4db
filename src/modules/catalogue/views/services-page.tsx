import type { PageContext } from '../../../platform/views/context.ts';
import { Layout } from '../../../platform/views/layout.tsx';
import { PageHeading } from '../../../platform/views/components.tsx';
import { formatMoney } from '../../../platform/views/format.ts';
import type { ServiceVersion } from '../repository.ts';

export interface ServiceListItem {
  service: ServiceVersion;
  agencyName: string;
}

export function ServicesPage({ ctx, items, q }: { ctx: PageContext; items: ServiceListItem[]; q: string }) {
  const { t, locale } = ctx;
  return (
    <Layout ctx={ctx} title={t('services.title')}>
      <PageHeading>{t('services.title')}</PageHeading>
      <p class="nara-lead">{t('services.lead')}</p>
      <form method="get" action="/services" role="search" class="nara-filter-form">
        <div class="form-group">
          <div class="form-tit">
            <label for="services-q">{t('services.search')}</label>
          </div>
          <div class="form-conts">
            <input id="services-q" name="q" type="search" class="krds-input" value={q} />
          </div>
        </div>
        <button type="submit" class="krds-btn medium secondary">
          {t('services.search.submit')}
        </button>
      </form>
      <p role="status">{q ? t('services.found', { count: items.length, q }) : t('services.count', { count: items.length })}</p>
      <ul class="nara-card-list">
        {items.map(({ service, agencyName }) => (
          <li class="nara-card">
            <p class="nara-muted">{agencyName}</p>
            <h2>
              <a href={`/services/${service.code}`}>{service.name[locale]}</a>
            </h2>
            <p>{service.summary[locale]}</p>
            <p class="nara-muted">
              {t('services.period', { days: service.periodDays })} · {service.feeMinor === 0 ? t('services.fee.none') : formatMoney(service.feeMinor, service.currency, locale)}
            </p>
          </li>
        ))}
      </ul>
    </Layout>
  );
}
