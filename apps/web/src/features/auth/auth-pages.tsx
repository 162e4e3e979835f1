import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router';
import { api } from '../../api';
import { ErrorNote, Field, fieldError, Page } from '../../components/ui';

export type Next = { next: 'done' | 'mfa' | 'enrol_totp' };

/** Where a session goes after a step: the second factor, enrolment, or in. */
export function useAfterSignIn() {
  const navigate = useNavigate();
  const client = useQueryClient();
  return async (r: Next) => {
    if (r.next === 'mfa') return navigate('/signin/code');
    if (r.next === 'enrol_totp') return navigate('/signin/enrol');
    await client.invalidateQueries();
    return navigate('/');
  };
}

export const formValues = (e: FormEvent<HTMLFormElement>) =>
  Object.fromEntries(new FormData(e.currentTarget)) as Record<string, string>;

export function SetupPage() {
  const { t } = useTranslation();
  const after = useAfterSignIn();
  const m = useMutation({
    mutationFn: (v: Record<string, string>) =>
      api<Next>('POST', '/setup', {
        token: v.token,
        email: v.email,
        displayName: v.displayName,
        password: v.password,
        demo: v.demo === 'on',
      }),
    onSuccess: after,
  });
  return (
    <Page title={t('auth.setupTitle')}>
      <p>{t('auth.setupIntro')}</p>
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          m.mutate(formValues(e));
        }}
      >
        <Field
          label={t('auth.token')}
          name="token"
          required
          autoComplete="off"
          spellCheck={false}
          error={fieldError(m.error, 'token')}
        />
        <Field
          label={t('auth.email')}
          name="email"
          type="email"
          required
          autoComplete="email"
          error={fieldError(m.error, 'email')}
        />
        <Field
          label={t('auth.name')}
          name="displayName"
          required
          autoComplete="name"
          error={fieldError(m.error, 'displayName')}
        />
        <Field
          label={t('auth.password')}
          hint={t('auth.passwordHint')}
          name="password"
          type="password"
          required
          minLength={15}
          autoComplete="new-password"
          error={fieldError(m.error, 'password')}
        />
        <label className="check">
          <input type="checkbox" name="demo" /> {t('auth.demo')}
        </label>
        <ErrorNote error={m.error} />
        <button type="submit" disabled={m.isPending}>
          {t('auth.createAccount')}
        </button>
      </form>
    </Page>
  );
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
      <Field label={t('auth.email')} name="email" type="email" required autoComplete="username" />
      <Field label={t('auth.password')} name="password" type="password" required autoComplete="current-password" />
      <ErrorNote error={m.error} />
      <button type="submit" disabled={m.isPending}>
        {t('auth.signIn')}
      </button>
    </form>
  );
}

export function SignInPage() {
  const { t } = useTranslation();
  return (
    <Page title={t('auth.signInTitle')}>
      <SignInForm />
    </Page>
  );
}

/** The second step: a code from the authenticator app, or a recovery code. */
export function CodeForm({ onVerified }: { onVerified: (r: Next) => void | Promise<unknown> }) {
  const { t } = useTranslation();
  const [recovery, setRecovery] = useState(false);
  const m = useMutation({
    mutationFn: (v: Record<string, string>) =>
      api<Next>('POST', '/session/mfa', recovery ? { recoveryCode: v.recoveryCode } : { code: v.code }),
    onSuccess: onVerified,
  });
  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault();
        m.mutate(formValues(e));
      }}
    >
      {recovery ? (
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
        {t('auth.verify')}
      </button>
      <button type="button" className="link" onClick={() => setRecovery(!recovery)}>
        {recovery ? t('auth.useCode') : t('auth.useRecovery')}
      </button>
    </form>
  );
}

export function CodePage() {
  const { t } = useTranslation();
  const after = useAfterSignIn();
  return (
    <Page title={t('auth.codeTitle')}>
      <CodeForm onVerified={after} />
    </Page>
  );
}

export function InvitePage() {
  const { t } = useTranslation();
  const after = useAfterSignIn();
  const token = useLocation().hash.slice(1);
  const m = useMutation({
    mutationFn: (v: Record<string, string>) =>
      api<Next>('POST', '/invitations/accept', { token, displayName: v.displayName, password: v.password }),
    onSuccess: after,
  });
  if (!token) {
    return (
      <Page title={t('auth.inviteTitle')}>
        <p className="error-note" role="alert">
          {t('auth.inviteMissing')}
        </p>
      </Page>
    );
  }
  return (
    <Page title={t('auth.inviteTitle')}>
      <p>{t('auth.inviteIntro')}</p>
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          m.mutate(formValues(e));
        }}
      >
        <Field
          label={t('auth.name')}
          name="displayName"
          required
          autoComplete="name"
          error={fieldError(m.error, 'displayName')}
        />
        <Field
          label={t('auth.password')}
          hint={t('auth.passwordHint')}
          name="password"
          type="password"
          required
          minLength={15}
          autoComplete="new-password"
          error={fieldError(m.error, 'password')}
        />
        <ErrorNote error={m.error} />
        <button type="submit" disabled={m.isPending}>
          {t('auth.join')}
        </button>
      </form>
    </Page>
  );
}
