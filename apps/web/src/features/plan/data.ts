/**
 * What the plan pages read and write: an assessment's ranked interventions, an organisation's
 * plan, the programme's plans across its cohort, and the changes to a plan item. Every figure
 * is the engine's, computed on the server; pages round it with the display helpers.
 */
import type {
  InterventionRanking,
  OrganisationPlan,
  PlanEvidence,
  PlanItem,
  PlanItemCreate,
  PlanItemUpdate,
  PlanStatusChange,
  ProgrammePlans,
} from '@kalaja/contracts';
import { useQuery } from '@tanstack/react-query';
import { api, path, retryTransient, type ApiError } from '../../api';

export const planKeys = {
  ranking: (assessmentId: string) => ['assessment', assessmentId, 'interventions'] as const,
  plan: (programmeId: string, organisationId: string) => ['programme', programmeId, 'plan', organisationId] as const,
  programme: (programmeId: string) => ['programme', programmeId, 'plans'] as const,
};

export const useRanking = (assessmentId: string) =>
  useQuery<InterventionRanking, ApiError>({
    queryKey: planKeys.ranking(assessmentId),
    queryFn: () => api('GET', path`/assessments/${assessmentId}/interventions`),
    retry: retryTransient,
  });

export const planPath = (programmeId: string, organisationId: string) =>
  path`/programmes/${programmeId}/organisations/${organisationId}/plan`;

export const usePlan = (programmeId: string | undefined, organisationId: string | undefined) =>
  useQuery<OrganisationPlan, ApiError>({
    queryKey: planKeys.plan(programmeId ?? '', organisationId ?? ''),
    queryFn: () => api('GET', planPath(programmeId!, organisationId!)),
    enabled: programmeId !== undefined && organisationId !== undefined,
    retry: retryTransient,
  });

export const useProgrammePlans = (programmeId: string) =>
  useQuery<ProgrammePlans, ApiError>({
    queryKey: planKeys.programme(programmeId),
    queryFn: () => api('GET', path`/programmes/${programmeId}/plans`),
    retry: retryTransient,
  });

export const createItem = (programmeId: string, organisationId: string, body: PlanItemCreate) =>
  api<PlanItem>('POST', planPath(programmeId, organisationId), body);

/** Changes carry the version the page shows (If-Match): someone else's change meanwhile is a 412. */
export const updateItem = (item: Pick<PlanItem, 'id' | 'version'>, body: PlanItemUpdate) =>
  api<PlanItem>('PATCH', path`/plan-items/${item.id}`, body, { 'if-match': `"${item.version}"` });

export const changeStatus = (item: Pick<PlanItem, 'id' | 'version'>, body: PlanStatusChange) =>
  api<PlanItem>('POST', path`/plan-items/${item.id}/status`, body, { 'if-match': `"${item.version}"` });

export function uploadEvidence(itemId: string, file: File) {
  const body = new FormData();
  body.append('file', file);
  return api<PlanEvidence>('POST', path`/plan-items/${itemId}/evidence`, body);
}
