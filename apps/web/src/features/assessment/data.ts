import type { EvidenceItem, InterviewNote, Organisation } from '@kalaja/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { api, path, retryTransient, type ApiError } from '../../api';
import { keys, useAssessment, useFramework, useMyAssessments, useOrganisations, useProgramme } from '../../queries';
import { roleIn, useMe } from '../../session';
import { connectSaveQueue } from './save-queue';

/**
 * Everything the assessment pages need: the assessment with both layers of answers, its
 * programme (for the framework and the round's name), the framework in full, what the user
 * works on (for the organisation's name), and the user.
 */
export function useAssessmentBundle(id: string) {
  const me = useMe();
  const client = useQueryClient();
  useEffect(() => connectSaveQueue(client), [client]);

  const assessment = useAssessment(id);
  const programme = useProgramme(assessment.data?.programmeId);
  const framework = useFramework(programme.data?.framework.id);
  const list = useMyAssessments();

  const a = assessment.data;
  const item = list.data?.find((x) => x.id === id);
  const manager = a !== undefined && roleIn(me.data, 'programme_manager', a.programmeId);
  // Managers are not in the list of what they work on; they read the organisation's name from the programme.
  const organisations = useOrganisations(a?.programmeId, manager && list.isSuccess && item === undefined);

  const member =
    a !== undefined &&
    (me.data?.memberships.some(
      (m) => (m.role === 'org_admin' || m.role === 'org_member') && m.organisationId === a.organisationId,
    ) ??
      false);
  const organisationName =
    item?.organisation ?? organisations.data?.find((o: Organisation) => o.id === a?.organisationId)?.name;
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
    queryKey: keys.evidence(id),
    queryFn: () => api('GET', path`/assessments/${id}/evidence`),
    retry: retryTransient,
  });
}

export function useInterviewNotes(id: string) {
  return useQuery<InterviewNote[], ApiError>({
    queryKey: keys.interviewNotes(id),
    queryFn: () => api('GET', path`/assessments/${id}/interview-notes`),
    retry: retryTransient,
  });
}

/** `/assessments/:id`, escaped: the base of an assessment's API paths. */
export const assessmentPath = (id: string) => path`/assessments/${id}`;
