import type { PageContext } from '../../../platform/views/context.ts';
import { Layout } from '../../../platform/views/layout.tsx';
import { CsrfField, ErrorSummary, Notice, PageHeading, TextField, type FieldErrorView } from '../../../platform/views/components.tsx';

export interface SecondFactorPageProps {
  ctx: PageContext;
  errors: FieldErrorView[];
  /** present when the account has yet to enrol an authenticator app */
  enrolment?: { secret: string; qrSvg: string } | undefined;
}

export function SecondFactorPage({ ctx, errors, enrolment }: SecondFactorPageProps) {
  const { t } = ctx;
  const title = enrolment ? t('identity.totp.enrolTitle') : t('identity.totp.title');
  return (
    <Layout ctx={ctx} title={title}>
      <div class="nara-narrow">
        <PageHeading>{title}</PageHeading>
        <ErrorSummary ctx={ctx} errors={errors} />
        {enrolment ? (
          <>
            <p>{t('identity.totp.enrolIntro')}</p>
            <ol class="nara-steps">
              <li>{t('identity.totp.enrolStep1')}</li>
              <li>{t('identity.totp.enrolStep2')}</li>
              <li>{t('identity.totp.enrolStep3')}</li>
            </ol>
            {/* The QR code is an SVG made on the server from the otpauth URI; it needs no script. */}
            <div class="nara-qr" role="img" aria-label={t('identity.totp.qrLabel')} dangerouslySetInnerHTML={{ __html: enrolment.qrSvg }} />
            <p>
              {t('identity.totp.secretLabel')} <code class="nara-secret" id="totp-secret">{enrolment.secret.replace(/(.{4})/g, '$1 ').trim()}</code>
            </p>
          </>
        ) : (
          <p>{t('identity.totp.intro')}</p>
        )}
        <form method="post" action="/sign-in/second-factor" novalidate>
          <CsrfField ctx={ctx} />
          <TextField
            id="code"
            label={enrolment ? t('identity.totp.firstCode') : t('identity.totp.code')}
            hint={enrolment ? undefined : t('identity.totp.codeHint')}
            autocomplete="one-time-code"
            inputmode={enrolment ? 'numeric' : 'text'}
            error={errors.find((e) => e.field === 'code')?.message}
            required
          />
          <button type="submit" class="krds-btn large primary nara-full">{enrolment ? t('identity.totp.confirm') : t('identity.totp.verify')}</button>
        </form>
      </div>
    </Layout>
  );
}

export function RecoveryCodesPage({ ctx, codes, next }: { ctx: PageContext; codes: string[]; next: string }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('identity.recovery.title')}>
      <div class="nara-narrow">
        <PageHeading>{t('identity.recovery.title')}</PageHeading>
        <Notice kind="warning">{t('identity.recovery.intro')}</Notice>
        <ul class="nara-recovery-codes">
          {codes.map((c) => (
            <li>
              <code>{c}</code>
            </li>
          ))}
        </ul>
        <p>
          <a href={next} class="krds-btn large primary">{t('identity.recovery.continue')}</a>
        </p>
      </div>
    </Layout>
  );
}
