export const locales = ['ko', 'en'] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = 'ko';

/** A module's strings: the same keys in every locale (checked by i18n.test.ts). */
export type Catalogue = Record<Locale, Record<string, string>>;

export type Translate = (key: string, params?: Record<string, string | number>) => string;

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (locales as readonly string[]).includes(value);
}

export interface I18n {
  translator(locale: Locale): Translate;
  has(key: string): boolean;
}

/** Merges the catalogues of the platform and every module; a key defined twice is a bug. */
export function createI18n(catalogues: Catalogue[]): I18n {
  const merged: Record<Locale, Map<string, string>> = { ko: new Map(), en: new Map() };
  for (const catalogue of catalogues) {
    for (const locale of locales) {
      for (const [key, value] of Object.entries(catalogue[locale])) {
        if (merged[locale].has(key)) throw new Error(`Message key defined twice: ${key}`);
        merged[locale].set(key, value);
      }
    }
  }
  const translators = new Map<Locale, Translate>();
  for (const locale of locales) {
    const messages = merged[locale];
    translators.set(locale, (key, params) => {
      const template = messages.get(key);
      if (template === undefined) return key;
      if (!params) return template;
      return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
    });
  }
  return {
    translator: (locale) => translators.get(locale)!,
    has: (key) => merged.ko.has(key),
  };
}

// Browsers send a handful of distinct headers, so remember the answers; bounded so that
// a client sending endless variations cannot grow it.
const negotiated = new Map<string, Locale | undefined>();

/** Picks the best supported locale from an Accept-Language header (RFC 9110 q-values). */
export function negotiateLocale(header: string | undefined): Locale | undefined {
  if (!header) return undefined;
  if (negotiated.has(header)) return negotiated.get(header);
  const locale = parseAcceptLanguage(header);
  if (negotiated.size >= 1000) negotiated.clear();
  negotiated.set(header, locale);
  return locale;
}

function parseAcceptLanguage(header: string): Locale | undefined {
  const ranked = header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...paramsRaw] = part.trim().split(';');
      const q = paramsRaw.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { lang: tag.trim().toLowerCase().split('-')[0] ?? '', q: q ? Number(q.slice(2)) : 1, index };
    })
    .filter((r) => r.lang && Number.isFinite(r.q) && r.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return ranked.map((r) => r.lang).find(isLocale);
}
