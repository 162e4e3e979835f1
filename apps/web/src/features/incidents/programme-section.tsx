/**
 * The programme's threat landscape, for its managers: over a period (the last six months unless
 * chosen), how many incidents its organisations recorded, per category with the share of the
 * cohort each touched, per actor, targeted or opportunistic, confirmed, suspected or a near
 * miss — beside the cohort's baseline capacity per domain. Each organisation's incidents are on
 * its incident log.
 */
import type { IncidentTaxonomyView, SurveyTallyView, ThreatLandscape } from '@kalaja/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, path, retryTransient } from '../../api';
import { ErrorNote, Field, Loading } from '../../components/ui';
import { formatDay } from '../../format';
import { useProgrammeContext } from '../manager/data';
import { TableWrap } from '../manager/fields';
import { SECTION_TITLE } from '../manager/sections';
import { useLandscape, useTaxonomy } from './data';
import './incidents.css';

type Row = ThreatLandscape['categories'][number];

function Breakdown({
  id,
  title,
  rows,
  names,
  share,
}: {
  id: string;
  title: string;
  rows: readonly Row[];
  names: readonly { id: string; title: string }[];
  share?: boolean;
}) {
  const { t, i18n } = useTranslation('incidents');
  const percent = new Intl.NumberFormat(i18n.language, { style: 'percent', maximumFractionDigits: 0 });
  const name = (rid: string) => names.find((n) => n.id === rid)?.title ?? rid;
  const cell = (n: number | null) => (n === null ? t('threats.withheld') : n);
  return (
    <>
      <h3 id={id}>{title}</h3>
      <TableWrap labelledBy={id}>
        <table>
          <thead>
            <tr>
              <th scope="col">{title}</th>
              <th scope="col" className="num">
                {t('threats.incidents')}
              </th>
              <th scope="col" className="num">
                {t('threats.organisations')}
              </th>
              {share && (
                <th scope="col" className="num">
                  {t('threats.share')}
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <th scope="row">{name(r.id)}</th>
                <td className="num">{cell(r.incidents)}</td>
                <td className="num">{cell(r.organisations)}</td>
                {share && <td className="num">{r.share === null ? t('threats.withheld') : percent.format(r.share)}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </>
  );
}

/** The survey's answers counted: per option count and share, a number's median and range, the texts without names. */
function SurveyPart({ survey }: { survey: SurveyTallyView }) {
  const { t, i18n } = useTranslation('incidents');
  const percent = new Intl.NumberFormat(i18n.language, { style: 'percent', maximumFractionDigits: 0 });
  const num = new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 1 });
  return (
    <>
      <h3 id="threats-survey">{t('threats.surveyTitle', { title: survey.title })}</h3>
      <p className="hint">{t('threats.surveyHint')}</p>
      {survey.questions.map((q) => {
        const id = `survey-${q.id.replace(/[^a-z0-9-]/g, '-')}`;
        return (
          <div key={q.id} className="survey-tally">
            <h4 id={id}>{q.text}</h4>
            {q.respondents === null ? (
              <p className="hint">{t('threats.surveyWithheld')}</p>
            ) : (
              <p className="hint">{t('threats.answered', { count: q.respondents })}</p>
            )}
            {q.options.length > 0 && q.respondents !== null && (
              <TableWrap labelledBy={id}>
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t('threats.answer')}</th>
                      <th scope="col" className="num">
                        {t('threats.organisations')}
                      </th>
                      <th scope="col" className="num">
                        {t('threats.share')}
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {q.options.map((o) => (
                      <tr key={o.id}>
                        <th scope="row">{o.label}</th>
                        <td className="num">{o.count === null ? t('threats.withheld') : o.count}</td>
                        <td className="num">{o.share === null ? t('threats.withheld') : percent.format(o.share)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableWrap>
            )}
            {q.number && (
              <p>
                {t('threats.numberSummary', {
                  median: num.format(q.number.median),
                  min: num.format(q.number.min),
                  max: num.format(q.number.max),
                })}
                {q.unit ? ` (${q.unit})` : ''}
              </p>
            )}
            {q.texts.length > 0 && (
              <>
                <p className="hint">{t('threats.texts')}</p>
                <ul aria-label={t('threats.texts')}>
                  {q.texts.map((text, i) => (
                    <li key={i}>{text}</li>
                  ))}
                </ul>
              </>
            )}
          </div>
        );
      })}
    </>
  );
}

export function Landscape({ landscape: l, taxonomy }: { landscape: ThreatLandscape; taxonomy: IncidentTaxonomyView }) {
  const { t, i18n } = useTranslation('incidents');
  const number = new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 2, minimumFractionDigits: 2 });
  return (
    <>
      <p>
        {t('threats.summary', {
          from: formatDay(l.period.from),
          to: formatDay(l.period.to),
          count: l.incidents ?? 0,
          affected: l.affected ?? 0,
          organisations: l.organisations,
        })}
      </p>
      <Breakdown
        id="threats-categories"
        title={t('threats.byCategory')}
        rows={l.categories}
        names={taxonomy.categories}
        share
      />
      <Breakdown id="threats-actors" title={t('threats.byActor')} rows={l.actors} names={taxonomy.actors} />
      <Breakdown
        id="threats-targeting"
        title={t('threats.byTargeting')}
        rows={l.targeting}
        names={taxonomy.targeting}
      />
      <Breakdown
        id="threats-certainty"
        title={t('threats.byCertainty')}
        rows={l.certainty}
        names={taxonomy.certainty}
      />
      <h3 id="threats-baseline">{t('threats.baseline')}</h3>
      <p className="hint">{t('threats.baselineHint')}</p>
      {l.baseline.length === 0 ? (
        <p>{t('threats.noBaseline')}</p>
      ) : (
        <TableWrap labelledBy="threats-baseline">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('threats.domain')}</th>
                <th scope="col" className="num">
                  {t('threats.score')}
                </th>
                <th scope="col" className="num">
                  {t('threats.organisations')}
                </th>
              </tr>
            </thead>
            <tbody>
              {l.baseline.map((d) => (
                <tr key={d.id}>
                  <th scope="row">{d.title}</th>
                  <td className="num">{d.score === null ? t('threats.withheld') : number.format(d.score)}</td>
                  <td className="num">{d.n}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      {l.survey && <SurveyPart survey={l.survey} />}
    </>
  );
}

/** The survey shipped with Kalaja that a programme may run beside its assessment. */
const THREAT_SURVEY = 'cso-threat-survey';

interface ProgrammeSurvey {
  programmeId: string;
  survey: { frameworkId: string; key: string; version: string; title: string } | null;
}

/** The managers' choice: run the threat survey beside the assessment, or stop it. */
function SurveyChoice({ programmeId }: { programmeId: string }) {
  const { t } = useTranslation('incidents');
  const client = useQueryClient();
  const key = ['programme', programmeId, 'survey-choice'];
  const current = useQuery<ProgrammeSurvey, ApiError>({
    queryKey: key,
    queryFn: () => api('GET', path`/programmes/${programmeId}/survey`),
    retry: retryTransient,
  });
  const [error, setError] = useState<unknown>(null);
  const choose = async (survey: string | null) => {
    try {
      const next = await api<ProgrammeSurvey>('PUT', path`/programmes/${programmeId}/survey`, { survey });
      client.setQueryData(key, next);
      await client.invalidateQueries({ queryKey: ['programme', programmeId, 'threats'] });
      setError(null);
    } catch (err) {
      setError(err);
    }
  };
  if (!current.data) return current.error ? <ErrorNote error={current.error} /> : null;
  const s = current.data.survey;
  return (
    <div className="threats-survey-choice">
      {s ? (
        <p>
          {t('threats.surveyRuns', { title: s.title })}{' '}
          <button type="button" onClick={() => void choose(null)}>
            {t('threats.surveyStop')}
          </button>
        </p>
      ) : (
        <p>
          {t('threats.surveyNone')}{' '}
          <button type="button" onClick={() => void choose(THREAT_SURVEY)}>
            {t('threats.surveyRun')}
          </button>
        </p>
      )}
      {error !== null && <ErrorNote error={error} />}
    </div>
  );
}

export function Section() {
  const { t } = useTranslation('incidents');
  const { programme } = useProgrammeContext();
  const [period, setPeriod] = useState({ from: '', to: '' });
  const landscape = useLandscape(programme.id, period.from, period.to);
  const taxonomy = useTaxonomy();
  const choose = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setPeriod({ from: String(form.get('from') ?? ''), to: String(form.get('to') ?? '') });
  };
  return (
    <section aria-labelledby={SECTION_TITLE}>
      <h2 id={SECTION_TITLE} tabIndex={-1}>
        {t('threats.title')}
      </h2>
      <p className="hint">{t('threats.intro')}</p>
      {landscape.data && landscape.data.publishedAt === null && <SurveyChoice programmeId={programme.id} />}
      {landscape.data?.publishedAt ? (
        <>
          <p>{t('threats.published', { date: formatDay(landscape.data.publishedAt.slice(0, 10)) })}</p>
          {landscape.data.withheldCells?.some((c) => c.reason === 'differencing') && (
            <p className="hint">{t('threats.differencing')}</p>
          )}
        </>
      ) : (
        <form className="threats-period" onSubmit={choose} aria-label={t('threats.period')}>
          <Field label={t('threats.from')} name="from" type="date" defaultValue={period.from} />
          <Field label={t('threats.to')} name="to" type="date" defaultValue={period.to} />
          <button type="submit">{t('threats.show')}</button>
        </form>
      )}
      {landscape.error instanceof ApiError && landscape.error.status === 404 ? (
        <p>{t('threats.notPublished')}</p>
      ) : landscape.isPending || taxonomy.isPending ? (
        <Loading />
      ) : !landscape.data || !taxonomy.data ? (
        <ErrorNote error={landscape.error ?? taxonomy.error} />
      ) : (
        <Landscape landscape={landscape.data} taxonomy={taxonomy.data} />
      )}
    </section>
  );
}
