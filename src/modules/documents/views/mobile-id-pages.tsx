import type { PageContext } from '../../../platform/views/context.ts';
import { Layout } from '../../../platform/views/layout.tsx';
import { CsrfField, ErrorSummary, Notice, PageHeading, type FieldErrorView } from '../../../platform/views/components.tsx';
import { formatDateTime } from '../../../platform/views/format.ts';
import type { CertificateStatus } from '../workflow.ts';
import type { MobileIdCheck } from '../mobile-id.ts';
import { StatusTag } from './certificate-pages.tsx';

const claimKeys = ['birthDate', 'ageOver19', 'region'] as const;

export interface MobileIdPageProps {
  ctx: PageContext;
  held?: { issueNumber: string; status: CertificateStatus; name: string; validUntil: Date } | undefined;
  shown?: { svg: string; url: string; expiresAt: Date; disclosed: string[] } | undefined;
  errors: FieldErrorView[];
  timeZone: string;
}

/** The holder's mobile ID: get it once, then show it as a QR code, choosing what it says. */
export function MobileIdPage({ ctx, held, shown, errors, timeZone }: MobileIdPageProps) {
  const { t, locale } = ctx;
  return (
    <Layout ctx={ctx} title={t('documents.mobileId.title')}>
      <PageHeading>{t('documents.mobileId.title')}</PageHeading>
      <ErrorSummary ctx={ctx} errors={errors} />
      <p>{t('documents.mobileId.intro')}</p>
      {!held || held.status === 'expired' || held.status === 'revoked' ? (
        <form method="post" action="/mobile-id" novalidate>
          <CsrfField ctx={ctx} />
          <button type="submit" class="krds-btn large primary">
            {t('documents.mobileId.get')}
          </button>
        </form>
      ) : (
        <>
          <dl class="nara-dl">
            <dt>{t('documents.holder')}</dt>
            <dd>{held.name}</dd>
            <dt>{t('documents.status')}</dt>
            <dd>
              <StatusTag ctx={ctx} status={held.status} />
            </dd>
            <dt>{t('documents.validUntil')}</dt>
            <dd>{formatDateTime(held.validUntil, locale, timeZone)}</dd>
          </dl>
          {shown ? (
            <section aria-labelledby="shown-heading" class="nara-mobile-id">
              <h2 id="shown-heading" class="nara-section-title">
                {t('documents.mobileId.shown')}
              </h2>
              <p>{t('documents.mobileId.shown.help', { time: formatDateTime(shown.expiresAt, locale, timeZone) })}</p>
              <div class="nara-qr" role="img" aria-label={t('documents.mobileId.qr')} dangerouslySetInnerHTML={{ __html: shown.svg }} />
              <p class="form-hint">
                {t('documents.mobileId.disclosed')}: {[t('documents.holder'), ...shown.disclosed.map((k) => t(`documents.mobileId.claim.${k}`))].join(', ')}
              </p>
              <p>
                <a href={shown.url}>{t('documents.mobileId.link')}</a>
              </p>
            </section>
          ) : null}
          {held.status === 'valid' ? (
            <form method="post" action="/mobile-id/present" novalidate>
              <CsrfField ctx={ctx} />
              <fieldset class="nara-field" id="disclose">
                <legend>{t('documents.mobileId.choose')}</legend>
                <p class="form-hint">{t('documents.mobileId.choose.help')}</p>
                {claimKeys.map((k) => (
                  <div class="krds-form-check">
                    <input type="checkbox" name="disclose" value={k} id={`disclose-${k}`} checked={k === 'ageOver19'} />
                    <label for={`disclose-${k}`}>{t(`documents.mobileId.claim.${k}`)}</label>
                  </div>
                ))}
              </fieldset>
              <button type="submit" class="krds-btn large primary">
                {t('documents.mobileId.show')}
              </button>
            </form>
          ) : (
            <Notice kind="warning">{t('documents.mobileId.notValid', { status: t(`documents.status.${held.status}`) })}</Notice>
          )}
        </>
      )}
    </Layout>
  );
}

export interface MobileIdCheckPageProps {
  ctx: PageContext;
  result?: MobileIdCheck | undefined;
  token: string;
  /** the JWK sets of the agencies that issue mobile IDs, saved by the script on each visit */
  keyUrls: string[];
  timeZone: string;
}

/**
 * The verifier's page. With JavaScript it checks the code in the address (after #) on the
 * phone itself, with the agencies' keys and status lists cached from the last visit, so a
 * poor connection does not stop it; without, the form sends the code to Nara.
 */
export function MobileIdCheckPage({ ctx, result, token, keyUrls, timeZone }: MobileIdCheckPageProps) {
  const { t, locale } = ctx;
  const text = JSON.stringify(
    Object.fromEntries(
      ['checking', 'valid', 'expired', 'revoked', 'suspended', 'invalid', 'offline', 'statusAsOf', 'noKeys', 'noCrypto', 'expiresAt', 'name', 'birthDate', 'ageOver19', 'region', 'photo'].map((k) => [
        k,
        k === 'photo' ? t('documents.mobileId.photo') : ['name', 'birthDate', 'ageOver19', 'region'].includes(k) ? t(k === 'name' ? 'documents.holder' : `documents.mobileId.claim.${k}`) : t(`documents.mobileId.check.${k}`),
      ]),
    ),
  );
  return (
    <Layout ctx={ctx} title={t('documents.mobileId.check.title')} scripts={['/assets/documents/mobile-id-check.js']}>
      <PageHeading>{t('documents.mobileId.check.title')}</PageHeading>
      <p>{t('documents.mobileId.check.intro')}</p>
      <div id="mobile-id-result" class="nara-verify-result" data-mobile-id-check data-text={text} data-locale={locale} data-issuers={keyUrls.join(' ')} aria-live="polite" hidden={!result}>
        {result ? (
          <>
            <h2 class="nara-verify-outcome">{t(`documents.mobileId.check.${result.outcome}`)}</h2>
            {result.claims ? (
              <div class="nara-photo" role="img" aria-label={t('documents.mobileId.photo')}>
                {t('documents.mobileId.photo')}
              </div>
            ) : null}
            {result.claims ? (
              <dl class="nara-dl nara-facts">
                {Object.entries(result.claims).map(([k, v]) => (
                  <>
                    <dt>{k === 'name' ? t('documents.holder') : t(`documents.mobileId.claim.${k}`)}</dt>
                    <dd class="nara-fact">{v}</dd>
                  </>
                ))}
                {result.expiresAt ? (
                  <>
                    <dt>{t('documents.mobileId.check.expiresAt')}</dt>
                    <dd>{formatDateTime(new Date(result.expiresAt), locale, timeZone)}</dd>
                  </>
                ) : null}
              </dl>
            ) : null}
          </>
        ) : null}
      </div>
      <form method="post" action="/mobile-id/check" novalidate>
        <div class="form-group nara-field">
          <div class="form-tit">
            <label for="token">{t('documents.mobileId.check.token')}</label>
          </div>
          <p class="form-hint" id="token-hint">
            {t('documents.mobileId.check.token.hint')}
          </p>
          <div class="form-conts">
            <textarea id="token" name="token" class="krds-input" rows={3} aria-describedby="token-hint">
              {token}
            </textarea>
          </div>
        </div>
        <button type="submit" class="krds-btn medium primary">
          {t('documents.mobileId.check.button')}
        </button>
      </form>
    </Layout>
  );
}
