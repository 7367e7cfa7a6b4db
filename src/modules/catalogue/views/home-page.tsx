import type { PageContext } from '../../../platform/views/context.ts';
import { Layout } from '../../../platform/views/layout.tsx';

export function HomePage({ ctx, agencyCount }: { ctx: PageContext; agencyCount: number }) {
  const { t } = ctx;
  const links = [
    { href: '/services', title: t('home.quick.services'), desc: t('home.quick.services.desc') },
    { href: '/agencies', title: t('home.quick.agencies'), desc: t('home.quick.agencies.desc', { count: agencyCount }) },
    ctx.account
      ? { href: '/inbox', title: t('home.quick.inbox'), desc: t('home.quick.inbox.desc') }
      : { href: '/sign-in', title: t('home.quick.signIn'), desc: t('home.quick.signIn.desc') },
    { href: '/api/docs', title: t('home.quick.api'), desc: t('home.quick.api.desc') },
  ];
  return (
    <Layout ctx={ctx} title={t('home.title')}>
      <section class="nara-hero" aria-labelledby="home-heading">
        <h1 id="home-heading">{t('home.heading')}</h1>
        <p class="nara-lead">{t('home.lead')}</p>
      </section>
      <section aria-labelledby="quick-heading">
        <h2 id="quick-heading" class="nara-section-title">{t('home.quick')}</h2>
        <ul class="nara-quick-links">
          {links.map((l) => (
            <li>
              <a href={l.href} class="nara-quick-link">
                <span class="nara-quick-title">{l.title}</span>
                <span class="nara-quick-desc">{l.desc}</span>
              </a>
            </li>
          ))}
        </ul>
      </section>
      <p class="nara-help">{t('home.help')}</p>
    </Layout>
  );
}
