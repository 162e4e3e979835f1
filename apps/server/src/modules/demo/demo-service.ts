import { runDemoOpenness } from './demo-openness.js';
import type { OpennessService } from '../openness/openness-service.js';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { csvLine, parseAnswersCsv, parseCsv, textFor } from '@kalaja/engine';
import { newId } from '../../ids.js';
import { transaction, type Context } from '../../context.js';
import { systemActor } from '../access/access-types.js';
import type { AssessmentStore } from '../assessments/assessment-store.js';
import type { AuditStore } from '../audit/audit-store.js';
import type { ExchangeService } from '../exchange/exchange-service.js';
import type { FrameworkService } from '../frameworks/framework-service.js';
import type { ProgrammeService } from '../programmes/programme-service.js';
import type { ProgrammeStore } from '../programmes/programme-store.js';
import type { PlanService } from '../plans/plan-service.js';
import type { RoundService } from '../programmes/round-service.js';
import type { AccountService } from '../assessments/account-service.js';
import type { ChangeService } from '../results/change-service.js';
import type { OrganisationProfile } from '../programmes/programme-types.js';
import type { PublicationService } from '../publications/publication-service.js';
import type { CheckService } from '../trainings/check-service.js';
import type { TrainingCatalogue } from '../trainings/training-catalogue.js';
import type { TrainingService } from '../trainings/training-service.js';
import type { UserStore } from '../users/user-store.js';
import type { FindingService } from '../findings/finding-service.js';
import { runDemoFindings } from './demo-findings.js';
import { runDemoReporting } from './demo-reporting.js';
import type { ReportingService } from '../reporting/reporting-service.js';
import { runDemoIncidents } from './demo-incidents.js';
import { runDemoSurvey } from './demo-survey.js';
import type { SurveyService } from '../surveys/survey-service.js';
import type { IncidentService } from '../incidents/incident-service.js';
import { runDemoTrainings } from './demo-trainings.js';

const SAMPLES = new URL('../../../../../content/samples/', import.meta.url);
export const DEMO_NAME = 'Demo programme (fictional cohort)';

/** The sample organisations' profiles from content/samples/organisations.csv. */
function sampleOrganisations(): OrganisationProfile[] {
  const { records } = parseCsv(readFileSync(new URL('organisations.csv', SAMPLES), 'utf8'), 'organisations.csv');
  const [header, ...rows] = records;
  const col = (name: string) => header!.fields.indexOf(name);
  return rows.map(({ fields }) => ({
    name: fields[col('name')]!,
    kind: fields[col('kind')] as OrganisationProfile['kind'],
    sizeBand: fields[col('size')] as OrganisationProfile['sizeBand'],
    municipality: fields[col('municipality')] ?? '',
    country: fields[col('country')]!,
    focus: fields[col('focus')] ?? '',
    languages: (fields[col('languages')] ?? '').split(';').filter(Boolean),
  }));
}

/**
 * Loads the fictional sample cohort as a demo programme — ten organisations, a baseline and a
 * reassessment, validated and published to observers, each organisation's plan with what it
 * did between the two, and three training sessions with their knowledge checks — so a newcomer sees the whole picture at once. Managed by the
 * given users (the instance admins when loaded from the command line).
 */
export function demoService(
  ctx: Pick<Context, 'db' | 'batcher' | 'now'>,
  deps: {
    frameworks: Pick<FrameworkService, 'list' | 'load'>;
    programmes: Pick<ProgrammeService, 'create' | 'addOrganisation'>;
    exchange: Pick<ExchangeService, 'importAnswers'>;
    assessments: Pick<AssessmentStore, 'validateAll' | 'cohort' | 'ofRound' | 'markValidated'>;
    users: Pick<UserStore, 'addMemberships'>;
    audit: Pick<AuditStore, 'append'>;
    publications: Pick<PublicationService, 'publish'>;
    programmeList: Pick<ProgrammeStore, 'list'>;
    plans: Pick<PlanService, 'ranking' | 'create' | 'setStatus'>;
    rounds: Pick<RoundService, 'open' | 'close'>;
    change: Pick<ChangeService, 'organisation'>;
    accounts: Pick<AccountService, 'save'>;
    /** The programme's trainings and the participants' side of their checks (demo-trainings.ts). */
    trainings: Pick<TrainingService, 'create' | 'addParticipant' | 'issueLinks' | 'setPhase' | 'followUp'>;
    checks: Pick<CheckService, 'submit'>;
    /** The technical findings the first organisations carry (demo-findings.ts). */
    findings: Pick<FindingService, 'create' | 'submit' | 'review' | 'toPlan' | 'retest'>;
    /** The incidents its organisations met over the last six months (demo-incidents.ts). */
    incidents: Pick<IncidentService, 'create'>;
    /** The threat survey its organisations answered (demo-survey.ts). */
    surveys?: Pick<SurveyService, 'setSurvey' | 'save'>;
    trainingCatalogue: TrainingCatalogue;
    /** The reporting channel, switched on with one fictional report and its reply (demo-reporting.ts). */
    reporting: Pick<ReportingService, 'switchOn' | 'submitWithId' | 'reply' | 'tag'>;
    /** The openness index beside the programme: ten fictional institutions over two waves (demo-openness.ts). */
    openness?: Pick<OpennessService, 'createIndex' | 'addInstitution' | 'recordValidated' | 'publish'>;
  },
) {
  /**
   * Each organisation's plan, as its assessor would have built it after the baseline from the
   * first fifteen interventions of its ranking, told by what the reassessment shows: up to five
   * whose questions the reassessment answers differently (the work was done), one it moved only
   * in part (under way, and late), one it did not move at all (dropped, with the reason a team
   * gives) and one more not moved and late. An organisation whose answers barely moved has a
   * short plan with little done, as in a real cohort.
   */
  async function plans(programmeId: string, rounds: { id: string; name: string }[]): Promise<void> {
    const system = systemActor('demo');
    const { rows } = await deps.assessments.cohort(programmeId);
    const day = (offset: number) => new Date(ctx.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const [baseline, reassessment] = rounds;
    for (const organisationId of [...new Set(rows.map((r) => r.organisation_id))]) {
      const of = (round: string) => rows.find((r) => r.organisation_id === organisationId && r.round === round);
      const before = of(baseline!.name);
      const after = of(reassessment!.name);
      if (!before || !after) continue;
      const ranked = (await deps.plans.ranking(system, before.id)).interventions.slice(0, 15);
      const later = new Map(
        (await deps.plans.ranking(system, after.id)).interventions.map((r) => [
          r.intervention.id,
          new Map(r.moves.map((m) => [m.question, m.from])),
        ]),
      );
      // How many of the questions it raised at baseline the reassessment answers otherwise (or at their best).
      const moved = (r: (typeof ranked)[number]) =>
        r.moves.filter((m) => later.get(r.intervention.id)?.get(m.question) !== m.from).length;
      const all = ranked.filter((r) => moved(r) === r.moves.length);
      const part = ranked.filter((r) => moved(r) > 0 && moved(r) < r.moves.length);
      const none = ranked.filter((r) => moved(r) === 0);
      const done = [...all, ...part].slice(0, 5);
      const underway = part.filter((r) => !done.includes(r)).slice(0, 1);
      type Fate = { r: (typeof ranked)[number]; due: number; moves: ('in_progress' | 'done' | 'dropped')[] };
      const fates: Fate[] = [
        ...done.map((r, k) => ({ r, due: -75 + 10 * k, moves: ['in_progress', 'done'] as Fate['moves'] })),
        ...underway.map((r) => ({ r, due: -20, moves: ['in_progress'] as Fate['moves'] })),
        ...none.slice(0, 1).map((r) => ({ r, due: -40, moves: ['dropped'] as Fate['moves'] })),
        ...none.slice(1, 2).map((r) => ({ r, due: -10, moves: [] })),
      ].sort((x, y) => x.r.rank - y.r.rank);
      for (const [k, { r, due, moves }] of fates.entries()) {
        const item = await deps.plans.create(system, programmeId, organisationId, {
          roundId: baseline!.id,
          intervention: r.intervention.id,
          ownerId: null,
          dueOn: day(due),
          notes: k === 0 ? 'Agreed at the baseline debrief as the first thing to do.' : '',
        });
        for (const status of moves)
          await deps.plans.setStatus(system, item.id, {
            status,
            ...(status === 'dropped' && {
              reason: 'Postponed to next year: the team had no time for it alongside the election coverage.',
            }),
          });
      }
    }
  }

  /**
   * The reassessment as a cohort lives it: the baseline validated and closed, the reassessment
   * opened on its answers (carried over), the organisations confirming most and changing some
   * (the sample's reassessment rows), the assessors validating, and per domain the assessor's
   * account of what changed — with, where an organisation gained most, its own account too.
   */
  async function validate(roundId: string): Promise<void> {
    const ids = (await deps.assessments.ofRound(roundId)).map((a) => a.id);
    await transaction(ctx, (tx) => deps.assessments.markValidated(ids, ctx.now(), tx));
  }

  async function accounts(frameworkId: string, roundId: string): Promise<void> {
    const system = systemActor('demo');
    const fw = await deps.frameworks.load(frameworkId);
    const text = new Map(fw.domains.flatMap((d) => d.questions.map((q) => [q.id, textFor(q.text)] as const)));
    for (const a of await deps.assessments.ofRound(roundId)) {
      const change = (await deps.change.organisation(system, a.id)).changes.at(-1);
      if (!change) continue;
      const best = [...change.domains].sort((x, y) => (y.change ?? 0) - (x.change ?? 0))[0];
      for (const d of change.domains) {
        const said =
          d.down.length > 0
            ? `Slipped since the baseline: “${text.get(d.down[0]!.question)}” is answered lower now. The person who looked after it has left, and nobody has taken it over yet.`
            : d.up.length > 0
              ? `Better in practice since the baseline: ${d.up.length === 1 ? 'one answer' : `${d.up.length} answers`} moved up, among them “${text.get(d.up[0]!.question)}”. Checked with the staff in the interview and seen on their devices.`
              : 'No change in practice since the baseline; the answers were confirmed in the interview.';
        await deps.accounts.save(system, a.id, d.domain, 'assessor', { text: said });
      }
      if (best && (best.change ?? 0) > 0)
        await deps.accounts.save(system, a.id, best.domain, 'organisation', {
          text: 'We worked on this with our assessor between the rounds. It took longer than we planned, but the whole team uses it now.',
        });
    }
  }

  /** The demo programme of this instance, if it was loaded. */
  async function existing(): Promise<{ id: string; name: string } | undefined> {
    return (await deps.programmeList.list()).find((p) => p.name === DEMO_NAME);
  }

  return {
    existing,

    /**
     * Loads the demo once: an instance that already has it gets nothing new (`existing`), so
     * running `kalaja demo` again, or ticking "load the demo" at setup after it, makes no second one.
     */
    async load(
      managers: string[],
    ): Promise<{ programmeId: string; organisations: number; answers: number; existing: boolean }> {
      const already = await existing();
      if (already) return { programmeId: already.id, organisations: 0, answers: 0, existing: true };
      const system = systemActor('demo');
      const frameworks = await deps.frameworks.list(system);
      // The list gives each key's newest version first: the demo runs on it.
      const fw = frameworks.find((f) => f.key === 'cso-media') ?? frameworks[0];
      if (!fw) throw new Error('no framework to run the demo on');
      const programme = await deps.programmes.create(system, {
        name: DEMO_NAME,
        frameworkId: fw.id,
        rounds: [{ name: 'baseline' }, { name: 'reassessment' }],
      });
      for (const profile of sampleOrganisations()) await deps.programmes.addOrganisation(system, programme.id, profile);
      const { records } = parseAnswersCsv(readFileSync(new URL('answers.csv', SAMPLES), 'utf8'), 'answers.csv');
      let imported = 0;
      for (const [i, round] of programme.rounds.entries()) {
        // The first round opened with the programme. Once it is in, validated and closed, the
        // reassessment opens on its answers (carried over to confirm or change).
        if (i > 0) {
          const before = programme.rounds[i - 1]!;
          await validate(before.id);
          await deps.rounds.close(system, programme.id, before.id);
          await deps.rounds.open(system, programme.id, round.id);
        }
        // The sample file holds both rounds; each round gets its own rows.
        const rows = records
          .filter((r) => r.round === round.name)
          .map((r) => csvLine([r.organisation, r.round, r.question, r.answer, r.note ?? '']));
        const csv = [csvLine(['organisation', 'round', 'question', 'answer', 'note']), ...rows].join('\n');
        imported += (
          await deps.exchange.importAnswers(system, programme.id, round.id, `${csv}\n`, 'own', 'answers.csv')
        ).answers;
      }
      const last = programme.rounds.at(-1)!;
      await validate(last.id);
      if (programme.rounds.length > 1) await accounts(fw.id, last.id);
      const now = ctx.now();
      await transaction(ctx, async (tx) => {
        await deps.assessments.validateAll(programme.id, now, tx);
        await deps.users.addMemberships(
          managers.map((userId) => ({
            id: newId(),
            userId,
            role: 'programme_manager' as const,
            programmeId: programme.id,
            organisationId: null,
            at: now,
          })),
          tx,
        );
        await deps.audit.append(
          system,
          { action: 'demo.load', objectType: 'programme', objectId: programme.id, organisationId: null },
          now,
          tx,
        );
      });
      await plans(programme.id, programme.rounds);
      const { rows } = await deps.assessments.cohort(programme.id);
      await runDemoFindings(
        { findings: deps.findings, now: ctx.now },
        programme.id,
        [...new Set(rows.map((r) => r.organisation_id))],
        programme.rounds[0]!.id,
      );
      await runDemoIncidents({ incidents: deps.incidents, now: ctx.now }, programme.id, [
        ...new Set(rows.map((r) => r.organisation_id)),
      ]);
      if (deps.surveys)
        await runDemoSurvey({ surveys: deps.surveys }, programme.id, programme.rounds.at(-1)!.id, [
          ...new Set(rows.map((r) => r.organisation_id)),
        ]);
      await runDemoTrainings(
        { trainings: deps.trainings, checks: deps.checks, catalogue: deps.trainingCatalogue, now: ctx.now },
        programme.id,
        [...new Set(rows.map((r) => r.organisation_id))],
      );
      await runDemoReporting({ reporting: deps.reporting });
      // Both rounds published, as a manager would once they are done: the demo's observers see figures.
      for (const round of programme.rounds) await deps.publications.publish(system, programme.id, round.name);
      const index =
        deps.openness &&
        (await runDemoOpenness({
          openness: deps.openness,
          rounds: deps.rounds,
          frameworks: deps.frameworks,
          now: ctx.now,
        }));
      if (index) {
        const at = ctx.now();
        await transaction(ctx, (tx) =>
          deps.users.addMemberships(
            managers.map((userId) => ({
              id: newId(),
              userId,
              role: 'programme_manager' as const,
              programmeId: index,
              organisationId: null,
              at,
            })),
            tx,
          ),
        );
      }
      return {
        programmeId: programme.id,
        organisations: sampleOrganisations().length,
        answers: imported,
        existing: false,
      };
    },
  };
}

export type DemoService = ReturnType<typeof demoService>;
export const SAMPLES_DIR = fileURLToPath(SAMPLES);
