export const roles = ['clerk', 'approver', 'head-of-department', 'agency-admin', 'auditor', 'platform-operator'] as const;
export type Role = (typeof roles)[number];

export function isRole(value: string): value is Role {
  return (roles as readonly string[]).includes(value);
}
