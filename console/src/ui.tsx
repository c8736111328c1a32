/**
 * The console's building blocks: forms whose catalog errors land next to the field they name, error
 * text, confirmations, tables.
 */
import type { ComponentChildren, JSX } from 'preact';
import { createContext } from 'preact';
import { useContext, useRef, useState } from 'preact/hooks';
import { ApiFailure } from './api.ts';

/**
 * `4000112 Missing param.`: the catalog's code and message, as the API gave them, and the field the error
 * names (`param`) unless the text stands next to that field already.
 */
export function ErrorText({ error, id, withParam = true }: { error: Error; id?: string; withParam?: boolean }) {
  if (error instanceof ApiFailure) {
    return (
      <p class="error" id={id} role="alert">
        <code class="error-code">{error.code}</code> <span class="error-message">{error.message}</span>
        {withParam && error.param ? <span class="error-param"> ({error.param})</span> : null}
      </p>
    );
  }
  return <p class="error" id={id} role="alert">{error.message}</p>;
}

interface FormState {
  error: Error | undefined;
  /** The fields rendered in this form, so the form-level error leaves out what a field already shows. */
  fields: Set<string>;
  idPrefix: string;
}

const FormContext = createContext<FormState | undefined>(undefined);
let formCount = 0;

/**
 * A form that runs `action` with its values; a failure is shown next to the field named by the error's
 * `param` (the field's `name` is that path: `service_info.service_name`), or above the buttons otherwise.
 */
export function Form({ action, children, label, class: className }: {
  action: (values: FormData, form: HTMLFormElement) => Promise<unknown>;
  children: ComponentChildren;
  label: string;
  class?: string;
}) {
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);
  const idPrefix = useRef(`f${++formCount}`).current;
  // Kept across renders: on an error, Preact re-renders the context's readers (fields and FormError) in
  // depth order, so FormError may run before the fields inside fieldsets have rendered again.
  const fields = useRef(new Set<string>()).current;
  const state: FormState = { error, fields, idPrefix };
  const submit = async (ev: JSX.TargetedSubmitEvent<HTMLFormElement>) => {
    ev.preventDefault();
    const form = ev.currentTarget;
    setBusy(true);
    setError(undefined);
    try {
      await action(new FormData(form), form);
    } catch (err) {
      setError(err as Error);
      // Keyboard and screen-reader users land on the field in error.
      const param = (err as ApiFailure).param;
      const field = param ? form.querySelector<HTMLElement>(`[name="${CSS.escape(param)}"]`) : null;
      requestAnimationFrame(() => field?.focus());
    } finally {
      setBusy(false);
    }
  };
  return (
    <FormContext.Provider value={state}>
      <form class={className ?? 'form'} aria-label={label} onSubmit={submit} aria-busy={busy} noValidate>
        {children}
      </form>
    </FormContext.Provider>
  );
}

type FieldProps = {
  name: string;
  label: string;
  hint?: string;
} & (
  | { type?: 'text' | 'number' | 'password' | 'search'; value?: string | number; placeholder?: string; autocomplete?: string }
  | { type: 'select'; value?: string; options: Array<{ value: string; label?: string }> }
  | { type: 'checkbox'; checked?: boolean }
  | { type: 'textarea'; value?: string; rows?: number }
);

/**
 * A labelled input; the form's error shows under it when the error's `param` is this field's name. Inputs
 * are uncontrolled (`defaultValue`): a page that polls re-renders without undoing what was typed.
 */
export function Field(props: FieldProps) {
  const form = useContext(FormContext);
  form?.fields.add(props.name);
  const id = `${form?.idPrefix ?? 'x'}-${props.name.replace(/[^a-zA-Z0-9_-]/g, '_')}`;
  const error = form?.error instanceof ApiFailure && form.error.param === props.name ? form.error : undefined;
  const describedBy = [props.hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ') || undefined;
  const common = { id, name: props.name, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy };
  let control: JSX.Element;
  if (props.type === 'select') {
    control = (
      <select {...common}>
        {props.options.map((o) => <option value={o.value} selected={o.value === props.value}>{o.label ?? o.value}</option>)}
      </select>
    );
  } else if (props.type === 'checkbox') {
    control = <input {...common} type="checkbox" value="true" defaultChecked={props.checked} />;
  } else if (props.type === 'textarea') {
    control = <textarea {...common} rows={props.rows ?? 4} defaultValue={props.value} />;
  } else {
    control = <input {...common} type={props.type ?? 'text'} defaultValue={props.value === undefined ? undefined : String(props.value)} placeholder={props.placeholder} autocomplete={props.autocomplete ?? 'off'} />;
  }
  return (
    <div class={`field${props.type === 'checkbox' ? ' field-check' : ''}`}>
      <label for={id}>{props.label}</label>
      {control}
      {props.hint ? <small id={`${id}-hint`} class="hint">{props.hint}</small> : null}
      {error ? <ErrorText error={error} id={`${id}-error`} withParam={false} /> : null}
    </div>
  );
}

/** The form's error when no field of the form is the one it names. Place it after the fields. */
export function FormError() {
  const form = useContext(FormContext);
  const error = form?.error;
  if (!error) return null;
  if (error instanceof ApiFailure && error.param && form.fields.has(error.param)) return null;
  return <ErrorText error={error} />;
}

export function Submit({ children }: { children: ComponentChildren }) {
  return <button type="submit" class="primary">{children}</button>;
}

/**
 * A destructive action behind a second, explicit click: "Delete" reveals "Delete web? Yes, delete /
 * Cancel". The answer's error, if any, is shown beside it.
 */
export function Confirm({ label, question, action, confirmLabel }: {
  label: string;
  question: string;
  confirmLabel?: string;
  action: () => Promise<unknown>;
}) {
  const [asking, setAsking] = useState(false);
  const [error, setError] = useState<Error>();
  const confirmRef = useRef<HTMLButtonElement>(null);
  if (!asking) {
    return (
      <span class="confirm">
        <button type="button" class="danger" onClick={() => {
          setAsking(true);
          setError(undefined);
          requestAnimationFrame(() => confirmRef.current?.focus());
        }}>{label}</button>
        {error ? <ErrorText error={error} /> : null}
      </span>
    );
  }
  return (
    <span class="confirm" role="group" aria-label={question}>
      <span class="question">{question}</span>{' '}
      <button type="button" class="danger" ref={confirmRef} onClick={async () => {
        try {
          await action();
          setAsking(false);
        } catch (err) {
          setError(err as Error);
          setAsking(false);
        }
      }}>{confirmLabel ?? `Yes, ${label.toLowerCase()}`}</button>{' '}
      <button type="button" onClick={() => setAsking(false)}>Cancel</button>
    </span>
  );
}

/**
 * A list of resources, one row each, ending with a confirmed action (delete, release). Each row carries
 * `data-<name>` = its name, by which tests and the other pages find it.
 */
export function ResourceTable<T>({ rows, columns, name, action }: {
  rows: T[];
  /** Each column's header, and its cell in a row. */
  columns: Array<[header: string, cell: (row: T) => ComponentChildren]>;
  name: [attribute: string, value: (row: T) => string];
  action: { label: string; question: (row: T) => string; run: (row: T) => Promise<unknown> };
}) {
  return (
    <div class="table-wrap">
      <table>
        <thead><tr>{columns.map(([header]) => <th scope="col">{header}</th>)}<th scope="col"><span class="sr-only">actions</span></th></tr></thead>
        <tbody>
          {rows.map((row) => (
            <tr {...{ [`data-${name[0]}`]: name[1](row) }}>
              {columns.map(([, cell]) => <td>{cell(row)}</td>)}
              <td><Confirm label={action.label} question={action.question(row)} action={() => action.run(row)} /></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The loading / failed / empty states of a polled list, or its table. */
export function Loaded<T>({ data, error, empty, children }: {
  data: T | undefined;
  error: Error | undefined;
  empty?: (data: T) => boolean;
  children: (data: T) => ComponentChildren;
}) {
  if (data === undefined && error) return <ErrorText error={error} />;
  if (data === undefined) return <p class="muted">Loading…</p>;
  return (
    <>
      {error ? <ErrorText error={error} /> : null}
      {empty?.(data) ? <p class="muted">None yet.</p> : children(data)}
    </>
  );
}

export function Status({ value }: { value: string }) {
  const tone = /succ|available|normal|binding|active|ok|running/i.test(value) ? 'ok' : /fail|error|abnormal/i.test(value) ? 'bad' : 'busy';
  return <span class={`status status-${tone}`} data-status={value}>{value}</span>;
}

export function Page({ title, children, actions }: { title: string; children: ComponentChildren; actions?: ComponentChildren }) {
  return (
    <section class="page" aria-labelledby="page-title">
      <header class="page-header">
        <h1 id="page-title" tabIndex={-1}>{title}</h1>
        {actions ? <div class="page-actions">{actions}</div> : null}
      </header>
      {children}
    </section>
  );
}

/** A read of a form's text field, trimmed; undefined when empty (so the API sees the member absent). */
export function text(values: FormData, name: string): string | undefined {
  const v = values.get(name);
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

/** A number when the text is one, else the text itself, so the API judges it (and names the field). */
export function num(values: FormData, name: string): number | string | undefined {
  const v = text(values, name);
  return v === undefined ? undefined : /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v;
}
