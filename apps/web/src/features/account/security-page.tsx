import type { PasskeyItem } from '@kalaja/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type ApiError } from '../../api';
import { useStepUp } from '../../components/step-up';
import { ErrorNote, Loading, Page } from '../../components/ui';
import { passkeysKey } from '../auth/passkey';
import { AddPasskeyForm } from '../auth/passkey-form';
import { formatWhen } from '../../format';
import { PasswordSection } from './password-section';
import './account.css';

/**
 * Sign-in security: your password, and your passkeys, by the names you gave them, when each was added and last
 * used. Add one (the browser's own prompt: this device's screen lock or a security key) or
 * remove one; both need a recent sign-in, so the step-up dialog may ask first. The server keeps
 * the last second factor, and the last passkey an account must have, from being removed.
 */
export function SecurityPage() {
  const { t } = useTranslation('account');
  const client = useQueryClient();
  const keys = useQuery<PasskeyItem[], ApiError>({
    queryKey: passkeysKey,
    queryFn: () => api<PasskeyItem[]>('GET', '/passkeys'),
  });
  const stepUp = useStepUp();
  const [confirming, setConfirming] = useState<string | null>(null);
  const [said, setSaid] = useState('');
  const refresh = () => client.invalidateQueries({ queryKey: passkeysKey });
  const remove = useMutation<void, ApiError, PasskeyItem>({
    mutationFn: (p) => stepUp.withStepUp(() => api<void>('DELETE', `/passkeys/${encodeURIComponent(p.id)}`)),
    onSuccess: async (_, p) => {
      setConfirming(null);
      setSaid(t('passkeys.removed', { name: p.name }));
      await refresh();
    },
  });

  if (keys.isPending) return <Loading />;
  if (keys.error)
    return (
      <Page title={t('security.title')}>
        <ErrorNote error={keys.error} />
      </Page>
    );
  return (
    <Page title={t('security.title')} wide>
      <div className="security">
        <p>{t('security.intro')}</p>
        <section aria-labelledby="passkeys-title">
          <h2 id="passkeys-title">{t('passkeys.title')}</h2>
          <p>{t('passkeys.intro')}</p>
          {keys.data.length === 0 ? (
            <p className="muted">{t('passkeys.none')}</p>
          ) : (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('passkeys.name')}</th>
                    <th scope="col">{t('passkeys.added')}</th>
                    <th scope="col">{t('passkeys.lastUsed')}</th>
                    <th scope="col">
                      <span className="visually-hidden">{t('passkeys.actions')}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {keys.data.map((p) => (
                    <tr key={p.id}>
                      <th scope="row">{p.name}</th>
                      <td>{formatWhen(p.createdAt)}</td>
                      <td>{p.lastUsedAt ? formatWhen(p.lastUsedAt) : t('passkeys.never')}</td>
                      <td>
                        {confirming === p.id ? (
                          <span className="confirm">
                            <button
                              type="button"
                              className="link danger"
                              disabled={remove.isPending}
                              onClick={() => remove.mutate(p)}
                            >
                              {t('passkeys.removeConfirm', { name: p.name })}
                            </button>
                            <button type="button" className="link" onClick={() => setConfirming(null)}>
                              {t('passkeys.cancel')}
                            </button>
                          </span>
                        ) : (
                          <button
                            type="button"
                            className="link danger"
                            aria-label={t('passkeys.removeLabel', { name: p.name })}
                            onClick={() => {
                              remove.reset();
                              setConfirming(p.id);
                            }}
                          >
                            {t('passkeys.remove')}
                          </button>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <ErrorNote error={remove.error} />
          <p role="status">{said}</p>
          <h3>{t('passkeys.addTitle')}</h3>
          <AddPasskeyForm
            run={stepUp.withStepUp}
            onAdded={async (r) => {
              setSaid(t('passkeys.didAdd', { name: r.passkey.name }));
              await refresh();
            }}
          />
        </section>
        <PasswordSection run={stepUp.withStepUp} />
      </div>
      {stepUp.dialog}
    </Page>
  );
}
