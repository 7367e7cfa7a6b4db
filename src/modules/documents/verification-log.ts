import type { Db } from '../../platform/db/database.ts';
import type { CertificateVerificationsTable } from '../../platform/db/schema.ts';
import type { Selectable } from 'kysely';

type Verification = Pick<Selectable<CertificateVerificationsTable>, 'certificate_id' | 'channel' | 'verifier_kind' | 'outcome'>;

/** At most this many wait for the next write; beyond it they are written at once. */
const BATCH = 500;
/** Held back after a failed write, so a database that is down does not fill the memory. */
const KEEP = 50_000;

/**
 * The record of who verified which certificate, written in batches: a verification is a
 * read, and a row written per read would make the database the limit of how many anyone can
 * check. Rows reach the table within `flushMs` (the holder's page shows them then); a write
 * that fails is retried with the next batch; what is waiting is written on close.
 */
export function createVerificationLog(db: Db, options: { flushMs?: number; onError?: (error: unknown) => void } = {}) {
  const flushMs = options.flushMs ?? 200;
  let waiting: Verification[] = [];
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();

  function flush(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = undefined;
    writing = writing.then(async () => {
      if (waiting.length === 0) return;
      const rows = waiting;
      waiting = [];
      try {
        await db.insertInto('certificate_verifications').values(rows).execute();
      } catch (error) {
        waiting = [...rows, ...waiting].slice(-KEEP);
        options.onError?.(error);
        schedule();
      }
    });
    return writing;
  }

  function schedule() {
    if (!timer) {
      timer = setTimeout(() => void flush(), flushMs);
      timer.unref();
    }
  }

  return {
    record(row: Verification) {
      waiting.push(row);
      if (waiting.length >= BATCH) void flush();
      else schedule();
    },
    flush,
    async close() {
      await flush();
    },
  };
}
export type VerificationLog = ReturnType<typeof createVerificationLog>;
