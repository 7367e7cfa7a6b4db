import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import { DomainError, type FieldError } from '../../platform/http/errors.ts';
import { writeAuditEvent } from '../../platform/audit/write-audit-event.ts';
import type { LocalText } from '../../platform/db/schema.ts';
import { departmentsOf, hasRole, loadActor } from '../identity/index.ts';
import { findServiceVersion, insertService, insertServiceVersion, type NewServiceVersion, type ServiceVersion } from './repository.ts';
import { problemsOfForm, type ServiceForm } from './service-form.ts';

/** What the service editor sends: every field as typed. */
export interface ServiceInput {
  code: string;
  departmentId: string;
  nameKo: string;
  nameEn: string;
  summaryKo: string;
  summaryEn: string;
  applicantKinds: string[];
  legalBasisKo: string;
  legalBasisEn: string;
  /** one per line, `Korean | English` */
  documents: string;
  fee: string;
  periodDays: string;
  /** one per line, `Korean | English` */
  steps: string;
  /** the form as JSON: `{ schema, sections }` */
  form: string;
  /** decision rules as JSON, or empty */
  rules: string;
}

export interface AgencyServiceRow {
  code: string;
  serviceId: number;
  name: LocalText;
  published: number | null;
  draft: number | null;
}

/** @throws DomainError FORBIDDEN unless the account administers the agency */
async function agencyAdmin(db: Db, accountId: number, agencyId: number) {
  const actor = await loadActor(db, accountId);
  if (!actor || !hasRole(actor, 'agency-admin', agencyId)) throw new DomainError('FORBIDDEN');
  return actor;
}

/** The services of an agency with their latest published and draft versions. */
export async function listAgencyServices(db: Db, accountId: number, agencyId: number): Promise<AgencyServiceRow[]> {
  await agencyAdmin(db, accountId, agencyId);
  const rows = await sql<{ code: string; service_id: number; name_ko: string; name_en: string; published: number | null; draft: number | null }>`
    select s.code, s.id as service_id,
      (select v.name_ko from service_versions v where v.service_id = s.id order by v.version desc limit 1) as name_ko,
      (select v.name_en from service_versions v where v.service_id = s.id order by v.version desc limit 1) as name_en,
      (select max(v.version) from service_versions v where v.service_id = s.id and v.published_at is not null) as published,
      (select max(v.version) from service_versions v where v.service_id = s.id and v.published_at is null) as draft
    from services s where s.agency_id = ${agencyId} order by s.code`.execute(db);
  return rows.rows.map((r) => ({ code: r.code, serviceId: r.service_id, name: { ko: r.name_ko, en: r.name_en }, published: r.published, draft: r.draft }));
}

const pairs = (text: string): LocalText[] | undefined => {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  const out: LocalText[] = [];
  for (const line of lines) {
    const [ko, en, extra] = line.split('|').map((x) => x.trim());
    if (!ko || !en || extra !== undefined) return undefined;
    out.push({ ko, en });
  }
  return out;
};

/** The editor's input as a service version, or the problems at each field. */
async function parse(db: Db, agencyId: number, input: ServiceInput): Promise<{ version?: Omit<NewServiceVersion, 'createdBy'>; errors: FieldError[] }> {
  const errors: FieldError[] = [];
  const need = (field: keyof ServiceInput, ok: boolean, key = 'catalogue.editor.error.required', params?: Record<string, string | number>) => {
    if (!ok) errors.push({ field, messageKey: key, ...(params ? { params } : {}) });
  };
  for (const f of ['nameKo', 'nameEn', 'summaryKo', 'summaryEn', 'legalBasisKo', 'legalBasisEn'] as const) need(f, input[f].trim().length > 0 && input[f].length <= 2000);
  const departments = await departmentsOf(db, agencyId);
  const departmentId = Number(input.departmentId);
  need('departmentId', departments.some((d) => d.id === departmentId), 'catalogue.editor.error.department');
  const kinds = input.applicantKinds.filter((k): k is 'resident' | 'business' => k === 'resident' || k === 'business');
  need('applicantKinds', kinds.length > 0, 'catalogue.editor.error.kinds');
  const documents = pairs(input.documents);
  need('documents', documents !== undefined, 'catalogue.editor.error.pairs');
  const steps = pairs(input.steps);
  need('steps', steps !== undefined && steps.length > 0, 'catalogue.editor.error.pairs');
  const fee = Number(input.fee.replace(/[,\s]/g, ''));
  need('fee', /^\d+$/.test(input.fee.replace(/[,\s]/g, '')) && fee <= 100_000_000, 'catalogue.editor.error.fee');
  const period = Number(input.periodDays);
  need('periodDays', /^\d+$/.test(input.periodDays.trim()) && period <= 365, 'catalogue.editor.error.period');
  let form: ServiceForm | undefined;
  try {
    form = JSON.parse(input.form) as ServiceForm;
    const problems = problemsOfForm(form);
    if (problems.length) errors.push({ field: 'form', messageKey: 'catalogue.editor.error.form', params: { problems: problems.join('; ') } });
  } catch (error) {
    errors.push({ field: 'form', messageKey: 'catalogue.editor.error.json', params: { problem: (error as Error).message } });
  }
  let rules: unknown = null;
  if (input.rules.trim()) {
    try {
      rules = JSON.parse(input.rules);
      const r = rules as { id?: unknown; version?: unknown; when?: unknown; outcome?: unknown };
      need('rules', typeof r.id === 'string' && Number.isInteger(r.version) && r.when !== undefined && (r.outcome === 'approved' || r.outcome === 'rejected'), 'catalogue.editor.error.rules');
    } catch (error) {
      errors.push({ field: 'rules', messageKey: 'catalogue.editor.error.json', params: { problem: (error as Error).message } });
    }
  }
  if (errors.length) return { errors };
  return {
    errors,
    version: {
      departmentId, name: { ko: input.nameKo.trim(), en: input.nameEn.trim() }, summary: { ko: input.summaryKo.trim(), en: input.summaryEn.trim() }, applicantKinds: kinds,
      legalBasis: { ko: input.legalBasisKo.trim(), en: input.legalBasisEn.trim() }, documents: documents!, feeMinor: fee, periodDays: period, steps: steps!, form: form!, rules,
    },
  };
}

/**
 * Saves the editor's input as the service's draft version: a new service, a new draft after
 * the published version, or the same draft again. Published versions are never touched.
 * @throws DomainError FORBIDDEN (not this agency's administrator), VALIDATION_FAILED (with
 *   the fields), CONFLICT (a new service's code is taken), NOT_FOUND
 */
export async function saveServiceDraft(db: Db, o: { accountId: number; agencyId: number; existingCode?: string; input: ServiceInput }): Promise<{ code: string; version: number }> {
  const actor = await agencyAdmin(db, o.accountId, o.agencyId);
  const { version, errors } = await parse(db, o.agencyId, o.input);
  const code = (o.existingCode ?? o.input.code).trim();
  if (!o.existingCode && !/^[a-z0-9][a-z0-9-]{2,59}$/.test(code)) errors.unshift({ field: 'code', messageKey: 'catalogue.editor.error.code' });
  if (errors.length || !version) throw new DomainError('VALIDATION_FAILED', 'error.VALIDATION_FAILED', { fields: errors });
  return db.transaction().execute(async (tx) => {
    let serviceId: number;
    if (o.existingCode) {
      const service = await tx.selectFrom('services').select(['id', 'agency_id']).where('code', '=', code).forUpdate().executeTakeFirst();
      if (!service || service.agency_id !== o.agencyId) throw new DomainError('NOT_FOUND');
      serviceId = service.id;
    } else {
      const taken = await tx.selectFrom('services').select('id').where('code', '=', code).executeTakeFirst();
      if (taken) throw new DomainError('VALIDATION_FAILED', 'error.VALIDATION_FAILED', { fields: [{ field: 'code', messageKey: 'catalogue.editor.error.codeTaken' }] });
      serviceId = await insertService(tx, code, o.agencyId);
    }
    const latest = await tx.selectFrom('service_versions').select(['version', 'published_at']).where('service_id', '=', serviceId).orderBy('version', 'desc').limit(1).executeTakeFirst();
    // A draft is rewritten in place (it is not a fact yet); after a published one comes a new number.
    if (latest && latest.published_at === null) await tx.deleteFrom('service_versions').where('service_id', '=', serviceId).where('version', '=', latest.version).execute();
    const number = latest ? (latest.published_at === null ? latest.version : latest.version + 1) : 1;
    await insertServiceVersion(tx, serviceId, number, { ...version, createdBy: actor.accountId }, false);
    await writeAuditEvent(tx, { action: 'catalogue.service.draft-saved', actor: { accountId: actor.accountId, agencyId: o.agencyId }, subject: { type: 'service', id: code }, details: { version: number } });
    return { code, version: number };
  });
}

/**
 * Publishes the service's draft: from now on people apply to it, and it can never change.
 * @throws DomainError FORBIDDEN, NOT_FOUND, ACTION_NOT_ALLOWED (no draft to publish)
 */
export async function publishService(db: Db, o: { accountId: number; code: string }): Promise<number> {
  const service = await db.selectFrom('services').select(['id', 'agency_id']).where('code', '=', o.code).executeTakeFirst();
  if (!service) throw new DomainError('NOT_FOUND');
  const actor = await agencyAdmin(db, o.accountId, service.agency_id);
  return db.transaction().execute(async (tx) => {
    const draft = await tx.selectFrom('service_versions').select('version').where('service_id', '=', service.id).where('published_at', 'is', null).orderBy('version', 'desc').forUpdate().executeTakeFirst();
    if (!draft) throw new DomainError('ACTION_NOT_ALLOWED', 'catalogue.editor.error.noDraft', { allowed: [] });
    await tx.updateTable('service_versions').set({ published_at: sql<Date>`now()` }).where('service_id', '=', service.id).where('version', '=', draft.version).execute();
    await writeAuditEvent(tx, { action: 'catalogue.service.published', actor: { accountId: actor.accountId, agencyId: service.agency_id }, subject: { type: 'service', id: o.code }, details: { version: draft.version } });
    return draft.version;
  });
}

/** The version the editor opens: the draft if there is one, else the latest published. */
export async function editableVersion(db: Db, o: { accountId: number; code: string }): Promise<{ agencyId: number; version: ServiceVersion }> {
  const service = await db.selectFrom('services').select(['id', 'agency_id']).where('code', '=', o.code).executeTakeFirst();
  if (!service) throw new DomainError('NOT_FOUND');
  await agencyAdmin(db, o.accountId, service.agency_id);
  const latest = await db.selectFrom('service_versions').select('version').where('service_id', '=', service.id).orderBy('version', 'desc').limit(1).executeTakeFirstOrThrow();
  return { agencyId: service.agency_id, version: (await findServiceVersion(db, service.id, latest.version))! };
}
