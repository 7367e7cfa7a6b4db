import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeDevice } from './describe-device.ts';

test('a session list names devices the way their owners know them', () => {
  assert.equal(describeDevice('Mozilla/5.0 (Linux; Android 10; SM-G960N) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/23.0 Chrome/115.0 Mobile Safari/537.36'), 'Samsung Internet · Android');
  assert.equal(describeDevice('Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1'), 'Safari · iOS');
  assert.equal(describeDevice('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 Edg/120.0'), 'Edge · Windows');
  assert.equal(describeDevice('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Whale/3.24 Safari/537.36'), 'Whale · Windows');
  assert.equal(describeDevice('curl/8.0'), null);
  assert.equal(describeDevice(null), null);
});
