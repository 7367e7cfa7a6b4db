import { isRole, type Role } from './roles.ts';

/** Lower-case letters, digits, dots, underscores, hyphens; 3 to 40, starting with a letter or digit. */
export const isValidUsername = (username: string) => /^[a-z0-9][a-z0-9._-]{2,39}$/.test(username);

export const isValidEmail = (email: string) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email);

/**
 * The roles an agency may give from a form: known roles, no duplicates, never platform
 * operator (granted only from the operator's command line).
 * @returns the roles, or null when the list is empty or holds anything else
 */
export function agencyRoles(requested: string[]): Role[] | null {
  const unique = [...new Set(requested)];
  const roles = unique.filter(isRole).filter((r) => r !== 'platform-operator');
  return roles.length === 0 || roles.length !== unique.length ? null : roles;
}
