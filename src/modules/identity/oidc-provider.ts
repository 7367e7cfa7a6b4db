import { createHash, createHmac, generateKeyPair, type JsonWebKey } from 'node:crypto';
import { promisify } from 'node:util';
import Provider, { interactionPolicy, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import type { Db } from '../../platform/db/database.ts';
import type { FieldEncryption } from '../../platform/crypto/field-encryption.ts';
import { createOidcAdapterFactory } from './oidc-adapter.ts';
import { accountClaims, OIDC_SCOPES, SCOPE_CLAIMS } from './oidc-claims.ts';
import { consentFor, moveConsent } from './oidc-consents.ts';
import { MACHINE_SCOPES } from './machine-scopes.ts';

const generateKeyPairAsync = promisify(generateKeyPair);

export const OIDC_PREFIX = '/oidc';
/** The provider's own session cookie (who is signed in to it, for which services). */
export const OP_SESSION_COOKIE = 'nara_op_session';
export const interactionPath = (uid: string) => `${OIDC_PREFIX}/interaction/${uid}`;

export interface OidcOptions {
  db: Db;
  encryption: FieldEncryption;
  /** PUBLIC_URL: discovery and the JWKS are served under it */
  issuer: string;
  /** signs the provider's cookies (derived, never used as is) */
  cookieSecret: string;
  secureCookies: boolean;
  /** believe X-Forwarded-Proto from the load balancers */
  behindProxy: boolean;
  timeZone: string;
  /** how long a remembered consent lasts before the person is asked again */
  grantDays?: number;
  /** the page shown for an error that cannot go back to the client */
  renderError: (ctx: KoaContextWithOIDC, error: { error: string; error_description?: string }) => void;
  /** a fault inside the provider (its own 500s), for the log */
  onServerError: (error: Error) => void;
  /** the public id of the account signed in to Nara on this request, if any */
  naraAccountOf: (ctx: KoaContextWithOIDC) => Promise<string | undefined>;
  /** pages of a sign-out a service asked for: the question (with the provider's form) and the answer */
  logoutPage: (ctx: KoaContextWithOIDC, form: string) => Promise<void>;
  loggedOutPage: (ctx: KoaContextWithOIDC) => Promise<void>;
  /** the person agreed to sign out at a service's request: end their Nara session too */
  onSignedOut: (ctx: KoaContextWithOIDC) => void;
}

/**
 * The provider's signing keys, created on first use and kept encrypted. Newest first, so
 * every instance signs with the same key and verifies with all of them.
 */
async function signingKeys(db: Db, encryption: FieldEncryption): Promise<JsonWebKey[]> {
  const load = () => db.selectFrom('oidc_signing_keys').selectAll().orderBy('created_at', 'desc').orderBy('kid').execute();
  let rows = await load();
  if (rows.length === 0) {
    const { privateKey } = await generateKeyPairAsync('rsa', { modulusLength: 2048 });
    const jwk = privateKey.export({ format: 'jwk' });
    const kid = createHash('sha256').update(String(jwk.n)).digest('base64url').slice(0, 16);
    await db.insertInto('oidc_signing_keys').values({ kid, alg: 'RS256', private_jwk_cipher: encryption.encrypt(JSON.stringify(jwk)) }).onConflict((oc) => oc.doNothing()).execute();
    rows = await load();
  }
  return rows.map((row) => ({ ...(JSON.parse(encryption.decrypt(row.private_jwk_cipher)) as JsonWebKey), kid: row.kid, alg: row.alg, use: 'sig' }));
}

/** Maps a provider account id (the public id) to the account row id. */
export async function accountIdOf(db: Db, publicId: string): Promise<number | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(publicId)) return undefined;
  const row = await db.selectFrom('accounts').select('id').where('public_id', '=', publicId).executeTakeFirst();
  return row?.id;
}

/**
 * Nara as OpenID Provider (oidc-provider): authorization code with PKCE only, claims by
 * scope and only with consent, consent remembered per client in `oidc_consents`; and client
 * credentials for machine clients, which act for one agency.
 * Built on first use, since the signing keys live in the database.
 */
export function createOidc(options: OidcOptions) {
  const { db, encryption } = options;
  let built: Promise<Provider> | undefined;

  /**
   * The standard prompts, plus one check: the provider's session counts only while the
   * same person is signed in to Nara. When their Nara session ends (signed out, idle,
   * ended from another device, password changed, account suspended), no service can
   * sign them in silently on the provider's session alone.
   */
  function policy() {
    const prompts = interactionPolicy.base();
    prompts.get('login')!.checks.add(
      new interactionPolicy.Check('nara_session', 'The person is not signed in to Nara as this account', 'login_required', async (ctx) => {
        const signedIn = await options.naraAccountOf(ctx);
        return signedIn === undefined || signedIn !== ctx.oidc.session?.accountId ? interactionPolicy.Check.REQUEST_PROMPT : interactionPolicy.Check.NO_NEED_TO_PROMPT;
      }),
    );
    return prompts;
  }

  async function build(): Promise<Provider> {
    // Koa refuses Secure cookies over plain http; an https issuer is always reached over TLS
    // (directly, or through a load balancer whose X-Forwarded-Proto is believed).
    const secure = options.secureCookies && options.issuer.startsWith('https:');
    const cookieKey = createHmac('sha256', options.cookieSecret).update('nara:oidc-cookies').digest('base64url');
    const configuration: Configuration = {
      adapter: createOidcAdapterFactory(db, encryption),
      clients: [],
      claims: Object.fromEntries(Object.entries(SCOPE_CLAIMS).map(([scope, claims]) => [scope, [...claims]])),
      // Machine scopes are listed so the provider checks them against each client's own
      // scope; the client adapter gives them to machine clients only.
      scopes: [...OIDC_SCOPES, ...MACHINE_SCOPES],
      responseTypes: ['code'],
      pkce: { required: () => true },
      features: {
        devInteractions: { enabled: false },
        revocation: { enabled: true },
        // For agencies' systems calling Nara's APIs (machine clients); tokens stay opaque,
        // so each use is checked against the database and a disabled client stops at once.
        clientCredentials: { enabled: true },
        userinfo: { enabled: true },
        rpInitiatedLogout: { enabled: true, logoutSource: (ctx, form) => options.logoutPage(ctx, form), postLogoutSuccessSource: (ctx) => options.loggedOutPage(ctx) },
      },
      cookies: {
        keys: [cookieKey],
        names: { session: OP_SESSION_COOKIE, interaction: 'nara_op_interaction', resume: 'nara_op_resume' },
        long: { signed: true, secure, sameSite: 'lax', httpOnly: true },
        short: { signed: true, secure, sameSite: 'lax', httpOnly: true },
      },
      jwks: { keys: (await signingKeys(db, encryption)) as never },
      interactions: { url: (_ctx, interaction) => interactionPath(interaction.uid), policy: policy() },
      routes: {
        authorization: `${OIDC_PREFIX}/auth`,
        token: `${OIDC_PREFIX}/token`,
        userinfo: `${OIDC_PREFIX}/userinfo`,
        jwks: `${OIDC_PREFIX}/jwks`,
        end_session: `${OIDC_PREFIX}/session/end`,
        revocation: `${OIDC_PREFIX}/token/revocation`,
        introspection: `${OIDC_PREFIX}/token/introspection`,
        registration: `${OIDC_PREFIX}/reg`,
        pushed_authorization_request: `${OIDC_PREFIX}/request`,
        code_verification: `${OIDC_PREFIX}/device`,
        device_authorization: `${OIDC_PREFIX}/device/auth`,
        backchannel_authentication: `${OIDC_PREFIX}/backchannel`,
        challenge: `${OIDC_PREFIX}/challenge`,
      },
      ttl: {
        AuthorizationCode: 60,
        AccessToken: 600,
        ClientCredentials: 600,
        IdToken: 600,
        Interaction: 3600,
        Session: 12 * 3600,
        Grant: (options.grantDays ?? 365) * 86_400,
      },
      findAccount: async (_ctx, sub) => {
        const claims = await accountClaims(db, sub, options.timeZone);
        return claims ? { accountId: sub, claims: () => claims } : undefined;
      },
      // A consent given once is found again on the next sign-in, on any device. When the
      // provider has dropped its grant (a sign-out at a service, a replayed code), the
      // consent still stands and a new grant is built from it.
      loadExistingGrant: async (ctx) => {
        const fresh = ctx.oidc.result?.consent?.grantId;
        if (fresh) return ctx.oidc.provider.Grant.find(fresh);
        const accountId = ctx.oidc.session?.accountId;
        const clientId = ctx.oidc.client?.clientId;
        if (!accountId || !clientId) return undefined;
        const id = await accountIdOf(db, accountId);
        const consent = id === undefined ? undefined : await consentFor(db, id, clientId);
        if (!consent || id === undefined) return undefined;
        const existing = await ctx.oidc.provider.Grant.find(consent.grantId);
        if (existing) return existing;
        const grant = new ctx.oidc.provider.Grant({ accountId, clientId });
        grant.addOIDCScope(consent.scope);
        await moveConsent(db, id, clientId, await grant.save());
        return grant;
      },
      renderError: (ctx, out) => options.renderError(ctx, out),
    };
    const provider = new Provider(options.issuer, configuration);
    provider.proxy = options.behindProxy;
    provider.on('server_error', (_ctx, error) => options.onServerError(error));
    provider.on('end_session.success', (ctx) => options.onSignedOut(ctx));
    return provider;
  }

  return {
    provider(): Promise<Provider> {
      built ??= build().catch((error) => {
        built = undefined;
        throw error;
      });
      return built;
    },
  };
}
export type Oidc = ReturnType<typeof createOidc>;

/**
 * Signing out of Nara signs out of the provider too: its session is deleted and its
 * cookie cleared, so no service can sign the person in again without asking.
 */
export async function endProviderSession(db: Db, cookies: Record<string, string | undefined>, clear: (name: string) => void): Promise<void> {
  const id = cookies[OP_SESSION_COOKIE];
  if (id && id.length <= 100) await db.deleteFrom('oidc_payloads').where('model', '=', 'Session').where('id', '=', id).execute();
  if (id !== undefined) {
    clear(OP_SESSION_COOKIE);
    clear(`${OP_SESSION_COOKIE}.sig`);
  }
}
