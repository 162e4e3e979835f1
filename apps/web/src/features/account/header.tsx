import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Suspense, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate } from 'react-router';
import { api } from '../../api';
import { useMe } from '../../session';
import type { Notice } from '@kalaja/contracts';
import { formatWhen } from '../../format';
import { useReportingMembership } from '../reporting/data';
import { accountKeys, deviceName, useNotices } from './data';
import './account.css';

/**
 * The account menu in the header (your sessions, sign-in security, people for instance admins,
 * the reports received for the reporting team, sign out) and the banner of unread notices above every page. Each waits for its own catalogue
 * without holding up the page.
 */
export function AccountMenu() {
  return (
    <Suspense fallback={null}>
      <Menu />
    </Suspense>
  );
}

export function NoticesBanner() {
  return (
    <Suspense fallback={null}>
      <Banner />
    </Suspense>
  );
}

function Menu() {
  const { t } = useTranslation('account');
  const me = useMe();
  const client = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();
  const reporting = useReportingMembership(me.data !== undefined);
  const menu = useRef<HTMLDetailsElement>(null);
  // Moving to another page closes the menu.
  useEffect(() => {
    if (menu.current) menu.current.open = false;
  }, [location.pathname]);
  if (!me.data) return null;
  return (
    <details className="account-menu" ref={menu}>
      <summary>
        <span className="visually-hidden">{t('menu.label')}: </span>
        {me.data.displayName}
      </summary>
      <ul>
        <li>
          <Link to="/account/sessions">{t('menu.sessions')}</Link>
        </li>
        <li>
          <Link to="/account/security">{t('menu.security')}</Link>
        </li>
        {me.data.isInstanceAdmin && (
          <li>
            <Link to="/admin/users">{t('menu.people')}</Link>
          </li>
        )}
        {me.data.isInstanceAdmin && (
          <li>
            <Link to="/admin/frameworks">{t('menu.frameworks')}</Link>
          </li>
        )}
        {reporting.data?.team && (
          <li>
            <Link to="/reporting">{t('menu.reports')}</Link>
          </li>
        )}
        <li>
          <button
            type="button"
            className="link"
            onClick={async () => {
              await api('DELETE', '/session');
              client.clear();
              await navigate('/signin');
            }}
          >
            {t('menu.signOut')}
          </button>
        </li>
      </ul>
    </details>
  );
}

function Banner() {
  const me = useMe();
  const notices = useNotices(me.isSuccess);
  if (!me.isSuccess || !notices.data || notices.data.length === 0) return null;
  return <NoticeList notices={notices.data} />;
}

function NoticeList({ notices }: { notices: Notice[] }) {
  const { t } = useTranslation('account');
  const client = useQueryClient();
  const dismiss = useMutation({
    mutationFn: (id: string) => api<void>('POST', `/notices/${encodeURIComponent(id)}/read`),
    onSettled: () => client.invalidateQueries({ queryKey: accountKeys.notices }),
  });
  return (
    <section className="notices" aria-label={t('notices.label')}>
      {notices.map((n) => {
        const device = deviceName(t, n.params);
        return (
          <div className="notice" role="status" key={n.id}>
            <p>{t('notices.newDevice', { device, time: formatWhen(n.params.at) })}</p>
            <Link to={`/account/sessions?session=${encodeURIComponent(n.params.session)}`}>{t('notices.review')}</Link>
            <button
              type="button"
              className="link"
              disabled={dismiss.isPending}
              aria-label={t('notices.dismissLabel', { device })}
              onClick={() => dismiss.mutate(n.id)}
            >
              {t('notices.dismiss')}
            </button>
          </div>
        );
      })}
    </section>
  );
}
