/**
 * What the reporting pages read and write (packages/contracts/src/reporting.ts): the public
 * channel (its status, a report with files, the reporter's view through the receipt code) and
 * the team's inbox and settings. The receipt code travels in request bodies only, never in an
 * address, so it is in no browser history and no server log.
 */
import type {
  ChannelStatus,
  ReporterView,
  ReportingMembership,
  ReportingSettings,
  SubmittedReport,
  TeamReport,
  TeamReportSummary,
} from '@kalaja/contracts';
import { useQuery } from '@tanstack/react-query';
import { api, path, retryTransient, type ApiError } from '../../api';

export const reportingKeys = {
  channel: (lang: string) => ['report-channel', lang] as const,
  inbox: ['reporting', 'reports'] as const,
  report: (id: string) => ['reporting', 'reports', id] as const,
  settings: ['reporting', 'settings'] as const,
};

export const useChannel = (lang: string) =>
  useQuery<ChannelStatus, ApiError>({
    queryKey: reportingKeys.channel(lang),
    queryFn: () => api('GET', `/report-channel?lang=${encodeURIComponent(lang)}`),
    retry: retryTransient,
  });

/** Sends a report with its files as one multipart form; nothing is kept in the browser. */
export function submitReport(report: object, files: readonly File[]): Promise<SubmittedReport> {
  const form = new FormData();
  form.append('report', JSON.stringify(report));
  for (const f of files) form.append('file', f, f.name);
  return api('POST', '/report-channel/reports', form);
}

export const readWithCode = (code: string) => api<ReporterView>('POST', '/report-channel/receipt', { code });
/** More from the reporter, with files, as one multipart form. */
export function addWithCode(code: string, text: string, files: readonly File[], stripMetadata: boolean) {
  const form = new FormData();
  form.append('message', JSON.stringify({ code, text, stripMetadata }));
  for (const f of files) form.append('file', f, f.name);
  return api<ReporterView>('POST', '/report-channel/receipt/messages', form);
}

/** Whether the signed-in person is in the reporting team; asked once per visit, for the menu. */
export const useReportingMembership = (enabled: boolean) =>
  useQuery<ReportingMembership, ApiError>({
    queryKey: ['reporting', 'membership'],
    queryFn: () => api('GET', '/reporting/membership'),
    enabled,
    staleTime: Infinity,
    retry: retryTransient,
  });

export const useInbox = () =>
  useQuery<TeamReportSummary[], ApiError>({
    queryKey: reportingKeys.inbox,
    queryFn: () => api('GET', '/reporting/reports'),
    retry: retryTransient,
  });

export const useTeamReport = (id: string) =>
  useQuery<TeamReport, ApiError>({
    queryKey: reportingKeys.report(id),
    queryFn: () => api('GET', path`/reporting/reports/${id}`),
    retry: retryTransient,
  });

export const useReportingSettings = () =>
  useQuery<ReportingSettings, ApiError>({
    queryKey: reportingKeys.settings,
    queryFn: () => api('GET', '/reporting/settings'),
    retry: retryTransient,
  });

export const replyTo = (id: string, text: string) =>
  api<TeamReport>('POST', path`/reporting/reports/${id}/replies`, { text });
export const tagReport = (id: string, tags: string[]) =>
  api<TeamReport>('PUT', path`/reporting/reports/${id}/tags`, { tags });
export const closeReport = (id: string, closed: boolean) =>
  api<TeamReport>('POST', closed ? path`/reporting/reports/${id}/close` : path`/reporting/reports/${id}/reopen`, {});
export const saveSettings = (enabled: boolean, retentionDays: number) =>
  api<ReportingSettings>('PUT', '/reporting/settings', { enabled, retentionDays });
export const addReceiver = (userId: string) => api<ReportingSettings>('POST', '/reporting/receivers', { userId });
export const removeReceiver = (userId: string) =>
  api<ReportingSettings>('DELETE', path`/reporting/receivers/${userId}`);
