import type { Locale, Translate } from '../i18n/i18n.ts';

export interface ViewAccount {
  id: number;
  displayName: string;
  kind: 'resident' | 'official';
}

/** What every page needs to render the layout; built per request by the http layer. */
export interface PageContext {
  locale: Locale;
  t: Translate;
  /** path and query of this request, for the language switcher */
  path: string;
  query: URLSearchParams;
  requestId: string;
  account: ViewAccount | undefined;
  /** present when the page has a form: the CSRF token of this session */
  csrfToken: string | undefined;
  footerAgencies: FooterAgency[];
  /** main-menu entries of the modules this deployment runs */
  menu: MenuItem[];
}

export interface MenuItem {
  href: string;
  labelKey: string;
  /** shown only to this kind of signed-in account */
  for?: 'resident' | 'official';
}

export interface FooterAgency {
  name: string;
  phone: string;
  website: string | null;
}
