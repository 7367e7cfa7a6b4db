import type { Locale } from '../../../platform/i18n/i18n.ts';
import type { FieldSchema, FormData, FormField, FormSection, ServiceForm } from '../service-form.ts';
import { isAsked } from '../service-form.ts';

export interface FormFieldsProps {
  form: ServiceForm;
  section: FormSection;
  /** every answer so far (conditions may point at earlier pages) */
  answers: FormData;
  /** what was typed on this page, shown back as typed when it did not validate */
  typed?: Record<string, unknown>;
  errors: Array<{ field: string; message: string }>;
  locale: Locale;
  /** the hint shown for a field asked only on a condition on the same page */
  conditionHint: (field: FormField) => string;
  requiredMark: string;
}

const shown = (value: unknown): string => (value === undefined || value === null ? '' : String(value));

function describedBy(id: string, hasHelp: boolean, hasError: boolean): string | undefined {
  return [hasHelp ? `${id}-hint` : '', hasError ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
}

function Control({ field, schema, value, error, locale, hintIds }: { field: FormField; schema: FieldSchema; value: unknown; error: boolean; locale: Locale; hintIds: string | undefined }) {
  const id = `f-${field.name}`;
  const common = { id, name: field.name, 'aria-describedby': hintIds, 'aria-invalid': error ? ('true' as const) : undefined };
  const widget = field.widget ?? (schema.enum ? 'radio' : schema.type === 'boolean' ? 'checkbox' : 'text');
  if (widget === 'textarea') {
    return <textarea {...common} class={`krds-input${error ? ' is-error' : ''}`} rows={5} maxLength={schema.maxLength}>{shown(value)}</textarea>;
  }
  if (widget === 'select') {
    return (
      <select {...common} class="krds-form-select">
        <option value="">{locale === 'ko' ? '선택하세요' : 'Choose'}</option>
        {(schema.enum ?? []).map((v, i) => (
          <option value={v} selected={shown(value) === v}>
            {field.options?.[i]?.[locale] ?? v}
          </option>
        ))}
      </select>
    );
  }
  const attrs: Record<string, unknown> = {
    ...common,
    type: schema.format === 'date' ? 'date' : schema.format === 'email' ? 'email' : 'text',
    class: `krds-input${error ? ' is-error' : ''}`,
    value: shown(value),
    autocomplete: field.autocomplete,
    inputmode: schema.type === 'integer' || schema.type === 'number' ? 'numeric' : undefined,
    maxLength: schema.maxLength,
  };
  return <input {...attrs} />;
}

/** One page of a service's form as accessible KRDS fields, with hints and errors wired. */
export function FormFields({ form, section, answers, typed, errors, locale, conditionHint, requiredMark }: FormFieldsProps) {
  const required = new Set(form.schema.required ?? []);
  const onThisPage = new Set(section.fields.map((f) => f.name));
  return (
    <>
      {section.fields.map((field) => {
        // A condition on an earlier page is settled: ask only if it holds. One on this page
        // is shown with a hint, and the page's script hides it while it does not apply.
        const sameSection = field.showIf && onThisPage.has(field.showIf.field);
        if (field.showIf && !sameSection && !isAsked(field, answers)) return null;
        const schema = form.schema.properties[field.name]!;
        const id = `f-${field.name}`;
        const error = errors.find((e) => e.field === field.name)?.message;
        const value = typed && field.name in typed ? typed[field.name] : answers[field.name];
        const help = [field.help?.[locale], sameSection ? conditionHint(field) : undefined].filter(Boolean).join(' ');
        const hintIds = describedBy(id, !!help, !!error);
        const label = (
          <>
            {field.label[locale]}
            {required.has(field.name) && schema.type !== 'boolean' ? <span class="nara-required"> {requiredMark}</span> : null}
            {field.unit ? <span class="nara-muted"> ({field.unit[locale]})</span> : null}
          </>
        );
        const conditionAttrs = sameSection ? { 'data-show-if': field.showIf!.field, 'data-show-value': String(field.showIf!.equals) } : {};
        const widget = field.widget ?? (schema.enum ? 'radio' : schema.type === 'boolean' ? 'checkbox' : 'text');
        const hint = help ? <p class="form-hint" id={`${id}-hint`}>{help}</p> : null;
        const errorLine = error ? <p class="form-hint-invalid" id={`${id}-error`}>{error}</p> : null;
        if (widget === 'radio') {
          return (
            <fieldset class={`nara-field${error ? ' is-error' : ''}`} id={id} tabindex={-1} aria-describedby={hintIds} {...conditionAttrs}>
              <legend>{label}</legend>
              {hint}
              {(schema.enum ?? []).map((v, i) => (
                <div class="krds-form-check">
                  <input type="radio" name={field.name} value={v} id={`${id}-${v}`} checked={String(value ?? '') === v} />
                  <label for={`${id}-${v}`}>{field.options?.[i]?.[locale] ?? v}</label>
                </div>
              ))}
              {errorLine}
            </fieldset>
          );
        }
        if (widget === 'checkbox') {
          return (
            <div class={`form-group nara-field${error ? ' is-error' : ''}`} {...conditionAttrs}>
              {hint}
              <div class="krds-form-check">
                <input type="checkbox" name={field.name} value="true" id={id} checked={value === true || value === 'true' || value === 'on'} aria-describedby={hintIds} aria-invalid={error ? 'true' : undefined} />
                <label for={id}>{label}</label>
              </div>
              {errorLine}
            </div>
          );
        }
        return (
          <div class={`form-group nara-field${error ? ' is-error' : ''}`} {...conditionAttrs}>
            <div class="form-tit">
              <label for={id}>{label}</label>
            </div>
            {hint}
            <div class="form-conts">
              <Control field={field} schema={schema} value={value} error={!!error} locale={locale} hintIds={hintIds} />
            </div>
            {errorLine}
          </div>
        );
      })}
    </>
  );
}

/** An answer as a reader sees it on the review page and the official's screen. */
export function answerText(form: ServiceForm, field: FormField, value: unknown, locale: Locale, yes: string, no: string): string {
  const schema = form.schema.properties[field.name];
  if (value === undefined || value === '') return '—';
  if (schema?.type === 'boolean') return value === true ? yes : no;
  if (schema?.enum) {
    const i = schema.enum.indexOf(String(value));
    return i >= 0 ? (field.options?.[i]?.[locale] ?? String(value)) : String(value);
  }
  if (typeof value === 'number') return `${new Intl.NumberFormat(locale === 'ko' ? 'ko-KR' : 'en-GB').format(value)}${field.unit ? ` ${field.unit[locale]}` : ''}`;
  return String(value);
}
