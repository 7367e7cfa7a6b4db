import type { Executor } from '../../platform/db/database.ts';
import type { FieldEncryption } from '../../platform/crypto/field-encryption.ts';
import type { LocalText } from '../../platform/db/schema.ts';
import { DomainError } from '../../platform/http/errors.ts';
import { businessRegistration, residentFacts, residentNationalId, residentRecord, type HouseholdMember } from '../registry/index.ts';
import { displayNames, residentIdOf } from '../identity/index.ts';
import type { ApprovedApplication } from '../applications/index.ts';
import type { CertificateType } from './certificate-types.ts';

/** What a certificate states, by field key, in both languages. */
export type Facts = Record<string, LocalText>;

const same = (value: string): LocalText => ({ ko: value, en: value });
const roleNames: Record<HouseholdMember['role'], LocalText> = {
  head: { ko: '세대주', en: 'Head' },
  spouse: { ko: '배우자', en: 'Spouse' },
  child: { ko: '자녀', en: 'Child' },
  parent: { ko: '부모', en: 'Parent' },
  other: { ko: '동거인', en: 'Other' },
};

export interface FactSubject {
  holderAccountId: number;
  businessId?: number | null;
  application?: ApprovedApplication;
}

/**
 * Reads what a certificate of this type states about its subject, from the register or the
 * approved application named. Facts the register does not hold are simply absent.
 * @throws DomainError NOT_FOUND when the person has no register record (or the business or
 *   application is missing)
 */
export async function gatherFacts(db: Executor, encryption: FieldEncryption, type: CertificateType, subject: FactSubject, today: string): Promise<Facts> {
  if (type.source === 'business-register') {
    const business = subject.businessId ? await businessRegistration(db, subject.businessId) : undefined;
    if (!business) throw new DomainError('NOT_FOUND', 'documents.error.noBusiness');
    return {
      businessName: { ko: business.nameKo, en: business.nameEn },
      registrationNo: same(business.registrationNo),
      representative: { ko: business.representativeKo, en: business.representativeEn },
      address: business.address,
      industryCode: same(business.industryCode),
      openedOn: same(business.openedOn),
    };
  }
  if (type.source === 'application') {
    const app = subject.application;
    if (!app) throw new DomainError('NOT_FOUND');
    return applicationFacts(db, type.code, app);
  }
  const residentId = await residentIdOf(db, subject.holderAccountId);
  const record = residentId === undefined ? undefined : await residentRecord(db, residentId);
  if (!record || residentId === undefined) throw new DomainError('NOT_FOUND', 'documents.error.noRecord');
  const facts: Facts = {
    name: { ko: record.nameKo, en: record.nameEn },
    birthDate: same(record.birthDate),
  };
  if (type.code === 'mobile-id') {
    const extra = await residentFacts(db, residentId);
    facts.ageOver19 = isAdultOn(record.birthDate, today) ? { ko: '예', en: 'Yes' } : { ko: '아니요', en: 'No' };
    if (extra) facts.region = { ko: extra.region.nameKo, en: extra.region.nameEn };
    return facts;
  }
  // Masked unless the law behind this type needs the whole number on the certificate.
  facts.nationalId = same(type.shows_full_national_id ? ((await residentNationalId(db, encryption, residentId)) ?? record.nationalIdMasked) : record.nationalIdMasked);
  facts.address = { ko: `${record.address.ko} (${record.address.postalCode})`, en: `${record.address.en} ${record.address.postalCode}` };
  facts.registeredOn = same(record.registeredOn);
  const head = record.household.find((m) => m.role === 'head');
  if (head) facts.householdHead = { ko: head.nameKo, en: head.nameEn };
  const line = (m: HouseholdMember, lang: 'ko' | 'en') => `${roleNames[m.role][lang]} ${lang === 'ko' ? m.nameKo : m.nameEn} (${m.birthDate}, ${m.nationalIdMasked})`;
  facts.householdMembers = { ko: record.household.map((m) => line(m, 'ko')).join('\n'), en: record.household.map((m) => line(m, 'en')).join('\n') };
  return facts;
}

async function applicationFacts(db: Executor, typeCode: string, app: ApprovedApplication): Promise<Facts> {
  const a = app.answerTexts;
  const residentId = await residentIdOf(db, app.applicantAccountId);
  const person = residentId === undefined ? undefined : await residentRecord(db, residentId);
  const business = app.businessId ? await businessRegistration(db, app.businessId) : undefined;
  const fallback = (await displayNames(db, [app.applicantAccountId])).get(app.applicantAccountId) ?? '';
  const holder: LocalText = business
    ? { ko: `${business.nameKo} (${business.registrationNo})`, en: `${business.nameEn} (${business.registrationNo})` }
    : person ? { ko: person.nameKo, en: person.nameEn } : same(fallback);
  if (typeCode === 'tax-payment') {
    const purpose = app.answers.purpose === 'other' && a.purposeOther ? a.purposeOther : a.purpose;
    return { taxpayer: holder, ...(purpose ? { purpose } : {}), arrears: { ko: '체납액 없음', en: 'None' }, receiptNo: same(app.receiptNo) };
  }
  const facts: Facts = { permitNo: same(app.receiptNo), permitHolder: holder };
  for (const [key, from] of [['siteAddress', 'siteAddress'], ['use', 'use'], ['floorArea', 'floorArea'], ['floors', 'floors']] as const) {
    if (a[from]) facts[key] = a[from];
  }
  if (a.architectName) facts.architect = { ko: `${a.architectName.ko}${a.architectLicence ? ` (${a.architectLicence.ko})` : ''}`, en: `${a.architectName.en}${a.architectLicence ? ` (${a.architectLicence.en})` : ''}` };
  facts.conditions = { ko: '공사를 시작하기 전에 착공신고를 하십시오. 2년 안에 착공하지 않으면 허가가 취소될 수 있습니다.', en: 'Report the start of works before beginning them. The permit may be cancelled if works have not begun within two years.' };
  return facts;
}

/** Civil Act: majority at 19 full years. */
export function isAdultOn(birthDate: string, today: string): boolean {
  const year = Number(today.slice(0, 4)) - 19;
  return birthDate <= `${String(year).padStart(4, '0')}${today.slice(4)}`;
}
