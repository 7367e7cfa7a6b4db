import { createHmac, randomBytes, randomInt } from 'node:crypto';
import { sql, type ExpressionBuilder } from 'kysely';
import type { Db, Executor } from '../../platform/db/database.ts';
import type { DB } from '../../platform/db/schema.ts';
import type { FieldEncryption } from '../../platform/crypto/field-encryption.ts';
import { sameSecret } from '../../platform/crypto/same-secret.ts';
import { DomainError } from '../../platform/http/errors.ts';
import { writeAuditEvent } from '../../platform/audit/write-audit-event.ts';
import { notify } from '../notifications/index.ts';
import { findResidentByIdentity } from '../registry/index.ts';
import { hasRole, loadActor, type Actor } from './actor.ts';
import type { Role } from './roles.ts';
import { checkIdentityClaim } from './start-sign-up.ts';

export const ASSIST_CODE_MINUTES = 10;
export const ASSIST_MINUTES = 30;
export const MAX_ASSIST_ATTEMPTS = 5;
/** codes a resident can be sent per hour, whoever asks */
const MAX_STARTS_PER_HOUR = 5;
/** Roles that serve residents at a counter. */
const COUNTER_ROLES: Role[] = ['clerk', 'approver', 'head-of-department'];

/** Who is doing what for whom, as every use case acting for a resident records it. */
export interface AssistedBy {
  officialAccountId: number;
  agencyId: number;
  assistedSessionId: string;
}

/** Whether the actor may serve residents at a counter of their own agency. */
export function servesAtCounter(actor: Actor | undefined): actor is Actor & { agencyId: number } {
  if (!actor || actor.kind !== 'official' || actor.agencyId === null) return false;
  const agencyId = actor.agencyId;
  return COUNTER_ROLES.some((role) => hasRole(actor, role, agencyId));
}

const hashCode = (secret: string, id: string, code: string) => createHmac('sha256', secret).update(`assist:${id}:${code}`).digest('base64url');

interface CounterRequest {
  officialAccountId: number;
  /** the official's browser session: assistance never follows them to another device */
  officialSessionId: string;
  requestId: string;
  ip: string;
}

/**
 * Starts assisted service: the official identifies the resident in front of them (name,
 * birth date and national ID number from their ID card, checked against the register), and
 * Nara sends the resident a one-time code, in the app and by e-mail. Nothing can be done
 * for them until they confirm.
 * @throws DomainError FORBIDDEN (not counter staff), VALIDATION_FAILED, SIGN_UP_NO_MATCH, NOT_FOUND (no account)
 */
export async function startAssistedService(
  db: Db,
  options: CounterRequest & { name: string; birthDate: string; nationalId: string; encryption: FieldEncryption; codeSecret: string },
): Promise<{ id: string; residentName: string }> {
  const actor = await loadActor(db, options.officialAccountId);
  if (!servesAtCounter(actor)) throw new DomainError('FORBIDDEN');
  const agencyId = actor.agencyId;
  checkIdentityClaim(options);
  const match = await findResidentByIdentity(db, options.encryption, options);
  if (!match) throw new DomainError('SIGN_UP_NO_MATCH', 'identity.assist.noMatch');
  const resident = await db.selectFrom('accounts').select(['id', 'locale']).where('resident_id', '=', match.residentId).where('status', '=', 'active').executeTakeFirst();
  if (!resident) throw new DomainError('NOT_FOUND', 'identity.assist.noAccount');
  const recent = await db
    .selectFrom('assisted_sessions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('resident_account_id', '=', resident.id)
    .where('created_at', '>', sql<Date>`now() - interval '1 hour'`)
    .executeTakeFirstOrThrow();
  if (Number(recent.n) >= MAX_STARTS_PER_HOUR) throw new DomainError('RATE_LIMITED', 'identity.assist.tooMany');
  const official = await db
    .selectFrom('accounts')
    .innerJoin('agencies', 'agencies.id', 'accounts.agency_id')
    .select(['accounts.display_name', 'agencies.name_ko', 'agencies.name_en'])
    .where('accounts.id', '=', actor.accountId)
    .executeTakeFirstOrThrow();

  const id = randomBytes(18).toString('base64url');
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  await db.transaction().execute(async (tx) => {
    // One resident at a time per official.
    await tx.updateTable('assisted_sessions').set({ ended_at: sql`now()` }).where('official_account_id', '=', actor.accountId).where('ended_at', 'is', null).execute();
    await tx
      .insertInto('assisted_sessions')
      .values({
        id, official_account_id: actor.accountId, official_session_id: options.officialSessionId, agency_id: agencyId, resident_account_id: resident.id,
        code_hash: hashCode(options.codeSecret, id, code), expires_at: sql`now() + make_interval(mins => ${ASSIST_CODE_MINUTES})`,
      })
      .execute();
    await notify(tx, {
      accountId: resident.id, template: 'identity.assistCode', email: true, link: '/account#assisted-heading',
      // The agency's name in the language the resident reads Nara in.
      params: { code, official: official.display_name, agency: resident.locale === 'en' ? official.name_en : official.name_ko, minutes: ASSIST_CODE_MINUTES },
    });
    await writeAuditEvent(tx, {
      action: 'identity.assisted-service.requested', actor: { accountId: actor.accountId, agencyId }, onBehalfOfAccountId: resident.id,
      subject: { type: 'assisted-session', id }, requestId: options.requestId, ip: options.ip,
    });
  });
  return { id, residentName: match.nameKo };
}

type AssistanceRef = { id: string; officialAccountId: number; officialSessionId: string };

/** The assisted session `id`, started by this official on this device, still waiting for the resident to confirm. */
function awaitingConfirmation(eb: ExpressionBuilder<DB, 'assisted_sessions'>, ref: AssistanceRef) {
  return eb.and([
    eb('assisted_sessions.id', '=', ref.id),
    eb('assisted_sessions.official_account_id', '=', ref.officialAccountId),
    eb('assisted_sessions.official_session_id', '=', ref.officialSessionId),
    eb('assisted_sessions.confirmed_at', 'is', null),
    eb('assisted_sessions.ended_at', 'is', null),
    eb('assisted_sessions.expires_at', '>', sql<Date>`now()`),
    eb('assisted_sessions.attempts', '<', MAX_ASSIST_ATTEMPTS),
  ]);
}

/** An assisted session this official started on this device and the resident has not yet confirmed. */
export async function pendingAssistance(db: Executor, ref: AssistanceRef) {
  return db
    .selectFrom('assisted_sessions')
    .innerJoin('accounts', 'accounts.id', 'assisted_sessions.resident_account_id')
    .select(['assisted_sessions.id', 'assisted_sessions.resident_account_id', 'assisted_sessions.agency_id', 'accounts.display_name'])
    .where((eb) => awaitingConfirmation(eb, ref))
    .executeTakeFirst();
}

async function markConfirmed(db: Db, row: { id: string; resident_account_id: number; agency_id: number }, method: 'code' | 'passkey', options: CounterRequest): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const updated = await tx
      .updateTable('assisted_sessions')
      .set({ confirmed_at: sql`now()`, confirmed_with: method, expires_at: sql`now() + make_interval(mins => ${ASSIST_MINUTES})` })
      .where('id', '=', row.id)
      .where('confirmed_at', 'is', null)
      .where('ended_at', 'is', null)
      .where('expires_at', '>', sql<Date>`now()`)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw new DomainError('SIGN_UP_EXPIRED', 'identity.assist.expired');
    await notify(tx, { accountId: row.resident_account_id, template: 'identity.assistStarted', link: '/account#assisted-heading', params: { minutes: ASSIST_MINUTES } });
    await writeAuditEvent(tx, {
      action: 'identity.assisted-service.confirmed', actor: { accountId: options.officialAccountId, agencyId: row.agency_id }, onBehalfOfAccountId: row.resident_account_id,
      subject: { type: 'assisted-session', id: row.id }, requestId: options.requestId, ip: options.ip, details: { method },
    });
  });
}

/**
 * The resident confirms by reading out (or typing) the code sent to them.
 * @throws DomainError SIGN_UP_EXPIRED (expired, used or too many wrong codes), VALIDATION_FAILED (wrong code, attempts left)
 */
export async function confirmAssistanceWithCode(db: Db, options: CounterRequest & { id: string; code: string; codeSecret: string }): Promise<void> {
  // Each try uses up an attempt before the code is compared, in one statement, so that
  // tries sent at the same moment cannot all slip under the limit.
  const tried = await db
    .updateTable('assisted_sessions')
    .set({ attempts: sql`attempts + 1` })
    .where((eb) => awaitingConfirmation(eb, options))
    .returning(['id', 'code_hash', 'attempts', 'resident_account_id', 'agency_id'])
    .executeTakeFirst();
  if (!tried) throw new DomainError('SIGN_UP_EXPIRED', 'identity.assist.expired');
  if (!sameSecret(tried.code_hash, hashCode(options.codeSecret, tried.id, options.code.replace(/\s/g, '')))) {
    const left = MAX_ASSIST_ATTEMPTS - tried.attempts;
    if (left <= 0) throw new DomainError('SIGN_UP_EXPIRED', 'identity.assist.expired');
    throw new DomainError('VALIDATION_FAILED', 'error.VALIDATION_FAILED', { fields: [{ field: 'code', messageKey: 'identity.signUp.codeWrong', params: { left } }] });
  }
  await markConfirmed(db, tried, 'code', options);
}

/**
 * The resident confirms with their own passkey on the counter's device; `passkeyAccountId`
 * is the account whose passkey verified, which must be the resident's.
 * @throws DomainError SIGN_UP_EXPIRED, FORBIDDEN (someone else's passkey)
 */
export async function confirmAssistanceWithPasskey(db: Db, options: CounterRequest & { id: string; passkeyAccountId: number }): Promise<void> {
  const row = await pendingAssistance(db, options);
  if (!row) throw new DomainError('SIGN_UP_EXPIRED', 'identity.assist.expired');
  if (row.resident_account_id !== options.passkeyAccountId) throw new DomainError('FORBIDDEN', 'identity.assist.wrongPasskey');
  await markConfirmed(db, row, 'passkey', options);
}

/** The resident this official is serving now on this device, if any. */
export async function activeAssistance(db: Executor, officialAccountId: number, officialSessionId: string) {
  return db
    .selectFrom('assisted_sessions')
    .innerJoin('accounts', 'accounts.id', 'assisted_sessions.resident_account_id')
    .select(['assisted_sessions.id', 'assisted_sessions.resident_account_id', 'assisted_sessions.agency_id', 'assisted_sessions.expires_at', 'accounts.display_name'])
    .where('assisted_sessions.official_account_id', '=', officialAccountId)
    .where('assisted_sessions.official_session_id', '=', officialSessionId)
    .where('assisted_sessions.confirmed_at', 'is not', null)
    .where('assisted_sessions.ended_at', 'is', null)
    .where('assisted_sessions.expires_at', '>', sql<Date>`now()`)
    // Roles are checked on every action: an official who lost the role stops at once.
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('account_roles')
          .select('account_roles.account_id')
          .whereRef('account_roles.account_id', '=', 'assisted_sessions.official_account_id')
          .whereRef('account_roles.agency_id', '=', 'assisted_sessions.agency_id')
          .where('account_roles.role', 'in', COUNTER_ROLES),
      ),
    )
    .executeTakeFirst();
}

/** Ends the official's current assistance (if any); the resident is told. */
export async function endAssistedService(db: Db, options: CounterRequest): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const ended = await tx
      .updateTable('assisted_sessions')
      .set({ ended_at: sql`now()` })
      .where('official_account_id', '=', options.officialAccountId)
      .where('ended_at', 'is', null)
      .where('confirmed_at', 'is not', null)
      .returning(['id', 'resident_account_id', 'agency_id'])
      .execute();
    for (const row of ended) {
      await notify(tx, { accountId: row.resident_account_id, template: 'identity.assistEnded', link: '/account#assisted-heading' });
      await writeAuditEvent(tx, {
        action: 'identity.assisted-service.ended', actor: { accountId: options.officialAccountId, agencyId: row.agency_id }, onBehalfOfAccountId: row.resident_account_id,
        subject: { type: 'assisted-session', id: row.id }, requestId: options.requestId, ip: options.ip,
      });
    }
  });
}

/** What officials did for this resident at a counter, newest first (their account page). */
export async function actionsTakenForResident(db: Executor, residentAccountId: number, limit = 50) {
  return db
    .selectFrom('audit_events')
    .innerJoin('accounts', 'accounts.id', 'audit_events.actor_account_id')
    .leftJoin('agencies', 'agencies.id', 'audit_events.actor_agency_id')
    .select(['audit_events.id', 'audit_events.action', 'audit_events.occurred_at', 'accounts.display_name as official', 'agencies.name_ko as agency_ko', 'agencies.name_en as agency_en'])
    .where('audit_events.on_behalf_of_account_id', '=', residentAccountId)
    .orderBy('audit_events.id', 'desc')
    .limit(limit)
    .execute();
}
