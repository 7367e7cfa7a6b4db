import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';
import { loggedStepsOf } from './logged-steps.ts';
import fastifyMultipart from '@fastify/multipart';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { h } from 'preact';
import { CSRF_SLOT, fillTokenSlots, renderPage, tokenSlots } from '../../platform/views/render.ts';
import type { Db } from '../../platform/db/database.ts';
import type { PageContextFactory } from '../../platform/http/platform.ts';
import { DomainError, fieldMessages } from '../../platform/http/errors.ts';
import { findPublishedService, findServiceVersion, type ServiceVersion } from '../catalogue/index.ts';
import { businessesActingFor, departmentOfficials, departmentsOf, type AgencyDirectory } from '../identity/index.ts';
import { startApplication } from './start-application.ts';
import { saveDraft } from './save-draft.ts';
import { submitApplication } from './submit-application.ts';
import { ownApplication } from './own-application.ts';
import { withdrawApplication } from './withdraw-application.ts';
import { resubmitApplication } from './resubmit-application.ts';
import { heldApplication, rolesIn, takeAction, worksIn } from './take-action.ts';
import { listWorkQueue } from './list-work-queue.ts';
import { giveFeedback } from './give-feedback.ts';
import { readsOf, recordRead } from './record-read.ts';
import { ATTACHMENT_MAX_BYTES, attachmentContent, attachmentsOf, removeAttachment, uploadAttachment, uploadOptions, type UploadedFile } from './attachments.ts';
import { AttachmentsSection } from './views/attachments-section.tsx';
import { processingRecord } from './service-figures.ts';
import { IntegrityPage } from './views/integrity-page.tsx';
import type { FeedbackState } from './views/feedback-form.tsx';
import { applicationsOf, findApplication, holidaySet, stepsOf, type ApplicationRow, type StepRow } from './repository.ts';
import { allowedActions, actions, decisions, type Action, type Status } from './workflow.ts';
import { deadlineOf, localToday, workingDaysBetween } from './working-days.ts';
import type { StepEvents } from './step-events.ts';
import { StartPage } from './views/start-page.tsx';
import { FormPage } from './views/form-page.tsx';
import { ReviewPage } from './views/review-page.tsx';
import { MyApplicationsPage } from './views/my-applications-page.tsx';
import { ApplicationPage } from './views/application-page.tsx';
import { WorkQueuePage } from './views/work-queue-page.tsx';
import { OfficialActions } from './views/official-actions.tsx';
import type { TimelineStep } from './views/timeline.tsx';
import { loadActor } from '../identity/index.ts';

export interface ApplicationRouteDeps {
  db: Db;
  pageContext: PageContextFactory;
  directory: AgencyDirectory;
  timeZone: string;
  events: StepEvents;
}

const Id = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const Code = Type.Object({ code: Type.String({ pattern: '^[a-z0-9-]{3,60}$' }) });
/** Form posts: the answers are checked against the service's own schema, not this one. */
const AnyForm = Type.Record(Type.String(), Type.Union([Type.String({ maxLength: 10_000 }), Type.Array(Type.String({ maxLength: 10_000 }))]));

const messages = (request: FastifyRequest, error: DomainError) => fieldMessages(request.t, error) ?? [{ field: 'form', message: request.t(error.messageKey, error.details.params) }];
const isUserError = (error: unknown): error is DomainError => error instanceof DomainError && error.status < 500;
const signIn = (reply: FastifyReply, next: string) => reply.redirect(`/sign-in?next=${encodeURIComponent(next)}`, 303);

export function applicationRoutes(deps: ApplicationRouteDeps): FastifyPluginAsyncTypebox {
  const { db, pageContext, directory, timeZone, events } = deps;
  const assets = path.join(path.dirname(fileURLToPath(import.meta.url)), 'assets');
  const departmentName = (locale: 'ko' | 'en') => (id: number) => directory.department(locale, id)?.department.name ?? '';

  // The day now in the deployment's zone, for "days left" on screen (deadlines themselves
  // come from steps stamped by the database clock).
  const today = async (): Promise<string> => localToday(timeZone);

  const timeline = (steps: StepRow[], locale: 'ko' | 'en'): TimelineStep[] =>
    steps.map((s) => ({
      seq: s.seq, action: s.action, statusAfter: s.status_after, actorKind: s.actor_kind, actorName: s.actor_name,
      departmentName: s.actor_kind === 'official' && s.department_id ? departmentName(locale)(s.department_id) : null,
      assisted: s.assisted_by_account_id !== null, note: s.note, details: s.details, recordedAt: s.recorded_at,
    }));

  async function deadlineView(application: ApplicationRow, steps: StepRow[], service: ServiceVersion) {
    const holidays = await holidaySet(db);
    const deadline = deadlineOf(steps.map((s) => ({ action: s.action, recordedAt: s.recorded_at })), service.periodDays, holidays, timeZone);
    const open = ['submitted', 'in-review'].includes(application.status);
    return { ...deadline, daysLeft: deadline.due && open ? workingDaysBetween(await today(), deadline.due, holidays) : null };
  }

  return async (app) => {
    await app.register(fastifyStatic, { root: assets, prefix: '/assets/applications/', decorateReply: false, index: false, maxAge: '1h' });
    // Uploads: one file per request.
    await app.register(fastifyMultipart, uploadOptions(1));

    // ----- starting -----

    async function startPage(request: FastifyRequest, reply: FastifyReply, service: ServiceVersion, errors: Array<{ field: string; message: string }> = [], status = 200) {
      const businesses = (await businessesActingFor(db, request.account!.id)).map((b) => ({ id: b.id, name: request.locale === 'ko' ? b.nameKo : b.nameEn, registrationNo: b.registrationNo }));
      const ctx = await pageContext(request, reply, { form: true });
      return reply.page(h(StartPage, { ctx, service, businesses, errors }), status);
    }

    app.get('/services/:code/apply', { schema: { hide: true, params: Code } }, async (request, reply) => {
      if (!request.account) return signIn(reply, request.url);
      const service = await findPublishedService(db, request.params.code);
      if (!service) throw new DomainError('NOT_FOUND');
      return startPage(request, reply, service);
    });

    app.post('/services/:code/apply', { schema: { hide: true, params: Code, body: Type.Object({ businessId: Type.Optional(Type.String({ maxLength: 20 })), _csrf: Type.Optional(Type.String()) }) } }, async (request, reply) => {
      if (!request.account) return signIn(reply, `/services/${request.params.code}/apply`);
      const businessId = request.body.businessId && /^\d+$/.test(request.body.businessId) ? Number(request.body.businessId) : null;
      try {
        const { applicationId } = await startApplication(db, { accountId: request.account.id, serviceCode: request.params.code, businessId, requestId: request.id, ip: request.ip });
        return reply.redirect(`/applications/${applicationId}/edit`, 303);
      } catch (error) {
        if (!isUserError(error) || error.code === 'NOT_FOUND') throw error;
        const service = await findPublishedService(db, request.params.code);
        return startPage(request, reply, service!, [{ field: 'businessId', message: request.t(error.messageKey) }], error.status);
      }
    });

    // ----- the form, page by page -----

    const draftOf = (request: FastifyRequest, id: number) => ownApplication(db, id, request.account!.id);

    app.get('/applications/:id/edit', { schema: { hide: true, params: Id } }, async (request, reply) => {
      if (!request.account) return signIn(reply, request.url);
      const { application, service } = await draftOf(request, request.params.id);
      if (application.status !== 'draft') return reply.redirect(`/applications/${application.id}`, 303);
      return reply.redirect(`/applications/${application.id}/edit/${service.form.sections[0]!.id}`, 303);
    });

    app.get('/applications/:id/edit/:section', { schema: { hide: true, params: Type.Object({ id: Type.Integer({ minimum: 1 }), section: Type.String({ maxLength: 60 }) }), querystring: Type.Object({ saved: Type.Optional(Type.String()) }) } }, async (request, reply) => {
      if (!request.account) return signIn(reply, request.url);
      const { application, service } = await draftOf(request, request.params.id);
      if (application.status !== 'draft') return reply.redirect(`/applications/${application.id}`, 303);
      const index = service.form.sections.findIndex((s) => s.id === request.params.section);
      if (index < 0) throw new DomainError('NOT_FOUND');
      const ctx = await pageContext(request, reply, { form: true });
      const notice = request.query.saved ? request.t('applications.saved') : undefined;
      return reply.page(h(FormPage, { ctx, applicationId: application.id, service, sectionIndex: index, answers: application.answers, errors: [], ...(notice ? { notice } : {}) }));
    });

    app.post('/applications/:id/edit/:section', { schema: { hide: true, params: Type.Object({ id: Type.Integer({ minimum: 1 }), section: Type.String({ maxLength: 60 }) }), body: AnyForm } }, async (request, reply) => {
      if (!request.account) return signIn(reply, `/applications/${request.params.id}/edit`);
      const { id, section } = request.params;
      const body = request.body as Record<string, unknown>;
      const { answers, errors } = await saveDraft(db, { applicationId: id, accountId: request.account.id, sectionId: section, input: body });
      const { service } = await draftOf(request, id);
      const index = service.form.sections.findIndex((s) => s.id === section);
      const go = body.go;
      if (go === 'save') return reply.redirect(`/applications/${id}/edit/${section}?saved=1`, 303);
      if (go === 'back') return reply.redirect(`/applications/${id}/edit/${service.form.sections[Math.max(0, index - 1)]!.id}`, 303);
      if (errors.length) {
        const ctx = await pageContext(request, reply, { form: true });
        const typed = Object.fromEntries(Object.entries(body).filter(([k]) => k !== '_csrf' && k !== 'go'));
        return reply.page(h(FormPage, { ctx, applicationId: id, service, sectionIndex: index, answers, typed, errors: errors.map((e) => ({ field: e.field, message: request.t(e.messageKey, e.params) })) }), 422);
      }
      const next = service.form.sections[index + 1];
      return reply.redirect(next ? `/applications/${id}/edit/${next.id}` : `/applications/${id}/review`, 303);
    });

    async function reviewPage(request: FastifyRequest, reply: FastifyReply, id: number, errors: Array<{ field: string; messageKey: string; params?: Record<string, string | number> }> = [], status = 200, extra: { attachmentError?: string; notice?: string } = {}) {
      const { application, service } = await draftOf(request, id);
      if (application.status !== 'draft') return reply.redirect(`/applications/${id}`, 303);
      const business = application.business_id ? (await businessesActingFor(db, request.account!.id)).find((b) => b.id === application.business_id) : undefined;
      const sectionOf = (field: string) => service.form.sections.find((s) => s.fields.some((f) => f.name === field))?.id ?? '';
      const ctx = await pageContext(request, reply, { form: true });
      const attachments = h(AttachmentsSection, { ctx, applicationId: id, base: `/applications/${id}/attachments`, documents: service.documents, attachments: await attachmentsOf(db, id), editable: true, error: extra.attachmentError, maxMb: ATTACHMENT_MAX_BYTES / 1024 / 1024 });
      return reply.page(
        h(ReviewPage, {
          ctx, applicationId: id, service, answers: application.answers, businessName: business ? (request.locale === 'ko' ? business.nameKo : business.nameEn) : null,
          errors: errors.map((e) => ({ field: e.field, section: sectionOf(e.field), message: request.t(e.messageKey, e.params) })), attachments, notice: extra.notice,
        }),
        status,
      );
    }

    app.get('/applications/:id/review', { schema: { hide: true, params: Id, querystring: Type.Object({ done: Type.Optional(Type.String({ maxLength: 20 })) }) } }, async (request, reply) => {
      if (!request.account) return signIn(reply, request.url);
      const done = request.query.done;
      return reviewPage(request, reply, request.params.id, [], 200, done === 'attached' || done === 'removed' ? { notice: request.t(`applications.attachment.${done === 'attached' ? 'added' : 'removed'}`) } : {});
    });

    // ----- attachments -----

    app.post('/applications/:id/attachments', { schema: { hide: true, params: Id } }, async (request, reply) => {
      if (!request.account) return signIn(reply, `/applications/${request.params.id}`);
      const id = request.params.id;
      const body = (request.body ?? {}) as { document?: unknown; file?: UploadedFile };
      const file = body.file && typeof body.file === 'object' ? body.file : { filename: '', bytes: Buffer.alloc(0), truncated: false };
      const { application } = await ownApplication(db, id, request.account.id);
      const back = application.status === 'draft' ? `/applications/${id}/review` : `/applications/${id}`;
      try {
        await uploadAttachment(db, { applicationId: id, accountId: request.account.id, document: typeof body.document === 'string' ? body.document : '', filename: file.filename, bytes: file.bytes, truncated: file.truncated });
      } catch (error) {
        if (isUserError(error) && error.code === 'VALIDATION_FAILED') {
          const message = messages(request, error)[0]!.message;
          return application.status === 'draft' ? reviewPage(request, reply, id, [], error.status, { attachmentError: message }) : applicantPage(request, reply, id, { attachmentError: message, status: error.status });
        }
        throw error;
      }
      return reply.redirect(`${back}?done=attached#attachments`, 303);
    });

    app.post('/applications/:id/attachments/:attachmentId/remove', { schema: { hide: true, params: Type.Object({ id: Type.Integer({ minimum: 1 }), attachmentId: Type.Integer({ minimum: 1 }) }) } }, async (request, reply) => {
      if (!request.account) return signIn(reply, `/applications/${request.params.id}`);
      const { id, attachmentId } = request.params;
      const { application } = await ownApplication(db, id, request.account.id);
      await removeAttachment(db, { applicationId: id, accountId: request.account.id, attachmentId });
      return reply.redirect(`${application.status === 'draft' ? `/applications/${id}/review` : `/applications/${id}`}?done=removed#attachments`, 303);
    });

    const sendFile = (reply: FastifyReply, file: { filename: string; contentType: string; content: Uint8Array }) =>
      reply
        .type(file.contentType)
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.filename)}`)
        .header('cache-control', 'private, no-store')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .send(Buffer.from(file.content));

    app.get('/applications/:id/attachments/:attachmentId', { schema: { hide: true, params: Type.Object({ id: Type.Integer({ minimum: 1 }), attachmentId: Type.Integer({ minimum: 1 }) }) } }, async (request, reply) => {
      if (!request.account) return signIn(reply, request.url);
      await ownApplication(db, request.params.id, request.account.id);
      const file = await attachmentContent(db, request.params.id, request.params.attachmentId);
      if (!file) throw new DomainError('NOT_FOUND');
      return sendFile(reply, file);
    });

    app.get('/work/applications/:id/attachments/:attachmentId', { schema: { hide: true, params: Type.Object({ id: Type.Integer({ minimum: 1 }), attachmentId: Type.Integer({ minimum: 1 }) }) } }, async (request, reply) => {
      if (!request.account) return signIn(reply, request.url);
      const { actor, application } = await heldApplication(db, request.params.id, request.account.id);
      const file = await attachmentContent(db, request.params.id, request.params.attachmentId);
      if (!file) throw new DomainError('NOT_FOUND');
      await recordRead(db, { application, official: actor, requestId: request.id, ip: request.ip });
      return sendFile(reply, file);
    });

    app.post('/applications/:id/submit', { schema: { hide: true, params: Id } }, async (request, reply) => {
      if (!request.account) return signIn(reply, `/applications/${request.params.id}/review`);
      try {
        await submitApplication(db, { applicationId: request.params.id, accountId: request.account.id, timeZone, requestId: request.id, ip: request.ip });
      } catch (error) {
        if (isUserError(error) && error.code === 'VALIDATION_FAILED') return reviewPage(request, reply, request.params.id, error.details.fields ?? [], error.status);
        throw error;
      }
      return reply.redirect(`/applications/${request.params.id}?done=submitted`, 303);
    });

    // ----- my applications -----

    app.get('/applications', { schema: { hide: true } }, async (request, reply) => {
      if (!request.account) return signIn(reply, '/applications');
      const rows = await applicationsOf(db, request.account.id);
      const holidays = await holidaySet(db);
      const day = await today();
      const items = [];
      for (const r of rows) {
        const service = await findServiceVersion(db, r.service_id, r.service_version);
        items.push({
          id: r.id, receiptNo: r.receipt_no, serviceName: service?.name[request.locale] ?? '', status: r.status, dueDate: r.due_date,
          daysLeft: r.due_date && ['submitted', 'in-review'].includes(r.status) ? workingDaysBetween(day, r.due_date, holidays) : null,
        });
      }
      const ctx = await pageContext(request, reply);
      return reply.page(h(MyApplicationsPage, { ctx, items, timeZone }));
    });

    // An applicant's own page, as most requests for it find it, is rendered once and served
    // again until anything on it changes (the database announces every change, from any
    // instance) or ten seconds pass. Only the session's CSRF token differs per request.
    const PAGE_MS = 10_000;
    // Kept as UTF-8 bytes between CSRF slots (render.ts).
    const pages = new Map<number, Map<string, { parts: Buffer[]; owner: number; at: number }>>();
    const changedAt = new Map<number, number>();
    events.onAny((applicationId) => {
      pages.delete(applicationId);
      if (changedAt.size >= 20_000) changedAt.clear();
      changedAt.set(applicationId, Date.now());
    });

    async function applicantPage(request: FastifyRequest, reply: FastifyReply, id: number, extra: { notice?: string; amend?: { typed: Record<string, unknown>; errors: Array<{ field: string; message: string }> }; feedback?: Omit<FeedbackState, 'given'>; attachmentError?: string; status?: number } = {}) {
      const plain = Object.keys(extra).length === 0;
      const variant = `${request.locale}|${localToday(timeZone)}`;
      const kept = plain ? pages.get(id)?.get(variant) : undefined;
      if (kept && kept.owner === request.account!.id && request.session && Date.now() - kept.at < PAGE_MS) {
        return reply.pageHtml(fillTokenSlots(kept.parts, request.session.csrfToken));
      }
      const startedAt = Date.now();
      const { application, service } = await ownApplication(db, id, request.account!.id);
      if (application.status === 'draft') return reply.redirect(`/applications/${id}/edit`, 303);
      // The rest of the page's reads go out together: on the embedded database each waits its
      // turn behind whatever is queued there (submissions, under load), once for all of them
      // rather than once each.
      const [steps, officialReads, feedbackGiven, attachmentRows] = await Promise.all([
        stepsOf(db, id),
        readsOf(db, id),
        decisions.has(application.status as Status) ? db.selectFrom('application_feedback').select('application_id').where('application_id', '=', id).executeTakeFirst() : undefined,
        attachmentsOf(db, id),
      ]);
      const deadline = await deadlineView(application, steps, service);
      const lastRequest = [...steps].reverse().find((s) => s.action === 'request-supplement');
      const reads = officialReads.map((r) => ({ name: r.officialName, department: r.departmentId ? departmentName(request.locale)(r.departmentId) : '', at: r.at }));
      const feedback = decisions.has(application.status as Status) ? { given: !!feedbackGiven, values: extra.feedback?.values ?? {}, errors: extra.feedback?.errors ?? [] } : undefined;
      const realCtx = await pageContext(request, reply, { form: true });
      const ctx = plain ? { ...realCtx, csrfToken: CSRF_SLOT } : realCtx;
      const attachments = h(AttachmentsSection, { ctx, applicationId: id, base: `/applications/${id}/attachments`, documents: service.documents, attachments: attachmentRows, editable: application.status === 'awaiting-supplement', error: extra.attachmentError, maxMb: ATTACHMENT_MAX_BYTES / 1024 / 1024 });
      const html = renderPage(
        h(ApplicationPage, {
          ctx, id, receiptNo: application.receipt_no, service, status: application.status, answers: application.answers, steps: timeline(steps, request.locale), attachments,
          dueDate: deadline.due, paused: deadline.paused, daysLeft: deadline.daysLeft, applicantView: true,
          canWithdraw: allowedActions(application.status as Status, 'applicant').includes('withdraw'),
          supplementRequest: lastRequest?.note ?? null, amend: extra.amend, notice: extra.notice, feedback, reads, timeZone, departmentName: departmentName(request.locale),
        }),
      );
      if (plain && (changedAt.get(id) ?? 0) < startedAt) {
        // Kept only if nothing was announced since reading began.
        let byVariant = pages.get(id);
        if (!byVariant) {
          if (pages.size >= 20_000) pages.clear();
          byVariant = new Map();
          pages.set(id, byVariant);
        }
        byVariant.set(variant, { parts: tokenSlots(html), owner: request.account!.id, at: startedAt });
      }
      return reply.pageHtml(plain ? html.replaceAll(CSRF_SLOT, realCtx.csrfToken ?? '') : html, extra.status ?? 200);
    }

    app.get('/applications/:id', { schema: { hide: true, params: Id, querystring: Type.Object({ done: Type.Optional(Type.String({ maxLength: 20 })) }) } }, async (request, reply) => {
      if (!request.account) return signIn(reply, request.url);
      const done = request.query.done;
      const notice = done && ['submitted', 'withdrawn', 'resubmitted', 'feedback'].includes(done) ? request.t(`applications.done.${done}`) : done === 'attached' ? request.t('applications.attachment.added') : done === 'removed' ? request.t('applications.attachment.removed') : undefined;
      return applicantPage(request, reply, request.params.id, notice ? { notice } : {});
    });

    app.post('/applications/:id/withdraw', { schema: { hide: true, params: Id } }, async (request, reply) => {
      if (!request.account) return signIn(reply, `/applications/${request.params.id}`);
      await withdrawApplication(db, { applicationId: request.params.id, accountId: request.account.id, timeZone, requestId: request.id, ip: request.ip });
      return reply.redirect(`/applications/${request.params.id}?done=withdrawn`, 303);
    });

    app.post('/applications/:id/resubmit', { schema: { hide: true, params: Id, body: AnyForm } }, async (request, reply) => {
      if (!request.account) return signIn(reply, `/applications/${request.params.id}`);
      const body = request.body as Record<string, unknown>;
      try {
        await resubmitApplication(db, { applicationId: request.params.id, accountId: request.account.id, input: body, note: typeof body.note === 'string' ? body.note : '', timeZone, requestId: request.id, ip: request.ip });
      } catch (error) {
        if (isUserError(error) && error.code === 'VALIDATION_FAILED') {
          const typed = Object.fromEntries(Object.entries(body).filter(([k]) => k !== '_csrf'));
          return applicantPage(request, reply, request.params.id, { amend: { typed, errors: messages(request, error) }, status: error.status });
        }
        throw error;
      }
      return reply.redirect(`/applications/${request.params.id}?done=resubmitted`, 303);
    });

    app.post(
      '/applications/:id/feedback',
      { schema: { hide: true, params: Id, body: Type.Object({ satisfaction: Type.Optional(Type.String({ maxLength: 2 })), improperRequest: Type.Optional(Type.String({ maxLength: 5 })), improperDetail: Type.Optional(Type.String({ maxLength: 2000 })), comment: Type.Optional(Type.String({ maxLength: 2000 })), _csrf: Type.Optional(Type.String()) }) } },
      async (request, reply) => {
        if (!request.account) return signIn(reply, `/applications/${request.params.id}`);
        const { satisfaction, improperRequest, improperDetail, comment } = request.body;
        try {
          await giveFeedback(db, { applicationId: request.params.id, accountId: request.account.id, satisfaction, improperRequest, improperDetail, comment });
        } catch (error) {
          if (isUserError(error) && error.code === 'VALIDATION_FAILED') {
            const values = Object.fromEntries(Object.entries({ satisfaction, improperRequest, improperDetail, comment }).filter((e): e is [string, string] => typeof e[1] === 'string'));
            return applicantPage(request, reply, request.params.id, { feedback: { values, errors: messages(request, error) }, status: error.status });
          }
          throw error;
        }
        return reply.redirect(`/applications/${request.params.id}?done=feedback`, 303);
      },
    );

    app.get('/integrity', { schema: { hide: true } }, async (request, reply) => {
      const departments = [];
      for (const agency of directory.list(request.locale)) {
        for (const department of agency.departments) {
          const figures = await processingRecord(db, { departmentId: department.id }, timeZone);
          if (figures.decided > 0 || figures.thisMonth > 0) departments.push({ name: `${agency.name} ${department.name}`, figures });
        }
      }
      const ctx = await pageContext(request, reply);
      return reply.page(h(IntegrityPage, { ctx, departments }));
    });

    // The applicant's own steps as the public log holds them, for the check in the browser:
    // the leaf, and the salt and record that hash to its content hash (only the owner sees these).
    app.get('/applications/:id/log', { schema: { hide: true, params: Id } }, async (request, reply) => {
      if (!request.account) return reply.code(401).send({ error: { code: 'UNAUTHENTICATED' } });
      const steps = await loggedStepsOf(db, request.params.id, request.account.id);
      return reply.header('cache-control', 'no-store').send({ steps });
    });

    // Live timeline: the page reloads its timeline when a step is recorded (Server-Sent Events).
    app.get('/applications/:id/events', { schema: { hide: true, params: Id } }, async (request, reply) => {
      if (!request.account) throw new DomainError('UNAUTHENTICATED');
      const application = await findApplication(db, request.params.id);
      const official = application ? await loadActor(db, request.account.id) : undefined;
      const mayWatch = application && (application.applicant_account_id === request.account.id || worksIn(official, application.agency_id, application.department_id));
      if (!mayWatch) throw new DomainError('NOT_FOUND');
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
      res.write('retry: 5000\n\n');
      const unsubscribe = events.subscribe(request.params.id, () => res.write(`event: step\ndata: ${request.params.id}\n\n`));
      const ping = setInterval(() => res.write(': ping\n\n'), 25_000);
      request.raw.on('close', () => {
        clearInterval(ping);
        unsubscribe();
      });
    });

    // ----- officials -----

    app.get(
      '/work',
      { schema: { hide: true, querystring: Type.Object({ status: Type.String({ maxLength: 30, default: 'open' }), sort: Type.Union([Type.Literal('due'), Type.Literal('submitted')], { default: 'due' }), mine: Type.Optional(Type.String({ maxLength: 5 })), assigned: Type.Optional(Type.Integer({ minimum: 0 })), refused: Type.Optional(Type.Integer({ minimum: 0 })) }) } },
      async (request, reply) => {
        if (!request.account) return signIn(reply, '/work');
        const filters = { status: request.query.status, sort: request.query.sort, mine: request.query.mine === '1' };
        const { actor, rows } = await listWorkQueue(db, { accountId: request.account.id, ...filters, timeZone });
        const ctx = await pageContext(request, reply, { form: true });
        const items = rows.map((r) => ({ id: r.id, receiptNo: r.receiptNo, serviceName: r.service.name[request.locale], status: r.status, submittedAt: r.submittedAt, dueDate: r.dueDate, daysLeft: r.daysLeft, assignee: r.assignee, escalated: r.escalated }));
        let head;
        if (rolesIn(actor, actor.agencyId!).includes('head-of-department')) {
          // The whole department's open work, whatever the filter, by who holds it.
          const open = filters.status === 'open' && !filters.mine ? rows : (await listWorkQueue(db, { accountId: request.account.id, status: 'open', sort: 'due', mine: false, timeZone })).rows;
          const byAssignee = new Map<string, { name: string; open: number; overdue: number }>();
          for (const r of open) {
            const entry = byAssignee.get(r.assignee ?? '') ?? { name: r.assignee ?? '', open: 0, overdue: 0 };
            entry.open++;
            if (r.daysLeft !== null && r.daysLeft < 0) entry.overdue++;
            byAssignee.set(r.assignee ?? '', entry);
          }
          const colleagues = (await departmentOfficials(db, actor.agencyId!, actor.departmentId!)).map((c) => ({ id: c.id, name: c.displayName }));
          head = { workload: [...byAssignee.values()].sort((a, b) => b.open - a.open), colleagues };
        }
        const { assigned, refused } = request.query;
        const notice = assigned !== undefined ? request.t('work.bulk.done', { assigned, refused: refused ?? 0 }) : undefined;
        return reply.page(h(WorkQueuePage, { ctx, departmentName: departmentName(request.locale)(actor.departmentId!), items, filters, timeZone, head, notice }));
      },
    );

    app.post('/work/assign', { schema: { hide: true, body: Type.Object({ ids: Type.Optional(Type.Union([Type.String({ maxLength: 20 }), Type.Array(Type.String({ maxLength: 20 }), { maxItems: 500 })])), assigneeId: Type.String({ maxLength: 20 }), _csrf: Type.Optional(Type.String()) }) } }, async (request, reply) => {
      if (!request.account) return signIn(reply, '/work');
      const ids = (Array.isArray(request.body.ids) ? request.body.ids : request.body.ids ? [request.body.ids] : []).filter((x) => /^\d+$/.test(x)).map(Number);
      const assigneeId = /^\d+$/.test(request.body.assigneeId) ? Number(request.body.assigneeId) : 0;
      const actor = await loadActor(db, request.account.id);
      if (!actor || actor.agencyId === null || !rolesIn(actor, actor.agencyId).includes('head-of-department')) throw new DomainError('FORBIDDEN', 'applications.error.role');
      let assigned = 0;
      let refused = 0;
      // Each assignment is its own step, checked on its own (department, status, assignee).
      for (const applicationId of ids) {
        try {
          await takeAction(db, { applicationId, accountId: request.account.id, action: 'assign', assigneeId, timeZone, requestId: request.id, ip: request.ip });
          assigned++;
        } catch (error) {
          if (!isUserError(error)) throw error;
          refused++;
        }
      }
      return reply.redirect(`/work?assigned=${assigned}&refused=${refused}`, 303);
    });

    async function officialPage(request: FastifyRequest, reply: FastifyReply, id: number, extra: { errors?: Array<{ field: string; message: string }>; typed?: { action?: string; note?: string }; notice?: string; status?: number } = {}) {
      const { actor, application } = await heldApplication(db, id, request.account!.id);
      const service = await findServiceVersion(db, application.service_id, application.service_version);
      if (!service) throw new DomainError('NOT_FOUND');
      await recordRead(db, { application, official: actor, requestId: request.id, ip: request.ip });
      const steps = await stepsOf(db, id);
      const deadline = await deadlineView(application, steps, service);
      const roles = rolesIn(actor, application.agency_id);
      const allowed = allowedActions(application.status as Status, 'official', roles);
      const departments = (await departmentsOf(db, application.agency_id)).filter((d) => d.id !== application.department_id).map((d) => ({ id: d.id, name: request.locale === 'ko' ? d.name_ko : d.name_en }));
      const colleagues = (await departmentOfficials(db, application.agency_id, application.department_id)).map((c) => ({ id: c.id, name: c.displayName }));
      const ctx = await pageContext(request, reply, { form: true });
      const actionsPanel = h(OfficialActions, { ctx, applicationId: id, allowed, departments, colleagues, errors: extra.errors ?? [], typed: extra.typed ?? {} });
      const attachments = h(AttachmentsSection, { ctx, applicationId: id, base: `/work/applications/${id}/attachments`, documents: service.documents, attachments: await attachmentsOf(db, id), editable: false, maxMb: ATTACHMENT_MAX_BYTES / 1024 / 1024 });
      return reply.page(
        h(ApplicationPage, {
          ctx, id, receiptNo: application.receipt_no, service, status: application.status, answers: application.answers, steps: timeline(steps, request.locale), attachments,
          dueDate: deadline.due, paused: deadline.paused, daysLeft: deadline.daysLeft, applicantView: false, canWithdraw: false, supplementRequest: null,
          notice: extra.notice, timeZone, departmentName: departmentName(request.locale), children: actionsPanel,
        }),
        extra.status ?? 200,
      );
    }

    app.get('/work/applications/:id', { schema: { hide: true, params: Id, querystring: Type.Object({ done: Type.Optional(Type.String({ maxLength: 30 })) }) } }, async (request, reply) => {
      if (!request.account) return signIn(reply, request.url);
      const done = request.query.done;
      const notice = done && (actions as readonly string[]).includes(done) ? request.t('work.done', { action: request.t(`work.action.${done}`) }) : undefined;
      return officialPage(request, reply, request.params.id, notice ? { notice } : {});
    });

    app.post(
      '/work/applications/:id/actions',
      { schema: { hide: true, params: Id, body: Type.Object({ action: Type.String({ maxLength: 30 }), note: Type.Optional(Type.String({ maxLength: 2000 })), toDepartmentId: Type.Optional(Type.String({ maxLength: 20 })), assigneeId: Type.Optional(Type.String({ maxLength: 20 })), _csrf: Type.Optional(Type.String()) }) } },
      async (request, reply) => {
        if (!request.account) return signIn(reply, `/work/applications/${request.params.id}`);
        const { action, note, toDepartmentId, assigneeId } = request.body;
        if (!(actions as readonly string[]).includes(action)) throw new DomainError('BAD_REQUEST');
        try {
          await takeAction(db, {
            applicationId: request.params.id, accountId: request.account.id, action: action as Action, timeZone, requestId: request.id, ip: request.ip,
            ...(note !== undefined ? { note } : {}), ...(toDepartmentId && /^\d+$/.test(toDepartmentId) ? { toDepartmentId: Number(toDepartmentId) } : {}), ...(assigneeId && /^\d+$/.test(assigneeId) ? { assigneeId: Number(assigneeId) } : {}),
          });
        } catch (error) {
          if (isUserError(error) && (error.code === 'VALIDATION_FAILED' || error.code === 'ACTION_NOT_ALLOWED')) {
            return officialPage(request, reply, request.params.id, { errors: messages(request, error), typed: { action, ...(note !== undefined ? { note } : {}) }, status: error.status });
          }
          throw error;
        }
        // After a forward the application is no longer this department's to show.
        return reply.redirect(action === 'forward' ? '/work' : `/work/applications/${request.params.id}?done=${action}`, 303);
      },
    );
  };
}
