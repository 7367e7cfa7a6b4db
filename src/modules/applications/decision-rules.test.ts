import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateRules } from './decision-rules.ts';
import { demoServices } from '../catalogue/demo-services.ts';

const exportRules = demoServices.find((s) => s.code === 'export-declaration')!.rules;
const lowRisk = { goodsDescription: 'Laptops', hsCode: '8471300000', quantity: 100, valueUsd: 42_000, destination: 'VN', strategicGoods: false };

test('a low-risk export declaration is cleared by the rules', () => {
  assert.equal(evaluateRules(exportRules, lowRisk, { businessYears: 3 }), 'approved');
});

test('strategic goods, a high value, another destination or a new business go to an inspector', () => {
  assert.equal(evaluateRules(exportRules, { ...lowRisk, strategicGoods: true }, { businessYears: 3 }), undefined);
  assert.equal(evaluateRules(exportRules, { ...lowRisk, valueUsd: 50_001 }, { businessYears: 3 }), undefined);
  assert.equal(evaluateRules(exportRules, { ...lowRisk, destination: 'OTHER' }, { businessYears: 3 }), undefined);
  assert.equal(evaluateRules(exportRules, lowRisk, { businessYears: 0 }), undefined);
});

test('no rules, or malformed rules, never decide', () => {
  assert.equal(evaluateRules(null, lowRisk, {}), undefined);
  assert.equal(evaluateRules({ id: 'x', version: 1, when: { nonsense: [1] }, outcome: 'approved' }, lowRisk, {}), undefined);
  assert.equal(evaluateRules({ id: 'x', when: true, outcome: 'approved' }, lowRisk, {}), undefined);
});
