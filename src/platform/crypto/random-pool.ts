import { randomFillSync } from 'node:crypto';

const POOL_BYTES = 4096;
// Cut from a pool that the CSPRNG refills 4 KiB at a time: asking it for a few bytes per
// call costs a call into the crypto library each time, several times what the slice costs
// (it showed up in every submission's transparency salt and every sign-in's session token).
const pool = Buffer.alloc(POOL_BYTES);
let used = POOL_BYTES;

/** `size` (at most 256) fresh random bytes from the CSPRNG, never handed out twice; the caller owns the copy. */
export function freshRandomBytes(size: number): Buffer {
  if (!Number.isInteger(size) || size < 1 || size > 256) throw new RangeError(`freshRandomBytes: size must be 1–256, got ${size}`);
  if (used + size > POOL_BYTES) {
    randomFillSync(pool);
    used = 0;
  }
  const bytes = Buffer.from(pool.subarray(used, used + size));
  used += size;
  return bytes;
}
