import { createHmac, hash } from 'node:crypto';
import { sameSecret } from '../crypto/same-secret.ts';
import { freshRandomBytes } from '../crypto/random-pool.ts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sql, type QueryCreator } from 'kysely';
import type { Db } from '../db/database.ts';
import type { DB } from '../db/schema.ts';
import { reusableQuery } from '../db/reusable-query.ts';
import { AUDIT_COLUMNS, auditInsert, auditRow, type AuditEvent, type AuditRow } from '../audit/write-audit-event.ts';

export const SESSION_COOKIE = 'nara_sid';
/** The database announces here the id of every session changed or ended (migration 003). */
export const SESSION_CHANGED_CHANNEL = 'nara_session_changed';
const SESSION_CACHE_MS = 2000;
const HEARD_SESSION_CACHE_MS = 10_000;

export interface SessionState {
  id: string;
  accountId: number | null;
  data: Record<string, unknown>;
  csrfToken: string;
  /** when this session began: for a signed-in session, the time of sign-in */
  createdAt: Date;
  /** false for an anonymous session with nothing in it: it has no row, only its cookie */
  stored: boolean;
}

export interface SessionOptions {
  db: Db;
  secret: string;
  /** the Secure cookie attribute: on everywhere but development */
  secure: boolean;
  idleMinutes?: number;
  absoluteHours?: number;
}

const hashToken = (token: string) => hash('sha256', token, 'hex');
const newToken = () => freshRandomBytes(32).toString('base64url');

/** A new session row's values: it expires `seconds` from now. */
interface SessionRow {
  id: string;
  account_id: number | null;
  /** JSON */
  data: string;
  seconds: number;
  user_agent: string;
  ip: string;
}
/** A new session, and the id of the session it replaces ('' for none; that session may have no row). */
type NewSession = SessionRow & { replacing: string };
/** With the audit event of the sign-in that made it, its columns prefixed `audit_`. */
type Audited = NewSession & { [K in keyof AuditRow as `audit_${K}`]: AuditRow[K] };

const sessionColumns = (v: SessionRow) => ({ id: v.id, account_id: v.account_id, data: v.data, expires_at: sql<Date>`now() + make_interval(secs => ${v.seconds})`, user_agent: v.user_agent, ip: v.ip });
const replaceSession = (db: QueryCreator<DB>, v: NewSession) =>
  db
    .with('replaced', (q) => q.deleteFrom('sessions').where('id', '=', v.replacing))
    .insertInto('sessions')
    .values(sessionColumns(v));
const auditOf = (v: Audited) => Object.fromEntries(AUDIT_COLUMNS.map((c) => [c, v[`audit_${c}`]])) as AuditRow;
const prefixed = (row: AuditRow) => Object.fromEntries(AUDIT_COLUMNS.map((c) => [`audit_${c}`, row[c]])) as Omit<Audited, keyof NewSession>;

// Sign-in writes one of these per attempt that succeeds: each is built and compiled once.
const startSession = reusableQuery((db, v: NewSession) => replaceSession(db, v));
const startAuditedSession = reusableQuery((db, v: Audited) => replaceSession(db.with('audit', (q) => auditInsert(q, auditOf(v))), v));

/**
 * The cookie is `a.<random>.<mac>` for an anonymous session without data (no row: a
 * visitor viewing a form costs no write) and `s.<random>` for a stored one. The id, and so
 * the CSRF token, comes from the random part alone, so an anonymous session keeps its CSRF
 * token when it gets data and a row. The mac means only Nara chooses anonymous ids.
 */
function parseToken(token: string, anonymousMac: (random: string) => string): { secret: string; stored: boolean } | null {
  if (token.startsWith('a.')) {
    const [random = '', mac = ''] = token.slice(2).split('.');
    return sameSecret(anonymousMac(random), mac) ? { secret: random, stored: false } : null;
  }
  if (token.startsWith('s.')) return { secret: token.slice(2), stored: true };
  return { secret: token, stored: true }; // cookies set before the prefixes
}

/**
 * Sessions kept in the database so that any number of app instances can serve a user.
 * The cookie holds a random token; the table holds only its hash. Anonymous visitors
 * get a session only when a page needs one (a form), and a row only when it holds data,
 * so neither reading pages nor viewing a form costs a write.
 */
export function createSessions(options: SessionOptions) {
  const { db, secret, secure } = options;
  const idleMs = (options.idleMinutes ?? 60) * 60_000;
  const absoluteMs = (options.absoluteHours ?? 12) * 3_600_000;

  // Derived from the id, so kept beside recent sessions rather than recomputed per request.
  const csrfTokens = new Map<string, string>();
  const csrfFor = (sessionId: string) => {
    let token = csrfTokens.get(sessionId);
    if (!token) {
      token = createHmac('sha256', secret).update(`csrf:${sessionId}`).digest('base64url');
      if (csrfTokens.size >= 50_000) csrfTokens.clear();
      csrfTokens.set(sessionId, token);
    }
    return token;
  };
  const anonymousMac = (random: string) => createHmac('sha256', secret).update(`anonymous-session:${random}`).digest('base64url').slice(0, 22);

  // Signed-in requests would each read their session row; a row read recently is used
  // again instead. This instance forgets a row the moment it changes or ends one; once it
  // hears the database's announcements (hearChanges), it also forgets one the moment any
  // other instance or tool changes it, and keeps rows for ten seconds instead of two. Either
  // way, an ended session is used for at most that long if an announcement is lost (the
  // listening connection to PostgreSQL dropped).
  let cacheMs = SESSION_CACHE_MS;
  type Row = { account_id: number | null; data: Record<string, unknown>; last_seen_at: Date; created_at: Date; expires_at: Date };
  const cache = new Map<string, { at: number; row: Row }>();
  const forget = (id: string) => void cache.delete(id);
  const forgetAccount = (accountId: number, keep: string | null) => {
    for (const [id, entry] of cache) if (entry.row.account_id === accountId && id !== keep) cache.delete(id);
  };

  // The random part of each anonymous session's cookie, kept to store it under the same id.
  const randomParts = new WeakMap<SessionState, string>();

  function setCookie(reply: FastifyReply, token: string) {
    reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure, maxAge: absoluteMs / 1000 });
  }

  /**
   * Loads the session named by the cookie, if it exists and has not expired. When a kept
   * copy has expired and is about to be read again, `onReload` hears the account it named,
   * so that the caller may read that account meanwhile (and use it only if the session
   * read names the same account).
   */
  async function load(request: FastifyRequest, onReload?: (accountId: number) => void): Promise<SessionState | null> {
    const token = request.cookies[SESSION_COOKIE];
    if (!token || token.length > 100) return null;
    const parsed = parseToken(token, anonymousMac);
    if (!parsed) return null;
    const { secret: random, stored } = parsed;
    const id = hashToken(random);
    if (!stored) {
      const session: SessionState = { id, accountId: null, data: {}, csrfToken: csrfFor(id), createdAt: new Date(), stored: false };
      randomParts.set(session, random);
      return session;
    }
    const now = Date.now();
    const cached = cache.get(id);
    let row: Row | undefined = cached && now - cached.at < cacheMs && cached.row.expires_at.getTime() > now ? cached.row : undefined;
    if (!row) {
      if (cached?.row.account_id && onReload) onReload(cached.row.account_id);
      row = await db
        .selectFrom('sessions')
        .select(['account_id', 'data', 'last_seen_at', 'created_at', 'expires_at'])
        .where('id', '=', id)
        .where('expires_at', '>', sql<Date>`now()`)
        .where('last_seen_at', '>', sql<Date>`now() - make_interval(secs => ${idleMs / 1000})`)
        .executeTakeFirst();
      if (!row) {
        forget(id);
        return null;
      }
      if (cache.size >= 50_000) cache.clear();
      cache.set(id, { at: now, row });
    }
    // Touch at most once a minute: idle expiry needs no more precision than that.
    if (now - row.last_seen_at.getTime() > 60_000) {
      row.last_seen_at = new Date(now);
      await db.updateTable('sessions').set({ last_seen_at: sql`now()` }).where('id', '=', id).execute();
    }
    return { id, accountId: row.account_id, data: row.data, csrfToken: csrfFor(id), createdAt: row.created_at, stored: true };
  }

  const rowValues = (request: FastifyRequest, id: string, accountId: number | null, data: Record<string, unknown>): SessionRow => ({
    id,
    account_id: accountId,
    data: JSON.stringify(data),
    seconds: absoluteMs / 1000,
    user_agent: (request.headers['user-agent'] ?? '').slice(0, 300),
    ip: request.ip,
  });

  /**
   * A new stored session under a new token; the current one, if stored, goes in the same
   * statement, and so does `audit` (the sign-in that made it): the event is recorded if and
   * only if the session began.
   */
  async function create(request: FastifyRequest, reply: FastifyReply, accountId: number | null, data: Record<string, unknown>, audit?: AuditEvent) {
    const random = newToken();
    const id = hashToken(random);
    // The current session goes, stored or not: a concurrent request may have given it a row.
    const replacing = request.session?.id ?? '';
    if (replacing) forget(replacing);
    const values: NewSession = { ...rowValues(request, id, accountId, data), replacing };
    if (audit) await startAuditedSession(db, { ...values, ...prefixed(auditRow(audit)) });
    else await startSession(db, values);
    setCookie(reply, `s.${random}`);
    const session: SessionState = { id, accountId, data, csrfToken: csrfFor(id), createdAt: new Date(), stored: true };
    request.session = session;
    return session;
  }

  return {
    load,
    csrfFor,
    /**
     * Forgets each session the database announces as changed or ended (a trigger on the
     * table), from this instance or any other, and from then on keeps rows longer.
     * @returns a function that stops listening
     */
    async hearChanges(listen: (channel: string, listener: (payload: string) => void) => Promise<() => void>): Promise<() => void> {
      const stop = await listen(SESSION_CHANGED_CHANNEL, forget);
      cacheMs = HEARD_SESSION_CACHE_MS;
      return () => {
        stop();
        cacheMs = SESSION_CACHE_MS;
      };
    },
    /** The current session, created (anonymous, without a row) if there is none yet: call before rendering a form. */
    async ensure(request: FastifyRequest, reply: FastifyReply): Promise<SessionState> {
      if (request.session) return request.session;
      const random = newToken();
      const id = hashToken(random);
      setCookie(reply, `a.${random}.${anonymousMac(random)}`);
      const session: SessionState = { id, accountId: null, data: {}, csrfToken: csrfFor(id), createdAt: new Date(), stored: false };
      randomParts.set(session, random);
      request.session = session;
      return session;
    },
    /**
     * Starts a signed-in session. The previous session is deleted and a new token issued,
     * so a token planted before sign-in is worthless after it (session fixation). `audit`,
     * the sign-in's event, is written in the same statement.
     */
    async signIn(request: FastifyRequest, reply: FastifyReply, accountId: number, audit?: AuditEvent): Promise<SessionState> {
      return create(request, reply, accountId, {}, audit);
    },
    /**
     * Replaces the session with a new, not signed-in one holding `data`: the step between
     * a correct password and a second factor. Rotating here too means a token seen before
     * the password is useless after it.
     */
    async rotate(request: FastifyRequest, reply: FastifyReply, data: Record<string, unknown>, audit?: AuditEvent): Promise<SessionState> {
      return create(request, reply, null, data, audit);
    },
    async signOut(request: FastifyRequest, reply: FastifyReply): Promise<void> {
      if (request.session) forget(request.session.id);
      if (request.session?.stored) await db.deleteFrom('sessions').where('id', '=', request.session.id).execute();
      request.session = null;
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
    },
    /**
     * Replaces the data of the request's session (creating an anonymous one if needed). An
     * anonymous session gets its row now, under the same id, so its CSRF token still holds.
     */
    async setData(request: FastifyRequest, reply: FastifyReply, data: Record<string, unknown>): Promise<SessionState> {
      const session = request.session ?? (await this.ensure(request, reply));
      session.data = data;
      forget(session.id);
      if (session.stored) {
        await db.updateTable('sessions').set({ data: JSON.stringify(data) }).where('id', '=', session.id).execute();
        return session;
      }
      // Two requests of one page (a double click, two tabs) may both give it a row.
      await db
        .insertInto('sessions')
        .values(sessionColumns(rowValues(request, session.id, null, data)))
        .onConflict((oc) => oc.column('id').doUpdateSet({ data: JSON.stringify(data) }).where('sessions.account_id', 'is', null))
        .execute();
      setCookie(reply, `s.${randomParts.get(session)!}`);
      session.stored = true;
      return session;
    },
    /**
     * Whether a stored session still exists, read from the database now (never from the
     * two-second cache): for decisions that must not outlive a sign-out made elsewhere,
     * such as issuing tokens to another service.
     */
    async confirm(session: SessionState | null): Promise<boolean> {
      if (!session?.stored) return false;
      forget(session.id);
      const row = await db
        .selectFrom('sessions')
        .select('id')
        .where('id', '=', session.id)
        .where('expires_at', '>', sql<Date>`now()`)
        .where('last_seen_at', '>', sql<Date>`now() - make_interval(secs => ${idleMs / 1000})`)
        .executeTakeFirst();
      return row !== undefined;
    },
    /** True when `token` is this session's CSRF token (constant-time comparison). */
    verifyCsrf(session: SessionState | null, token: unknown): boolean {
      return session !== null && typeof token === 'string' && sameSecret(session.csrfToken, token);
    },
    /** The live sessions of an account, newest activity first. */
    async listForAccount(accountId: number) {
      return db
        .selectFrom('sessions')
        .select(['id', 'created_at', 'last_seen_at', 'user_agent', 'ip'])
        .where('account_id', '=', accountId)
        .where('expires_at', '>', sql<Date>`now()`)
        .where('last_seen_at', '>', sql<Date>`now() - make_interval(secs => ${idleMs / 1000})`)
        .orderBy('last_seen_at', 'desc')
        .execute();
    },
    /** Ends one session of this account; false when it is not one of theirs. */
    async endForAccount(accountId: number, sessionId: string): Promise<boolean> {
      const r = await db.deleteFrom('sessions').where('id', '=', sessionId).where('account_id', '=', accountId).executeTakeFirst();
      forget(sessionId);
      return Number(r.numDeletedRows) > 0;
    },
    /** Ends every session of the account except `keep` (after a password change). */
    async endOthers(executor: Db, accountId: number, keep: string | null): Promise<number> {
      let q = executor.deleteFrom('sessions').where('account_id', '=', accountId);
      if (keep) q = q.where('id', '!=', keep);
      const r = await q.executeTakeFirst();
      forgetAccount(accountId, keep);
      return Number(r.numDeletedRows);
    },
    async purgeExpired(): Promise<number> {
      const r = await db
        .deleteFrom('sessions')
        .where((eb) => eb.or([eb('expires_at', '<', sql<Date>`now()`), eb('last_seen_at', '<', sql<Date>`now() - make_interval(secs => ${idleMs / 1000})`)]))
        .executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
}

export type Sessions = ReturnType<typeof createSessions>;
