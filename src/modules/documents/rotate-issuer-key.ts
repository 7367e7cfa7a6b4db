import type { Db } from '../../platform/db/database.ts';
import type { FieldEncryption } from '../../platform/crypto/field-encryption.ts';
import { DomainError } from '../../platform/http/errors.ts';
import { writeAuditEvent } from '../../platform/audit/write-audit-event.ts';
import { findAgency } from '../identity/index.ts';
import { createIssuerKeys, publishedKeys, type PublishedKey } from './issuer-keys.ts';

/**
 * An operator's rotation of an agency's signing key (a key suspected exposed, or routine):
 * the current key is retired, stays published, and keeps verifying what it signed; new
 * certificates are signed with the new key (running instances pick it up within a minute).
 * @throws DomainError AGENCY_NOT_FOUND
 */
export async function rotateIssuerKey(db: Db, encryption: FieldEncryption, agencyCode: string): Promise<{ agency: string; kid: string; keys: PublishedKey[] }> {
  const agency = await agencyByCode(db, agencyCode);
  const kid = await db.transaction().execute(async (tx) => {
    const made = await createIssuerKeys(db, encryption).rotate(agency.id, tx);
    await writeAuditEvent(tx, { action: 'documents.issuer-key.rotated', actor: { accountId: null, agencyId: agency.id }, subject: { type: 'issuer-key', id: made }, details: { agency: agency.code } });
    return made;
  });
  return { agency: agency.code, kid, keys: await publishedKeys(db, agency.id) };
}

/** An agency's keys, newest first, for the operator. */
export async function listIssuerKeys(db: Db, agencyCode: string): Promise<PublishedKey[]> {
  return publishedKeys(db, (await agencyByCode(db, agencyCode)).id);
}

/** @throws DomainError AGENCY_NOT_FOUND */
async function agencyByCode(db: Db, code: string) {
  const agency = await findAgency(db, { code });
  if (!agency) throw new DomainError('AGENCY_NOT_FOUND', 'documents.error.agencyUnknown', { params: { code } });
  return agency;
}
