import type { PageContext } from '../../../platform/views/context.ts';
import { Layout } from '../../../platform/views/layout.tsx';
import { CsrfField, PageHeading } from '../../../platform/views/components.tsx';

export interface ReleasedClaim {
  /** message key of the claim's label */
  labelKey: string;
  value: string;
}

export interface ConsentScopeView {
  scope: string;
  claims: ReleasedClaim[];
}

export function ConsentPage({ ctx, action, clientName, scopes }: { ctx: PageContext; action: string; clientName: string; scopes: ConsentScopeView[] }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('oidc.consent.title', { client: clientName })}>
      <div class="nara-narrow">
        <PageHeading>{t('oidc.consent.title', { client: clientName })}</PageHeading>
        <p>{t('oidc.consent.intro', { client: clientName })}</p>
        <dl class="nara-dl nara-consent-list">
          {scopes.flatMap((s) =>
            s.claims.map((c) => (
              <>
                <dt>{t(c.labelKey)}</dt>
                <dd>{c.value}</dd>
              </>
            )),
          )}
        </dl>
        <p>{t('oidc.consent.remember')}</p>
        <form method="post" action={action} class="nara-actions">
          <CsrfField ctx={ctx} />
          <button type="submit" name="decision" value="allow" class="krds-btn medium primary">{t('oidc.consent.allow')}</button>
          <button type="submit" name="decision" value="deny" class="krds-btn medium secondary">{t('oidc.consent.deny')}</button>
        </form>
      </div>
    </Layout>
  );
}

/** An OpenID request that cannot be sent back to the service (bad client or redirect URI). */
export function OidcErrorPage({ ctx, error, description }: { ctx: PageContext; error: string; description: string | undefined }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('oidc.error.title')}>
      <div class="nara-error-page">
        <h1 class="nara-page-title">{t('oidc.error.title')}</h1>
        <p>{t('oidc.error.help')}</p>
        <dl class="nara-dl">
          <dt>{t('oidc.error.code')}</dt>
          <dd>
            <code>{error}</code>
          </dd>
          {description ? (
            <>
              <dt>{t('oidc.error.detail')}</dt>
              <dd>{description}</dd>
            </>
          ) : null}
          <dt>{t('error.requestId')}</dt>
          <dd>
            <code>{ctx.requestId}</code>
          </dd>
        </dl>
        <p>
          <a href="/" class="krds-btn medium primary">{t('error.backHome')}</a>
        </p>
      </div>
    </Layout>
  );
}

/** A service asked that the person sign out; the provider's form carries its token. */
export function LogoutPage({ ctx, form, clientName }: { ctx: PageContext; form: string; clientName: string | undefined }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('oidc.logout.title')}>
      <div class="nara-narrow">
        <PageHeading>{t('oidc.logout.title')}</PageHeading>
        <p>{clientName ? t('oidc.logout.introFrom', { client: clientName }) : t('oidc.logout.intro')}</p>
        <div dangerouslySetInnerHTML={{ __html: form }} />
        <div class="nara-actions">
          <button type="submit" form="op.logoutForm" name="logout" value="yes" class="krds-btn medium primary">{t('oidc.logout.yes')}</button>
          <button type="submit" form="op.logoutForm" class="krds-btn medium secondary">{t('oidc.logout.no')}</button>
        </div>
      </div>
    </Layout>
  );
}

export function LoggedOutPage({ ctx, clientName }: { ctx: PageContext; clientName: string | undefined }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('oidc.logout.done')}>
      <div class="nara-narrow">
        <PageHeading>{t('oidc.logout.done')}</PageHeading>
        <p>{clientName ? t('oidc.logout.doneFrom', { client: clientName }) : t('oidc.logout.doneIntro')}</p>
        <p>
          <a href="/" class="krds-btn medium primary">{t('error.backHome')}</a>
        </p>
      </div>
    </Layout>
  );
}
