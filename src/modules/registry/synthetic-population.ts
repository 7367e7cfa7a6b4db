// A fictional population for demo and load-test data. Every name, address, number
// and company is invented from the tables below; nothing is taken from real records.
import { formatBusinessNo, genderDigitFor, isLeapYear, nationalIdCheckDigit } from './national-id.ts';

export interface SyntheticResident {
  nameKo: string;
  nameEn: string;
  birthDate: string;
  sex: 'M' | 'F';
  nationalId: string;
  householdRole: 'head' | 'spouse' | 'child' | 'parent' | 'other';
  phone: string;
  email: string | null;
}

export interface SyntheticHousehold {
  regionCode: string;
  addressKo: string;
  addressEn: string;
  postalCode: string;
  /** The head is always members[0]. */
  members: SyntheticResident[];
}

export interface SyntheticBusiness {
  registrationNo: string;
  nameKo: string;
  nameEn: string;
  industryCode: string;
  addressKo: string;
  addressEn: string;
  openedOn: string;
  representative: { household: number; member: number };
}

export interface SyntheticPopulation {
  households: SyntheticHousehold[];
  businesses: SyntheticBusiness[];
}

export interface SeededRandom {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max], both ends included. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
}

/** Ages and "adult" are judged on this date, so the output never depends on the clock. */
export const populationReferenceDate = '2025-12-31';

const FIRST_BIRTH_YEAR = 1935;
const LAST_BIRTH_YEAR = 2024;
/** Born in or before this year means 19 or older on the reference date. */
const LAST_ADULT_BIRTH_YEAR = 2006;
/** Heads and spouses are at least 20, which keeps the representative's business dates simple. */
const LAST_HEAD_BIRTH_YEAR = 2005;
const MAX_RESIDENTS = 5_000_000;

export function createRandom(seed: number): SeededRandom {
  if (!Number.isFinite(seed)) throw new RangeError('seed must be a finite number');
  const whole = Math.trunc(seed);
  const high = Math.floor(whole / 0x1_0000_0000) | 0;
  let mix = whole | 0;
  // splitmix32 spreads the seed over sfc32's 128-bit state, so seeds 1 and 2 give unrelated streams.
  const splitmix = (): number => {
    mix = (mix + 0x9e3779b9) | 0;
    let z = mix;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) | 0;
  };
  let a = splitmix();
  let b = splitmix() ^ high;
  let c = splitmix();
  let d = splitmix();
  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 0x1_0000_0000;
  };
  for (let i = 0; i < 12; i++) next();
  return {
    next,
    int(min: number, max: number): number {
      if (max < min) throw new RangeError(`empty range [${min}, ${max}]`);
      return min + Math.floor(next() * (max - min + 1));
    },
    pick<T>(items: readonly T[]): T {
      if (items.length === 0) throw new RangeError('cannot pick from an empty list');
      return items[Math.floor(next() * items.length)] as T;
    },
  };
}

// --- Tables -------------------------------------------------------------------------

interface Weighted<T> {
  items: readonly T[];
  cumulative: Float64Array;
}

function weighted<T>(entries: ReadonlyArray<readonly [T, number]>): Weighted<T> {
  const cumulative = new Float64Array(entries.length);
  let total = 0;
  entries.forEach(([, weight], i) => {
    total += weight;
    cumulative[i] = total;
  });
  for (let i = 0; i < cumulative.length; i++) cumulative[i]! /= total;
  return { items: entries.map(([item]) => item), cumulative };
}

function drawWeighted<T>(random: SeededRandom, table: Weighted<T>): T {
  const r = random.next();
  const { cumulative, items } = table;
  let i = 0;
  while (i < cumulative.length - 1 && r >= cumulative[i]!) i++;
  return items[i] as T;
}

interface Surname {
  ko: string;
  en: string;
  emailPart: string;
}

// Rough shares of the population; the spellings are the customary ones, not strict RR.
const SURNAMES = weighted<Surname>(
  (
    [
      ['김', 'Kim', 21.6], ['이', 'Lee', 14.8], ['박', 'Park', 8.5], ['최', 'Choi', 4.7], ['정', 'Jung', 4.4],
      ['강', 'Kang', 2.4], ['조', 'Cho', 2.1], ['윤', 'Yoon', 2.1], ['장', 'Jang', 2.0], ['임', 'Lim', 1.7],
      ['한', 'Han', 1.5], ['오', 'Oh', 1.5], ['서', 'Seo', 1.5], ['신', 'Shin', 1.5], ['권', 'Kwon', 1.4],
      ['황', 'Hwang', 1.4], ['안', 'Ahn', 1.4], ['송', 'Song', 1.3], ['류', 'Ryu', 1.2], ['전', 'Jeon', 1.1],
      ['홍', 'Hong', 1.1], ['고', 'Ko', 0.9], ['문', 'Moon', 0.9], ['양', 'Yang', 0.9], ['손', 'Son', 0.9],
      ['배', 'Bae', 0.8],
    ] as const
  ).map(([ko, en, share]) => [{ ko, en, emailPart: en.toLowerCase() }, share] as const),
);

// Given names pair syllables the way names of each generation actually do; free
// pairing of the same syllables also yields words such as 지진 (earthquake) or 주민 (resident).
const GIVEN_NAMES_KO: Readonly<Record<'M' | 'F', readonly [string, string, string]>> = {
  M: [
    '영수 영호 영철 영식 영진 영길 정수 정호 정남 성수 성호 성철 상철 상호 상훈 동수 동호 재호 재철 종수 종호 광수 광호 병철 병수 용수 용호 기수 만수 춘식 봉수',
    '성호 성훈 성민 성진 정호 정훈 정민 재호 재훈 재민 재석 현우 현석 현준 준호 준영 동현 동욱 상현 상우 지훈 지호 승현 승민 진우 민수 민석 민호 태호 대현',
    '민준 서준 도윤 예준 시우 하준 지호 주원 지후 준우 준서 건우 현우 우진 선우 민재 현준 도현 지훈 승민 유준 은우 시윤 민성 태윤 재원 윤우 수호 이준 정우',
  ],
  F: [
    '영자 영숙 영희 영순 영옥 순자 순희 순옥 정자 정숙 정희 정순 미자 미숙 경자 경숙 경희 명자 명숙 옥자 옥순 말순 춘자 화자 숙자 영애 혜숙 은숙',
    '지영 지현 지은 지혜 미영 미정 미경 은영 은정 은주 은희 수진 수정 수연 혜진 혜영 현주 현정 선영 선희 유진 윤정 소영 소연 민정 민지 정은 보람',
    '서연 서윤 지우 서현 민서 하은 하윤 윤서 지유 지민 채원 수아 지아 지윤 은서 다은 예은 수빈 소율 예린 하린 지안 유나 가은 채은 서아 나은 다인 예서',
  ],
};

// Revised Romanization of each syllable on its own: RR applies no sound changes
// across the syllables of a given name.
const SYLLABLE_ROMANIZATION: Readonly<Record<string, string>> = {
  가: 'ga', 건: 'geon', 경: 'gyeong', 광: 'gwang', 기: 'gi', 길: 'gil', 나: 'na', 남: 'nam', 다: 'da',
  대: 'dae', 도: 'do', 동: 'dong', 람: 'ram', 린: 'rin', 말: 'mal', 만: 'man', 명: 'myeong', 미: 'mi',
  민: 'min', 병: 'byeong', 보: 'bo', 봉: 'bong', 빈: 'bin', 상: 'sang', 서: 'seo', 석: 'seok', 선: 'seon',
  성: 'seong', 소: 'so', 수: 'su', 숙: 'suk', 순: 'sun', 승: 'seung', 시: 'si', 식: 'sik', 아: 'a',
  안: 'an', 애: 'ae', 연: 'yeon', 영: 'yeong', 예: 'ye', 옥: 'ok', 용: 'yong', 우: 'u', 욱: 'uk',
  원: 'won', 유: 'yu', 윤: 'yun', 율: 'yul', 은: 'eun', 이: 'i', 인: 'in', 자: 'ja', 재: 'jae',
  정: 'jeong', 종: 'jong', 주: 'ju', 준: 'jun', 지: 'ji', 진: 'jin', 채: 'chae', 철: 'cheol', 춘: 'chun',
  태: 'tae', 하: 'ha', 현: 'hyeon', 혜: 'hye', 호: 'ho', 화: 'hwa', 후: 'hu', 훈: 'hun', 희: 'hui',
};

interface GivenName {
  ko: string;
  en: string;
  emailPart: string;
}

function romanizeGivenName(ko: string): GivenName {
  const syllables = [...ko].map((syllable) => {
    const en = SYLLABLE_ROMANIZATION[syllable];
    if (en === undefined) throw new Error(`no romanization for ${syllable}`);
    return en;
  });
  const [first, second] = syllables;
  if (syllables.length !== 2 || first === undefined || second === undefined) throw new Error(`not a two-syllable name: ${ko}`);
  // A hyphen keeps a vowel-initial second syllable readable (Ha-eun, not Haeun), as RR allows.
  const en = first.charAt(0).toUpperCase() + first.slice(1) + (/^[aeiou]/.test(second) ? '-' : '') + second;
  return { ko, en, emailPart: first + second };
}

function givenNames(list: string): readonly GivenName[] {
  return list.split(' ').map(romanizeGivenName);
}

// Indexed by generation: born before 1965, 1965–1989, 1990 and later.
const GIVEN_NAMES: Readonly<Record<'M' | 'F', readonly (readonly GivenName[])[]>> = {
  M: GIVEN_NAMES_KO.M.map(givenNames),
  F: GIVEN_NAMES_KO.F.map(givenNames),
};

interface Road {
  ko: string;
  en: string;
  maxNo: number;
}

interface District {
  code: string;
  ko: string;
  en: string;
  postalFrom: number;
  postalTo: number;
  roads: readonly Road[];
}

function district(code: string, ko: string, en: string, postal: readonly [number, number], roads: ReadonlyArray<readonly [string, string, number]>): District {
  return { code, ko, en, postalFrom: postal[0], postalTo: postal[1], roads: roads.map(([roadKo, roadEn, maxNo]) => ({ ko: roadKo, en: roadEn, maxNo })) };
}

// Real districts and roads; building numbers, units and the postal code within the
// district's range are invented.
const DISTRICTS = weighted<District>([
  [district('11110', '서울특별시 종로구', 'Jongno-gu, Seoul', [3000, 3199], [['종로', 'Jong-ro', 400], ['율곡로', 'Yulgok-ro', 300], ['대학로', 'Daehak-ro', 150], ['자하문로', 'Jahamun-ro', 300]]), 3],
  [district('11140', '서울특별시 중구', 'Jung-gu, Seoul', [4500, 4699], [['세종대로', 'Sejong-daero', 150], ['을지로', 'Eulji-ro', 300], ['퇴계로', 'Toegye-ro', 450], ['다산로', 'Dasan-ro', 300]]), 3],
  [district('11440', '서울특별시 마포구', 'Mapo-gu, Seoul', [3900, 4199], [['월드컵로', 'World Cup-ro', 400], ['양화로', 'Yanghwa-ro', 200], ['마포대로', 'Mapo-daero', 250], ['와우산로', 'Wausan-ro', 200]]), 5],
  [district('11560', '서울특별시 영등포구', 'Yeongdeungpo-gu, Seoul', [7200, 7499], [['여의대로', 'Yeoui-daero', 130], ['국제금융로', 'Gukjegeumyung-ro', 120], ['영등포로', 'Yeongdeungpo-ro', 450], ['당산로', 'Dangsan-ro', 250]]), 5],
  [district('11650', '서울특별시 서초구', 'Seocho-gu, Seoul', [6500, 6799], [['서초대로', 'Seocho-daero', 400], ['반포대로', 'Banpo-daero', 300], ['효령로', 'Hyoryeong-ro', 400]]), 5],
  [district('11680', '서울특별시 강남구', 'Gangnam-gu, Seoul', [6000, 6399], [['테헤란로', 'Teheran-ro', 520], ['강남대로', 'Gangnam-daero', 650], ['도산대로', 'Dosan-daero', 550], ['봉은사로', 'Bongeunsa-ro', 650], ['선릉로', 'Seolleung-ro', 900]]), 7],
  [district('11710', '서울특별시 송파구', 'Songpa-gu, Seoul', [5500, 5899], [['올림픽로', 'Olympic-ro', 600], ['송파대로', 'Songpa-daero', 570], ['백제고분로', 'Baekjegobun-ro', 500], ['중대로', 'Jungdae-ro', 250]]), 7],
  [district('26350', '부산광역시 해운대구', 'Haeundae-gu, Busan', [48000, 48199], [['해운대로', 'Haeundae-ro', 900], ['센텀중앙로', 'Centum jungang-ro', 200], ['달맞이길', 'Dalmaji-gil', 250], ['좌동순환로', 'Jwadongsunhwan-ro', 500]]), 6],
  [district('27260', '대구광역시 수성구', 'Suseong-gu, Daegu', [42000, 42299], [['달구벌대로', 'Dalgubeol-daero', 3000], ['동대구로', 'Dongdaegu-ro', 400], ['들안로', 'Deuran-ro', 400], ['범어천로', 'Beomeocheon-ro', 200]]), 5],
  [district('28185', '인천광역시 연수구', 'Yeonsu-gu, Incheon', [21900, 22099], [['컨벤시아대로', 'Convensia-daero', 300], ['송도과학로', 'Songdogwahak-ro', 150], ['인천타워대로', 'Incheon tower-daero', 300], ['청량로', 'Cheongnyang-ro', 150]]), 5],
  [district('29170', '광주광역시 북구', 'Buk-gu, Gwangju', [61000, 61299], [['용봉로', 'Yongbong-ro', 150], ['서암대로', 'Seoam-daero', 350], ['우치로', 'Uchi-ro', 500], ['첨단과기로', 'Cheomdangwagi-ro', 350]]), 5],
  [district('30200', '대전광역시 유성구', 'Yuseong-gu, Daejeon', [34000, 34299], [['대학로', 'Daehak-ro', 300], ['유성대로', 'Yuseong-daero', 1000], ['엑스포로', 'Expo-ro', 500], ['대덕대로', 'Daedeok-daero', 1200]]), 4],
  [district('31140', '울산광역시 남구', 'Nam-gu, Ulsan', [44600, 44799], [['삼산로', 'Samsan-ro', 350], ['번영로', 'Beonyeong-ro', 250], ['문수로', 'Munsu-ro', 500]]), 4],
  [district('36110', '세종특별자치시', 'Sejong-si', [30000, 30199], [['한누리대로', 'Hannuri-daero', 2200], ['도움6로', 'Doum 6-ro', 60], ['갈매로', 'Galmae-ro', 500], ['다솜로', 'Dasom-ro', 300]]), 3],
  [district('41117', '경기도 수원시 영통구', 'Yeongtong-gu, Suwon-si, Gyeonggi-do', [16500, 16799], [['영통로', 'Yeongtong-ro', 500], ['광교중앙로', 'Gwanggyojungang-ro', 300], ['매영로', 'Maeyeong-ro', 450], ['봉영로', 'Bongyeong-ro', 1800]]), 7],
  [district('41135', '경기도 성남시 분당구', 'Bundang-gu, Seongnam-si, Gyeonggi-do', [13400, 13699], [['판교역로', 'Pangyoyeok-ro', 250], ['분당로', 'Bundang-ro', 60], ['황새울로', 'Hwangsaeul-ro', 400], ['정자일로', 'Jeongjail-ro', 250]]), 7],
  [district('50110', '제주특별자치도 제주시', 'Jeju-si, Jeju-do', [63000, 63399], [['연북로', 'Yeonbuk-ro', 700], ['중앙로', 'Jungang-ro', 300], ['노연로', 'Noyeon-ro', 150], ['연삼로', 'Yeonsam-ro', 600]]), 4],
]);

// Korean household sizes (2023 census): about 35% single-person, few of five or more.
const HOUSEHOLD_SIZES = weighted<number>([[1, 35], [2, 29], [3, 19], [4, 13], [5, 4]]);

// Birth-year bands of household heads, as [from, to] pairs; single-person heads skew
// young adults and the elderly.
const SINGLE_HEAD_YEARS = weighted<readonly [number, number]>([
  [[1935, 1954], 24], [[1955, 1969], 20], [[1970, 1984], 19], [[1985, 1999], 29], [[2000, 2005], 8],
]);
const FAMILY_HEAD_YEARS = weighted<readonly [number, number]>([
  [[1935, 1954], 12], [[1955, 1964], 18], [[1965, 1974], 25], [[1975, 1984], 25], [[1985, 1994], 15], [[1995, 2005], 5],
]);

interface Industry {
  words: ReadonlyArray<readonly [string, string]>;
  /** KSIC-like 5-digit codes; illustrative, not an authoritative classification. */
  codes: readonly string[];
}

const INDUSTRIES: readonly Industry[] = [
  { words: [['건설', 'Construction'], ['종합건설', 'General Construction'], ['개발', 'Development'], ['토건', 'Engineering & Construction']], codes: ['41111', '41112', '41119', '41221'] },
  { words: [['소프트', 'Soft'], ['시스템즈', 'Systems'], ['테크', 'Tech'], ['정보통신', 'ICT'], ['데이터', 'Data']], codes: ['58222', '62010', '62021', '62022', '63112'] },
  { words: [['정밀', 'Precision'], ['산업', 'Industries'], ['기계', 'Machinery'], ['전자', 'Electronics'], ['화학', 'Chemical']], codes: ['20499', '22299', '25934', '26299', '29199'] },
  { words: [['식품', 'Foods'], ['푸드', 'Food'], ['제과', 'Confectionery'], ['농산', 'Agro']], codes: ['10309', '10619', '10712', '10797'] },
  { words: [['물류', 'Logistics'], ['운수', 'Transport'], ['익스프레스', 'Express'], ['해운', 'Shipping']], codes: ['49301', '50112', '52101', '52941', '52992'] },
  { words: [['컨설팅', 'Consulting'], ['파트너스', 'Partners'], ['경영연구소', 'Management Institute'], ['엔지니어링', 'Engineering']], codes: ['71511', '71531', '71532', '72129'] },
];

// Invented, generic brand words (native Korean words common in company names).
const BRANDS: ReadonlyArray<readonly [string, string]> = [
  ['한빛', 'Hanbit'], ['새솔', 'Saesol'], ['푸른', 'Pureun'], ['누리', 'Nuri'], ['다온', 'Daon'], ['가람', 'Garam'],
  ['한결', 'Hangyeol'], ['도담', 'Dodam'], ['세움', 'Seum'], ['하늘', 'Haneul'], ['별빛', 'Byeolbit'], ['바른', 'Bareun'],
  ['나래', 'Narae'], ['아름', 'Areum'], ['햇살', 'Haetsal'], ['으뜸', 'Eutteum'], ['늘봄', 'Neulbom'], ['새벽', 'Saebyeok'],
  ['청솔', 'Cheongsol'], ['다원', 'Dawon'], ['온누리', 'Onnuri'], ['미리내', 'Mirinae'], ['한마음', 'Hanmaeum'], ['새빛', 'Saebit'],
  ['은하', 'Eunha'], ['솔빛', 'Solbit'], ['참길', 'Chamgil'], ['한길', 'Hangil'], ['대들보', 'Daedeulbo'], ['모두', 'Modu'],
];

const CORPORATE_KINDS: readonly number[] = [81, 86, 87, 88];

const PAD2: readonly string[] = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const MONTH_STARTS = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334] as const;

function pad2(n: number): string {
  return PAD2[n] as string;
}

// --- Generator -------------------------------------------------------------------------

interface CalendarDate {
  year: number;
  month: number;
  day: number;
  dayOfYear: number;
}

type Role = SyntheticResident['householdRole'];

export function generatePopulation(options: { seed: number; residents: number; businesses?: number }): SyntheticPopulation {
  const { seed, residents } = options;
  const businessCount = options.businesses ?? Math.floor(residents / 20);
  if (!Number.isInteger(residents) || residents < 0 || residents > MAX_RESIDENTS) {
    throw new RangeError(`residents must be an integer from 0 to ${MAX_RESIDENTS}`);
  }
  if (!Number.isInteger(businessCount) || businessCount < 0) throw new RangeError('businesses must be a non-negative integer');
  if (businessCount > 0 && residents === 0) throw new RangeError('businesses need at least one resident to represent them');

  const random = createRandom(seed);
  const { next, int } = random;
  const usedNationalIds = new Set<number>();
  const usedPhones = new Set<number>();
  const usedEmails = new Set<string>();
  const usedBusinessNos = new Set<number>();

  const coin = (p: number): boolean => next() < p;
  const clampYear = (year: number, last: number): number => (year < FIRST_BIRTH_YEAR ? FIRST_BIRTH_YEAR : year > last ? last : year);

  function dateIn(year: number): CalendarDate {
    const leap = isLeapYear(year);
    const dayOfYear = int(0, leap ? 365 : 364);
    let month = 11;
    while (dayOfYear < MONTH_STARTS[month]! + (leap && month >= 2 ? 1 : 0)) month--;
    const day = dayOfYear - MONTH_STARTS[month]! - (leap && month >= 2 ? 1 : 0) + 1;
    return { year, month: month + 1, day, dayOfYear };
  }

  function yearIn(table: Weighted<readonly [number, number]>, min: number, max: number): number {
    // Redraw a few times to keep the band's shape, then clamp to stay feasible.
    for (let attempt = 0; attempt < 8; attempt++) {
      const [from, to] = drawWeighted(random, table);
      const year = int(from, to);
      if (year >= min && year <= max) return year;
    }
    return int(min, max);
  }

  function nationalIdFor(birth: CalendarDate, sex: 'M' | 'F'): string {
    const genderDigit = genderDigitFor(birth.year, sex);
    // Small-integer keys keep the set on V8's fast path: date, sex, then the serial offset.
    const dateKey = ((birth.year - FIRST_BIRTH_YEAR) * 366 + birth.dayOfYear) * 2 + (sex === 'M' ? 0 : 1);
    for (;;) {
      // Serials start 97–99, a region block the pre-2020 numbering never assigned, so a
      // generated number is unlikely to be a real person's.
      const serial = int(97_000, 99_999);
      const key = dateKey * 3_000 + (serial - 97_000);
      if (usedNationalIds.has(key)) continue;
      usedNationalIds.add(key);
      const birthPart = pad2(birth.year % 100) + pad2(birth.month) + pad2(birth.day);
      const serialPart = String(genderDigit) + serial;
      return `${birthPart}-${serialPart}${nationalIdCheckDigit(birthPart + serialPart)}`;
    }
  }

  function phone(): string {
    for (;;) {
      // 010-0xxx and 010-1xxx are not assigned to subscribers, so demo messages reach nobody.
      const middle = int(0, 1999);
      const last = int(0, 9999);
      const key = middle * 10_000 + last;
      if (usedPhones.has(key)) continue;
      usedPhones.add(key);
      return `010-${String(middle).padStart(4, '0')}-${String(last).padStart(4, '0')}`;
    }
  }

  function email(givenEmailPart: string, surname: Surname): string {
    const domain = coin(0.6) ? 'example.kr' : 'example.com';
    for (let attempt = 0; ; attempt++) {
      const number = attempt < 20 ? String(int(0, 999)).padStart(3, '0') : String(int(1000, 99_999));
      const address = `${givenEmailPart}.${surname.emailPart}${number}@${domain}`;
      if (usedEmails.has(address)) continue;
      usedEmails.add(address);
      return address;
    }
  }

  function resident(role: Role, sex: 'M' | 'F', birthYear: number, surname: Surname): SyntheticResident {
    const birth = dateIn(birthYear);
    const given = random.pick(GIVEN_NAMES[sex][birthYear < 1965 ? 0 : birthYear < 1990 ? 1 : 2]!);
    const adult = birthYear <= LAST_ADULT_BIRTH_YEAR;
    return {
      nameKo: surname.ko + given.ko,
      nameEn: `${surname.en} ${given.en}`,
      birthDate: `${birthYear}-${pad2(birth.month)}-${pad2(birth.day)}`,
      sex,
      nationalId: nationalIdFor(birth, sex),
      householdRole: role,
      phone: phone(),
      email: adult && coin(0.7) ? email(given.emailPart, surname) : null,
    };
  }

  function address(target: District, unitKo: (floor: number, unit: number) => string, unitEn: (floor: number, unit: number) => string, unitShare: number): { ko: string; en: string } {
    const road = random.pick(target.roads);
    const building = int(1, road.maxNo);
    const base = `${target.ko} ${road.ko} ${building}`;
    const baseEn = `${building} ${road.en}, ${target.en}`;
    if (!coin(unitShare)) return { ko: base, en: baseEn };
    const floor = int(1, 25);
    const unit = int(1, 8);
    return { ko: `${base}, ${unitKo(floor, unit)}`, en: `${unitEn(floor, unit)}, ${baseEn}` };
  }

  const apartmentKo = (floor: number, unit: number): string => `${floor}${pad2(unit)}호`;
  const apartmentEn = (floor: number, unit: number): string => `${floor}${pad2(unit)}`;
  const officeFloorKo = (floor: number): string => `${floor}층`;
  const officeFloorEn = (floor: number): string => `${floor}F`;

  function household(size: number): SyntheticHousehold {
    const target = drawWeighted(random, DISTRICTS);
    const place = address(target, apartmentKo, apartmentEn, 0.7);
    const members: SyntheticResident[] = [];
    const postalCode = String(int(target.postalFrom, target.postalTo)).padStart(5, '0');
    const result: SyntheticHousehold = { regionCode: target.code, addressKo: place.ko, addressEn: place.en, postalCode, members };

    if (size === 1) {
      const sex = coin(0.5) ? 'M' : 'F';
      members.push(resident('head', sex, yearIn(SINGLE_HEAD_YEARS, FIRST_BIRTH_YEAR, LAST_HEAD_BIRTH_YEAR), drawWeighted(random, SURNAMES)));
      return result;
    }

    let spouse = false;
    let children = 0;
    let parent = false;
    const r = next();
    if (size === 2) {
      if (r < 0.6) spouse = true;
      else if (r < 0.8) children = 1;
      else if (r < 0.9) parent = true;
    } else if (size === 3) {
      if (r < 0.7) { spouse = true; children = 1; }
      else if (r < 0.82) children = 2;
      else if (r < 0.94) { spouse = true; parent = true; }
      else { children = 1; parent = true; }
    } else if (size === 4) {
      spouse = true;
      if (r < 0.75) children = 2;
      else { children = 1; parent = r < 0.95; }
    } else {
      spouse = true;
      if (r < 0.45) children = 3;
      else { children = 2; parent = r < 0.9; }
    }

    // Children need parents born by 1998 (so both are 20+ at a birth by 2024); a parent
    // of the head needs a head born from 1957 (so the parent is 22+ years older and born 1935+).
    const earliest = parent ? 1957 : FIRST_BIRTH_YEAR;
    const latest = children > 0 ? 1998 : LAST_HEAD_BIRTH_YEAR;
    const headYear = yearIn(FAMILY_HEAD_YEARS, earliest, latest);
    const headSex: 'M' | 'F' = coin(spouse ? 0.8 : children > 0 ? 0.3 : 0.55) ? 'M' : 'F';
    const headSurname = drawWeighted(random, SURNAMES);
    members.push(resident('head', headSex, headYear, headSurname));

    let youngestParentYear = headYear;
    let oldestParentYear = headYear;
    let childSurname = headSurname;
    if (spouse) {
      const spouseSex = headSex === 'M' ? 'F' : 'M';
      // Husbands are a little older on average.
      const gap = int(-2, 5);
      const spouseYear = clampYear(headSex === 'M' ? headYear + gap : headYear - gap, LAST_HEAD_BIRTH_YEAR);
      const spouseSurname = drawWeighted(random, SURNAMES);
      members.push(resident('spouse', spouseSex, spouseYear, spouseSurname));
      if (spouseSex === 'M') childSurname = spouseSurname;
      youngestParentYear = Math.max(headYear, spouseYear);
      oldestParentYear = Math.min(headYear, spouseYear);
    }
    if (children > 0) {
      const from = youngestParentYear + 20;
      const to = Math.min(oldestParentYear + 40, LAST_BIRTH_YEAR);
      // Most births fall to parents in their mid-twenties to late thirties.
      const usualFrom = Math.max(from, youngestParentYear + 24);
      const usualTo = Math.min(to, oldestParentYear + 38);
      // Siblings follow the eldest a few years apart.
      const spread = (children - 1) * 2;
      let year = usualFrom <= usualTo - spread && coin(0.85) ? int(usualFrom, usualTo - spread) : int(from, Math.max(from, to - spread));
      for (let i = 0; i < children; i++) {
        if (i > 0) year = Math.min(year + int(1, 4), to);
        members.push(resident('child', coin(0.51) ? 'M' : 'F', year, childSurname));
      }
    }
    if (parent) {
      const sex = coin(0.35) ? 'M' : 'F';
      const year = int(Math.max(FIRST_BIRTH_YEAR, headYear - 40), headYear - 22);
      // Korean women keep their surname on marriage, so only the father shares the head's.
      members.push(resident('parent', sex, year, sex === 'M' ? headSurname : drawWeighted(random, SURNAMES)));
    }
    while (members.length < size) {
      // A sibling of the head.
      members.push(resident('other', coin(0.5) ? 'M' : 'F', clampYear(headYear + int(-8, 8), LAST_BIRTH_YEAR), headSurname));
    }
    return result;
  }

  const households: SyntheticHousehold[] = [];
  for (let remaining = residents; remaining > 0; ) {
    const size = Math.min(drawWeighted(random, HOUSEHOLD_SIZES), remaining);
    households.push(household(size));
    remaining -= size;
  }

  const businesses: SyntheticBusiness[] = [];
  for (let i = 0; i < businessCount; i++) {
    const industry = random.pick(INDUSTRIES);
    const [brandKo, brandEn] = random.pick(BRANDS);
    const [wordKo, wordEn] = random.pick(industry.words);
    const form = next();
    const corporate = form < 0.8;
    let nameKo: string;
    let nameEn: string;
    if (form < 0.55) { nameKo = `${brandKo}${wordKo} 주식회사`; nameEn = `${brandEn} ${wordEn} Co., Ltd.`; }
    else if (form < 0.7) { nameKo = `주식회사 ${brandKo}${wordKo}`; nameEn = `${brandEn} ${wordEn} Co., Ltd.`; }
    else if (form < 0.8) { nameKo = `${brandKo}${wordKo} 유한회사`; nameEn = `${brandEn} ${wordEn} Ltd.`; }
    else { nameKo = `${brandKo}${wordKo}`; nameEn = `${brandEn} ${wordEn}`; }

    let registrationNo: string;
    for (;;) {
      // Middle digits mark the kind of taxpayer: 81/86/87/88 for-profit company head
      // offices, 01–79 sole proprietors.
      const office = int(101, 899);
      const kind = corporate ? random.pick(CORPORATE_KINDS) : int(1, 79);
      const serial = int(1, 9999);
      const key = (office * 100 + kind) * 10_000 + serial;
      if (usedBusinessNos.has(key)) continue;
      usedBusinessNos.add(key);
      registrationNo = formatBusinessNo(String(office) + pad2(kind) + String(serial).padStart(4, '0'));
      break;
    }

    // Prefer working-age representatives; heads (members[0]) are always born by 2005.
    let householdIndex = 0;
    let memberIndex = 0;
    let birthYear = 0;
    for (let attempt = 0; attempt < 4; attempt++) {
      householdIndex = int(0, households.length - 1);
      const members = households[householdIndex]!.members;
      memberIndex = int(0, members.length - 1);
      birthYear = Number(members[memberIndex]!.birthDate.slice(0, 4));
      if (birthYear >= 1950 && birthYear <= 2000) break;
    }
    if (birthYear > LAST_HEAD_BIRTH_YEAR) {
      memberIndex = 0;
      birthYear = Number(households[householdIndex]!.members[0]!.birthDate.slice(0, 4));
    }
    // Opened no earlier than the year the representative turned 20.
    const opened = dateIn(int(Math.max(1990, birthYear + 20), 2025));
    const target = drawWeighted(random, DISTRICTS);
    const place = address(target, officeFloorKo, officeFloorEn, 0.8);
    businesses.push({
      registrationNo,
      nameKo,
      nameEn,
      industryCode: random.pick(industry.codes),
      addressKo: place.ko,
      addressEn: place.en,
      openedOn: `${opened.year}-${pad2(opened.month)}-${pad2(opened.day)}`,
      representative: { household: householdIndex, member: memberIndex },
    });
  }

  return { households, businesses };
}

/** The district's name for a region code, or undefined if the code is not one of ours. */
export function districtName(code: string): { ko: string; en: string } | undefined {
  const found = DISTRICTS.items.find((d) => d.code === code);
  return found ? { ko: found.ko, en: found.en } : undefined;
}
