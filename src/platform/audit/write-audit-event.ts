import type { Executor } from '../db/database.ts';

export interface AuditEvent {
  /** `module.noun.verb-ed`, e.g. `identity.official.created` */
  action: string;
  actor: { accountId: number | null; agencyId?: number | null };
  /** set when an official acts for a resident who is present (assisted service) */
  onBehalfOfAccountId?: number | null;
  subject?: { type: string; id: string | number };
  requestId?: string | null;
  ip?: string | null;
  details?: Record<string, unknown>;
}

/**
 * Records an audit event. Pass the caller's transaction: the event commits or rolls back
 * with the change it describes. Fields are explicit so no request object leaks in.
 */
export async function writeAuditEvent(tx: Executor, event: AuditEvent): Promise<void> {
  await tx
    .insertInto('audit_events')
    .values({
      action: event.action,
      actor_account_id: event.actor.accountId,
      actor_agency_id: event.actor.agencyId ?? null,
      on_behalf_of_account_id: event.onBehalfOfAccountId ?? null,
      subject_type: event.subject?.type ?? null,
      subject_id: event.subject ? String(event.subject.id) : null,
      request_id: event.requestId ?? null,
      ip: event.ip ?? null,
      details: JSON.stringify(event.details ?? {}),
    })
    .execute();
}
