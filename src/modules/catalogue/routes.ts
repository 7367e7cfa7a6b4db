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
import type { Db } from '../../platform/db/database.ts';
import { DomainError } from '../../platform/http/errors.ts';
import { findPublishedService, listPublishedServices, type ServiceVersion } from './repository.ts';
import { ServicesPage } from './views/services-page.tsx';
import { ServicePage, type ServiceFigures } from './views/service-page.tsx';

export interface CatalogueRouteDeps {
  db: Db;
  pageContext: PageContextFactory;
  directory: AgencyDirectory;
  timeZone: string;
  /** the public record of a service's processing (the applications module computes it) */
  figures: (serviceId: number) => Promise<ServiceFigures>;
}

const LocalTextSchema = Type.Object({ ko: Type.String(), en: Type.String() });
const ServiceSchema = Type.Object({
  code: Type.String(),
  version: Type.Integer(),
  name: LocalTextSchema,
  summary: LocalTextSchema,
  agency: Type.Object({ code: Type.String(), name: Type.String(), phone: Type.String(), email: Type.String() }),
  department: Type.Object({ name: Type.String(), phone: Type.String() }),
  applicantKinds: Type.Array(Type.Union([Type.Literal('resident'), Type.Literal('business')])),
  legalBasis: LocalTextSchema,
  documents: Type.Array(LocalTextSchema),
  fee: Type.Object({ amountMinor: Type.Integer(), currency: Type.String() }),
  periodWorkingDays: Type.Integer(),
  steps: Type.Array(LocalTextSchema),
  publishedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
const FiguresSchema = Type.Object({
  medianDays: Type.Union([Type.Number(), Type.Null()]),
  withinDeadlineShare: Type.Union([Type.Number(), Type.Null()]),
  decided: Type.Integer(),
  thisMonth: Type.Integer(),
  overdue: Type.Integer(),
  integrity: Type.Object({ index: Type.Union([Type.Number(), Type.Null()]), responses: Type.Integer(), minimum: Type.Integer() }),
});
const ServiceCode = Type.Object({ code: Type.String({ pattern: '^[a-z0-9-]{3,60}$' }) });

const normalize = (s: string) => s.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim();

export function catalogueRoutes(deps: CatalogueRouteDeps): FastifyPluginAsyncTypebox {
  const { db, pageContext, directory } = deps;
  const where = (service: ServiceVersion, locale: 'ko' | 'en') => directory.department(locale, service.departmentId);
  const serviceJson = (service: ServiceVersion) => {
    const place = where(service, 'ko');
    return {
      code: service.code, version: service.version, name: service.name, summary: service.summary,
      agency: { code: place?.agency.code ?? '', name: place?.agency.name ?? '', phone: place?.agency.phone ?? '', email: place?.agency.email ?? '' },
      department: { name: place?.department.name ?? '', phone: place?.department.phone ?? '' },
      applicantKinds: service.applicantKinds, legalBasis: service.legalBasis, documents: service.documents,
      fee: { amountMinor: service.feeMinor, currency: service.currency }, periodWorkingDays: service.periodDays, steps: service.steps,
      publishedAt: service.publishedAt ? service.publishedAt.toISOString() : null,
    };
  };
  const matches = (service: ServiceVersion, agencyName: string, needle: string) =>
    !needle || [service.name.ko, service.name.en, service.summary.ko, service.summary.en, agencyName, service.code].some((x) => normalize(x).includes(needle));

  return async (app) => {
    app.get('/services', { schema: { hide: true, querystring: Type.Object({ q: Type.String({ maxLength: 200, default: '' }) }) } }, async (request, reply) => {
      const q = request.query.q.trim();
      const needle = normalize(q);
      const items = (await listPublishedServices(db))
        .map((service) => ({ service, agencyName: where(service, request.locale)?.agency.name ?? '' }))
        .filter(({ service, agencyName }) => matches(service, agencyName, needle));
      const ctx = await pageContext(request, reply);
      return reply.page(h(ServicesPage, { ctx, items, q }));
    });

    app.get('/services/:code', { schema: { hide: true, params: ServiceCode } }, async (request, reply) => {
      const service = await findPublishedService(db, request.params.code);
      const place = service && where(service, request.locale);
      if (!service || !place) throw new DomainError('NOT_FOUND');
      const figures = await deps.figures(service.serviceId);
      const ctx = await pageContext(request, reply);
      return reply.page(h(ServicePage, { ctx, service, agency: place.agency, department: place.department, figures, timeZone: deps.timeZone }));
    });

    app.get('/api/v1/services', { schema: { tags: ['catalogue'], summary: 'Published services, each at the version people apply to now', response: { 200: Type.Array(ServiceSchema) } } }, async () => {
      return (await listPublishedServices(db)).map(serviceJson);
    });

    app.get('/api/v1/services/:code', { schema: { tags: ['catalogue'], summary: 'A published service with its public processing figures', params: ServiceCode, response: { 200: Type.Composite([ServiceSchema, Type.Object({ figures: FiguresSchema })]) } } }, async (request) => {
      const service = await findPublishedService(db, request.params.code);
      if (!service) throw new DomainError('NOT_FOUND');
      return { ...serviceJson(service), figures: await deps.figures(service.serviceId) };
    });

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
