import { useMutation, useQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../api';
import type { PasskeyItem } from '@kalaja/contracts';
import { passkeyAssertion, passkeysKey, passkeysUsable } from '../features/auth/passkey';
import { ErrorNote, Field, fieldError, Loading } from './ui';

/**
 * Step-up: what the server guards with a recent sign-in (downloading a report, exporting
 * answers…) answers 401 `reauthentication_required` when the password and second factor were
 * last entered more than five minutes ago. `withStepUp(action)` runs the action; on that answer
 * it shows "Confirm it is you" (the password, and the passkey or a code: `POST /session/reauth`)
 * and, once confirmed,
 * runs the action again — so a download goes on where it stopped. Cancelling gives back the
 * server's error. Render `dialog` once in the component that uses the hook.
 *
 * @example
 *   const stepUp = useStepUp();
 *   <button onClick={() => stepUp.withStepUp(() => apiDownload(path, 'report.pdf'))}>…</button>
 *   {stepUp.dialog}
 */
export function useStepUp(): { withStepUp<T>(action: () => Promise<T>): Promise<T>; dialog: ReactNode } {
  const [pending, setPending] = useState<{ resolve(): void; reject(error: unknown): void; error: unknown } | null>(
    null,
  );
  const withStepUp = useCallback(async <T,>(action: () => Promise<T>): Promise<T> => {
    try {
      return await action();
    } catch (error) {
      if (!(error instanceof ApiError) || error.code !== 'reauthentication_required') throw error;
      await new Promise<void>((resolve, reject) => setPending({ resolve, reject, error }));
      return action();
    }
  }, []);
  const dialog = pending ? (
    <StepUpDialog
      onConfirmed={() => {
        pending.resolve();
        setPending(null);
      }}
      onCancel={() => {
        pending.reject(pending.error);
        setPending(null);
      }}
    />
  ) : null;
  return { withStepUp, dialog };
}

/**
 * "Confirm it is you": the password and a current code, in a modal `<dialog>` — or the password
 * and a passkey, offered first when the account has one and this browser can use it.
 */
export function StepUpDialog({ onConfirmed, onCancel }: { onConfirmed(): void; onCancel(): void }) {
  const { t } = useTranslation();
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) d.showModal();
    return () => d?.close();
  }, []);
  const usable = passkeysUsable();
  const keys = useQuery<PasskeyItem[], ApiError>({
    queryKey: passkeysKey,
    queryFn: () => api<PasskeyItem[]>('GET', '/passkeys'),
    enabled: usable,
    retry: false,
  });
  const hasPasskey = usable && (keys.data?.length ?? 0) > 0;
  const [chosen, setChosen] = useState<'passkey' | 'code' | undefined>();
  const method = hasPasskey ? (chosen ?? 'passkey') : 'code';
  const m = useMutation({
    mutationFn: async (input: { password: string; code: string }) =>
      api<void>(
        'POST',
        '/session/reauth',
        method === 'passkey'
          ? { password: input.password, assertion: await passkeyAssertion() }
          : { password: input.password, code: input.code },
      ),
    onSuccess: onConfirmed,
  });
  const waiting = usable && keys.isPending;
  return (
    <dialog
      ref={dialog}
      className="dialog"
      aria-labelledby="step-up-dialog-title"
      aria-describedby="step-up-dialog-intro"
      onCancel={(e) => {
        // Escape: the dialog closes through React, which also settles the waiting action.
        e.preventDefault();
        onCancel();
      }}
    >
      <h2 id="step-up-dialog-title">{t('stepUp.title')}</h2>
      <p id="step-up-dialog-intro">{method === 'passkey' ? t('stepUp.introPasskey') : t('stepUp.intro')}</p>
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          const data = new FormData(e.currentTarget);
          m.mutate({ password: String(data.get('password') ?? ''), code: String(data.get('code') ?? '') });
        }}
      >
        <Field
          label={t('stepUp.password')}
          name="password"
          type="password"
          required
          autoComplete="current-password"
          autoFocus
          error={fieldError(m.error, 'password')}
        />
        {waiting ? (
          <Loading />
        ) : (
          method === 'code' && (
            <Field
              label={t('stepUp.code')}
              hint={t('stepUp.codeHint')}
              name="code"
              required
              inputMode="numeric"
              autoComplete="one-time-code"
              pattern="\d{3} ?\d{3}"
              error={fieldError(m.error, 'code')}
            />
          )
        )}
        <ErrorNote error={m.error} />
        <div className="dialog-actions">
          <button type="submit" disabled={m.isPending || waiting}>
            {m.isPending
              ? method === 'passkey'
                ? t('stepUp.waitingPasskey')
                : t('stepUp.confirming')
              : method === 'passkey'
                ? t('stepUp.confirmPasskey')
                : t('stepUp.confirm')}
          </button>
          <button type="button" className="secondary" onClick={onCancel}>
            {t('stepUp.cancel')}
          </button>
        </div>
        {hasPasskey && (
          <button
            type="button"
            className="link"
            onClick={() => {
              m.reset();
              setChosen(method === 'passkey' ? 'code' : 'passkey');
            }}
          >
            {method === 'passkey' ? t('stepUp.useCode') : t('stepUp.usePasskey')}
          </button>
        )}
      </form>
    </dialog>
  );
}
