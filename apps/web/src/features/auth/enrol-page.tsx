import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api } from '../../api';
import { ErrorNote, Field, fieldError, Page } from '../../components/ui';
import { formValues } from './auth-pages';
import { QrCode } from './qr';

export function EnrolPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const client = useQueryClient();
  const start = useMutation({ mutationFn: () => api<{ secret: string; uri: string }>('POST', '/session/totp') });
  const confirm = useMutation({
    mutationFn: (code: string) => api<{ recoveryCodes: string[] }>('POST', '/session/totp/confirm', { code }),
  });
  // Once per visit: a second start would replace the secret behind the code already shown.
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    start.mutate();
  }, [start]);
  const codes = confirm.data?.recoveryCodes;
  const href = useMemo(
    () =>
      codes
        ? URL.createObjectURL(new Blob([`Kalaja recovery codes\n\n${codes.join('\n')}\n`], { type: 'text/plain' }))
        : undefined,
    [codes],
  );
  if (confirm.data) {
    return (
      <Page title={t('auth.recoveryTitle')}>
        <p>{t('auth.recoveryIntro')}</p>
        <ul className="codes">
          {confirm.data.recoveryCodes.map((c) => (
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
  return (
    <Page title={t('auth.enrolTitle')}>
      <p>{t('auth.enrolIntro')}</p>
      <ErrorNote error={start.error} />
      {start.data && (
        <>
          <QrCode text={start.data.uri} label={t('auth.enrolTitle')} />
          <p>
            {t('auth.enrolManual')} <code className="secret">{start.data.secret.replace(/(.{4})/g, '$1 ').trim()}</code>
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
    </Page>
  );
}
