import {
  organisationChanges,
  roundChanges,
  scoreChoices,
  withCompletedPlanItems,
  type AssessmentScore,
  type ChangeContext,
  type CompletedPlanItem,
  type DomainAccount,
} from '@kalaja/engine';
import { notFound } from '../../errors.js';
import { denyAsMissing, policy } from '../access/access-policy.js';
import type { Actor } from '../access/access-types.js';
import type { AssessmentService } from '../assessments/assessment-service.js';
import type { AssessmentStore } from '../assessments/assessment-store.js';
import type { Status } from '../assessments/assessment-types.js';
import type { FrameworkService } from '../frameworks/framework-service.js';
import type { ProgrammeStore } from '../programmes/programme-store.js';

type Round = { id: string; name: string; opened_at: number | null; closed_at: number | null };

/**
 * The plan items an organisation completed between two of its rounds: the seam the plans module
 * (modules/plans, not on main yet) fills. Until it does, no plan item is shown beside a change.
 * An item counts for the interval when it was marked done after the earlier round opened and
 * before the later round closed (or now, while it is open); its domains are those of the
 * questions its intervention raises.
 */
export type CompletedPlanItemsBetween = (input: {
  programmeId: string;
  organisationId: string;
  from: Round;
  to: Round;
}) => Promise<CompletedPlanItem[]>;

export const noPlanItemsYet: CompletedPlanItemsBetween = async () => [];

/** The assessor's and the organisation's accounts of what changed in each domain (qualitative reassessment). */
export type DomainAccountsOf = (assessmentId: string, organisationId: string) => Promise<DomainAccount[]>;

/**
 * What moved between rounds. One organisation's change, for whoever may read its assessments:
 * every round it has a result in, and between each and the next its overall and domain scores
 * before and after, the questions answered better and worse, and the plan items completed in
 * between beside each domain. The cohort's change, for the programme's managers: between
 * consecutive rounds, over the organisations whose assessments are validated in both (the
 * assessor has checked them), with the paired statistics of every Change; organisations with a
 * provisional assessment are left out and counted. The server never scores: the engine does.
 */
export function changeService(deps: {
  programmes: Pick<ProgrammeStore, 'byId' | 'rounds'>;
  assessments: Pick<AssessmentStore, 'withRound' | 'ofOrganisation' | 'cohort'>;
  frameworks: Pick<FrameworkService, 'load'>;
  assessmentService: Pick<AssessmentService, 'programmeChoices'>;
  completedPlanItems?: CompletedPlanItemsBetween;
  accounts?: DomainAccountsOf;
}) {
  const planItems = deps.completedPlanItems ?? noPlanItemsYet;

  /** An organisation's assessments with a result (anything answered), their scores and choices, in round order. */
  async function scoredRounds(programmeId: string, organisationId: string) {
    const programme = await deps.programmes.byId(programmeId);
    if (!programme) throw notFound('that programme');
    const fw = await deps.frameworks.load(programme.framework_id);
    const rows = await deps.assessments.ofOrganisation(programmeId, organisationId);
    const choices = await deps.assessmentService.programmeChoices(fw, rows);
    const rounds = rows.flatMap((r) => {
      const c = choices.get(r.id)!;
      const score = scoreChoices(fw, c);
      return score.answered + score.notApplicable === 0 ? [] : [{ row: r, choices: c, score }];
    });
    return { fw, rounds };
  }

  /** Per change between two rounds: the plan items completed between them and the accounts of what changed. */
  async function contextOf(
    programmeId: string,
    organisationId: string,
    rounds: readonly { row: { id: string; round: string; round_id: string } }[],
  ): Promise<ChangeContext[]> {
    const all = await deps.programmes.rounds(programmeId);
    const byId = new Map(all.map((r) => [r.id, r]));
    const out: ChangeContext[] = [];
    for (let i = 1; i < rounds.length; i++) {
      const from = rounds[i - 1]!.row;
      const to = rounds[i]!.row;
      out.push({
        from: from.round,
        to: to.round,
        planItems: await planItems({
          programmeId,
          organisationId,
          from: byId.get(from.round_id)!,
          to: byId.get(to.round_id)!,
        }),
        accounts: deps.accounts ? await deps.accounts(to.id, organisationId) : [],
      });
    }
    return out;
  }

  return {
    /** One organisation's change across its rounds, from one of its assessments; 404 for whoever may not read it. */
    async organisation(actor: Actor, assessmentId: string) {
      const a = await deps.assessments.withRound(assessmentId);
      denyAsMissing(
        a !== undefined &&
          policy.readAssessment(actor, { programmeId: a.programme_id, organisationId: a.organisation_id }),
        'that assessment',
      );
      const { fw, rounds } = await scoredRounds(a.programme_id, a.organisation_id);
      const context = await contextOf(a.programme_id, a.organisation_id, rounds);
      const changes = organisationChanges(
        fw,
        rounds.map((r) => ({ round: r.row.round, choices: r.choices })),
      ).map((c, i) => ({
        ...withCompletedPlanItems(c, context[i]?.planItems ?? []),
        accounts: [...(context[i]?.accounts ?? [])],
      }));
      return {
        programmeId: a.programme_id,
        organisationId: a.organisation_id,
        rounds: rounds.map((r) => ({
          round: r.row.round,
          roundId: r.row.round_id,
          assessmentId: r.row.id,
          status: r.row.status as Status,
          overall: r.score.overall,
          completeness: r.score.completeness,
          domains: r.score.domains,
        })),
        changes,
      };
    },

    /** For the organisation report: what to say beside each change (plan items, accounts). No permission check. */
    async contextFor(programmeId: string, organisationId: string): Promise<ChangeContext[]> {
      const { rounds } = await scoredRounds(programmeId, organisationId);
      return contextOf(programmeId, organisationId, rounds);
    },

    /**
     * Each organisation's domain scores in its first round with a result and its latest one
     * (when it has two), for training impact: beside the knowledge its people gained, shown as
     * an association, never a cause. No permission check: the caller's.
     */
    async firstToLatest(
      programmeId: string,
    ): Promise<
      Map<
        string,
        { from: string; to: string; before: Record<string, number | null>; after: Record<string, number | null> }
      >
    > {
      const programme = await deps.programmes.byId(programmeId);
      if (!programme) throw notFound('that programme');
      const fw = await deps.frameworks.load(programme.framework_id);
      const { rows } = await deps.assessments.cohort(programmeId);
      const choices = await deps.assessmentService.programmeChoices(fw, rows);
      const scored = new Map<string, { round: string; domains: Record<string, number | null> }[]>();
      // Rows come in round order.
      for (const r of rows) {
        const s = scoreChoices(fw, choices.get(r.id)!);
        if (s.answered + s.notApplicable === 0) continue;
        scored.set(r.organisation_id, [
          ...(scored.get(r.organisation_id) ?? []),
          { round: r.round, domains: s.domains },
        ]);
      }
      const out = new Map<
        string,
        { from: string; to: string; before: Record<string, number | null>; after: Record<string, number | null> }
      >();
      for (const [org, rounds] of scored) {
        if (rounds.length < 2) continue;
        const first = rounds[0]!;
        const last = rounds[rounds.length - 1]!;
        out.set(org, { from: first.round, to: last.round, before: first.domains, after: last.domains });
      }
      return out;
    },

    /** The cohort's change over the assessments validated in both rounds, the provisional counted: managers. */
    async cohort(actor: Actor, programmeId: string) {
      denyAsMissing(policy.seeCohortNamed(actor, programmeId), 'that programme');
      const programme = await deps.programmes.byId(programmeId);
      if (!programme) throw notFound('that programme');
      const fw = await deps.frameworks.load(programme.framework_id);
      const { rows, rounds } = await deps.assessments.cohort(programmeId);
      const choices = await deps.assessmentService.programmeChoices(fw, rows);
      const scored = new Map<string, Map<string, AssessmentScore>>();
      const status = new Map<string, string>();
      for (const r of rows) {
        const s = scoreChoices(fw, choices.get(r.id)!);
        if (s.answered + s.notApplicable === 0) continue;
        let mine = scored.get(r.organisation_id);
        if (!mine) scored.set(r.organisation_id, (mine = new Map()));
        mine.set(r.round, s);
        status.set(`${r.organisation_id}\u0000${r.round}`, r.status);
      }
      const changes = roundChanges(
        fw,
        rounds,
        scored,
        (org, round) => status.get(`${org}\u0000${round}`) === 'validated',
      );
      return { programmeId, rounds, changes };
    },
  };
}

export type ChangeService = ReturnType<typeof changeService>;
