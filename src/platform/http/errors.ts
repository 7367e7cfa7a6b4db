import type { Translate } from '../i18n/i18n.ts';

/**
 * Stable error codes and their HTTP status: one table for the whole platform.
 * Modules add their codes here so that clients can rely on code → status.
 */
export const errorStatus = {
  NOT_FOUND: 404,
  FORBIDDEN: 403,
  UNAUTHENTICATED: 401,
  VALIDATION_FAILED: 422,
  BAD_REQUEST: 400,
  CSRF_INVALID: 403,
  RATE_LIMITED: 429,
  CONFLICT: 409,
  ACTION_NOT_ALLOWED: 409,
  INTERNAL: 500,
  UNAVAILABLE: 503,
  // identity
  SIGN_IN_FAILED: 401,
  SIGN_IN_THROTTLED: 429,
  ACCOUNT_SUSPENDED: 403,
  ACCOUNT_EXISTS: 409,
  SIGN_UP_NO_MATCH: 422,
  SIGN_UP_NO_CONTACT: 422,
  SIGN_UP_EXPIRED: 410,
  NOT_REPRESENTATIVE: 403,
  AGENCY_NOT_FOUND: 404,
  DEPARTMENT_NOT_FOUND: 404,
  // applications
  BUSINESS_REQUIRED: 422,
  // notifications
  NOTIFICATION_NOT_FOUND: 404,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export interface FieldError {
  field: string;
  /** message key in the catalogue */
  messageKey: string;
  params?: Record<string, string | number>;
}

/**
 * An error a user or client can act on. `messageKey` names the message in the
 * catalogue so the page shows it in the user's language; `details` may be shown.
 */
export class DomainError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    readonly messageKey: string = `error.${code}`,
    readonly details: { fields?: FieldError[]; params?: Record<string, string | number>; allowed?: string[] } = {},
  ) {
    super(code);
    this.name = 'DomainError';
    this.status = errorStatus[code];
  }
}

/** A DomainError's field problems as messages in the reader's language, if it has any. */
export function fieldMessages(t: Translate, error: DomainError): Array<{ field: string; message: string }> | undefined {
  return error.details.fields?.map((f) => ({ field: f.field, message: t(f.messageKey, f.params) }));
}

export const notFound = () => new DomainError('NOT_FOUND');
export const forbidden = () => new DomainError('FORBIDDEN');
