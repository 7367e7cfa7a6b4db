/** How the embedded database reads and writes the types whose defaults do not suit Nara. */
const INT8 = 20;
// A `date` is a calendar day, not an instant: kept as `YYYY-MM-DD` rather than a Date at
// some zone's midnight.
const DATE = 1082;
const BYTEA = 17;

/** PGlite reads bytea hex a character pair at a time too: a certificate PDF took 36 ms to read back. */
const parseBytea = (value: string) => Buffer.from(value.slice(2), 'hex');

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
