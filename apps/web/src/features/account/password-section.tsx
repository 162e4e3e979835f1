import { passwordChangeRequest, type PasswordChanged } from '@kalaja/contracts';
import { LIMITS } from '@kalaja/contracts/limits';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type ApiError } from '../../api';
import { checked } from '../../components/checked';
import { ErrorNote, Field, fieldError } from '../../components/ui';

/**
 * Changing your password: the current one, and a new one of 15 characters or more
 * (LIMITS.passwordMin; the form checks the contract's schema first). The server asks for a recent sign-in (the step-up dialog, through `run`), checks the new one against
 * common passwords, and signs out every other device of the account. This one stays.
 */
export function PasswordSection({ run }: { run: <T>(action: () => Promise<T>) => Promise<T> }) {
  const { t } = useTranslation('account');
  const [said, setSaid] = useState('');
  const change = useMutation<PasswordChanged, ApiError, { form: HTMLFormElement; values: Record<string, string> }>({
    mutationFn: ({ values }) => {
      const body = checked(passwordChangeRequest, {
        currentPassword: values.currentPassword ?? '',
        newPassword: values.newPassword ?? '',
      });
      return run(() => api<PasswordChanged>('POST', '/account/password', body));
    },
    onSuccess: (r, { form }) => {
      form.reset();
      setSaid(t('password.changed', { count: r.endedSessions }));
    },
  });
  return (
    <section aria-labelledby="password-title">
      <h2 id="password-title">{t('password.title')}</h2>
      <p>{t('password.intro')}</p>
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          setSaid('');
          const form = e.currentTarget;
          change.mutate({ form, values: Object.fromEntries(new FormData(form)) as Record<string, string> });
        }}
      >
        <Field
          label={t('password.current')}
          name="currentPassword"
          type="password"
          required
          maxLength={LIMITS.password}
          autoComplete="current-password"
          error={fieldError(change.error, 'currentPassword')}
        />
        <Field
          label={t('password.new')}
          hint={t('password.newHint')}
          name="newPassword"
          type="password"
          required
          minLength={LIMITS.passwordMin}
          maxLength={LIMITS.password}
          autoComplete="new-password"
          error={fieldError(change.error, 'newPassword')}
        />
        <ErrorNote error={change.error} />
        <button type="submit" disabled={change.isPending}>
          {t('password.submit')}
        </button>
      </form>
      <p role="status">{said}</p>
    </section>
  );
}
