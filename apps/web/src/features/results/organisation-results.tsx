/**
 * An organisation's results for one assessment: the overall score with its band and
 * completeness, a radar and bars of the domains, and per domain the engine's explanation in
 * plain words — what pulled the score down, "Don't know" answers, caps and what caused them.
 */
import type { Assessment, AssessmentExplanation, DomainExplanation } from '@kalaja/contracts';
import {
  bandsOf,
  DECIMALS,
  levelIndex,
  pickText,
  toneOf,
  type Framework,
  type Option,
  type Question,
} from '@kalaja/engine/display';
import { useCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError } from '../../api';
import { ErrorNote, Loading, Page } from '../../components/ui';
import { formatPercent, formatScore } from '../../format';
import { useAssessment, useFramework, useMyAssessments, useProgramme, useProgress } from '../../queries';
import { roleIn, useMe } from '../../session';
import { Chart, ChartSection, prefersReducedMotion, TableAlternative } from './chart';
import { domainBarsOption, radarOption, type DomainFigure } from './chart-options';
import { useAssessmentResults } from './data';
import { HandbookForLowDomains, HandbookForQuestion } from '../handbook/handbook-links';
import { OrganisationChangeSection } from './organisation-change';
import './results.css';

const loadCharts = () => import('./echarts-organisation');
const score1 = (x: number | null | undefined) => formatScore(x, DECIMALS.organisation);
/** Whether two labels say the same (so "Don't know" is not flagged twice). */
const sameText = (a: string, b: string) =>
  a.replace(/[’‘]/g, "'").toLowerCase() === b.replace(/[’‘]/g, "'").toLowerCase();

/** A domain of the framework joined with its explanation, ready to show. */
interface DomainView extends DomainFigure {
  id: string;
  explanation: DomainExplanation;
  level: number;
  band: string;
}

export function OrganisationResultsPage() {
  const { t, i18n } = useTranslation('results');
  const { id = '' } = useParams();
  const me = useMe();
  const assessment = useAssessment(id);
  const results = useAssessmentResults(id);
  const programmeId = assessment.data?.programmeId;
  const programme = useProgramme(programmeId);
  const framework = useFramework(programme.data?.framework.id);
  const manager = !!programmeId && roleIn(me.data, 'programme_manager', programmeId);
  // The organisation's name: from the reader's own list, or (for managers) the programme's progress.
  const mine = useMyAssessments();
  const progress = useProgress(programmeId, manager);

  const lng = i18n.language;
  const domains = useMemo((): DomainView[] => {
    const fw = framework.data;
    if (!fw || !results.data) return [];
    const explained = new Map(results.data.domains.map((d) => [d.domain, d]));
    return fw.domains.flatMap((d) => {
      const explanation = explained.get(d.id);
      if (!explanation) return [];
      const level = levelIndex(fw.levels, explanation.score);
      return [
        {
          id: d.id,
          title: pickText(d.title, lng).text,
          score: explanation.score,
          capped: explanation.cap !== null,
          explanation,
          level,
          tone: toneOf(level, fw.levels.length),
          band: level >= 0 ? pickText(fw.levels[level]!.label, lng).text : '',
        },
      ];
    });
  }, [framework.data, results.data, lng]);

  const error = assessment.error ?? results.error ?? programme.error ?? framework.error;
  if (error instanceof ApiError && error.status === 404) {
    return (
      <Page title={t('app.notFound', { ns: 'common' })}>
        <Link to="/">{t('app.backHome', { ns: 'common' })}</Link>
      </Page>
    );
  }
  if (error) {
    return (
      <Page title={t('organisation.title')}>
        <ErrorNote error={error} />
      </Page>
    );
  }
  if (!assessment.data || !results.data || !programme.data || !framework.data) return <Loading />;

  const fw = framework.data;
  const score = results.data.score;
  const round = programme.data.rounds.find((r) => r.id === assessment.data.roundId)?.name ?? '';
  const organisation =
    mine.data?.find((a) => a.id === id)?.organisation ??
    progress.data?.find((p) => p.assessmentId === id)?.organisation ??
    '';

  return (
    <Page title={organisation ? t('organisation.titleNamed', { organisation }) : t('organisation.title')} wide>
      <p className="results-context">
        {t('organisation.context', { programme: programme.data.name, round })}
        {manager && (
          <>
            {' · '}
            <Link to={`/programmes/${programme.data.id}/results`}>{t('organisation.cohortLink')}</Link>
          </>
        )}
        {' · '}
        <Link to={`/assessments/${encodeURIComponent(id)}/plan`}>{t('organisation.planLink')}</Link>
      </p>
      <StatusNote status={assessment.data.status} />
      <Summary fw={fw} explanation={results.data} />
      <CriticalGaps fw={fw} gaps={results.data.criticalGaps} />
      {score.overall === null ? (
        <p>{t('organisation.noScore')}</p>
      ) : (
        <>
          <div className="chart-pair">
            <RadarSection fw={fw} domains={domains} />
            <BarsSection fw={fw} domains={domains} />
          </div>
          <Explanations fw={fw} domains={domains} />
          <HandbookForLowDomains domains={domains} scale={fw.scale} />
        </>
      )}
      <OrganisationChangeSection assessmentId={id} fw={fw} />
    </Page>
  );
}

function StatusNote({ status }: { status: Assessment['status'] }) {
  const { t } = useTranslation('results');
  if (status === 'validated') return <p className="status-note status-validated">{t('organisation.validated')}</p>;
  return <p className="status-note">{t(`organisation.provisional.${status}`)}</p>;
}

/** Overall score, band (with the whole scale of bands) and completeness. */
function Summary({ fw, explanation }: { fw: Framework; explanation: AssessmentExplanation }) {
  const { t, i18n } = useTranslation('results');
  const s = explanation.score;
  const level = levelIndex(fw.levels, s.overall);
  const unknown = explanation.domains.reduce(
    (n, d) => n + d.questions.filter((q) => q.status === 'answered' && q.unknown).length,
    0,
  );
  return (
    <section className="score-summary" aria-label={t('organisation.summary')}>
      <div className="score-card">
        <span className="score-label">{t('organisation.overall')}</span>
        <span className="score-big">{score1(s.overall)}</span>
        <span className="muted">{t('organisation.outOf', { scale: fw.scale })}</span>
      </div>
      {fw.levels.length > 0 && (
        <div className="score-card score-card-bands">
          <span className="score-label">{t('organisation.band')}</span>
          <span className="score-band">
            {level >= 0 ? pickText(fw.levels[level]!.label, i18n.language).text : t('organisation.noBand')}
          </span>
          <BandScale fw={fw} current={level} />
        </div>
      )}
      <div className="score-card">
        <span className="score-label">{t('organisation.completeness')}</span>
        <span className="score-big">{formatPercent(s.completeness)}</span>
        <span className="muted">
          {t('organisation.completenessDetail', {
            answered: s.answered,
            na: s.notApplicable,
            total: s.total,
          })}
        </span>
        {unknown > 0 && <span className="muted">{t('organisation.unknownCount', { count: unknown })}</span>}
      </div>
    </section>
  );
}

/** The framework's bands in order, the current one marked. */
function BandScale({ fw, current }: { fw: Framework; current: number }) {
  const { t, i18n } = useTranslation('results');
  return (
    <ol className="band-scale" aria-label={t('organisation.bands')}>
      {bandsOf(fw.levels, fw.scale).map((b, i) => (
        <li
          key={i}
          className={i === current ? `band-step tone-${b.tone} band-current` : `band-step tone-${b.tone}`}
          aria-current={i === current ? 'true' : undefined}
        >
          <span className="band-name">{pickText(b.label ?? undefined, i18n.language).text}</span>
          <span className="band-range">
            {t('organisation.bandRange', { from: formatScore(b.from, 0), to: formatScore(b.to, 0) })}
          </span>
        </li>
      ))}
    </ol>
  );
}

function RadarSection({ fw, domains }: { fw: Framework; domains: DomainView[] }) {
  const { t, i18n } = useTranslation('results');
  const option = useCallback(
    (width: number) =>
      radarOption({
        domains,
        scale: fw.scale,
        width,
        animate: !prefersReducedMotion(),
        format: score1,
        texts: { title: t('organisation.radarTitle'), series: t('organisation.radarSeries') },
      }),
    // Texts and numbers follow the language.
    [domains, fw.scale, t, i18n.language],
  );
  return (
    <ChartSection title={t('organisation.radarTitle')} intro={t('organisation.radarIntro', { scale: fw.scale })}>
      <Chart
        load={loadCharts}
        option={option}
        height={420}
        label={t('organisation.radarLabel', { count: domains.length })}
      />
      <TableAlternative caption={t('organisation.radarCaption')}>
        <thead>
          <tr>
            <th scope="col">{t('table.domain')}</th>
            <th scope="col" className="num">
              {t('table.score')}
            </th>
            <th scope="col">{t('table.band')}</th>
          </tr>
        </thead>
        <tbody>
          {domains.map((d) => (
            <tr key={d.id}>
              <th scope="row">{d.title}</th>
              <td className="num">{score1(d.explanation.score)}</td>
              <td>{d.band || t('table.noScore')}</td>
            </tr>
          ))}
        </tbody>
      </TableAlternative>
    </ChartSection>
  );
}

function BarsSection({ fw, domains }: { fw: Framework; domains: DomainView[] }) {
  const { t, i18n } = useTranslation('results');
  const option = useCallback(
    (width: number) =>
      domainBarsOption({
        domains,
        scale: fw.scale,
        width,
        animate: !prefersReducedMotion(),
        format: score1,
        capped: (score) => t('organisation.barCapped', { score }),
      }),
    [domains, fw.scale, t, i18n.language],
  );
  return (
    <ChartSection title={t('organisation.barsTitle')} intro={t('organisation.barsIntro')}>
      <Chart
        load={loadCharts}
        option={option}
        height={domains.length * 46 + 30}
        label={t('organisation.barsLabel', { count: domains.length })}
      />
      <TableAlternative caption={t('organisation.barsCaption')}>
        <thead>
          <tr>
            <th scope="col">{t('table.domain')}</th>
            <th scope="col" className="num">
              {t('table.score')}
            </th>
            <th scope="col">{t('table.band')}</th>
            <th scope="col" className="num">
              {t('table.cap')}
            </th>
            <th scope="col" className="num">
              {t('table.uncapped')}
            </th>
            <th scope="col" className="num">
              {t('table.answered')}
            </th>
            <th scope="col" className="num">
              {t('table.na')}
            </th>
            <th scope="col" className="num">
              {t('table.unanswered')}
            </th>
          </tr>
        </thead>
        <tbody>
          {domains.map((d) => (
            <tr key={d.id}>
              <th scope="row">{d.title}</th>
              <td className="num">{score1(d.explanation.score)}</td>
              <td>{d.band || t('table.noScore')}</td>
              <td className="num">{d.explanation.cap ? score1(d.explanation.cap.value) : '–'}</td>
              <td className="num">{d.explanation.cap ? score1(d.explanation.uncapped) : '–'}</td>
              <td className="num">{d.explanation.answered}</td>
              <td className="num">{d.explanation.notApplicable}</td>
              <td className="num">{d.explanation.unanswered}</td>
            </tr>
          ))}
        </tbody>
      </TableAlternative>
    </ChartSection>
  );
}

/** Per domain, in plain words: what pulled the score down, caps, and what was left out. */
/**
 * The critical gaps, named whichever domain they are in: each holds its domain down whatever
 * else is in place, so the organisation reads them before any chart.
 */
function CriticalGaps({ fw, gaps }: { fw: Framework; gaps: AssessmentExplanation['criticalGaps'] }) {
  const { t, i18n } = useTranslation('results');
  const lng = i18n.language;
  if (gaps.length === 0) return null;
  const domainOf = new Map(fw.domains.map((d) => [d.id, d]));
  return (
    <section className="critical-gaps" aria-labelledby="critical-title">
      <h2 id="critical-title">{t('critical.title', { count: gaps.length })}</h2>
      <p>{t('critical.intro')}</p>
      <ul>
        {gaps.map((g) => {
          const domain = domainOf.get(g.domain);
          const question = domain?.questions.find((q) => q.id === g.question);
          const option = question?.options.find((o) => o.id === g.option);
          return (
            <li key={g.question}>
              <strong>{question ? pickText(question.text, lng).text : g.question}</strong>
              <span className="muted">
                {' '}
                {t('critical.detail', {
                  domain: domain ? pickText(domain.title, lng).text : g.domain,
                  answer: option ? pickText(option.label, lng).text : g.option,
                  cap: formatScore(g.cap, 1),
                })}
              </span>
              <HandbookForQuestion interventions={question?.interventions ?? []} domain={g.domain} />
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function Explanations({ fw, domains }: { fw: Framework; domains: DomainView[] }) {
  const { t } = useTranslation('results');
  const questions = useMemo(() => {
    const map = new Map<string, Question>();
    for (const d of fw.domains) for (const q of d.questions) map.set(q.id, q);
    return map;
  }, [fw]);
  return (
    <section className="explanations" aria-labelledby="explain-title">
      <h2 id="explain-title">{t('explain.title')}</h2>
      <p className="muted">{t('explain.intro')}</p>
      {domains.map((d) => (
        <DomainExplanationView key={d.id} domain={d} questions={questions} />
      ))}
    </section>
  );
}

function DomainExplanationView({ domain, questions }: { domain: DomainView; questions: Map<string, Question> }) {
  const { t, i18n } = useTranslation('results');
  const lng = i18n.language;
  const e = domain.explanation;
  const text = (value: Parameters<typeof pickText>[0]) => pickText(value, lng).text;
  const optionOf = (questionId: string, optionId: string | undefined): Option | undefined =>
    questions.get(questionId)?.options.find((o) => o.id === optionId);
  const losses = e.questions.filter((q) => q.status === 'answered' && q.loss > 0).sort((a, b) => b.loss - a.loss);
  const full = e.questions.filter((q) => q.status === 'answered' && q.loss === 0).length;
  const unknown = e.questions.filter((q) => q.status === 'answered' && q.unknown).length;
  const causes = e.cap ? e.questions.filter((q) => q.causedCap) : [];
  return (
    <details className="domain-explain">
      <summary>
        <span className="domain-title">{domain.title}</span>
        <span className="domain-figures">
          <span className="domain-score">{score1(e.score)}</span>
          {domain.band && <span className={`band-badge tone-${domain.tone}`}>{domain.band}</span>}
          {e.cap && <span className="flag flag-cap">{t('explain.cappedFlag')}</span>}
          {e.score === null && <span className="flag">{t('table.noScore')}</span>}
          {unknown > 0 && <span className="flag flag-unknown">{t('explain.unknownFlag', { count: unknown })}</span>}
        </span>
      </summary>
      <div className="domain-body">
        {e.score === null ? (
          <p>{t('explain.noScore')}</p>
        ) : (
          <>
            {e.cap && (
              <div className="cap-note">
                <p>
                  <strong>{t('explain.cappedAt', { cap: score1(e.cap.value) })}</strong>{' '}
                  {causes.map((q) => text(optionOf(q.question, q.option)?.label)).join('; ')}
                </p>
                <p className="muted">
                  {t('explain.capQuestion', {
                    count: causes.length,
                    questions: causes.map((q) => text(questions.get(q.question)?.text)).join(' '),
                  })}{' '}
                  {t('explain.withoutCap', { score: score1(e.uncapped) })}
                </p>
              </div>
            )}
            {losses.length > 0 ? (
              <>
                <h3 className="explain-heading">{t('explain.pulledDown')}</h3>
                <ol className="losses">
                  {losses.map((q) => {
                    const label = text(optionOf(q.question, q.option)?.label);
                    return (
                      <li key={q.question}>
                        <div className="loss-row">
                          <div className="loss-text">
                            <p className="loss-question">{text(questions.get(q.question)?.text)}</p>
                            <p className="loss-answer">
                              {t('explain.answer')} <q>{label}</q>
                              {q.unknown && !sameText(label, t('explain.dontKnow')) && (
                                <span className="flag flag-unknown">{t('explain.dontKnow')}</span>
                              )}
                              {q.causedCap && <span className="flag flag-cap">{t('explain.setCap')}</span>}
                            </p>
                          </div>
                          <span className="loss-points">{t('explain.points', { points: score1(q.loss) })}</span>
                        </div>
                      </li>
                    );
                  })}
                </ol>
              </>
            ) : (
              <p>{t('explain.nothingLost')}</p>
            )}
            {full > 0 && losses.length > 0 && <p className="muted">{t('explain.fullMarks', { count: full })}</p>}
          </>
        )}
        {e.notApplicable + e.unanswered > 0 && (
          <p className="muted">{t('explain.leftOut', { na: e.notApplicable, unanswered: e.unanswered })}</p>
        )}
      </div>
    </details>
  );
}
