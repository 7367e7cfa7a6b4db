import type { VNode } from 'preact';
import type { Locale, Translate } from '../i18n/i18n.ts';
import type { SessionState } from './sessions.ts';
import type { ViewAccount } from '../views/context.ts';

declare module 'fastify' {
  interface FastifyRequest {
    locale: Locale;
    t: Translate;
    session: SessionState | null;
    account: ViewAccount | undefined;
  }
  interface FastifyReply {
    /** Renders a full HTML page (layout included by the view) with the given status. */
    page(vnode: VNode<any>, status?: number): FastifyReply;
    /** Sends an already rendered page (from the page cache). */
    pageHtml(html: string | Buffer, status?: number): FastifyReply;
  }
  interface FastifyContextConfig {
    /** false for endpoints authenticated otherwise than by session cookie */
    csrf?: boolean;
    /** false to exempt a write route from the per-address rate limit */
    rateLimit?: boolean;
  }
}
export {};
