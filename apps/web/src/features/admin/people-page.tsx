import type { RecoveryLink, UserSummary } from '@kalaja/contracts';
import { useMutation, useQuery, useQueryClient, type UseMutationResult } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type ApiError } from '../../api';
import { CopyableLink } from '../../components/copyable-link';
import { ErrorNote, Loading, Page } from '../../components/ui';
import { useMe } from '../../session';
import { formatWhen } from '../../format';
import { useStepUp } from '../../components/step-up';
import { SecuritySection } from './security-section';
import './admin.css';

const usersKey = ['admin', 'users'] as const;

/**
 * Resetting someone's second factor, below the table: first what it does and a confirmation,
 * then the one-time recovery link — shown once, to copy and hand over in person or by a trusted
 * channel, never by the same email as the password.
 */
function ResetPanel({
  user,
  reset,
  onClose,
}: {
  user: UserSummary;
  reset: UseMutationResult<RecoveryLink, ApiError, UserSummary>;
  onClose(): void;
}) {
  const { t } = useTranslation('admin');
  const heading = useRef<HTMLHeadingElement>(null);
  const link = reset.data;
  useEffect(() => {
    heading.current?.focus();
  }, [user.id, link]);
  if (link)
    return (
      <div className="reset-panel">
        <h2 ref={heading} tabIndex={-1}>
          {t('reset.linkTitle', { name: user.displayName })}
        </h2>
        <p>{t('reset.linkIntro', { name: user.displayName })}</p>
        <p className="warning">{t('reset.handOver')}</p>
        <CopyableLink
          label={t('reset.link')}
          hint={t('reset.expires', { date: formatWhen(link.expiresAt) })}
          link={link.link}
          copyLabel={t('reset.copy')}
          copiedText={t('reset.copied')}
          copyManualText={t('reset.copyManual')}
          actionsClassName="confirm"
        >
          <button type="button" className="secondary" onClick={onClose}>
            {t('reset.done')}
          </button>
        </CopyableLink>
      </div>
    );
  return (
    <div className="reset-panel">
      <h2 ref={heading} tabIndex={-1}>
        {t('reset.confirmTitle', { name: user.displayName })}
      </h2>
      <p>{t('reset.confirmIntro', { name: user.displayName, email: user.email })}</p>
      <ErrorNote error={reset.error} />
      <div className="confirm">
        <button type="button" className="danger" disabled={reset.isPending} onClick={() => reset.mutate(user)}>
          {t('reset.confirm', { name: user.displayName })}
        </button>
        <button type="button" className="secondary" onClick={onClose}>
          {t('people.cancel')}
        </button>
      </div>
    </div>
  );
}

/**
 * People (instance admins): every account, and disabling or enabling one, or resetting its
 * second factor for someone who lost it. Disabling asks for a confirmation on the row, resetting
 * below the table; all ask for the password and a second factor again when the last sign-in is
 * more than five minutes old (the step-up dialog). The instance's sign-in rule follows.
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
  const [resetFor, setResetFor] = useState<UserSummary | null>(null);
  const reset = useMutation<RecoveryLink, ApiError, UserSummary>({
    mutationFn: (user) =>
      stepUp.withStepUp(() => api<RecoveryLink>('POST', `/users/${encodeURIComponent(user.id)}/reset-second-factor`)),
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
                      {!self && (
                        <span className="row-actions">
                          <button
                            type="button"
                            className="link"
                            aria-label={t('reset.actionLabel', { name: u.displayName })}
                            onClick={() => {
                              reset.reset();
                              setResetFor(u);
                            }}
                          >
                            {t('reset.action')}
                          </button>
                          {u.disabled ? (
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
                        </span>
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
        {resetFor && <ResetPanel key={resetFor.id} user={resetFor} reset={reset} onClose={() => setResetFor(null)} />}
        <SecuritySection />
      </div>
      {stepUp.dialog}
    </Page>
  );
}
