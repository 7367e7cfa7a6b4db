import type { PageContext } from '../../../platform/views/context.ts';
import { Layout } from '../../../platform/views/layout.tsx';
import { PageHeading } from '../../../platform/views/components.tsx';
import { formatDate } from '../../../platform/views/format.ts';

export interface ApplicationListItem {
  id: number;
  receiptNo: string | null;
  serviceName: string;
  status: string;
  dueDate: string | null;
  daysLeft: number | null;
}

export function MyApplicationsPage({ ctx, items, timeZone }: { ctx: PageContext; items: ApplicationListItem[]; timeZone: string }) {
  const { t, locale } = ctx;
  return (
    <Layout ctx={ctx} title={t('applications.mine')}>
      <PageHeading>{t('applications.mine')}</PageHeading>
      {items.length === 0 ? (
        <p>
          {t('applications.mine.none')} <a href="/services">{t('applications.mine.find')}</a>
        </p>
      ) : (
        <ul class="nara-card-list">
          {items.map((a) => (
            <li class="nara-card">
              <p class="nara-muted">{a.receiptNo ? t('applications.receiptNo', { no: a.receiptNo }) : t('applications.status.draft')}</p>
              <h2>
                <a href={a.status === 'draft' ? `/applications/${a.id}/edit` : `/applications/${a.id}`}>{a.serviceName}</a>
              </h2>
              <p>
                <span class={`nara-status is-${a.status}`}>{t(`applications.status.${a.status}`)}</span>
                {a.dueDate ? ` · ${t('applications.due', { date: formatDate(a.dueDate, locale, timeZone) })}` : ''}
                {a.daysLeft !== null ? ` · ${a.daysLeft >= 0 ? t('applications.daysLeft', { days: a.daysLeft }) : t('applications.daysOver', { days: -a.daysLeft })}` : ''}
              </p>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}
