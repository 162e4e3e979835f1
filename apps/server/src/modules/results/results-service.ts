import {
  DEFAULT_MIN_CELL,
  cohortFromScores,
  criticalGaps,
  levelFor,
  scoreChoices,
  textFor,
  type AssessmentScore,
  type RoundChange,
  type RoundCohort,
  type ScoreReport,
  type Stats,
} from '@kalaja/engine';
import { notFound } from '../../errors.js';
import { denyAsMissing, policy } from '../access/access-policy.js';
import type { Actor } from '../access/access-types.js';
import type { AssessmentService } from '../assessments/assessment-service.js';
import type { AssessmentStore } from '../assessments/assessment-store.js';
import type { FrameworkService } from '../frameworks/framework-service.js';
import type { ProgrammeStore } from '../programmes/programme-store.js';
import type { CohortResults } from './results-types.js';

/** Observers never see a figure computed over fewer organisations than this: the engine's k. */
export const MIN_COHORT = DEFAULT_MIN_CELL;

/**
 * What observers may see of a statistic: nothing under MIN_COHORT organisations, and never
 * the minimum, maximum or median — each of those is one organisation's own score.
 */
const suppress = (s: Stats): Stats =>
  s.n < MIN_COHORT
    ? { n: s.n, mean: null, median: null, min: null, max: null, sd: null }
    : { ...s, median: null, min: null, max: null };

/**
 * Cohort results of a programme, computed by the engine from the answers that count. Managers
 * see each organisation by name; observers see only aggregates, with every statistic over
 * fewer than five organisations withheld, and no per-organisation figure at all.
 */
export function resultsService(deps: {
  programmes: Pick<ProgrammeStore, 'byId'>;
  assessments: Pick<AssessmentStore, 'cohort'>;
  frameworks: Pick<FrameworkService, 'load'>;
  assessmentService: Pick<AssessmentService, 'programmeChoices'>;
}) {
  return {
    async cohort(actor: Actor, programmeId: string): Promise<CohortResults> {
      const named = policy.seeCohortNamed(actor, programmeId);
      denyAsMissing(named || policy.seeCohortAnonymised(actor, programmeId), 'that programme');
      const programme = await deps.programmes.byId(programmeId);
      if (!programme) throw notFound('that programme');
      const fw = await deps.frameworks.load(programme.framework_id);
      const { rows, rounds } = await deps.assessments.cohort(programmeId);
      const scored = new Map<string, Map<string, AssessmentScore>>();
      const results: ScoreReport['results'] = [];
      const choices = await deps.assessmentService.programmeChoices(fw, rows);
      for (const r of rows) {
        const mine = choices.get(r.id)!;
        const s = scoreChoices(fw, mine);
        // An organisation has a result in a round once it has answered anything there.
        if (s.answered + s.notApplicable === 0) continue;
        const label = named ? r.name : r.pseudonym;
        let byRound = scored.get(label);
        if (!byRound) scored.set(label, (byRound = new Map()));
        byRound.set(r.round, s);
        const level = levelFor(fw, s.overall);
        results.push({
          organisation: label,
          round: r.round,
          overall: s.overall,
          completeness: s.completeness,
          domains: s.domains,
          level: level ? textFor(level.label) : null,
          criticalGaps: criticalGaps(fw, mine).map((g) => g.question),
        });
      }
      const report = cohortFromScores(fw, rounds, scored, named ? results : []);
      if (named) return { programmeId, view: 'named', rounds, report, suppressed: 0, minCell: MIN_COHORT };
      let suppressed = 0;
      const cohort: Record<string, RoundCohort> = {};
      for (const [round, c] of Object.entries(report.cohort)) {
        const domains = Object.fromEntries(Object.entries(c.domains).map(([d, s]) => [d, suppress(s)]));
        suppressed +=
          Object.values(c.domains).filter((s) => s.n < MIN_COHORT && s.n > 0).length +
          (c.overall.n < MIN_COHORT && c.overall.n > 0 ? 1 : 0);
        cohort[round] = { n: c.n, overall: suppress(c.overall), domains };
      }
      const change: RoundChange[] = report.change.map((ch) => {
        const hide = (x: RoundChange['overall']) =>
          x.n < MIN_COHORT
            ? {
                n: x.n,
                mean: null,
                improved: 0,
                declined: 0,
                unchanged: 0,
                ci95: null,
                dz: null,
                wilcoxon: null,
                rankBiserial: null,
              }
            : x;
        return {
          ...ch,
          overall: hide(ch.overall),
          domains: Object.fromEntries(Object.entries(ch.domains).map(([d, x]) => [d, hide(x)])),
        };
      });
      return {
        programmeId,
        view: 'anonymised',
        rounds,
        report: { ...report, results: [], cohort, change },
        suppressed,
        minCell: MIN_COHORT,
      };
    },
  };
}

export type ResultsService = ReturnType<typeof resultsService>;
