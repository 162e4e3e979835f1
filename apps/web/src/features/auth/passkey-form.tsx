import { passkeyRegisterRequest, type PasskeyRegistered } from '@kalaja/contracts';
import { LIMITS } from '@kalaja/contracts/limits';
import { useMutation } from '@tanstack/react-query';
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../api';
import { checked } from '../../components/checked';
import { ErrorNote, Field, fieldError, formValues } from '../../components/ui';
import { addPasskey, passkeysUsable } from './passkey';

export type PasskeyAdded = PasskeyRegistered;

/**
 * Adds a passkey: a name to tell it apart later ("Work laptop"), then the browser's own prompt
 * (the device's screen lock, or a security key). `run` wraps the request — the account page
 * passes the step-up hook's `withStepUp`, so a sign-in that is not recent is confirmed first.
 * Where this browser cannot use passkeys, it says so instead of offering a button that fails.
 */
export function AddPasskeyForm({
  onAdded,
  run = (action) => action(),
  label,
}: {
  onAdded: (r: PasskeyAdded) => void | Promise<unknown>;
  run?: <T>(action: () => Promise<T>) => Promise<T>;
  label?: string;
}) {
  const { t } = useTranslation();
  const form = useRef<HTMLFormElement>(null);
  const m = useMutation<PasskeyAdded, ApiError, string>({
    // The name is checked before the browser's prompt, so a name too long never costs a ceremony.
    mutationFn: (name) => {
      const checkedName = checked(passkeyRegisterRequest.pick({ name: true }), { name }).name;
      return run(() => addPasskey(checkedName));
    },
    onSuccess: async (r) => {
      form.current?.reset();
      await onAdded(r);
    },
  });
  if (!passkeysUsable()) return <p className="muted">{t('passkey.unavailable')}</p>;
  return (
    <form
      ref={form}
      className="stack"
      onSubmit={(e) => {
        e.preventDefault();
        m.mutate(formValues(e).name ?? '');
      }}
    >
      <Field
        label={t('passkey.name')}
        hint={t('passkey.nameHint')}
        name="name"
        required
        maxLength={LIMITS.passkeyName}
        autoComplete="off"
        error={fieldError(m.error, 'name')}
      />
      <ErrorNote error={m.error} />
      <button type="submit" disabled={m.isPending}>
        {m.isPending ? t('passkey.adding') : (label ?? t('passkey.add'))}
      </button>
    </form>
  );
}
