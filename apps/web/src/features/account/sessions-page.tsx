import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { api, type ApiError } from '../../api';
import { ErrorNote, Loading, Page } from '../../components/ui';
import type { SessionItem } from '@kalaja/contracts';
import { formatWhen } from '../../format';
import { accountKeys, deviceName, useSessions } from './data';
import './account.css';

/**
 * Your sessions: every browser signed in to your account, with the device in words, when it
 * signed in and was last active. End one, or all but this one. `?session=<handle>` (the link in
 * a new-device notice) highlights that session.
 */
export function SessionsPage() {
  const { t } = useTranslation('account');
  const client = useQueryClient();
  const sessions = useSessions();
  const [params] = useSearchParams();
  const highlighted = params.get('session');
  const [said, setSaid] = useState('');

  const refresh = () => client.invalidateQueries({ queryKey: accountKeys.sessions });
  const endOne = useMutation<void, ApiError, SessionItem>({
    mutationFn: (s) => api<void>('DELETE', `/sessions/${encodeURIComponent(s.id)}`),
    onSuccess: async (_, s) => {
      setSaid(t('sessions.endedOne', { device: deviceName(t, s) }));
      await refresh();
    },
  });
  const endOthers = useMutation<{ ended: number }, ApiError>({
    mutationFn: () => api<{ ended: number }>('DELETE', '/sessions'),
    onSuccess: async (r) => {
      setSaid(t('sessions.ended', { count: r.ended }));
      await refresh();
    },
  });

  if (sessions.isPending) return <Loading />;
  if (sessions.error)
    return (
      <Page title={t('sessions.title')}>
        <ErrorNote error={sessions.error} />
      </Page>
    );
  const list = sessions.data;
  const others = list.filter((s) => !s.current);
  return (
    <Page title={t('sessions.title')} wide>
      <div className="sessions">
        <p>{t('sessions.intro')}</p>
        {highlighted && list.some((s) => s.id === highlighted) && <p className="muted">{t('sessions.fromNotice')}</p>}
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('sessions.device')}</th>
                <th scope="col">{t('sessions.started')}</th>
                <th scope="col">{t('sessions.lastSeen')}</th>
                <th scope="col">{t('sessions.state')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('sessions.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((s) => (
                <tr key={s.id} className={s.id === highlighted ? 'highlight' : undefined}>
                  <th scope="row">{deviceName(t, s)}</th>
                  <td>{formatWhen(s.createdAt)}</td>
                  <td>{formatWhen(s.lastSeenAt)}</td>
                  <td>
                    {s.current ? (
                      <span className="badge">{t('sessions.current')}</span>
                    ) : s.secondFactor ? (
                      t('sessions.active')
                    ) : (
                      <span className="danger">{t('sessions.waiting')}</span>
                    )}
                  </td>
                  <td>
                    {!s.current && (
                      <button
                        type="button"
                        className="link danger"
                        disabled={endOne.isPending}
                        aria-label={t('sessions.endLabel', { device: deviceName(t, s) })}
                        onClick={() => endOne.mutate(s)}
                      >
                        {t('sessions.end')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <ErrorNote error={endOne.error ?? endOthers.error} />
        <p role="status">{said}</p>
        {others.length > 0 ? (
          <div className="account-actions">
            <button type="button" disabled={endOthers.isPending} onClick={() => endOthers.mutate()}>
              {t('sessions.endAll')}
            </button>
            <span className="muted">{t('sessions.endAllHint')}</span>
          </div>
        ) : (
          <p className="muted">{t('sessions.none')}</p>
        )}
      </div>
    </Page>
  );
}
