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
  /** agency administrators: a link to their agency's services (the catalogue's editor) */
  servicesLink?: boolean;
  /** residents: the businesses they act for, and the link form's state */
  businesses?: { list: Array<{ id: number; name: string; registrationNo: string }>; value: string; errors: FieldErrorView[] } | undefined;
  passkeys?: Array<{ id: string; name: string; createdAt: Date; lastUsedAt: Date | null }>;
  /** services that sign this person in through Nara, and the scopes each was allowed */
  connected?: Array<{ clientId: string; name: string; scopes: string[]; grantedAt: Date }>;
  /** counter staff get a way to assisted service */
  counterLink?: boolean;
  /** what officials did for this person at a counter */
  assisted?: Array<{ action: string; at: Date; official: string; agency: string }>;
}

export const passkeyScripts = ['/assets/vendor/simplewebauthn/index.umd.min.js', '/assets/identity/passkeys.js'];

export function AccountPage({ ctx, timeZone, sessions, notice, passwordErrors, adminLink, servicesLink, businesses, passkeys = [], connected = [], counterLink, assisted = [] }: AccountPageProps) {
  const { t } = ctx;
  const errorFor = (field: string) => passwordErrors.find((e) => e.field === field)?.message;
  const when = (d: Date) => formatDateTime(d, ctx.locale, timeZone);
  return (
    <Layout ctx={ctx} title={t('identity.account.title')} scripts={passkeyScripts}>
      <PageHeading>{t('identity.account.title')}</PageHeading>
      {notice ? <Notice kind="success">{notice}</Notice> : null}
      {counterLink ? (
        <p>
          <a href="/counter" class="krds-btn medium secondary">{t('identity.assist.title')}</a>
        </p>
      ) : null}
      {adminLink ? (
        <p>
          <a href="/admin/officials" class="krds-btn medium secondary">{t('identity.admin.link')}</a>
        </p>
      ) : null}
      {servicesLink ? (
        <p>
          <a href="/admin/services" class="krds-btn medium secondary">{t('identity.admin.servicesLink')}</a>
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
      <section aria-labelledby="passkeys-heading" class="nara-narrow">
        <h2 id="passkeys-heading" class="nara-section-title">{t('identity.passkey.title')}</h2>
        <p>{t('identity.passkey.intro')}</p>
        {passkeys.length > 0 ? (
          <ul class="nara-card-list">
            {passkeys.map((p) => (
              <li class="nara-card">
                <h3>{p.name}</h3>
                <p class="nara-muted">
                  {t('identity.passkey.created', { when: when(p.createdAt) })}
                  {p.lastUsedAt ? ` · ${t('identity.passkey.lastUsed', { when: when(p.lastUsedAt) })}` : ''}
                </p>
                <form method="post" action={`/account/passkeys/${encodeURIComponent(p.id)}/remove`}>
                  <CsrfField ctx={ctx} />
                  <button type="submit" class="krds-btn small tertiary">{t('identity.passkey.remove', { name: p.name })}</button>
                </form>
              </li>
            ))}
          </ul>
        ) : null}
        <p data-passkey-nojs>{t('identity.passkey.needsJs')}</p>
        <form id="passkey-register" data-passkey-js hidden>
          <TextField id="passkeyName" label={t('identity.passkey.name')} hint={t('identity.passkey.nameHint')} required />
          <button type="submit" class="krds-btn medium secondary">{t('identity.passkey.add')}</button>
        </form>
        <p id="passkey-status" role="status" aria-live="polite" data-failed={t('identity.passkey.failed')}></p>
      </section>
      {assisted.length > 0 ? (
        <section aria-labelledby="assisted-heading">
          <h2 id="assisted-heading" class="nara-section-title">{t('identity.assist.history')}</h2>
          <p>{t('identity.assist.historyIntro')}</p>
          <ul class="nara-card-list">
            {assisted.map((a) => (
              <li class="nara-card">
                <h3>{t(`audit.${a.action}`)}</h3>
                <p class="nara-muted">
                  {when(a.at)} · {a.official}
                  {a.agency ? `, ${a.agency}` : ''}
                </p>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <section aria-labelledby="connected-heading" class="nara-narrow">
        <h2 id="connected-heading" class="nara-section-title">{t('oidc.connected.title')}</h2>
        <p>{connected.length > 0 ? t('oidc.connected.intro') : t('oidc.connected.none')}</p>
        {connected.length > 0 ? (
          <ul class="nara-card-list">
            {connected.map((c) => (
              <li class="nara-card">
                <h3>{c.name}</h3>
                <p class="nara-muted">{t('oidc.connected.since', { when: when(c.grantedAt) })}</p>
                <p>{t('oidc.connected.receives')}</p>
                <ul>
                  {c.scopes.map((scope) => (
                    <li>{t(`oidc.scope.${scope}`)}</li>
                  ))}
                </ul>
                <form method="post" action={`/account/connected-services/${encodeURIComponent(c.clientId)}/revoke`}>
                  <CsrfField ctx={ctx} />
                  <button type="submit" class="krds-btn small tertiary">{t('oidc.connected.revoke', { name: c.name })}</button>
                </form>
              </li>
            ))}
          </ul>
        ) : null}
      </section>
      {businesses ? (
        <section aria-labelledby="business-heading" class="nara-narrow">
          <h2 id="business-heading" class="nara-section-title">{t('identity.business.title')}</h2>
          <p>{t('identity.business.intro')}</p>
          {businesses.list.length > 0 ? (
            <ul class="nara-card-list">
              {businesses.list.map((b) => (
                <li class="nara-card">
                  <h3>{b.name}</h3>
                  <p class="nara-muted">{t('identity.business.number')}: {b.registrationNo}</p>
                  <form method="post" action={`/account/businesses/${b.id}/unlink`}>
                    <CsrfField ctx={ctx} />
                    <button type="submit" class="krds-btn small tertiary">{t('identity.business.unlink', { name: b.name })}</button>
                  </form>
                </li>
              ))}
            </ul>
          ) : null}
          <ErrorSummary ctx={ctx} errors={businesses.errors} />
          <form method="post" action="/account/businesses" novalidate>
            <CsrfField ctx={ctx} />
            <TextField id="registrationNo" label={t('identity.business.number')} hint={t('identity.business.numberHint')} value={businesses.value} inputmode="numeric" error={businesses.errors.find((e) => e.field === 'registrationNo')?.message} required />
            <button type="submit" class="krds-btn medium secondary">{t('identity.business.link')}</button>
          </form>
        </section>
      ) : null}
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
