import type { ComponentChildren } from 'preact';
import type { PageContext } from './context.ts';
import { locales, type Locale } from '../i18n/i18n.ts';

const languageNames: Record<Locale, string> = { ko: '한국어', en: 'English' };

function languageHref(ctx: PageContext, locale: Locale): string {
  const query = new URLSearchParams(ctx.query);
  query.set('lang', locale);
  return `${ctx.path}?${query.toString()}`;
}

export interface LayoutProps {
  ctx: PageContext;
  title: string;
  children: ComponentChildren;
  /** extra scripts of this page, served by Nara (progressive enhancement only) */
  scripts?: string[];
}

/** The KRDS page frame shared by every module's pages. */
export function Layout({ ctx, title, children, scripts = [] }: LayoutProps) {
  const { t } = ctx;
  // Entries for one kind of account appear only to it (an official's work queue).
  const menu = ctx.menu.filter((m) => !m.for || m.for === ctx.account?.kind).map((m) => [m.href, t(m.labelKey)] as const);
  return (
    <html lang={ctx.locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} | ${t('site.name')}`}</title>
        <link rel="stylesheet" href="/assets/krds/css/common/common.css" />
        <link rel="stylesheet" href="/assets/krds/css/component/component.css" />
        <link rel="stylesheet" href="/assets/nara.css" />
        <link rel="icon" href="/assets/favicon.svg" type="image/svg+xml" />
      </head>
      <body>
        <div id="krds-skip-link">
          <a href="#main">{t('layout.skip')}</a>
        </div>
        <div id="wrap">
          <div id="krds-masthead">
            <div class="toggle-wrap">
              <div class="toggle-head">
                <div class="inner">
                  <span class="nuri-txt">{t('layout.masthead')}</span>
                </div>
              </div>
            </div>
          </div>
          <header id="krds-header" class="nara-header">
            <div class="inner nara-header-top">
              <a href="/" class="nara-brand">
                <span class="nara-brand-mark">{t('site.name')}</span> <span class="nara-brand-text">{t('site.tagline')}</span>
              </a>
              <nav class="nara-utility" aria-label={t('layout.languageSwitcher')}>
                <ul class="nara-lang">
                  {locales.map((l) => (
                    <li>
                      <a href={languageHref(ctx, l)} lang={l} hreflang={l} aria-current={l === ctx.locale ? 'true' : undefined}>
                        {languageNames[l]}
                      </a>
                    </li>
                  ))}
                </ul>
                {ctx.account ? (
                  <div class="nara-account">
                    <a href="/inbox" class="krds-btn small text">{t('layout.inbox')}</a>
                    <a href="/account" class="nara-account-name">{t('layout.myPage', { name: ctx.account.displayName })}</a>
                    <form method="post" action="/sign-out" class="nara-inline-form">
                      <input type="hidden" name="_csrf" value={ctx.csrfToken ?? ''} />
                      <button type="submit" class="krds-btn small secondary">{t('layout.signOut')}</button>
                    </form>
                  </div>
                ) : (
                  <a href="/sign-in" class="krds-btn small secondary">{t('layout.signIn')}</a>
                )}
              </nav>
            </div>
            <div class="inner">
              <form method="get" action="/search" role="search" class="nara-search">
                <label for="site-search" class="sr-only">{t('layout.searchLabel')}</label>
                <input id="site-search" name="q" type="search" class="krds-input" placeholder={t('layout.searchPlaceholder')} autocomplete="off" />
                <button type="submit" class="krds-btn medium primary">{t('layout.searchButton')}</button>
              </form>
            </div>
            <nav class="nara-main-menu" aria-label={t('layout.mainMenu')}>
              <ul class="inner">
                {menu.map(([href, label]) => (
                  <li>
                    <a href={href} aria-current={ctx.path === href ? 'page' : undefined}>{label}</a>
                  </li>
                ))}
              </ul>
            </nav>
          </header>
          <main id="main" tabindex={-1} class="inner nara-main">
            {children}
          </main>
          <footer id="krds-footer">
            <div class="inner">
              <h2 class="nara-footer-title">{t('footer.contacts')}</h2>
              <ul class="nara-footer-agencies">
                {ctx.footerAgencies.map((a) => (
                  <li>
                    <strong>{a.name}</strong> <span>{a.phone}</span>
                  </li>
                ))}
              </ul>
              <div class="f-cnt">
                <div class="f-info">
                  <p class="info-addr">{t('footer.address')}</p>
                  <p class="info-cs">{t('footer.helpdesk')}</p>
                </div>
              </div>
              <div class="f-btm">
                <div class="f-menu">
                  <a href="/privacy" class="point">{t('footer.privacy')}</a> <a href="/accessibility">{t('footer.accessibility')}</a>{' '}
                  <a href="/api/docs">{t('footer.api')}</a> <a href="/status">{t('footer.status')}</a>
                </div>
                <p class="f-copy">{t('footer.copyright')}</p>
              </div>
            </div>
          </footer>
        </div>
        <script src="/assets/krds/js/component/ui-script.js" defer></script>
        {scripts.map((src) => (
          <script src={src} defer></script>
        ))}
      </body>
    </html>
  );
}
