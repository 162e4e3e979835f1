/**
 * What the training pages read and write (packages/contracts/src/trainings.ts): the module
 * catalogue, a programme's sessions and one session in full, the changes a trainer makes
 * (participants, attendance, links, the check's phase, answers from paper, a responses file,
 * follow-ups), the training impact, and the participant's own check behind a one-time link.
 * Scores are 0–100 at full precision; pages round them with the display helpers.
 */
import type {
  CheckLinksIssued,
  CheckResult,
  CheckSubmission,
  CheckView,
  PaperAnswers,
  ResponsesImportResult,
  TrainingImpact,
  TrainingModules,
  TrainingParticipant,
  TrainingParticipantCreate,
  TrainingParticipantUpdate,
  TrainingSession,
  TrainingSessionCreate,
  TrainingSessionDetail,
  TrainingSessions,
} from '@kalaja/contracts';
import { useQuery } from '@tanstack/react-query';
import { api, path, retryTransient, type ApiError } from '../../api';

export const trainingKeys = {
  modules: ['training-modules'] as const,
  /** Under the programme's prefix: a change that moves its figures invalidates them too. */
  sessions: (programmeId: string) => ['programme', programmeId, 'trainings'] as const,
  impact: (programmeId: string) => ['programme', programmeId, 'trainings', 'impact'] as const,
  session: (sessionId: string) => ['training', sessionId] as const,
  check: (token: string) => ['check', token] as const,
};

export const useTrainingModules = () =>
  useQuery<TrainingModules, ApiError>({
    queryKey: trainingKeys.modules,
    queryFn: () => api('GET', '/training-modules'),
    staleTime: 5 * 60_000,
    retry: retryTransient,
  });

export const useSessions = (programmeId: string) =>
  useQuery<TrainingSessions, ApiError>({
    queryKey: trainingKeys.sessions(programmeId),
    queryFn: () => api('GET', path`/programmes/${programmeId}/trainings`),
    retry: retryTransient,
  });

export const useImpact = (programmeId: string, enabled = true) =>
  useQuery<TrainingImpact, ApiError>({
    queryKey: trainingKeys.impact(programmeId),
    queryFn: () => api('GET', path`/programmes/${programmeId}/trainings/impact`),
    enabled,
    retry: retryTransient,
  });

export const useSession = (sessionId: string) =>
  useQuery<TrainingSessionDetail, ApiError>({
    queryKey: trainingKeys.session(sessionId),
    queryFn: () => api('GET', path`/trainings/${sessionId}`),
    retry: retryTransient,
  });

/** The body as sent: defaults (capacity, language) are the server's when left out. */
export type SessionCreate = Partial<TrainingSessionCreate> & Pick<TrainingSessionCreate, 'module' | 'startsAt'>;

export const scheduleSession = (programmeId: string, body: SessionCreate) =>
  api<TrainingSession>('POST', path`/programmes/${programmeId}/trainings`, body);

const ifMatch = (version: number) => ({ 'if-match': `"${version}"` });

export const deleteSession = (session: Pick<TrainingSession, 'id' | 'version'>) =>
  api<void>('DELETE', path`/trainings/${session.id}`, undefined, ifMatch(session.version));

export const addParticipant = (sessionId: string, body: Partial<TrainingParticipantCreate>) =>
  api<TrainingParticipant>('POST', path`/trainings/${sessionId}/participants`, body);

export const updateParticipant = (
  sessionId: string,
  participant: Pick<TrainingParticipant, 'id' | 'version'>,
  body: TrainingParticipantUpdate,
) =>
  api<TrainingParticipant>(
    'PATCH',
    path`/trainings/${sessionId}/participants/${participant.id}`,
    body,
    ifMatch(participant.version),
  );

export const removeParticipant = (sessionId: string, participant: Pick<TrainingParticipant, 'id' | 'version'>) =>
  api<void>(
    'DELETE',
    path`/trainings/${sessionId}/participants/${participant.id}`,
    undefined,
    ifMatch(participant.version),
  );

export const issueLinks = (sessionId: string, participants?: string[]) =>
  api<CheckLinksIssued>('POST', path`/trainings/${sessionId}/links`, participants ? { participants } : {});

export const issueFollowUp = (sessionId: string, days: 30 | 90) =>
  api<CheckLinksIssued>('POST', path`/trainings/${sessionId}/follow-up`, { days });

export const movePhase = (sessionId: string, phase: 'pre' | 'post' | 'closed') =>
  api<TrainingSession>('POST', path`/trainings/${sessionId}/phase`, { phase });

export const enterPaper = (sessionId: string, participantId: string, phase: 'pre' | 'post', body: PaperAnswers) =>
  api<TrainingParticipant>('PUT', path`/trainings/${sessionId}/participants/${participantId}/answers/${phase}`, body);

export const importResponses = (sessionId: string, csv: string) =>
  api<ResponsesImportResult>('POST', path`/trainings/${sessionId}/responses`, { csv });

// ---- the participant's own check: no account, the link's token is the only credential ----

export const useCheck = (token: string) =>
  useQuery<CheckView, ApiError>({
    queryKey: trainingKeys.check(token),
    queryFn: () => api('GET', path`/checks/${token}`),
    retry: retryTransient,
  });

export const tokenForCode = (code: string) => api<{ token: string }>('POST', '/checks/code', { code });

export const submitCheck = (token: string, phase: 'pre' | 'post' | 'follow-up', body: CheckSubmission) =>
  api<CheckResult>('POST', path`/checks/${token}/${phase}`, body);
