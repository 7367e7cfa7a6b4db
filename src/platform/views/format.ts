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
