import type { Executor } from '../../platform/db/database.ts';
import { residentFacts } from '../registry/index.ts';

/**
 * What each scope releases. The Nara scopes each carry one fact from the resident register,
 * so that a service that only needs to know a person is an adult asks for `nara:age_over_19`
 * and never learns the birth date.
 */
export const SCOPE_CLAIMS = {
  openid: ['sub'],
  profile: ['name', 'preferred_username', 'locale'],
  email: ['email', 'email_verified'],
  'nara:verified_name': ['verified_name'],
  'nara:birthdate': ['birthdate'],
  'nara:age_over_19': ['age_over_19'],
  'nara:region': ['resident_region'],
} as const satisfies Record<string, readonly string[]>;

export type OidcScope = keyof typeof SCOPE_CLAIMS;
export const OIDC_SCOPES = Object.keys(SCOPE_CLAIMS) as OidcScope[];
export const isOidcScope = (scope: string): scope is OidcScope => Object.hasOwn(SCOPE_CLAIMS, scope);

/** The age of majority under the Civil Act (full years). */
export const ADULT_AGE = 19;

/** Whether someone born on `birthDate` (YYYY-MM-DD) is at least 19 on `today` (YYYY-MM-DD). */
export function isAdult(birthDate: string, today: string): boolean {
  const [year, rest] = [Number(today.slice(0, 4)), today.slice(4)];
  return birthDate <= `${String(year - ADULT_AGE).padStart(4, '0')}${rest}`;
}

/** Today's date in the deployment time zone, as YYYY-MM-DD. */
export function todayIn(timeZone: string, now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

export type AccountClaims = Record<string, unknown> & { sub: string };

/**
 * Every claim Nara could release about an account, by its public id; the provider keeps
 * only those the person consented to. Officials have no register facts.
 */
export async function accountClaims(db: Executor, publicId: string, timeZone: string): Promise<AccountClaims | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(publicId)) return undefined;
  const account = await db
    .selectFrom('accounts')
    .select(['username', 'display_name', 'email', 'locale', 'resident_id', 'status'])
    .where('public_id', '=', publicId)
    .executeTakeFirst();
  if (!account || account.status !== 'active') return undefined;
  const claims: AccountClaims = { sub: publicId, name: account.display_name, preferred_username: account.username, locale: account.locale };
  const facts = account.resident_id === null ? undefined : await residentFacts(db, account.resident_id);
  if (account.email) {
    claims.email = account.email;
    // The sign-up code went to the register's address; only that one counts as verified.
    claims.email_verified = facts !== undefined && facts.email === account.email;
  }
  if (facts) {
    claims.verified_name = facts.nameKo;
    claims.birthdate = facts.birthDate;
    claims.age_over_19 = isAdult(facts.birthDate, todayIn(timeZone));
    claims.resident_region = { code: facts.region.code, name_ko: facts.region.nameKo, name_en: facts.region.nameEn };
  }
  return claims;
}
