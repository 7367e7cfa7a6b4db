import type { PageContext } from '../../../platform/views/context.ts';
import { Layout } from '../../../platform/views/layout.tsx';
import { CsrfField, PageHeading } from '../../../platform/views/components.tsx';
import { formatDateTime } from '../../../platform/views/format.ts';

export interface InboxItem {
  id: number;
  subject: string;
  body: string;
  link: string | null;
  createdAt: Date;
  read: boolean;
}

export function InboxPage({ ctx, items, timeZone }: { ctx: PageContext; items: InboxItem[]; timeZone: string }) {
  const { t } = ctx;
  const unread = items.filter((i) => !i.read).length;
  return (
    <Layout ctx={ctx} title={t('notifications.inbox.title')}>
      <PageHeading>{t('notifications.inbox.title')}</PageHeading>
      {items.length === 0 ? (
        <p>{t('notifications.inbox.empty')}</p>
      ) : (
        <>
          <p>{t('notifications.inbox.count', { count: items.length, unread })}</p>
          <ul class="nara-card-list">
            {items.map((item) => (
              <li class={`nara-card${item.read ? '' : ' nara-unread'}`}>
                <h2>
                  {item.read ? null : <span class="krds-badge nara-badge">{t('notifications.inbox.unread')}</span>} {item.subject}
                </h2>
                <p>{item.body}</p>
                <p class="nara-muted">
                  <time datetime={item.createdAt.toISOString()}>{formatDateTime(item.createdAt, ctx.locale, timeZone)}</time>
                </p>
                <div class="nara-actions">
                  {item.link ? (
                    <a href={item.link} class="krds-btn small secondary">{t('notifications.inbox.open')}</a>
                  ) : null}
                  {item.read ? null : (
                    <form method="post" action={`/inbox/${item.id}/read`} class="nara-inline-form">
                      <CsrfField ctx={ctx} />
                      <button type="submit" class="krds-btn small tertiary">{t('notifications.inbox.markRead')}</button>
                    </form>
                  )}
                </div>
              </li>
            ))}
          </ul>
        </>
      )}
    </Layout>
  );
}
