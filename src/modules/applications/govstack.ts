import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db, Executor } from '../../platform/db/database.ts';
import { DomainError } from '../../platform/http/errors.ts';
import { findServiceVersion, listPublishedServices, readAnswers, checkAnswers, type FormData, type ServiceVersion } from '../catalogue/index.ts';
import { accountByPublicId, displayNames, externalApplicant, loadActor, publicIds } from '../identity/index.ts';
import { findApplication, insertDraft, saveAnswers, type ApplicationRow } from './repository.ts';
import { resubmitApplication } from './resubmit-application.ts';
import { submitApplication } from './submit-application.ts';
import { takeAction } from './take-action.ts';

/**
 * The GovStack Registration building block's view of Nara: services, their e-forms,
 * application files, operators' tasks. Each Nara record has an identifier derived from it
 * (services and e-forms get name-based UUIDs); identifiers another system already uses for
 * the same record are aliases in `govstack_refs`.
 */

type Kind = 'service' | 'eform' | 'application' | 'task' | 'main-task' | 'applicant' | 'operator';

const NAMESPACE = Buffer.from('6f1f4c2e9a5b4d3e8c7a2b1d0e9f8a7b', 'hex');

/** A name-based UUID (RFC 9562 version 5) for a Nara record. */
export function uuidFor(name: string): string {
  const hash = createHash('sha1').update(NAMESPACE).update(name).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const h = hash.subarray(0, 16).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export async function alias(db: Executor, kind: Kind, externalId: string): Promise<string | undefined> {
  return (await db.selectFrom('govstack_refs').select('internal_ref').where('kind', '=', kind).where('external_id', '=', externalId).executeTakeFirst())?.internal_ref;
}

/** Records that another system calls a Nara record `externalId` (kept if already known). */
export async function addAlias(db: Executor, kind: Kind, externalId: string, internalRef: string): Promise<void> {
  await db.insertInto('govstack_refs').values({ kind, external_id: externalId, internal_ref: internalRef }).onConflict((oc) => oc.columns(['kind', 'external_id']).doNothing()).execute();
}

const isUuid = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);

/** The name other systems know each record by, if any (`uuidOnly`: only names that are UUIDs, for fields the API types as such). */
async function aliasesOf(db: Executor, kind: Kind, internalRefs: string[], uuidOnly = false): Promise<Map<string, string>> {
  if (internalRefs.length === 0) return new Map();
  const rows = await db.selectFrom('govstack_refs').select(['external_id', 'internal_ref', 'created_at']).where('kind', '=', kind).where('internal_ref', 'in', internalRefs).orderBy('created_at').execute();
  const out = new Map<string, string>();
  for (const r of rows) if (!out.has(r.internal_ref) && (!uuidOnly || isUuid(r.external_id))) out.set(r.internal_ref, r.external_id);
  return out;
}



// ----- services and e-forms -----

export const serviceIdOf = (code: string) => uuidFor(`service:${code}`);
export const eFormIdOf = (code: string, version: number) => uuidFor(`eform:${code}:${version}`);

/** The published service another system names `serviceId` (its UUID or an alias). */
export async function serviceById(db: Db, serviceId: string): Promise<ServiceVersion | undefined> {
  const services = await listPublishedServices(db);
  const aliased = await alias(db, 'service', serviceId);
  return services.find((s) => (aliased ? `service:${s.code}` === aliased : serviceIdOf(s.code) === serviceId));
}

export function serviceJson(s: ServiceVersion, locale: 'ko' | 'en', place: { agency: string; department: string } | undefined, id = serviceIdOf(s.code)) {
  return {
    id,
    name: s.name[locale],
    version: String(s.version),
    type: 'Public' as const,
    isExecutable: true,
    isClosed: false,
    description: s.summary[locale],
    serviceBody: [
      { code: 'naraCode', value: s.code },
      { code: 'agency', value: place?.agency ?? '' },
      { code: 'department', value: place?.department ?? '' },
      { code: 'legalBasis', value: s.legalBasis[locale] },
      { code: 'fee', value: `${s.feeMinor} ${s.currency}` },
      { code: 'periodWorkingDays', value: String(s.periodDays) },
    ],
  };
}

/** Every version of the service's form, newest first: the e-forms of the service. */
export async function eFormsOf(db: Db, service: ServiceVersion): Promise<ServiceVersion[]> {
  const versions = await db.selectFrom('service_versions').select('version').where('service_id', '=', service.serviceId).where('published_at', 'is not', null).orderBy('version', 'desc').execute();
  const out: ServiceVersion[] = [];
  for (const v of versions) {
    const found = await findServiceVersion(db, service.serviceId, v.version);
    if (found) out.push(found);
  }
  return out;
}

export async function eFormById(db: Db, eFormId: string): Promise<{ version: ServiceVersion; latest: boolean; id: string } | undefined> {
  const aliased = await alias(db, 'eform', eFormId);
  for (const service of await listPublishedServices(db)) {
    for (const version of await eFormsOf(db, service)) {
      const ref = `eform:${version.code}:${version.version}`;
      if (aliased ? aliased === ref : eFormIdOf(version.code, version.version) === eFormId) return { version, latest: version.version === service.version, id: eFormId };
    }
  }
  return undefined;
}

// ----- application files -----

const statusTitles: Record<string, { code: 'PENDING' | 'APPROVED' | 'SENDBACK' | 'REJECTED'; title: string }> = {
  draft: { code: 'PENDING', title: 'Pending' },
  submitted: { code: 'PENDING', title: 'Pending' },
  'in-review': { code: 'PENDING', title: 'Pending' },
  'awaiting-supplement': { code: 'SENDBACK', title: 'Sent back' },
  approved: { code: 'APPROVED', title: 'Approved' },
  rejected: { code: 'REJECTED', title: 'Rejected' },
  withdrawn: { code: 'REJECTED', title: 'Withdrawn' },
};
export const statusOf = (status: string) => statusTitles[status] ?? statusTitles.draft!;

export const fileIdOf = (id: number) => `nara-application-${id}`;
export const mainTaskIdOf = (id: number) => `nara-process-${id}`;
export const taskIdOf = (a: Pick<ApplicationRow, 'id' | 'department_id'>) => `nara-task-${a.id}-${a.department_id}`;
const roleIdOf = (role: string) => uuidFor(`role:${role}`);

/** The application another system names `fileId`. */
export async function applicationByFileId(db: Db, fileId: string): Promise<ApplicationRow | undefined> {
  const aliased = await alias(db, 'application', fileId);
  const m = /^application:(\d+)$/.exec(aliased ?? '') ?? /^nara-application-(\d+)$/.exec(fileId);
  return m ? findApplication(db, Number(m[1])) : undefined;
}

/** The account another system names `applicantId` (an alias, or an account's public id). */
export async function applicantById(db: Db, applicantId: string): Promise<number | undefined> {
  const aliased = await alias(db, 'applicant', applicantId);
  const m = /^account:(\d+)$/.exec(aliased ?? '');
  return m ? Number(m[1]) : accountByPublicId(db, applicantId);
}

/** The GovStack names of many applications' people and records, in a few queries. */
async function namesFor(db: Db, apps: ApplicationRow[]) {
  const accountIds = [...new Set(apps.flatMap((a) => [a.applicant_account_id, ...(a.assignee_account_id ? [a.assignee_account_id] : [])]))];
  const codes = new Set<string>();
  for (const a of apps) codes.add((await findServiceVersion(db, a.service_id, a.service_version))!.code);
  const [services, applicants, operators, files, tasks, mains, publics, names] = await Promise.all([
    // The API types service ids as UUIDs: only such an alias stands in for Nara's own.
    aliasesOf(db, 'service', [...codes].map((c) => `service:${c}`), true),
    aliasesOf(db, 'applicant', accountIds.map((id) => `account:${id}`)),
    aliasesOf(db, 'operator', accountIds.map((id) => `account:${id}`)),
    aliasesOf(db, 'application', apps.map((a) => `application:${a.id}`)),
    aliasesOf(db, 'task', apps.map((a) => `task:${a.id}:${a.department_id}`)),
    aliasesOf(db, 'main-task', apps.map((a) => `application:${a.id}`)),
    publicIds(db, accountIds),
    displayNames(db, accountIds),
  ]);
  return {
    /** a service's id in responses: a UUID another system already uses for it, or Nara's own */
    serviceId: (code: string) => services.get(`service:${code}`) ?? serviceIdOf(code),
    applicantId: (id: number) => applicants.get(`account:${id}`) ?? publics.get(id) ?? '',
    operatorId: (id: number) => operators.get(`account:${id}`) ?? publics.get(id) ?? '',
    operatorName: (id: number) => names.get(id) ?? '',
    fileId: (a: ApplicationRow) => files.get(`application:${a.id}`) ?? fileIdOf(a.id),
    taskId: (a: ApplicationRow) => tasks.get(`task:${a.id}:${a.department_id}`) ?? taskIdOf(a),
    mainTaskId: (a: ApplicationRow) => mains.get(`application:${a.id}`) ?? mainTaskIdOf(a.id),
  };
}

export interface FileJsonExtras {
  applicationName?: string | undefined;
  created?: string | undefined;
  documentUrls?: string[] | undefined;
}

export async function fileJson(db: Db, a: ApplicationRow, extras: FileJsonExtras = {}) {
  const service = (await findServiceVersion(db, a.service_id, a.service_version))!;
  const n = await namesFor(db, [a]);
  const applicantId = n.applicantId(a.applicant_account_id);
  return {
    fileId: n.fileId(a),
    registered: (a.submitted_at ?? a.created_at).toISOString(),
    serviceId: n.serviceId(service.code),
    serviceName: service.name.en,
    status: statusOf(a.status),
    ended: ['approved', 'rejected', 'withdrawn'].includes(a.status),
    applicantId,
    applicationData: {
      applicantId,
      applicationName: extras.applicationName ?? service.name.en,
      created: extras.created ?? a.created_at.toISOString(),
      formData: { eFormId: eFormIdOf(service.code, service.version), data: Object.fromEntries(Object.entries(a.answers).map(([k, v]) => [k, { value: v }])) },
      documentUrls: extras.documentUrls ?? [],
    },
  };
}

export async function fileListJson(db: Db, apps: ApplicationRow[]) {
  const n = await namesFor(db, apps);
  const out = [];
  for (const a of apps) {
    const service = (await findServiceVersion(db, a.service_id, a.service_version))!;
    out.push({
      fileId: n.fileId(a),
      mainTaskId: n.mainTaskId(a),
      taskTitle: service.name.en,
      roleId: roleIdOf('clerk'),
      roleName: 'Clerk',
      ...(a.assignee_account_id ? { assigneeId: n.operatorId(a.assignee_account_id), operatorName: n.operatorName(a.assignee_account_id) } : {}),
      status: statusOf(a.status),
      applicantId: n.applicantId(a.applicant_account_id),
      created: a.created_at.toISOString(),
      registered: (a.submitted_at ?? a.created_at).toISOString(),
      description: a.receipt_no ? `Receipt ${a.receipt_no}` : 'Draft',
      serviceName: service.name.en,
      serviceId: n.serviceId(service.code),
      eformId: eFormIdOf(service.code, service.version),
      documentUrls: [],
      additionalMeta: { data: {} },
    });
  }
  return out;
}

/** GovStack form data (`{ field: value }` or `{ field: { value } }`) as a Nara form's answers. */
export function answersFromFormData(service: ServiceVersion, data: unknown): FormData {
  const flat: Record<string, unknown> = {};
  if (data && typeof data === 'object') {
    for (const [k, v] of Object.entries(data as Record<string, unknown>)) flat[k] = v && typeof v === 'object' && 'value' in (v as object) ? (v as { value: unknown }).value : v;
  }
  const strings = Object.fromEntries(Object.entries(flat).map(([k, v]) => [k, typeof v === 'boolean' ? (v ? 'true' : 'false') : v]));
  return readAnswers(service.form, strings);
}

export interface FileSubmit {
  applicantId: string;
  applicationName?: string;
  created?: string;
  formData?: { data?: unknown; eFormId?: string };
  documentUrls?: string[];
}

/**
 * A new application file from another system: the applicant (created if new), a draft with
 * the form data, submitted at once when the answers satisfy the form; otherwise it stays a
 * draft (PENDING) until they do.
 * @throws DomainError NOT_FOUND (no such service)
 */
export async function createFile(db: Db, o: { serviceId: string; body: FileSubmit; client: string; timeZone: string }) {
  const service = await serviceById(db, o.serviceId);
  if (!service) throw new DomainError('NOT_FOUND');
  let accountId = await applicantById(db, o.body.applicantId);
  if (accountId === undefined) {
    accountId = await externalApplicant(db, 'govstack', o.body.applicantId, o.body.applicationName ?? '');
    await addAlias(db, 'applicant', o.body.applicantId, `account:${accountId}`);
  }
  const answers = answersFromFormData(service, o.body.formData?.data);
  const id = await insertDraft(db, { serviceId: service.serviceId, serviceVersion: service.version, agencyId: service.agencyId, departmentId: service.departmentId, applicantAccountId: accountId, businessId: null });
  await saveAnswers(db, id, answers);
  if (checkAnswers(service.form, answers).length === 0) await submitApplication(db, { applicationId: id, accountId, timeZone: o.timeZone });
  return (await findApplication(db, id))!;
}

/**
 * An operator system's input to a file: new form data for a draft, or the amended answers
 * that answer a supplement request. A file already under review or decided is not changed.
 * @throws DomainError NOT_FOUND, ACTION_NOT_ALLOWED
 */
export async function updateFile(db: Db, o: { fileId: string; body: FileSubmit; timeZone: string }) {
  const application = await applicationByFileId(db, o.fileId);
  if (!application) throw new DomainError('NOT_FOUND');
  const service = (await findServiceVersion(db, application.service_id, application.service_version))!;
  const answers = { ...application.answers, ...answersFromFormData(service, o.body.formData?.data) };
  if (application.status === 'draft') {
    await saveAnswers(db, application.id, answers);
  } else if (application.status === 'awaiting-supplement') {
    await resubmitApplication(db, { applicationId: application.id, accountId: application.applicant_account_id, input: Object.fromEntries(Object.entries(answers).map(([k, v]) => [k, String(v)])), timeZone: o.timeZone });
  } else {
    throw new DomainError('ACTION_NOT_ALLOWED', 'applications.error.notDraft', { allowed: [] });
  }
  return (await findApplication(db, application.id))!;
}

// ----- tasks -----

/** Open applications are the operators' tasks: one per application and holding department. */
export async function openTasks(db: Db): Promise<ApplicationRow[]> {
  return db.selectFrom('applications').selectAll().where('status', 'in', ['submitted', 'in-review']).orderBy('submitted_at').limit(1000).execute();
}

export async function taskJson(db: Db, apps: ApplicationRow[]) {
  const n = await namesFor(db, apps);
  const out = [];
  for (const a of apps) {
    const service = (await findServiceVersion(db, a.service_id, a.service_version))!;
    const serviceId = n.serviceId(service.code);
    out.push({
      app: a,
      taskId: n.taskId(a),
      mainTaskId: n.mainTaskId(a),
      fileId: n.fileId(a),
      assigneeId: a.assignee_account_id ? n.operatorId(a.assignee_account_id) : '',
      json: {
        taskId: n.taskId(a),
        mainTaskId: n.mainTaskId(a),
        name: a.status === 'submitted' ? 'Receive the application' : 'Decide the application',
        assigneeId: a.assignee_account_id ? n.operatorId(a.assignee_account_id) : '',
        roleId: roleIdOf(a.status === 'submitted' ? 'clerk' : 'approver'),
        created: (a.submitted_at ?? a.created_at).toISOString(),
        description: `${service.name.en}${a.receipt_no ? `, receipt ${a.receipt_no}` : ''}`,
        serviceId,
        serviceName: service.name.en,
        fileId: n.fileId(a),
        eFormId: eFormIdOf(service.code, service.version),
        status: statusOf(a.status),
      },
    });
  }
  return out;
}

export async function taskById(db: Db, taskId: string): Promise<ApplicationRow | undefined> {
  const aliased = await alias(db, 'task', taskId);
  const m = /^task:(\d+):(\d+)$/.exec(aliased ?? '') ?? /^nara-task-(\d+)-(\d+)$/.exec(taskId);
  if (!m) return undefined;
  const a = await findApplication(db, Number(m[1]));
  // A task exists while its department holds the open application.
  return a && a.department_id === Number(m[2]) && ['submitted', 'in-review'].includes(a.status) ? a : undefined;
}

/**
 * Completes an operator's task: the official assigned to it takes the next step (receive
 * the application; or decide it, approving unless `data.decision` is `reject`, with
 * `data.reason`). Recorded as that official's step, like any other.
 * @throws DomainError NOT_FOUND, ACTION_NOT_ALLOWED (nobody is assigned), VALIDATION_FAILED
 */
export async function completeTask(db: Db, o: { taskId: string; data: Record<string, unknown>; timeZone: string }) {
  const application = await taskById(db, o.taskId);
  if (!application) throw new DomainError('NOT_FOUND');
  if (!application.assignee_account_id) throw new DomainError('ACTION_NOT_ALLOWED', 'applications.error.unassignedTask', { allowed: ['assign'] });
  const value = (k: string) => {
    const v = o.data[k];
    return v && typeof v === 'object' && 'value' in (v as object) ? String((v as { value: unknown }).value) : typeof v === 'string' ? v : undefined;
  };
  const reject = value('decision') === 'reject';
  const action = application.status === 'submitted' ? 'accept' : reject ? 'reject' : 'approve';
  const reason = value('reason');
  await takeAction(db, { applicationId: application.id, accountId: application.assignee_account_id, action, timeZone: o.timeZone, ...(reason ? { note: reason } : {}) });
  return { before: application, after: (await findApplication(db, application.id))! };
}

export async function operatorById(db: Db, operatorId: string): Promise<number | undefined> {
  const aliased = await alias(db, 'operator', operatorId);
  const m = /^account:(\d+)$/.exec(aliased ?? '');
  const id = m ? Number(m[1]) : await accountByPublicId(db, operatorId);
  const actor = id === undefined ? undefined : await loadActor(db, id);
  return actor?.kind === 'official' ? actor.accountId : undefined;
}

// ----- statistics -----

export interface StatisticsQuery {
  startDate?: string | undefined;
  endDate?: string | undefined;
  registrationName?: string | undefined;
  operator?: string | undefined;
  role?: string | undefined;
  timeframe?: 'day' | 'week' | 'month' | 'year' | undefined;
}

/**
 * Decisions and supplement requests by time bucket, for one registration (service) or all.
 * @throws DomainError NOT_FOUND (no service of that name)
 */
export async function statistics(db: Db, q: StatisticsQuery, timeZone: string) {
  let serviceIds: number[] | undefined;
  if (q.registrationName) {
    const wanted = q.registrationName.trim().toLowerCase();
    const matching = (await listPublishedServices(db)).filter((s) => [s.code, s.name.en, s.name.ko].some((n) => n.toLowerCase() === wanted));
    if (matching.length === 0) throw new DomainError('NOT_FOUND');
    serviceIds = matching.map((s) => s.serviceId);
  }
  const unit = q.timeframe ?? 'year';
  const rows = await sql<{ bucket: string; action: string; actor: string | null; n: number }>`
    select to_char(date_trunc(${unit}, s.recorded_at at time zone ${timeZone}), 'YYYY-MM-DD') as bucket, s.action, s.actor_name as actor, count(*)::int as n
    from application_steps s join applications a on a.id = s.application_id
    where s.action in ('approve', 'reject', 'decide', 'request-supplement')
      ${serviceIds ? sql`and a.service_id in (${sql.join(serviceIds)})` : sql``}
      ${q.startDate ? sql`and (s.recorded_at at time zone ${timeZone})::date >= ${q.startDate}::date` : sql``}
      ${q.endDate ? sql`and (s.recorded_at at time zone ${timeZone})::date <= ${q.endDate}::date` : sql``}
    group by 1, 2, 3 order by 1`.execute(db);
  const buckets = new Map<string, { processed: number; approved: number; sentBack: number; rejected: number }>();
  for (const r of rows.rows) {
    if (q.operator && !(r.actor ?? '').includes(q.operator)) continue;
    const b = buckets.get(r.bucket) ?? { processed: 0, approved: 0, sentBack: 0, rejected: 0 };
    if (r.action === 'request-supplement') b.sentBack += r.n;
    else {
      b.processed += r.n;
      if (r.action === 'reject') b.rejected += r.n;
      else b.approved += r.n;
    }
    buckets.set(r.bucket, b);
  }
  const references = (bucket?: string) => ({
    ...(q.startDate || bucket ? { startDate: q.startDate ?? bucket } : {}),
    ...(q.endDate ? { endDate: q.endDate } : {}),
    ...(q.registrationName ? { registrationName: q.registrationName } : {}),
    ...(q.operator ? { operator: q.operator } : {}),
    ...(q.role ? { role: q.role } : {}),
    timeframeDay: unit === 'day',
    timeframeWeek: unit === 'week',
    timeframeMonth: unit === 'month',
    timeframeYear: unit === 'year',
  });
  if (buckets.size === 0) return [{ processed: 0, approved: 0, sentBack: 0, rejected: 0, references: references() }];
  return [...buckets.entries()].map(([bucket, b]) => ({ ...b, references: references(bucket) }));
}

