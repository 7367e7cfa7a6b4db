import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { h } from 'preact';
import type { PageContextFactory } from '../../platform/http/platform.ts';
import { createPageCache } from '../../platform/views/page-cache.ts';
import { renderPage } from '../../platform/views/render.ts';
import type { AgencyDirectory } from '../identity/index.ts';
import { HomePage } from './views/home-page.tsx';
import { SearchPage, type SearchHit } from './views/search-page.tsx';
import { TextPage } from './views/text-page.tsx';

export interface CatalogueRouteDeps {
  pageContext: PageContextFactory;
  directory: AgencyDirectory;
}

const normalize = (s: string) => s.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim();

export function catalogueRoutes(deps: CatalogueRouteDeps): FastifyPluginAsyncTypebox {
  const { pageContext, directory } = deps;
  return async (app) => {
    const anonymousPages = createPageCache();
    app.get('/', { schema: { hide: true } }, async (request, reply) => {
      const ctx = await pageContext(request, reply);
      const render = () => renderPage(h(HomePage, { ctx, agencyCount: directory.list(request.locale).length }));
      // Only a visitor with no session at all sees the shared copy.
      return reply.pageHtml(request.session ? render() : anonymousPages.get(`home:${request.locale}:${request.url}`, render));
    });

    for (const name of ['privacy', 'accessibility']) {
      app.get(`/${name}`, { schema: { hide: true } }, async (request, reply) => {
        const ctx = await pageContext(request, reply);
        return reply.page(h(TextPage, { ctx, name, paragraphs: 3 }));
      });
    }

    app.get('/search', { schema: { hide: true, querystring: Type.Object({ q: Type.String({ maxLength: 200, default: '' }) }) } }, async (request, reply) => {
      const q = request.query.q.trim();
      const needle = normalize(q);
      const hits: SearchHit[] = [];
      if (needle) {
        // Match names in both languages, show them in the reader's.
        const shown = directory.list(request.locale);
        const other = directory.list(request.locale === 'ko' ? 'en' : 'ko');
        shown.forEach((agency, i) => {
          const alt = other[i]!;
          if (normalize(agency.name).includes(needle) || normalize(alt.name).includes(needle) || normalize(agency.code) === needle) {
            hits.push({ kind: 'agency', title: agency.name, detail: `${agency.phone} · ${agency.address}`, href: `/agencies#agency-${agency.code}` });
          }
          agency.departments.forEach((d, j) => {
            if (normalize(d.name).includes(needle) || normalize(alt.departments[j]!.name).includes(needle)) {
              hits.push({ kind: 'department', title: `${d.name} · ${agency.name}`, detail: d.phone, href: `/agencies#agency-${agency.code}` });
            }
          });
        });
      }
      const ctx = await pageContext(request, reply);
      return reply.page(h(SearchPage, { ctx, q, hits }));
    });
  };
}
