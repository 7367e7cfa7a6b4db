import type { PageContext } from '../../../platform/views/context.ts';
import { Layout } from '../../../platform/views/layout.tsx';
import { CsrfField, ErrorSummary, PageHeading, TextField, type FieldErrorView } from '../../../platform/views/components.tsx';

export function InvitationPage({ ctx, token, name, errors }: { ctx: PageContext; token: string; name: string; errors: FieldErrorView[] }) {
  const { t } = ctx;
  const errorFor = (field: string) => errors.find((e) => e.field === field)?.message;
  return (
    <Layout ctx={ctx} title={t('identity.invitation.title')}>
      <div class="nara-narrow">
        <PageHeading>{t('identity.invitation.title')}</PageHeading>
        <ErrorSummary ctx={ctx} errors={errors} />
        <p>{t('identity.invitation.intro', { name })}</p>
        <form method="post" action={`/invitation/${token}`} novalidate>
          <CsrfField ctx={ctx} />
          <TextField id="password" type="password" label={t('identity.invitation.password')} hint={t('identity.signUp.passwordHint')} autocomplete="new-password" error={errorFor('password')} required />
          <TextField id="confirmPassword" type="password" label={t('identity.invitation.confirmPassword')} autocomplete="new-password" error={errorFor('confirmPassword')} required />
          <button type="submit" class="krds-btn large primary nara-full">{t('identity.invitation.submit')}</button>
        </form>
      </div>
    </Layout>
  );
}
