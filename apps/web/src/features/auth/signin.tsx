import type { SessionState, SetupStatus } from '@kalaja/contracts';
import { LIMITS } from '@kalaja/contracts/limits';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { api, type ApiError } from '../../api';
import { keys } from '../../queries';
import { ErrorNote, Field, formValues, Loading, Page } from '../../components/ui';
import { passkeyAssertion, passkeysUsable } from './passkey';
import { factorChoices, type Factor } from './passkey-support';

export type { Factor };

/**
 * Signing in: the password, then the second factor. These are the app's first page, and the
 * session-expired dialog shows the same forms, so this module is loaded with the app (and loads
 * no zod: the sign-in form's bounds come from `@kalaja/contracts/limits`). The pages met once
 * (setup, invitations, recovery) are in auth-pages.tsx, loaded when visited.
 */

/**
 * What a session still needs (`POST /session`, `/invitations/accept`, `/session/mfa`,
 * `GET /session`): nothing, the second factor (with the factors this account may use now),
 * enrolling one, a passkey the instance requires, or the recovery link an admin issued.
 */
export type Next = SessionState;

/** The page for each step a session may still owe. */
export const PATH_FOR: Record<Next['next'], string> = {
  done: '/',
  mfa: '/signin/code',
  enrol_totp: '/signin/enrol',
  enrol_passkey: '/signin/passkey',
  recover: '/signin/recover',
};

/** Where a session goes after a step: the second factor, enrolment, recovery, or in. */
export function useAfterSignIn() {
  const navigate = useNavigate();
  const client = useQueryClient();
  return async (r: Next) => {
    if (r.next === 'mfa') return navigate(PATH_FOR.mfa, { state: { factors: r.factors } });
    if (r.next !== 'done') return navigate(PATH_FOR[r.next]);
    await client.invalidateQueries();
    return navigate('/');
  };
}

/**
 * The sign-in form. On a page it moves on to the next step; in the session-expired dialog it
 * hands the result to `onSignedIn` instead, so the page underneath (and what was typed in it)
 * stays where it is.
 */
export function SignInForm({ onSignedIn }: { onSignedIn?: (r: Next) => void }) {
  const { t } = useTranslation();
  const after = useAfterSignIn();
  const m = useMutation({
    mutationFn: (v: Record<string, string>) => api<Next>('POST', '/session', { email: v.email, password: v.password }),
    onSuccess: async (r) => {
      if (onSignedIn) onSignedIn(r);
      else await after(r);
    },
  });
  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault();
        m.mutate(formValues(e));
      }}
    >
      <Field
        label={t('auth.email')}
        name="email"
        type="email"
        required
        maxLength={LIMITS.email}
        autoComplete="username"
      />
      <Field
        label={t('auth.password')}
        name="password"
        type="password"
        required
        maxLength={LIMITS.password}
        autoComplete="current-password"
      />
      <ErrorNote error={m.error} />
      <button type="submit" disabled={m.isPending}>
        {t('auth.signIn')}
      </button>
    </form>
  );
}

/**
 * The sign-in page. On an instance with no account yet there is nobody to sign in: the page
 * leads to first-run setup instead, so a fresh instance opened at `/` lands on setup.
 */
export function SignInPage() {
  const { t } = useTranslation();
  const setup = useQuery<SetupStatus, ApiError>({
    queryKey: keys.setup,
    queryFn: () => api<SetupStatus>('GET', '/setup'),
    retry: (count, e) => e.status === 0 && count < 3,
  });
  if (setup.isPending) return <Loading />;
  if (setup.data?.needed) return <Navigate to="/setup" replace />;
  return (
    <Page title={t('auth.signInTitle')}>
      <SignInForm />
    </Page>
  );
}

/** The second step: a passkey, a code from the authenticator app, or a recovery code — what the account can use. */
export function CodeForm({
  factors,
  onVerified,
}: {
  factors?: Factor[] | undefined;
  onVerified: (r: Next) => void | Promise<unknown>;
}) {
  const { t } = useTranslation();
  const { offered, passkeyElsewhere } = factorChoices(factors, passkeysUsable());
  const [chosen, setChosen] = useState<Factor | undefined>();
  const method = chosen && offered.includes(chosen) ? chosen : offered[0];
  const m = useMutation({
    mutationFn: async (v: Record<string, string>) =>
      api<Next>(
        'POST',
        '/session/mfa',
        method === 'passkey'
          ? { assertion: await passkeyAssertion() }
          : method === 'recovery_code'
            ? { recoveryCode: v.recoveryCode }
            : { code: v.code },
      ),
    onSuccess: onVerified,
  });
  const choose = (f: Factor) => {
    m.reset();
    setChosen(f);
  };
  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault();
        m.mutate(formValues(e));
      }}
    >
      {passkeyElsewhere && <p className="muted">{t('auth.passkeyNotHere')}</p>}
      {method === 'passkey' ? (
        <p key="passkey">{t('auth.passkeyIntro')}</p>
      ) : method === 'recovery_code' ? (
        <Field
          key="recovery"
          label={t('auth.recoveryCode')}
          name="recoveryCode"
          required
          autoComplete="off"
          spellCheck={false}
        />
      ) : (
        <Field
          key="code"
          label={t('auth.code')}
          hint={t('auth.codeIntro')}
          name="code"
          required
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="[0-9 ]{6,7}"
        />
      )}
      <ErrorNote error={m.error} />
      <button type="submit" disabled={m.isPending}>
        {method === 'passkey' ? (m.isPending ? t('auth.passkeyWaiting') : t('auth.usePasskeyNow')) : t('auth.verify')}
      </button>
      {offered
        .filter((f) => f !== method)
        .map((f) => (
          <button key={f} type="button" className="link" onClick={() => choose(f)}>
            {t(f === 'passkey' ? 'auth.usePasskey' : f === 'totp' ? 'auth.useCode' : 'auth.useRecovery')}
          </button>
        ))}
    </form>
  );
}

/**
 * The second step's page. Reached after sign-in (the factors come in the navigation state, and
 * the form shows at once), after a reload, or from a guarded page: `GET /session` says where
 * the session stands, and one that owes something else (enrolment, a required passkey,
 * recovery) or nothing goes to that page instead; one that has ended, to sign-in.
 */
export function CodePage() {
  const { t } = useTranslation();
  const after = useAfterSignIn();
  const given = (useLocation().state as { factors?: Factor[] } | null)?.factors;
  const state = useQuery<Next, ApiError>({
    queryKey: ['session', 'state'],
    queryFn: () => api<Next>('GET', '/session'),
    gcTime: 0,
    retry: false,
  });
  if (state.error?.code === 'unauthenticated') return <Navigate to="/signin" replace />;
  if (state.data && state.data.next !== 'mfa') return <Navigate to={PATH_FOR[state.data.next]} replace />;
  const factors = state.data?.factors ?? given;
  if (!factors && state.isPending) return <Loading />;
  return (
    <Page title={t('auth.codeTitle')}>
      {state.error ? <ErrorNote error={state.error} /> : <CodeForm factors={factors} onVerified={after} />}
    </Page>
  );
}
