import type { Selectable } from 'kysely';
import type { Executor } from '../../platform/db/database.ts';
import type { CertificateField, CertificateTypesTable, CertificateVariant, LocalText } from '../../platform/db/schema.ts';

export type CertificateType = Selectable<CertificateTypesTable> & { fields: CertificateField[]; variants: CertificateVariant[]; title: LocalText; summary: LocalText };

interface DemoType {
  code: string;
  agency: string;
  department: string;
  title: LocalText;
  summary: LocalText;
  source: CertificateType['source'];
  serviceCode?: string;
  fields: CertificateField[];
  variants?: CertificateVariant[];
  requesters: Array<'resident' | 'business'>;
  validityDays: number;
  feeMinor?: number;
}

const t = (ko: string, en: string): LocalText => ({ ko, en });
const f = (key: string, label: LocalText, omittable = false): CertificateField => ({ key, label, ...(omittable ? { omittable } : {}) });

/** The mobile ID is a certificate type too: it has a status like any other and can be suspended. */
export const MOBILE_ID_TYPE = 'mobile-id';

/** The demo agencies' certificate types: data, as an agency would define them. */
export const demoCertificateTypes: DemoType[] = [
  {
    code: 'resident-registration',
    agency: 'MOIS',
    department: 'RES',
    title: t('주민등록표 등본', 'Resident Registration Certificate'),
    summary: t('주소와 세대 구성을 증명합니다. 세대원을 빼고 발급(초본형)할 수 있습니다.', 'Certifies your address and household. You may leave the household members off (abridged).'),
    source: 'resident-register',
    fields: [
      f('name', t('성명', 'Name')),
      f('nationalId', t('주민등록번호', 'Resident registration number')),
      f('birthDate', t('생년월일', 'Date of birth'), true),
      f('address', t('주소', 'Address')),
      f('registeredOn', t('전입일', 'Registered at this address on'), true),
      f('householdHead', t('세대주', 'Head of household'), true),
      f('householdMembers', t('세대 구성', 'Household members'), true),
    ],
    variants: [
      { code: 'full', title: t('주민등록표 등본', 'Resident Registration Certificate'), omits: [] },
      { code: 'abridged', title: t('주민등록표 등본(일부 생략)', 'Resident Registration Certificate (abridged)'), omits: ['householdMembers', 'householdHead'] },
    ],
    requesters: ['resident'],
    validityDays: 90,
  },
  {
    code: 'business-registration',
    agency: 'NTS',
    department: 'TPA',
    title: t('사업자등록증명', 'Business Registration Certificate'),
    summary: t('사업자등록 사실과 그 내용을 증명합니다. 사업자의 대표자가 신청합니다.', "Certifies a business's registration and its particulars. Requested by the business's representative."),
    source: 'business-register',
    fields: [
      f('businessName', t('상호', 'Business name')),
      f('registrationNo', t('사업자등록번호', 'Business registration number')),
      f('representative', t('대표자', 'Representative')),
      f('address', t('사업장 소재지', 'Place of business')),
      f('industryCode', t('업종 코드', 'Industry code')),
      f('openedOn', t('개업일', 'Opened on')),
    ],
    requesters: ['business'],
    validityDays: 90,
  },
  {
    code: 'tax-payment',
    agency: 'NTS',
    department: 'COL',
    title: t('납세증명서', 'Tax-Payment Certificate'),
    summary: t('체납한 국세가 없음을 증명합니다. 납세증명서 발급 신청이 승인되면 바로 발급됩니다.', 'Certifies that no national tax is overdue. Issued as soon as a tax-payment certificate request is approved.'),
    source: 'application',
    serviceCode: 'tax-payment-certificate',
    fields: [
      f('taxpayer', t('납세자', 'Taxpayer')),
      f('purpose', t('사용 목적', 'Purpose')),
      f('arrears', t('체납 여부', 'Overdue national tax')),
      f('receiptNo', t('신청 접수번호', 'Application receipt number')),
    ],
    requesters: ['resident', 'business'],
    validityDays: 30,
  },
  {
    code: 'building-permit',
    agency: 'SMG-JONGNO',
    department: 'BLD',
    title: t('건축허가서', 'Building Permit'),
    summary: t('건축허가 신청이 승인되면 자동으로 발급됩니다.', 'Issued automatically when a building-permit application is approved.'),
    source: 'application',
    serviceCode: 'building-permit',
    fields: [
      f('permitNo', t('허가번호', 'Permit number')),
      f('permitHolder', t('건축주', 'Permit holder')),
      f('siteAddress', t('대지 위치', 'Site')),
      f('use', t('주용도', 'Main use')),
      f('floorArea', t('연면적', 'Total floor area')),
      f('floors', t('지상 층수', 'Floors above ground')),
      f('architect', t('설계자', 'Architect')),
      f('conditions', t('허가 조건', 'Conditions')),
    ],
    requesters: ['resident', 'business'],
    // Building Act art. 11(7): the permit lapses if work has not begun within two years.
    validityDays: 730,
  },
  {
    code: MOBILE_ID_TYPE,
    agency: 'MOIS',
    department: 'RES',
    title: t('모바일 신분증', 'Mobile ID'),
    summary: t('휴대전화에 보여 주는 신분 확인용 증명입니다. 보여 줄 때마다 보여 줄 항목을 고릅니다.', 'An ID to show on your phone. Each time you show it, you choose what it discloses.'),
    source: 'resident-register',
    fields: [
      f('name', t('성명', 'Name')),
      f('birthDate', t('생년월일', 'Date of birth'), true),
      f('ageOver19', t('만 19세 이상', 'Aged 19 or over'), true),
      f('region', t('거주 지역', 'Region of residence'), true),
    ],
    requesters: ['resident'],
    validityDays: 365,
  },
];

/**
 * Adds any demo certificate type that is missing, so data made by an older version gains
 * the types too. Skips types whose agency or department is not there.
 */
export async function seedCertificateTypes(tx: Executor, departments: Map<string, { agencyId: number; departmentId: number }>): Promise<number> {
  let added = 0;
  for (const d of demoCertificateTypes) {
    const ref = departments.get(`${d.agency}/${d.department}`);
    if (!ref) continue;
    const inserted = await tx
      .insertInto('certificate_types')
      .values({
        code: d.code, agency_id: ref.agencyId, department_id: ref.departmentId, title: JSON.stringify(d.title), summary: JSON.stringify(d.summary), source: d.source,
        service_code: d.serviceCode ?? null, fields: JSON.stringify(d.fields), variants: JSON.stringify(d.variants ?? []), requesters: JSON.stringify(d.requesters),
        validity_days: d.validityDays, fee_minor: d.feeMinor ?? 0,
      })
      .onConflict((oc) => oc.column('code').doNothing())
      .executeTakeFirst();
    added += Number(inserted.numInsertedOrUpdatedRows ?? 0);
  }
  return added;
}

export async function findCertificateType(db: Executor, code: string): Promise<CertificateType | undefined> {
  return (await db.selectFrom('certificate_types').selectAll().where('code', '=', code).executeTakeFirst()) as CertificateType | undefined;
}

export async function certificateTypeForService(db: Executor, serviceCode: string): Promise<CertificateType | undefined> {
  return (await db.selectFrom('certificate_types').selectAll().where('service_code', '=', serviceCode).executeTakeFirst()) as CertificateType | undefined;
}

/** Types a person may request themselves (not those issued on approval, nor the mobile ID). */
export async function requestableTypes(db: Executor): Promise<CertificateType[]> {
  return (await db.selectFrom('certificate_types').selectAll().where('source', '<>', 'application').where('code', '<>', MOBILE_ID_TYPE).orderBy('code').execute()) as CertificateType[];
}
