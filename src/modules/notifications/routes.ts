import { paramsIn } from './notify.ts';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { h } from 'preact';
import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import type { PageContextFactory } from '../../platform/http/platform.ts';
import { DomainError } from '../../platform/http/errors.ts';
import { InboxPage } from './views/inbox-page.tsx';
import { MailboxPage } from './views/mailbox-page.tsx';

export interface NotificationRouteDeps {
  db: Db;
  pageContext: PageContextFactory;
  timeZone: string;
  /** the development mailbox page exists only outside production and without SMTP */
  devMailbox: boolean;
}

export function notificationRoutes(deps: NotificationRouteDeps): FastifyPluginAsyncTypebox {
  const { db, pageContext } = deps;
  return async (app) => {
    app.get('/inbox', { schema: { hide: true } }, async (request, reply) => {
      if (!request.account) return reply.redirect(`/sign-in?next=${encodeURIComponent('/inbox')}`, 303);
      const rows = await db
        .selectFrom('notifications')
        .selectAll()
        .where('account_id', '=', request.account.id)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(100)
        .execute();
      const t = request.t;
      const items = rows.map((r) => {
        const params = paramsIn(r.params, request.locale);
        return { id: r.id, subject: t(`${r.template}.subject`, params), body: t(`${r.template}.body`, params), link: r.link, createdAt: r.created_at, read: r.read_at !== null };
      });
      const ctx = await pageContext(request, reply, { form: true });
      return reply.page(h(InboxPage, { ctx, items, timeZone: deps.timeZone }));
    });

    app.post('/inbox/:id/read', { schema: { hide: true, params: Type.Object({ id: Type.Integer({ minimum: 1 }) }) } }, async (request, reply) => {
      if (!request.account) throw new DomainError('UNAUTHENTICATED');
      // Scoped by owner: someone else's notification is "not found", not "forbidden",
      // so ids reveal nothing.
      const result = await db
        .updateTable('notifications')
        .set({ read_at: sql`coalesce(read_at, now())` })
        .where('id', '=', request.params.id)
        .where('account_id', '=', request.account.id)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) throw new DomainError('NOTIFICATION_NOT_FOUND', 'error.NOT_FOUND');
      return reply.redirect('/inbox', 303);
    });

    if (deps.devMailbox) {
      app.get('/dev/mailbox', { schema: { hide: true } }, async (request, reply) => {
        const rows = await db.selectFrom('mail_messages').selectAll().orderBy('id', 'desc').limit(50).execute();
        const mails = rows.map((m) => ({ id: m.id, to: m.to_address, subject: m.subject, text: m.text_body, createdAt: m.created_at }));
        const ctx = await pageContext(request, reply);
        return reply.page(h(MailboxPage, { ctx, mails, timeZone: deps.timeZone }));
      });
    }
  };
}
