import {
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
import type { Context } from '../../context.js';
import { denyAsMissing, policy } from '../access/access-policy.js';
import type { Actor } from '../access/access-types.js';
import type { AssessmentService } from '../assessments/assessment-service.js';
import type { FrameworkService } from '../frameworks/framework-service.js';

/** Observers never see a figure computed over fewer organisations than this. */
export const MIN_COHORT = 5;

export interface CohortResults {
  programmeId: string;
  /** `named` for managers; `anonymised` for observers (aggregates only, small cells suppressed). */
  view: 'named' | 'anonymised';
  rounds: string[];
  report: ScoreReport;
  /** How many statistics were withheld for covering fewer than MIN_COHORT organisations. */
  suppressed: number;
  /** MIN_COHORT, said with the figures so that the pages name the rule the server applied. */
  minCell: number;
}

/**
 * What observers may see of a statistic: nothing under MIN_COHORT organisations, and never
 * the minimum, maximum or median — each of those is one organisation's own score.
 */
const suppress = (s: Stats): Stats =>
  s.n < MIN_COHORT
    ? { n: s.n, mean: null, median: null, min: null, max: null, sd: null }
    : { ...s, median: null, min: null, max: null };

/**
 * Every assessment of a programme with its organisation (name and pseudonym) and round, in
 * round order, and the programme's round names in order. A crypto-shredded organisation has
 * no key any more: its assessments are left out. Shared by the results and the reports, so
 * both compute from the same assessments.
 */
export async function cohortAssessments(ctx: Pick<Context, 'db'>, programmeId: string) {
  const all = await ctx.db
    .selectFrom('assessments')
    .innerJoin('rounds', 'rounds.id', 'assessments.round_id')
    .innerJoin('organisations', 'organisations.id', 'assessments.organisation_id')
    .innerJoin('programme_organisations', (j) =>
      j
        .onRef('programme_organisations.organisation_id', '=', 'assessments.organisation_id')
        .onRef('programme_organisations.programme_id', '=', 'assessments.programme_id'),
    )
    .select([
      'assessments.id',
      'assessments.organisation_id',
      'organisations.name',
      'programme_organisations.pseudonym',
      'rounds.name as round',
      'rounds.position',
    ])
    .where('assessments.programme_id', '=', programmeId)
    .orderBy('rounds.position')
    .orderBy('programme_organisations.pseudonym')
    .execute();
  const rounds = [...new Map(all.map((r) => [r.position, r.round])).values()];
  // A crypto-shredded organisation has no key any more: it drops out of the figures.
  const keyed = new Set(
    all.length
      ? (
          await ctx.db
            .selectFrom('organisation_keys')
            .select('organisation_id')
            .where('organisation_id', 'in', [...new Set(all.map((r) => r.organisation_id))])
            .execute()
        ).map((k) => k.organisation_id)
      : [],
  );
  const rows = all.filter((r) => keyed.has(r.organisation_id));
  return { rows, rounds };
}

/**
 * Cohort results of a programme, computed by the engine from the answers that count. Managers
 * see each organisation by name; observers see only aggregates, with every statistic over
 * fewer than five organisations withheld, and no per-organisation figure at all.
 */
export function resultsService(ctx: Context, frameworks: FrameworkService, assessments: AssessmentService) {
  return {
    async cohort(actor: Actor, programmeId: string): Promise<CohortResults> {
      const named = policy.seeCohortNamed(actor, programmeId);
      denyAsMissing(named || policy.seeCohortAnonymised(actor, programmeId), 'that programme');
      const programme = await ctx.db
        .selectFrom('programmes')
        .select('framework_id')
        .where('id', '=', programmeId)
        .executeTakeFirstOrThrow();
      const fw = await frameworks.load(programme.framework_id);
      const { rows, rounds } = await cohortAssessments(ctx, programmeId);
      const scored = new Map<string, Map<string, AssessmentScore>>();
      const results: ScoreReport['results'] = [];
      const choices = await assessments.programmeChoices(fw, rows);
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
