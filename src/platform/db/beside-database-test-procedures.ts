// Procedures for beside-database.test.ts: the embedded database's thread imports this module.
import { threadId } from 'node:worker_threads';
import { sql } from 'kysely';
import { besideTheDatabase } from './beside-database.ts';
import { DomainError } from '../http/errors.ts';

export interface CountHitsArgs {
  key: string;
  /** what goes wrong after the row is written, if anything */
  fail?: 'domain' | 'duplicate';
  /** seconds to hold the transaction open between writing the row and raising its count */
  holdSeconds?: number;
  /** milliseconds to wait the same way but off the database (a timer): the thread's event loop is free meanwhile */
  awaitMs?: number;
}

/** Writes a rate-limit row with one hit, then raises it to two, in one transaction. */
export const countHits = besideTheDatabase(import.meta.url, 'countHits', async (db, args: CountHitsArgs) =>
  db.transaction().execute(async (tx) => {
    await tx.insertInto('rate_limits').values({ key: args.key, window_start: new Date('2026-11-27T00:00:00Z'), hits: 1 }).execute();
    if (args.fail === 'domain') throw new DomainError('VALIDATION_FAILED', 'error.VALIDATION_FAILED', { fields: [{ field: 'key', messageKey: 'form.required' }] });
    if (args.fail === 'duplicate') await tx.insertInto('rate_limits').values({ key: args.key, window_start: new Date('2026-11-27T00:00:00Z'), hits: 1 }).execute();
    if (args.holdSeconds) await sql`select pg_sleep(${args.holdSeconds})`.execute(tx);
    if (args.awaitMs) await new Promise((resolve) => setTimeout(resolve, args.awaitMs));
    await tx.updateTable('rate_limits').set({ hits: 2 }).where('key', '=', args.key).execute();
    return { threadId, key: args.key };
  }),
);

/** Not a procedure: the database's thread must refuse to run it. */
export async function notAProcedure(): Promise<string> {
  return 'ran';
}
