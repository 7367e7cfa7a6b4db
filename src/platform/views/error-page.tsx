import type { PageContext } from './context.ts';
import { Layout } from './layout.tsx';

export function ErrorPage({ ctx, status, messageKey, params }: { ctx: PageContext; status: number; messageKey: string; params?: Record<string, string | number> | undefined }) {
  const { t } = ctx;
  const helpKey = `${messageKey}.help`;
  const help = t(helpKey);
  return (
    <Layout ctx={ctx} title={`${status} ${t('error.title')}`}>
      <div class="nara-error-page">
        <p class="nara-error-status">{status}</p>
        <h1 class="nara-page-title">{t(messageKey, params)}</h1>
        {help !== helpKey ? <p>{help}</p> : null}
        <p class="nara-request-id">
          {t('error.requestId')}: <code>{ctx.requestId}</code>
        </p>
        <p>
          <a href="/" class="krds-btn medium primary">{t('error.backHome')}</a>
        </p>
      </div>
    </Layout>
  );
}
