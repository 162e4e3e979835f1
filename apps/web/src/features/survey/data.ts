/**
 * What the survey page reads and writes: the programme's survey form and the organisation's
 * answers to it in one round. A save sends every answer at once with the version the page shows
 * (If-Match): someone else's save meanwhile is a 412.
 */
import type { SurveyAnswersInput, SurveyResponse } from '@kalaja/contracts';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, path, retryTransient, type ApiError } from '../../api';

export const surveyKeys = {
  response: (programmeId: string, roundId: string, organisationId: string, lang: string) =>
    ['programme', programmeId, 'survey', roundId, organisationId, lang] as const,
};

const responsePath = (programmeId: string, roundId: string, organisationId: string) =>
  path`/programmes/${programmeId}/rounds/${roundId}/organisations/${organisationId}/survey`;

export function useSurveyResponse(
  programmeId: string | undefined,
  roundId: string | undefined,
  organisationId: string | undefined,
) {
  const { i18n } = useTranslation();
  const lang = i18n.language;
  return useQuery<SurveyResponse, ApiError>({
    queryKey: surveyKeys.response(programmeId ?? '', roundId ?? '', organisationId ?? '', lang),
    queryFn: () =>
      api('GET', `${responsePath(programmeId!, roundId!, organisationId!)}?lang=${encodeURIComponent(lang)}`),
    enabled: programmeId !== undefined && roundId !== undefined && organisationId !== undefined,
    retry: retryTransient,
  });
}

export const saveSurvey = (r: SurveyResponse, body: SurveyAnswersInput, lang: string) =>
  api<SurveyResponse>(
    'PUT',
    `${responsePath(r.programmeId, r.roundId, r.organisationId)}?lang=${encodeURIComponent(lang)}`,
    body,
    { 'if-match': `"${r.version}"` },
  );
