import { createPasswordHasher, HasherUnavailableError } from './password-hasher.ts';

// OWASP Password Storage Cheat Sheet: argon2id, m = 19 MiB, t = 2, p = 1.
// Hashing runs in low-priority processes (password-hasher.ts), so the event loop keeps serving.
// `Algorithm` is a const enum, which verbatimModuleSyntax cannot import: 2 is Argon2id.
export const ARGON2_PARAMS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

const hasher = createPasswordHasher();

export function hashPassword(password: string): Promise<string> {
  return hasher.hash(password, ARGON2_PARAMS);
}

export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  if (!stored) {
    // Spend the same time for accounts without a password, so timing does not reveal them.
    await hasher.hash(password, ARGON2_PARAMS);
    return false;
  }
  try {
    return await hasher.verify(stored, password);
  } catch (error) {
    // A stored value that is not a hash matches nothing; a hashing failure is not a "no".
    if (error instanceof HasherUnavailableError) throw error;
    return false;
  }
}

export { passwordProblem } from './password-policy.ts';
