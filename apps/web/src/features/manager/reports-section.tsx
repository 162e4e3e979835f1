import {
  reportFormat,
  reportRequest,
  type Organisation,
  type ReportFormat,
  type ReportJob,
  type ReportRequest,
} from '@kalaja/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, apiDownload, path, type ApiError } from '../../api';
import { checked } from '../../components/checked';
import { useStepUp } from '../../components/step-up';
import { ErrorNote, fieldError } from '../../components/ui';
import { formatMoment, formatPercent } from '../../format';
import { LANGUAGES } from '../../i18n';
import { keys } from '../../queries';
import { useProgrammeContext } from './data';
import { RecommendationsPanel } from './recommendations-panel';
import { SelectField, TableWrap } from './fields';
import { SECTION_TITLE } from './sections';

const FORMATS = reportFormat.options;
const FORMAT_KEYS = { pdf: 'reports.formatPdf', docx: 'reports.formatDocx', html: 'reports.formatHtml' } as const;
const reportsKey = keys.reports;
const finished = (job: ReportJob | undefined) => job?.status === 'done' || job?.status === 'failed';
/** How often a job in progress is asked about. */
const POLL_MS = 700;

function useReportLabel() {
  const { t } = useTranslation('manager');
  return (job: ReportJob) =>
    job.kind === 'organisation'
      ? t('reports.organisationReport', { name: job.organisation ?? '' })
      : job.kind === 'threats'
        ? t('reports.threatsReport')
        : job.audience === 'observers'
          ? t('reports.observersReport')
          : t('reports.programmeReport');
}

function languageName(code: string): string {
  return LANGUAGES.find((l) => l.code === code)?.name ?? code;
}

/** A job's state in words, with its progress bar while it runs. */
function JobState({ job }: { job: ReportJob }) {
  const { t } = useTranslation('manager');
  const label = useReportLabel();
  if (job.status === 'failed')
    return (
      <span className="report-failed">
        <span className="badge badge-failed">{t('reports.failed')}</span> {job.error}
      </span>
    );
  if (job.status === 'done') return <span className="badge badge-validated">{t('reports.done')}</span>;
  return (
    <span className="completeness">
      <progress max={100} value={job.progress} aria-label={t('reports.progressLabel', { report: label(job) })} />
      <span>
        {job.status === 'queued'
          ? t('reports.queued')
          : t('reports.running', { progress: formatPercent(job.progress / 100) })}
      </span>
    </span>
  );
}

/** Preview and download of a finished report. */
function JobActions({
  job,
  onPreview,
  onDownload,
}: {
  job: ReportJob;
  onPreview(job: ReportJob): void;
  onDownload(job: ReportJob): void;
}) {
  const { t } = useTranslation('manager');
  const label = useReportLabel();
  if (job.status !== 'done') return null;
  return (
    <span className="report-actions">
      <button type="button" className="secondary" onClick={() => onPreview(job)}>
        {t('reports.preview')}
        <span className="visually-hidden"> {t('reports.previewOf', { report: label(job) })}</span>
      </button>
      <button type="button" onClick={() => onDownload(job)}>
        {t('reports.download')}
        <span className="visually-hidden">
          {' '}
          {t('reports.downloadOf', { report: label(job), format: job.format.toUpperCase() })}
        </span>
      </button>
    </span>
  );
}

/**
 * Reports of a programme: choose what to report on, the format, language and edition;
 * "Generate" queues a job on the server, whose progress is followed here (GET /reports/:id)
 * until it is ready to preview and download. The preview is the report's HTML rendering in a
 * sandboxed frame (no scripts, no origin; the server sends it with its own strict CSP). A
 * download goes through fetch, so that when the server asks for a recent sign-in the step-up
 * dialog can ask for it and the download then carries on.
 */
export function Section() {
  const { programme, organisations } = useProgrammeContext();
  return <ReportsSection programmeId={programme.id} organisations={organisations} />;
}

function ReportsSection({ programmeId, organisations }: { programmeId: string; organisations: Organisation[] }) {
  const { t, i18n } = useTranslation('manager');
  const client = useQueryClient();
  const label = useReportLabel();
  const stepUp = useStepUp();
  const [kind, setKind] = useState<ReportJob['kind']>('programme');
  const [currentId, setCurrentId] = useState<string | null>(null);
  const [preview, setPreview] = useState<ReportJob | null>(null);
  const [downloadError, setDownloadError] = useState<unknown>(null);
  const [downloading, setDownloading] = useState<string | null>(null);
  const previewHeading = useRef<HTMLHeadingElement>(null);

  const list = useQuery<ReportJob[], ApiError>({
    queryKey: reportsKey(programmeId),
    queryFn: () => api<ReportJob[]>('GET', path`/programmes/${programmeId}/reports`),
    // Reports asked for elsewhere (another tab, another manager) move on by themselves too.
    refetchInterval: (q) => (q.state.data?.some((j) => !finished(j)) ? POLL_MS * 3 : false),
  });
  const current = useQuery<ReportJob, ApiError>({
    queryKey: ['report', currentId],
    queryFn: () => api<ReportJob>('GET', path`/reports/${currentId!}`),
    enabled: currentId !== null,
    refetchInterval: (q) => (finished(q.state.data) ? false : POLL_MS),
  });
  const currentJob = current.data;
  useEffect(() => {
    // The job just finished: the list shows it as it is now.
    if (finished(currentJob)) void client.invalidateQueries({ queryKey: reportsKey(programmeId) });
  }, [currentJob, client, programmeId]);
  useEffect(() => {
    if (preview) previewHeading.current?.focus();
  }, [preview]);

  const m = useMutation<ReportJob, ApiError, ReportRequest>({
    mutationFn: (input) =>
      api<ReportJob>('POST', path`/programmes/${programmeId}/reports`, checked(reportRequest, input)),
    onSuccess: async (job) => {
      client.setQueryData(['report', job.id], job);
      setCurrentId(job.id);
      await client.invalidateQueries({ queryKey: reportsKey(programmeId) });
    },
  });

  const download = async (job: ReportJob) => {
    setDownloadError(null);
    setDownloading(job.id);
    try {
      await stepUp.withStepUp(() => apiDownload(path`/reports/${job.id}/download`, `report.${job.format}`));
    } catch (error) {
      setDownloadError(error);
    } finally {
      setDownloading(null);
    }
  };

  const defaultLanguage = LANGUAGES.some((l) => l.code === i18n.language) ? i18n.language : 'en';
  const jobs = list.data ?? [];
  return (
    <section aria-labelledby={SECTION_TITLE}>
      <h2 id={SECTION_TITLE} tabIndex={-1}>
        {t('reports.title')}
      </h2>
      <p className="hint">{t('reports.intro')}</p>
      <RecommendationsPanel programmeId={programmeId} />
      <h3 id="reports-new">{t('reports.newTitle')}</h3>
      <form
        className="stack manager-form"
        onSubmit={(e) => {
          e.preventDefault();
          const data = new FormData(e.currentTarget);
          const organisationId = String(data.get('organisationId') ?? '');
          m.mutate({
            kind,
            format: (String(data.get('format') ?? 'pdf') as ReportFormat) || 'pdf',
            language: String(data.get('language') ?? 'en') as ReportRequest['language'],
            audience: kind === 'programme' && data.get('audience') === 'observers' ? 'observers' : 'programme',
            ...(kind === 'organisation' && organisationId ? { organisationId } : {}),
          });
        }}
      >
        <fieldset className="choices">
          <legend>{t('reports.what')}</legend>
          <label className="check">
            <input
              type="radio"
              name="kind"
              value="programme"
              checked={kind === 'programme'}
              onChange={() => setKind('programme')}
            />
            <span>
              {t('reports.kindProgramme')}
              <span className="hint">{t('reports.kindProgrammeHint')}</span>
            </span>
          </label>
          <label className="check">
            <input
              type="radio"
              name="kind"
              value="organisation"
              checked={kind === 'organisation'}
              onChange={() => setKind('organisation')}
              disabled={organisations.length === 0}
            />
            <span>
              {t('reports.kindOrganisation')}
              <span className="hint">{t('reports.kindOrganisationHint')}</span>
            </span>
          </label>
          <label className="check">
            <input
              type="radio"
              name="kind"
              value="threats"
              checked={kind === 'threats'}
              onChange={() => setKind('threats')}
            />
            <span>
              {t('reports.kindThreats')}
              <span className="hint">{t('reports.kindThreatsHint')}</span>
            </span>
          </label>
        </fieldset>
        {kind === 'organisation' ? (
          <SelectField
            label={t('reports.organisation')}
            name="organisationId"
            required
            error={fieldError(m.error, 'organisationId')}
          >
            {organisations.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </SelectField>
        ) : kind === 'threats' ? null : (
          <SelectField label={t('reports.audience')} name="audience" error={fieldError(m.error, 'audience')}>
            <option value="programme">{t('reports.audienceProgramme')}</option>
            <option value="observers">{t('reports.audienceObservers')}</option>
          </SelectField>
        )}
        <div className="form-grid report-options">
          <SelectField label={t('reports.format')} name="format" error={fieldError(m.error, 'format')}>
            {FORMATS.map((f) => (
              <option key={f} value={f}>
                {t(FORMAT_KEYS[f])}
              </option>
            ))}
          </SelectField>
          <SelectField
            label={t('reports.language')}
            name="language"
            defaultValue={defaultLanguage}
            error={fieldError(m.error, 'language')}
          >
            {LANGUAGES.map((l) => (
              <option key={l.code} value={l.code} lang={l.code}>
                {l.name}
              </option>
            ))}
          </SelectField>
        </div>
        <ErrorNote error={m.error} />
        <div className="actions">
          <button type="submit" disabled={m.isPending}>
            {m.isPending ? t('reports.requesting') : t('reports.generate')}
          </button>
        </div>
      </form>

      {/* The job just asked for: its progress, then what can be done with it. */}
      <div className="report-current" role="status">
        {currentJob && (
          <>
            <p>
              <strong>{label(currentJob)}</strong>{' '}
              <span className="muted">
                {t('reports.details', {
                  format: t(FORMAT_KEYS[currentJob.format]),
                  language: languageName(currentJob.language),
                })}
              </span>
            </p>
            <JobState job={currentJob} />
          </>
        )}
      </div>
      {currentJob && (
        <div className="actions">
          <JobActions job={currentJob} onPreview={setPreview} onDownload={download} />
        </div>
      )}
      <ErrorNote error={current.error ?? downloadError} />

      <h3 id="reports-made">{t('reports.made')}</h3>
      <ErrorNote error={list.error} />
      {jobs.length === 0 ? (
        <p className="muted">{t('reports.none')}</p>
      ) : (
        <TableWrap labelledBy="reports-made">
          <table>
            <caption className="visually-hidden">{t('reports.tableCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('reports.report')}</th>
                <th scope="col">{t('reports.when')}</th>
                <th scope="col">{t('reports.state')}</th>
                <th scope="col">{t('reports.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {jobs.map((job) => (
                <tr key={job.id}>
                  <th scope="row">
                    {label(job)}
                    <span className="muted report-details">
                      {t('reports.details', {
                        format: t(FORMAT_KEYS[job.format]),
                        language: languageName(job.language),
                      })}
                    </span>
                  </th>
                  <td className="nowrap">{formatMoment(job.createdAt)}</td>
                  <td>
                    <JobState job={job} />
                  </td>
                  <td>
                    {downloading === job.id ? (
                      <span className="muted">{t('reports.downloading')}</span>
                    ) : (
                      <JobActions job={job} onPreview={setPreview} onDownload={download} />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}

      {preview && (
        <div className="report-preview">
          <div className="report-preview-head">
            <h3 ref={previewHeading} tabIndex={-1}>
              {t('reports.previewTitle', { report: label(preview) })}
            </h3>
            <button type="button" className="secondary" onClick={() => setPreview(null)}>
              {t('reports.closePreview')}
            </button>
          </div>
          {/* sandbox="" : no scripts, no same origin, no forms, no navigation of the app. */}
          <iframe
            src={`/api/v1/reports/${encodeURIComponent(preview.id)}/preview`}
            sandbox=""
            referrerPolicy="no-referrer"
            title={t('reports.previewFrame', { report: label(preview) })}
          />
        </div>
      )}
      {stepUp.dialog}
    </section>
  );
}
