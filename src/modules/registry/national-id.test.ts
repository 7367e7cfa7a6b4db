import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  businessNoCheckDigit,
  formatBusinessNo,
  formatNationalId,
  isValidBusinessNo,
  isValidNationalId,
  maskNationalId,
  nationalIdCheckDigit,
  normalizeNationalId,
} from './national-id.ts';

// Weights 2 3 4 5 6 7 8 9 2 3 4 5; check = (11 - sum % 11) % 10.
//
// 900101-123456?: 9·2 + 0·3 + 0·4 + 1·5 + 0·6 + 1·7 + 1·8 + 2·9 + 3·2 + 4·3 + 5·4 + 6·5
//   = 18 + 0 + 0 + 5 + 0 + 7 + 8 + 18 + 6 + 12 + 20 + 30 = 124; 124 % 11 = 3; (11 - 3) % 10 = 8
// 000101-400000?: 1·5 + 1·7 + 4·8 = 44; 44 % 11 = 0; (11 - 0) % 10 = 1
// 000101-300300?: 1·5 + 1·7 + 3·8 + 3·3 = 45; 45 % 11 = 1; (11 - 1) % 10 = 0
// 991231-900000?: 9·2 + 9·3 + 1·4 + 2·5 + 3·6 + 1·7 + 9·8 = 18 + 27 + 4 + 10 + 18 + 7 + 72
//   = 156; 156 % 11 = 2; (11 - 2) % 10 = 9
const knownNationalIds = [
  ['900101123456', 8, '900101-1234568'],
  ['000101400000', 1, '000101-4000001'],
  ['000101300300', 0, '000101-3003000'],
  ['991231900000', 9, '991231-9000009'],
] as const;

test('the national ID check digit follows the published weights', () => {
  for (const [first12, check] of knownNationalIds) assert.equal(nationalIdCheckDigit(first12), check, first12);
});

test('a national ID with the right check digit is accepted, with or without the hyphen', () => {
  for (const [, , id] of knownNationalIds) {
    assert.equal(isValidNationalId(id), true, id);
    assert.equal(isValidNationalId(id.replace('-', '')), true, id);
  }
});

test('a national ID with a wrong check digit is rejected', () => {
  assert.equal(isValidNationalId('900101-1234567'), false);
  assert.equal(isValidNationalId('900101-1234569'), false);
  assert.equal(isValidNationalId('000101-4000000'), false);
});

test('a national ID for a day that does not exist is rejected even with a matching check digit', () => {
  for (const prefix of ['9902311', '9913011', '9900011', '9904311']) {
    const first12 = `${prefix}00000`;
    const id = `${prefix.slice(0, 6)}-${prefix.slice(6)}00000${nationalIdCheckDigit(first12)}`;
    assert.equal(isValidNationalId(id), false, id);
  }
});

test('29 February is judged by the century the gender digit gives', () => {
  const with29Feb = (genderDigit: number): string => {
    const first12 = `000229${genderDigit}00000`;
    return `000229-${genderDigit}00000${nationalIdCheckDigit(first12)}`;
  };
  assert.equal(isValidNationalId(with29Feb(3)), true, '2000 is a leap year');
  assert.equal(isValidNationalId(with29Feb(7)), true, 'foreign resident born 2000');
  assert.equal(isValidNationalId(with29Feb(1)), false, '1900 is not a leap year');
  assert.equal(isValidNationalId(with29Feb(5)), false, 'foreign resident born 1900');
});

test('a national ID of the wrong shape is rejected', () => {
  for (const value of ['', '900101-123456', '900101-12345678', '900101_1234568', '90O101-1234568', ' 900101-1234568', '900101--1234568']) {
    assert.equal(isValidNationalId(value), false, JSON.stringify(value));
  }
});

test('a formatted national ID carries the gender digit of its century and sex', () => {
  assert.equal(formatNationalId('1990-01-01', 'M', '23456'), '900101-1234568');
  assert.equal(formatNationalId('2000-01-01', 'F', '00000'), '000101-4000001');
  assert.equal(formatNationalId('1899-12-31', 'M', '00000'), '991231-9000009');
  assert.match(formatNationalId('1985-07-15', 'F', '12345'), /^850715-2/);
  assert.match(formatNationalId('1899-03-01', 'F', '12345'), /^990301-0/);
  for (const [date, sex] of [['1950-06-25', 'M'], ['2024-02-29', 'F'], ['1800-01-01', 'F']] as const) {
    assert.equal(isValidNationalId(formatNationalId(date, sex, '98765')), true, date);
  }
});

test('a national ID cannot be formatted from an impossible date or a bad serial', () => {
  assert.throws(() => formatNationalId('1999-02-29', 'M', '12345'), RangeError);
  assert.throws(() => formatNationalId('1990-1-1', 'M', '12345'), RangeError);
  assert.throws(() => formatNationalId('2100-01-01', 'M', '12345'), RangeError);
  assert.throws(() => formatNationalId('1990-01-01', 'M', '1234'), RangeError);
});

test('a masked national ID shows only the birth date and the gender digit', () => {
  assert.equal(maskNationalId('900101-1234568'), '900101-1******');
  assert.equal(maskNationalId('9001011234568'), '900101-1******');
  assert.equal(maskNationalId(' 900101 - 1234568 '), '900101-1******');
});

test('a malformed value is masked completely', () => {
  assert.equal(maskNationalId('900101-12345'), '******-*******');
  assert.equal(maskNationalId('not a number'), '******-*******');
});

test('normalizing a national ID strips spaces and restores the hyphen without judging the checksum', () => {
  assert.equal(normalizeNationalId('9001011234568'), '900101-1234568');
  assert.equal(normalizeNationalId(' 900101 - 1234568\t'), '900101-1234568');
  assert.equal(normalizeNationalId('900101-1234567'), '900101-1234567');
  assert.equal(normalizeNationalId('900101-123456'), null);
  assert.equal(normalizeNationalId('900101/1234568'), null);
  assert.equal(normalizeNationalId(''), null);
});

// Weights 1 3 7 1 3 7 1 3 5, plus floor(d9 · 5 / 10); check = (10 - sum % 10) % 10.
//
// 123-45-6789?: 1·1 + 2·3 + 3·7 + 4·1 + 5·3 + 6·7 + 7·1 + 8·3 + 9·5 = 1 + 6 + 21 + 4 + 15 + 42 + 7 + 24 + 45
//   = 165; floor(9·5/10) = 4; 169 % 10 = 9; (10 - 9) % 10 = 1
// 111-11-1111?: 1 + 3 + 7 + 1 + 3 + 7 + 1 + 3 + 5 = 31; floor(1·5/10) = 0; (10 - 1) % 10 = 9
// 000-00-0000? with d9 = 2: 2·5 = 10; floor(2·5/10) = 1; 11 % 10 = 1; (10 - 1) % 10 = 9
// 000-00-0000? with d9 = 1: 1·5 = 5; floor(1·5/10) = 0; (10 - 5) % 10 = 5
// 000-00-00000: sum 0; (10 - 0) % 10 = 0
const knownBusinessNos = [
  ['123456789', 1, '123-45-67891'],
  ['111111111', 9, '111-11-11119'],
  ['000000002', 9, '000-00-00029'],
  ['000000001', 5, '000-00-00015'],
  ['000000000', 0, '000-00-00000'],
] as const;

test('the business number check digit adds half of five times the ninth digit', () => {
  for (const [first9, check] of knownBusinessNos) assert.equal(businessNoCheckDigit(first9), check, first9);
});

test('a business number is formatted NNN-NN-NNNNN with its check digit', () => {
  for (const [first9, , formatted] of knownBusinessNos) assert.equal(formatBusinessNo(first9), formatted);
});

test('a business number with the right check digit is accepted, with or without hyphens', () => {
  for (const [, , formatted] of knownBusinessNos) {
    assert.equal(isValidBusinessNo(formatted), true, formatted);
    assert.equal(isValidBusinessNo(formatted.replaceAll('-', '')), true, formatted);
  }
});

test('a business number with a wrong check digit or shape is rejected', () => {
  for (const value of ['123-45-67890', '123-45-67892', '111-11-11111', '000-00-00020', '123-4567891', '12-345-67891', '123-45-6789', '']) {
    assert.equal(isValidBusinessNo(value), false, value);
  }
});

test('check digits refuse input of the wrong length', () => {
  assert.throws(() => nationalIdCheckDigit('90010112345'), RangeError);
  assert.throws(() => businessNoCheckDigit('12345678'), RangeError);
  assert.throws(() => businessNoCheckDigit('12345678a'), RangeError);
});
