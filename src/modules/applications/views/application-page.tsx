import type { PageContext } from '../../../platform/views/context.ts';
import { Layout } from '../../../platform/views/layout.tsx';
import { CsrfField, ErrorSummary, Notice, PageHeading } from '../../../platform/views/components.tsx';
import { formatDate, formatDateTime } from '../../../platform/views/format.ts';
import { answerText, FormFields, isAsked, type FormData, type ServiceVersion } from '../../catalogue/index.ts';
import { Timeline, type TimelineStep } from './timeline.tsx';
import { FeedbackForm, type FeedbackState } from './feedback-form.tsx';

export interface ApplicationPageProps {
  ctx: PageContext;
  id: number;
  receiptNo: string | null;
  service: ServiceVersion;
  status: string;
  answers: FormData;
  steps: TimelineStep[];
  dueDate: string | null;
  paused: boolean;
  daysLeft: number | null;
  /** the applicant's own view (withdraw, answer a supplement request) or an official's */
  applicantView: boolean;
  canWithdraw: boolean;
  supplementRequest: string | null;
  amend?: { typed: Record<string, unknown>; errors: Array<{ field: string; message: string }> } | undefined;
  notice?: string | undefined;
  /** applicant view of a decided application: the feedback form or thanks */
  feedback?: FeedbackState | undefined;
  /** applicant view: every time an official opened it */
  reads?: Array<{ name: string; department: string; at: Date }> | undefined;
  timeZone: string;
  departmentName: (id: number) => string;
  /** applicant view or official view (the latter has its own actions below) */
  children?: preact.ComponentChildren;
  /** the attached documents section */
  attachments?: preact.ComponentChildren;
}

/** What the log check script says, in the reader's language. */
function logCheckText(t: PageContext['t']): string {
  const keys = ['checking', 'ok', 'okUnsigned', 'pending', 'notLogged', 'changed', 'failed', 'badSignature', 'noCrypto', 'error'];
  return JSON.stringify(Object.fromEntries(keys.map((k) => [k, t(`transparency.check.${k}`)])));
}

export function ApplicationPage(p: ApplicationPageProps) {
  const { ctx, service } = p;
  const { t, locale } = ctx;
  const amending = p.status === 'awaiting-supplement' && p.applicantView;
  return (
    <Layout ctx={ctx} title={`${service.name[locale]} ${p.receiptNo ?? ''}`.trim()} scripts={['/assets/applications/live.js', ...(p.applicantView ? ['/assets/transparency/log-check.js'] : []), ...(amending || p.feedback ? ['/assets/applications/form.js'] : [])]}>
      <p class="nara-muted">{p.receiptNo ? t('applications.receiptNo', { no: p.receiptNo }) : ''}</p>
      <PageHeading>{service.name[locale]}</PageHeading>
      {p.notice ? <Notice kind="success">{p.notice}</Notice> : null}
      <dl class="nara-facts" id="summary">
        <dt>{t('applications.statusLabel')}</dt>
        <dd>
          <span class={`nara-status is-${p.status}`} id="status">{t(`applications.status.${p.status}`)}</span>
        </dd>
        <dt>{t('applications.deadline')}</dt>
        <dd>
          {p.paused
            ? t('applications.paused')
            : p.dueDate
              ? `${formatDate(p.dueDate, locale, p.timeZone)}${p.daysLeft !== null ? ` (${p.daysLeft >= 0 ? t('applications.daysLeft', { days: p.daysLeft }) : t('applications.daysOver', { days: -p.daysLeft })})` : ''}`
              : '—'}
        </dd>
        <dt>{t('service.period')}</dt>
        <dd>{t('service.period.value', { days: service.periodDays })}</dd>
      </dl>

      {p.applicantView && p.feedback ? <FeedbackForm ctx={ctx} applicationId={p.id} state={p.feedback} /> : null}

      {amending ? (
        <section aria-labelledby="supplement-heading" class="nara-panel">
          <h2 id="supplement-heading" class="nara-section-title">{t('applications.supplement.heading')}</h2>
          <p class="nara-timeline-note">{p.supplementRequest}</p>
          <ErrorSummary ctx={ctx} errors={(p.amend?.errors ?? []).map((e) => ({ field: `f-${e.field}`, message: e.message }))} />
          <form method="post" action={`/applications/${p.id}/resubmit`} novalidate>
            <CsrfField ctx={ctx} />
            {service.form.sections.map((section) => (
              <fieldset class="nara-fieldset">
                <legend>{section.title[locale]}</legend>
                <FormFields
                  form={service.form}
                  section={section}
                  answers={p.answers}
                  {...(p.amend ? { typed: p.amend.typed } : {})}
                  errors={p.amend?.errors ?? []}
                  locale={locale}
                  requiredMark={t('applications.required')}
                  conditionHint={() => t('applications.onlyIfShort')}
                />
              </fieldset>
            ))}
            <div class="form-group">
              <div class="form-tit">
                <label for="supplement-note">{t('applications.supplement.note')}</label>
              </div>
              <div class="form-conts">
                <textarea id="supplement-note" name="note" class="krds-input" rows={3} maxLength={2000}></textarea>
              </div>
            </div>
            <button type="submit" class="krds-btn large primary">
              {t('applications.supplement.send')}
            </button>
          </form>
        </section>
      ) : null}

      <section aria-labelledby="timeline-heading" {...(p.applicantView ? { 'data-log-check': '', 'data-log-url': `/applications/${p.id}/log`, 'data-log-text': logCheckText(t), 'data-time-zone': p.timeZone } : {})}>
        <h2 id="timeline-heading" class="nara-section-title">{t('applications.timeline')}</h2>
        <p class="nara-help">{t('applications.timeline.explain')}</p>
        {p.applicantView ? (
          <p class="nara-help">
            {t('transparency.check.explain')} <a href="/transparency">{t('transparency.check.more')}</a>
          </p>
        ) : null}
        <Timeline ctx={ctx} steps={p.steps} timeZone={p.timeZone} departmentName={p.departmentName} checkable={p.applicantView} />
        <p>
          <a href={`/applications/${p.id}`} class="krds-btn small secondary" id="refresh">{t('applications.refresh')}</a>
        </p>
      </section>

      {p.attachments}

      <section aria-labelledby="answers-heading">
        <h2 id="answers-heading" class="nara-section-title">{t('applications.answers')}</h2>
        <dl class="nara-facts">
          {service.form.sections.flatMap((s) => s.fields).filter((f) => isAsked(f, p.answers)).map((f) => (
            <>
              <dt>{f.label[locale]}</dt>
              <dd>{answerText(service.form, f, p.answers[f.name], locale, t('applications.yes'), t('applications.no'))}</dd>
            </>
          ))}
        </dl>
      </section>

      {p.children}

      {p.applicantView && p.reads ? (
        <section aria-labelledby="reads-heading">
          <h2 id="reads-heading" class="nara-section-title">{t('applications.reads')}</h2>
          <p class="nara-help">{t('applications.reads.explain')}</p>
          {p.reads.length === 0 ? (
            <p>{t('applications.reads.none')}</p>
          ) : (
            <ul>
              {p.reads.map((r) => (
                <li>
                  {[r.name, r.department].filter(Boolean).join(' · ')} — <time datetime={r.at.toISOString()}>{formatDateTime(r.at, locale, p.timeZone)}</time>
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}

      {p.applicantView && p.canWithdraw ? (
        <section aria-labelledby="withdraw-heading">
          <h2 id="withdraw-heading" class="nara-section-title">{t('applications.withdraw')}</h2>
          <form method="post" action={`/applications/${p.id}/withdraw`}>
            <CsrfField ctx={ctx} />
            <p>{t('applications.withdraw.explain')}</p>
            <button type="submit" class="krds-btn medium secondary">
              {t('applications.withdraw')}
            </button>
          </form>
        </section>
      ) : null}
      <p>
        <a href={`/services/${service.code}`}>{t('applications.aboutService')}</a>
      </p>
    </Layout>
  );
}
