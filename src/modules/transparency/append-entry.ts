import { createHash } from 'node:crypto';
import type { Insertable } from 'kysely';
import type { Executor } from '../../platform/db/database.ts';
import { reusableQuery } from '../../platform/db/reusable-query.ts';
import { freshRandomBytes } from '../../platform/crypto/random-pool.ts';
import type { TransparencyEntriesTable } from '../../platform/db/schema.ts';
import { canonicalJson } from './canonical-json.ts';
import { leafHash } from './merkle.ts';

export interface LogEvent {
  /** the event, e.g. `applications.step.recorded` */
  type: string;
  /** what it is about, e.g. `application-step/123`: an identifier, never personal data */
  subject: string;
  /** the facts recorded (kept out of the log: only their salted hash goes in) */
  record: unknown;
  /** when it happened, by the database clock */
  time: Date;
}

/** The public leaf: what anyone can read from `get-entries`. */
export interface LeafContent {
  v: 1;
  type: string;
  subject: string;
  /** hex SHA-256(salt || canonical record) */
  content_hash: string;
  time: string;
}

const SALT_BYTES = 16;

/** 16 fresh random bytes, never handed out twice. */
export function freshSalt(): Buffer {
  return freshRandomBytes(SALT_BYTES);
}

export function contentHashOf(salt: Uint8Array, record: unknown): Buffer {
  return createHash('sha256').update(salt).update(canonicalJson(record), 'utf8').digest();
}

export function leafInputOf(content: LeafContent): Buffer {
  return Buffer.from(canonicalJson(content), 'utf8');
}

/** The leaf's content, or undefined when the bytes are not a Nara leaf. */
export function parseLeafInput(input: Uint8Array): LeafContent | undefined {
  try {
    const c = JSON.parse(Buffer.from(input).toString('utf8')) as LeafContent;
    return c && c.v === 1 && typeof c.type === 'string' && typeof c.subject === 'string' && typeof c.content_hash === 'string' && typeof c.time === 'string' ? c : undefined;
  } catch {
    return undefined;
  }
}

const insertEntry = reusableQuery((db, e: Required<Omit<Insertable<TransparencyEntriesTable>, 'id' | 'leaf_index' | 'logged_at'>>) =>
  db.insertInto('transparency_entries').values({ entry_type: e.entry_type, subject: e.subject, salt: e.salt, content_hash: e.content_hash, leaf_input: e.leaf_input, leaf_hash: e.leaf_hash }),
);

/**
 * Adds an event to the log. Call it inside the transaction that makes the change, so the
 * event and its entry commit together or not at all; the sequencer places it in the tree.
 */
export async function appendEntry(tx: Executor, event: LogEvent): Promise<{ leafHash: Buffer }> {
  const salt = freshSalt();
  const contentHash = contentHashOf(salt, event.record);
  const leafInput = leafInputOf({ v: 1, type: event.type, subject: event.subject, content_hash: contentHash.toString('hex'), time: event.time.toISOString() });
  const hash = leafHash(leafInput);
  await insertEntry(tx, { entry_type: event.type, subject: event.subject, salt, content_hash: contentHash, leaf_input: leafInput, leaf_hash: hash });
  return { leafHash: hash };
}
