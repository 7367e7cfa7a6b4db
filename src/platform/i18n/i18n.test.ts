import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createI18n, negotiateLocale, type Catalogue } from './i18n.ts';
import { catalogues } from '../../app.ts';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test('every message key exists in Korean and in English, with the same placeholders', () => {
  for (const catalogue of catalogues) {
    const ko = Object.keys(catalogue.ko).sort();
    const en = Object.keys(catalogue.en).sort();
    assert.deepEqual(en, ko, 'the two catalogues list different keys');
    for (const key of ko) {
      assert.ok(catalogue.ko[key]!.trim() && catalogue.en[key]!.trim(), `${key} is empty`);
      assert.deepEqual(placeholders(catalogue.en[key]!), placeholders(catalogue.ko[key]!), `${key} has different placeholders`);
    }
  }
});

test('no key is defined by two catalogues', () => {
  assert.doesNotThrow(() => createI18n(catalogues));
  const twice: Catalogue = { ko: { 'site.name': 'x' }, en: { 'site.name': 'x' } };
  assert.throws(() => createI18n([...catalogues, twice]), /defined twice: site.name/);
});

test('messages fill in their parameters', () => {
  const t = createI18n(catalogues).translator('en');
  assert.equal(t('field.tooLong', { field: 'Name', max: 20 }), 'Name must be 20 characters or fewer.');
  assert.equal(createI18n(catalogues).translator('ko')('site.name'), '나라');
});

test('Accept-Language picks the best supported language by quality', () => {
  assert.equal(negotiateLocale('en-US,en;q=0.9'), 'en');
  assert.equal(negotiateLocale('fr-FR, en;q=0.5, ko;q=0.8'), 'ko');
  assert.equal(negotiateLocale('fr, de'), undefined);
  assert.equal(negotiateLocale('ko;q=0, en;q=0.1'), 'en');
  assert.equal(negotiateLocale(undefined), undefined);
});
