import type { PageContext } from '../../../platform/views/context.ts';
import { Layout } from '../../../platform/views/layout.tsx';
import { CsrfField, ErrorSummary, Notice, PageHeading, TextField, type FieldErrorView } from '../../../platform/views/components.tsx';

export function SignUpPage({ ctx, name, birthDate, errors }: { ctx: PageContext; name: string; birthDate: string; errors: FieldErrorView[] }) {
  const { t } = ctx;
  const errorFor = (field: string) => errors.find((e) => e.field === field)?.message;
  return (
    <Layout ctx={ctx} title={t('identity.signUp.title')}>
      <div class="nara-narrow">
        <PageHeading>{t('identity.signUp.title')}</PageHeading>
        <ErrorSummary ctx={ctx} errors={errors} />
        <p>{t('identity.signUp.intro')}</p>
        <form method="post" action="/sign-up" novalidate>
          <CsrfField ctx={ctx} />
          <TextField id="name" label={t('identity.signUp.name')} value={name} autocomplete="name" error={errorFor('name')} required />
          <TextField id="birthDate" label={t('identity.signUp.birthDate')} hint={t('identity.signUp.birthDateHint')} value={birthDate} autocomplete="bday" inputmode="numeric" error={errorFor('birthDate')} required />
          <TextField id="nationalId" label={t('identity.signUp.nationalId')} hint={t('identity.signUp.nationalIdHint')} autocomplete="off" inputmode="numeric" error={errorFor('nationalId')} required />
          <button type="submit" class="krds-btn large primary nara-full">{t('identity.signUp.continue')}</button>
        </form>
      </div>
    </Layout>
  );
}

export function SignUpVerifyPage({ ctx, emailMasked, minutes, username, errors }: { ctx: PageContext; emailMasked: string; minutes: number; username: string; errors: FieldErrorView[] }) {
  const { t } = ctx;
  const errorFor = (field: string) => errors.find((e) => e.field === field)?.message;
  return (
    <Layout ctx={ctx} title={t('identity.signUp.verifyTitle')}>
      <div class="nara-narrow">
        <PageHeading>{t('identity.signUp.verifyTitle')}</PageHeading>
        <ErrorSummary ctx={ctx} errors={errors} />
        <Notice>{t('identity.signUp.codeSent', { email: emailMasked, minutes })}</Notice>
        <form method="post" action="/sign-up/verify" novalidate>
          <CsrfField ctx={ctx} />
          <TextField id="code" label={t('identity.signUp.code')} autocomplete="one-time-code" inputmode="numeric" error={errorFor('code')} required />
          <TextField id="username" label={t('identity.signUp.username')} hint={t('identity.signUp.usernameHint')} value={username} autocomplete="username" error={errorFor('username')} required />
          <TextField id="password" type="password" label={t('identity.signUp.password')} hint={t('identity.signUp.passwordHint')} autocomplete="new-password" error={errorFor('password')} required />
          <TextField id="confirmPassword" type="password" label={t('identity.signUp.confirmPassword')} autocomplete="new-password" error={errorFor('confirmPassword')} required />
          <button type="submit" class="krds-btn large primary nara-full">{t('identity.signUp.create')}</button>
        </form>
      </div>
    </Layout>
  );
}
