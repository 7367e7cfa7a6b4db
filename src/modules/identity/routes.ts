import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { h } from 'preact';
import { CSRF_SLOT, fillTokenSlots, renderPage, tokenSlots } from '../../platform/views/render.ts';
import type { Db } from '../../platform/db/database.ts';
import type { PageContextFactory } from '../../platform/http/platform.ts';
import type { Sessions } from '../../platform/http/sessions.ts';
import type { AuditEvent } from '../../platform/audit/write-audit-event.ts';
import { DomainError, fieldMessages } from '../../platform/http/errors.ts';
import { signInWithPassword } from './sign-in-with-password.ts';
import { SignInPage } from './views/sign-in-page.tsx';
import { AgenciesPage } from './views/agencies-page.tsx';
import type { AgencyDirectory } from './agency-directory.ts';
import { DEMO_PASSWORD } from './demo-agencies.ts';
import { changePassword } from './change-password.ts';
import { describeDevice } from './describe-device.ts';
import { AccountPage } from './views/account-page.tsx';
import { DEVICE_COOKIE, type SignInThrottle } from './sign-in-throttle.ts';
import { SIGN_UP_CODE_MINUTES, startSignUp } from './start-sign-up.ts';
import { completeSignUp } from './complete-sign-up.ts';
import { SignUpPage, SignUpVerifyPage } from './views/sign-up-page.tsx';
import { MAX_SECOND_FACTOR_ATTEMPTS, type SecondFactor } from './second-factor.ts';
import { RecoveryCodesPage, SecondFactorPage } from './views/second-factor-page.tsx';
import { departmentsOf, findAccountById } from './repository.ts';
import { loadActor, readableAgencies, hasRole } from './actor.ts';
import { changeOfficialRoles, listAgencyOfficials, setOfficialStatus } from './manage-officials.ts';
import { OfficialsPage } from './views/officials-page.tsx';
import { INVITATION_HOURS, acceptInvitation, findInvitation, inviteOfficial } from './invite-official.ts';
import { InvitationPage } from './views/invitation-page.tsx';
import type { Actor } from './actor.ts';
import { businessesActingFor, linkBusiness, unlinkBusiness } from './link-business.ts';
import { authenticateWithPasskey, passkeyOwner, passkeyAuthenticationOptions, passkeyRegistrationOptions, passkeysOf, registerPasskey, removePasskey, type RelyingParty } from './passkeys.ts';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import fastifyStatic from '@fastify/static';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FieldEncryption } from '../../platform/crypto/field-encryption.ts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { listConsents, revokeConsent } from './oidc-consents.ts';
import { endProviderSession } from './oidc-provider.ts';
import { actionsTakenForResident, servesAtCounter, activeAssistance, confirmAssistanceWithCode, confirmAssistanceWithPasskey, endAssistedService, pendingAssistance, startAssistedService } from './assisted-service.ts';
import { CounterActivePage, CounterConfirmPage, CounterStartPage } from './views/counter-page.tsx';
import { isOidcScope } from './oidc-claims.ts';

export interface IdentityRouteDeps {
  db: Db;
  sessions: Sessions;
  pageContext: PageContextFactory;
  directory: AgencyDirectory;
  showDemoHint: boolean;
  timeZone: string;
  throttle: SignInThrottle;
  secureCookies: boolean;
  encryption: FieldEncryption;
  /** keys the one-time codes' hashes */
  codeSecret: string;
  secondFactor: SecondFactor;
  publicUrl: string;
  production: boolean;
}

/** The form messages of an error: at each field, or the whole message at `field`. */
function fieldErrors(request: FastifyRequest, error: DomainError, field = 'name') {
  return fieldMessages(request.t, error) ?? [{ field, message: request.t(error.messageKey, error.details.params) }];
}

/** A form field sent once or several times (checkboxes) as a list. */
const asList = (value: string | string[] | undefined): string[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** Only same-site paths: `next` must never send a user to another site after sign-in. */
export function safeNext(next: string | undefined): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}

const SignInBody = Type.Object({
  username: Type.String({ maxLength: 100, default: '' }),
  password: Type.String({ maxLength: 1024, default: '' }),
  next: Type.Optional(Type.String({ maxLength: 500 })),
  _csrf: Type.Optional(Type.String()),
});

const AgencySchema = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  parentName: Type.Union([Type.String(), Type.Null()]),
  phone: Type.String(),
  email: Type.String(),
  address: Type.String(),
  departments: Type.Array(Type.Object({ name: Type.String(), phone: Type.String() })),
});

export function identityRoutes(deps: IdentityRouteDeps): FastifyPluginAsyncTypebox {
  const { db, sessions, pageContext, directory } = deps;
  const demo = deps.showDemoHint ? { username: 'resident1', password: DEMO_PASSWORD } : undefined;

  const assets = path.join(path.dirname(fileURLToPath(import.meta.url)), 'assets');
  // The package's exports map hides its browser bundle; find it beside the entry point.
  const webauthnBundle = path.join(path.dirname(createRequire(import.meta.url).resolve('@simplewebauthn/browser')), '..', 'dist', 'bundle');

  /**
   * The WebAuthn relying party. In production it is PUBLIC_URL, never the request: a
   * forged Host header must not choose the origin credentials are bound to. Elsewhere
   * (development, tests on random ports) it is the address the browser is using.
   */
  const relyingParty = (request: FastifyRequest): RelyingParty => {
    if (deps.production) {
      const url = new URL(deps.publicUrl);
      return { id: url.hostname, origin: url.origin, name: 'Nara' };
    }
    return { id: request.hostname, origin: `${request.protocol}://${request.host}`, name: 'Nara' };
  };

  const PLAIN_SIGN_IN_MS = 10_000;
  const plainSignInPages = new Map<string, { parts: Buffer[]; at: number }>();

  return async (app) => {
    await app.register(fastifyStatic, { root: assets, prefix: '/assets/identity/', decorateReply: false, index: false, maxAge: '1h' });
    await app.register(fastifyStatic, { root: webauthnBundle, prefix: '/assets/vendor/simplewebauthn/', decorateReply: false, index: false, maxAge: '1d', allowedPath: (p) => p === '/index.umd.min.js' || p === 'index.umd.min.js' });

    app.get('/sign-in', { schema: { hide: true, querystring: Type.Object({ next: Type.Optional(Type.String({ maxLength: 500 })), signedOut: Type.Optional(Type.String()), invited: Type.Optional(Type.String()), reauth: Type.Optional(Type.String()) }) } }, async (request, reply) => {
      // reauth: a service asked that the person sign in again (OpenID prompt=login).
      if (request.account && !request.query.reauth) return reply.redirect(safeNext(request.query.next), 303);
      const ctx = await pageContext(request, reply, { form: true });
      const notice = request.query.reauth
        ? request.t('oidc.reauth')
        : request.query.signedOut
          ? request.t('identity.signedOut')
          : request.query.invited
            ? request.t('identity.invitation.done')
            : undefined;
      if (request.url !== '/sign-in') return reply.page(h(SignInPage, { ctx, username: '', next: safeNext(request.query.next), errors: [], demo, notice }));
      // The plain form (no next page, no notice) is the same for every visitor in a language
      // but for the CSRF token: rendered once, and again after ten seconds (the footer's
      // agencies may have changed). Every sign-in starts here.
      const token = ctx.csrfToken!;
      let kept = plainSignInPages.get(request.locale);
      if (!kept || Date.now() - kept.at >= PLAIN_SIGN_IN_MS) {
        const html = renderPage(h(SignInPage, { ctx: { ...ctx, csrfToken: CSRF_SLOT }, username: '', next: '/', errors: [], demo }));
        kept = { parts: tokenSlots(html), at: Date.now() };
        plainSignInPages.set(request.locale, kept);
      }
      return reply.pageHtml(fillTokenSlots(kept.parts, token));
    });

    app.post('/sign-in', { schema: { hide: true, body: SignInBody } }, async (request, reply) => {
      const { username, password } = request.body;
      const next = safeNext(request.body.next);
      const errors: Array<{ field: string; message: string }> = [];
      let status = 422;
      if (!username.trim()) errors.push({ field: 'username', message: request.t('identity.username.required') });
      if (!password) errors.push({ field: 'password', message: request.t('identity.password.required') });
      if (errors.length === 0) {
        try {
          const { accountId, needsSecondFactor, audit } = await signInWithPassword(db, {
            username, password, requestId: request.id, ip: request.ip,
            throttle: deps.throttle, trustedDeviceAccountId: deps.throttle.deviceAccount(request.cookies[DEVICE_COOKIE]),
          });
          if (needsSecondFactor) {
            await sessions.rotate(request, reply, { secondFactor: { accountId, attempts: 0, next } }, audit);
            return reply.redirect('/sign-in/second-factor', 303);
          }
          await completeSignIn(request, reply, accountId, audit);
          return reply.redirect(next, 303);
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          status = error.status;
          if (error.code === 'SIGN_IN_THROTTLED') reply.header('retry-after', String(error.details.params?.seconds ?? 60));
          errors.push({ field: 'username', message: request.t(error.messageKey, error.details.params) });
        }
      }
      const ctx = await pageContext(request, reply, { form: true });
      return reply.page(h(SignInPage, { ctx, username, next, errors, demo }), status);
    });

    async function completeSignIn(request: FastifyRequest, reply: FastifyReply, accountId: number, audit?: AuditEvent) {
      await sessions.signIn(request, reply, accountId, audit);
      reply.setCookie(DEVICE_COOKIE, deps.throttle.deviceToken(accountId), { path: '/sign-in', httpOnly: true, sameSite: 'lax', secure: deps.secureCookies, maxAge: 400 * 86_400 });
    }

    type Pending = { accountId: number; attempts: number; next: string };
    const pendingSecondFactor = (request: FastifyRequest) => request.session?.data.secondFactor as Pending | undefined;

    async function secondFactorPage(request: FastifyRequest, reply: FastifyReply, pending: Pending, errors: Array<{ field: string; message: string }>, status = 200) {
      const ctx = await pageContext(request, reply, { form: true });
      let enrolment: { secret: string; qrSvg: string } | undefined;
      if (!(await deps.secondFactor.isEnrolled(pending.accountId))) {
        const account = await findAccountById(db, pending.accountId);
        enrolment = await deps.secondFactor.enrolment(pending.accountId, account?.username ?? String(pending.accountId));
      }
      return reply.page(h(SecondFactorPage, { ctx, errors, enrolment }), status);
    }

    app.get('/sign-in/second-factor', { schema: { hide: true } }, async (request, reply) => {
      const pending = pendingSecondFactor(request);
      if (!pending) return reply.redirect('/sign-in', 303);
      return secondFactorPage(request, reply, pending, []);
    });

    app.post('/sign-in/second-factor', { schema: { hide: true, body: Type.Object({ code: Type.String({ maxLength: 40, default: '' }), _csrf: Type.Optional(Type.String()) }) } }, async (request, reply) => {
      const pending = pendingSecondFactor(request);
      if (!pending) return reply.redirect('/sign-in', 303);
      const code = request.body.code;
      if (await deps.secondFactor.isEnrolled(pending.accountId)) {
        if (code.trim() && (await deps.secondFactor.verify(pending.accountId, code, request.id, request.ip))) {
          await completeSignIn(request, reply, pending.accountId);
          return reply.redirect(pending.next, 303);
        }
      } else {
        const codes = code.trim() ? await deps.secondFactor.confirm(pending.accountId, code, request.id, request.ip) : null;
        if (codes) {
          await completeSignIn(request, reply, pending.accountId);
          const ctx = await pageContext(request, reply, { form: true });
          return reply.page(h(RecoveryCodesPage, { ctx, codes, next: pending.next }));
        }
      }
      const attempts = pending.attempts + 1;
      if (attempts >= MAX_SECOND_FACTOR_ATTEMPTS) {
        await sessions.signOut(request, reply);
        const ctx = await pageContext(request, reply, { form: true });
        return reply.page(h(SignInPage, { ctx, username: '', next: pending.next, errors: [{ field: 'username', message: request.t('identity.totp.tooMany') }], demo }), 401);
      }
      await sessions.setData(request, reply, { ...request.session!.data, secondFactor: { ...pending, attempts } });
      return secondFactorPage(request, reply, pending, [{ field: 'code', message: request.t('identity.totp.wrong', { left: MAX_SECOND_FACTOR_ATTEMPTS - attempts }) }], 422);
    });

    app.post('/sign-out', { schema: { hide: true } }, async (request, reply) => {
      await sessions.signOut(request, reply);
      await endProviderSession(db, request.cookies, (name) => reply.clearCookie(name, { path: '/' }));
      return reply.redirect('/sign-in?signedOut=1', 303);
    });

    async function accountPage(request: FastifyRequest, reply: FastifyReply, options: { notice?: string; passwordErrors?: Array<{ field: string; message: string }>; status?: number; business?: { value: string; errors: Array<{ field: string; message: string }> } } = {}) {
      const account = request.account!;
      const ctx = await pageContext(request, reply, { form: true });
      const rows = await sessions.listForAccount(account.id);
      const views = rows.map((r) => ({ id: r.id, device: describeDevice(r.user_agent), ip: r.ip, createdAt: r.created_at, lastSeenAt: r.last_seen_at, current: r.id === request.session?.id }));
      const actor = account.kind === 'official' ? await loadActor(db, account.id) : undefined;
      const adminLink = actor ? readableAgencies(actor).length > 0 : false;
      const servicesLink = actor ? actor.roles.some((r) => r.role === 'agency-admin') : false;
      const businesses =
        account.kind === 'resident'
          ? {
              list: (await businessesActingFor(db, account.id)).map((b) => ({ id: b.id, name: request.locale === 'ko' ? b.nameKo : b.nameEn, registrationNo: b.registrationNo })),
              value: options.business?.value ?? '',
              errors: options.business?.errors ?? [],
            }
          : undefined;
      const passkeys = (await passkeysOf(db, account.id)).map((p) => ({ id: p.id, name: p.name, createdAt: p.created_at, lastUsedAt: p.last_used_at }));
      const assisted = (await actionsTakenForResident(db, account.id)).map((a) => ({ action: a.action, at: a.occurred_at, official: a.official, agency: (request.locale === 'ko' ? a.agency_ko : a.agency_en) ?? '' }));
      const counterLink = servesAtCounter(actor);
      const connected = (await listConsents(db, account.id)).map((c) => ({ clientId: c.client_id, name: c.name, scopes: c.scope.split(' ').filter(isOidcScope), grantedAt: c.granted_at }));
      return reply.page(h(AccountPage, { ctx, timeZone: deps.timeZone, sessions: views, notice: options.notice, passwordErrors: options.passwordErrors ?? [], adminLink, servicesLink, counterLink, businesses, passkeys, connected, assisted }), options.status ?? 200);
    }

    app.get('/account', { schema: { hide: true, querystring: Type.Object({ done: Type.Optional(Type.String({ maxLength: 20 })), count: Type.Optional(Type.Integer({ minimum: 0 })) }) } }, async (request, reply) => {
      if (!request.account) return reply.redirect(`/sign-in?next=${encodeURIComponent('/account')}`, 303);
      const { done, count } = request.query;
      const notice =
        done === 'session' ? request.t('identity.account.sessionEnded')
        : done === 'password' ? request.t('identity.account.passwordChanged', { count: count ?? 0 })
        : done === 'linked' ? request.t('identity.business.linked')
        : done === 'unlinked' ? request.t('identity.business.unlinked')
        : done === 'passkey' ? request.t('identity.passkey.added')
        : done === 'passkey-removed' ? request.t('identity.passkey.removed')
        : done === 'consent-revoked' ? request.t('oidc.connected.revoked')
        : undefined;
      return accountPage(request, reply, notice ? { notice } : {});
    });

    app.post('/account/businesses', { schema: { hide: true, body: Type.Object({ registrationNo: Type.String({ maxLength: 30, default: '' }), _csrf: Type.Optional(Type.String()) }) } }, async (request, reply) => {
      if (!request.account) throw new DomainError('UNAUTHENTICATED');
      try {
        await linkBusiness(db, { accountId: request.account.id, registrationNo: request.body.registrationNo, requestId: request.id, ip: request.ip });
        // No name in the address: a crafted link must not be able to put words on this page.
        return reply.redirect('/account?done=linked', 303);
      } catch (error) {
        if (!(error instanceof DomainError) || !['VALIDATION_FAILED', 'NOT_FOUND', 'NOT_REPRESENTATIVE'].includes(error.code)) throw error;
        return accountPage(request, reply, { business: { value: request.body.registrationNo, errors: fieldErrors(request, error, 'registrationNo') }, status: error.status });
      }
    });

    app.post('/account/businesses/:id/unlink', { schema: { hide: true, params: Type.Object({ id: Type.Integer({ minimum: 1 }) }) } }, async (request, reply) => {
      if (!request.account) throw new DomainError('UNAUTHENTICATED');
      await unlinkBusiness(db, { accountId: request.account.id, businessId: request.params.id, requestId: request.id, ip: request.ip });
      return reply.redirect('/account?done=unlinked', 303);
    });

    app.post('/account/connected-services/:clientId/revoke', { schema: { hide: true, params: Type.Object({ clientId: Type.String({ maxLength: 100 }) }) } }, async (request, reply) => {
      if (!request.account) throw new DomainError('UNAUTHENTICATED');
      await revokeConsent(db, { accountId: request.account.id, clientId: request.params.clientId, requestId: request.id, ip: request.ip });
      return reply.redirect('/account?done=consent-revoked', 303);
    });

    const setChallenge = async (request: FastifyRequest, reply: FastifyReply, purpose: string, challenge: string) => {
      await sessions.setData(request, reply, { ...request.session?.data, webauthn: { purpose, challenge } });
    };
    const takeChallenge = async (request: FastifyRequest, reply: FastifyReply, purpose: string): Promise<string> => {
      const stored = request.session?.data.webauthn as { purpose: string; challenge: string } | undefined;
      if (!stored || stored.purpose !== purpose) throw new DomainError('BAD_REQUEST', 'identity.passkey.failed');
      // A challenge is good for one ceremony only.
      await sessions.setData(request, reply, { ...request.session!.data, webauthn: undefined });
      return stored.challenge;
    };
    const Json = Type.Record(Type.String(), Type.Unknown());

    app.post('/account/passkeys/options', { schema: { hide: true } }, async (request, reply) => {
      if (!request.account) throw new DomainError('UNAUTHENTICATED');
      const options = await passkeyRegistrationOptions(db, relyingParty(request), request.account.id);
      await setChallenge(request, reply, 'register', options.challenge);
      return options;
    });

    app.post('/account/passkeys', { schema: { hide: true, body: Type.Object({ name: Type.String({ maxLength: 200 }), response: Json }) } }, async (request, reply) => {
      if (!request.account) throw new DomainError('UNAUTHENTICATED');
      const challenge = await takeChallenge(request, reply, 'register');
      await registerPasskey(db, relyingParty(request), { accountId: request.account.id, name: request.body.name, challenge, response: request.body.response as unknown as RegistrationResponseJSON, requestId: request.id, ip: request.ip });
      return { ok: true };
    });

    app.post('/account/passkeys/:id/remove', { schema: { hide: true, params: Type.Object({ id: Type.String({ maxLength: 1400 }) }) } }, async (request, reply) => {
      if (!request.account) throw new DomainError('UNAUTHENTICATED');
      await removePasskey(db, { accountId: request.account.id, passkeyId: request.params.id, requestId: request.id, ip: request.ip });
      return reply.redirect('/account?done=passkey-removed', 303);
    });

    app.post('/sign-in/passkey/options', { schema: { hide: true } }, async (request, reply) => {
      const options = await passkeyAuthenticationOptions(relyingParty(request));
      await setChallenge(request, reply, 'sign-in', options.challenge);
      return options;
    });

    app.post('/sign-in/passkey', { schema: { hide: true, body: Type.Object({ response: Json, next: Type.Optional(Type.String({ maxLength: 500 })) }) } }, async (request, reply) => {
      const challenge = await takeChallenge(request, reply, 'sign-in');
      const result = await authenticateWithPasskey(db, relyingParty(request), { challenge, response: request.body.response as unknown as AuthenticationResponseJSON, requestId: request.id, ip: request.ip });
      if (!result) throw new DomainError('SIGN_IN_FAILED', 'identity.passkey.failed');
      // User verification on the authenticator makes a passkey both factors at once.
      await completeSignIn(request, reply, result.accountId, result.audit);
      return { redirect: safeNext(request.body.next) };
    });

    // --- Assisted service at a counter -------------------------------------------------
    type CounterOfficial = { accountId: number; sessionId: string };
    const counterOfficial = (request: FastifyRequest): CounterOfficial => {
      if (!request.account || !request.session) throw new DomainError('UNAUTHENTICATED');
      if (request.account.kind !== 'official') throw new DomainError('FORBIDDEN');
      return { accountId: request.account.id, sessionId: request.session.id };
    };
    const counterRequest = (request: FastifyRequest, official: CounterOfficial) => ({ officialAccountId: official.accountId, officialSessionId: official.sessionId, requestId: request.id, ip: request.ip });
    const emptyIdentity = { name: '', birthDate: '', nationalId: '' };

    async function counterPage(request: FastifyRequest, reply: FastifyReply, official: CounterOfficial, options: { registrationNo?: string; errors?: Array<{ field: string; message: string }>; notice?: string; status?: number } = {}) {
      const ctx = await pageContext(request, reply, { form: true });
      const active = await activeAssistance(db, official.accountId, official.sessionId);
      if (!active) return reply.page(h(CounterStartPage, { ctx, values: emptyIdentity, errors: [], notice: options.notice }), options.status ?? 200);
      const businesses = (await businessesActingFor(db, active.resident_account_id)).map((b) => ({ id: b.id, name: request.locale === 'ko' ? b.nameKo : b.nameEn, registrationNo: b.registrationNo }));
      return reply.page(
        h(CounterActivePage, { ctx, timeZone: deps.timeZone, residentName: active.display_name, until: active.expires_at, businesses, registrationNo: options.registrationNo ?? '', errors: options.errors ?? [], notice: options.notice }),
        options.status ?? 200,
      );
    }

    app.get('/counter', { schema: { hide: true, querystring: Type.Object({ done: Type.Optional(Type.String({ maxLength: 20 })) }) } }, async (request, reply) => {
      if (!request.account) return reply.redirect(`/sign-in?next=${encodeURIComponent('/counter')}`, 303);
      const done = request.query.done;
      const notice = done === 'linked' ? request.t('identity.business.linked') : done === 'ended' ? request.t('identity.assist.ended') : done === 'expired' ? request.t('identity.assist.expired') : done === 'confirmed' ? request.t('identity.assist.confirmed') : undefined;
      return counterPage(request, reply, counterOfficial(request), notice ? { notice } : {});
    });

    const IdentityBody = Type.Object({ name: Type.String({ maxLength: 100, default: '' }), birthDate: Type.String({ maxLength: 20, default: '' }), nationalId: Type.String({ maxLength: 20, default: '' }), _csrf: Type.Optional(Type.String()) });
    app.post('/counter/start', { schema: { hide: true, body: IdentityBody } }, async (request, reply) => {
      const official = counterOfficial(request);
      const { name, birthDate, nationalId } = request.body;
      try {
        const started = await startAssistedService(db, { ...counterRequest(request, official), name, birthDate, nationalId, encryption: deps.encryption, codeSecret: deps.codeSecret });
        return reply.redirect(`/counter/confirm/${started.id}`, 303);
      } catch (error) {
        if (!(error instanceof DomainError) || error.code === 'FORBIDDEN') throw error;
        const ctx = await pageContext(request, reply, { form: true });
        return reply.page(h(CounterStartPage, { ctx, values: { name, birthDate, nationalId }, errors: fieldErrors(request, error, 'nationalId') }), error.status);
      }
    });

    const AssistParams = Type.Object({ id: Type.String({ pattern: '^[\\w-]{10,64}$' }) });
    async function confirmPage(request: FastifyRequest, reply: FastifyReply, official: CounterOfficial, id: string, errors: Array<{ field: string; message: string }> = [], status = 200) {
      const pending = await pendingAssistance(db, { id, officialAccountId: official.accountId, officialSessionId: official.sessionId });
      if (!pending) return reply.redirect('/counter?done=expired', 303);
      const ctx = await pageContext(request, reply, { form: true });
      return reply.page(h(CounterConfirmPage, { ctx, id, residentName: pending.display_name, errors }), status);
    }

    app.get('/counter/confirm/:id', { schema: { hide: true, params: AssistParams } }, async (request, reply) => confirmPage(request, reply, counterOfficial(request), request.params.id));

    app.post('/counter/confirm/:id', { schema: { hide: true, params: AssistParams, body: Type.Object({ code: Type.String({ maxLength: 20, default: '' }), _csrf: Type.Optional(Type.String()) }) } }, async (request, reply) => {
      const official = counterOfficial(request);
      try {
        await confirmAssistanceWithCode(db, { ...counterRequest(request, official), id: request.params.id, code: request.body.code, codeSecret: deps.codeSecret });
        return reply.redirect('/counter?done=confirmed', 303);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        if (error.code === 'SIGN_UP_EXPIRED') return reply.redirect('/counter?done=expired', 303);
        return confirmPage(request, reply, official, request.params.id, fieldErrors(request, error, 'code'), error.status);
      }
    });

    app.post('/counter/confirm/:id/passkey/options', { schema: { hide: true, params: AssistParams } }, async (request, reply) => {
      const official = counterOfficial(request);
      const pending = await pendingAssistance(db, { id: request.params.id, officialAccountId: official.accountId, officialSessionId: official.sessionId });
      if (!pending) throw new DomainError('SIGN_UP_EXPIRED', 'identity.assist.expired');
      const credentials = await db.selectFrom('passkeys').select(['id', 'transports']).where('account_id', '=', pending.resident_account_id).execute();
      if (credentials.length === 0) throw new DomainError('NOT_FOUND', 'identity.assist.noPasskey');
      const options = await passkeyAuthenticationOptions(relyingParty(request), credentials);
      await setChallenge(request, reply, `assist:${pending.id}`, options.challenge);
      return options;
    });

    app.post('/counter/confirm/:id/passkey', { schema: { hide: true, params: AssistParams, body: Type.Object({ response: Json }) } }, async (request, reply) => {
      const official = counterOfficial(request);
      const challenge = await takeChallenge(request, reply, `assist:${request.params.id}`);
      const owner = await passkeyOwner(db, relyingParty(request), { challenge, response: request.body.response as unknown as AuthenticationResponseJSON });
      if (owner === null) throw new DomainError('SIGN_IN_FAILED', 'identity.passkey.failed');
      await confirmAssistanceWithPasskey(db, { ...counterRequest(request, official), id: request.params.id, passkeyAccountId: owner });
      return { redirect: '/counter?done=confirmed' };
    });

    app.post('/counter/businesses', { schema: { hide: true, body: Type.Object({ registrationNo: Type.String({ maxLength: 30, default: '' }), _csrf: Type.Optional(Type.String()) }) } }, async (request, reply) => {
      const official = counterOfficial(request);
      const active = await activeAssistance(db, official.accountId, official.sessionId);
      if (!active) return reply.redirect('/counter?done=expired', 303);
      try {
        await linkBusiness(db, {
          accountId: active.resident_account_id, registrationNo: request.body.registrationNo, requestId: request.id, ip: request.ip,
          assistedBy: { officialAccountId: official.accountId, agencyId: active.agency_id, assistedSessionId: active.id },
        });
        return reply.redirect('/counter?done=linked', 303);
      } catch (error) {
        if (!(error instanceof DomainError) || !['VALIDATION_FAILED', 'NOT_FOUND', 'NOT_REPRESENTATIVE'].includes(error.code)) throw error;
        return counterPage(request, reply, official, { registrationNo: request.body.registrationNo, errors: fieldErrors(request, error, 'registrationNo'), status: error.status });
      }
    });

    app.post('/counter/end', { schema: { hide: true } }, async (request, reply) => {
      const official = counterOfficial(request);
      await endAssistedService(db, counterRequest(request, official));
      return reply.redirect('/counter?done=ended', 303);
    });

    app.post('/account/sessions/end', { schema: { hide: true, body: Type.Object({ session: Type.String({ maxLength: 100 }), _csrf: Type.Optional(Type.String()) }) } }, async (request, reply) => {
      if (!request.account) throw new DomainError('UNAUTHENTICATED');
      // Scoped by owner: another account's session is simply not found.
      if (!(await sessions.endForAccount(request.account.id, request.body.session))) throw new DomainError('NOT_FOUND');
      return reply.redirect('/account?done=session', 303);
    });

    app.post(
      '/account/password',
      { schema: { hide: true, body: Type.Object({ currentPassword: Type.String({ maxLength: 1024, default: '' }), newPassword: Type.String({ maxLength: 1024, default: '' }), confirmPassword: Type.String({ maxLength: 1024, default: '' }), _csrf: Type.Optional(Type.String()) }) } },
      async (request, reply) => {
        if (!request.account) throw new DomainError('UNAUTHENTICATED');
        try {
          const { endedSessions } = await changePassword(db, {
            accountId: request.account.id,
            currentPassword: request.body.currentPassword,
            newPassword: request.body.newPassword,
            confirmPassword: request.body.confirmPassword,
            currentSessionId: request.session?.id ?? null,
            endOtherSessions: (tx, accountId, keep) => sessions.endOthers(tx, accountId, keep),
            requestId: request.id,
            ip: request.ip,
          });
          return reply.redirect(`/account?done=password&count=${endedSessions}`, 303);
        } catch (error) {
          if (!(error instanceof DomainError) || error.code !== 'VALIDATION_FAILED') throw error;
          return accountPage(request, reply, { passwordErrors: fieldErrors(request, error, 'currentPassword'), status: 422 });
        }
      },
    );

    app.get('/sign-up', { schema: { hide: true } }, async (request, reply) => {
      if (request.account) return reply.redirect('/', 303);
      const ctx = await pageContext(request, reply, { form: true });
      return reply.page(h(SignUpPage, { ctx, name: '', birthDate: '', errors: [] }));
    });

    app.post(
      '/sign-up',
      { schema: { hide: true, body: Type.Object({ name: Type.String({ maxLength: 100, default: '' }), birthDate: Type.String({ maxLength: 20, default: '' }), nationalId: Type.String({ maxLength: 30, default: '' }), _csrf: Type.Optional(Type.String()) }) } },
      async (request, reply) => {
        const { name, birthDate, nationalId } = request.body;
        try {
          const started = await startSignUp(db, { name, birthDate: birthDate.trim(), nationalId, locale: request.locale, encryption: deps.encryption, codeSecret: deps.codeSecret, requestId: request.id, ip: request.ip });
          await sessions.setData(request, reply, { ...request.session?.data, signUp: started });
          return reply.redirect('/sign-up/verify', 303);
        } catch (error) {
          if (!(error instanceof DomainError) || error.status >= 500) throw error;
          const ctx = await pageContext(request, reply, { form: true });
          return reply.page(h(SignUpPage, { ctx, name, birthDate, errors: fieldErrors(request, error) }), error.status);
        }
      },
    );

    const pendingSignUp = (request: FastifyRequest) => request.session?.data.signUp as { signUpId: string; emailMasked: string } | undefined;

    app.get('/sign-up/verify', { schema: { hide: true } }, async (request, reply) => {
      const pending = pendingSignUp(request);
      if (!pending) return reply.redirect('/sign-up', 303);
      const ctx = await pageContext(request, reply, { form: true });
      return reply.page(h(SignUpVerifyPage, { ctx, emailMasked: pending.emailMasked, minutes: SIGN_UP_CODE_MINUTES, username: '', errors: [] }));
    });

    app.post(
      '/sign-up/verify',
      { schema: { hide: true, body: Type.Object({ code: Type.String({ maxLength: 20, default: '' }), username: Type.String({ maxLength: 100, default: '' }), password: Type.String({ maxLength: 1024, default: '' }), confirmPassword: Type.String({ maxLength: 1024, default: '' }), _csrf: Type.Optional(Type.String()) }) } },
      async (request, reply) => {
        const pending = pendingSignUp(request);
        if (!pending) return reply.redirect('/sign-up', 303);
        const { code, username, password, confirmPassword } = request.body;
        try {
          const { accountId } = await completeSignUp(db, { signUpId: pending.signUpId, code, username, password, confirmPassword, codeSecret: deps.codeSecret, requestId: request.id, ip: request.ip });
          await completeSignIn(request, reply, accountId);
          return reply.redirect('/inbox', 303);
        } catch (error) {
          if (!(error instanceof DomainError) || error.status >= 500) throw error;
          if (error.code === 'SIGN_UP_EXPIRED') {
            await sessions.setData(request, reply, { ...request.session!.data, signUp: undefined });
            const ctx = await pageContext(request, reply, { form: true });
            return reply.page(h(SignUpPage, { ctx, name: '', birthDate: '', errors: [{ field: 'name', message: request.t(error.messageKey) }] }), error.status);
          }
          const ctx = await pageContext(request, reply, { form: true });
          return reply.page(h(SignUpVerifyPage, { ctx, emailMasked: pending.emailMasked, minutes: SIGN_UP_CODE_MINUTES, username, errors: fieldErrors(request, error) }), error.status);
        }
      },
    );

    async function officialsPage(request: FastifyRequest, reply: FastifyReply, actor: Actor, agencyId: number, extra: { notice?: string; invite?: { values: Record<string, string | string[]>; errors: Array<{ field: string; message: string }> }; status?: number } = {}) {
      const officials = await listAgencyOfficials(db, actor, agencyId);
      const agency = directory.list(request.locale).find((a) => a.id === agencyId);
      const departments = (await departmentsOf(db, agencyId)).map((d) => ({ id: d.id, name: request.locale === 'ko' ? d.name_ko : d.name_en }));
      const ctx = await pageContext(request, reply, { form: true });
      return reply.page(
        h(OfficialsPage, {
          ctx, agencyName: agency?.name ?? '', officials, canManage: hasRole(actor, 'agency-admin', agencyId), selfId: actor.accountId, notice: extra.notice,
          agencyId, departments, invite: extra.invite ?? { values: {}, errors: [] }, inviteHours: INVITATION_HOURS,
        }),
        extra.status ?? 200,
      );
    }

    app.get('/admin/officials', { schema: { hide: true, querystring: Type.Object({ agency: Type.Optional(Type.Integer({ minimum: 1 })), done: Type.Optional(Type.String({ maxLength: 20 })) }) } }, async (request, reply) => {
      if (!request.account) return reply.redirect(`/sign-in?next=${encodeURIComponent('/admin/officials')}`, 303);
      const actor = await loadActor(db, request.account.id);
      const agencyId = request.query.agency ?? (actor ? readableAgencies(actor)[0] : undefined);
      if (!actor || agencyId === undefined) throw new DomainError('FORBIDDEN');
      const done = request.query.done;
      const notice = done === 'roles' ? request.t('identity.admin.rolesChanged') : done === 'status' ? request.t('identity.admin.statusChanged') : done === 'invited' ? request.t('identity.invite.sent') : undefined;
      return officialsPage(request, reply, actor, agencyId, notice ? { notice } : {});
    });

    app.post(
      '/admin/officials/invite',
      {
        schema: {
          hide: true,
          querystring: Type.Object({ agency: Type.Integer({ minimum: 1 }) }),
          body: Type.Object({
            username: Type.String({ maxLength: 100, default: '' }), displayName: Type.String({ maxLength: 100, default: '' }), email: Type.String({ maxLength: 200, default: '' }),
            departmentId: Type.String({ maxLength: 20, default: '' }),
            roles: Type.Optional(Type.Union([Type.String({ maxLength: 40 }), Type.Array(Type.String({ maxLength: 40 }), { maxItems: 10 })])),
            _csrf: Type.Optional(Type.String()),
          }),
        },
      },
      async (request, reply) => {
        if (!request.account) throw new DomainError('UNAUTHENTICATED');
        const actor = await loadActor(db, request.account.id);
        const agencyId = request.query.agency;
        const { username, displayName, email, departmentId, roles } = request.body;
        const roleList = asList(roles);
        try {
          await inviteOfficial(db, actor, {
            agencyId, username, displayName, email, departmentId: /^\d+$/.test(departmentId) ? Number(departmentId) : null, roles: roleList,
            locale: request.locale, publicUrl: deps.publicUrl, requestId: request.id, ip: request.ip,
          });
          return reply.redirect(`/admin/officials?agency=${agencyId}&done=invited`, 303);
        } catch (error) {
          if (!(error instanceof DomainError) || error.code !== 'VALIDATION_FAILED' || !actor) throw error;
          return officialsPage(request, reply, actor, agencyId, { invite: { values: { username, displayName, email, departmentId, roles: roleList }, errors: fieldErrors(request, error) }, status: 422 });
        }
      },
    );

    app.get('/invitation/:token', { schema: { hide: true, params: Type.Object({ token: Type.String({ maxLength: 100 }) }) } }, async (request, reply) => {
      const invitation = await findInvitation(db, request.params.token);
      if (!invitation) throw new DomainError('NOT_FOUND', 'identity.invitation.invalid');
      const ctx = await pageContext(request, reply, { form: true });
      return reply.page(h(InvitationPage, { ctx, token: request.params.token, name: invitation.displayName, errors: [] }));
    });

    app.post(
      '/invitation/:token',
      { schema: { hide: true, params: Type.Object({ token: Type.String({ maxLength: 100 }) }), body: Type.Object({ password: Type.String({ maxLength: 1024, default: '' }), confirmPassword: Type.String({ maxLength: 1024, default: '' }), _csrf: Type.Optional(Type.String()) }) } },
      async (request, reply) => {
        try {
          await acceptInvitation(db, { token: request.params.token, password: request.body.password, confirmPassword: request.body.confirmPassword, requestId: request.id, ip: request.ip });
          return reply.redirect('/sign-in?invited=1', 303);
        } catch (error) {
          if (!(error instanceof DomainError) || error.code !== 'VALIDATION_FAILED') throw error;
          const invitation = await findInvitation(db, request.params.token);
          const ctx = await pageContext(request, reply, { form: true });
          return reply.page(h(InvitationPage, { ctx, token: request.params.token, name: invitation?.displayName ?? '', errors: fieldErrors(request, error) }), 422);
        }
      },
    );

    const idParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });

    app.post(
      '/admin/officials/:id/roles',
      { schema: { hide: true, params: idParams, body: Type.Object({ roles: Type.Optional(Type.Union([Type.String({ maxLength: 40 }), Type.Array(Type.String({ maxLength: 40 }), { maxItems: 10 })])), _csrf: Type.Optional(Type.String()) }) } },
      async (request, reply) => {
        if (!request.account) throw new DomainError('UNAUTHENTICATED');
        const actor = await loadActor(db, request.account.id);
        const roles = asList(request.body.roles);
        await changeOfficialRoles(db, actor, { accountId: request.params.id, roles, requestId: request.id, ip: request.ip });
        const target = await findAccountById(db, request.params.id);
        return reply.redirect(`/admin/officials?agency=${target!.agency_id}&done=roles#official-${request.params.id}`, 303);
      },
    );

    app.post(
      '/admin/officials/:id/status',
      { schema: { hide: true, params: idParams, body: Type.Object({ status: Type.Union([Type.Literal('active'), Type.Literal('suspended')]), _csrf: Type.Optional(Type.String()) }) } },
      async (request, reply) => {
        if (!request.account) throw new DomainError('UNAUTHENTICATED');
        const actor = await loadActor(db, request.account.id);
        await setOfficialStatus(db, actor, { accountId: request.params.id, status: request.body.status, requestId: request.id, ip: request.ip, endSessions: (tx, id) => sessions.endOthers(tx, id, null) });
        const target = await findAccountById(db, request.params.id);
        return reply.redirect(`/admin/officials?agency=${target!.agency_id}&done=status#official-${request.params.id}`, 303);
      },
    );

    app.get('/agencies', { schema: { hide: true } }, async (request, reply) => {
      const ctx = await pageContext(request, reply);
      return reply.page(h(AgenciesPage, { ctx, agencies: directory.list(request.locale) }));
    });

    app.get(
      '/api/v1/agencies',
      {
        schema: {
          tags: ['identity'],
          summary: 'Agencies and departments with public contact details',
          querystring: Type.Object({ lang: Type.Optional(Type.Union([Type.Literal('ko'), Type.Literal('en')])) }),
          response: { 200: Type.Object({ agencies: Type.Array(AgencySchema) }) },
        },
      },
      async (request) => ({ agencies: directory.list(request.query.lang ?? request.locale) }),
    );
  };
}
