import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { api, type ApiError } from '../../api';
import { roleIn, useMe } from '../../session';
import type { Assessment, AssessmentListItem, EvidenceItem, Framework, InterviewNote, Programme } from './model';
import { connectSaveQueue } from './save-queue';

/** Retry a read only when it may succeed later: offline or a server failure, not a 404. */
const retry = (count: number, e: ApiError) => (e.status === 0 || e.status >= 500) && count < 3;

const path = (id: string) => `/assessments/${encodeURIComponent(id)}`;

/**
 * Everything the assessment pages need: the assessment with both layers of answers, its
 * programme (for the framework and the round's name), the framework in full, what the user
 * works on (for the organisation's name), and the user.
 */
export function useAssessmentBundle(id: string) {
  const me = useMe();
  const client = useQueryClient();
  useEffect(() => connectSaveQueue(client), [client]);

  const assessment = useQuery<Assessment, ApiError>({
    queryKey: ['assessment', id],
    queryFn: () => api<Assessment>('GET', path(id)),
    retry,
  });
  const programmeId = assessment.data?.programmeId;
  const programme = useQuery<Programme, ApiError>({
    queryKey: ['programme', programmeId],
    queryFn: () => api<Programme>('GET', `/programmes/${encodeURIComponent(programmeId!)}`),
    enabled: programmeId !== undefined,
    staleTime: 5 * 60_000,
    retry,
  });
  const frameworkId = programme.data?.framework.id;
  const framework = useQuery<Framework, ApiError>({
    queryKey: ['framework', frameworkId],
    queryFn: () => api<Framework>('GET', `/frameworks/${encodeURIComponent(frameworkId!)}`),
    enabled: frameworkId !== undefined,
    // An imported framework version never changes.
    staleTime: Infinity,
    retry,
  });
  const list = useQuery<AssessmentListItem[], ApiError>({
    queryKey: ['assessments'],
    queryFn: () => api<AssessmentListItem[]>('GET', '/assessments'),
    retry,
  });

  const a = assessment.data;
  const item = list.data?.find((x) => x.id === id);
  const manager = a !== undefined && roleIn(me.data, 'programme_manager', a.programmeId);
  /** Managers are not in the list of what they work on; they may read the organisation's name from the programme. */
  const organisations = useQuery<{ id: string; name: string }[], ApiError>({
    queryKey: ['programme-organisations', a?.programmeId],
    queryFn: () =>
      api<{ id: string; name: string }[]>('GET', `/programmes/${encodeURIComponent(a!.programmeId)}/organisations`),
    enabled: manager && list.isSuccess && item === undefined,
    retry,
  });

  const member =
    a !== undefined &&
    (me.data?.memberships.some(
      (m) => (m.role === 'org_admin' || m.role === 'org_member') && m.organisationId === a.organisationId,
    ) ??
      false);
  const organisationName = item?.organisation ?? organisations.data?.find((o) => o.id === a?.organisationId)?.name;
  const roundName = programme.data?.rounds.find((r) => r.id === a?.roundId)?.name ?? item?.round;

  return {
    me: me.data,
    assessment,
    programme,
    framework,
    /** Still loading what the page cannot show without. */
    pending: assessment.isPending || programme.isPending || framework.isPending,
    error: assessment.error ?? programme.error ?? framework.error,
    organisationName,
    roundName,
    programmeName: programme.data?.name ?? item?.programme,
    /** A member of the assessed organisation: answers the questionnaire. */
    canAnswer: member,
    /** An assigned assessor or a manager of the programme: validates. */
    canValidate: manager || item?.as === 'assessor',
  };
}

export function useEvidence(id: string) {
  return useQuery<EvidenceItem[], ApiError>({
    queryKey: ['evidence', id],
    queryFn: () => api<EvidenceItem[]>('GET', `${path(id)}/evidence`),
    retry,
  });
}

export function useInterviewNotes(id: string) {
  return useQuery<InterviewNote[], ApiError>({
    queryKey: ['interview-notes', id],
    queryFn: () => api<InterviewNote[]>('GET', `${path(id)}/interview-notes`),
    retry,
  });
}

export const assessmentPath = path;
