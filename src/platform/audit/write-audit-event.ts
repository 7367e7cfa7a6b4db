import type { Insertable, QueryCreator } from 'kysely';
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

/** An audit event as the columns it is stored in. */
export type AuditRow = Required<Omit<Insertable<DB['audit_events']>, 'id' | 'occurred_at'>>;

/** The columns of an audit event, in the order `auditInsert` names them. */
export const AUDIT_COLUMNS = ['action', 'actor_account_id', 'actor_agency_id', 'on_behalf_of_account_id', 'subject_type', 'subject_id', 'request_id', 'ip', 'details'] as const satisfies ReadonlyArray<keyof AuditRow>;
// Every column is in the list: the type below is `never` otherwise, and the line fails to compile.
const everyColumn: Exclude<keyof AuditRow, (typeof AUDIT_COLUMNS)[number]> extends never ? true : never = true;
void everyColumn;

/** The insert of one audit event; also a statement's first part where a change and its event are one statement. */
export function auditInsert(db: QueryCreator<DB>, r: AuditRow) {
  return db.insertInto('audit_events').values({
    action: r.action, actor_account_id: r.actor_account_id, actor_agency_id: r.actor_agency_id, on_behalf_of_account_id: r.on_behalf_of_account_id,
    subject_type: r.subject_type, subject_id: r.subject_id, request_id: r.request_id, ip: r.ip, details: r.details,
  });
}

/** The columns of an event. Fields are explicit so no request object leaks in. */
export function auditRow(event: AuditEvent): AuditRow {
  return {
    action: event.action,
    actor_account_id: event.actor.accountId,
    actor_agency_id: event.actor.agencyId ?? null,
    on_behalf_of_account_id: event.onBehalfOfAccountId ?? null,
    subject_type: event.subject?.type ?? null,
    subject_id: event.subject ? String(event.subject.id) : null,
    request_id: event.requestId ?? null,
    ip: event.ip ?? null,
    details: JSON.stringify(event.details ?? {}),
  };
}

const insertAuditEvent = reusableQuery((db, r: AuditRow) => auditInsert(db, r));

/**
 * Records an audit event. Pass the caller's transaction: the event commits or rolls back
 * with the change it describes.
 */
export async function writeAuditEvent(tx: Executor, event: AuditEvent): Promise<void> {
  await insertAuditEvent(tx, auditRow(event));
}
