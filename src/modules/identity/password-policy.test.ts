import { test } from 'node:test';
import assert from 'node:assert/strict';
import { passwordProblem } from './password-policy.ts';

test('a password shorter than ten characters is refused', () => {
  assert.equal(passwordProblem('Sh0rt!pw'), 'tooShort');
});

test('well-known passwords and common words padded with digits or symbols are refused', () => {
  for (const p of ['password123', 'Password!!!!', 'P@ssword2026'.replace('@', 'a'), 'qwerty123456', 'iloveyou1234', 'admin1234!@#', 'sarang12345', 'korea2026!!']) {
    assert.equal(passwordProblem(p), 'common', p);
  }
});

test('Korean words typed on the English layout are recognised', () => {
  assert.equal(passwordProblem('tkfkdgo1234'), 'common'); // 사랑해
  assert.equal(passwordProblem('dkssud12345'), 'common'); // 안녕
});

test('keyboard walks, runs and repeated characters are refused', () => {
  for (const p of ['1234567890', '0987654321', 'qwertyuiop', '1q2w3e4r5t', 'abcdefghijk', 'aaaaaaaaaaaa', '1111111111', 'asdfghjkl;', 'qwerqwerqwer']) {
    assert.equal(passwordProblem(p), 'common', p);
  }
});

test('a password containing the username is refused', () => {
  assert.equal(passwordProblem('kim.clerk-2026!', { username: 'kim.clerk' }), 'containsUsername');
});

test('ordinary long passphrases pass', () => {
  for (const p of ['river-lantern-harbor', 'Gyeongbok palace at dawn', 'nara-demo-2026', 'x7#Lq9!vR2@m', '한라산 백록담 2026']) {
    assert.equal(passwordProblem(p, { username: 'resident1' }), null, p);
  }
});
