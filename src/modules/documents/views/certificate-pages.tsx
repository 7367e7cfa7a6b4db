import type { PageContext } from '../../../platform/views/context.ts';
import { Layout } from '../../../platform/views/layout.tsx';
import { CsrfField, ErrorSummary, Notice, PageHeading, TextField, type FieldErrorView } from '../../../platform/views/components.tsx';
import { formatDate, formatDateTime, formatMoney } from '../../../platform/views/format.ts';
import type { LocalText } from '../../../platform/db/schema.ts';
import type { CertificateType } from '../certificate-types.ts';
import type { CertificateStatus } from '../workflow.ts';

export interface CertificateListItem {
  issueNumber: string;
  title: string;
  issuer: string;
  issuedAt: Date;
  validUntil: Date;
  status: CertificateStatus;
}

export function StatusTag({ ctx, status }: { ctx: PageContext; status: CertificateStatus }) {
  return <span class={`nara-status is-${status === 'valid' ? 'ok' : 'warning'}`}>{ctx.t(`documents.status.${status}`)}</span>;
}

/** The holder's certificates and the types they can ask for. */
export function CertificatesPage({ ctx, items, types, timeZone }: { ctx: PageContext; items: CertificateListItem[]; types: CertificateType[]; timeZone: string }) {
  const { t, locale } = ctx;
  return (
    <Layout ctx={ctx} title={t('documents.title')}>
      <PageHeading>{t('documents.title')}</PageHeading>
      <p>{t('documents.intro')}</p>
      <h2 class="nara-section-title">{t('documents.request')}</h2>
      <ul class="nara-list">
        {types.map((type) => (
          <li>
            <a href={`/certificates/request/${type.code}`}>{type.title[locale]}</a>
            <p class="form-hint">{type.summary[locale]}</p>
          </li>
        ))}
      </ul>
      <h2 class="nara-section-title" id="issued-heading">{t('documents.issued.list')}</h2>
      {items.length === 0 ? (
        <p>{t('documents.issued.none')}</p>
      ) : (
        <div class="nara-table-wrap" tabindex={0} role="region" aria-labelledby="issued-heading">
          <table class="nara-table">
            <thead>
              <tr>
                <th scope="col">{t('documents.issueNumber')}</th>
                <th scope="col">{t('documents.facts')}</th>
                <th scope="col">{t('documents.issuedAt')}</th>
                <th scope="col">{t('documents.status')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((c) => (
                <tr>
                  <td>
                    <a href={`/certificates/${c.issueNumber}`}>{c.issueNumber}</a>
                  </td>
                  <td>
                    {c.title}
                    <br />
                    <span class="form-hint">{c.issuer}</span>
                  </td>
                  <td>{formatDateTime(c.issuedAt, locale, timeZone)}</td>
                  <td>
                    <StatusTag ctx={ctx} status={c.status} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Layout>
  );
}

export interface RequestPageProps {
  ctx: PageContext;
  type: CertificateType;
  businesses: Array<{ id: number; name: string }>;
  values: { lang: string; include: string[]; businessId?: string };
  errors: FieldErrorView[];
}

/** Ask for one certificate: its language, what to leave off, and for whom (a business). */
export function RequestPage({ ctx, type, businesses, values, errors }: RequestPageProps) {
  const { t, locale } = ctx;
  const title = t('documents.requestTitle', { title: type.title[locale] });
  const omittable = type.fields.filter((f) => f.omittable);
  const errorOf = (field: string) => errors.find((e) => e.field === field)?.message;
  return (
    <Layout ctx={ctx} title={title}>
      <PageHeading>{title}</PageHeading>
      <ErrorSummary ctx={ctx} errors={errors} />
      <p>{type.summary[locale]}</p>
      <dl class="nara-dl">
        <dt>{t('documents.fee')}</dt>
        <dd>{type.fee_minor === 0 ? t('documents.fee.free') : formatMoney(type.fee_minor, 'KRW', locale)}</dd>
        <dt>{t('documents.validUntil')}</dt>
        <dd>{t('documents.validity', { days: type.validity_days })}</dd>
      </dl>
      <form method="post" action={`/certificates/request/${type.code}`} novalidate>
        <CsrfField ctx={ctx} />
        {type.source === 'business-register' ? (
          businesses.length === 0 ? (
            <Notice kind="warning">{t('documents.business.none')}</Notice>
          ) : (
            <fieldset class={`nara-field${errorOf('businessId') ? ' is-error' : ''}`} id="businessId" tabindex={-1}>
              <legend>{t('documents.business')}</legend>
              {businesses.map((b) => (
                <div class="krds-form-check">
                  <input type="radio" name="businessId" value={String(b.id)} id={`businessId-${b.id}`} checked={values.businessId === String(b.id) || businesses.length === 1} />
                  <label for={`businessId-${b.id}`}>{b.name}</label>
                </div>
              ))}
              {errorOf('businessId') ? <p class="form-hint-invalid">{errorOf('businessId')}</p> : null}
            </fieldset>
          )
        ) : null}
        <fieldset class={`nara-field${errorOf('lang') ? ' is-error' : ''}`} id="lang" tabindex={-1}>
          <legend>{t('documents.lang')}</legend>
          {(['ko', 'en'] as const).map((l) => (
            <div class="krds-form-check">
              <input type="radio" name="lang" value={l} id={`lang-${l}`} checked={values.lang === l} />
              <label for={`lang-${l}`}>{t(`documents.lang.${l}`)}</label>
            </div>
          ))}
          {errorOf('lang') ? <p class="form-hint-invalid">{errorOf('lang')}</p> : null}
        </fieldset>
        {omittable.length > 0 ? (
          <fieldset class="nara-field" id="include">
            <legend>{t('documents.include')}</legend>
            <p class="form-hint">{t('documents.include.help')}</p>
            {omittable.map((f) => (
              <div class="krds-form-check">
                <input type="checkbox" name="include" value={f.key} id={`include-${f.key}`} checked={values.include.includes(f.key)} />
                <label for={`include-${f.key}`}>{f.label[locale]}</label>
              </div>
            ))}
          </fieldset>
        ) : null}
        <button type="submit" class="krds-btn large primary" disabled={type.source === 'business-register' && businesses.length === 0}>
          {t('documents.request.button')}
        </button>
      </form>
    </Layout>
  );
}

export interface CertificatePageProps {
  ctx: PageContext;
  issueNumber: string;
  title: string;
  issuer: string;
  issuedAt: Date;
  validUntil: Date;
  status: CertificateStatus;
  facts: Array<{ label: LocalText; value: string }>;
  hasPdf: boolean;
  justIssued: boolean;
  shares: Array<{ accountId: number; username: string; grantedAt: Date }>;
  shareNotice?: string | undefined;
  shareError?: string | undefined;
  shareValue?: string | undefined;
  verifications: Array<{ at: Date; kind: string; channel: string; outcome: string }>;
  timeZone: string;
}

/** One certificate as its holder sees it: what it says, downloads, consents, who checked it. */
export function CertificatePage(p: CertificatePageProps) {
  const { ctx } = p;
  const { t, locale } = ctx;
  return (
    <Layout ctx={ctx} title={p.title}>
      <PageHeading>{p.title}</PageHeading>
      {p.justIssued ? <Notice kind="success">{t('documents.justIssued', { issueNumber: p.issueNumber })}</Notice> : null}
      {p.shareNotice ? <Notice kind="success">{p.shareNotice}</Notice> : null}
      <dl class="nara-dl">
        <dt>{t('documents.issueNumber')}</dt>
        <dd>
          <code>{p.issueNumber}</code>
        </dd>
        <dt>{t('documents.status')}</dt>
        <dd>
          <StatusTag ctx={ctx} status={p.status} />
        </dd>
        <dt>{t('documents.issuer')}</dt>
        <dd>{p.issuer}</dd>
        <dt>{t('documents.issuedAt')}</dt>
        <dd>{formatDateTime(p.issuedAt, locale, p.timeZone)}</dd>
        <dt>{t('documents.validUntil')}</dt>
        <dd>{formatDate(p.validUntil, locale, p.timeZone)}</dd>
      </dl>
      <h2 class="nara-section-title">{t('documents.facts')}</h2>
      <dl class="nara-dl nara-facts">
        {p.facts.map((f) => (
          <>
            <dt>{f.label[locale]}</dt>
            <dd>{f.value}</dd>
          </>
        ))}
      </dl>
      <p class="nara-actions">
        {p.hasPdf ? (
          <a class="krds-btn medium primary" href={`/certificates/${p.issueNumber}/pdf`} download={`certificate-${p.issueNumber}.pdf`}>
            {t('documents.download.pdf')}
          </a>
        ) : null}{' '}
        <a class="krds-btn medium secondary" href={`/certificates/${p.issueNumber}/credential`} download={`certificate-${p.issueNumber}.jwt`}>
          {t('documents.download.vc')}
        </a>
      </p>
      <p class="form-hint">{t('documents.download.help')}</p>

      <h2 class="nara-section-title" id="shares-heading">{t('documents.shares')}</h2>
      <p>{t('documents.shares.help')}</p>
      {p.shares.length === 0 ? (
        <p>{t('documents.shares.none')}</p>
      ) : (
        <ul class="nara-list">
          {p.shares.map((s) => (
            <li>
              <form method="post" action={`/certificates/${p.issueNumber}/shares/${s.accountId}/withdraw`} class="nara-inline-form">
                <CsrfField ctx={ctx} />
                {s.username} ({formatDateTime(s.grantedAt, locale, p.timeZone)}){' '}
                <button type="submit" class="krds-btn xsmall tertiary">
                  {t('documents.shares.withdraw')}
                </button>
              </form>
            </li>
          ))}
        </ul>
      )}
      <form method="post" action={`/certificates/${p.issueNumber}/shares`} novalidate>
        <CsrfField ctx={ctx} />
        <TextField id="username" label={t('documents.shares.username')} value={p.shareValue} error={p.shareError} autocomplete="off" />
        <button type="submit" class="krds-btn medium secondary">
          {t('documents.shares.grant')}
        </button>
      </form>

      <h2 class="nara-section-title" id="verifications-heading">{t('documents.verifications')}</h2>
      <p>{t('documents.verifications.help')}</p>
      {p.verifications.length === 0 ? (
        <p>{t('documents.verifications.none')}</p>
      ) : (
        <div class="nara-table-wrap" tabindex={0} role="region" aria-labelledby="verifications-heading">
          <table class="nara-table">
            <thead>
              <tr>
                <th scope="col">{t('documents.verifications.when')}</th>
                <th scope="col">{t('documents.verifications.who')}</th>
                <th scope="col">{t('documents.verifications.how')}</th>
                <th scope="col">{t('documents.verifications.outcome')}</th>
              </tr>
            </thead>
            <tbody>
              {p.verifications.map((v) => (
                <tr>
                  <td>{formatDateTime(v.at, locale, p.timeZone)}</td>
                  <td>{t(`documents.verifier.${v.kind}`)}</td>
                  <td>{t(`documents.channel.${v.channel}`)}</td>
                  <td>{t(`documents.status.${v.outcome}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Layout>
  );
}
