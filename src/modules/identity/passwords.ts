import { createPasswordHasher, HasherUnavailableError } from './password-hasher.ts';

// OWASP Password Storage Cheat Sheet: argon2id, m = 19 MiB, t = 2, p = 1.
// Hashing runs on low-priority threads (password-hasher.ts), so the event loop keeps serving.
// `Algorithm` is a const enum, which verbatimModuleSyntax cannot import: 2 is Argon2id.
export const ARGON2_PARAMS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;
const params = ARGON2_PARAMS;

const hasher = createPasswordHasher();
const hash = hasher.hash;
const verify = hasher.verify;

export function hashPassword(password: string): Promise<string> {
  return hash(password, params);
}

export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  if (!stored) {
    // Spend the same time for accounts without a password, so timing does not reveal them.
    await hash(password, params);
    return false;
  }
  try {
    return await verify(stored, password);
  } catch (error) {
    // A stored value that is not a hash matches nothing; a hashing failure is not a "no".
    if (error instanceof HasherUnavailableError) throw error;
    return false;
  }
}

export { passwordProblem } from './password-policy.ts';
