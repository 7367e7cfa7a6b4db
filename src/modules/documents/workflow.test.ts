import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allowedStatusActions, statusOf } from './workflow.ts';

const later = new Date('2030-01-01T00:00:00Z');
const now = new Date('2026-11-27T00:00:00Z');

test('a certificate with no status changes is valid until it expires, then expired', () => {
  assert.equal(statusOf([], later, now), 'valid');
  assert.equal(statusOf([], new Date('2026-11-26T00:00:00Z'), now), 'expired');
});

test('a suspended certificate is valid again once reinstated', () => {
  assert.equal(statusOf([{ action: 'suspend' }], later, now), 'suspended');
  assert.equal(statusOf([{ action: 'suspend' }, { action: 'reinstate' }], later, now), 'valid');
});

test('revocation is final: nothing recorded after it brings the certificate back', () => {
  assert.equal(statusOf([{ action: 'revoke' }, { action: 'reinstate' }], later, now), 'revoked');
  assert.equal(statusOf([{ action: 'suspend' }, { action: 'revoke' }], new Date('2020-01-01T00:00:00Z'), now), 'revoked');
  assert.deepEqual(allowedStatusActions('revoked'), []);
});

test('only a suspended certificate can be reinstated, and a valid one cannot be suspended twice', () => {
  assert.deepEqual(allowedStatusActions('valid'), ['suspend', 'revoke']);
  assert.deepEqual(allowedStatusActions('suspended'), ['reinstate', 'revoke']);
});
