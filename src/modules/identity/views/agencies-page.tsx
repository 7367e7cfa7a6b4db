import type { PageContext } from '../../../platform/views/context.ts';
import { Layout } from '../../../platform/views/layout.tsx';
import { PageHeading } from '../../../platform/views/components.tsx';

export interface AgencyView {
  id: number;
  code: string;
  name: string;
  parentName: string | null;
  phone: string;
  email: string;
  address: string;
  departments: Array<{ id: number; code: string; name: string; phone: string }>;
}

export function AgenciesPage({ ctx, agencies }: { ctx: PageContext; agencies: AgencyView[] }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('identity.agencies.title')}>
      <PageHeading>{t('identity.agencies.title')}</PageHeading>
      <p>{t('identity.agencies.intro')}</p>
      <ul class="nara-card-list">
        {agencies.map((a) => (
          <li class="nara-card" id={`agency-${a.code}`}>
            <h2>{a.name}</h2>
            <dl class="nara-dl">
              {a.parentName ? (
                <>
                  <dt>{t('identity.agencies.parent')}</dt>
                  <dd>{a.parentName}</dd>
                </>
              ) : null}
              <dt>{t('identity.agencies.phone')}</dt>
              <dd>
                <a href={`tel:${a.phone}`}>{a.phone}</a>
              </dd>
              <dt>{t('identity.agencies.email')}</dt>
              <dd>{a.email}</dd>
              <dt>{t('identity.agencies.address')}</dt>
              <dd>{a.address}</dd>
            </dl>
            <h3>{t('identity.agencies.departments')}</h3>
            <ul class="nara-plain-list">
              {a.departments.map((d) => (
                <li>
                  {d.name} <span class="nara-muted">{d.phone}</span>
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </Layout>
  );
}
