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

/** How long a read of results is used as it is before it is read again (see cohortSummaryQuery). */
const FRESH_MS = 10_000;

/** How a programme's cohort summary is read: shared by the hook and by the route's prefetch. */
export const cohortSummaryQuery = (id: string) => ({
  queryKey: keys.cohortSummary(id),
  queryFn: () => api<CohortSummary>('GET', path`/programmes/${id}/results/summary`),
  // What the route prefetched a moment ago is not read again as the page mounts; a save in
  // this browser invalidates the programme's results at once.
  staleTime: FRESH_MS,
  retry: retryTransient,
});

export const useCohortSummary = (id: string) => useQuery<CohortSummary, ApiError>(cohortSummaryQuery(id));

/** The rounds that have results, in order. */
export const roundsWithResults = (data: CohortSummary) =>
  data.rounds.filter((r) => (data.report.cohort[r]?.n ?? 0) > 0);

/** The round the page shows: the one the address asks for when it has results, else the last with results. */
export function shownRound(data: CohortSummary, asked: string | null): string | undefined {
  const withResults = roundsWithResults(data);
  return asked && withResults.includes(asked) ? asked : withResults[withResults.length - 1];
}

/** Organisations shown at once in the heatmap and its table. */
export const ORGANISATIONS_PAGE = 50;

/** How one page of a round's organisations is read: shared by the hook and by the route's prefetch. */
export const cohortOrganisationsQuery = (id: string, round: string, offset: number) => ({
  queryKey: keys.cohortOrganisations(id, round, offset, ORGANISATIONS_PAGE),
  queryFn: () =>
    api<CohortOrganisationsPage>(
      'GET',
      `${path`/programmes/${id}/results/organisations`}?${new URLSearchParams({
        round,
        offset: String(offset),
        limit: String(ORGANISATIONS_PAGE),
      })}`,
    ),
  staleTime: FRESH_MS,
  retry: retryTransient,
});

/** One page of a round's organisations (managers); the page before stays on screen while the next loads. */
export const useCohortOrganisations = (id: string, round: string, offset: number, enabled: boolean) =>
  useQuery<CohortOrganisationsPage, ApiError>({
    ...cohortOrganisationsQuery(id, round, offset),
    enabled,
    placeholderData: keepPreviousData,
  });
