/**
 * What the incident pages read and write: an organisation's incident log, the taxonomy's lists
 * in the reader's language, and the programme's threat landscape. Edits carry the version the
 * page shows (If-Match): someone else's change meanwhile is a 412.
 */
import type {
  Incident,
  IncidentCreate,
  IncidentTaxonomyView,
  IncidentUpdate,
  OrganisationIncidents,
  ThreatLandscape,
} from '@kalaja/contracts';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, path, retryTransient, type ApiError } from '../../api';

export const incidentKeys = {
  list: (programmeId: string, organisationId: string) =>
    ['programme', programmeId, 'incidents', organisationId] as const,
  taxonomy: (lang: string) => ['incident-taxonomy', lang] as const,
  landscape: (programmeId: string, from: string, to: string, lang: string) =>
    ['programme', programmeId, 'threats', from, to, lang] as const,
};

const listPath = (programmeId: string, organisationId: string) =>
  path`/programmes/${programmeId}/organisations/${organisationId}/incidents`;

export const useIncidents = (programmeId: string | undefined, organisationId: string | undefined) =>
  useQuery<OrganisationIncidents, ApiError>({
    queryKey: incidentKeys.list(programmeId ?? '', organisationId ?? ''),
    queryFn: () => api('GET', listPath(programmeId!, organisationId!)),
    enabled: programmeId !== undefined && organisationId !== undefined,
    retry: retryTransient,
  });

export function useTaxonomy() {
  const { i18n } = useTranslation();
  const lang = i18n.language;
  return useQuery<IncidentTaxonomyView, ApiError>({
    queryKey: incidentKeys.taxonomy(lang),
    queryFn: () => api('GET', `/incident-taxonomy?lang=${encodeURIComponent(lang)}`),
    staleTime: Infinity,
    retry: retryTransient,
  });
}

export function useLandscape(programmeId: string, from: string, to: string) {
  const { i18n } = useTranslation();
  const lang = i18n.language;
  return useQuery<ThreatLandscape, ApiError>({
    queryKey: incidentKeys.landscape(programmeId, from, to, lang),
    queryFn: () =>
      api(
        'GET',
        `${path`/programmes/${programmeId}/threats`}?${new URLSearchParams({ ...(from && { from }), ...(to && { to }), lang })}`,
      ),
    retry: retryTransient,
  });
}

type Versioned = Pick<Incident, 'id' | 'version'>;

export const recordIncident = (programmeId: string, organisationId: string, body: IncidentCreate) =>
  api<Incident>('POST', listPath(programmeId, organisationId), body);
export const updateIncident = (i: Versioned, body: IncidentUpdate) =>
  api<Incident>('PATCH', path`/incidents/${i.id}`, body, { 'if-match': `"${i.version}"` });
export const deleteIncident = (i: Versioned) => api<void>('DELETE', path`/incidents/${i.id}`);
export const setConsent = (programmeId: string, organisationId: string, assessor: boolean) =>
  api<OrganisationIncidents>('PUT', `${listPath(programmeId, organisationId)}/consent`, { assessor });
