/**
 * What the findings page reads and writes: an organisation's findings, and each step of a
 * finding's life (edit, submit, review, plan, retest, evidence). Writes carry the version the
 * page shows (If-Match): someone else's change meanwhile is a 412.
 */
import type {
  Finding,
  FindingCreate,
  FindingImport,
  FindingImportResult,
  FindingRetestInput,
  FindingReview,
  FindingUpdate,
  FindingsSummary,
  OrganisationFindings,
  PlanEvidence,
} from '@kalaja/contracts';
import { useQuery } from '@tanstack/react-query';
import { api, path, retryTransient, type ApiError } from '../../api';

export const findingKeys = {
  list: (programmeId: string, organisationId: string) =>
    ['programme', programmeId, 'findings', organisationId] as const,
  summary: (programmeId: string) => ['programme', programmeId, 'findings', 'summary'] as const,
};

/** The cohort's findings counted, and who found and reviewed what (`GET /programmes/:id/findings/summary`). */
export const useFindingsSummary = (programmeId: string) =>
  useQuery<FindingsSummary, ApiError>({
    queryKey: findingKeys.summary(programmeId),
    queryFn: () => api('GET', path`/programmes/${programmeId}/findings/summary`),
    retry: retryTransient,
  });

const listPath = (programmeId: string, organisationId: string) =>
  path`/programmes/${programmeId}/organisations/${organisationId}/findings`;

export const useFindings = (programmeId: string | undefined, organisationId: string | undefined) =>
  useQuery<OrganisationFindings, ApiError>({
    queryKey: findingKeys.list(programmeId ?? '', organisationId ?? ''),
    queryFn: () => api('GET', listPath(programmeId!, organisationId!)),
    enabled: programmeId !== undefined && organisationId !== undefined,
    retry: retryTransient,
  });

type Versioned = Pick<Finding, 'id' | 'version'>;
const ifMatch = (f: Versioned) => ({ 'if-match': `"${f.version}"` });

export const recordFinding = (programmeId: string, organisationId: string, body: FindingCreate) =>
  api<Finding>('POST', listPath(programmeId, organisationId), body);
export const updateFinding = (f: Versioned, body: FindingUpdate) =>
  api<Finding>('PATCH', path`/findings/${f.id}`, body, ifMatch(f));
export const submitFinding = (f: Versioned) =>
  api<Finding>('POST', path`/findings/${f.id}/submit`, undefined, ifMatch(f));
export const discardFinding = (f: Versioned) => api<void>('DELETE', path`/findings/${f.id}`, undefined, ifMatch(f));
export const reviewFinding = (f: Versioned, body: FindingReview) =>
  api<Finding>('POST', path`/findings/${f.id}/review`, body, ifMatch(f));
export const planFinding = (f: Versioned, planItemId?: string) =>
  api<Finding>('POST', path`/findings/${f.id}/plan`, planItemId ? { planItemId } : {}, ifMatch(f));
export const retestFinding = (f: Versioned, body: FindingRetestInput) =>
  api<Finding>('POST', path`/findings/${f.id}/retest`, body, ifMatch(f));

export function uploadFindingEvidence(findingId: string, file: File) {
  const body = new FormData();
  body.append('file', file);
  return api<PlanEvidence>('POST', path`/findings/${findingId}/evidence`, body);
}

/** A scanner's output as draft findings of the organisation (SARIF, OWASP ZAP JSON, Nuclei JSON lines). */
export const importScan = (programmeId: string, organisationId: string, body: FindingImport) =>
  api<FindingImportResult>('POST', `${listPath(programmeId, organisationId)}/import`, body);
