import type { PageContext } from '../../../platform/views/context.ts';
import { Layout } from '../../../platform/views/layout.tsx';
import { CsrfField, ErrorSummary, Notice, PageHeading, TextField, type FieldErrorView } from '../../../platform/views/components.tsx';
import { formatDateTime } from '../../../platform/views/format.ts';

export interface SessionView {
  id: string;
  device: string | null;
  ip: string | null;
  createdAt: Date;
  lastSeenAt: Date;
  current: boolean;
}

export interface AccountPageProps {
  ctx: PageContext;
  timeZone: string;
  sessions: SessionView[];
  notice?: string | undefined;
  passwordErrors: FieldErrorView[];
  /** officials who administer or audit an agency get a way to its officials */
  adminLink?: boolean;
}

export function AccountPage({ ctx, timeZone, sessions, notice, passwordErrors, adminLink }: AccountPageProps) {
  const { t } = ctx;
  const errorFor = (field: string) => passwordErrors.find((e) => e.field === field)?.message;
  const when = (d: Date) => formatDateTime(d, ctx.locale, timeZone);
  return (
    <Layout ctx={ctx} title={t('identity.account.title')}>
      <PageHeading>{t('identity.account.title')}</PageHeading>
      {notice ? <Notice kind="success">{notice}</Notice> : null}
      {adminLink ? (
        <p>
          <a href="/admin/officials" class="krds-btn medium secondary">{t('identity.admin.link')}</a>
        </p>
      ) : null}
      <section aria-labelledby="sessions-heading">
        <h2 id="sessions-heading" class="nara-section-title">{t('identity.account.sessions')}</h2>
        <p>{t('identity.account.sessionsIntro')}</p>
        <ul class="nara-card-list">
          {sessions.map((s) => {
            const device = s.device ?? t('identity.account.unknownDevice');
            return (
              <li class="nara-card">
                <h3>
                  {device} {s.current ? <span class="krds-badge nara-badge">{t('identity.account.thisDevice')}</span> : null}
                </h3>
                <dl class="nara-dl">
                  <dt>{t('identity.account.address')}</dt>
                  <dd>{s.ip ?? '-'}</dd>
                  <dt>{t('identity.account.signedInAt')}</dt>
                  <dd>{when(s.createdAt)}</dd>
                  <dt>{t('identity.account.lastSeen')}</dt>
                  <dd>{when(s.lastSeenAt)}</dd>
                </dl>
                {s.current ? null : (
                  <form method="post" action="/account/sessions/end" class="nara-actions">
                    <CsrfField ctx={ctx} />
                    <input type="hidden" name="session" value={s.id} />
                    <button type="submit" class="krds-btn small secondary" aria-label={t('identity.account.endSessionLabel', { device })}>
                      {t('identity.account.endSession')}
                    </button>
                  </form>
                )}
              </li>
            );
          })}
        </ul>
      </section>
      <section aria-labelledby="password-heading" class="nara-narrow">
        <h2 id="password-heading" class="nara-section-title">{t('identity.account.password')}</h2>
        <ErrorSummary ctx={ctx} errors={passwordErrors} />
        <form method="post" action="/account/password" novalidate>
          <CsrfField ctx={ctx} />
          <TextField id="currentPassword" type="password" label={t('identity.account.currentPassword')} autocomplete="current-password" error={errorFor('currentPassword')} required />
          <TextField id="newPassword" type="password" label={t('identity.account.newPassword')} hint={t('identity.account.newPasswordHint')} autocomplete="new-password" error={errorFor('newPassword')} required />
          <TextField id="confirmPassword" type="password" label={t('identity.account.confirmPassword')} autocomplete="new-password" error={errorFor('confirmPassword')} required />
          <button type="submit" class="krds-btn medium primary">{t('identity.account.changePassword')}</button>
        </form>
      </section>
    </Layout>
  );
}
