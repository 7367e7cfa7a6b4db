import { timingSafeEqual } from 'node:crypto';

/**
 * Whether a given secret (a code's hash, a token, a MAC) equals the expected one, in time
 * that does not depend on where they differ. Strings of different lengths are unequal.
 */
export function sameSecret(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
