import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api } from '../../api';
import { ErrorNote, Field, fieldError, formValues, Page } from '../../components/ui';
import { passkeysUsable } from './passkey';
import { AddPasskeyForm, type PasskeyAdded } from './passkey-form';
import { QrCode } from './qr';

/** The recovery codes of a first second factor: shown once, to print, download or store. */
function RecoveryCodes({ codes }: { codes: string[] }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const client = useQueryClient();
  const href = useMemo(
    () => URL.createObjectURL(new Blob([`Kalaja recovery codes\n\n${codes.join('\n')}\n`], { type: 'text/plain' })),
    [codes],
  );
  return (
    <Page title={t('auth.recoveryTitle')}>
      <p>{t('auth.recoveryIntro')}</p>
      <ul className="codes">
        {codes.map((c) => (
          <li key={c}>
            <code>{c}</code>
          </li>
        ))}
      </ul>
      <p>
        <a href={href} download="kalaja-recovery-codes.txt">
          {t('auth.recoveryDownload')}
        </a>
      </p>
      <button
        type="button"
        onClick={async () => {
          await client.invalidateQueries();
          await navigate('/');
        }}
      >
        {t('auth.recoverySaved')}
      </button>
    </Page>
  );
}

/** After a passkey completed the session: the recovery codes if it was the first factor, else in. */
function usePasskeyAdded() {
  const navigate = useNavigate();
  const client = useQueryClient();
  const [codes, setCodes] = useState<string[] | undefined>();
  const onAdded = async (r: PasskeyAdded) => {
    if (r.recoveryCodes) return setCodes(r.recoveryCodes);
    await client.invalidateQueries();
    await navigate('/');
  };
  return { codes, onAdded };
}

/**
 * A new account's second factor (`enrol_totp`): an authenticator app, set up with the QR code,
 * or — where this browser can — a passkey instead. Either completes the session and gives the
 * recovery codes to save.
 */
export function EnrolPage() {
  const { t } = useTranslation();
  const start = useMutation({ mutationFn: () => api<{ secret: string; uri: string }>('POST', '/session/totp') });
  const confirm = useMutation({
    mutationFn: (code: string) => api<{ recoveryCodes: string[] }>('POST', '/session/totp/confirm', { code }),
  });
  const passkey = usePasskeyAdded();
  const withPasskey = passkeysUsable();
  // Once per visit: a second start would replace the secret behind the code already shown.
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    start.mutate();
  }, [start]);
  const codes = confirm.data?.recoveryCodes ?? passkey.codes;
  if (codes) return <RecoveryCodes codes={codes} />;
  return (
    <Page title={withPasskey ? t('auth.enrolTitleChoice') : t('auth.enrolTitle')}>
      <p>{withPasskey ? t('auth.enrolIntroChoice') : t('auth.enrolIntro')}</p>
      <section className="enrol-option" aria-labelledby={withPasskey ? 'enrol-app' : undefined}>
        {withPasskey && <h2 id="enrol-app">{t('auth.enrolApp')}</h2>}
        {withPasskey && <p>{t('auth.enrolAppIntro')}</p>}
        <ErrorNote error={start.error} />
        {start.data && (
          <>
            <QrCode text={start.data.uri} label={t('auth.qrLabel')} />
            <p>
              {t('auth.enrolManual')}{' '}
              <code className="secret">{start.data.secret.replace(/(.{4})/g, '$1 ').trim()}</code>
            </p>
            <form
              className="stack"
              onSubmit={(e) => {
                e.preventDefault();
                confirm.mutate(formValues(e).code ?? '');
              }}
            >
              <Field
                label={t('auth.code')}
                name="code"
                required
                inputMode="numeric"
                autoComplete="one-time-code"
                error={fieldError(confirm.error, 'code')}
              />
              <ErrorNote error={confirm.error} />
              <button type="submit" disabled={confirm.isPending}>
                {t('auth.enrolConfirm')}
              </button>
            </form>
          </>
        )}
      </section>
      {withPasskey && (
        <section className="enrol-option" aria-labelledby="enrol-passkey">
          <h2 id="enrol-passkey">{t('auth.enrolPasskey')}</h2>
          <p>{t('auth.enrolPasskeyIntro')}</p>
          <AddPasskeyForm onAdded={passkey.onAdded} />
        </section>
      )}
    </Page>
  );
}

/**
 * `enrol_passkey`: the instance requires passkeys of instance admins and programme managers,
 * and this account has none yet. Its code (or recovery link) proved who it is; a passkey added
 * now completes the session. Nothing else is possible before.
 */
export function PasskeyEnrolPage() {
  const { t } = useTranslation();
  const passkey = usePasskeyAdded();
  if (passkey.codes) return <RecoveryCodes codes={passkey.codes} />;
  return (
    <Page title={t('auth.requiredTitle')}>
      <p>{t('auth.requiredIntro')}</p>
      {passkeysUsable() ? (
        <>
          <p>{t('auth.enrolPasskeyIntro')}</p>
          <AddPasskeyForm onAdded={passkey.onAdded} label={t('auth.requiredAdd')} />
        </>
      ) : (
        <p className="error-note" role="alert">
          {t('auth.requiredUnavailable')}
        </p>
      )}
    </Page>
  );
}
