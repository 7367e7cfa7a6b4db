import type { PageContext } from '../../../platform/views/context.ts';
import { Layout } from '../../../platform/views/layout.tsx';
import { PageHeading } from '../../../platform/views/components.tsx';
import { formatDate, formatDateTime } from '../../../platform/views/format.ts';

export interface QueueItem {
  id: number;
  receiptNo: string;
  serviceName: string;
  status: string;
  submittedAt: Date;
  dueDate: string | null;
  daysLeft: number | null;
  assignee: string | null;
  escalated: boolean;
}

export interface QueueFilters {
  status: string;
  sort: 'due' | 'submitted';
  mine: boolean;
}

/** A department's work queue: overdue and near-due first by default, filters that work without JavaScript. */
export function WorkQueuePage({ ctx, departmentName, items, filters, timeZone, isHead }: { ctx: PageContext; departmentName: string; items: QueueItem[]; filters: QueueFilters; timeZone: string; isHead: boolean }) {
  const { t, locale } = ctx;
  const statuses = ['open', 'submitted', 'in-review', 'awaiting-supplement', 'overdue', 'closed'];
  return (
    <Layout ctx={ctx} title={t('work.title')}>
      <p class="nara-muted">{departmentName}</p>
      <PageHeading>{t('work.title')}</PageHeading>
      <form method="get" action="/work" class="nara-filter-form">
        <div class="form-group">
          <div class="form-tit">
            <label for="work-status">{t('work.filter.status')}</label>
          </div>
          <div class="form-conts">
            <select id="work-status" name="status" class="krds-form-select">
              {statuses.map((s) => (
                <option value={s} selected={filters.status === s}>
                  {t(`work.filter.${s}`)}
                </option>
              ))}
            </select>
          </div>
        </div>
        <div class="form-group">
          <div class="form-tit">
            <label for="work-sort">{t('work.sort')}</label>
          </div>
          <div class="form-conts">
            <select id="work-sort" name="sort" class="krds-form-select">
              <option value="due" selected={filters.sort === 'due'}>{t('work.sort.due')}</option>
              <option value="submitted" selected={filters.sort === 'submitted'}>{t('work.sort.submitted')}</option>
            </select>
          </div>
        </div>
        <div class="krds-form-check">
          <input type="checkbox" id="work-mine" name="mine" value="1" checked={filters.mine} />
          <label for="work-mine">{t('work.filter.mine')}</label>
        </div>
        <button type="submit" class="krds-btn medium secondary">{t('work.filter.apply')}</button>
      </form>
      <p role="status">{t('work.count', { count: items.length })}{isHead ? ` ${t('work.headNote')}` : ''}</p>
      <div class="nara-table-wrap" tabindex={0} role="region" aria-labelledby="work-table-caption">
        <table class="nara-table">
          <caption id="work-table-caption">{t('work.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('work.col.receipt')}</th>
              <th scope="col">{t('work.col.service')}</th>
              <th scope="col">{t('work.col.status')}</th>
              <th scope="col">{t('work.col.submitted')}</th>
              <th scope="col">{t('work.col.due')}</th>
              <th scope="col">{t('work.col.assignee')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((a) => {
              const urgency = a.daysLeft === null ? '' : a.daysLeft < 0 ? 'is-overdue' : a.daysLeft <= 1 ? 'is-near' : '';
              return (
                <tr class={urgency}>
                  <td>
                    <a href={`/work/applications/${a.id}`}>{a.receiptNo}</a>
                  </td>
                  <td>{a.serviceName}</td>
                  <td>{t(`applications.status.${a.status}`)}</td>
                  <td>{formatDateTime(a.submittedAt, locale, timeZone)}</td>
                  <td>
                    {a.dueDate ? formatDate(a.dueDate, locale, timeZone) : '—'}
                    {a.daysLeft !== null ? (
                      <strong class="nara-urgency"> {a.daysLeft < 0 ? t('applications.daysOver', { days: -a.daysLeft }) : a.daysLeft <= 1 ? t('work.nearDue', { days: a.daysLeft }) : ''}</strong>
                    ) : null}
                    {a.escalated ? <span class="nara-muted"> {t('work.escalated')}</span> : null}
                  </td>
                  <td>{a.assignee ?? t('work.unassigned')}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </Layout>
  );
}
