import type { Insertable } from 'kysely';
import type { Executor } from '../db/database.ts';
import { reusableQuery } from '../db/reusable-query.ts';
import type { DB } from '../db/schema.ts';

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

type Row = Required<Omit<Insertable<DB['audit_events']>, 'id' | 'occurred_at'>>;

const insertAuditEvent = reusableQuery((db, r: Row) =>
  db.insertInto('audit_events').values({
    action: r.action, actor_account_id: r.actor_account_id, actor_agency_id: r.actor_agency_id, on_behalf_of_account_id: r.on_behalf_of_account_id,
    subject_type: r.subject_type, subject_id: r.subject_id, request_id: r.request_id, ip: r.ip, details: r.details,
  }),
);

/**
 * Records an audit event. Pass the caller's transaction: the event commits or rolls back
 * with the change it describes. Fields are explicit so no request object leaks in.
 */
export async function writeAuditEvent(tx: Executor, event: AuditEvent): Promise<void> {
  await insertAuditEvent(tx, {
    action: event.action,
    actor_account_id: event.actor.accountId,
    actor_agency_id: event.actor.agencyId ?? null,
    on_behalf_of_account_id: event.onBehalfOfAccountId ?? null,
    subject_type: event.subject?.type ?? null,
    subject_id: event.subject ? String(event.subject.id) : null,
    request_id: event.requestId ?? null,
    ip: event.ip ?? null,
    details: JSON.stringify(event.details ?? {}),
  });
}
