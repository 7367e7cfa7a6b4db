/** How the embedded database reads and writes the types whose defaults do not suit Nara. */
import { PGlite } from '@electric-sql/pglite';

const INT8 = 20;
// A `date` is a calendar day, not an instant: kept as `YYYY-MM-DD` rather than a Date at
// some zone's midnight.
const DATE = 1082;
const BYTEA = 17;

/**
 * PGlite reads bytea hex a character pair at a time too: a certificate PDF took 36 ms to
 * read back. Each value gets memory of its own: a small Buffer is a view of a shared 8 KB
 * pool, and a row sent from the database thread carries its views' whole memory, so a
 * 32-byte hash crossed as 8 KB (an inclusion proof reads about fifteen).
 */
const parseBytea = (value: string) => {
  const bytes = Buffer.allocUnsafeSlow((value.length - 2) >>> 1);
  bytes.write(value.slice(2), 'hex');
  return bytes;
};

export const pgliteParsers = { [INT8]: (value: string) => Number(value), [DATE]: (value: string) => value, [BYTEA]: parseBytea };

/**
 * Bytes go to the database as they are: PGlite, like the wire protocol it speaks, binds a
 * parameter given as bytes in binary format, which for bytea is the bytes themselves. Its
 * own writer would spell them as hex text a byte at a time (22 ms for an 80 KB certificate
 * PDF), and even Buffer's hex made a 160 KB string per PDF that the database thread had to
 * collect with a full garbage collection every few issuances.
 */
export const pgliteSerializers = {
  // PGlite's types say a serializer returns text; its binder takes bytes too (tested).
  [BYTEA]: ((value: Uint8Array) => value) as unknown as (value: Uint8Array) => string,
};

/**
 * PGlite as Nara runs it, on the database thread or on the caller's: Nara's type parsers and
 * serializers, and no zero-filled WAL segments. PGlite has no WAL writer or checkpointer of
 * its own: a statement that fills the 16 MB WAL segment creates the next one itself, and
 * with `wal_init_zero` it first writes 16 MB of zeros, stalling that statement and every
 * query queued behind it (70 ms alone on a quiet machine; under S2's load one submission
 * took 750 ms on the database thread, and with this setting none took over 45 ms in two
 * runs). Without it only the segment's last byte is written, as PostgreSQL does on
 * copy-on-write file systems.
 */
export async function startPGlite(dataDir: string | undefined): Promise<PGlite> {
  const pglite = await PGlite.create({ ...(dataDir ? { dataDir } : {}), parsers: pgliteParsers, serializers: pgliteSerializers });
  await pglite.exec('set wal_init_zero = off');
  return pglite;
}
