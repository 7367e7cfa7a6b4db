/**
 * Scopes only machine clients (OAuth client credentials) may hold. Each lets one agency's
 * system call one Nara API for that agency; none releases anything about a person, so they
 * are never offered to a service people sign in to.
 */
export const MACHINE_SCOPES = ['credentials:issue'] as const;

export type MachineScope = (typeof MACHINE_SCOPES)[number];
export const isMachineScope = (scope: string): scope is MachineScope => (MACHINE_SCOPES as readonly string[]).includes(scope);
