/**
 * What makes a password easy to guess, beyond its length: a well-known password, a
 * common word padded with digits or symbols, a keyboard walk or run, one repeated
 * character, or the account's own username. Korean users often type Korean words on the
 * English layout (사랑해 → tkfkdgo), so those forms are listed too.
 */
const commonWords = [
  'password', 'passwd', 'qwerty', 'qwertyuiop', 'asdfgh', 'asdfghjkl', 'zxcvbn', 'zxcvbnm', 'iloveyou', 'admin', 'administrator',
  'welcome', 'letmein', 'dragon', 'monkey', 'football', 'baseball', 'soccer', 'superman', 'batman', 'princess', 'sunshine',
  'starwars', 'master', 'shadow', 'trustno', 'changeme', 'secret', 'login', 'guest', 'test', 'user', 'abcd', 'qwer', 'asdf',
  'zxcv', 'korea', 'seoul', 'busan', 'nara', 'government', 'sarang', 'saranghae', 'saranghae', 'daehanminguk', 'hangul',
  // Korean words typed on the English keyboard layout
  'tkfkdgo', 'tkfkd', 'dkssud', 'dkssudgktpdy', 'gksrmf', 'eogksalsrnr', 'wjdqn', 'ghkdlxld', 'rhkdtm', 'qkqh',
];

const sequences = ['01234567890', 'abcdefghijklmnopqrstuvwxyz', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm', '1qaz2wsx3edc4rfv', 'q1w2e3r4t5y6', '1q2w3e4r5t6y', 'qazwsxedc'];

const common = new Set(commonWords);

function isRun(s: string): boolean {
  if (s.length < 6) return false;
  for (const seq of sequences) {
    const both = [seq, [...seq].reverse().join('')];
    if (both.some((q) => q.includes(s))) return true;
  }
  return false;
}

export type PasswordProblem = 'tooShort' | 'tooLong' | 'common' | 'containsUsername';

/** The first reason this password should not be used, or null. */
export function passwordProblem(password: string, context: { username?: string } = {}): PasswordProblem | null {
  if ([...password].length < 10) return 'tooShort';
  if (password.length > 256) return 'tooLong';
  const lower = password.toLowerCase();
  if (context.username && context.username.length >= 3 && lower.includes(context.username.toLowerCase())) return 'containsUsername';
  if (new Set(lower).size <= 2) return 'common';
  // Strip what people pad words with: digits, symbols, spaces.
  const core = lower.replace(/[^a-z]/g, '');
  const digits = lower.replace(/[^0-9]/g, '');
  const otherLetters = /\p{L}/u.test(lower.replace(/[a-z]/g, ''));
  if (core.length === 0 && !otherLetters) return isRun(digits) || new Set(digits).size <= 3 ? 'common' : null;
  if (core.length === 0) return null;
  if (common.has(core) || isRun(core) || isRun(lower.replace(/[^a-z0-9]/g, ''))) return 'common';
  // A common word repeated or doubled: passwordpassword, qwerqwer.
  for (const word of commonWords) if (word.length >= 4 && core === word.repeat(core.length / word.length)) return 'common';
  return null;
}
