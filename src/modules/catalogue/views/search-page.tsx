import type { PageContext } from '../../../platform/views/context.ts';
import { Layout } from '../../../platform/views/layout.tsx';
import { PageHeading } from '../../../platform/views/components.tsx';

export interface SearchHit {
  kind: 'agency' | 'department';
  title: string;
  detail: string;
  href: string;
}

export function SearchPage({ ctx, q, hits }: { ctx: PageContext; q: string; hits: SearchHit[] }) {
  const { t } = ctx;
  const summary = !q ? t('search.empty') : hits.length === 0 ? t('search.none', { q }) : t('search.results', { q, count: hits.length });
  return (
    <Layout ctx={ctx} title={q ? `${q} - ${t('search.title')}` : t('search.title')}>
      <PageHeading>{t('search.title')}</PageHeading>
      <p role="status">{summary}</p>
      <ul class="nara-card-list">
        {hits.map((hit) => (
          <li class="nara-card">
            <p class="nara-muted">{t(`search.kind.${hit.kind}`)}</p>
            <h2>
              <a href={hit.href}>{hit.title}</a>
            </h2>
            <p>{hit.detail}</p>
          </li>
        ))}
      </ul>
    </Layout>
  );
}
