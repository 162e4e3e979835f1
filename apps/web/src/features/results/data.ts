/**
 * What the results pages read beyond the shared queries (src/queries.ts): an assessment's
 * scores with the engine's explanation, and a programme's cohort figures. The server computes
 * every figure with the engine; nothing here recomputes a score, and every number is shown
 * through the engine's display helpers (src/format.ts).
 */
import type { AssessmentExplanation, CohortResults } from '@kalaja/contracts';
import { useQuery } from '@tanstack/react-query';
import { api, path, retryTransient, type ApiError } from '../../api';
import { keys } from '../../queries';

export const useAssessmentResults = (id: string) =>
  useQuery<AssessmentExplanation, ApiError>({
    queryKey: keys.assessmentResults(id),
    queryFn: () => api('GET', path`/assessments/${id}/results`),
    retry: retryTransient,
  });

export const useCohortResults = (id: string) =>
  useQuery<CohortResults, ApiError>({
    queryKey: keys.cohortResults(id),
    queryFn: () => api('GET', path`/programmes/${id}/results`),
    retry: retryTransient,
  });
