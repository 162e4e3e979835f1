import { useId, type FormEvent, type InputHTMLAttributes, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api';

/** What a form control needs to be tied to its label, hint and error. */
export interface ControlWiring {
  id: string;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
}

/**
 * A form control with its label above, its hint and its error, wired for screen readers: the
 * label names the control, the hint and the error describe it. `control` draws the control
 * with the wiring it is given.
 */
export function Labelled({
  label,
  hint,
  error,
  control,
}: {
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  control: (wiring: ControlWiring) => ReactNode;
}) {
  const id = useId();
  const described = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {control({ id, 'aria-invalid': error ? true : undefined, 'aria-describedby': described })}
      {error && (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

/** A labelled input with its hint and its error. */
export function Field(
  props: {
    label: string;
    hint?: string | undefined;
    error?: string | undefined;
  } & InputHTMLAttributes<HTMLInputElement>,
) {
  const { label, hint, error, ...input } = props;
  return <Labelled label={label} hint={hint} error={error} control={(wiring) => <input {...wiring} {...input} />} />;
}

/** A server error in plain words, with the request id for support. */
export function ErrorNote({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  const e = error instanceof ApiError ? error : undefined;
  return (
    <div className="error-note" role="alert">
      <p>{e?.message ?? t('error.generic')}</p>
      {e?.requestId && <p className="request-id">{t('error.requestId', { id: e.requestId })}</p>}
    </div>
  );
}

export function Page({ title, children, wide }: { title: string; children: ReactNode; wide?: boolean }) {
  return (
    <section className={wide ? 'page page-wide' : 'page'} aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1}>
        {title}
      </h1>
      {children}
    </section>
  );
}

export function Loading() {
  const { t } = useTranslation();
  return (
    <p className="loading" role="status">
      {t('app.loading')}
    </p>
  );
}

/** The field error for `where` from an ApiError, if any. */
export function fieldError(error: unknown, where: string): string | undefined {
  return error instanceof ApiError ? error.detail(where) : undefined;
}

/** A submitted form's fields by name, as text (`formValues(e).email`). */
export const formValues = (e: FormEvent<HTMLFormElement>) =>
  Object.fromEntries(new FormData(e.currentTarget)) as Record<string, string>;
