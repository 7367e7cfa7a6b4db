import { Type } from '@sinclair/typebox';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifyError } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import fastifyCompress from '@fastify/compress';
import fastifyStatic from '@fastify/static';
import { h } from 'preact';
import './types.ts';
import { DomainError, errorStatus, fieldMessages, type ErrorCode } from './errors.ts';
import { defaultLocale, isLocale, negotiateLocale, type I18n, type Locale } from '../i18n/i18n.ts';
import type { Sessions } from './sessions.ts';
import type { Metrics } from './metrics.ts';
import type { RateLimiter } from './rate-limit.ts';
import { securityHeaders } from './security-headers.ts';
import { renderPage } from '../views/render.ts';
import { ErrorPage } from '../views/error-page.tsx';
import type { FooterAgency, MenuItem, PageContext, ViewAccount } from '../views/context.ts';
import type { Db } from '../db/database.ts';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
export const LANG_COOKIE = 'nara_lang';

export interface PlatformDeps {
  db: Db;
  i18n: I18n;
  sessions: Sessions;
  metrics: Metrics;
  production: boolean;
  secureCookies: boolean;
  rateLimitPerMinute: number;
  rateLimiter: RateLimiter;
  /** the signed-in account for a session's account id (identity supplies it) */
  loadAccount: (accountId: number) => Promise<ViewAccount | undefined>;
  footerAgencies: (locale: Locale) => FooterAgency[];
  menu: MenuItem[];
}

const unsafe = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Machine-facing paths: errors there are JSON whatever the client accepts. */
const jsonPrefixes = ['/api/', '/.well-known/', '/transparency/v1/', '/credentials/', '/presentations/', '/issuers/'];

function wantsJson(request: FastifyRequest): boolean {
  if (jsonPrefixes.some((prefix) => request.url.startsWith(prefix))) return true;
  const accept = request.headers.accept ?? '';
  return accept.includes('application/json') && !accept.includes('text/html');
}

/** Builds the context every page renders with. `form: true` makes sure a CSRF token exists. */
export function createPageContext(deps: PlatformDeps) {
  return async function pageContext(request: FastifyRequest, reply: FastifyReply, options: { form?: boolean } = {}): Promise<PageContext> {
    const session = options.form || request.account ? await deps.sessions.ensure(request, reply) : request.session;
    const q = request.url.indexOf('?');
    const query = new URLSearchParams(q === -1 ? '' : request.url.slice(q + 1));
    query.delete('lang');
    return {
      locale: request.locale,
      t: request.t,
      path: q === -1 ? request.url : request.url.slice(0, q),
      query,
      requestId: request.id,
      account: request.account,
      csrfToken: session?.csrfToken,
      footerAgencies: deps.footerAgencies(request.locale),
      menu: deps.menu,
    };
  };
}
export type PageContextFactory = ReturnType<typeof createPageContext>;

/**
 * What every request goes through: cookies and forms, security headers, static assets,
 * language, session, CSRF, rate limit, metrics and the error pages.
 */
export async function registerPlatform(app: FastifyInstance, deps: PlatformDeps): Promise<void> {
  const { i18n, sessions, metrics } = deps;
  const pageContext = createPageContext(deps);

  await app.register(fastifyCookie);
  await app.register(fastifyFormbody, { bodyLimit: 1_048_576 });
  await app.register(fastifyCompress, { threshold: 2048 });

  // KRDS assets from the krds-uiux package and Nara's own, served by Nara itself.
  const krdsRoot = path.join(path.dirname(require.resolve('krds-uiux/package.json')), 'resources');
  await app.register(fastifyStatic, { root: krdsRoot, prefix: '/assets/krds/', maxAge: '1d', decorateReply: false, index: false, allowedPath: (p) => !p.includes('scss') && !p.endsWith('.map') });
  // krds-uiux 1.1.0 resolves one icon (ico_flag, the masthead flag) to img/img/…; serve that path too.
  await app.register(fastifyStatic, { root: path.join(krdsRoot, 'img'), prefix: '/assets/krds/img/img/', maxAge: '1d', decorateReply: false, index: false });
  await app.register(fastifyStatic, { root: path.join(here, '../views/assets'), prefix: '/assets/', maxAge: '1h', decorateReply: false, index: false, wildcard: false });

  app.decorateRequest('locale', defaultLocale);
  app.decorateRequest('t', null as never);
  app.decorateRequest('session', null);
  app.decorateRequest('account', undefined);
  app.decorateReply('page', function (this: FastifyReply, vnode, status = 200) {
    return this.pageHtml(renderPage(vnode), status);
  });
  app.decorateReply('pageHtml', function (this: FastifyReply, html: string | Buffer, status = 200) {
    return this.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-cache, private').send(html);
  });

  const headers = securityHeaders(deps.production);
  app.addHook('onRequest', async (request, reply) => {
    reply.headers(headers);
    reply.header('x-request-id', request.id);
    if (request.url.startsWith('/assets/')) return;
    // Language: ?lang= (remembered in a cookie), then the cookie, then Accept-Language.
    const query = request.query as Record<string, unknown> | undefined;
    const asked = query?.lang;
    let locale: Locale | undefined;
    if (isLocale(asked)) {
      locale = asked;
      reply.setCookie(LANG_COOKIE, asked, { path: '/', sameSite: 'lax', maxAge: 31_536_000, httpOnly: true, secure: deps.secureCookies });
    } else {
      const cookie = request.cookies[LANG_COOKIE];
      locale = isLocale(cookie) ? cookie : negotiateLocale(request.headers['accept-language']);
    }
    request.locale = locale ?? defaultLocale;
    request.t = i18n.translator(request.locale);
    reply.header('vary', 'Accept-Language, Cookie');

    // When the kept session has expired, its account (kept as long) is read alongside it
    // rather than after it: one wait for the database instead of two.
    let early = undefined as { accountId: number; account: Promise<ViewAccount | undefined> } | undefined;
    request.session = await sessions.load(request, (accountId) => {
      early = { accountId, account: deps.loadAccount(accountId) };
      early.account.catch(() => undefined);
    });
    const accountId = request.session?.accountId;
    if (accountId) request.account = early?.accountId === accountId ? await early.account : await deps.loadAccount(accountId);

    if (unsafe.has(request.method) && request.routeOptions.config?.rateLimit !== false) {
      const limit = await deps.rateLimiter.hit(`ip:${request.ip}`, deps.rateLimitPerMinute);
      if (!limit.allowed) {
        reply.header('retry-after', String(limit.retryAfter));
        throw new DomainError('RATE_LIMITED');
      }
    }
  });

  app.addHook('preHandler', async (request) => {
    if (!unsafe.has(request.method) || request.routeOptions.config?.csrf === false) return;
    const body = request.body as Record<string, unknown> | undefined;
    const token = request.headers['x-csrf-token'] ?? body?._csrf;
    if (!sessions.verifyCsrf(request.session, token)) throw new DomainError('CSRF_INVALID');
  });

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? (reply.statusCode === 404 ? 'not-found' : 'unknown');
    metrics.observe(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
  });

  async function sendError(request: FastifyRequest, reply: FastifyReply, status: number, code: ErrorCode, messageKey: string, fields?: unknown, allowed?: string[], params?: Record<string, string | number>) {
    if (!request.t) {
      request.locale = negotiateLocale(request.headers['accept-language']) ?? defaultLocale;
      request.t = i18n.translator(request.locale);
    }
    if (wantsJson(request)) {
      return reply.code(status).type('application/json').send({
        error: { code, message: request.t(messageKey, params), requestId: request.id, ...(fields ? { fields } : {}), ...(allowed ? { allowed } : {}) },
      });
    }
    let ctx: PageContext;
    try {
      ctx = await pageContext(request, reply);
    } catch {
      // The database may be why we are here: render the page without session or footer.
      ctx = { locale: request.locale, t: request.t, path: '/', query: new URLSearchParams(), requestId: request.id, account: undefined, csrfToken: undefined, footerAgencies: [], menu: deps.menu };
    }
    return reply.page(h(ErrorPage, { ctx, status, messageKey, params }), status);
  }

  app.get(
    '/api/v1/session',
    {
      schema: {
        tags: ['identity'],
        summary: 'Who is signed in on this session, and the CSRF token its writes must carry (x-csrf-token)',
        response: { 200: Type.Object({ account: Type.Union([Type.Object({ id: Type.Integer(), kind: Type.String(), displayName: Type.String() }), Type.Null()]), csrfToken: Type.String() }) },
      },
    },
    async (request, reply) => {
      const session = await sessions.ensure(request, reply);
      reply.header('cache-control', 'no-store');
      return { account: request.account ? { id: request.account.id, kind: request.account.kind, displayName: request.account.displayName } : null, csrfToken: session.csrfToken };
    },
  );

  app.setNotFoundHandler(async (request, reply) => sendError(request, reply, 404, 'NOT_FOUND', 'error.NOT_FOUND'));

  app.setErrorHandler(async (error: FastifyError | DomainError, request, reply) => {
    if (error instanceof DomainError) {
      if (error.status >= 500) request.log.error({ err: error }, 'domain error');
      const fields = fieldMessages(request.t, error);
      return sendError(request, reply, error.status, error.code, error.messageKey, fields, error.details.allowed, error.details.params);
    }
    if ((error as FastifyError).validation) {
      const fields = (error as FastifyError).validation!.map((v) => ({ field: v.instancePath.replace(/^\//, '') || String(v.params?.missingProperty ?? ''), message: v.message ?? '' }));
      return sendError(request, reply, 422, 'VALIDATION_FAILED', 'error.VALIDATION_FAILED', fields);
    }
    const status = (error as FastifyError).statusCode;
    if (status && status >= 400 && status < 500) {
      const code: ErrorCode = status === 404 ? 'NOT_FOUND' : status === 403 ? 'FORBIDDEN' : status === 429 ? 'RATE_LIMITED' : 'BAD_REQUEST';
      return sendError(request, reply, status, code, `error.${code}`);
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendError(request, reply, 500, 'INTERNAL', 'error.INTERNAL');
  });
}

export { errorStatus };
