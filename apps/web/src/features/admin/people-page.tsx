import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type ApiError } from '../../api';
import { ErrorNote, Loading, Page } from '../../components/ui';
import { useMe } from '../../session';
import { formatWhen } from '../account/data';
import { useStepUp } from '../../components/step-up';
import './admin.css';

// The shape of `GET /api/v1/users` (packages/contracts/src/account.ts).
interface UserSummary {
  id: string;
  email: string;
  displayName: string;
  isInstanceAdmin: boolean;
  disabled: boolean;
  disabledAt: string | null;
  createdAt: string;
}

const usersKey = ['admin', 'users'] as const;

/**
 * People (instance admins): every account, and disabling or enabling one. Disabling asks for a
 * confirmation on the row, and both ask for the password and a code again when the last sign-in
 * is more than five minutes old (the step-up dialog).
 */
export function PeoplePage() {
  const { t } = useTranslation('admin');
  const me = useMe();
  const client = useQueryClient();
  const users = useQuery<UserSummary[], ApiError>({
    queryKey: usersKey,
    queryFn: () => api<UserSummary[]>('GET', '/users'),
    enabled: me.data?.isInstanceAdmin === true,
  });
  const stepUp = useStepUp();
  const [confirming, setConfirming] = useState<string | null>(null);
  const [said, setSaid] = useState('');
  const change = useMutation<UserSummary, ApiError, { user: UserSummary; disable: boolean }>({
    mutationFn: ({ user, disable }) =>
      stepUp.withStepUp(() =>
        api<UserSummary>('POST', `/users/${encodeURIComponent(user.id)}/${disable ? 'disable' : 'enable'}`),
      ),
    onSuccess: async (u, { disable }) => {
      setConfirming(null);
      setSaid(t(disable ? 'people.didDisable' : 'people.didEnable', { name: u.displayName }));
      await client.invalidateQueries({ queryKey: usersKey });
    },
  });

  if (me.data && !me.data.isInstanceAdmin)
    return (
      <Page title={t('people.title')}>
        <p>{t('people.notAllowed')}</p>
      </Page>
    );
  if (users.isPending) return <Loading />;
  if (users.error)
    return (
      <Page title={t('people.title')}>
        <ErrorNote error={users.error} />
      </Page>
    );
  return (
    <Page title={t('people.title')} wide>
      <div className="people">
        <p>{t('people.intro')}</p>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('people.name')}</th>
                <th scope="col">{t('people.email')}</th>
                <th scope="col">{t('people.state')}</th>
                <th scope="col">{t('people.created')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('people.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {users.data.map((u) => {
                const self = u.id === me.data?.id;
                return (
                  <tr key={u.id}>
                    <th scope="row">
                      {u.displayName} {self && <span className="badge">{t('people.you')}</span>}{' '}
                      {u.isInstanceAdmin && <span className="badge">{t('people.admin')}</span>}
                    </th>
                    <td>{u.email}</td>
                    <td>
                      {u.disabled ? (
                        <span className="badge badge-disabled">
                          {u.disabledAt
                            ? t('people.disabledSince', { date: formatWhen(u.disabledAt) })
                            : t('people.disabled')}
                        </span>
                      ) : (
                        t('people.active')
                      )}
                    </td>
                    <td>{formatWhen(u.createdAt)}</td>
                    <td>
                      {self ? null : u.disabled ? (
                        <button
                          type="button"
                          className="link"
                          disabled={change.isPending}
                          aria-label={t('people.enableLabel', { name: u.displayName })}
                          onClick={() => change.mutate({ user: u, disable: false })}
                        >
                          {t('people.enable')}
                        </button>
                      ) : confirming === u.id ? (
                        <span className="confirm">
                          <button
                            type="button"
                            className="link danger"
                            disabled={change.isPending}
                            onClick={() => change.mutate({ user: u, disable: true })}
                          >
                            {t('people.disableConfirm', { name: u.displayName })}
                          </button>
                          <button type="button" className="link" onClick={() => setConfirming(null)}>
                            {t('people.cancel')}
                          </button>
                        </span>
                      ) : (
                        <button
                          type="button"
                          className="link danger"
                          aria-label={t('people.disableLabel', { name: u.displayName })}
                          onClick={() => {
                            change.reset();
                            setConfirming(u.id);
                          }}
                        >
                          {t('people.disable')}
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        <ErrorNote error={change.error} />
        <p role="status">{said}</p>
      </div>
      {stepUp.dialog}
    </Page>
  );
}
