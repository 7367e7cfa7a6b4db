import type { Db } from '../../platform/db/database.ts';
import { writeAuditEvent } from '../../platform/audit/write-audit-event.ts';
import { DomainError } from '../../platform/http/errors.ts';
import type { Actor } from '../identity/index.ts';
import type { TransparencyLog } from './transparency-log.ts';

/**
 * A platform operator asks for a tree head now (before an announcement, or to show a
 * monitor the log is alive), rather than waiting for the next interval.
 * @throws DomainError FORBIDDEN unless the actor is a platform operator
 */
export async function signTreeHeadNow(db: Db, log: TransparencyLog, actor: Actor | undefined, request: { requestId?: string; ip?: string } = {}) {
  if (!actor || !actor.roles.some((r) => r.role === 'platform-operator')) throw new DomainError('FORBIDDEN');
  const advanced = await log.advance({ forceHead: true, wait: true });
  // The head itself is in the log's own table; this records who asked for it.
  await writeAuditEvent(db, { action: 'transparency.head.requested', actor: { accountId: actor.accountId }, requestId: request.requestId ?? null, ip: request.ip ?? null, details: { treeSize: advanced.treeSize } });
  return advanced;
}
