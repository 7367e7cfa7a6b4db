import type { PageContext } from '../../../platform/views/context.ts';
import { Layout } from '../../../platform/views/layout.tsx';
import { PageHeading } from '../../../platform/views/components.tsx';
import type { ServiceFigures } from '../../catalogue/index.ts';

export interface DepartmentRecord {
  name: string;
  figures: ServiceFigures;
}

const percent = (share: number, locale: string) => new Intl.NumberFormat(locale === 'ko' ? 'ko-KR' : 'en-GB', { style: 'percent', maximumFractionDigits: 0 }).format(share);

/** The published method, and the index of every department that processes applications. */
export function IntegrityPage({ ctx, departments }: { ctx: PageContext; departments: DepartmentRecord[] }) {
  const { t, locale } = ctx;
  return (
    <Layout ctx={ctx} title={t('integrity.title')}>
      <PageHeading>{t('integrity.title')}</PageHeading>
      <p>{t('integrity.p1')}</p>
      <p>{t('integrity.p2')}</p>
      <p>{t('integrity.p3')}</p>
      <h2 class="nara-section-title" id="departments-heading">{t('integrity.departments')}</h2>
      <div class="nara-table-wrap" tabindex={0} role="region" aria-labelledby="departments-heading">
        <table class="nara-table">
          <thead>
            <tr>
              <th scope="col">{t('integrity.col.department')}</th>
              <th scope="col">{t('integrity.col.decided')}</th>
              <th scope="col">{t('integrity.col.onTime')}</th>
              <th scope="col">{t('integrity.col.responses')}</th>
              <th scope="col">{t('integrity.col.index')}</th>
            </tr>
          </thead>
          <tbody>
            {departments.map((d) => (
              <tr>
                <th scope="row">{d.name}</th>
                <td>{d.figures.decided}</td>
                <td>{d.figures.withinDeadlineShare === null ? '—' : percent(d.figures.withinDeadlineShare, locale)}</td>
                <td>{d.figures.integrity.responses}</td>
                <td>{d.figures.integrity.index === null ? t('integrity.notYet', { minimum: d.figures.integrity.minimum }) : d.figures.integrity.index.toFixed(1)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Layout>
  );
}
