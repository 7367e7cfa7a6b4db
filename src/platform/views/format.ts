import type { Locale } from '../i18n/i18n.ts';

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Date and time in the deployment's time zone, in the reader's language. */
export function formatDateTime(value: Date, locale: Locale, timeZone: string): string {
  const key = `${locale}|${timeZone}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale === 'ko' ? 'ko-KR' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone });
    formatters.set(key, f);
  }
  return f.format(value);
}

const dateFormatters = new Map<string, Intl.DateTimeFormat>();

function dateFormatter(locale: Locale, timeZone: string): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}`;
  let f = dateFormatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale === 'ko' ? 'ko-KR' : 'en-GB', { dateStyle: 'medium', timeZone });
    dateFormatters.set(key, f);
  }
  return f;
}

/** A calendar date (`YYYY-MM-DD`, or the day of an instant in the deployment's zone), in the reader's language. */
export function formatDate(value: Date | string, locale: Locale, timeZone: string): string {
  // A bare date is a day, not an instant: read it at noon UTC so that no zone moves it.
  return typeof value === 'string' ? dateFormatter(locale, 'UTC').format(new Date(`${value}T12:00:00Z`)) : dateFormatter(locale, timeZone).format(value);
}

/** An amount in minor units (KRW has none) with its currency, in the reader's language. */
export function formatMoney(minor: number, currency: string, locale: Locale): string {
  const digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 0;
  const amount = minor / 10 ** digits;
  if (locale === 'ko' && currency === 'KRW') return `${new Intl.NumberFormat('ko-KR').format(amount)}원`;
  return new Intl.NumberFormat(locale === 'ko' ? 'ko-KR' : 'en-GB', { style: 'currency', currency }).format(amount);
}
