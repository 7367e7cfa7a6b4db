import type { ComponentChildren } from 'preact';
import type { PageContext } from './context.ts';

export interface FieldErrorView {
  field: string;
  message: string;
}

/** KRDS-styled error summary at the top of a form; each item links to its field. */
export function ErrorSummary({ ctx, errors }: { ctx: PageContext; errors: FieldErrorView[] }) {
  if (errors.length === 0) return null;
  return (
    <div class="nara-error-summary" role="alert" tabindex={-1} aria-labelledby="error-summary-title">
      <h2 id="error-summary-title">{ctx.t('error.summary')}</h2>
      <ul>
        {errors.map((e) => (
          <li>
            <a href={`#${e.field}`}>{e.message}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

export interface TextFieldProps {
  id: string;
  name?: string;
  label: string;
  value?: string | undefined;
  hint?: string;
  error?: string | undefined;
  type?: 'text' | 'password' | 'email' | 'tel' | 'search' | 'date' | 'number';
  autocomplete?: string;
  required?: boolean;
  inputmode?: 'numeric' | 'text' | 'email' | 'tel';
}

// Preact types narrow <input> attributes by `type`; this component takes the type as a
// prop, so the attributes are assembled untyped here and checked by the props type above.
function inputAttributes(p: TextFieldProps, describedBy: string | undefined): Record<string, unknown> {
  return {
    id: p.id,
    name: p.name ?? p.id,
    type: p.type ?? 'text',
    class: `krds-input${p.error ? ' is-error' : ''}`,
    value: p.value ?? '',
    autocomplete: p.autocomplete,
    required: p.required,
    inputmode: p.inputmode,
    'aria-invalid': p.error ? 'true' : undefined,
    'aria-describedby': describedBy,
  };
}

/** A labelled input with its hint and error message wired by aria-describedby. */
export function TextField(p: TextFieldProps) {
  const describedBy = [p.hint ? `${p.id}-hint` : '', p.error ? `${p.id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class={`form-group nara-field${p.error ? ' is-error' : ''}`}>
      <div class="form-tit">
        <label for={p.id}>{p.label}</label>
      </div>
      {p.hint ? (
        <p class="form-hint" id={`${p.id}-hint`}>
          {p.hint}
        </p>
      ) : null}
      <div class="form-conts">
        <input {...inputAttributes(p, describedBy)} />
      </div>
      {p.error ? (
        <p class="form-hint-invalid" id={`${p.id}-error`}>
          {p.error}
        </p>
      ) : null}
    </div>
  );
}

export function CsrfField({ ctx }: { ctx: PageContext }) {
  return <input type="hidden" name="_csrf" value={ctx.csrfToken ?? ''} />;
}

export function PageHeading({ children }: { children: ComponentChildren }) {
  return <h1 class="nara-page-title">{children}</h1>;
}

export function Notice({ kind = 'info', children }: { kind?: 'info' | 'success' | 'warning'; children: ComponentChildren }) {
  return (
    <div class={`nara-notice nara-notice-${kind}`} role={kind === 'info' ? undefined : 'status'}>
      {children}
    </div>
  );
}
