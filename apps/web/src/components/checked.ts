import type { z } from 'zod';
import { ApiError, type ErrorDetail } from '../api';
import i18next from '../i18n';

/**
 * A form's values checked against the very schema the server validates them with (from
 * `@kalaja/contracts`), before anything is sent. A problem fails the way the server's answer
 * would — an ApiError `invalid_request` with one detail per field, named as the server names it
 * (`name`, `rounds.0.name`) — so a form shows either in the same place, in the reader's language.
 * What goes out is the schema's output: trimmed, defaults filled in, as the server would read it.
 *
 * Only forms in lazily loaded pages use this: it brings zod, which the first page must not carry
 * (tests/e2e/budget.spec.ts).
 *
 * @example mutationFn: (v) => api('POST', '/programmes', checked(programmeCreateRequest, v))
 */
export function checked<S extends z.ZodType>(schema: S, value: z.input<S>): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const details: ErrorDetail[] = result.error.issues.map((issue) => ({
    where: issue.path.map(String).join('.') || '(form)',
    message: problem(issue),
  }));
  throw new ApiError(400, 'invalid_request', i18next.t('form.invalid'), undefined, details);
}

/** One problem in plain words: what is wrong with the field, with the bound it broke. */
function problem(issue: z.core.$ZodIssue): string {
  const t = i18next.t.bind(i18next);
  switch (issue.code) {
    case 'too_big':
      return issue.origin === 'string'
        ? t('form.tooLong', { count: Number(issue.maximum) })
        : t('form.tooMany', { count: Number(issue.maximum) });
    case 'too_small':
      if (issue.origin !== 'string') return t('form.tooFew', { count: Number(issue.minimum) });
      return Number(issue.minimum) <= 1 ? t('form.required') : t('form.tooShort', { count: Number(issue.minimum) });
    case 'invalid_value':
      return t('form.choose');
    default:
      return t('form.notValid');
  }
}
