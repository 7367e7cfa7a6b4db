import { paramsIn } from './notify.ts';
import type { Db } from '../../platform/db/database.ts';
import { reusableQuery } from '../../platform/db/reusable-query.ts';
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

// One of each per notification mailed: built and compiled once.
const notificationToMail = reusableQuery((db, v: { notificationId: number; messageId: string }) =>
  db
    .selectFrom('notifications')
    .select(['account_id', 'template', 'params', 'link'])
    .select((eb) => eb.exists(eb.selectFrom('mail_messages').select('id').where('message_id', '=', v.messageId)).as('sent'))
    .where('id', '=', v.notificationId),
);
interface MailRow { account_id: number | null; to_address: string; subject: string; text_body: string; html_body: string; transport: string; message_id: string }
const recordMail = reusableQuery((db, v: MailRow) =>
  db
    .insertInto('mail_messages')
    .values({ account_id: v.account_id, to_address: v.to_address, subject: v.subject, text_body: v.text_body, html_body: v.html_body, transport: v.transport, message_id: v.message_id })
    .onConflict((oc) => oc.column('message_id').doNothing()),
);

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The outbox job that mails one notification, in the recipient's language. Each
 * notification has one Message-ID; if a retry finds it already recorded, nothing is sent
 * again. (A crash between the SMTP hand-off and the record can still send twice:
 * delivery is at-least-once.)
 */
export function createEmailSender(deps: EmailSenderDeps): JobHandler {
  const alreadySent = async (messageId: string) => (await deps.db.selectFrom('mail_messages').select('id').where('message_id', '=', messageId).executeTakeFirst()) !== undefined;

  async function deliver(m: { accountId: number | null; to: string; locale: 'ko' | 'en'; name: string | null; template: string; params: unknown; link: string | null; messageId: string }) {
    const t = deps.i18n.translator(m.locale);
    const params = paramsIn(m.params, m.locale);
    const subject = t(`${m.template}.subject`, params);
    const body = t(`${m.template}.body`, params);
    const link = m.link ? new URL(m.link, deps.publicUrl).toString() : null;
    const greeting = m.name ? t('notifications.mail.greeting', { name: m.name }) : null;
    const text = `${greeting ? `${greeting}\n\n` : ''}${body}\n${link ? `\n${link}\n` : ''}\n-- \n${t('notifications.mail.footer')}`;
    const html = `${greeting ? `<p>${escapeHtml(greeting)}</p>` : ''}<p>${escapeHtml(body)}</p>${link ? `<p><a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p>` : ''}<hr><p>${escapeHtml(t('notifications.mail.footer'))}</p>`;
    await deps.transport.send({ from: deps.mailFrom, to: m.to, subject, text, html, messageId: m.messageId });
    await recordMail(deps.db, { account_id: m.accountId, to_address: m.to, subject, text_body: text, html_body: html, transport: deps.transport.kind, message_id: m.messageId });
  }

  return async (payload, job) => {
    if (typeof payload.to === 'string') {
      const messageId = `<mail-job-${job.id}@nara>`;
      if (await alreadySent(messageId)) return;
      await deliver({
        accountId: null,
        to: payload.to,
        locale: payload.locale === 'en' ? 'en' : 'ko',
        name: null,
        template: String(payload.template),
        params: payload.params ?? {},
        link: null,
        messageId,
      });
      return;
    }
    const notificationId = Number(payload.notificationId);
    const messageId = `<notification-${notificationId}@nara>`;
    // The notification and whether a try before this one already mailed it, in one statement.
    const notification = (await notificationToMail(deps.db, { notificationId, messageId })).rows[0];
    if (!notification || notification.sent) return;
    const contact = await deps.contact(notification.account_id);
    if (!contact?.email) return; // nobody to mail; the inbox still has it
    await deliver({
      accountId: notification.account_id,
      to: contact.email,
      locale: contact.locale,
      name: contact.displayName,
      template: notification.template,
      params: notification.params,
      link: notification.link,
      messageId,
    });
  };
}
