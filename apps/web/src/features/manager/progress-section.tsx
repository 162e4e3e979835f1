import {
  assessmentStatus,
  type AssessmentStatus,
  type Programme,
  type ProgressRow,
  type Round,
} from '@kalaja/contracts';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { apiDownload, path } from '../../api';
import { useStepUp } from '../../components/step-up';
import { ErrorNote } from '../../components/ui';
import { formatDay, formatPercent } from '../../format';
import { TableWrap } from './fields';
import { SECTION_TITLE, sectionPath } from './sections';

/** An assessment's states, in the order it goes through them. */
export const STATUSES = assessmentStatus.options;

export function RoundDates({ round }: { round: Round }) {
  const { t } = useTranslation('manager');
  if (!round.startsOn && !round.endsOn) return <span className="muted">{t('overview.noDates')}</span>;
  return (
    <span className="muted">
      {t('overview.dates', { start: formatDay(round.startsOn), end: formatDay(round.endsOn) })}
    </span>
  );
}

/** Completeness as a number, and as a bar for the eye (the number is what assistive technology reads). */
export function Completeness({ value }: { value: number }) {
  return (
    <span className="completeness">
      <progress max={1} value={Math.min(1, Math.max(0, value))} aria-hidden="true" />
      <span>{formatPercent(value)}</span>
    </span>
  );
}

function RoundProgress({
  programmeId,
  round,
  rows,
  onExport,
}: {
  programmeId: string;
  round: Round;
  rows: ProgressRow[];
  onExport(round: Round): void;
}) {
  const { t } = useTranslation('manager');
  const headingId = `round-${round.id}`;
  const count = (s: AssessmentStatus) => rows.filter((r) => r.status === s).length;
  const mean = rows.length ? rows.reduce((sum, r) => sum + r.completeness, 0) / rows.length : 0;
  return (
    <section className="round-progress" aria-labelledby={headingId}>
      <div className="round-head">
        <h3 id={headingId}>{t('overview.roundTitle', { name: round.name })}</h3>
        <RoundDates round={round} />
        <button type="button" className="button secondary" onClick={() => onExport(round)}>
          {t('overview.export')}
          <span className="visually-hidden"> {t('overview.exportOf', { name: round.name })}</span>
        </button>
      </div>
      {rows.length === 0 ? (
        <p>
          {t('overview.noOrganisations')}{' '}
          <Link to={sectionPath(programmeId, 'organisations')} state={{ focus: SECTION_TITLE }}>
            {t('overview.addFirst')}
          </Link>
        </p>
      ) : (
        <>
          <p className="round-summary">
            {t('overview.summary', { count: rows.length })}
            {STATUSES.map((s) => (
              <span key={s}> · {t(`status.${s}Count`, { count: count(s) })}</span>
            ))}
            <span> · {t('overview.meanCompleteness', { value: formatPercent(mean) })}</span>
          </p>
          <TableWrap labelledBy={`${headingId}-caption`}>
            <table>
              <caption id={`${headingId}-caption`} className="visually-hidden">
                {t('overview.tableCaption', { name: round.name })}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{t('overview.organisation')}</th>
                  <th scope="col">{t('overview.status')}</th>
                  <th scope="col" className="num">
                    {t('overview.completeness')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.assessmentId}>
                    <th scope="row">
                      <Link to={`/assessments/${r.assessmentId}/review`}>
                        {r.organisation}
                        <span className="visually-hidden">, {round.name}</span>
                      </Link>
                    </th>
                    <td>
                      <span className={`badge badge-${r.status}`}>{t(`status.${r.status}`)}</span>
                    </td>
                    <td className="num">
                      <Completeness value={r.completeness} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        </>
      )}
    </section>
  );
}

/**
 * Every organisation's status and completeness, one table per round. "Export CSV" downloads
 * the round's answers through fetch: the server asks for a recent sign-in first, and the
 * step-up dialog lets the download carry on once it is given.
 */
export function ProgressSection({ programme, progress }: { programme: Programme; progress: ProgressRow[] }) {
  const { t } = useTranslation('manager');
  const stepUp = useStepUp();
  const [exportError, setExportError] = useState<unknown>(null);
  const exportRound = async (round: Round) => {
    setExportError(null);
    try {
      await stepUp.withStepUp(() =>
        apiDownload(path`/programmes/${programme.id}/rounds/${round.id}/answers.csv`, `${round.name}-answers.csv`),
      );
    } catch (error) {
      setExportError(error);
    }
  };
  return (
    <section aria-labelledby={SECTION_TITLE}>
      <h2 id={SECTION_TITLE} tabIndex={-1}>
        {t('sections.assessments')}
      </h2>
      <p>
        <Link className="button" to={`${sectionPath(programme.id, '')}/results`}>
          {t('overview.results')}
        </Link>
      </p>
      <p className="hint">{t('overview.progressHint')}</p>
      <ErrorNote error={exportError} />
      {programme.rounds.map((round) => (
        <RoundProgress
          key={round.id}
          programmeId={programme.id}
          round={round}
          rows={progress.filter((r) => r.roundId === round.id)}
          onExport={(r) => void exportRound(r)}
        />
      ))}
      {stepUp.dialog}
    </section>
  );
}
