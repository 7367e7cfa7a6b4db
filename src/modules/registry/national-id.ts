// Resident registration numbers (주민등록번호, YYMMDD-GNNNNNC) and business
// registration numbers (사업자등록번호, NNN-NN-NNNNN).

const NATIONAL_ID_WEIGHTS = '234567892345';
const BUSINESS_NO_WEIGHTS = '137137135';
const NATIONAL_ID_PATTERN = /^(\d{6})-?(\d{7})$/;
const BIRTH_DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function isRealDate(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function digitAt(text: string, index: number): number {
  return text.charCodeAt(index) - 48;
}

/** 1/2 and 5/6 (foreign residents) are the 1900s, 3/4 and 7/8 the 2000s, 9/0 the 1800s. */
export function centuryOfGenderDigit(genderDigit: number): number {
  switch (genderDigit) {
    case 1: case 2: case 5: case 6: return 1900;
    case 3: case 4: case 7: case 8: return 2000;
    default: return 1800;
  }
}

export function genderDigitFor(year: number, sex: 'M' | 'F'): number {
  if (year >= 2000) return sex === 'M' ? 3 : 4;
  if (year >= 1900) return sex === 'M' ? 1 : 2;
  return sex === 'M' ? 9 : 0;
}

export function nationalIdCheckDigit(first12: string): number {
  if (!/^\d{12}$/.test(first12)) throw new RangeError('expected the first 12 digits of a national ID');
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += digitAt(first12, i) * digitAt(NATIONAL_ID_WEIGHTS, i);
  return (11 - (sum % 11)) % 10;
}

// Numbers assigned since October 2020 randomise the digits after G; real people's
// numbers are not guaranteed to pass this checksum, so do not use it alone to turn
// someone away. The platform's own demo numbers always carry it.
export function isValidNationalId(value: string): boolean {
  const match = NATIONAL_ID_PATTERN.exec(value);
  if (!match) return false;
  const birth = match[1]!;
  const rest = match[2]!;
  const year = centuryOfGenderDigit(digitAt(rest, 0)) + Number(birth.slice(0, 2));
  if (!isRealDate(year, Number(birth.slice(2, 4)), Number(birth.slice(4, 6)))) return false;
  return nationalIdCheckDigit(birth + rest.slice(0, 6)) === digitAt(rest, 6);
}

export function formatNationalId(birthDate: string, sex: 'M' | 'F', serial: string): string {
  const match = BIRTH_DATE_PATTERN.exec(birthDate);
  if (!match) throw new RangeError('birthDate must be YYYY-MM-DD');
  const year = Number(match[1]);
  if (year < 1800 || year > 2099 || !isRealDate(year, Number(match[2]), Number(match[3]))) {
    throw new RangeError(`not a representable birth date: ${birthDate}`);
  }
  if (!/^\d{5}$/.test(serial)) throw new RangeError('serial must be 5 digits');
  const first12 = match[1]!.slice(2) + match[2]! + match[3]! + genderDigitFor(year, sex) + serial;
  return `${first12.slice(0, 6)}-${first12.slice(6)}${nationalIdCheckDigit(first12)}`;
}

export function normalizeNationalId(value: string): string | null {
  const match = NATIONAL_ID_PATTERN.exec(value.replace(/\s+/g, ''));
  return match ? `${match[1]}-${match[2]}` : null;
}

export function maskNationalId(value: string): string {
  const normalized = normalizeNationalId(value);
  // A malformed value may still be most of a real number, so none of it is echoed back.
  if (normalized === null) return '******-*******';
  return `${normalized.slice(0, 8)}******`;
}

export function businessNoCheckDigit(first9: string): number {
  if (!/^\d{9}$/.test(first9)) throw new RangeError('expected the first 9 digits of a business number');
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += digitAt(first9, i) * digitAt(BUSINESS_NO_WEIGHTS, i);
  sum += Math.floor((digitAt(first9, 8) * 5) / 10);
  return (10 - (sum % 10)) % 10;
}

export function isValidBusinessNo(value: string): boolean {
  if (!/^(?:\d{3}-\d{2}-\d{5}|\d{10})$/.test(value)) return false;
  const digits = value.replaceAll('-', '');
  return businessNoCheckDigit(digits.slice(0, 9)) === digitAt(digits, 9);
}

export function formatBusinessNo(first9: string): string {
  const check = businessNoCheckDigit(first9);
  return `${first9.slice(0, 3)}-${first9.slice(3, 5)}-${first9.slice(5)}${check}`;
}
