import { gunzipSync, gzipSync } from 'node:zlib';

/**
 * W3C Bitstring Status List v1.0. Each agency publishes two lists, one per purpose; a
 * certificate owns the same index in both. The specification's minimum length (16 KiB,
 * 131,072 entries) keeps one certificate's bit from standing out; indexes are drawn at
 * random for the same reason. A list takes certificates until it is half full, then the
 * agency opens the next one, so a free index is always found quickly.
 */
export const LIST_FILL = 65_536;
export const STATUS_LIST_LENGTH = 131_072;
export const STATUS_PURPOSES = ['revocation', 'suspension'] as const;
export type StatusPurpose = (typeof STATUS_PURPOSES)[number];

/** GZIP of the bitstring, multibase base64url (prefix `u`); bit 0 is the first byte's highest bit. */
export function encodeStatusList(setIndexes: Iterable<number>, length = STATUS_LIST_LENGTH): string {
  const bytes = new Uint8Array(Math.ceil(length / 8));
  for (const index of setIndexes) {
    if (!Number.isInteger(index) || index < 0 || index >= length) throw new RangeError(`status index ${index} is outside the list`);
    bytes[index >> 3]! |= 0x80 >> (index & 7);
  }
  return `u${gzipSync(bytes).toString('base64url')}`;
}

/** The bits of an encoded list; throws on anything that is not one. */
export function decodeStatusList(encoded: string): Uint8Array {
  if (!encoded.startsWith('u')) throw new Error('the encoded list is not multibase base64url');
  // A list is at most a few hundred KiB; refuse a gzip bomb.
  return new Uint8Array(gunzipSync(Buffer.from(encoded.slice(1), 'base64url'), { maxOutputLength: 16 * 2 ** 20 }));
}

export function bitAt(bits: Uint8Array, index: number): boolean {
  const byte = bits[index >> 3];
  if (byte === undefined) throw new RangeError(`status index ${index} is outside the list`);
  return (byte & (0x80 >> (index & 7))) !== 0;
}

export const statusListUrl = (issuerId: string, list: number, purpose: StatusPurpose) => `${issuerId}/status/${list}/${purpose}`;

/** The `credentialStatus` entries of a certificate: one per purpose, at the same index. */
export function statusEntriesOf(issuerId: string, list: number, index: number) {
  return STATUS_PURPOSES.map((statusPurpose) => ({
    id: `${statusListUrl(issuerId, list, statusPurpose)}#${index}`,
    type: 'BitstringStatusListEntry',
    statusPurpose,
    statusListIndex: String(index),
    statusListCredential: statusListUrl(issuerId, list, statusPurpose),
  }));
}

/** The unsigned status list credential; the caller signs it as `vc+jwt`. */
export function statusListCredential(issuerId: string, list: number, purpose: StatusPurpose, encodedList: string, validFrom: Date, ttlSeconds: number) {
  const id = statusListUrl(issuerId, list, purpose);
  return {
    '@context': ['https://www.w3.org/ns/credentials/v2'],
    id,
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer: issuerId,
    validFrom: validFrom.toISOString(),
    validUntil: new Date(validFrom.getTime() + ttlSeconds * 1000).toISOString(),
    credentialSubject: { id: `${id}#list`, type: 'BitstringStatusList', statusPurpose: purpose, encodedList, ttl: ttlSeconds * 1000 },
  };
}
