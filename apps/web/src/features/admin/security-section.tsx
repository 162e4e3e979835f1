import type { InstanceSecurityState } from '@kalaja/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type ApiError } from '../../api';
import { useStepUp } from '../../components/step-up';
import { ErrorNote, Loading } from '../../components/ui';

type InstanceSecurity = InstanceSecurityState;
type Requirement = InstanceSecurity['requirePasskeys'];

const securityKey = ['admin', 'security'] as const;

/**
 * The instance's sign-in rule: whether instance admins and programme managers must sign in with
 * a passkey. Turning it on signs out, at once, every admin and manager whose session did not use
 * a passkey — the server refuses it unless this admin's own session did, and where passkeys
 * cannot work (Kalaja reached by an IP address); its message says which.
 */
export function SecuritySection() {
  const { t } = useTranslation('admin');
  const client = useQueryClient();
  const security = useQuery<InstanceSecurity, ApiError>({
    queryKey: securityKey,
    queryFn: () => api<InstanceSecurity>('GET', '/instance/security'),
  });
  const stepUp = useStepUp();
  const [said, setSaid] = useState('');
  const save = useMutation<InstanceSecurity, ApiError, Requirement>({
    mutationFn: (requirePasskeys) =>
      stepUp.withStepUp(() => api<InstanceSecurity>('PUT', '/instance/security', { requirePasskeys })),
    onSuccess: (r) => {
      client.setQueryData(securityKey, r);
      setSaid(t(r.requirePasskeys === 'none' ? 'security.didNone' : 'security.didRequire'));
    },
  });

  return (
    <section className="instance-security" aria-labelledby="instance-security-title">
      <h2 id="instance-security-title">{t('security.title')}</h2>
      {security.isPending ? (
        <Loading />
      ) : security.error ? (
        <ErrorNote error={security.error} />
      ) : (
        <form
          className="stack"
          // The saved value keys the form, so the choice shown is the server's after each save.
          key={security.data.requirePasskeys}
          onSubmit={(e) => {
            e.preventDefault();
            const value = new FormData(e.currentTarget).get('requirePasskeys');
            setSaid('');
            save.mutate(value === 'admins_managers' ? 'admins_managers' : 'none');
          }}
        >
          <fieldset>
            <legend>{t('security.legend')}</legend>
            <label className="check">
              <input
                type="radio"
                name="requirePasskeys"
                value="none"
                defaultChecked={security.data.requirePasskeys === 'none'}
              />{' '}
              {t('security.none')}
            </label>
            <label className="check">
              <input
                type="radio"
                name="requirePasskeys"
                value="admins_managers"
                disabled={!security.data.passkeysAvailable}
                aria-describedby="instance-security-warning"
                defaultChecked={security.data.requirePasskeys === 'admins_managers'}
              />{' '}
              {t('security.adminsManagers')}
            </label>
          </fieldset>
          <p className="warning" id="instance-security-warning">
            {security.data.passkeysAvailable ? t('security.warning') : t('security.unavailable')}
          </p>
          <ErrorNote error={save.error} />
          <div>
            <button type="submit" disabled={save.isPending}>
              {t('security.save')}
            </button>
          </div>
          <p role="status">{said}</p>
        </form>
      )}
      {stepUp.dialog}
    </section>
  );
}
