/**
 * What the results pages read beyond the shared queries (src/queries.ts): an assessment's
 * scores with the engine's explanation, and a programme's cohort figures — the summary first
 * (a few kilobytes whatever the cohort's size), then the organisations a page at a time. The
 * server computes every figure with the engine; nothing here recomputes a score, and every
 * number is shown through the engine's display helpers (src/format.ts).
 */
import type { AssessmentExplanation, CohortOrganisationsPage, CohortSummary } from '@kalaja/contracts';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, path, retryTransient, type ApiError } from '../../api';
import { keys } from '../../queries';

export const useAssessmentResults = (id: string) =>
  useQuery<AssessmentExplanation, ApiError>({
    queryKey: keys.assessmentResults(id),
    queryFn: () => api('GET', path`/assessments/${id}/results`),
    retry: retryTransient,
  });

export const useCohortSummary = (id: string) =>
  useQuery<CohortSummary, ApiError>({
    queryKey: keys.cohortSummary(id),
    queryFn: () => api('GET', path`/programmes/${id}/results/summary`),
    retry: retryTransient,
  });

/** Organisations shown at once in the heatmap and its table. */
export const ORGANISATIONS_PAGE = 50;

/** One page of a round's organisations (managers); the page before stays on screen while the next loads. */
export const useCohortOrganisations = (id: string, round: string, offset: number, enabled: boolean) =>
  useQuery<CohortOrganisationsPage, ApiError>({
    queryKey: keys.cohortOrganisations(id, round, offset, ORGANISATIONS_PAGE),
    queryFn: () =>
      api(
        'GET',
        `${path`/programmes/${id}/results/organisations`}?${new URLSearchParams({
          round,
          offset: String(offset),
          limit: String(ORGANISATIONS_PAGE),
        })}`,
      ),
    enabled,
    placeholderData: keepPreviousData,
    retry: retryTransient,
  });
