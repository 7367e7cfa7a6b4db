import { sql } from 'kysely';
import type { Db, Executor } from '../../platform/db/database.ts';
import { DomainError } from '../../platform/http/errors.ts';
import { writeAuditEvent } from '../../platform/audit/write-audit-event.ts';
import { accountIdByUsername } from '../identity/index.ts';
import { findCertificate, type CertificateRow } from './repository.ts';

/** Whether this account may download the certificate: its holder, or someone the holder allowed. */
export async function mayDownload(db: Executor, cert: CertificateRow, accountId: number | undefined): Promise<boolean> {
  if (accountId === undefined) return false;
  if (cert.holder_account_id === accountId) return true;
  const share = await db.selectFrom('certificate_shares').select('account_id').where('certificate_id', '=', cert.id).where('account_id', '=', accountId).where('withdrawn_at', 'is', null).executeTakeFirst();
  return share !== undefined;
}

/** The holder's own certificate, or NOT_FOUND (never saying it exists to anyone else). */
async function ownCertificate(db: Executor, issueNumber: string, accountId: number): Promise<CertificateRow> {
  const cert = await findCertificate(db, issueNumber);
  if (!cert || cert.holder_account_id !== accountId) throw new DomainError('NOT_FOUND');
  return cert;
}

/**
 * The holder lets another account download this certificate (recorded consent).
 * @throws DomainError NOT_FOUND (not the holder), VALIDATION_FAILED (unknown username, or themselves)
 */
export async function shareCertificate(db: Db, o: { accountId: number; issueNumber: string; username: string; requestId?: string | null; ip?: string | null }): Promise<void> {
  const cert = await ownCertificate(db, o.issueNumber, o.accountId);
  const other = await accountIdByUsername(db, o.username.trim());
  if (other === undefined) throw new DomainError('VALIDATION_FAILED', 'error.VALIDATION_FAILED', { fields: [{ field: 'username', messageKey: 'documents.error.shareUnknown' }] });
  if (other === o.accountId) throw new DomainError('VALIDATION_FAILED', 'error.VALIDATION_FAILED', { fields: [{ field: 'username', messageKey: 'documents.error.shareSelf' }] });
  await db.transaction().execute(async (tx) => {
    await tx
      .insertInto('certificate_shares')
      .values({ certificate_id: cert.id, account_id: other })
      .onConflict((oc) => oc.columns(['certificate_id', 'account_id']).doUpdateSet({ granted_at: sql`now()`, withdrawn_at: null }))
      .execute();
    await writeAuditEvent(tx, { action: 'documents.certificate.shared', actor: { accountId: o.accountId }, subject: { type: 'certificate', id: cert.id }, requestId: o.requestId ?? null, ip: o.ip ?? null, details: { withAccountId: other } });
  });
}

/** @throws DomainError NOT_FOUND (not the holder) */
export async function withdrawShare(db: Db, o: { accountId: number; issueNumber: string; withAccountId: number; requestId?: string | null; ip?: string | null }): Promise<void> {
  const cert = await ownCertificate(db, o.issueNumber, o.accountId);
  await db.transaction().execute(async (tx) => {
    await tx.updateTable('certificate_shares').set({ withdrawn_at: sql`now()` }).where('certificate_id', '=', cert.id).where('account_id', '=', o.withAccountId).where('withdrawn_at', 'is', null).execute();
    await writeAuditEvent(tx, { action: 'documents.certificate.share-withdrawn', actor: { accountId: o.accountId }, subject: { type: 'certificate', id: cert.id }, requestId: o.requestId ?? null, ip: o.ip ?? null, details: { withAccountId: o.withAccountId } });
  });
}

export async function sharesOf(db: Executor, certificateId: number): Promise<Array<{ accountId: number; grantedAt: Date }>> {
  const rows = await db.selectFrom('certificate_shares').select(['account_id', 'granted_at']).where('certificate_id', '=', certificateId).where('withdrawn_at', 'is', null).orderBy('granted_at').execute();
  return rows.map((r) => ({ accountId: r.account_id, grantedAt: r.granted_at }));
}
