import { useQuery } from '@tanstack/react-query';
import { api, type ApiError } from '../../api';
import i18next from '../../i18n';

// The shapes of the API's answers (packages/contracts/src/account.ts), as these pages read them.
export interface SessionItem {
  id: string;
  browser: string | null;
  os: string | null;
  createdAt: string;
  lastSeenAt: string;
  current: boolean;
  secondFactor: boolean;
}
export interface Notice {
  id: string;
  kind: 'new_device';
  createdAt: string;
  params: { browser: string | null; os: string | null; at: string; session: string };
}

export const accountKeys = {
  sessions: ['account', 'sessions'] as const,
  notices: ['account', 'notices'] as const,
};

export const useSessions = () =>
  useQuery<SessionItem[], ApiError>({
    queryKey: accountKeys.sessions,
    queryFn: () => api<SessionItem[]>('GET', '/sessions'),
  });

/** Unread notices; looked at again every few minutes while the app is open. */
export const useNotices = (enabled: boolean) =>
  useQuery<Notice[], ApiError>({
    queryKey: accountKeys.notices,
    queryFn: () => api<Notice[]>('GET', '/notices'),
    enabled,
    staleTime: 60_000,
    refetchInterval: 5 * 60_000,
  });

/** "Firefox on Linux", "Firefox", "a browser on Linux" or "an unknown device", in the current language. */
export type Translate = (key: string, options?: Record<string, unknown>) => string;

export function deviceName(t: Translate, d: { browser: string | null; os: string | null }): string {
  if (d.browser && d.os) return t('device.both', { browser: d.browser, os: d.os });
  if (d.browser) return t('device.browser', { browser: d.browser });
  if (d.os) return t('device.os', { os: d.os });
  return t('device.unknown');
}

/** A moment in the reader's language and time zone: the time alone when it is today. */
export function formatWhen(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const today = new Date().toDateString() === date.toDateString();
  return new Intl.DateTimeFormat(
    i18next.language,
    today ? { timeStyle: 'short' } : { dateStyle: 'medium', timeStyle: 'short' },
  ).format(date);
}
