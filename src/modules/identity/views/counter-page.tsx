import type { PageContext } from '../../../platform/views/context.ts';
import { Layout } from '../../../platform/views/layout.tsx';
import { CsrfField, ErrorSummary, Notice, PageHeading, TextField, type FieldErrorView } from '../../../platform/views/components.tsx';
import { formatDateTime } from '../../../platform/views/format.ts';
import { passkeyScripts } from './account-page.tsx';

const errorAt = (errors: FieldErrorView[], field: string) => errors.find((e) => e.field === field)?.message;

/** The counter, before a resident is identified: who is in front of the official. */
export function CounterStartPage({ ctx, values, errors, notice }: { ctx: PageContext; values: { name: string; birthDate: string; nationalId: string }; errors: FieldErrorView[]; notice?: string | undefined }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('identity.assist.title')}>
      <div class="nara-narrow">
        <PageHeading>{t('identity.assist.title')}</PageHeading>
        {notice ? <Notice kind="info">{notice}</Notice> : null}
        <p>{t('identity.assist.intro')}</p>
        <ErrorSummary ctx={ctx} errors={errors} />
        <form method="post" action="/counter/start" novalidate>
          <CsrfField ctx={ctx} />
          <TextField id="name" label={t('identity.signUp.name')} value={values.name} error={errorAt(errors, 'name')} autocomplete="off" required />
          <TextField id="birthDate" label={t('identity.signUp.birthDate')} hint={t('identity.signUp.birthDateHint')} value={values.birthDate} error={errorAt(errors, 'birthDate')} autocomplete="off" required />
          <TextField id="nationalId" label={t('identity.signUp.nationalId')} hint={t('identity.assist.nationalIdHint')} value={values.nationalId} error={errorAt(errors, 'nationalId')} autocomplete="off" required />
          <button type="submit" class="krds-btn medium primary">{t('identity.assist.send')}</button>
        </form>
      </div>
    </Layout>
  );
}

/** Waiting for the resident to confirm, by code or passkey. */
export function CounterConfirmPage({ ctx, id, residentName, errors }: { ctx: PageContext; id: string; residentName: string; errors: FieldErrorView[] }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('identity.assist.confirmTitle')} scripts={passkeyScripts}>
      <div class="nara-narrow">
        <PageHeading>{t('identity.assist.confirmTitle')}</PageHeading>
        <p>{t('identity.assist.codeSent', { name: residentName })}</p>
        <ErrorSummary ctx={ctx} errors={errors} />
        <form method="post" action={`/counter/confirm/${id}`} novalidate>
          <CsrfField ctx={ctx} />
          <TextField id="code" label={t('identity.signUp.code')} inputmode="numeric" autocomplete="off" error={errorAt(errors, 'code')} required />
          <button type="submit" class="krds-btn medium primary">{t('identity.assist.confirm')}</button>
        </form>
        <div data-passkey-js hidden>
          <p>{t('identity.assist.passkeyIntro')}</p>
          <button type="button" id="passkey-assist" data-id={id} class="krds-btn medium secondary">{t('identity.assist.passkey')}</button>
        </div>
        <p id="passkey-status" role="status" aria-live="polite" data-failed={t('identity.passkey.failed')}></p>
        <form method="post" action="/counter/end">
          <CsrfField ctx={ctx} />
          <button type="submit" class="krds-btn small tertiary">{t('identity.assist.cancel')}</button>
        </form>
      </div>
    </Layout>
  );
}

/** Serving a confirmed resident: what the official may do for them, all of it recorded. */
export function CounterActivePage(props: {
  ctx: PageContext;
  timeZone: string;
  residentName: string;
  until: Date;
  businesses: Array<{ id: number; name: string; registrationNo: string }>;
  registrationNo: string;
  errors: FieldErrorView[];
  notice?: string | undefined;
}) {
  const { ctx, residentName, businesses, errors } = props;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('identity.assist.activeTitle', { name: residentName })}>
      <div class="nara-narrow">
        <PageHeading>{t('identity.assist.activeTitle', { name: residentName })}</PageHeading>
        {props.notice ? <Notice kind="success">{props.notice}</Notice> : null}
        <Notice kind="warning">{t('identity.assist.activeNotice', { name: residentName, until: formatDateTime(props.until, ctx.locale, props.timeZone) })}</Notice>
        <section aria-labelledby="assist-business-heading">
          <h2 id="assist-business-heading" class="nara-section-title">{t('identity.assist.businesses', { name: residentName })}</h2>
          {businesses.length > 0 ? (
            <ul class="nara-card-list">
              {businesses.map((b) => (
                <li class="nara-card">
                  <h3>{b.name}</h3>
                  <p class="nara-muted">{t('identity.business.number')}: {b.registrationNo}</p>
                </li>
              ))}
            </ul>
          ) : (
            <p>{t('identity.assist.noBusinesses')}</p>
          )}
          <ErrorSummary ctx={ctx} errors={errors} />
          <form method="post" action="/counter/businesses" novalidate>
            <CsrfField ctx={ctx} />
            <TextField id="registrationNo" label={t('identity.business.number')} hint={t('identity.business.numberHint')} value={props.registrationNo} inputmode="numeric" error={errorAt(errors, 'registrationNo')} required />
            <button type="submit" class="krds-btn medium secondary">{t('identity.assist.linkFor', { name: residentName })}</button>
          </form>
        </section>
        <form method="post" action="/counter/end" class="nara-actions nara-gap-above">
          <CsrfField ctx={ctx} />
          <button type="submit" class="krds-btn medium primary">{t('identity.assist.end')}</button>
        </form>
      </div>
    </Layout>
  );
}
