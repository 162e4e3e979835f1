import { acceptInvitationRequest, setupRequest } from '@kalaja/contracts';
import { LIMITS } from '@kalaja/contracts/limits';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation } from 'react-router';
import { api, type ApiError } from '../../api';
import { checked } from '../../components/checked';
import { keys } from '../../queries';
import { ErrorNote, Field, fieldError, formValues, Page } from '../../components/ui';
import { useAfterSignIn, type Next } from './signin';

/**
 * The pages a person meets once: first-run setup, accepting an invitation, and the recovery
 * link after an admin reset a second factor. Loaded when visited (the app fails its build if
 * anything imports this module statically: vite.config.ts).
 */

export function SetupPage() {
  const { t } = useTranslation();
  const after = useAfterSignIn();
  const client = useQueryClient();
  const m = useMutation<Next, ApiError, Record<string, string>>({
    mutationFn: (v) =>
      api<Next>(
        'POST',
        '/setup',
        checked(setupRequest, {
          token: v.token ?? '',
          email: v.email ?? '',
          displayName: v.displayName ?? '',
          password: v.password ?? '',
          demo: v.demo === 'on',
        }),
      ),
    onSuccess: (r) => {
      // The instance has its first account now: the sign-in page no longer leads here.
      client.setQueryData(keys.setup, { needed: false });
      return after(r);
    },
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
          maxLength={LIMITS.token}
          autoComplete="off"
          spellCheck={false}
          error={fieldError(m.error, 'token')}
        />
        <Field
          label={t('auth.email')}
          name="email"
          type="email"
          required
          maxLength={LIMITS.email}
          autoComplete="email"
          error={fieldError(m.error, 'email')}
        />
        <Field
          label={t('auth.name')}
          name="displayName"
          required
          maxLength={LIMITS.name}
          autoComplete="name"
          error={fieldError(m.error, 'displayName')}
        />
        <Field
          label={t('auth.password')}
          hint={t('auth.passwordHint')}
          name="password"
          type="password"
          required
          minLength={LIMITS.passwordMin}
          maxLength={LIMITS.password}
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

/** After sign-in, for an account whose second factor an admin reset: the link is needed. */
export function RecoverNeededPage() {
  const { t } = useTranslation();
  return (
    <Page title={t('auth.resetTitle')}>
      <p role="alert">{t('auth.resetExplained')}</p>
      <p>{t('auth.resetHelp')}</p>
    </Page>
  );
}

/**
 * `/recover#<token>`: the one-time link an instance admin issued after resetting this account's
 * second factor. The token is read from the fragment once and taken out of the address bar at
 * once (it goes nowhere but the body of `POST /session/recover`); the person signs in with their
 * password, redeems the link, and enrols a new second factor.
 */
export function RecoverPage() {
  const { t } = useTranslation();
  const after = useAfterSignIn();
  const [token] = useState(() => window.location.hash.slice(1));
  useEffect(() => {
    if (window.location.hash)
      window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search);
  }, []);
  const m = useMutation({
    mutationFn: async (v: Record<string, string>) => {
      const signedIn = await api<Next>('POST', '/session', { email: v.email, password: v.password });
      // Only an account waiting for its recovery redeems the link; any other goes on as usual.
      if (signedIn.next !== 'recover') return signedIn;
      return api<Next>('POST', '/session/recover', { token });
    },
    onSuccess: after,
  });
  if (!token) {
    return (
      <Page title={t('auth.recoverTitle')}>
        <p className="error-note" role="alert">
          {t('auth.recoverMissing')}
        </p>
      </Page>
    );
  }
  return (
    <Page title={t('auth.recoverTitle')}>
      <p>{t('auth.recoverIntro')}</p>
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
          {t('auth.recoverContinue')}
        </button>
      </form>
    </Page>
  );
}

export function InvitePage() {
  const { t } = useTranslation();
  const after = useAfterSignIn();
  const token = useLocation().hash.slice(1);
  const m = useMutation<Next, ApiError, Record<string, string>>({
    mutationFn: (v) =>
      api<Next>(
        'POST',
        '/invitations/accept',
        checked(acceptInvitationRequest, { token, displayName: v.displayName ?? '', password: v.password ?? '' }),
      ),
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
          maxLength={LIMITS.name}
          autoComplete="name"
          error={fieldError(m.error, 'displayName')}
        />
        <Field
          label={t('auth.password')}
          hint={t('auth.passwordHint')}
          name="password"
          type="password"
          required
          minLength={LIMITS.passwordMin}
          maxLength={LIMITS.password}
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
