import { sql, type Selectable } from 'kysely';
import type { Executor } from '../../platform/db/database.ts';
import type { LocalText, ServiceVersionsTable } from '../../platform/db/schema.ts';
import type { ServiceForm } from './service-form.ts';

/** One version of a service as the other modules and the pages use it. */
export interface ServiceVersion {
  serviceId: number;
  code: string;
  agencyId: number;
  version: number;
  departmentId: number;
  name: LocalText;
  summary: LocalText;
  applicantKinds: Array<'resident' | 'business'>;
  legalBasis: LocalText;
  documents: LocalText[];
  feeMinor: number;
  currency: string;
  periodDays: number;
  steps: LocalText[];
  form: ServiceForm;
  rules: unknown;
  publishedAt: Date | null;
}

type Row = Selectable<ServiceVersionsTable> & { code: string; agency_id: number };

function toVersion(r: Row): ServiceVersion {
  return {
    serviceId: r.service_id,
    code: r.code,
    agencyId: r.agency_id,
    version: r.version,
    departmentId: r.department_id,
    name: { ko: r.name_ko, en: r.name_en },
    summary: { ko: r.summary_ko, en: r.summary_en },
    applicantKinds: r.applicant_kinds,
    legalBasis: { ko: r.legal_basis_ko, en: r.legal_basis_en },
    documents: r.documents,
    feeMinor: Number(r.fee_minor),
    currency: r.currency,
    periodDays: r.period_days,
    steps: r.steps,
    form: r.form as ServiceForm,
    rules: r.rules,
    publishedAt: r.published_at,
  };
}

const versions = (db: Executor) => db.selectFrom('service_versions as v').innerJoin('services as s', 's.id', 'v.service_id').selectAll('v').select(['s.code', 's.agency_id']);

/** The version people apply to now: the latest published one of each service. */
export async function listPublishedServices(db: Executor): Promise<ServiceVersion[]> {
  const rows = await versions(db)
    .where('v.published_at', 'is not', null)
    .where('v.version', '=', (eb) => eb.selectFrom('service_versions as p').select((e) => e.fn.max('p.version').as('m')).whereRef('p.service_id', '=', 'v.service_id').where('p.published_at', 'is not', null))
    .orderBy('s.agency_id')
    .orderBy('v.name_ko')
    .execute();
  return rows.map(toVersion);
}

export async function findPublishedService(db: Executor, code: string): Promise<ServiceVersion | undefined> {
  const row = await versions(db).where('s.code', '=', code).where('v.published_at', 'is not', null).orderBy('v.version', 'desc').limit(1).executeTakeFirst();
  return row ? toVersion(row) : undefined;
}

// A published version never changes (a trigger refuses it), so every instance may keep it.
const publishedVersions = new Map<string, ServiceVersion>();

export async function findServiceVersion(db: Executor, serviceId: number, version: number): Promise<ServiceVersion | undefined> {
  const key = `${serviceId}/${version}`;
  const cached = publishedVersions.get(key);
  if (cached) return cached;
  const row = await versions(db).where('v.service_id', '=', serviceId).where('v.version', '=', version).executeTakeFirst();
  const found = row ? toVersion(row) : undefined;
  if (found?.publishedAt) {
    if (publishedVersions.size >= 10_000) publishedVersions.clear();
    publishedVersions.set(key, found);
  }
  return found;
}

export interface NewServiceVersion {
  departmentId: number;
  name: LocalText;
  summary: LocalText;
  applicantKinds: Array<'resident' | 'business'>;
  legalBasis: LocalText;
  documents: LocalText[];
  feeMinor: number;
  periodDays: number;
  steps: LocalText[];
  form: ServiceForm;
  rules?: unknown;
  createdBy: number | null;
}

export async function insertService(db: Executor, code: string, agencyId: number): Promise<number> {
  const { id } = await db.insertInto('services').values({ code, agency_id: agencyId }).returning('id').executeTakeFirstOrThrow();
  return id;
}

export async function insertServiceVersion(db: Executor, serviceId: number, version: number, v: NewServiceVersion, publish: boolean): Promise<void> {
  await db
    .insertInto('service_versions')
    .values({
      service_id: serviceId,
      version,
      department_id: v.departmentId,
      name_ko: v.name.ko,
      name_en: v.name.en,
      summary_ko: v.summary.ko,
      summary_en: v.summary.en,
      applicant_kinds: v.applicantKinds,
      legal_basis_ko: v.legalBasis.ko,
      legal_basis_en: v.legalBasis.en,
      documents: JSON.stringify(v.documents),
      fee_minor: v.feeMinor,
      period_days: v.periodDays,
      steps: JSON.stringify(v.steps),
      form: JSON.stringify(v.form),
      rules: v.rules === undefined || v.rules === null ? null : JSON.stringify(v.rules),
      created_by: v.createdBy,
      published_at: publish ? sql<Date>`now()` : null,
    })
    .execute();
}
