import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import { createHash, createHmac } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Type } from '@sinclair/typebox';
import { h, type VNode } from 'preact';
import type { Db } from '../../platform/db/database.ts';
import type { FieldEncryption } from '../../platform/crypto/field-encryption.ts';
import type { PageContextFactory } from '../../platform/http/platform.ts';
import { DomainError } from '../../platform/http/errors.ts';
import { sameSecret } from '../../platform/crypto/same-secret.ts';
import { SESSION_COOKIE, type Sessions } from '../../platform/http/sessions.ts';
import { renderPage } from '../../platform/views/render.ts';
import type { PageContext } from '../../platform/views/context.ts';
import { createOidc, interactionPath, OIDC_PREFIX, type Oidc } from './oidc-provider.ts';
import { accountClaims, isOidcScope, SCOPE_CLAIMS, type AccountClaims } from './oidc-claims.ts';
import { recordConsent } from './oidc-consents.ts';
import { ConsentPage, LoggedOutPage, LogoutPage, OidcErrorPage, type ConsentScopeView } from './views/consent-page.tsx';

export interface OidcRouteDeps {
  db: Db;
  encryption: FieldEncryption;
  pageContext: PageContextFactory;
  issuer: string;
  cookieSecret: string;
  secureCookies: boolean;
  behindProxy: boolean;
  timeZone: string;
  sessions: Sessions;
}

/** The Fastify request behind a raw request the provider handles (for its error page). */
const fastifyRequests = new WeakMap<IncomingMessage, { request: FastifyRequest; reply: FastifyReply }>();

/** A short, one-way tag of a session (its id is already a hash of the cookie). */
const sessionTag = (sessionId: string) => createHash('sha256').update(`oidc-reauth:${sessionId}`).digest('base64url').slice(0, 22);

/** A claim's value as the consent page shows it, in the reader's language. */
function displayValue(request: FastifyRequest, claim: string, claims: AccountClaims): string | undefined {
  const value = claims[claim];
  if (claim === 'sub') return request.t('oidc.claim.subValue');
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'boolean') return request.t(value ? 'oidc.yes' : 'oidc.no');
  // Each language by its own name, as language pickers show them.
  if (claim === 'locale') return value === 'ko' ? '한국어 (ko)' : value === 'en' ? 'English (en)' : String(value);
  if (claim === 'resident_region') {
    const region = value as { name_ko: string; name_en: string };
    return request.locale === 'ko' ? region.name_ko : region.name_en;
  }
  return String(value);
}

/**
 * The OpenID Provider: `routes` mounts its endpoints under /oidc and discovery at the
 * issuer, and Nara's own pages for the two interactions it asks for, sign-in and consent.
 * `oidc` is the same provider, for checking the tokens it issued (machine clients').
 */
export function createOidcEndpoints(deps: OidcRouteDeps): { oidc: Oidc; routes: FastifyPluginAsyncTypebox } {
  const { db, pageContext } = deps;
  async function publicIdOf(accountId: number): Promise<string> {
    return (await db.selectFrom('accounts').select('public_id').where('id', '=', accountId).executeTakeFirstOrThrow()).public_id;
  }
  /**
   * Proof, carried through the sign-in page, of which Nara session was current when a
   * service asked for a fresh sign-in: bound to the interaction and signed, so it cannot
   * be made up. Signing in always starts a new session, so a different current session
   * proves the person signed in again.
   */
  const reauthProof = (uid: string, tag: string) => `${tag}.${createHmac('sha256', deps.cookieSecret).update(`oidc-reauth:${uid}:${tag}`).digest('base64url').slice(0, 22)}`;
  const proofValid = (uid: string, proof: string | undefined): proof is string => {
    if (!proof) return false;
    return sameSecret(reauthProof(uid, proof.split('.')[0] ?? ''), proof);
  };
  let log: FastifyBaseLogger | undefined;

  /** Renders a Nara page as the provider's response; false when the request did not come through Nara's routes. */
  async function respondWithPage(ctx: KoaContextWithOIDC, page: (context: PageContext) => VNode<any>): Promise<boolean> {
    const origin = fastifyRequests.get(ctx.req);
    if (!origin) return false;
    ctx.type = 'html';
    ctx.body = renderPage(page(await pageContext(origin.request, origin.reply)));
    return true;
  }

  const oidc = createOidc({
    onServerError: (err) => log?.error({ err }, 'OpenID provider error'),
    logoutPage: async (ctx, form) => {
      await respondWithPage(ctx, (page) => h(LogoutPage, { ctx: page, form, clientName: ctx.oidc.client?.clientName }));
    },
    loggedOutPage: async (ctx) => {
      // The Nara session ended in this very request: the header must not show it signed in.
      const origin = fastifyRequests.get(ctx.req);
      if (origin) origin.request.account = undefined;
      await respondWithPage(ctx, (page) => h(LoggedOutPage, { ctx: page, clientName: ctx.oidc.client?.clientName }));
    },
    onSignedOut: (ctx) => {
      const session = fastifyRequests.get(ctx.req)?.request.session;
      ctx.cookies.set(SESSION_COOKIE, null, { path: '/' });
      if (session?.accountId) void deps.sessions.endForAccount(session.accountId, session.id).catch((err: unknown) => log?.error({ err }, 'could not end the Nara session at sign-out'));
    },
    naraAccountOf: async (ctx) => {
      const request = fastifyRequests.get(ctx.req)?.request;
      const account = request?.account;
      // Signing someone in to another service is decided on the session as it is now.
      if (!account || !(await deps.sessions.confirm(request.session))) return undefined;
      return publicIdOf(account.id);
    },
    db,
    encryption: deps.encryption,
    issuer: deps.issuer,
    cookieSecret: deps.cookieSecret,
    secureCookies: deps.secureCookies,
    behindProxy: deps.behindProxy,
    timeZone: deps.timeZone,
    renderError: async (ctx, out) => {
      if (await respondWithPage(ctx, (page) => h(OidcErrorPage, { ctx: page, error: out.error, description: out.error_description }))) return;
      const code = out.error.replace(/[^\w.-]/g, '');
      ctx.type = 'html';
      ctx.body = `<!doctype html><title>${code}</title><p>${code}</p>`;
    },
  });
  let handler: ReturnType<Provider['callback']> | undefined;

  async function forward(request: FastifyRequest, reply: FastifyReply) {
    const provider = await oidc.provider();
    handler ??= provider.callback();
    // The platform's security headers apply to the provider's responses too.
    for (const [name, value] of Object.entries(reply.getHeaders())) if (value !== undefined) reply.raw.setHeader(name, value);
    fastifyRequests.set(request.raw, { request, reply });
    reply.hijack();
    void handler(request.raw, reply.raw);
  }


  const routes: FastifyPluginAsyncTypebox = async (app) => {
    log = app.log;
    await app.register(async (scope) => {
      // The provider reads request bodies itself.
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
      // Services call the token endpoints from one backend address for all their users;
      // the per-address form limit would cap a whole service at 120 sign-ins a minute.
      const options = { schema: { hide: true }, config: { csrf: false, rateLimit: false } };
      scope.get('/.well-known/openid-configuration', options, forward);
      scope.all(`${OIDC_PREFIX}/*`, options, forward);
    });

    const Params = Type.Object({ uid: Type.String({ pattern: '^[\\w-]{1,64}$' }) });

    /** The interaction this browser is in, or the explanation page when it has ended or is not theirs. */
    async function interactionOf(request: FastifyRequest, reply: FastifyReply, provider: Provider) {
      try {
        return await provider.interactionDetails(request.raw, reply.raw);
      } catch (error) {
        const known = error as { error?: string; error_description?: string; statusCode?: number };
        if (!known.error) throw error;
        const ctx = await pageContext(request, reply);
        await reply.page(h(OidcErrorPage, { ctx, error: known.error, description: known.error_description }), known.statusCode ?? 400);
        return undefined;
      }
    }

    app.get(`${OIDC_PREFIX}/interaction/:uid`, { schema: { hide: true, params: Params, querystring: Type.Object({ was: Type.Optional(Type.String({ maxLength: 100 })) }) } }, async (request, reply) => {
      const provider = await oidc.provider();
      const details = await interactionOf(request, reply, provider);
      if (!details) return reply;
      if (details.uid !== request.params.uid) throw new DomainError('NOT_FOUND');
      const here = interactionPath(details.uid);
      const signIn = (was?: string) => {
        const next = was === undefined ? here : `${here}?was=${was}`;
        return reply.redirect(`/sign-in?next=${encodeURIComponent(next)}${was === undefined ? '' : '&reauth=1'}`, 303);
      };

      if (details.prompt.name === 'login') {
        if (!request.account || !request.session) return signIn();
        // prompt=login or max_age: the person signs in again after the service asked.
        const reauth = details.prompt.reasons.some((r) => r === 'login_prompt' || r === 'max_age');
        const current = sessionTag(request.session.id);
        if (reauth) {
          const was = request.query.was;
          if (!proofValid(details.uid, was) || was.split('.')[0] === current) return signIn(reauthProof(details.uid, current));
        }
        const login = { accountId: await publicIdOf(request.account.id), ts: Math.floor(request.session.createdAt.getTime() / 1000) };
        return reply.redirect(await provider.interactionResult(request.raw, reply.raw, { login }, { mergeWithLastSubmission: false }), 303);
      }

      if (details.prompt.name === 'consent') {
        if (!request.account) return signIn();
        const publicId = await publicIdOf(request.account.id);
        if (details.session?.accountId !== publicId) throw new DomainError('FORBIDDEN');
        const client = await provider.Client.find(String(details.params.client_id));
        const claims = await accountClaims(db, publicId, deps.timeZone);
        if (!client || !claims) throw new DomainError('NOT_FOUND');
        const scopes: ConsentScopeView[] = String(details.params.scope ?? '')
          .split(' ')
          .filter(isOidcScope)
          .map((scope) => ({
            scope,
            claims: SCOPE_CLAIMS[scope].flatMap((claim) => {
              const value = displayValue(request, claim, claims);
              return value === undefined ? [] : [{ labelKey: `oidc.claim.${claim}`, value }];
            }),
          }));
        const ctx = await pageContext(request, reply, { form: true });
        return reply.page(h(ConsentPage, { ctx, action: here, clientName: client.clientName ?? client.clientId, scopes }));
      }
      throw new DomainError('BAD_REQUEST');
    });

    app.post(
      `${OIDC_PREFIX}/interaction/:uid`,
      { schema: { hide: true, params: Params, body: Type.Object({ decision: Type.Union([Type.Literal('allow'), Type.Literal('deny')]), _csrf: Type.Optional(Type.String()) }) } },
      async (request, reply) => {
        const provider = await oidc.provider();
        const details = await interactionOf(request, reply, provider);
        if (!details) return reply;
        if (details.uid !== request.params.uid || details.prompt.name !== 'consent') throw new DomainError('NOT_FOUND');
        if (!request.account) throw new DomainError('UNAUTHENTICATED');
        const publicId = await publicIdOf(request.account.id);
        const clientId = String(details.params.client_id);
        if (details.session?.accountId !== publicId) throw new DomainError('FORBIDDEN');

        if (request.body.decision === 'deny') {
          const result = { error: 'access_denied', error_description: 'The person declined to share this information' };
          return reply.redirect(await provider.interactionResult(request.raw, reply.raw, result, { mergeWithLastSubmission: false }), 303);
        }
        const grant = details.grantId ? await provider.Grant.find(details.grantId) : new provider.Grant({ accountId: publicId, clientId });
        if (!grant) throw new DomainError('NOT_FOUND');
        const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> };
        if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
        if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
        for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) grant.addResourceScope(indicator, scopes.join(' '));
        const grantId = await grant.save();
        await recordConsent(db, { accountId: request.account.id, clientId, grantId, scope: grant.getOIDCScope(), requestId: request.id, ip: request.ip });
        return reply.redirect(await provider.interactionResult(request.raw, reply.raw, { consent: { grantId } }, { mergeWithLastSubmission: true }), 303);
      },
    );
  };
  return { oidc, routes };
}

/** The provider's routes alone, for a composition root that needs nothing else from it. */
export function oidcRoutes(deps: OidcRouteDeps): FastifyPluginAsyncTypebox {
  return createOidcEndpoints(deps).routes;
}
