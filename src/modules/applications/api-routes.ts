import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { Db } from '../../platform/db/database.ts';
import { DomainError } from '../../platform/http/errors.ts';
import { findServiceVersion } from '../catalogue/index.ts';
import { loadActor } from '../identity/index.ts';
import { startApplication } from './start-application.ts';
import { saveDraft } from './save-draft.ts';
import { submitApplication } from './submit-application.ts';
import { withdrawApplication } from './withdraw-application.ts';
import { resubmitApplication } from './resubmit-application.ts';
import { giveFeedback } from './give-feedback.ts';
import { takeAction, worksIn } from './take-action.ts';
import { listWorkQueue } from './list-work-queue.ts';
import { recordRead } from './record-read.ts';
import { applicationsOf, findApplication, stepsOf, type ApplicationRow, type StepRow } from './repository.ts';
import { actions, statuses, type Action, type Status } from './workflow.ts';

export interface ApplicationApiDeps {
  db: Db;
  timeZone: string;
}

const StatusSchema = Type.Unsafe<Status>({ type: 'string', enum: [...statuses] });
const ActionSchema = Type.Unsafe<Action>({ type: 'string', enum: [...actions] });
const Answer = Type.Union([Type.String({ maxLength: 10_000 }), Type.Number(), Type.Boolean()]);
const Answers = Type.Record(Type.String({ maxLength: 100 }), Answer);
const Step = Type.Object({
  seq: Type.Integer(),
  action: ActionSchema,
  status: StatusSchema,
  actor: Type.Object({ kind: Type.Union([Type.Literal('applicant'), Type.Literal('official'), Type.Literal('system')]), name: Type.Union([Type.String(), Type.Null()]), assisted: Type.Boolean() }),
  departmentId: Type.Union([Type.Integer(), Type.Null()]),
  note: Type.Union([Type.String(), Type.Null()]),
  details: Type.Record(Type.String(), Type.Unknown()),
  recordedAt: Type.String({ format: 'date-time' }),
});
const Application = Type.Object({
  id: Type.Integer(),
  receiptNo: Type.Union([Type.String(), Type.Null()]),
  service: Type.Object({ code: Type.String(), version: Type.Integer(), name: Type.Object({ ko: Type.String(), en: Type.String() }) }),
  status: StatusSchema,
  departmentId: Type.Integer(),
  businessId: Type.Union([Type.Integer(), Type.Null()]),
  answers: Answers,
  submittedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  dueDate: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
  decidedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
const ApplicationWithSteps = Type.Composite([Application, Type.Object({ steps: Type.Array(Step) })]);
const Id = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const Err = Type.Object({ error: Type.Object({ code: Type.String(), message: Type.String(), requestId: Type.String(), fields: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))), allowed: Type.Optional(Type.Array(Type.String())) }) });
const errors = { 401: Err, 403: Err, 404: Err, 409: Err, 422: Err };
const tags = ['applications'];
const security = [{ session: [] }];

type ApplicationJson = Static<typeof Application>;

export function applicationApiRoutes(deps: ApplicationApiDeps): FastifyPluginAsyncTypebox {
  const { db, timeZone } = deps;

  const me = (request: FastifyRequest) => {
    if (!request.account) throw new DomainError('UNAUTHENTICATED');
    return request.account.id;
  };

  async function toJson(a: ApplicationRow): Promise<ApplicationJson> {
    const service = await findServiceVersion(db, a.service_id, a.service_version);
    return {
      id: a.id, receiptNo: a.receipt_no, service: { code: service?.code ?? '', version: a.service_version, name: service?.name ?? { ko: '', en: '' } },
      status: a.status as ApplicationJson['status'], departmentId: a.department_id, businessId: a.business_id, answers: a.answers,
      submittedAt: a.submitted_at?.toISOString() ?? null, dueDate: a.due_date, decidedAt: a.decided_at?.toISOString() ?? null,
    };
  }
  const stepJson = (s: StepRow) => ({
    seq: s.seq, action: s.action as Action, status: s.status_after as ApplicationJson['status'], actor: { kind: s.actor_kind, name: s.actor_name, assisted: s.assisted_by_account_id !== null },
    departmentId: s.department_id, note: s.note, details: s.details, recordedAt: s.recorded_at.toISOString(),
  });

  /** The applicant, or an official of the holding department (whose read is recorded). */
  async function readable(request: FastifyRequest, id: number): Promise<ApplicationRow> {
    const accountId = me(request);
    const application = await findApplication(db, id);
    if (application && application.applicant_account_id === accountId) return application;
    const actor = application ? await loadActor(db, accountId) : undefined;
    if (!application || !worksIn(actor, application.agency_id, application.department_id) || application.status === 'draft') throw new DomainError('NOT_FOUND');
    await recordRead(db, { application, official: actor, requestId: request.id, ip: request.ip });
    return application;
  }

  return async (app) => {
    app.get('/api/v1/applications', { schema: { tags, security, summary: "The signed-in resident's applications, newest first", response: { 200: Type.Object({ applications: Type.Array(Application) }), 401: Err } } }, async (request) => {
      const rows = await applicationsOf(db, me(request));
      return { applications: await Promise.all(rows.map(toJson)) };
    });

    app.post(
      '/api/v1/applications',
      { schema: { tags, security, summary: 'Open a draft of a service (or get the one already open)', body: Type.Object({ service: Type.String({ pattern: '^[a-z0-9-]{3,60}$' }), businessId: Type.Optional(Type.Integer({ minimum: 1 })) }), response: { 201: Application, 200: Application, ...errors } } },
      async (request, reply) => {
        const { applicationId, resumed } = await startApplication(db, { accountId: me(request), serviceCode: request.body.service, businessId: request.body.businessId ?? null, requestId: request.id, ip: request.ip });
        return reply.code(resumed ? 200 : 201).send(await toJson((await findApplication(db, applicationId))!));
      },
    );

    app.get('/api/v1/applications/:id', { schema: { tags, security, summary: 'An application with every processing step', params: Id, response: { 200: ApplicationWithSteps, 401: Err, 404: Err } } }, async (request) => {
      const application = await readable(request, request.params.id);
      return { ...(await toJson(application)), steps: (await stepsOf(db, application.id)).map(stepJson) };
    });

    app.put(
      '/api/v1/applications/:id/answers',
      { schema: { tags, security, summary: "Save a draft's answers (all of them); says what is still wrong", params: Id, body: Answers, response: { 200: Type.Object({ answers: Answers, fields: Type.Array(Type.Object({ field: Type.String(), message: Type.String() })) }), ...errors } } },
      async (request) => {
        const { answers, errors } = await saveDraft(db, { applicationId: request.params.id, accountId: me(request), input: { ...request.body } });
        return { answers, fields: errors.map((e) => ({ field: e.field, message: request.t(e.messageKey, e.params) })) };
      },
    );

    app.post('/api/v1/applications/:id/submit', { schema: { tags, security, summary: 'Submit a draft; the service rules may decide it at once', params: Id, response: { 200: Type.Object({ receiptNo: Type.String(), status: Type.String() }), ...errors } } }, async (request) => {
      const result = await submitApplication(db, { applicationId: request.params.id, accountId: me(request), timeZone, requestId: request.id, ip: request.ip });
      return result;
    });

    app.post('/api/v1/applications/:id/withdraw', { schema: { tags, security, summary: 'Withdraw before a decision', params: Id, body: Type.Object({ reason: Type.Optional(Type.String({ maxLength: 2000 })) }), response: { 200: Type.Object({ status: Type.String() }), ...errors } } }, async (request) => {
      const result = await withdrawApplication(db, { applicationId: request.params.id, accountId: me(request), timeZone, requestId: request.id, ip: request.ip, ...(request.body.reason ? { reason: request.body.reason } : {}) });
      return result;
    });

    app.post(
      '/api/v1/applications/:id/resubmit',
      { schema: { tags, security, summary: 'Answer a supplement request with amended answers', params: Id, body: Type.Object({ answers: Answers, note: Type.Optional(Type.String({ maxLength: 2000 })) }), response: { 200: Type.Object({ status: Type.String() }), ...errors } } },
      async (request) => {
        const { status } = await resubmitApplication(db, { applicationId: request.params.id, accountId: me(request), input: { ...request.body.answers }, note: request.body.note ?? '', timeZone, requestId: request.id, ip: request.ip });
        return { status };
      },
    );

    app.post(
      '/api/v1/applications/:id/feedback',
      { schema: { tags, security, summary: 'Rate the service after a decision (once)', params: Id, body: Type.Object({ satisfaction: Type.Integer({ minimum: 1, maximum: 5 }), improperRequest: Type.Boolean(), improperDetail: Type.Optional(Type.String({ maxLength: 2000 })), comment: Type.Optional(Type.String({ maxLength: 2000 })) }), response: { 204: Type.Null(), ...errors } } },
      async (request, reply) => {
        const b = request.body;
        await giveFeedback(db, { applicationId: request.params.id, accountId: me(request), satisfaction: String(b.satisfaction), improperRequest: b.improperRequest ? 'yes' : 'no', improperDetail: b.improperDetail, comment: b.comment });
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/api/v1/work',
      { schema: { tags, security, summary: "The official's department queue", querystring: Type.Object({ status: Type.String({ maxLength: 30, default: 'open' }), sort: Type.Union([Type.Literal('due'), Type.Literal('submitted')], { default: 'due' }), mine: Type.Boolean({ default: false }) }), response: { 200: Type.Object({ applications: Type.Array(Type.Composite([Application, Type.Object({ daysLeft: Type.Union([Type.Integer(), Type.Null()]), assignee: Type.Union([Type.String(), Type.Null()]) })])) }), 401: Err, 403: Err } } },
      async (request) => {
        const { rows } = await listWorkQueue(db, { accountId: me(request), status: request.query.status, sort: request.query.sort, mine: request.query.mine, timeZone });
        const full = await Promise.all(rows.map(async (r) => ({ ...(await toJson((await findApplication(db, r.id))!)), daysLeft: r.daysLeft, assignee: r.assignee })));
        return { applications: full };
      },
    );

    app.post(
      '/api/v1/applications/:id/actions',
      {
        schema: {
          tags, security, summary: "An official's step: accept, claim, assign, forward, request-supplement, approve, reject, reopen. 409 names the actions the status allows.", params: Id,
          body: Type.Object({ action: ActionSchema, note: Type.Optional(Type.String({ maxLength: 2000 })), toDepartmentId: Type.Optional(Type.Integer({ minimum: 1 })), assigneeId: Type.Optional(Type.Integer({ minimum: 1 })) }),
          response: { 200: Type.Object({ status: Type.String() }), ...errors },
        },
      },
      async (request) => {
        const b = request.body;
        const result = await takeAction(db, {
          applicationId: request.params.id, accountId: me(request), action: b.action as Action, timeZone, requestId: request.id, ip: request.ip,
          ...(b.note !== undefined ? { note: b.note } : {}), ...(b.toDepartmentId ? { toDepartmentId: b.toDepartmentId } : {}), ...(b.assigneeId ? { assigneeId: b.assigneeId } : {}),
        });
        return result;
      },
    );
  };
}
