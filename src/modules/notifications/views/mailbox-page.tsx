import type { PageContext } from '../../../platform/views/context.ts';
import { Layout } from '../../../platform/views/layout.tsx';
import { PageHeading } from '../../../platform/views/components.tsx';
import { formatDateTime } from '../../../platform/views/format.ts';

export interface MailView {
  id: number;
  to: string;
  subject: string;
  text: string;
  createdAt: Date;
}

export function MailboxPage({ ctx, mails, timeZone }: { ctx: PageContext; mails: MailView[]; timeZone: string }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('notifications.mailbox.title')}>
      <PageHeading>{t('notifications.mailbox.title')}</PageHeading>
      <p>{t('notifications.mailbox.intro')}</p>
      {mails.length === 0 ? <p>{t('notifications.mailbox.empty')}</p> : null}
      {mails.map((m) => (
        <article class="nara-card nara-mail" id={`mail-${m.id}`}>
          <h2>{m.subject}</h2>
          <dl class="nara-dl">
            <dt>{t('notifications.mailbox.to')}</dt>
            <dd>{m.to}</dd>
            <dt>{t('notifications.mailbox.sentAt')}</dt>
            <dd>{formatDateTime(m.createdAt, ctx.locale, timeZone)}</dd>
          </dl>
          <pre class="nara-mail-body">{m.text}</pre>
        </article>
      ))}
    </Layout>
  );
}
