import type {
  Assessment,
  AssessmentListItem,
  FrameworkSummary,
  Organisation,
  Programme,
  ProgrammeMember,
  ProgressRow,
  PublicationList,
} from '@kalaja/contracts';
import type { Framework } from '@kalaja/engine/display';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, path, retryTransient, type ApiError } from './api';

/**
 * The reads that several pages share, each under one query key, so that their caches and
 * invalidations reach every page that shows the same data. Everything about one programme
 * lives under ['programme', id] and everything about one assessment under ['assessment', id]:
 * a change that moves figures (an organisation added, answers imported, an answer saved)
 * invalidates the whole prefix.
 */
export const keys = {
  me: ['me'] as const,
  /** Whether the instance still waits for its first account. */
  setup: ['setup'] as const,
  frameworks: ['frameworks'] as const,
  framework: (id: string | undefined, lang?: string) => ['framework', id, lang] as const,
  programmes: ['programmes'] as const,
  programme: (id: string | undefined) => ['programme', id] as const,
  progress: (id: string | undefined) => ['programme', id, 'progress'] as const,
  organisations: (id: string | undefined) => ['programme', id, 'organisations'] as const,
  members: (id: string | undefined) => ['programme', id, 'members'] as const,
  cohortResults: (id: string) => ['programme', id, 'results'] as const,
  cohortSummary: (id: string) => ['programme', id, 'results', 'summary'] as const,
  cohortOrganisations: (id: string, round: string, offset: number, limit: number) =>
    ['programme', id, 'results', 'organisations', round, offset, limit] as const,
  reports: (id: string) => ['programme', id, 'reports'] as const,
  publications: (id: string) => ['programme', id, 'publications'] as const,
  recommendations: (id: string) => ['programme', id, 'recommendations'] as const,
  assessments: ['assessments'] as const,
  assessment: (id: string) => ['assessment', id] as const,
  assessmentResults: (id: string) => ['assessment', id, 'results'] as const,
  evidence: (id: string) => ['assessment', id, 'evidence'] as const,
  interviewNotes: (id: string) => ['assessment', id, 'interview-notes'] as const,
};

/**
 * A framework as `GET /frameworks/:id` gives it: the engine's loaded framework, every default
 * filled in, with the id it was stored under.
 */
export type FrameworkView = Framework & { frameworkId: string };

export const useFrameworks = () =>
  useQuery<FrameworkSummary[], ApiError>({
    queryKey: keys.frameworks,
    queryFn: () => api('GET', '/frameworks'),
    staleTime: 5 * 60_000,
    retry: retryTransient,
  });

/** How a framework is read, in one language: shared by the hook and by prefetches (route loaders). */
export const frameworkQuery = (id: string | undefined, lang: string) => ({
  queryKey: keys.framework(id, lang),
  queryFn: () => api<FrameworkView>('GET', `${path`/frameworks/${id!}`}?lang=${encodeURIComponent(lang)}`),
  enabled: id !== undefined,
  // An imported framework version never changes.
  staleTime: Infinity,
  retry: retryTransient,
});

/** A framework with its texts in the language the app shows (the server picks them). */
export const useFramework = (id: string | undefined) => {
  const { i18n } = useTranslation();
  return useQuery<FrameworkView, ApiError>(frameworkQuery(id, i18n.language));
};

/** The programmes the reader has a role in. */
export const useProgrammes = () =>
  useQuery<Programme[], ApiError>({
    queryKey: keys.programmes,
    queryFn: () => api('GET', '/programmes'),
    retry: retryTransient,
  });

/** How a programme is read: shared by the hook and by prefetches (route loaders). */
export const programmeQuery = (id: string | undefined) => ({
  queryKey: keys.programme(id),
  queryFn: () => api<Programme>('GET', path`/programmes/${id!}`),
  enabled: id !== undefined,
  staleTime: 60_000,
  retry: retryTransient,
});

export const useProgramme = (id: string | undefined) => useQuery<Programme, ApiError>(programmeQuery(id));

/** Who answered what, per organisation and round: the programme's managers only (others get 404). */
export const useProgress = (id: string | undefined, enabled = true) =>
  useQuery<ProgressRow[], ApiError>({
    queryKey: keys.progress(id),
    queryFn: () => api('GET', path`/programmes/${id!}/progress`),
    enabled: enabled && id !== undefined,
    retry: retryTransient,
  });

export const useOrganisations = (id: string | undefined, enabled = true) =>
  useQuery<Organisation[], ApiError>({
    queryKey: keys.organisations(id),
    queryFn: () => api('GET', path`/programmes/${id!}/organisations`),
    enabled: enabled && id !== undefined,
    retry: retryTransient,
  });

export const useMembers = (id: string) =>
  useQuery<ProgrammeMember[], ApiError>({
    queryKey: keys.members(id),
    queryFn: () => api('GET', path`/programmes/${id}/members`),
    retry: retryTransient,
  });

/** What the reader works on: their own organisation's assessments and those they review, with names. */
export const useMyAssessments = () =>
  useQuery<AssessmentListItem[], ApiError>({
    queryKey: keys.assessments,
    queryFn: () => api('GET', '/assessments'),
    retry: retryTransient,
  });

/** One assessment with both layers of answers. */
export const useAssessment = (id: string) =>
  useQuery<Assessment, ApiError>({
    queryKey: keys.assessment(id),
    queryFn: () => api('GET', path`/assessments/${id}`),
    retry: retryTransient,
  });

/** Published versions of the programme's rounds (managers and observers); for managers, where each round stands. */
export const usePublications = (id: string) =>
  useQuery<PublicationList, ApiError>({
    queryKey: keys.publications(id),
    queryFn: () => api('GET', path`/programmes/${id}/publications`),
    retry: retryTransient,
  });
