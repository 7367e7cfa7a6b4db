/**
 * How long a sign-in must wait after `failures` failed attempts, and when it locks.
 * Per username: free for 3 tries, then 1, 2, 4 … seconds (at most a minute), and a
 * 15-minute lock at 10. Per address (many usernames, one attacker): looser, as offices
 * and mobile carriers put many people behind one address.
 */
export type ThrottleKind = 'user' | 'ip';

const rules = {
  user: { free: 3, maxDelay: 60, lockAt: 10, lockSeconds: 15 * 60 },
  ip: { free: 10, maxDelay: 60, lockAt: 100, lockSeconds: 15 * 60 },
} as const;

/** Counts reset when no failure happened for this long. */
export const FAILURE_WINDOW_SECONDS = 15 * 60;

export function waitSeconds(kind: ThrottleKind, failures: number): number {
  const r = rules[kind];
  if (failures < r.free) return 0;
  return Math.min(r.maxDelay, 2 ** (failures - r.free));
}

export function lockSeconds(kind: ThrottleKind, failures: number): number {
  const r = rules[kind];
  return failures >= r.lockAt ? r.lockSeconds : 0;
}
