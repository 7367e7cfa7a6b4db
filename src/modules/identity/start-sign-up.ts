import { createHmac, randomBytes, randomInt } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import type { FieldEncryption } from '../../platform/crypto/field-encryption.ts';
import { DomainError, type FieldError } from '../../platform/http/errors.ts';
import { writeAuditEvent } from '../../platform/audit/write-audit-event.ts';
import { emailTo } from '../notifications/index.ts';
import { findResidentByIdentity, isValidNationalId } from '../registry/index.ts';

export const SIGN_UP_CODE_MINUTES = 10;
const MAX_REQUESTS_PER_HOUR = 5;

export interface StartSignUpOptions {
  name: string;
  birthDate: string;
  nationalId: string;
  locale: 'ko' | 'en';
  encryption: FieldEncryption;
  codeSecret: string;
  requestId: string;
  ip: string;
}

export const hashSignUpCode = (secret: string, requestId: string, code: string) => createHmac('sha256', secret).update(`sign-up:${requestId}:${code}`).digest('base64url');

/** `minjun.kim@example.kr` → `mi*******@example.kr`: enough to recognise, not to harvest. */
export function maskEmail(email: string): string {
  const [local = '', domain = ''] = email.split('@');
  return `${local.slice(0, 2)}${'*'.repeat(Math.max(3, local.length - 2))}@${domain}`;
}

/**
 * The shape of a claim to be a registered resident (name, birth date, national ID number).
 * @throws DomainError VALIDATION_FAILED with each field's problem
 */
export function checkIdentityClaim(claim: { name: string; birthDate: string; nationalId: string }): void {
  const fields: FieldError[] = [];
  if (!claim.name.trim()) fields.push({ field: 'name', messageKey: 'identity.signUp.nameRequired' });
  if (!/^\d{4}-\d{2}-\d{2}$/.test(claim.birthDate) || Number.isNaN(Date.parse(claim.birthDate))) fields.push({ field: 'birthDate', messageKey: 'identity.signUp.birthDateInvalid' });
  if (!isValidNationalId(claim.nationalId.replace(/\s/g, ''))) fields.push({ field: 'nationalId', messageKey: 'identity.signUp.nationalIdInvalid' });
  if (fields.length > 0) throw new DomainError('VALIDATION_FAILED', 'error.VALIDATION_FAILED', { fields });
}

/**
 * Checks the applicant's name, birth date and national ID number against the resident
 * register and sends a one-time code to the e-mail address on record (not one they type,
 * so only the registered person can finish).
 * @throws DomainError VALIDATION_FAILED, SIGN_UP_NO_MATCH, ACCOUNT_EXISTS, SIGN_UP_NO_CONTACT, RATE_LIMITED
 */
export async function startSignUp(db: Db, options: StartSignUpOptions): Promise<{ signUpId: string; emailMasked: string }> {
  checkIdentityClaim(options);

  const match = await findResidentByIdentity(db, options.encryption, { name: options.name, birthDate: options.birthDate, nationalId: options.nationalId });
  if (!match) throw new DomainError('SIGN_UP_NO_MATCH', 'identity.signUp.noMatch');
  const existing = await db.selectFrom('accounts').select('id').where('resident_id', '=', match.residentId).executeTakeFirst();
  if (existing) throw new DomainError('ACCOUNT_EXISTS', 'identity.signUp.accountExists');
  if (!match.email) throw new DomainError('SIGN_UP_NO_CONTACT', 'identity.signUp.noContact');
  const recent = await db
    .selectFrom('sign_up_requests')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('resident_id', '=', match.residentId)
    .where('created_at', '>', sql<Date>`now() - interval '1 hour'`)
    .executeTakeFirstOrThrow();
  if (recent.n >= MAX_REQUESTS_PER_HOUR) throw new DomainError('RATE_LIMITED');

  const signUpId = randomBytes(18).toString('base64url');
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const email = match.email;
  await db.transaction().execute(async (tx) => {
    await tx
      .insertInto('sign_up_requests')
      .values({ id: signUpId, resident_id: match.residentId, email, code_hash: hashSignUpCode(options.codeSecret, signUpId, code), expires_at: sql`now() + make_interval(mins => ${SIGN_UP_CODE_MINUTES})` })
      .execute();
    await emailTo(tx, { to: email, locale: options.locale, template: 'identity.signUpCode', params: { code, minutes: SIGN_UP_CODE_MINUTES } });
    await writeAuditEvent(tx, { action: 'identity.sign-up.started', actor: { accountId: null }, subject: { type: 'resident', id: match.residentId }, requestId: options.requestId, ip: options.ip });
  });
  return { signUpId, emailMasked: maskEmail(email) };
}
