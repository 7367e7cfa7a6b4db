import { test } from 'node:test';
import assert from 'node:assert/strict';
import { centuryOfGenderDigit, isValidBusinessNo, isValidNationalId } from './national-id.ts';
import { createRandom, generatePopulation, populationReferenceDate, type SyntheticResident } from './synthetic-population.ts';

const population = generatePopulation({ seed: 20_240_601, residents: 20_000 });
const residents = population.households.flatMap((household) => household.members);

const surnameSpellings: Readonly<Record<string, string>> = {
  김: 'Kim', 이: 'Lee', 박: 'Park', 최: 'Choi', 정: 'Jung', 강: 'Kang', 조: 'Cho', 윤: 'Yoon', 장: 'Jang', 임: 'Lim',
  한: 'Han', 오: 'Oh', 서: 'Seo', 신: 'Shin', 권: 'Kwon', 황: 'Hwang', 안: 'Ahn', 송: 'Song', 류: 'Ryu', 전: 'Jeon',
};

function birthYear(resident: SyntheticResident): number {
  return Number(resident.birthDate.slice(0, 4));
}

function ageOn(resident: SyntheticResident, date: string): number {
  const age = Number(date.slice(0, 4)) - birthYear(resident);
  return date.slice(5) < resident.birthDate.slice(5) ? age - 1 : age;
}

function isRealDate(date: string): boolean {
  const parsed = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === date;
}

test('the population has exactly the number of residents asked for', () => {
  assert.equal(residents.length, 20_000);
  for (const count of [0, 1, 2, 7, 99, 1_001]) {
    const small = generatePopulation({ seed: count, residents: count });
    assert.equal(small.households.reduce((sum, household) => sum + household.members.length, 0), count, `${count} residents`);
  }
});

test('the same seed gives the same population', () => {
  const first = generatePopulation({ seed: 7, residents: 5_000 });
  const second = generatePopulation({ seed: 7, residents: 5_000 });
  assert.equal(JSON.stringify(first), JSON.stringify(second));
});

test('different seeds give different populations', () => {
  const first = generatePopulation({ seed: 7, residents: 1_000 });
  const second = generatePopulation({ seed: 8, residents: 1_000 });
  assert.notEqual(JSON.stringify(first), JSON.stringify(second));
  assert.notDeepEqual(first.households[0], second.households[0]);
});

test('every generated national ID is valid and matches the birth date and sex', () => {
  for (const resident of residents) {
    assert.ok(isValidNationalId(resident.nationalId), resident.nationalId);
    assert.match(resident.nationalId, /^\d{6}-\d{7}$/);
    const genderDigit = Number(resident.nationalId[7]);
    assert.equal(resident.nationalId.slice(0, 6), resident.birthDate.slice(2).replaceAll('-', ''));
    assert.equal(centuryOfGenderDigit(genderDigit) + Number(resident.nationalId.slice(0, 2)), birthYear(resident));
    assert.equal(genderDigit % 2 === 1 ? 'M' : 'F', resident.sex, resident.nationalId);
  }
});

test('national IDs are unique across the population', () => {
  assert.equal(new Set(residents.map((resident) => resident.nationalId)).size, residents.length);
});

test('phone numbers are unique mobile numbers', () => {
  for (const resident of residents) assert.match(resident.phone, /^010-\d{4}-\d{4}$/);
  assert.equal(new Set(residents.map((resident) => resident.phone)).size, residents.length);
});

test('birth dates are real days between 1935 and 2024', () => {
  for (const resident of residents) {
    assert.ok(isRealDate(resident.birthDate), resident.birthDate);
    assert.ok(resident.birthDate >= '1935-01-01' && resident.birthDate <= '2024-12-31', resident.birthDate);
  }
  const years = new Set(residents.map(birthYear));
  assert.ok(years.has(1935) || years.has(1936), 'the oldest cohort is present');
  assert.ok(years.has(2024) || years.has(2023), 'the youngest cohort is present');
});

test('households have one to five members and many live alone', () => {
  const sizes = population.households.map((household) => household.members.length);
  for (const size of sizes) assert.ok(size >= 1 && size <= 5, `size ${size}`);
  const alone = sizes.filter((size) => size === 1).length / sizes.length;
  assert.ok(alone > 0.25 && alone < 0.45, `single-person share ${alone}`);
  for (const size of [2, 3, 4, 5]) assert.ok(sizes.includes(size), `some households of ${size}`);
});

test('each household has exactly one head, listed first, who is an adult', () => {
  for (const household of population.households) {
    const [head] = household.members;
    assert.ok(head);
    assert.equal(head.householdRole, 'head');
    assert.equal(household.members.filter((member) => member.householdRole === 'head').length, 1);
    assert.ok(ageOn(head, populationReferenceDate) >= 19, head.birthDate);
  }
});

test('a spouse is an adult of the other sex and of similar age', () => {
  let spouses = 0;
  for (const household of population.households) {
    const head = household.members[0]!;
    for (const spouse of household.members.filter((member) => member.householdRole === 'spouse')) {
      spouses++;
      assert.notEqual(spouse.sex, head.sex);
      assert.ok(Math.abs(birthYear(spouse) - birthYear(head)) <= 7, `${head.birthDate} / ${spouse.birthDate}`);
      assert.ok(ageOn(spouse, populationReferenceDate) >= 19, spouse.birthDate);
    }
  }
  assert.ok(spouses > 1_000, 'couples are common');
});

test('a child is 20 to 40 years younger than each parent in the household', () => {
  let children = 0;
  for (const household of population.households) {
    const parents = household.members.filter((member) => member.householdRole === 'head' || member.householdRole === 'spouse');
    for (const child of household.members.filter((member) => member.householdRole === 'child')) {
      children++;
      for (const parent of parents) {
        const gap = birthYear(child) - birthYear(parent);
        assert.ok(gap >= 20 && gap <= 40, `${parent.birthDate} → ${child.birthDate}`);
      }
    }
  }
  assert.ok(children > 1_000, 'children are common');
});

test('an elderly parent is at least 20 years older than the head', () => {
  let parents = 0;
  for (const household of population.households) {
    const head = household.members[0]!;
    for (const parent of household.members.filter((member) => member.householdRole === 'parent')) {
      parents++;
      assert.ok(birthYear(head) - birthYear(parent) >= 20, `${parent.birthDate} → ${head.birthDate}`);
    }
  }
  assert.ok(parents > 0, 'some households include a parent');
});

test('names are Korean with a Revised Romanization English form', () => {
  for (const resident of residents) {
    assert.match(resident.nameKo, /^[가-힣]{3}$/);
    assert.match(resident.nameEn, /^[A-Z][a-z]+ [A-Z][a-z]*(?:-[a-z]+)?$/);
    const spelling = surnameSpellings[resident.nameKo[0]!];
    if (spelling !== undefined) assert.ok(resident.nameEn.startsWith(`${spelling} `), `${resident.nameKo} ${resident.nameEn}`);
  }
  const kims = residents.filter((resident) => resident.nameKo.startsWith('김')).length / residents.length;
  assert.ok(kims > 0.15 && kims < 0.3, `share of Kim ${kims}`);
});

test('only adults have e-mail addresses, about 70% of them, all on example domains', () => {
  const adults = residents.filter((resident) => ageOn(resident, populationReferenceDate) >= 19);
  for (const resident of residents) {
    if (resident.email === null) continue;
    assert.ok(ageOn(resident, populationReferenceDate) >= 19, resident.birthDate);
    assert.match(resident.email, /^[a-z]+\.[a-z]+\d{3,5}@example\.(?:kr|com)$/);
    const [, surname] = /^[a-z]+\.([a-z]+)\d/.exec(resident.email) ?? [];
    assert.equal(surname, resident.nameEn.split(' ')[0]!.toLowerCase());
  }
  const share = adults.filter((resident) => resident.email !== null).length / adults.length;
  assert.ok(share > 0.65 && share < 0.75, `e-mail share ${share}`);
  const emails = residents.flatMap((resident) => (resident.email === null ? [] : [resident.email]));
  assert.equal(new Set(emails).size, emails.length);
});

test('households have road-name addresses in real districts, in Korean and English', () => {
  const knownDistricts = ['11110', '11140', '11680', '11440', '11710', '26350', '27260', '28185', '29170', '30200', '36110', '41117'];
  const seen = new Set<string>();
  for (const household of population.households) {
    assert.match(household.regionCode, /^\d{5}$/);
    assert.match(household.postalCode, /^\d{5}$/);
    assert.match(household.addressKo, /^[가-힣 ]+ [가-힣0-9]+(?:로|길) \d+(?:, \d+호)?$/);
    assert.match(household.addressEn, /^(?:\d+, )?\d+ [A-Za-z0-9 ]+-(?:ro|daero|gil), [A-Za-z-]+(?:, [A-Za-z-]+)*$/);
    seen.add(household.regionCode);
  }
  for (const code of knownDistricts) assert.ok(seen.has(code), `district ${code} is used`);
  const gangnam = population.households.find((household) => household.regionCode === '11680')!;
  assert.ok(gangnam.addressKo.startsWith('서울특별시 강남구 '));
  assert.ok(gangnam.addressEn.endsWith(', Gangnam-gu, Seoul'));
});

test('businesses default to one per twenty residents', () => {
  assert.equal(population.businesses.length, 1_000);
  assert.equal(generatePopulation({ seed: 1, residents: 100, businesses: 3 }).businesses.length, 3);
});

test('business registration numbers are valid and unique', () => {
  for (const business of population.businesses) assert.ok(isValidBusinessNo(business.registrationNo), business.registrationNo);
  assert.equal(new Set(population.businesses.map((business) => business.registrationNo)).size, population.businesses.length);
});

test('a business is represented by a resident who was an adult when it opened', () => {
  for (const business of population.businesses) {
    const representative = population.households[business.representative.household]?.members[business.representative.member];
    assert.ok(representative, JSON.stringify(business.representative));
    assert.ok(ageOn(representative, business.openedOn) >= 19, `${representative.birthDate} opened ${business.openedOn}`);
  }
});

test('businesses have invented names, KSIC-like codes and opening dates from 1990 to 2025', () => {
  for (const business of population.businesses) {
    assert.match(business.industryCode, /^\d{5}$/);
    assert.ok(isRealDate(business.openedOn) && business.openedOn >= '1990-01-01' && business.openedOn <= '2025-12-31', business.openedOn);
    assert.match(business.nameKo, /^(?:주식회사 )?[가-힣]+(?: 주식회사| 유한회사)?$/);
    assert.match(business.nameEn, /^[A-Z][A-Za-z&.,]*(?: [A-Za-z&.,]+)*$/);
    assert.equal(business.nameKo.includes('주식회사'), business.nameEn.endsWith('Co., Ltd.'));
    assert.ok(business.addressKo.length > 0 && business.addressEn.length > 0);
  }
});

test('the seeded random source is repeatable and stays within its bounds', () => {
  const first = createRandom(99);
  const second = createRandom(99);
  for (let i = 0; i < 1_000; i++) {
    const value = first.next();
    assert.equal(value, second.next());
    assert.ok(value >= 0 && value < 1);
    const n = first.int(-3, 3);
    assert.equal(n, second.int(-3, 3));
    assert.ok(Number.isInteger(n) && n >= -3 && n <= 3);
  }
  const seen = new Set<number>();
  const random = createRandom(1);
  for (let i = 0; i < 200; i++) seen.add(random.int(1, 6));
  assert.deepEqual([...seen].sort(), [1, 2, 3, 4, 5, 6]);
  assert.notEqual(createRandom(1).next(), createRandom(2).next());
  assert.throws(() => random.pick([]), RangeError);
});

test('impossible requests are refused', () => {
  assert.throws(() => generatePopulation({ seed: 1, residents: -1 }), RangeError);
  assert.throws(() => generatePopulation({ seed: 1, residents: 1.5 }), RangeError);
  assert.throws(() => generatePopulation({ seed: 1, residents: 0, businesses: 1 }), RangeError);
  assert.throws(() => generatePopulation({ seed: Number.NaN, residents: 10 }), RangeError);
});
