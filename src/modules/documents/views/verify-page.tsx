import type { PageContext } from '../../../platform/views/context.ts';
import { Layout } from '../../../platform/views/layout.tsx';
import { CsrfField, ErrorSummary, Notice, PageHeading, TextField, type FieldErrorView } from '../../../platform/views/components.tsx';
import { formatDate, formatDateTime } from '../../../platform/views/format.ts';
import type { Verification } from '../verify-certificate.ts';
import type { StatusAction } from '../workflow.ts';

export interface VerifyPageProps {
  ctx: PageContext;
  number: string;
  errors: FieldErrorView[];
  result?: Verification | undefined;
  /** the issuing agency's approver looking at it: the actions they may take now */
  manage?: { allowed: StatusAction[]; errors: FieldErrorView[]; reason: string; done?: string | undefined } | undefined;
  timeZone: string;
}

/** Anyone checks a certificate by its number; the answer comes first, in plain words. */
export function VerifyPage({ ctx, number, errors, result, manage, timeZone }: VerifyPageProps) {
  const { t, locale } = ctx;
  const cert = result?.certificate;
  const since = cert?.statusSince ? formatDate(cert.statusSince, locale, timeZone) : '';
  const manageError = (field: string) => manage?.errors.find((e) => e.field === field)?.message;
  return (
    <Layout ctx={ctx} title={result ? `${t(`documents.verify.${result.outcome}`)} — ${t('documents.verify.title')}` : t('documents.verify.title')}>
      <PageHeading>{t('documents.verify.title')}</PageHeading>
      {result ? (
        <section aria-labelledby="result-heading" class={`nara-verify-result is-${result.outcome === 'valid' ? 'ok' : 'warning'}`}>
          <h2 id="result-heading" class="nara-verify-outcome">
            {t(`documents.verify.${result.outcome}`)}
          </h2>
          <p>
            {result.outcome === 'valid'
              ? t('documents.verify.valid.help')
              : result.outcome === 'revoked' || result.outcome === 'suspended'
                ? t(`documents.verify.${result.outcome}.help`, { date: since })
                : result.outcome === 'expired' && cert
                  ? t('documents.verify.expired.help', { date: formatDate(new Date(cert.validUntil), locale, timeZone) })
                  : t(`documents.verify.${result.outcome}.help`)}
          </p>
          {cert ? (
            <>
              <h3 class="nara-section-title">{cert.title}</h3>
              <dl class="nara-dl nara-facts">
                <dt>{t('documents.issueNumber')}</dt>
                <dd>
                  <code>{cert.issueNumber}</code>
                </dd>
                <dt>{t('documents.issuer')}</dt>
                <dd>
                  {cert.issuer.name[locale]} (<a href={`/issuers/${cert.issuer.code}`}>{t('documents.verify.keys')}</a>)
                </dd>
                <dt>{t('documents.issuedAt')}</dt>
                <dd>{formatDateTime(new Date(cert.issuedAt), locale, timeZone)}</dd>
                <dt>{t('documents.validUntil')}</dt>
                <dd>{formatDate(new Date(cert.validUntil), locale, timeZone)}</dd>
                {cert.facts.map((f) => (
                  <>
                    <dt>{f.label[locale]}</dt>
                    <dd class="nara-fact">{f.value}</dd>
                  </>
                ))}
              </dl>
            </>
          ) : null}
          <p>
            <a href="/verify">{t('documents.verify.again')}</a>
          </p>
        </section>
      ) : (
        <>
          <p>{t('documents.verify.intro')}</p>
          <ErrorSummary ctx={ctx} errors={errors} />
          <form method="get" action="/verify" novalidate>
            <TextField id="number" label={t('documents.verify.number')} hint={t('documents.verify.number.hint')} value={number} error={errors.find((e) => e.field === 'number')?.message} inputmode="numeric" autocomplete="off" />
            <button type="submit" class="krds-btn large primary">
              {t('documents.verify.button')}
            </button>
          </form>
        </>
      )}
      {manage && cert ? (
        <section aria-labelledby="manage-heading">
          <h2 id="manage-heading" class="nara-section-title">
            {t('documents.manage')}
          </h2>
          {manage.done ? <Notice kind="success">{manage.done}</Notice> : null}
          <p>{t('documents.manage.help')}</p>
          <ErrorSummary ctx={ctx} errors={manage.errors} />
          {manage.allowed.length > 0 ? (
            <form method="post" action={`/verify/${cert.issueNumber}/status`} novalidate>
              <CsrfField ctx={ctx} />
              <fieldset class="nara-field" id="action" tabindex={-1}>
                <legend>{t('documents.manage.action')}</legend>
                {manage.allowed.map((a, i) => (
                  <div class="krds-form-check">
                    <input type="radio" name="action" value={a} id={`action-${a}`} checked={i === 0} />
                    <label for={`action-${a}`}>{t(`documents.manage.${a}`)}</label>
                  </div>
                ))}
              </fieldset>
              <TextField id="reason" label={t('documents.manage.reason')} value={manage.reason} error={manageError('reason')} />
              <button type="submit" class="krds-btn medium secondary">
                {t('documents.manage.submit')}
              </button>
            </form>
          ) : null}
        </section>
      ) : null}
    </Layout>
  );
}
