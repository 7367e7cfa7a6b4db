import type { Selectable } from 'kysely';
import type { Executor } from '../../platform/db/database.ts';
import type { CertificatesTable, CertificateStatusChangesTable, CertificateVerificationsTable } from '../../platform/db/schema.ts';

export type CertificateRow = Omit<Selectable<CertificatesTable>, 'pdf'>;
export type StatusChangeRow = Selectable<CertificateStatusChangesTable>;

const columns = [
  'id', 'issue_number', 'type_code', 'variant', 'agency_id', 'holder_account_id', 'business_id', 'application_id', 'lang', 'facts', 'credential_jwt', 'kid',
  'status_list', 'status_index', 'fingerprint', 'issued_at', 'valid_until',
] as const;

/** Issue numbers are typed by people: accept them with or without hyphens or spaces. */
export function normalizeIssueNumber(input: string): string | undefined {
  const digits = input.replace(/[\s-]/g, '');
  return /^\d{16}$/.test(digits) ? digits.replace(/(\d{4})(?=\d)/g, '$1-') : undefined;
}

export async function findCertificate(db: Executor, issueNumber: string): Promise<CertificateRow | undefined> {
  const normal = normalizeIssueNumber(issueNumber);
  if (!normal) return undefined;
  return db.selectFrom('certificates').select(columns).where('issue_number', '=', normal).executeTakeFirst();
}

export async function certificatePdf(db: Executor, id: number): Promise<Uint8Array | null> {
  return (await db.selectFrom('certificates').select('pdf').where('id', '=', id).executeTakeFirst())?.pdf ?? null;
}

export async function certificatesOf(db: Executor, holderAccountId: number): Promise<CertificateRow[]> {
  return db.selectFrom('certificates').select(columns).where('holder_account_id', '=', holderAccountId).orderBy('issued_at', 'desc').orderBy('id', 'desc').limit(200).execute();
}

export async function statusChangesOf(db: Executor, certificateIds: number[]): Promise<Map<number, StatusChangeRow[]>> {
  const byId = new Map<number, StatusChangeRow[]>();
  if (certificateIds.length === 0) return byId;
  const rows = await db.selectFrom('certificate_status_changes').selectAll().where('certificate_id', 'in', certificateIds).orderBy('id').execute();
  for (const row of rows) byId.set(row.certificate_id, [...(byId.get(row.certificate_id) ?? []), row]);
  return byId;
}

export async function verificationsOf(db: Executor, certificateIds: number[], limit = 100): Promise<Array<Selectable<CertificateVerificationsTable>>> {
  if (certificateIds.length === 0) return [];
  return db.selectFrom('certificate_verifications').selectAll().where('certificate_id', 'in', certificateIds).orderBy('verified_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

/** Status list bits for one agency's list: indexes of certificates revoked, and of those suspended now. */
export async function statusBits(db: Executor, agencyId: number, list: number): Promise<{ revoked: number[]; suspended: number[] }> {
  const rows = await db
    .selectFrom('certificate_status_changes as c')
    .innerJoin('certificates as cert', 'cert.id', 'c.certificate_id')
    .select(['cert.id', 'cert.status_index', 'c.action'])
    .where('cert.agency_id', '=', agencyId)
    .where('cert.status_list', '=', list)
    .orderBy('c.id')
    .execute();
  const last = new Map<number, { index: number; revoked: boolean; suspended: boolean }>();
  for (const r of rows) {
    const state = last.get(r.id) ?? { index: r.status_index, revoked: false, suspended: false };
    if (!state.revoked) {
      if (r.action === 'revoke') state.revoked = true;
      else state.suspended = r.action === 'suspend';
    }
    last.set(r.id, state);
  }
  const states = [...last.values()];
  return { revoked: states.filter((s) => s.revoked).map((s) => s.index), suspended: states.filter((s) => !s.revoked && s.suspended).map((s) => s.index) };
}
