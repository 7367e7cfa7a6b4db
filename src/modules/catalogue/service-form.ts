import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { LocalText } from '../../platform/db/schema.ts';
import type { FieldError } from '../../platform/http/errors.ts';

/**
 * An application form as data: a JSON Schema (draft 2020-12 subset) of the answers, and
 * layout hints that split it into pages (sections) with labels, help and conditions.
 * Every property of the schema appears in exactly one section.
 */
export interface ServiceForm {
  schema: FormSchema;
  sections: FormSection[];
}

export interface FormSchema {
  type: 'object';
  properties: Record<string, FieldSchema>;
  required?: string[];
}

export interface FieldSchema {
  type: 'string' | 'integer' | 'number' | 'boolean';
  format?: 'date' | 'email';
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  enum?: string[];
}

export interface FormSection {
  id: string;
  title: LocalText;
  help?: LocalText;
  fields: FormField[];
}

export interface FormField {
  name: string;
  label: LocalText;
  help?: LocalText;
  /** how to ask; defaults from the schema (enum → radio, boolean → checkbox, else text) */
  widget?: 'text' | 'textarea' | 'select' | 'radio' | 'checkbox';
  /** labels of the schema's enum values, in the same order */
  options?: LocalText[];
  /** asked only when another answer has this value */
  showIf?: { field: string; equals: string | boolean };
  autocomplete?: string;
  /** unit shown after the input, e.g. 원, ㎡ */
  unit?: LocalText;
}

export type FormData = Record<string, string | number | boolean>;

const addFormats = addFormatsModule as unknown as (ajv: Ajv, formats: string[]) => Ajv;
const ajv = addFormats(new Ajv({ allErrors: true, strict: true, coerceTypes: false }), ['date', 'email']);
const compiled = new WeakMap<ServiceForm, ValidateFunction>();

function validatorOf(form: ServiceForm): ValidateFunction {
  let validate = compiled.get(form);
  if (!validate) {
    // Required-ness is checked by hand below: a field hidden by its condition is not asked,
    // so it cannot be required, and that depends on the answers.
    validate = ajv.compile({ type: 'object', properties: form.schema.properties, additionalProperties: false });
    compiled.set(form, validate);
  }
  return validate;
}

export function fieldsOf(form: ServiceForm): FormField[] {
  return form.sections.flatMap((s) => s.fields);
}

/** Whether a field is asked, given the answers so far. */
export function isAsked(field: FormField, data: FormData): boolean {
  if (!field.showIf) return true;
  const value = data[field.showIf.field];
  return value === field.showIf.equals;
}

/**
 * Turns submitted form text into typed answers: numbers for numeric fields, booleans for
 * check boxes, trimmed strings, and nothing for empty inputs. Unknown names are dropped.
 * A number that does not parse stays text, so the validator reports it at its field.
 */
export function readAnswers(form: ServiceForm, input: Record<string, unknown>, sectionId?: string): FormData {
  const data: FormData = {};
  const fields = sectionId ? (form.sections.find((s) => s.id === sectionId)?.fields ?? []) : fieldsOf(form);
  for (const field of fields) {
    const schema = form.schema.properties[field.name];
    if (!schema) continue;
    const raw = input[field.name];
    if (schema.type === 'boolean') {
      data[field.name] = raw === true || raw === 'true' || raw === 'on' || raw === 'yes';
      continue;
    }
    if (typeof raw !== 'string' && typeof raw !== 'number') continue;
    const text = String(raw).normalize('NFC').trim();
    if (text === '') continue;
    if (schema.type === 'integer' || schema.type === 'number') {
      const n = Number(text.replace(/[,\s]/g, ''));
      data[field.name] = Number.isFinite(n) && text.replace(/[,\s]/g, '') !== '' ? n : text;
    } else {
      data[field.name] = text;
    }
  }
  return data;
}

/** The answers with those of fields no longer asked removed (their condition changed). */
export function withoutUnasked(form: ServiceForm, data: FormData): FormData {
  const kept: FormData = {};
  for (const field of fieldsOf(form)) {
    if (field.name in data && isAsked(field, data)) kept[field.name] = data[field.name]!;
  }
  return kept;
}

const messageKeys: Record<string, string> = {
  type: 'form.error.type',
  format: 'form.error.format',
  minLength: 'form.error.minLength',
  maxLength: 'form.error.maxLength',
  pattern: 'form.error.pattern',
  minimum: 'form.error.minimum',
  maximum: 'form.error.maximum',
  enum: 'form.error.enum',
};

function toFieldError(error: ErrorObject): FieldError | undefined {
  const field = error.instancePath.replace(/^\//, '');
  if (!field) return undefined;
  const params: Record<string, string | number> = {};
  if (typeof error.params.limit === 'number') params.limit = error.params.limit;
  if (error.keyword === 'format') return { field, messageKey: `form.error.format.${String(error.params.format)}` };
  if (error.keyword === 'type') return { field, messageKey: error.params.type === 'integer' || error.params.type === 'number' ? 'form.error.number' : 'form.error.type' };
  return { field, messageKey: messageKeys[error.keyword] ?? 'form.error.invalid', params };
}

/**
 * Checks answers against the form, for one section (a page of the form) or for all of it.
 * @returns one error per field at most, in the form's order; empty when the answers hold
 */
export function checkAnswers(form: ServiceForm, data: FormData, sectionId?: string): FieldError[] {
  const fields = sectionId ? (form.sections.find((s) => s.id === sectionId)?.fields ?? []) : fieldsOf(form);
  const validate = validatorOf(form);
  const byField = new Map<string, FieldError>();
  if (!validate(data)) {
    for (const error of validate.errors ?? []) {
      const fe = toFieldError(error);
      if (fe && !byField.has(fe.field)) byField.set(fe.field, fe);
    }
  }
  const required = new Set(form.schema.required ?? []);
  const errors: FieldError[] = [];
  for (const field of fields) {
    if (!isAsked(field, data)) continue;
    const value = data[field.name];
    const missing = value === undefined || value === '' || (form.schema.properties[field.name]?.type === 'boolean' && required.has(field.name) && value !== true);
    if (required.has(field.name) && missing) {
      errors.push({ field: field.name, messageKey: form.schema.properties[field.name]?.type === 'boolean' ? 'form.error.confirm' : 'form.error.required' });
      continue;
    }
    const found = byField.get(field.name);
    if (found && value !== undefined) errors.push(found);
  }
  return errors;
}

/**
 * Checks that a form definition is usable: the schema compiles, every property is in one
 * section, conditions point at earlier or same-section fields, option labels match enums.
 * @returns problems in plain English for the service editor; empty when the form is sound
 */
export function problemsOfForm(form: ServiceForm): string[] {
  const problems: string[] = [];
  if (!form || typeof form !== 'object' || !form.schema || !Array.isArray(form.sections)) return ['the form needs a schema and sections'];
  if (form.schema.type !== 'object' || !form.schema.properties) problems.push('the schema must be an object with properties');
  try {
    ajv.compile({ type: 'object', properties: form.schema.properties, additionalProperties: false });
  } catch (error) {
    problems.push(`the schema does not compile: ${(error as Error).message}`);
  }
  const seen = new Set<string>();
  for (const section of form.sections) {
    if (!section.id || !/^[a-z][a-z0-9-]*$/.test(section.id)) problems.push(`section id "${section.id}" must be lower-case letters, digits and hyphens`);
    for (const field of section.fields ?? []) {
      const schema = form.schema.properties?.[field.name];
      if (!schema) problems.push(`field "${field.name}" is not in the schema`);
      if (seen.has(field.name)) problems.push(`field "${field.name}" appears twice`);
      if (field.showIf && !seen.has(field.showIf.field) && !section.fields.some((f) => f.name === field.showIf!.field)) {
        problems.push(`field "${field.name}" depends on "${field.showIf.field}", which is not asked before it`);
      }
      if (schema?.enum && field.options && field.options.length !== schema.enum.length) problems.push(`field "${field.name}" has ${field.options.length} option labels for ${schema.enum.length} values`);
      if (!field.label?.ko || !field.label?.en) problems.push(`field "${field.name}" needs a label in Korean and English`);
      seen.add(field.name);
    }
  }
  for (const name of Object.keys(form.schema.properties ?? {})) if (!seen.has(name)) problems.push(`property "${name}" is in no section`);
  for (const name of form.schema.required ?? []) if (!form.schema.properties?.[name]) problems.push(`required "${name}" is not a property`);
  return problems;
}
