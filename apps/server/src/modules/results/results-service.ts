import {
  cohortResults as cohortResultsSchema,
  type CohortOrganisationResult,
  type CohortOrganisationsPage,
  type CohortSummary,
} from '@kalaja/contracts';
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
import { AppError, invalid, notFound } from '../../errors.js';
import { yielder } from '../../event-loop.js';
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

/** Programmes whose computed figures are kept in memory at once (the most recently read). */
const KEPT_PROGRAMMES = 8;
/** Assessments whose scores are kept in memory at once. */
const KEPT_SCORES = 100_000;

type CohortRow = Awaited<ReturnType<AssessmentStore['cohort']>>['rows'][number];

/** One assessment scored, as of its answers version. */
interface Scored {
  version: number;
  framework: string;
  score: AssessmentScore;
  gaps: string[];
}

/** A programme's live figures, as of the state of its assessments that `key` names. */
interface Computed {
  key: string;
  summary: CohortSummary;
  /** Each round's rows, by organisation name: the pages of the heatmap. */
  byRound: Map<string, CohortOrganisationResult[]>;
  /** The full results (the original contract), made into JSON when first asked for. */
  full: () => string;
}

/** Organisation names in a stable, language-neutral order (ties by assessment). */
const collator = new Intl.Collator('en', { sensitivity: 'variant', numeric: true });

/**
 * Cohort results of a programme. Managers see the live figures, computed by the engine from
 * the answers that count, each organisation by name. Observers see only what a manager
 * published (publications module): the latest version of each round, frozen and rounded, no
 * organisation at all, never a figure computed live (threat model, T9: live figures let an
 * observer difference one organisation's score out of two reads).
 *
 * The live figures are kept (decision 11): each assessment's score as of its answers version,
 * and each programme's figures as of the versions, statuses and names of all its assessments,
 * read in one query on every call. A write to any answer bumps its assessment's version, so the
 * next call scores that assessment again and recomputes the cohort figures; nothing else is
 * recomputed, and nothing is trusted that the database has not just confirmed — several server
 * processes stay correct. The page reads a summary first and the organisations a page at a time.
 */
export function resultsService(deps: {
  programmes: Pick<ProgrammeStore, 'byId'>;
  assessments: Pick<AssessmentStore, 'cohort'>;
  frameworks: Pick<FrameworkService, 'load'>;
  assessmentService: Pick<AssessmentService, 'programmeChoices'>;
  publications: Pick<PublicationService, 'observersView'>;
}) {
  const scores = new Map<string, Scored>();
  const computed = new Map<string, Computed>();
  const inFlight = new Map<string, { key: string; promise: Promise<Computed> }>();

  /** Who may read: the programme and its framework, and whether the actor sees names. */
  async function access(actor: Actor, programmeId: string) {
    const named = policy.seeCohortNamed(actor, programmeId);
    denyAsMissing(named || policy.seeCohortAnonymised(actor, programmeId), 'that programme');
    const programme = await deps.programmes.byId(programmeId);
    if (!programme) throw notFound('that programme');
    return { named, fw: await deps.frameworks.load(programme.framework_id) };
  }

  /** The live figures, from memory while no assessment of the programme has changed. */
  async function live(programmeId: string, fw: Framework): Promise<Computed> {
    const { rows, rounds } = await deps.assessments.cohort(programmeId);
    const framework = `${fw.id}@${fw.version}`;
    const key = [
      framework,
      rounds.join('\u0000'),
      ...rows.map((r) => `${r.id}\u0000${r.answers_version}\u0000${r.status}\u0000${r.round}\u0000${r.name}`),
    ].join('\n');
    const hit = computed.get(programmeId);
    if (hit && hit.key === key) {
      computed.delete(programmeId);
      computed.set(programmeId, hit);
      return hit;
    }
    // Several people opening the page at once after a change share one computation.
    const running = inFlight.get(programmeId);
    if (running && running.key === key) return running.promise;
    const promise = compute(programmeId, fw, framework, key, rows, rounds).finally(() => {
      if (inFlight.get(programmeId)?.promise === promise) inFlight.delete(programmeId);
    });
    inFlight.set(programmeId, { key, promise });
    return promise;
  }

  async function compute(
    programmeId: string,
    fw: Framework,
    framework: string,
    key: string,
    rows: readonly CohortRow[],
    rounds: string[],
  ): Promise<Computed> {
    // The scores this computation rests on, each of the version its row was read at.
    const mine = new Map<string, Scored>();
    const stale: CohortRow[] = [];
    for (const r of rows) {
      const s = scores.get(r.id);
      if (s && s.version === r.answers_version && s.framework === framework) mine.set(r.id, s);
      else stale.push(r);
    }
    if (stale.length > 0) {
      const choices = await deps.assessmentService.programmeChoices(fw, stale);
      if (scores.size + stale.length > KEPT_SCORES) scores.clear();
      const pause = yielder();
      for (const r of stale) {
        await pause();
        const c = choices.get(r.id)!;
        const s = {
          version: r.answers_version,
          framework,
          score: scoreChoices(fw, c),
          gaps: criticalGaps(fw, c).map((g) => g.question),
        };
        scores.set(r.id, s);
        mine.set(r.id, s);
      }
    }
    const scored = new Map<string, Map<string, AssessmentScore>>();
    const results: (ScoreReport['results'][number] & { status: string })[] = [];
    const byRound = new Map<string, CohortOrganisationResult[]>(rounds.map((r) => [r, []]));
    for (const r of rows) {
      const { score: s, gaps } = mine.get(r.id)!;
      // An organisation has a result in a round once it has answered anything there.
      if (s.answered + s.notApplicable === 0) continue;
      let byOrganisation = scored.get(r.name);
      if (!byOrganisation) scored.set(r.name, (byOrganisation = new Map()));
      byOrganisation.set(r.round, s);
      const level = levelFor(fw, s.overall);
      const result = {
        organisation: r.name,
        round: r.round,
        overall: s.overall,
        completeness: s.completeness,
        domains: s.domains,
        level: level ? textFor(level.label) : null,
        criticalGaps: gaps,
        status: r.status,
      };
      results.push(result);
      byRound
        .get(r.round)
        ?.push({ ...result, status: result.status as CohortOrganisationResult['status'], assessmentId: r.id });
    }
    for (const list of byRound.values())
      list.sort(
        (a, b) => collator.compare(a.organisation, b.organisation) || (a.assessmentId < b.assessmentId ? -1 : 1),
      );
    const report = cohortFromScores(fw, rounds, scored, results);
    const { results: _, ...figures } = report;
    const summary: CohortSummary = {
      programmeId,
      view: 'named',
      rounds,
      report: figures,
      suppressed: 0,
      minCell: MIN_COHORT,
      published: [],
      changeBasis: report.change.map(({ from, to }) => ({ from, to, ...basisOf(results, from, to) })),
    };
    let json: string | undefined;
    const made: Computed = {
      key,
      summary,
      byRound,
      // Validated by the contract once (it drops what it does not name), as the route's own
      // serializer would on every call, then kept as text.
      full: () =>
        (json ??= JSON.stringify(
          cohortResultsSchema.parse({
            programmeId,
            view: 'named',
            rounds,
            report,
            suppressed: 0,
            minCell: MIN_COHORT,
            published: [],
          }),
        )),
    };
    computed.delete(programmeId);
    computed.set(programmeId, made);
    while (computed.size > KEPT_PROGRAMMES) computed.delete(computed.keys().next().value!);
    return made;
  }

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

  return {
    /**
     * Every figure with every organisation's row, in one response (the original contract; the
     * results page reads `summary` and `organisations` instead). Managers' figures come as the
     * JSON text kept since the last change.
     */
    async cohort(actor: Actor, programmeId: string): Promise<CohortResults | string> {
      const { named, fw } = await access(actor, programmeId);
      if (!named) return observers(programmeId, fw);
      return (await live(programmeId, fw)).full();
    },

    /** The cohort figures without the organisations' rows: what the page shows first. */
    async summary(actor: Actor, programmeId: string): Promise<CohortSummary> {
      const { named, fw } = await access(actor, programmeId);
      if (named) return (await live(programmeId, fw)).summary;
      const { report, ...rest } = await observers(programmeId, fw);
      const { results: _, ...figures } = report;
      return { ...rest, report: figures, changeBasis: [] };
    },

    /** One page of a round's organisations, by name: the heatmap and its table (managers). */
    async organisations(
      actor: Actor,
      programmeId: string,
      query: { round?: string | undefined; offset: number; limit: number },
    ): Promise<CohortOrganisationsPage> {
      const { named, fw } = await access(actor, programmeId);
      if (!named)
        throw new AppError(
          'forbidden',
          'Observers see the cohort\u2019s figures only, never an organisation\u2019s own results.',
        );
      const { summary, byRound } = await live(programmeId, fw);
      const withResults = summary.rounds.filter((r) => (byRound.get(r)?.length ?? 0) > 0);
      if (query.round !== undefined && !summary.rounds.includes(query.round))
        throw invalid(`This programme has no round named "${query.round}".`, [
          { where: 'round', message: `choose one of: ${summary.rounds.join(', ')}` },
        ]);
      const round = query.round ?? withResults.at(-1) ?? null;
      const list = round === null ? [] : (byRound.get(round) ?? []);
      return {
        programmeId,
        round,
        total: list.length,
        offset: query.offset,
        limit: query.limit,
        items: list.slice(query.offset, query.offset + query.limit),
      };
    },
  };
}

/**
 * What a change between two rounds rests on: the organisations with a result in both, how many
 * of those rest on an assessment not yet validated, and how many have a result in one only.
 */
function basisOf(
  results: readonly { organisation: string; round: string; status: string }[],
  from: string,
  to: string,
) {
  const seen = new Map<string, { from?: string; to?: string }>();
  for (const r of results) {
    if (r.round !== from && r.round !== to) continue;
    const s = seen.get(r.organisation) ?? {};
    s[r.round === from ? 'from' : 'to'] = r.status;
    seen.set(r.organisation, s);
  }
  let both = 0;
  let provisional = 0;
  for (const s of seen.values()) {
    if (!s.from || !s.to) continue;
    both++;
    if (s.from !== 'validated' || s.to !== 'validated') provisional++;
  }
  return { both, provisional, oneRound: seen.size - both };
}

export type ResultsService = ReturnType<typeof resultsService>;
