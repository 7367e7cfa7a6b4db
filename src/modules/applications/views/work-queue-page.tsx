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

export interface Workload {
  name: string;
  open: number;
  overdue: number;
}

export interface QueueFilters {
  status: string;
  sort: 'due' | 'submitted';
  mine: boolean;
}

/** A department's work queue: overdue and near-due first by default, filters that work without JavaScript. */
export interface HeadView {
  workload: Workload[];
  colleagues: Array<{ id: number; name: string }>;
}

export function WorkQueuePage({ ctx, departmentName, items, filters, timeZone, head, notice }: { ctx: PageContext; departmentName: string; items: QueueItem[]; filters: QueueFilters; timeZone: string; head?: HeadView | undefined; notice?: string | undefined }) {
  const isHead = head !== undefined;
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
      {notice ? <p role="status" class="nara-notice nara-notice-success">{notice}</p> : null}
      {head ? (
        <section aria-labelledby="workload-heading">
          <h2 id="workload-heading" class="nara-section-title">{t('work.workload')}</h2>
          <div class="nara-table-wrap" tabindex={0} role="region" aria-labelledby="workload-heading">
            <table class="nara-table">
              <thead>
                <tr>
                  <th scope="col">{t('work.col.assignee')}</th>
                  <th scope="col">{t('work.workload.open')}</th>
                  <th scope="col">{t('work.workload.overdue')}</th>
                </tr>
              </thead>
              <tbody>
                {head.workload.map((w) => (
                  <tr class={w.overdue > 0 ? 'is-overdue' : ''}>
                    <th scope="row">{w.name || t('work.unassigned')}</th>
                    <td>{w.open}</td>
                    <td>{w.overdue}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
      <p role="status">{t('work.count', { count: items.length })}{isHead ? ` ${t('work.headNote')}` : ''}</p>
      <form method="post" action="/work/assign" id="bulk-assign">
        <input type="hidden" name="_csrf" value={ctx.csrfToken ?? ''} />
      </form>
      <div class="nara-table-wrap" tabindex={0} role="region" aria-labelledby="work-table-caption">
        <table class="nara-table">
          <caption id="work-table-caption">{t('work.caption')}</caption>
          <thead>
            <tr>
              {isHead ? <th scope="col">{t('work.col.select')}</th> : null}
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
                  {isHead ? (
                    <td>
                      <div class="krds-form-check">
                        <input type="checkbox" name="ids" value={String(a.id)} id={`select-${a.id}`} form="bulk-assign" />
                        <label for={`select-${a.id}`}>
                          <span class="sr-only">{t('work.select', { receipt: a.receiptNo })}</span>
                        </label>
                      </div>
                    </td>
                  ) : null}
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
      {head && head.colleagues.length ? (
        <div class="nara-filter-form">
          <div class="form-group">
            <div class="form-tit">
              <label for="bulk-assignee">{t('work.bulk.to')}</label>
            </div>
            <div class="form-conts">
              <select id="bulk-assignee" name="assigneeId" class="krds-form-select" form="bulk-assign">
                {head.colleagues.map((c) => <option value={String(c.id)}>{c.name}</option>)}
              </select>
            </div>
          </div>
          <button type="submit" class="krds-btn medium secondary" form="bulk-assign">{t('work.bulk.assign')}</button>
        </div>
      ) : null}
    </Layout>
  );
}
