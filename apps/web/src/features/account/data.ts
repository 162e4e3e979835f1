import type { Notice, SessionItem } from '@kalaja/contracts';
import { useQuery } from '@tanstack/react-query';
import { api, type ApiError } from '../../api';

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

export type Translate = (key: string, options?: Record<string, unknown>) => string;

/** "Firefox on Linux", "Firefox", "a browser on Linux" or "an unknown device", in the current language. */
export function deviceName(t: Translate, d: { browser: string | null; os: string | null }): string {
  if (d.browser && d.os) return t('device.both', { browser: d.browser, os: d.os });
  if (d.browser) return t('device.browser', { browser: d.browser });
  if (d.os) return t('device.os', { os: d.os });
  return t('device.unknown');
}
