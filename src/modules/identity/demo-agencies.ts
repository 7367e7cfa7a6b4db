import type { Role } from './roles.ts';

export interface DemoAgency {
  code: string;
  parent?: string;
  kind: 'central' | 'metropolitan' | 'district' | 'public-institution';
  nameKo: string;
  nameEn: string;
  phone: string;
  email: string;
  addressKo: string;
  addressEn: string;
  website: string;
  departments: Array<{ code: string; nameKo: string; nameEn: string; phone: string }>;
}

// Real institutions with illustrative contact details: demo data must not send anyone
// to a real office's phone line, so numbers and e-mail addresses are placeholders.
export const demoAgencies: DemoAgency[] = [
  {
    code: 'MOIS', kind: 'central', nameKo: '행정안전부', nameEn: 'Ministry of the Interior and Safety',
    phone: '044-000-1000', email: 'help@mois.example.kr',
    addressKo: '(30112) 세종특별자치시 도움6로 42', addressEn: '42 Doum 6-ro, Sejong 30112', website: 'https://mois.example.kr',
    departments: [
      { code: 'DGP', nameKo: '디지털정부정책과', nameEn: 'Digital Government Policy Division', phone: '044-000-1101' },
      { code: 'RES', nameKo: '주민과', nameEn: 'Resident Registration Division', phone: '044-000-1102' },
      { code: 'PDP', nameKo: '공공데이터정책과', nameEn: 'Public Data Policy Division', phone: '044-000-1103' },
    ],
  },
  {
    code: 'PPS', kind: 'central', nameKo: '조달청', nameEn: 'Public Procurement Service',
    phone: '042-000-2000', email: 'help@pps.example.kr',
    addressKo: '(35208) 대전광역시 서구 청사로 189', addressEn: '189 Cheongsa-ro, Seo-gu, Daejeon 35208', website: 'https://pps.example.kr',
    departments: [
      { code: 'EPB', nameKo: '전자조달국', nameEn: 'e-Procurement Bureau', phone: '042-000-2101' },
      { code: 'PUR', nameKo: '구매사업국', nameEn: 'Purchasing Bureau', phone: '042-000-2102' },
      { code: 'CON', nameKo: '시설사업국', nameEn: 'Construction Works Bureau', phone: '042-000-2103' },
    ],
  },
  {
    code: 'KCS', kind: 'central', nameKo: '관세청', nameEn: 'Korea Customs Service',
    phone: '042-000-3000', email: 'help@customs.example.kr',
    addressKo: '(35208) 대전광역시 서구 청사로 189', addressEn: '189 Cheongsa-ro, Seo-gu, Daejeon 35208', website: 'https://customs.example.kr',
    departments: [
      { code: 'CLR', nameKo: '통관국', nameEn: 'Customs Clearance Bureau', phone: '042-000-3101' },
      { code: 'IDP', nameKo: '정보데이터정책관', nameEn: 'Information and Data Policy Bureau', phone: '042-000-3102' },
    ],
  },
  {
    code: 'NTS', kind: 'central', nameKo: '국세청', nameEn: 'National Tax Service',
    phone: '044-000-4000', email: 'help@nts.example.kr',
    addressKo: '(30128) 세종특별자치시 국세청로 8-14', addressEn: '8-14 Guksecheong-ro, Sejong 30128', website: 'https://nts.example.kr',
    departments: [
      { code: 'TPA', nameKo: '납세자보호관실', nameEn: 'Office of the Taxpayer Advocate', phone: '044-000-4101' },
      { code: 'COL', nameKo: '징세법무국', nameEn: 'Tax Collection and Legal Affairs Bureau', phone: '044-000-4102' },
    ],
  },
  {
    code: 'ACRC', kind: 'central', nameKo: '국민권익위원회', nameEn: 'Anti-Corruption and Civil Rights Commission',
    phone: '044-000-5000', email: 'help@acrc.example.kr',
    addressKo: '(30102) 세종특별자치시 도움5로 20', addressEn: '20 Doum 5-ro, Sejong 30102', website: 'https://acrc.example.kr',
    departments: [
      { code: 'PET', nameKo: '국민신문고과', nameEn: 'e-People Division', phone: '044-000-5101' },
      { code: 'INT', nameKo: '청렴조사평가과', nameEn: 'Integrity Assessment Division', phone: '044-000-5102' },
    ],
  },
  {
    code: 'SMG', kind: 'metropolitan', nameKo: '서울특별시', nameEn: 'Seoul Metropolitan Government',
    phone: '02-000-6000', email: 'help@seoul.example.kr',
    addressKo: '(04524) 서울특별시 중구 세종대로 110', addressEn: '110 Sejong-daero, Jung-gu, Seoul 04524', website: 'https://seoul.example.kr',
    departments: [
      { code: 'CIV', nameKo: '민원담당관', nameEn: 'Civil Affairs Office', phone: '02-000-6101' },
      { code: 'URB', nameKo: '도시계획국', nameEn: 'Urban Planning Bureau', phone: '02-000-6102' },
      { code: 'HOU', nameKo: '주택실', nameEn: 'Housing Office', phone: '02-000-6103' },
    ],
  },
  {
    code: 'SMG-JONGNO', parent: 'SMG', kind: 'district', nameKo: '서울특별시 종로구청', nameEn: 'Jongno-gu Office, Seoul',
    phone: '02-000-7000', email: 'help@jongno.example.kr',
    addressKo: '(03153) 서울특별시 종로구 삼봉로 43', addressEn: '43 Sambong-ro, Jongno-gu, Seoul 03153', website: 'https://jongno.example.kr',
    departments: [
      { code: 'CIV', nameKo: '민원여권과', nameEn: 'Civil Affairs and Passport Division', phone: '02-000-7101' },
      { code: 'BLD', nameKo: '건축과', nameEn: 'Building Permits Division', phone: '02-000-7102' },
      { code: 'PLN', nameKo: '도시관리과', nameEn: 'Urban Management Division', phone: '02-000-7103' },
    ],
  },
  {
    code: 'SMG-GANGNAM', parent: 'SMG', kind: 'district', nameKo: '서울특별시 강남구청', nameEn: 'Gangnam-gu Office, Seoul',
    phone: '02-000-8000', email: 'help@gangnam.example.kr',
    addressKo: '(06090) 서울특별시 강남구 학동로 426', addressEn: '426 Hakdong-ro, Gangnam-gu, Seoul 06090', website: 'https://gangnam.example.kr',
    departments: [
      { code: 'CIV', nameKo: '민원여권과', nameEn: 'Civil Affairs and Passport Division', phone: '02-000-8101' },
      { code: 'BLD', nameKo: '건축과', nameEn: 'Building Permits Division', phone: '02-000-8102' },
      { code: 'DSN', nameKo: '도시디자인과', nameEn: 'Urban Design Division', phone: '02-000-8103' },
      { code: 'HLT', nameKo: '위생과', nameEn: 'Sanitation Division', phone: '02-000-8104' },
    ],
  },
];

export interface DemoOfficial {
  username: string;
  displayName: string;
  agency: string;
  department: string;
  roles: Role[];
}

export const demoOfficials: DemoOfficial[] = [
  { username: 'operator', displayName: '운영자 한지민', agency: 'MOIS', department: 'DGP', roles: ['platform-operator'] },
  { username: 'mois.admin', displayName: '관리자 최서윤', agency: 'MOIS', department: 'DGP', roles: ['agency-admin'] },
  { username: 'jongno.clerk', displayName: '주무관 박도현', agency: 'SMG-JONGNO', department: 'BLD', roles: ['clerk'] },
  { username: 'jongno.approver', displayName: '팀장 윤가은', agency: 'SMG-JONGNO', department: 'BLD', roles: ['approver', 'head-of-department'] },
  { username: 'jongno.planner', displayName: '주무관 한서진', agency: 'SMG-JONGNO', department: 'PLN', roles: ['clerk'] },
  { username: 'gangnam.clerk', displayName: '주무관 정우진', agency: 'SMG-GANGNAM', department: 'CIV', roles: ['clerk'] },
  { username: 'smg.auditor', displayName: '감사관 오하린', agency: 'SMG', department: 'CIV', roles: ['auditor'] },
  { username: 'pps.officer', displayName: '사무관 강민재', agency: 'PPS', department: 'EPB', roles: ['clerk', 'approver'] },
  { username: 'customs.officer', displayName: '관세사무관 임소율', agency: 'KCS', department: 'CLR', roles: ['clerk'] },
  { username: 'nts.officer', displayName: '조사관 서준호', agency: 'NTS', department: 'TPA', roles: ['clerk'] },
];

/** The demo password of every demo account; printed at start-up in development. */
export const DEMO_PASSWORD = 'nara-demo-2026';
