import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fastifyMultipart from '@fastify/multipart';
import type { Db } from '../../platform/db/database.ts';
import { DomainError } from '../../platform/http/errors.ts';
import { listPublishedServices } from '../catalogue/index.ts';
import type { AgencyDirectory } from '../identity/index.ts';
import { sniffType, cleanFilename, uploadOptions, type UploadedFile } from './attachments.ts';
import {
  applicantById, applicationByFileId, completeTask, createFile, eFormById, eFormIdOf, eFormsOf, fileJson, fileListJson, openTasks, operatorById, serviceById, serviceJson,
  statistics, statusOf, taskById, taskJson, updateFile, type FileSubmit,
} from './govstack.ts';

export interface GovstackRouteDeps {
  db: Db;
  directory: AgencyDirectory;
  timeZone: string;
  /** Information Mediator clients allowed in (INSTANCE/CLASS/MEMBER/SUBSYSTEM) */
  clients: string[];
}

export const GOVSTACK_PREFIX = '/govstack/registration';
const IM_HEADER = 'information-mediator-client';
const tags = ['govstack'];

/** A GovStack error body (systemError). */
const systemError = (request: FastifyRequest, code: string, message: string) => ({ traceId: request.id, code, message, localizedMessage: message });

/**
 * The GovStack Registration building block API over Nara's catalogue and applications,
 * for other systems through an Information Mediator (X-Road). The mediator's security
 * server authenticates the caller; Nara admits only the clients named in GOVSTACK_CLIENTS.
 */
export function govstackRoutes(deps: GovstackRouteDeps): FastifyPluginAsyncTypebox {
  const { db, directory, timeZone } = deps;
  const allowed = new Set(deps.clients);
  const english = (request: FastifyRequest) => (/^\s*ko\b/i.test(request.headers['accept-language'] ?? '') ? 'ko' : 'en');
  const place = (departmentId: number, locale: 'ko' | 'en') => {
    const p = directory.department(locale, departmentId);
    return p ? { agency: p.agency.name, department: p.department.name } : undefined;
  };

  /** The calling system, from its Information Mediator header; 400 when malformed, 403 when not admitted. */
  function client(request: FastifyRequest, reply: FastifyReply): string | undefined {
    const value = request.headers[IM_HEADER];
    const header = typeof value === 'string' ? value.trim() : '';
    if (!/^[^/\s]+\/[^/\s]+\/[^/\s]+\/[^/\s]+$/.test(header) || header.includes("'")) {
      void reply.code(400).send(systemError(request, 'BAD_REQUEST', 'The Information-Mediator-Client header must be INSTANCE/CLASS/MEMBER/SUBSYSTEM.'));
      return undefined;
    }
    if (!allowed.has(header)) {
      void reply.code(403).send(systemError(request, 'FORBIDDEN', 'This Information Mediator client is not admitted.'));
      return undefined;
    }
    return header;
  }
  const notFound = (request: FastifyRequest, reply: FastifyReply, what: string) => reply.code(404).send(systemError(request, 'NOT_FOUND', `${what} was not found.`));

  return async (app) => {
    await app.register(fastifyMultipart, uploadOptions(5));
    // Machine clients carry no session: no CSRF token, and the mediator rate-limits them.
    const config = { csrf: false };

    app.get(`${GOVSTACK_PREFIX}/services`, { config, schema: { tags, summary: 'GovStack: published services', querystring: Type.Object({ name: Type.Optional(Type.String({ maxLength: 200 })) }) } }, async (request) => {
      const locale = english(request);
      const wanted = request.query.name?.trim().toLowerCase();
      const services = (await listPublishedServices(db)).filter((s) => !wanted || s.name.en.toLowerCase().includes(wanted) || s.name.ko.toLowerCase().includes(wanted));
      const out = [];
      for (const s of services) out.push(serviceJson(s, locale, place(s.departmentId, locale)));
      return out;
    });

    app.get(`${GOVSTACK_PREFIX}/services/:serviceId`, { config, schema: { tags, summary: 'GovStack: one service', params: Type.Object({ serviceId: Type.String({ maxLength: 100 }) }) } }, async (request, reply) => {
      const service = await serviceById(db, request.params.serviceId);
      if (!service) return notFound(request, reply, 'The service');
      const locale = english(request);
      return serviceJson(service, locale, place(service.departmentId, locale));
    });

    app.get(`${GOVSTACK_PREFIX}/services/:serviceId/eForms`, { config, schema: { tags, summary: "GovStack: a service's e-forms", params: Type.Object({ serviceId: Type.String({ maxLength: 100 }) }) } }, async (request, reply) => {
      const service = await serviceById(db, request.params.serviceId);
      if (!service) return notFound(request, reply, 'The service');
      const locale = english(request);
      return (await eFormsOf(db, service)).map((v) => ({ eFormId: eFormIdOf(v.code, v.version), name: v.name[locale], description: v.summary[locale], version: String(v.version), latest: v.version === service.version }));
    });

    app.get(`${GOVSTACK_PREFIX}/eForms/:eFormId`, { config, schema: { tags, summary: 'GovStack: an e-form with its JSON Schema', params: Type.Object({ eFormId: Type.String({ maxLength: 100 }) }) } }, async (request, reply) => {
      const found = await eFormById(db, request.params.eFormId);
      if (!found) return notFound(request, reply, 'The e-form');
      const locale = english(request);
      return { eFormId: found.id, name: found.version.name[locale], description: found.version.summary[locale], version: String(found.version.version), latest: found.latest, schema: { ...found.version.form.schema, 'x-nara-sections': found.version.form.sections } };
    });

    app.post(
      `${GOVSTACK_PREFIX}/services/:serviceId/applications`,
      { config, schema: { tags, summary: 'GovStack: file an application (submitted at once when the form data is complete)', params: Type.Object({ serviceId: Type.String({ maxLength: 100 }) }), body: Type.Object({ applicantId: Type.String({ minLength: 1, maxLength: 200 }), applicationName: Type.Optional(Type.String({ maxLength: 200 })), created: Type.Optional(Type.String({ maxLength: 40 })), formData: Type.Optional(Type.Object({ data: Type.Optional(Type.Record(Type.String(), Type.Unknown())), eFormId: Type.Optional(Type.String({ maxLength: 100 })) })), documentUrls: Type.Optional(Type.Array(Type.String({ maxLength: 500 }), { maxItems: 20 })) }) } },
      async (request, reply) => {
        const who = client(request, reply);
        if (!who) return reply;
        try {
          const application = await createFile(db, { serviceId: request.params.serviceId, body: request.body as FileSubmit, client: who, timeZone });
          return await fileJson(db, application, { applicationName: request.body.applicationName, created: request.body.created, documentUrls: request.body.documentUrls });
        } catch (error) {
          if (error instanceof DomainError && error.code === 'NOT_FOUND') return notFound(request, reply, 'The service');
          throw error;
        }
      },
    );

    app.get(
      `${GOVSTACK_PREFIX}/applications`,
      { config, schema: { tags, summary: 'GovStack: application files', querystring: Type.Object({ serviceId: Type.Optional(Type.String({ maxLength: 100 })), applicantId: Type.Optional(Type.String({ maxLength: 200 })), firstResult: Type.Optional(Type.Integer({ minimum: 0 })), maxResult: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })), sortBy: Type.Optional(Type.String({ maxLength: 30 })), sortOrder: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')])) }) } },
      async (request, reply) => {
        if (!client(request, reply)) return reply;
        const q = request.query;
        let query = db.selectFrom('applications').selectAll().where('status', '<>', 'draft');
        if (q.serviceId !== undefined) {
          const service = await serviceById(db, q.serviceId);
          if (!service) return [];
          query = query.where('service_id', '=', service.serviceId);
        }
        if (q.applicantId !== undefined) {
          const account = await applicantById(db, q.applicantId);
          if (account === undefined) return [];
          query = query.where('applicant_account_id', '=', account);
        }
        const order = q.sortOrder ?? 'desc';
        query = q.sortBy === 'registered' ? query.orderBy('submitted_at', order) : query.orderBy('created_at', order);
        const rows = await query.offset(q.firstResult ?? 0).limit(q.maxResult ?? 50).execute();
        return fileListJson(db, rows);
      },
    );

    app.get(`${GOVSTACK_PREFIX}/applications/:fileId`, { config, schema: { tags, summary: 'GovStack: one application file', params: Type.Object({ fileId: Type.String({ maxLength: 200 }) }) } }, async (request, reply) => {
      if (!client(request, reply)) return reply;
      const application = await applicationByFileId(db, request.params.fileId);
      if (!application) return notFound(request, reply, 'The application file');
      return fileJson(db, application);
    });

    app.put(
      `${GOVSTACK_PREFIX}/applications/:fileId`,
      { config, schema: { tags, summary: "GovStack: an operator system's input to a file (a draft, or a file sent back for supplement)", params: Type.Object({ fileId: Type.String({ maxLength: 200 }) }), body: Type.Object({ applicantId: Type.String({ minLength: 1, maxLength: 200 }), applicationName: Type.Optional(Type.String({ maxLength: 200 })), created: Type.Optional(Type.String({ maxLength: 40 })), formData: Type.Optional(Type.Object({ data: Type.Optional(Type.Record(Type.String(), Type.Unknown())), eFormId: Type.Optional(Type.String({ maxLength: 100 })) })), documentUrls: Type.Optional(Type.Array(Type.String({ maxLength: 500 }), { maxItems: 20 })) }) } },
      async (request, reply) => {
        if (!client(request, reply)) return reply;
        try {
          const application = await updateFile(db, { fileId: request.params.fileId, body: request.body as FileSubmit, timeZone });
          return await fileJson(db, application, { applicationName: request.body.applicationName, created: request.body.created, documentUrls: request.body.documentUrls });
        } catch (error) {
          if (error instanceof DomainError && error.code === 'NOT_FOUND') return notFound(request, reply, 'The application file');
          throw error;
        }
      },
    );

    app.get(
      `${GOVSTACK_PREFIX}/tasks`,
      { config, schema: { tags, summary: "GovStack: operators' open tasks", querystring: Type.Object({ mainTaskId: Type.Optional(Type.String({ maxLength: 200 })), fileId: Type.Optional(Type.String({ maxLength: 200 })), assigneeId: Type.Optional(Type.String({ maxLength: 200 })), firstResult: Type.Optional(Type.Integer({ minimum: 0 })), maxResult: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })), sortBy: Type.Optional(Type.String({ maxLength: 30 })), sortOrder: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')])) }) } },
      async (request, reply) => {
        if (!client(request, reply)) return reply;
        const q = request.query;
        let tasks = await taskJson(db, await openTasks(db));
        if (q.fileId !== undefined) tasks = tasks.filter((t) => t.fileId === q.fileId);
        if (q.mainTaskId !== undefined) tasks = tasks.filter((t) => t.mainTaskId === q.mainTaskId);
        if (q.assigneeId !== undefined) {
          const operator = await operatorById(db, q.assigneeId);
          tasks = operator === undefined ? [] : tasks.filter((t) => t.app.assignee_account_id === operator);
        }
        if (q.sortOrder === 'desc') tasks.reverse();
        return tasks.slice(q.firstResult ?? 0, (q.firstResult ?? 0) + (q.maxResult ?? 50)).map((t) => t.json);
      },
    );

    app.get(`${GOVSTACK_PREFIX}/tasks/:taskId`, { config, schema: { tags, summary: 'GovStack: one task with its form data', params: Type.Object({ taskId: Type.String({ maxLength: 200 }) }) } }, async (request, reply) => {
      // The building block's spec names no mediator header here; Nara requires it, as the
      // task carries the applicant's answers.
      if (!client(request, reply)) return reply;
      const application = await taskById(db, request.params.taskId);
      if (!application) return notFound(request, reply, 'The task');
      const [task] = await taskJson(db, [application]);
      const { mainTaskId: _main, name, ...rest } = task!.json;
      return { ...rest, taskId: request.params.taskId, taskName: name, formVariables: {}, data: Object.fromEntries(Object.entries(application.answers).map(([k, v]) => [k, { value: v }])) };
    });

    app.post(
      `${GOVSTACK_PREFIX}/tasks/:taskId/complete`,
      { config, schema: { tags, summary: 'GovStack: complete a task (the assigned official receives or decides the application)', params: Type.Object({ taskId: Type.String({ maxLength: 200 }) }), body: Type.Object({ data: Type.Optional(Type.Record(Type.String(), Type.Unknown())) }) } },
      async (request, reply) => {
        // Completing a task decides an application: only an admitted client may ask.
        if (!client(request, reply)) return reply;
        try {
          const { after } = await completeTask(db, { taskId: request.params.taskId, data: request.body.data ?? {}, timeZone });
          const [file] = await fileListJson(db, [after]);
          return { taskId: request.params.taskId, fileId: file!.fileId, serviceId: file!.serviceId, status: statusOf(after.status), variables: {} };
        } catch (error) {
          if (error instanceof DomainError && error.code === 'NOT_FOUND') return notFound(request, reply, 'The task');
          throw error;
        }
      },
    );

    app.post(`${GOVSTACK_PREFIX}/documents`, { config, schema: { tags, summary: 'GovStack: upload a document (PDF, PNG or JPEG) to reference from an application', querystring: Type.Object({ additionalMetadata: Type.Optional(Type.String({ maxLength: 1000 })) }) } }, async (request, reply) => {
      const who = client(request, reply);
      if (!who) return reply;
      const body = (request.isMultipart() ? request.body : undefined) as { file?: unknown } | undefined;
      const files = (Array.isArray(body?.file) ? body.file : body?.file ? [body.file] : []) as UploadedFile[];
      const file = files[0];
      if (!file || file.bytes.length === 0) return reply.code(400).send(systemError(request, 'BAD_REQUEST', 'No file was sent.'));
      const type = sniffType(file.bytes);
      if (file.truncated || !type) return reply.code(400).send(systemError(request, 'BAD_REQUEST', file.truncated ? 'The file is larger than 10 MB.' : 'Only PDF, PNG and JPEG files are accepted.'));
      const { id } = await db
        .insertInto('govstack_documents')
        .values({ client: who, filename: cleanFilename(file.filename), content_type: type, size_bytes: file.bytes.length, content: file.bytes, metadata: request.query.additionalMetadata ?? null })
        .returning('id')
        .executeTakeFirstOrThrow();
      return { code: 200, type, message: 'File uploaded', url: `${GOVSTACK_PREFIX}/documents/${id}` };
    });

    app.get(
      `${GOVSTACK_PREFIX}/data/statistics/1.0`,
      { config, schema: { tags, summary: 'GovStack: processing statistics', querystring: Type.Object({ startDate: Type.Optional(Type.String({ format: 'date' })), endDate: Type.Optional(Type.String({ format: 'date' })), registrationName: Type.Optional(Type.String({ maxLength: 200 })), operator: Type.Optional(Type.String({ maxLength: 200 })), role: Type.Optional(Type.String({ maxLength: 100 })), timeframe: Type.Optional(Type.Union([Type.Literal('day'), Type.Literal('week'), Type.Literal('month'), Type.Literal('year')])) }) } },
      async (request, reply) => {
        if (!client(request, reply)) return reply;
        try {
          return await statistics(db, request.query, timeZone);
        } catch (error) {
          if (error instanceof DomainError && error.code === 'NOT_FOUND') return notFound(request, reply, 'The registration');
          throw error;
        }
      },
    );

  };
}
