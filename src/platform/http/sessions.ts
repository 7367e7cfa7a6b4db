import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';

export const SESSION_COOKIE = 'nara_sid';

export interface SessionState {
  id: string;
  accountId: number | null;
  data: Record<string, unknown>;
  csrfToken: string;
  /** when this session began: for a signed-in session, the time of sign-in */
  createdAt: Date;
}

export interface SessionOptions {
  db: Db;
  secret: string;
  /** the Secure cookie attribute: on everywhere but development */
  secure: boolean;
  idleMinutes?: number;
  absoluteHours?: number;
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Sessions kept in the database so that any number of app instances can serve a user.
 * The cookie holds a random token; the table holds only its hash. Anonymous visitors
 * get a session only when a page needs one (a form), so reading pages costs no write.
 */
export function createSessions(options: SessionOptions) {
  const { db, secret, secure } = options;
  const idleMs = (options.idleMinutes ?? 60) * 60_000;
  const absoluteMs = (options.absoluteHours ?? 12) * 3_600_000;

  const csrfFor = (sessionId: string) => createHmac('sha256', secret).update(`csrf:${sessionId}`).digest('base64url');

  function setCookie(reply: FastifyReply, token: string) {
    reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure, maxAge: absoluteMs / 1000 });
  }

  /** Loads the session named by the cookie, if it exists and has not expired. */
  async function load(request: FastifyRequest): Promise<SessionState | null> {
    const token = request.cookies[SESSION_COOKIE];
    if (!token || token.length > 100) return null;
    const id = hashToken(token);
    const row = await db
      .selectFrom('sessions')
      .select(['id', 'account_id', 'data', 'last_seen_at', 'created_at'])
      .where('id', '=', id)
      .where('expires_at', '>', sql<Date>`now()`)
      .where('last_seen_at', '>', sql<Date>`now() - make_interval(secs => ${idleMs / 1000})`)
      .executeTakeFirst();
    if (!row) return null;
    // Touch at most once a minute: idle expiry needs no more precision than that.
    if (Date.now() - row.last_seen_at.getTime() > 60_000) {
      await db.updateTable('sessions').set({ last_seen_at: sql`now()` }).where('id', '=', id).execute();
    }
    return { id, accountId: row.account_id, data: row.data, csrfToken: csrfFor(id), createdAt: row.created_at };
  }

  /** A new session; `replacing` is deleted in the same statement (sign-in rotates the token). */
  async function create(request: FastifyRequest, reply: FastifyReply, accountId: number | null, data: Record<string, unknown> = {}, replacing?: string) {
    const token = randomBytes(32).toString('base64url');
    const id = hashToken(token);
    const values = {
      id,
      account_id: accountId,
      data: JSON.stringify(data),
      expires_at: sql<Date>`now() + make_interval(secs => ${absoluteMs / 1000})`,
      user_agent: (request.headers['user-agent'] ?? '').slice(0, 300),
      ip: request.ip,
    };
    if (replacing) {
      await db
        .with('replaced', (q) => q.deleteFrom('sessions').where('id', '=', replacing))
        .insertInto('sessions')
        .values(values)
        .execute();
    } else {
      await db.insertInto('sessions').values(values).execute();
    }
    setCookie(reply, token);
    const session: SessionState = { id, accountId, data, csrfToken: csrfFor(id), createdAt: new Date() };
    request.session = session;
    return session;
  }

  return {
    load,
    csrfFor,
    /** The current session, created (anonymous) if there is none yet: call before rendering a form. */
    async ensure(request: FastifyRequest, reply: FastifyReply): Promise<SessionState> {
      return request.session ?? create(request, reply, null);
    },
    /**
     * Starts a signed-in session. The previous session is deleted and a new token issued,
     * so a token planted before sign-in is worthless after it (session fixation).
     */
    async signIn(request: FastifyRequest, reply: FastifyReply, accountId: number): Promise<SessionState> {
      return create(request, reply, accountId, {}, request.session?.id);
    },
    /**
     * Replaces the session with a new, not signed-in one holding `data`: the step between
     * a correct password and a second factor. Rotating here too means a token seen before
     * the password is useless after it.
     */
    async rotate(request: FastifyRequest, reply: FastifyReply, data: Record<string, unknown>): Promise<SessionState> {
      return create(request, reply, null, data, request.session?.id);
    },
    async signOut(request: FastifyRequest, reply: FastifyReply): Promise<void> {
      if (request.session) await db.deleteFrom('sessions').where('id', '=', request.session.id).execute();
      request.session = null;
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
    },
    async setData(session: SessionState, data: Record<string, unknown>) {
      session.data = data;
      await db.updateTable('sessions').set({ data: JSON.stringify(data) }).where('id', '=', session.id).execute();
    },
    /** True when `token` is this session's CSRF token (constant-time comparison). */
    verifyCsrf(session: SessionState | null, token: unknown): boolean {
      if (!session || typeof token !== 'string') return false;
      const expected = Buffer.from(session.csrfToken);
      const given = Buffer.from(token);
      return expected.length === given.length && timingSafeEqual(expected, given);
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
      return Number(r.numDeletedRows) > 0;
    },
    /** Ends every session of the account except `keep` (after a password change). */
    async endOthers(executor: Db, accountId: number, keep: string | null): Promise<number> {
      let q = executor.deleteFrom('sessions').where('account_id', '=', accountId);
      if (keep) q = q.where('id', '!=', keep);
      const r = await q.executeTakeFirst();
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
