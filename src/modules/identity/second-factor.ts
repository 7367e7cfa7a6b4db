import { createHmac, randomBytes } from 'node:crypto';
import { generateSecret, generateURI, verify } from 'otplib';
import QRCode from 'qrcode';
import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import type { FieldEncryption } from '../../platform/crypto/field-encryption.ts';
import { writeAuditEvent } from '../../platform/audit/write-audit-event.ts';

export const RECOVERY_CODE_COUNT = 10;
export const MAX_SECOND_FACTOR_ATTEMPTS = 5;
// One step either side: phones' clocks drift, and a code typed at the end of its 30 s still counts.
const TOLERANCE_SECONDS = 30;

export interface SecondFactorDeps {
  db: Db;
  encryption: FieldEncryption;
  codeSecret: string;
  issuer: string;
}

// otplib's verify() covers HOTP and TOTP; for TOTP (its default) the result carries the time step.
const timeStepOf = (result: object) => (result as { timeStep: number }).timeStep;

const normalizeRecovery = (code: string) => code.toLowerCase().replace(/[^a-z0-9]/g, '');

export function createSecondFactor(deps: SecondFactorDeps) {
  const { db, encryption } = deps;
  const recoveryHash = (accountId: number, code: string) => createHmac('sha256', deps.codeSecret).update(`recovery:${accountId}:${normalizeRecovery(code)}`).digest('base64url');

  return {
    async isEnrolled(accountId: number): Promise<boolean> {
      const row = await db.selectFrom('totp_credentials').select('confirmed_at').where('account_id', '=', accountId).executeTakeFirst();
      return Boolean(row?.confirmed_at);
    },

    /** The secret to enrol (kept until confirmed, so a reload shows the same QR code). */
    async enrolment(accountId: number, label: string): Promise<{ secret: string; uri: string; qrSvg: string }> {
      let row = await db.selectFrom('totp_credentials').selectAll().where('account_id', '=', accountId).executeTakeFirst();
      if (!row) {
        await db.insertInto('totp_credentials').values({ account_id: accountId, secret_cipher: encryption.encrypt(generateSecret()) }).onConflict((oc) => oc.column('account_id').doNothing()).execute();
        row = await db.selectFrom('totp_credentials').selectAll().where('account_id', '=', accountId).executeTakeFirstOrThrow();
      }
      const secret = encryption.decrypt(row.secret_cipher);
      const uri = generateURI({ issuer: deps.issuer, label, secret });
      const qrSvg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
      return { secret, uri, qrSvg };
    },

    /**
     * Checks a TOTP code, or an unused recovery code, for an enrolled account. A TOTP
     * code from a time step already used is refused (no replay).
     */
    async verify(accountId: number, code: string, requestId: string, ip: string): Promise<'totp' | 'recovery' | null> {
      const row = await db.selectFrom('totp_credentials').selectAll().where('account_id', '=', accountId).executeTakeFirst();
      if (!row?.confirmed_at) return null;
      const token = code.replace(/\s/g, '');
      if (/^\d{6}$/.test(token)) {
        const result = await verify({ secret: encryption.decrypt(row.secret_cipher), token, epochTolerance: TOLERANCE_SECONDS, ...(row.last_time_step !== null ? { afterTimeStep: row.last_time_step } : {}) });
        if (!result.valid) return null;
        // Only move forward, so two requests racing with one code cannot both pass.
        const moved = await db
          .updateTable('totp_credentials')
          .set({ last_time_step: timeStepOf(result) })
          .where('account_id', '=', accountId)
          .where((eb) => eb.or([eb('last_time_step', 'is', null), eb('last_time_step', '<', timeStepOf(result))]))
          .executeTakeFirst();
        return Number(moved.numUpdatedRows) === 1 ? 'totp' : null;
      }
      const used = await db
        .updateTable('recovery_codes')
        .set({ used_at: sql`now()` })
        .where('account_id', '=', accountId)
        .where('code_hash', '=', recoveryHash(accountId, token))
        .where('used_at', 'is', null)
        .executeTakeFirst();
      if (Number(used.numUpdatedRows) !== 1) return null;
      await writeAuditEvent(db, { action: 'identity.recovery-code.used', actor: { accountId }, subject: { type: 'account', id: accountId }, requestId, ip });
      return 'recovery';
    },

    /**
     * Confirms enrolment with a first code from the app, and issues recovery codes,
     * shown once: only their hashes are kept.
     * @returns the recovery codes, or null when the code is wrong
     */
    async confirm(accountId: number, code: string, requestId: string, ip: string): Promise<string[] | null> {
      const row = await db.selectFrom('totp_credentials').selectAll().where('account_id', '=', accountId).executeTakeFirst();
      if (!row || row.confirmed_at) return null;
      const token = code.replace(/\s/g, '');
      // otplib throws on anything but six digits; a typo is simply a wrong code.
      if (!/^\d{6}$/.test(token)) return null;
      const result = await verify({ secret: encryption.decrypt(row.secret_cipher), token, epochTolerance: TOLERANCE_SECONDS });
      if (!result.valid) return null;
      const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => {
        const raw = randomBytes(8).toString('base64url').toLowerCase().replace(/[^a-z0-9]/g, '').padEnd(10, '7').slice(0, 10);
        return `${raw.slice(0, 5)}-${raw.slice(5)}`;
      });
      await db.transaction().execute(async (tx) => {
        await tx.updateTable('totp_credentials').set({ confirmed_at: sql`now()`, last_time_step: timeStepOf(result) }).where('account_id', '=', accountId).execute();
        await tx.deleteFrom('recovery_codes').where('account_id', '=', accountId).execute();
        await tx.insertInto('recovery_codes').values(codes.map((c) => ({ account_id: accountId, code_hash: recoveryHash(accountId, c) }))).execute();
        await writeAuditEvent(tx, { action: 'identity.totp.enrolled', actor: { accountId }, subject: { type: 'account', id: accountId }, requestId, ip });
      });
      return codes;
    },
  };
}
export type SecondFactor = ReturnType<typeof createSecondFactor>;
