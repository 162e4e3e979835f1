import { useQuery } from '@tanstack/react-query';
import { api, type ApiError } from '../../api';
import type { Role } from '../../session';

// The shapes of the API's answers (packages/contracts/src/api.ts), as this page reads them.
export interface Round {
  id: string;
  name: string;
  position: number;
  startsOn: string | null;
  endsOn: string | null;
}
export interface Programme {
  id: string;
  name: string;
  framework: { id: string; key: string; version: string };
  rounds: Round[];
}
export interface FrameworkSummary {
  id: string;
  key: string;
  version: string;
  title: string;
  questions: number;
}
export const KINDS = ['media', 'cso', 'other'] as const;
export const SIZE_BANDS = ['1-5', '6-10', '11-25', '26-50', '51+'] as const;
export interface Organisation {
  id: string;
  name: string;
  kind: (typeof KINDS)[number];
  sizeBand: (typeof SIZE_BANDS)[number];
  municipality: string;
  country: string;
  focus: string;
  languages: string[];
}
export const ROLES: readonly Role[] = ['programme_manager', 'assessor', 'org_admin', 'org_member', 'observer'];
export const ORGANISATION_ROLES: readonly Role[] = ['org_admin', 'org_member'];
export interface Member {
  userId: string;
  displayName: string;
  email: string;
  role: Role;
  organisationId: string | null;
  assignedOrganisations: string[];
}
export type Status = 'draft' | 'submitted' | 'validated';
export interface ProgressRow {
  organisationId: string;
  organisation: string;
  roundId: string;
  assessmentId: string;
  status: Status;
  completeness: number;
}
export interface Invitation {
  id: string;
  link: string;
  expiresAt: string;
}

/**
 * Query keys. Everything about one programme lives under ['programme', id], so a change that
 * moves figures (organisations added, answers imported) invalidates the whole prefix.
 */
export const keys = {
  frameworks: ['frameworks'] as const,
  programmes: ['programmes'] as const,
  programme: (id: string) => ['programme', id] as const,
  progress: (id: string) => ['programme', id, 'progress'] as const,
  organisations: (id: string) => ['programme', id, 'organisations'] as const,
  members: (id: string) => ['programme', id, 'members'] as const,
};

/** Retry only what may pass on a second try (no connection, a server hiccup) — never a 404 or a 400. */
const retry = (count: number, error: ApiError) => (error.status === 0 || error.status >= 500) && count < 3;

export const useFrameworks = () =>
  useQuery<FrameworkSummary[], ApiError>({
    retry,
    queryKey: keys.frameworks,
    queryFn: () => api<FrameworkSummary[]>('GET', '/frameworks'),
    staleTime: 5 * 60_000,
  });

export const useProgramme = (id: string) =>
  useQuery<Programme, ApiError>({
    retry,
    queryKey: keys.programme(id),
    queryFn: () => api<Programme>('GET', `/programmes/${encodeURIComponent(id)}`),
  });

export const useProgress = (id: string) =>
  useQuery<ProgressRow[], ApiError>({
    retry,
    queryKey: keys.progress(id),
    queryFn: () => api<ProgressRow[]>('GET', `/programmes/${encodeURIComponent(id)}/progress`),
  });

export const useOrganisations = (id: string) =>
  useQuery<Organisation[], ApiError>({
    retry,
    queryKey: keys.organisations(id),
    queryFn: () => api<Organisation[]>('GET', `/programmes/${encodeURIComponent(id)}/organisations`),
  });

export const useMembers = (id: string) =>
  useQuery<Member[], ApiError>({
    retry,
    queryKey: keys.members(id),
    queryFn: () => api<Member[]>('GET', `/programmes/${encodeURIComponent(id)}/members`),
  });
