import {
  DEFAULT_MIN_CELL,
  cohortFromScores,
  criticalGaps,
  levelFor,
  scoreChoices,
  textFor,
  type AssessmentScore,
  type Framework,
  type ScoreReport,
} from '@kalaja/engine';
import { notFound } from '../../errors.js';
import { denyAsMissing, policy } from '../access/access-policy.js';
import type { Actor } from '../access/access-types.js';
import type { AssessmentService } from '../assessments/assessment-service.js';
import type { AssessmentStore } from '../assessments/assessment-store.js';
import type { FrameworkService } from '../frameworks/framework-service.js';
import type { ProgrammeStore } from '../programmes/programme-store.js';
import type { PublicationService } from '../publications/publication-service.js';
import type { CohortResults } from './results-types.js';

/** Observers never see a figure computed over fewer than this many organisations: the engine's k. */
export const MIN_COHORT = DEFAULT_MIN_CELL;

/**
 * Cohort results of a programme. Managers see the live figures, computed by the engine from
 * the answers that count, each organisation by name. Observers see only what a manager
 * published (publications module): the latest version of each round, frozen and rounded, no
 * organisation at all, never a figure computed live (threat model, T9: live figures let an
 * observer difference one organisation's score out of two reads).
 */
export function resultsService(deps: {
  programmes: Pick<ProgrammeStore, 'byId'>;
  assessments: Pick<AssessmentStore, 'cohort'>;
  frameworks: Pick<FrameworkService, 'load'>;
  assessmentService: Pick<AssessmentService, 'programmeChoices'>;
  publications: Pick<PublicationService, 'observersView'>;
}) {
  return {
    async cohort(actor: Actor, programmeId: string): Promise<CohortResults> {
      const named = policy.seeCohortNamed(actor, programmeId);
      denyAsMissing(named || policy.seeCohortAnonymised(actor, programmeId), 'that programme');
      const programme = await deps.programmes.byId(programmeId);
      if (!programme) throw notFound('that programme');
      const fw = await deps.frameworks.load(programme.framework_id);
      if (!named) return observers(programmeId, fw);
      const { rows, rounds } = await deps.assessments.cohort(programmeId);
      const scored = new Map<string, Map<string, AssessmentScore>>();
      const results: (ScoreReport['results'][number] & { status: string })[] = [];
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
          status: r.status,
        });
      }
      const report = cohortFromScores(fw, rounds, scored, results);
      return { programmeId, view: 'named', rounds, report, suppressed: 0, minCell: MIN_COHORT, published: [] };
    },
  };

  /** The observers' figures: the published versions, as the engine's view of them gives them. */
  async function observers(programmeId: string, fw: Framework): Promise<CohortResults> {
    const { view, used } = await deps.publications.observersView(programmeId, fw);
    let suppressed = 0;
    for (const c of Object.values(view.cohort))
      for (const s of [c.overall, ...Object.values(c.domains)]) if (s.withheld.mean) suppressed++;
    for (const c of view.change)
      for (const x of [c.overall, ...Object.values(c.domains)]) if (x.withheld.mean) suppressed++;
    return {
      programmeId,
      view: 'anonymised',
      rounds: view.rounds,
      report: {
        framework: { id: fw.id, version: fw.version },
        rounds: view.rounds,
        results: [],
        cohort: view.cohort,
        change: view.change,
      },
      suppressed,
      minCell: view.minCell,
      published: used.map((p) => ({ id: p.id, round: p.round, version: p.version, publishedAt: p.published_at })),
    };
  }
}

export type ResultsService = ReturnType<typeof resultsService>;
