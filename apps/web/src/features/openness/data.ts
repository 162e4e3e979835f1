/**
 * What the openness pages read and write: an index's institutions, a wave's progress and sheets
 * for the research team; the published waves for anyone (no session needed, same origin only).
 */
import type {
  IndicatorAnswerInput,
  IndicatorRow,
  IndicatorSheet,
  Institution,
  InstitutionInput,
  PublicIndex,
  PublicInstitution,
  PublicWave,
  QuestionnaireLink,
  ReportFormat,
  ReportLanguage,
  WaveStatus,
} from '@kalaja/contracts';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, apiDownload, path, retryTransient, type ApiError } from '../../api';

export const opennessKeys = {
  institutions: (id: string) => ['index', id, 'institutions'] as const,
  wave: (id: string, wave: string) => ['index', id, 'wave', wave] as const,
  sheet: (id: string, wave: string, inst: string, lang: string) => ['index', id, 'wave', wave, inst, lang] as const,
  public: (id: string) => ['public-index', id] as const,
  publicWave: (id: string, wave: string, lang: string) => ['public-index', id, wave, lang] as const,
  publicInstitution: (id: string, wave: string, inst: string, lang: string) =>
    ['public-index', id, wave, inst, lang] as const,
};

const wavePath = (id: string, wave: string) => path`/indexes/${id}/waves/${wave}`;
const sheetPath = (id: string, wave: string, inst: string) => `${wavePath(id, wave)}${path`/institutions/${inst}`}`;

export const useInstitutions = (id: string) =>
  useQuery<Institution[], ApiError>({
    queryKey: opennessKeys.institutions(id),
    queryFn: () => api('GET', path`/indexes/${id}/institutions`),
    retry: retryTransient,
  });

export const useWave = (id: string, wave: string) =>
  useQuery<WaveStatus, ApiError>({
    queryKey: opennessKeys.wave(id, wave),
    queryFn: () => api('GET', wavePath(id, wave)),
    retry: retryTransient,
  });

export function useSheet(id: string, wave: string, inst: string) {
  const { i18n } = useTranslation();
  return useQuery<IndicatorSheet, ApiError>({
    queryKey: opennessKeys.sheet(id, wave, inst, i18n.language),
    queryFn: () => api('GET', `${sheetPath(id, wave, inst)}?lang=${encodeURIComponent(i18n.language)}`),
    retry: retryTransient,
  });
}

export const usePublicIndex = (id: string) =>
  useQuery<PublicIndex, ApiError>({
    queryKey: opennessKeys.public(id),
    queryFn: () => api('GET', path`/public/indexes/${id}`),
    retry: retryTransient,
  });

export function usePublicWave(id: string, wave: string) {
  const { i18n } = useTranslation();
  return useQuery<PublicWave, ApiError>({
    queryKey: opennessKeys.publicWave(id, wave, i18n.language),
    queryFn: () => api('GET', `${path`/public/indexes/${id}/waves/${wave}`}?lang=${encodeURIComponent(i18n.language)}`),
    retry: retryTransient,
  });
}

export function usePublicInstitution(id: string, wave: string, inst: string) {
  const { i18n } = useTranslation();
  return useQuery<PublicInstitution, ApiError>({
    queryKey: opennessKeys.publicInstitution(id, wave, inst, i18n.language),
    queryFn: () =>
      api(
        'GET',
        `${path`/public/indexes/${id}/waves/${wave}/institutions/${inst}`}?lang=${encodeURIComponent(i18n.language)}`,
      ),
    retry: retryTransient,
  });
}

/** Where a published wave's open data lives (same origin). */
export const openDataUrl = (id: string, wave: string, file: string) =>
  `/api/v1${path`/public/indexes/${id}/waves/${wave}`}/${file}`;

export const addInstitution = (id: string, body: InstitutionInput) =>
  api<Institution>('POST', path`/indexes/${id}/institutions`, body);
export const recordIndicator = (
  id: string,
  wave: string,
  inst: string,
  indicator: string,
  body: IndicatorAnswerInput,
  version: number,
) =>
  api<IndicatorRow>(
    'PUT',
    `${sheetPath(id, wave, inst)}${path`/indicators/${indicator}`}`,
    body,
    version > 0 ? { 'if-match': `"${version}"` } : {},
  );
export const validateIndicator = (id: string, wave: string, inst: string, indicator: string, version: number) =>
  api<IndicatorRow>('POST', `${sheetPath(id, wave, inst)}${path`/indicators/${indicator}`}/validate`, undefined, {
    'if-match': `"${version}"`,
  });
export const uploadArchive = (id: string, wave: string, inst: string, indicator: string, file: File) => {
  const form = new FormData();
  form.append('file', file);
  return api('POST', `${sheetPath(id, wave, inst)}${path`/indicators/${indicator}`}/archives`, form);
};
export const questionnaireLink = (id: string, wave: string, inst: string) =>
  api<QuestionnaireLink>('POST', `${sheetPath(id, wave, inst)}/questionnaire-link`);
export const publishWave = (id: string, wave: string) =>
  api<{ version: number; publishedAt: string }>('POST', `${wavePath(id, wave)}/publish`);

/**
 * The wave's policy paper in a format and language, for the index's managers: made on the
 * server (in its report workers) while this waits, then saved as a download.
 */
export const downloadPaper = (id: string, wave: string, format: ReportFormat, language: ReportLanguage) =>
  apiDownload(
    `${wavePath(id, wave)}/paper?format=${encodeURIComponent(format)}&language=${encodeURIComponent(language)}`,
    `policy-paper.${format}`,
  );
