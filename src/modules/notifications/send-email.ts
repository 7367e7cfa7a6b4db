import type { Db } from '../../platform/db/database.ts';
import type { I18n } from '../../platform/i18n/i18n.ts';
import type { JobHandler } from '../../platform/jobs/jobs.ts';
import type { MailTransport } from './mail-transport.ts';

export interface EmailSenderDeps {
  db: Db;
  i18n: I18n;
  transport: MailTransport;
  mailFrom: string;
  publicUrl: string;
  contact: (accountId: number) => Promise<{ email: string | null; locale: 'ko' | 'en'; displayName: string } | undefined>;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The outbox job that mails one notification, in the recipient's language. Each
 * notification has one Message-ID; if a retry finds it already recorded, nothing is sent
 * again. (A crash between the SMTP hand-off and the record can still send twice:
 * delivery is at-least-once.)
 */
export function createEmailSender(deps: EmailSenderDeps): JobHandler {
  return async (payload) => {
    const notificationId = Number(payload.notificationId);
    const messageId = `<notification-${notificationId}@nara>`;
    const already = await deps.db.selectFrom('mail_messages').select('id').where('message_id', '=', messageId).executeTakeFirst();
    if (already) return;
    const notification = await deps.db.selectFrom('notifications').selectAll().where('id', '=', notificationId).executeTakeFirst();
    if (!notification) return;
    const contact = await deps.contact(notification.account_id);
    if (!contact?.email) return; // nobody to mail; the inbox still has it
    const t = deps.i18n.translator(contact.locale);
    const params = notification.params as Record<string, string | number>;
    const subject = t(`${notification.template}.subject`, params);
    const body = t(`${notification.template}.body`, params);
    const link = notification.link ? new URL(notification.link, deps.publicUrl).toString() : null;
    const text = `${t('notifications.mail.greeting', { name: contact.displayName })}\n\n${body}\n${link ? `\n${link}\n` : ''}\n-- \n${t('notifications.mail.footer')}`;
    const html = `<p>${escapeHtml(t('notifications.mail.greeting', { name: contact.displayName }))}</p><p>${escapeHtml(body)}</p>${
      link ? `<p><a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p>` : ''
    }<hr><p>${escapeHtml(t('notifications.mail.footer'))}</p>`;
    await deps.transport.send({ from: deps.mailFrom, to: contact.email, subject, text, html, messageId });
    await deps.db
      .insertInto('mail_messages')
      .values({ account_id: notification.account_id, to_address: contact.email, subject, text_body: text, html_body: html, transport: deps.transport.kind, message_id: messageId })
      .onConflict((oc) => oc.column('message_id').doNothing())
      .execute();
  };
}
