import type { LocalText } from '../../platform/db/schema.ts';
import type { FieldSchema, FormField, ServiceForm } from './service-form.ts';

export interface DemoService {
  code: string;
  agency: string;
  department: string;
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
}

const t = (ko: string, en: string): LocalText => ({ ko, en });

/** A field: its schema and its layout in one place, split apart by `form`. */
type Q = FormField & { schema: FieldSchema; required?: boolean };
const form = (...sections: Array<{ id: string; title: LocalText; help?: LocalText; fields: Q[] }>): ServiceForm => {
  const properties: Record<string, FieldSchema> = {};
  const required: string[] = [];
  for (const s of sections) {
    for (const q of s.fields) {
      properties[q.name] = q.schema;
      if (q.required) required.push(q.name);
    }
  }
  return {
    schema: { type: 'object', properties, required },
    sections: sections.map((s) => ({ ...s, fields: s.fields.map(({ schema: _s, required: _r, ...field }) => field) })),
  };
};

const text = (name: string, label: LocalText, extra: Partial<Q> & { max?: number; pattern?: string } = {}): Q => {
  const { max, pattern, ...rest } = extra;
  return { name, label, required: true, schema: { type: 'string', minLength: 1, maxLength: max ?? 200, ...(pattern ? { pattern } : {}) }, ...rest };
};
const choice = (name: string, label: LocalText, values: Array<[string, LocalText]>, extra: Partial<Q> = {}): Q => ({
  name, label, required: true, widget: values.length > 4 ? 'select' : 'radio', options: values.map(([, l]) => l), schema: { type: 'string', enum: values.map(([v]) => v) }, ...extra,
});
const integer = (name: string, label: LocalText, min: number, max: number, extra: Partial<Q> = {}): Q => ({ name, label, required: true, schema: { type: 'integer', minimum: min, maximum: max }, ...extra });
const yesNo = (name: string, label: LocalText, extra: Partial<Q> = {}): Q => ({ name, label, widget: 'checkbox', schema: { type: 'boolean' }, ...extra });
const date = (name: string, label: LocalText, extra: Partial<Q> = {}): Q => ({ name, label, required: true, schema: { type: 'string', format: 'date' }, help: t('예: 2026-12-01', 'For example 2026-12-01'), ...extra });

const contactSection = {
  id: 'contact',
  title: t('연락처', 'Contact'),
  help: t('처리 상황을 알려 드릴 연락처입니다.', 'Where we tell you how your application is going.'),
  fields: [text('contactPhone', t('휴대전화 번호', 'Mobile phone number'), { autocomplete: 'tel', help: t('예: 010-1234-5678', 'For example 010-1234-5678'), pattern: '^0[0-9]{1,2}-?[0-9]{3,4}-?[0-9]{4}$' })],
};

const confirmTruth = yesNo('declaration', t('위 내용이 사실과 다르지 않음을 확인합니다.', 'I confirm that the above is true.'), { required: true });

export const demoServices: DemoService[] = [
  {
    code: 'building-permit',
    agency: 'SMG-JONGNO',
    department: 'BLD',
    name: t('건축허가 신청', 'Building permit'),
    summary: t('건축물을 새로 짓거나 증축할 때 받는 허가입니다. 건축과와 도시관리과가 함께 검토합니다.', 'Permission to build or extend a building. The Building Permits and Urban Management divisions both review it.'),
    applicantKinds: ['resident', 'business'],
    legalBasis: t('건축법 제11조, 같은 법 시행령 제8조', 'Building Act, Article 11; Enforcement Decree, Article 8'),
    documents: [t('건축할 대지의 범위와 소유를 증명하는 서류', 'Proof of the site boundaries and ownership'), t('기본설계도서(배치도, 평면도, 입면도)', 'Basic design drawings (site plan, floor plans, elevations)'), t('건축사 도장이 찍힌 설계 개요', 'Design summary sealed by a licensed architect')],
    feeMinor: 27_000,
    periodDays: 10,
    steps: [t('접수', 'Receipt'), t('건축과 검토', 'Review by the Building Permits Division'), t('도시관리과 협의', 'Consultation with the Urban Management Division'), t('허가 여부 결정', 'Decision'), t('허가서 발급', 'Permit issued')],
    form: form(
      {
        id: 'site',
        title: t('대지와 건축물', 'Site and building'),
        fields: [
          text('siteAddress', t('대지 위치(지번)', 'Site address (lot number)'), { help: t('예: 서울특별시 종로구 청운동 12-3', 'For example 12-3 Cheongun-dong, Jongno-gu, Seoul') }),
          choice('use', t('주용도', 'Main use'), [['detached-house', t('단독주택', 'Detached house')], ['multi-family', t('다세대주택', 'Multi-family house')], ['neighbourhood', t('근린생활시설', 'Neighbourhood facility')], ['office', t('업무시설', 'Office')]]),
          integer('floorArea', t('연면적', 'Total floor area'), 1, 100_000, { unit: t('제곱미터', 'square metres') }),
          integer('floors', t('지상 층수', 'Floors above ground'), 1, 60),
          yesNo('hasBasement', t('지하층이 있습니다', 'There is a basement')),
          integer('basementDepth', t('지하층 깊이', 'Basement depth'), 1, 50, { unit: t('m', 'm'), showIf: { field: 'hasBasement', equals: true }, help: t('지하층이 있을 때만 적어 주세요.', 'Only if there is a basement.') }),
        ],
      },
      {
        id: 'architect',
        title: t('설계자', 'Architect'),
        fields: [
          text('architectName', t('건축사 이름', "Architect's name"), { max: 50 }),
          text('architectLicence', t('건축사 자격번호', "Architect's licence number"), { help: t('숫자 5~6자리', '5 or 6 digits'), pattern: '^[0-9]{5,6}$' }),
        ],
      },
      { ...contactSection, fields: [...contactSection.fields, confirmTruth] },
    ),
  },
  {
    code: 'export-declaration',
    agency: 'KCS',
    department: 'CLR',
    name: t('수출신고', 'Export declaration'),
    summary: t('물품을 수출하기 전에 세관에 신고합니다. 위험도가 낮은 신고는 몇 초 만에 자동으로 수리되고, 그 밖의 신고는 세관 심사관이 검사합니다.', 'Declare goods to customs before export. Low-risk declarations are cleared automatically within seconds; the others go to a customs inspector.'),
    applicantKinds: ['business'],
    legalBasis: t('관세법 제241조', 'Customs Act, Article 241'),
    documents: [t('송품장(인보이스)', 'Commercial invoice'), t('포장명세서', 'Packing list')],
    feeMinor: 0,
    periodDays: 1,
    steps: [t('신고 접수', 'Declaration received'), t('위험 분석(자동)', 'Risk analysis (automatic)'), t('심사 또는 검사', 'Examination or inspection'), t('수리', 'Clearance')],
    form: form(
      {
        id: 'goods',
        title: t('물품', 'Goods'),
        fields: [
          text('goodsDescription', t('품명', 'Description of goods'), { max: 200 }),
          text('hsCode', t('세번부호(HS 10단위)', 'HS code (10 digits)'), { help: t('숫자 10자리, 예: 8471300000', '10 digits, for example 8471300000'), pattern: '^[0-9]{10}$' }),
          integer('quantity', t('수량', 'Quantity'), 1, 10_000_000),
          integer('valueUsd', t('신고 가격(미국 달러)', 'Declared value (US dollars)'), 1, 1_000_000_000, { unit: t('USD', 'USD') }),
          choice('destination', t('목적국', 'Country of destination'), [['US', t('미국', 'United States')], ['CN', t('중국', 'China')], ['JP', t('일본', 'Japan')], ['VN', t('베트남', 'Viet Nam')], ['DE', t('독일', 'Germany')], ['OTHER', t('그 밖의 나라', 'Another country')]]),
          yesNo('strategicGoods', t('전략물자(수출 허가 대상)에 해당합니다', 'The goods are strategic items that need an export licence')),
        ],
      },
      { ...contactSection, fields: [...contactSection.fields, confirmTruth] },
    ),
    // Cleared at once when every condition holds; otherwise an inspector looks at it.
    rules: {
      id: 'kcs-export-low-risk',
      version: 1,
      description: t('가격 5만 달러 이하, 전략물자 아님, 주요 교역국 행, 개업 1년 이상 업체', 'Value up to USD 50,000, not strategic, to a main trading partner, by a business open for at least a year'),
      when: { and: [{ '<=': [{ var: 'valueUsd' }, 50_000] }, { '!': [{ var: 'strategicGoods' }] }, { in: [{ var: 'destination' }, ['US', 'CN', 'JP', 'VN', 'DE']] }, { '>=': [{ var: 'facts.businessYears' }, 1] }] },
      outcome: 'approved',
    },
  },
  {
    code: 'business-registration',
    agency: 'NTS',
    department: 'TPA',
    name: t('사업자등록 신청', 'Business registration'),
    summary: t('사업을 시작하면 20일 안에 사업자등록을 신청합니다.', 'Register a business within 20 days of starting it.'),
    applicantKinds: ['resident'],
    legalBasis: t('부가가치세법 제8조', 'Value-Added Tax Act, Article 8'),
    documents: [t('임대차계약서 사본(사업장을 빌린 경우)', 'Copy of the lease (if the premises are rented)'), t('허가·등록·신고증 사본(해당하는 경우)', 'Copy of any required licence')],
    feeMinor: 0,
    periodDays: 2,
    steps: [t('접수', 'Receipt'), t('사업장 확인', 'Premises check'), t('등록증 발급', 'Certificate issued')],
    form: form(
      {
        id: 'business',
        title: t('사업 내용', 'The business'),
        fields: [
          text('tradeName', t('상호', 'Trade name'), { max: 100 }),
          choice('businessType', t('과세 유형', 'Tax type'), [['general', t('일반과세자', 'General taxpayer')], ['simplified', t('간이과세자', 'Simplified taxpayer')]]),
          text('premisesAddress', t('사업장 주소', 'Address of the premises')),
          date('startDate', t('개업일', 'Start date')),
          yesNo('rentedPremises', t('사업장을 빌렸습니다', 'The premises are rented')),
          integer('monthlyRent', t('월 임대료', 'Monthly rent'), 0, 1_000_000_000, { unit: t('원', 'KRW'), showIf: { field: 'rentedPremises', equals: true } }),
        ],
      },
      contactSection,
    ),
  },
  {
    code: 'outdoor-advertising-permit',
    agency: 'SMG-GANGNAM',
    department: 'DSN',
    name: t('옥외광고물 표시 허가', 'Outdoor advertising permit'),
    summary: t('간판, 현수막 등 옥외광고물을 설치하기 전에 받는 허가입니다.', 'Permission to put up a sign, banner or other outdoor advertisement.'),
    applicantKinds: ['resident', 'business'],
    legalBasis: t('옥외광고물 등의 관리와 옥외광고산업 진흥에 관한 법률 제3조', 'Outdoor Advertisements Act, Article 3'),
    documents: [t('광고물 도안', 'Design of the advertisement'), t('설치 장소 사진', 'Photograph of the place')],
    feeMinor: 12_000,
    periodDays: 5,
    steps: [t('접수', 'Receipt'), t('현장 확인', 'Site visit'), t('심의', 'Review'), t('허가', 'Permit')],
    form: form(
      {
        id: 'sign',
        title: t('광고물', 'The advertisement'),
        fields: [
          choice('kind', t('종류', 'Kind'), [['wall-sign', t('벽면 간판', 'Wall sign')], ['projecting-sign', t('돌출 간판', 'Projecting sign')], ['banner', t('현수막', 'Banner')], ['rooftop', t('옥상 간판', 'Rooftop sign')]]),
          text('location', t('설치 장소', 'Where it goes')),
          integer('areaSqm', t('면적', 'Area'), 1, 500, { unit: t('제곱미터', 'square metres') }),
          yesNo('illuminated', t('조명이 있습니다', 'It is lit')),
        ],
      },
      contactSection,
    ),
  },
  {
    code: 'restaurant-licence',
    agency: 'SMG-GANGNAM',
    department: 'HLT',
    name: t('일반음식점 영업신고', 'Restaurant licence'),
    summary: t('음식점을 열기 전에 영업신고를 합니다. 위생교육 수료가 필요합니다.', 'Register a restaurant before opening. Food-hygiene training is required.'),
    applicantKinds: ['resident', 'business'],
    legalBasis: t('식품위생법 제37조', 'Food Sanitation Act, Article 37'),
    documents: [t('위생교육 수료증', 'Food-hygiene training certificate'), t('건강진단결과서', 'Health examination result')],
    feeMinor: 28_000,
    periodDays: 3,
    steps: [t('접수', 'Receipt'), t('시설 확인', 'Premises inspection'), t('신고증 발급', 'Licence issued')],
    form: form(
      {
        id: 'premises',
        title: t('영업장', 'Premises'),
        fields: [
          text('tradeName', t('상호', 'Trade name'), { max: 100 }),
          text('premisesAddress', t('영업장 주소', 'Address of the premises')),
          integer('seats', t('좌석 수', 'Number of seats'), 1, 2_000),
          date('trainingDate', t('위생교육 수료일', 'Date of hygiene training')),
        ],
      },
      contactSection,
    ),
  },
  {
    code: 'passport-reissue',
    agency: 'SMG-JONGNO',
    department: 'CIV',
    name: t('여권 재발급 신청', 'Passport reissue'),
    summary: t('유효기간이 끝났거나 잃어버린 여권을 다시 발급받습니다. 여권은 본인이 창구에서 받습니다.', 'Get a new passport when yours has expired or was lost. You collect it in person.'),
    applicantKinds: ['resident'],
    legalBasis: t('여권법 제9조', 'Passport Act, Article 9'),
    documents: [t('여권용 사진 1장', 'One passport photograph'), t('기존 여권(가지고 있는 경우)', 'Your old passport, if you have it')],
    feeMinor: 53_000,
    periodDays: 8,
    steps: [t('접수', 'Receipt'), t('신원 확인', 'Identity check'), t('여권 제작(한국조폐공사)', 'Printing'), t('교부', 'Handed over')],
    form: form(
      {
        id: 'passport',
        title: t('여권', 'Passport'),
        fields: [
          choice('reason', t('재발급 사유', 'Reason'), [['expired', t('유효기간 만료', 'Expired')], ['lost', t('분실', 'Lost')], ['damaged', t('훼손', 'Damaged')], ['full', t('사증란 부족', 'No pages left')]]),
          text('lostWhere', t('분실 장소와 경위', 'Where and how it was lost'), { widget: 'textarea', max: 500, showIf: { field: 'reason', equals: 'lost' } }),
          choice('pages', t('면수', 'Pages'), [['26', t('26면', '26 pages')], ['58', t('58면', '58 pages')]]),
        ],
      },
      contactSection,
    ),
  },
  {
    code: 'tax-payment-certificate',
    agency: 'NTS',
    department: 'COL',
    name: t('납세증명서 발급 신청', 'Tax-payment certificate'),
    summary: t('체납한 국세가 없음을 증명하는 서류입니다. 대금 수령이나 해외 이주에 필요합니다.', 'Proof that no national tax is overdue, needed to receive public payments or to emigrate.'),
    applicantKinds: ['resident', 'business'],
    legalBasis: t('국세징수법 제107조', 'National Tax Collection Act, Article 107'),
    documents: [],
    feeMinor: 0,
    periodDays: 1,
    steps: [t('접수', 'Receipt'), t('체납 여부 확인', 'Arrears check'), t('발급', 'Issued')],
    form: form({
      id: 'purpose',
      title: t('용도', 'Purpose'),
      fields: [
        choice('purpose', t('사용 목적', 'Purpose'), [['payment', t('대금 수령', 'Receiving a payment')], ['emigration', t('해외 이주', 'Emigration')], ['other', t('기타', 'Other')]]),
        text('purposeOther', t('그 밖의 목적', 'Other purpose'), { showIf: { field: 'purpose', equals: 'other' } }),
        integer('copies', t('발급 부수', 'Copies'), 1, 10),
      ],
    }),
  },
  {
    code: 'move-in-report',
    agency: 'SMG-JONGNO',
    department: 'CIV',
    name: t('전입신고', 'Move-in report'),
    summary: t('이사한 날부터 14일 안에 새 주소지에 전입신고를 합니다.', 'Report your new address within 14 days of moving.'),
    applicantKinds: ['resident'],
    legalBasis: t('주민등록법 제16조', 'Resident Registration Act, Article 16'),
    documents: [],
    feeMinor: 0,
    periodDays: 1,
    steps: [t('접수', 'Receipt'), t('거주 사실 확인', 'Residence check'), t('주민등록 정리', 'Register updated')],
    form: form(
      {
        id: 'address',
        title: t('새 주소', 'New address'),
        fields: [text('newAddress', t('새 주소', 'New address')), date('movedOn', t('이사한 날', 'Date of moving')), integer('householdMembers', t('함께 옮기는 세대원 수', 'Household members moving with you'), 0, 20, { required: false })],
      },
      contactSection,
    ),
  },
  {
    code: 'information-disclosure',
    agency: 'SMG',
    department: 'CIV',
    name: t('정보공개 청구', 'Request for information'),
    summary: t('공공기관이 가진 정보를 공개해 달라고 청구합니다. 10일 안에 공개 여부를 결정합니다.', 'Ask a public body for information it holds. It decides within 10 working days.'),
    applicantKinds: ['resident', 'business'],
    legalBasis: t('공공기관의 정보공개에 관한 법률 제10조, 제11조', 'Official Information Disclosure Act, Articles 10 and 11'),
    documents: [],
    feeMinor: 0,
    periodDays: 10,
    steps: [t('접수', 'Receipt'), t('담당 부서 지정', 'Assigned to a department'), t('공개 여부 결정', 'Decision'), t('공개', 'Disclosure')],
    form: form({
      id: 'request',
      title: t('청구 내용', 'Your request'),
      fields: [
        text('subject', t('청구하는 정보', 'Information requested'), { widget: 'textarea', max: 2_000 }),
        choice('format', t('공개 방법', 'How to receive it'), [['electronic', t('전자파일', 'Electronic file')], ['copy', t('사본', 'Paper copy')], ['viewing', t('열람', 'Viewing')]]),
      ],
    }),
  },
  {
    code: 'housing-benefit',
    agency: 'SMG',
    department: 'HOU',
    name: t('주거급여 신청', 'Housing benefit'),
    summary: t('소득이 기준 이하인 가구의 임차료를 지원합니다.', 'Help with rent for households with income below the threshold.'),
    applicantKinds: ['resident'],
    legalBasis: t('주거급여법 제7조', 'Housing Benefit Act, Article 7'),
    documents: [t('임대차계약서 사본', 'Copy of the lease'), t('소득 증빙 서류', 'Proof of income')],
    feeMinor: 0,
    periodDays: 30,
    steps: [t('접수', 'Receipt'), t('소득·재산 조사', 'Income and assets check'), t('주택 조사', 'Housing survey'), t('지급 결정', 'Decision')],
    form: form(
      {
        id: 'household',
        title: t('가구', 'Household'),
        fields: [integer('householdSize', t('가구원 수', 'People in the household'), 1, 20), integer('monthlyIncome', t('가구 월 소득', 'Monthly household income'), 0, 100_000_000, { unit: t('원', 'KRW') }), integer('monthlyRent', t('월 임차료', 'Monthly rent'), 0, 10_000_000, { unit: t('원', 'KRW') })],
      },
      contactSection,
    ),
  },
  {
    code: 'supplier-registration',
    agency: 'PPS',
    department: 'EPB',
    name: t('조달업체 등록', 'Supplier registration'),
    summary: t('공공조달 입찰에 참가하려는 업체가 경쟁입찰 참가자격을 등록합니다.', 'Register a business to bid in public tenders.'),
    applicantKinds: ['business'],
    legalBasis: t('국가를 당사자로 하는 계약에 관한 법률 시행령 제12조', 'Enforcement Decree of the Act on Contracts to which the State is a Party, Article 12'),
    documents: [t('법인 등기사항증명서(법인인 경우)', 'Corporate register extract (for companies)')],
    feeMinor: 0,
    periodDays: 3,
    steps: [t('접수', 'Receipt'), t('자격 확인', 'Eligibility check'), t('등록', 'Registered')],
    form: form({
      id: 'supplier',
      title: t('업체', 'Supplier'),
      fields: [
        choice('category', t('등록 분야', 'Category'), [['goods', t('물품', 'Goods')], ['services', t('용역', 'Services')], ['works', t('공사', 'Works')]]),
        integer('employees', t('상시 종업원 수', 'Permanent employees'), 0, 1_000_000),
        yesNo('smallBusiness', t('중소기업입니다', 'It is a small or medium enterprise')),
      ],
    }),
  },
  {
    code: 'open-data-request',
    agency: 'MOIS',
    department: 'PDP',
    name: t('공공데이터 제공 신청', 'Open data request'),
    summary: t('공개되지 않은 공공데이터를 제공해 달라고 신청합니다.', 'Ask for public data that has not yet been published.'),
    applicantKinds: ['resident', 'business'],
    legalBasis: t('공공데이터의 제공 및 이용 활성화에 관한 법률 제27조', 'Public Data Act, Article 27'),
    documents: [],
    feeMinor: 0,
    periodDays: 10,
    steps: [t('접수', 'Receipt'), t('보유 기관 확인', 'Holder identified'), t('제공 여부 결정', 'Decision')],
    form: form({
      id: 'data',
      title: t('데이터', 'Data'),
      fields: [text('dataset', t('원하는 데이터', 'Data wanted'), { widget: 'textarea', max: 2_000 }), text('use', t('활용 목적', 'What you will use it for'), { widget: 'textarea', max: 1_000 })],
    }),
  },
];
