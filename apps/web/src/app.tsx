import { QueryClientProvider, useQueryClient } from '@tanstack/react-query';
import { Suspense, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  createBrowserRouter,
  Link,
  Navigate,
  Outlet,
  RouterProvider,
  useLocation,
  type RouteObject,
} from 'react-router';
import { api, SIGNED_OUT_EVENT } from './api';
import { Loading, Page } from './components/ui';
import {
  CodeForm,
  CodePage,
  SignInForm,
  SignInPage,
  useAfterSignIn,
  type Factor,
  type Next,
} from './features/auth/signin';
// The account menu (sessions, sign-in security, people, sign out) and the notices banner.
import { AccountMenu, NoticesBanner } from './features/account/header';
import { accountRoutes } from './features/account/routes';
import { reportingRoutes } from './features/reporting/routes';
import { adminRoutes } from './features/admin/routes';
import { assessmentRoutes } from './features/assessment/routes';
import { HomePage } from './features/home';
import { managerRoutes } from './features/manager/routes';
import { planRoutes } from './features/plan/routes';
import { findingRoutes } from './features/findings/routes';
import { incidentRoutes } from './features/incidents/routes';
import { surveyRoutes } from './features/survey/routes';
import { opennessRoutes, publicOpennessRoutes } from './features/openness/routes';
import { resultsRoutes } from './features/results/routes';
import { LANGUAGES, setLanguage } from './i18n';
import { keys } from './queries';
import { queryClient, startReads } from './query-client';
import { useMe } from './session';

/**
 * The language menu. A signed-in person's choice is saved on their account, and the account's
 * language is applied when they sign in elsewhere; before that, the app follows the browser.
 */
function LanguageSwitcher() {
  const { t, i18n } = useTranslation();
  const { data: me } = useMe();
  const client = useQueryClient();
  const saved = me?.language ?? null;
  useEffect(() => {
    if (saved && saved !== i18n.language) setLanguage(saved);
  }, [saved, i18n]);
  const choose = (code: string) => {
    setLanguage(code);
    if (me)
      void api('PUT', '/me/language', { language: code }).then(
        () => client.invalidateQueries({ queryKey: keys.me }),
        () => undefined, // the browser still remembers it; the account catches up next time
      );
  };
  return (
    <label className="language">
      <span className="visually-hidden">{t('app.language')}</span>
      <select value={i18n.language} onChange={(e) => choose(e.target.value)}>
        {LANGUAGES.map((l) => (
          <option key={l.code} value={l.code} lang={l.code}>
            {l.name}
          </option>
        ))}
      </select>
    </label>
  );
}

/**
 * Shown over the page when the session ends: sign-in and the second factor happen in this
 * dialog, so the page underneath — and everything typed in it — stays as it was.
 */
function SessionExpired() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const after = useAfterSignIn();
  const [step, setStep] = useState<'closed' | 'password' | 'code'>('closed');
  const [factors, setFactors] = useState<Factor[] | undefined>();
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    // Only a session that existed can expire: visitors of the sign-in pages are not asked twice.
    const show = () => {
      if (client.getQueryData(['me'])) setStep((s) => (s === 'closed' ? 'password' : s));
    };
    window.addEventListener(SIGNED_OUT_EVENT, show);
    return () => window.removeEventListener(SIGNED_OUT_EVENT, show);
  }, [client]);
  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (step !== 'closed' && !d.open) d.showModal();
    if (step === 'closed' && d.open) d.close();
  }, [step]);
  const done = async () => {
    setStep('closed');
    await client.invalidateQueries({ queryKey: ['me'] });
  };
  // A step the dialog cannot hold (enrolling a passkey the instance now requires, a reset second
  // factor) has its own page: the dialog gives way to it.
  const next = async (r: Next) => {
    if (r.next === 'done') return done();
    if (r.next === 'mfa') {
      setFactors(r.factors);
      return setStep('code');
    }
    setStep('closed');
    return after(r);
  };
  return (
    <dialog ref={dialog} className="dialog" aria-labelledby="expired-title" onCancel={(e) => e.preventDefault()}>
      {step !== 'closed' && (
        <>
          <h2 id="expired-title">{step === 'code' ? t('auth.codeTitle') : t('auth.signInTitle')}</h2>
          <p>{t('auth.sessionEnded')}</p>
          {step === 'password' ? (
            <SignInForm onSignedIn={(r) => void next(r)} />
          ) : (
            <CodeForm factors={factors} onVerified={next} />
          )}
        </>
      )}
    </dialog>
  );
}

function Layout() {
  const { t } = useTranslation();
  const me = useMe();
  const location = useLocation();
  // Each page starts at its title; a link may name another start instead (a programme's
  // section links name the section's heading, so the title and its navigation are not read again).
  useEffect(() => {
    const wanted = (location.state as { focus?: unknown } | null)?.focus;
    const target =
      (typeof wanted === 'string' && document.getElementById(wanted)) || document.getElementById('page-title');
    target?.focus();
  }, [location.pathname, location.state]);
  return (
    <>
      <a className="skip" href="#main">
        {t('app.skip')}
      </a>
      <header className="top">
        <Link to="/" className="brand">
          <img src="/favicon.svg" alt="" width="28" height="28" />
          {t('app.name')}
        </Link>
        <nav aria-label={t('app.name')}>
          <Link to="/handbook">{t('app.handbook')}</Link>
          <LanguageSwitcher />
          {me.data && <AccountMenu />}
        </nav>
      </header>
      <main id="main">
        <NoticesBanner />
        {/* Feature pages and their catalogues arrive as separate chunks. */}
        <Suspense fallback={<Loading />}>
          <Outlet />
        </Suspense>
      </main>
      <SessionExpired />
    </>
  );
}

/** Pages that need a full session: send the visitor to sign in or to the second factor first. */
function RequireSession() {
  const me = useMe();
  if (me.isPending) return <Loading />;
  if (me.error?.code === 'unauthenticated') return <Navigate to="/signin" replace />;
  if (me.error?.code === 'mfa_required') return <Navigate to="/signin/code" replace />;
  return <Outlet />;
}

function NotFound() {
  const { t } = useTranslation();
  return (
    <Page title={t('app.notFound')}>
      <Link to="/">{t('app.backHome')}</Link>
    </Page>
  );
}

const routes: RouteObject[] = [
  // A participant's knowledge check: no account, no session, its own frame (features/training).
  {
    lazy: async () => ({ Component: (await import('./features/training/check-pages')).CheckLayout }),
    hydrateFallbackElement: <Loading />,
    children: [
      {
        path: '/check',
        lazy: async () => ({ Component: (await import('./features/training/check-pages')).CheckCodePage }),
      },
      {
        path: '/check/:token',
        lazy: async () => ({ Component: (await import('./features/training/check-pages')).CheckPage }),
      },
    ],
  },
  // The secure reporting channel: no account, no cookie, its own frame (features/reporting).
  {
    lazy: async () => ({ Component: (await import('./features/reporting/report-pages')).ReportLayout }),
    hydrateFallbackElement: <Loading />,
    children: [
      {
        path: '/report',
        lazy: async () => ({ Component: (await import('./features/reporting/report-pages')).ReportPage }),
      },
      {
        path: '/report/follow',
        lazy: async () => ({ Component: (await import('./features/reporting/report-pages')).FollowPage }),
      },
    ],
  },
  // The Digital Security Handbook: public, its own frame, kept for offline reading (features/handbook).
  {
    lazy: async () => ({ Component: (await import('./features/handbook/handbook-pages')).HandbookLayout }),
    hydrateFallbackElement: <Loading />,
    children: [
      {
        path: '/handbook',
        lazy: async () => ({ Component: (await import('./features/handbook/handbook-pages')).HandbookHome }),
      },
      {
        path: '/handbook/:id',
        lazy: async () => ({ Component: (await import('./features/handbook/handbook-pages')).HandbookSectionPage }),
      },
    ],
  },
  {
    element: <Layout />,
    hydrateFallbackElement: <Loading />,
    children: [
      // Pages met once (setup, enrolment with its QR code, invitations, recovery) load when visited.
      { path: '/setup', lazy: async () => ({ Component: (await import('./features/auth/auth-pages')).SetupPage }) },
      { path: '/signin', element: <SignInPage /> },
      { path: '/signin/code', element: <CodePage /> },
      {
        path: '/signin/enrol',
        lazy: async () => ({ Component: (await import('./features/auth/enrol-page')).EnrolPage }),
      },
      {
        path: '/signin/passkey',
        lazy: async () => ({ Component: (await import('./features/auth/enrol-page')).PasskeyEnrolPage }),
      },
      {
        path: '/signin/recover',
        lazy: async () => ({ Component: (await import('./features/auth/auth-pages')).RecoverNeededPage }),
      },
      { path: '/invite', lazy: async () => ({ Component: (await import('./features/auth/auth-pages')).InvitePage }) },
      // An admin's recovery link: `/recover#<token>`.
      { path: '/recover', lazy: async () => ({ Component: (await import('./features/auth/auth-pages')).RecoverPage }) },
      {
        element: <RequireSession />,
        children: [
          { path: '/', element: <HomePage /> },
          ...managerRoutes,
          ...assessmentRoutes,
          ...resultsRoutes,
          ...planRoutes,
          ...findingRoutes,
          ...incidentRoutes,
          ...surveyRoutes,
          ...accountRoutes,
          ...adminRoutes,
          ...reportingRoutes,
          ...opennessRoutes,
        ],
      },
      // The published openness index: anyone may read it, signed in or not.
      ...publicOpennessRoutes,
      { path: '*', element: <NotFound /> },
    ],
  },
];

startReads();

export function App() {
  const [router] = useState(() => createBrowserRouter(routes));
  return (
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  );
}
