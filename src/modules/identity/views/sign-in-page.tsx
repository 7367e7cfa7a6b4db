import type { PageContext } from '../../../platform/views/context.ts';
import { Layout } from '../../../platform/views/layout.tsx';
import { CsrfField, ErrorSummary, Notice, PageHeading, TextField, type FieldErrorView } from '../../../platform/views/components.tsx';
import { passkeyScripts } from './account-page.tsx';

export interface SignInPageProps {
  ctx: PageContext;
  username: string;
  next: string;
  errors: FieldErrorView[];
  demo?: { username: string; password: string } | undefined;
  notice?: string | undefined;
}

export function SignInPage({ ctx, username, next, errors, demo, notice }: SignInPageProps) {
  const { t } = ctx;
  const errorFor = (field: string) => errors.find((e) => e.field === field)?.message;
  return (
    <Layout ctx={ctx} title={t('identity.signIn.title')} scripts={passkeyScripts}>
      <div class="nara-narrow">
        <PageHeading>{t('identity.signIn.title')}</PageHeading>
        {notice ? <Notice kind="success">{notice}</Notice> : null}
        <ErrorSummary ctx={ctx} errors={errors} />
        <p>{t('identity.signIn.intro')}</p>
        <form method="post" action="/sign-in" novalidate>
          <CsrfField ctx={ctx} />
          <input type="hidden" name="next" value={next} />
          <TextField id="username" label={t('identity.signIn.username')} value={username} autocomplete="username" error={errorFor('username')} required />
          <TextField id="password" type="password" label={t('identity.signIn.password')} autocomplete="current-password" error={errorFor('password')} required />
          <button type="submit" class="krds-btn large primary nara-full">{t('identity.signIn.submit')}</button>
        </form>
        <div class="nara-passkey-sign-in" data-passkey-js hidden>
          <p>{t('identity.passkey.signInIntro')}</p>
          <button type="button" id="passkey-sign-in" class="krds-btn large secondary nara-full" data-next={next}>
            {t('identity.passkey.signIn')}
          </button>
        </div>
        <p id="passkey-status" role="status" aria-live="polite" data-failed={t('identity.passkey.failed')}></p>
        <p>
          <a href="/sign-up">{t('identity.signUp.link')}</a>
        </p>
        {demo ? <Notice>{t('identity.signIn.demo', demo)}</Notice> : null}
      </div>
    </Layout>
  );
}
