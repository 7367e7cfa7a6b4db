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
import type { FastifyReply, FastifyRequest } from 'fastify';
import { fieldMessages } from '../../platform/http/errors.ts';
import { departmentsOf, loadActor } from '../identity/index.ts';
import { editableVersion, listAgencyServices, publishService, saveServiceDraft, type ServiceInput } from './edit-service.ts';
import { ServiceEditorPage, ServicesAdminPage } from './views/service-editor-page.tsx';
import { ServicePreviewPage } from './views/service-preview-page.tsx';

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

  /** The agency the account administers (the first, if several). */
  async function adminAgency(request: FastifyRequest): Promise<number> {
    const actor = request.account ? await loadActor(db, request.account.id) : undefined;
    const agencyId = actor?.roles.find((r) => r.role === 'agency-admin')?.agencyId;
    if (agencyId === undefined) throw new DomainError('FORBIDDEN');
    return agencyId;
  }
  const agencyName = (locale: 'ko' | 'en', agencyId: number) => directory.list(locale).find((a) => a.id === agencyId)?.name ?? '';
  const pairsText = (list: Array<{ ko: string; en: string }>) => list.map((p) => `${p.ko} | ${p.en}`).join('\n');
  const inputOf = (v: ServiceVersion): ServiceInput => ({
    code: v.code, departmentId: String(v.departmentId), nameKo: v.name.ko, nameEn: v.name.en, summaryKo: v.summary.ko, summaryEn: v.summary.en, applicantKinds: v.applicantKinds,
    legalBasisKo: v.legalBasis.ko, legalBasisEn: v.legalBasis.en, documents: pairsText(v.documents), fee: String(v.feeMinor), periodDays: String(v.periodDays), steps: pairsText(v.steps),
    form: JSON.stringify(v.form, null, 2), rules: v.rules ? JSON.stringify(v.rules, null, 2) : '',
  });
  const inputFrom = (body: Record<string, unknown>): ServiceInput => {
    const str = (k: string) => (typeof body[k] === 'string' ? (body[k] as string) : '');
    const kinds = body.applicantKinds === undefined ? [] : Array.isArray(body.applicantKinds) ? body.applicantKinds.map(String) : [String(body.applicantKinds)];
    return {
      code: str('code'), departmentId: str('departmentId'), nameKo: str('nameKo'), nameEn: str('nameEn'), summaryKo: str('summaryKo'), summaryEn: str('summaryEn'), applicantKinds: kinds,
      legalBasisKo: str('legalBasisKo'), legalBasisEn: str('legalBasisEn'), documents: str('documents'), fee: str('fee'), periodDays: str('periodDays'), steps: str('steps'), form: str('form'), rules: str('rules'),
    };
  };
  const blank: ServiceInput = {
    code: '', departmentId: '', nameKo: '', nameEn: '', summaryKo: '', summaryEn: '', applicantKinds: ['resident'], legalBasisKo: '', legalBasisEn: '', documents: '', fee: '0', periodDays: '5', steps: '접수 | Receipt\n검토 | Review\n결정 | Decision',
    form: JSON.stringify({ schema: { type: 'object', properties: { details: { type: 'string', minLength: 1, maxLength: 2000 } }, required: ['details'] }, sections: [{ id: 'request', title: { ko: '신청 내용', en: 'Your request' }, fields: [{ name: 'details', label: { ko: '내용', en: 'Details' }, widget: 'textarea' }] }] }, null, 2),
    rules: '',
  };
  async function editorPage(request: FastifyRequest, reply: FastifyReply, o: { agencyId: number; code?: string; values: ServiceInput; errors?: Array<{ field: string; message: string }>; notice?: string; status?: number }) {
    const departments = (await departmentsOf(db, o.agencyId)).map((d) => ({ id: d.id, name: request.locale === 'ko' ? d.name_ko : d.name_en }));
    const list = o.code ? (await listAgencyServices(db, request.account!.id, o.agencyId)).find((s) => s.code === o.code) : undefined;
    const ctx = await pageContext(request, reply, { form: true });
    return reply.page(
      h(ServiceEditorPage, { ctx, agencyName: agencyName(request.locale, o.agencyId), code: o.code, values: o.values, departments, errors: o.errors ?? [], draftVersion: list?.draft ?? null, publishedVersion: list?.published ?? null, notice: o.notice }),
      o.status ?? 200,
    );
  }
  const editorErrors = (request: FastifyRequest, error: DomainError) => fieldMessages(request.t, error) ?? [{ field: 'nameKo', message: request.t(error.messageKey) }];
  const EditorBody = Type.Record(Type.String(), Type.Union([Type.String({ maxLength: 200_000 }), Type.Array(Type.String({ maxLength: 20 }))]));

  return async (app) => {
    app.get('/admin/services', { schema: { hide: true, querystring: Type.Object({ done: Type.Optional(Type.String({ maxLength: 20 })) }) } }, async (request, reply) => {
      if (!request.account) return reply.redirect('/sign-in?next=%2Fadmin%2Fservices', 303);
      const agencyId = await adminAgency(request);
      const services = await listAgencyServices(db, request.account.id, agencyId);
      const ctx = await pageContext(request, reply);
      const notice = request.query.done === 'published' ? request.t('catalogue.admin.publishedNotice') : undefined;
      return reply.page(h(ServicesAdminPage, { ctx, agencyName: agencyName(request.locale, agencyId), services, notice }));
    });

    app.get('/admin/services/new', { schema: { hide: true } }, async (request, reply) => {
      if (!request.account) return reply.redirect('/sign-in?next=%2Fadmin%2Fservices%2Fnew', 303);
      const agencyId = await adminAgency(request);
      const [first] = await departmentsOf(db, agencyId);
      return editorPage(request, reply, { agencyId, values: { ...blank, departmentId: first ? String(first.id) : '' } });
    });

    app.post('/admin/services/new', { schema: { hide: true, body: EditorBody } }, async (request, reply) => {
      if (!request.account) return reply.redirect('/sign-in', 303);
      const agencyId = await adminAgency(request);
      const values = inputFrom(request.body as Record<string, unknown>);
      try {
        const { code } = await saveServiceDraft(db, { accountId: request.account.id, agencyId, input: values });
        return reply.redirect(`/admin/services/${code}/edit?done=saved`, 303);
      } catch (error) {
        if (error instanceof DomainError && error.code === 'VALIDATION_FAILED') return editorPage(request, reply, { agencyId, values, errors: editorErrors(request, error), status: error.status });
        throw error;
      }
    });

    app.get('/admin/services/:code/edit', { schema: { hide: true, params: ServiceCode, querystring: Type.Object({ done: Type.Optional(Type.String({ maxLength: 20 })) }) } }, async (request, reply) => {
      if (!request.account) return reply.redirect(`/sign-in?next=${encodeURIComponent(request.url)}`, 303);
      const { agencyId, version } = await editableVersion(db, { accountId: request.account.id, code: request.params.code });
      const notice = request.query.done === 'saved' ? request.t('catalogue.editor.saved') : undefined;
      return editorPage(request, reply, { agencyId, code: request.params.code, values: inputOf(version), ...(notice ? { notice } : {}) });
    });

    app.post('/admin/services/:code/edit', { schema: { hide: true, params: ServiceCode, body: EditorBody } }, async (request, reply) => {
      if (!request.account) return reply.redirect('/sign-in', 303);
      const { agencyId } = await editableVersion(db, { accountId: request.account.id, code: request.params.code });
      const values = { ...inputFrom(request.body as Record<string, unknown>), code: request.params.code };
      try {
        await saveServiceDraft(db, { accountId: request.account.id, agencyId, existingCode: request.params.code, input: values });
        return reply.redirect(`/admin/services/${request.params.code}/edit?done=saved`, 303);
      } catch (error) {
        if (error instanceof DomainError && error.code === 'VALIDATION_FAILED') return editorPage(request, reply, { agencyId, code: request.params.code, values, errors: editorErrors(request, error), status: error.status });
        throw error;
      }
    });

    app.get('/admin/services/:code/preview', { schema: { hide: true, params: ServiceCode } }, async (request, reply) => {
      if (!request.account) return reply.redirect(`/sign-in?next=${encodeURIComponent(request.url)}`, 303);
      const { version } = await editableVersion(db, { accountId: request.account.id, code: request.params.code });
      const ctx = await pageContext(request, reply);
      return reply.page(h(ServicePreviewPage, { ctx, service: version }));
    });

    app.post('/admin/services/:code/publish', { schema: { hide: true, params: ServiceCode } }, async (request, reply) => {
      if (!request.account) return reply.redirect('/sign-in', 303);
      await publishService(db, { accountId: request.account.id, code: request.params.code });
      return reply.redirect('/admin/services?done=published', 303);
    });

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
