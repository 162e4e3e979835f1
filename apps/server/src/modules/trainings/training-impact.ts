import { changeOf, textFor, type OrganisationTraining, type TrainingSession } from '@kalaja/engine';
import type { Context } from '../../context.js';
import { denyAsMissing, policy } from '../access/access-policy.js';
import type { Actor } from '../access/access-types.js';
import type { ProgrammeStore } from '../programmes/programme-store.js';
import type { ChangeService } from '../results/change-service.js';
import type { TrainingCatalogue } from './training-catalogue.js';
import { followUpPhase, mean } from './training-fns.js';
import { readSessions, type OpenedParticipant, type OpenedSession } from './training-read.js';
import type { TrainingStore } from './training-store.js';
import type { TrainingImpactView } from './training-types.js';
import { moduleRef, sessionTitle } from './training-views.js';

const attended = (p: OpenedParticipant) => Number(p.row.attended) === 1;
const scoreIn = (p: OpenedParticipant, phase: 'pre' | 'post') => p.results.get(phase)?.body.score ?? null;
const confidenceIn = (p: OpenedParticipant, phase: 'pre' | 'post') => p.results.get(phase)?.body.confidence ?? null;

function knowledge(ps: readonly OpenedParticipant[]) {
  const pre = ps.flatMap((p) => (scoreIn(p, 'pre') === null ? [] : [scoreIn(p, 'pre')!]));
  const post = ps.flatMap((p) => (scoreIn(p, 'post') === null ? [] : [scoreIn(p, 'post')!]));
  const differences = ps.flatMap((p) => {
    const a = scoreIn(p, 'pre');
    const b = scoreIn(p, 'post');
    return a !== null && b !== null ? [b - a] : [];
  });
  return {
    preN: pre.length,
    preMean: mean(pre),
    postN: post.length,
    postMean: mean(post),
    change: changeOf(differences),
  };
}

function confidence(ps: readonly OpenedParticipant[]) {
  const both = ps.flatMap((p) => {
    const a = confidenceIn(p, 'pre');
    const b = confidenceIn(p, 'post');
    return a !== null && b !== null ? [{ pre: a, post: b }] : [];
  });
  return { n: both.length, pre: mean(both.map((x) => x.pre)), post: mean(both.map((x) => x.post)) };
}

const reactionsOf = (ps: readonly OpenedParticipant[]) =>
  ps.flatMap((p) => {
    const r = p.results.get('post')?.body.reaction;
    return r ? [r] : [];
  });

function reaction(ps: readonly OpenedParticipant[]) {
  const rs = reactionsOf(ps);
  return {
    n: rs.length,
    usefulness: mean(rs.map((r) => r.usefulness)),
    relevance: mean(rs.map((r) => r.relevance)),
    pace: {
      slow: rs.filter((r) => r.pace === 'slow').length,
      right: rs.filter((r) => r.pace === 'right').length,
      fast: rs.filter((r) => r.pace === 'fast').length,
    },
  };
}

/** Per follow-up (30 or 90 days): who was asked, who answered, and per practice the answers. */
function followUps(sessions: readonly OpenedSession[], locale?: string) {
  const m = sessions[0]!.module;
  const days = [...new Set(sessions.flatMap((s) => s.participants.flatMap((p) => [...p.askedFollowUps])))].sort(
    (a, b) => a - b,
  );
  const ps = sessions.flatMap((s) => s.participants);
  return days.map((d) => {
    const answers = ps.flatMap((p) => {
      const r = p.results.get(followUpPhase(d))?.body.practices;
      return r ? [r] : [];
    });
    return {
      days: d,
      asked: ps.filter((p) => p.askedFollowUps.has(d)).length,
      responded: answers.length,
      practices: m.practices.map((x) => ({
        id: x.id,
        text: locale === undefined ? x.text : textFor(x.text, locale),
        yes: answers.filter((a) => a[x.id] === 'yes').length,
        partly: answers.filter((a) => a[x.id] === 'partly').length,
        no: answers.filter((a) => a[x.id] === 'no').length,
      })),
    };
  });
}

/**
 * Training impact and the reports' training inputs (DESIGN.md, "Contract: trainings and
 * knowledge checks"): per session and per module the paired statistics of post − pre (the
 * engine's `changeOf`) over the participants with both scores, attendance, confidence before
 * and after, the reaction and the follow-ups; per organisation, the people it sent and their
 * knowledge change beside its own domain change between its first and latest rounds, for the
 * domains the module serves — an association, never a cause. Trainers and managers see it; the
 * organisations' domain figures are results, so only managers see those.
 */
export function trainingImpact(
  ctx: Pick<Context, 'vault'>,
  deps: {
    trainings: TrainingStore;
    programmes: Pick<ProgrammeStore, 'organisations'>;
    change: Pick<ChangeService, 'firstToLatest'>;
    catalogue: TrainingCatalogue;
  },
) {
  const { trainings: store, catalogue } = deps;

  const sessionsOf = async (programmeId: string, organisations?: ReadonlySet<string>) =>
    readSessions(ctx, store, catalogue, await store.sessionsOf(programmeId), organisations ? { organisations } : {});

  return {
    async impact(actor: Actor, programmeId: string): Promise<TrainingImpactView> {
      denyAsMissing(policy.runTrainings(actor, programmeId), 'that programme');
      const results = policy.manageProgramme(actor, programmeId);
      const sessions = await sessionsOf(programmeId);
      const names = new Map((await deps.programmes.organisations(programmeId)).map((o) => [o.id, o.name]));
      const domainChange = results ? await deps.change.firstToLatest(programmeId) : new Map();

      const byModule = new Map<string, OpenedSession[]>();
      for (const s of sessions) byModule.set(s.module.id, [...(byModule.get(s.module.id) ?? []), s]);

      const organisations = [...new Set(sessions.flatMap((s) => s.participants.map((p) => p.row.organisation_id)))]
        .map((org) => {
          const change = domainChange.get(org);
          const mine = (ss: readonly OpenedSession[]) =>
            ss.flatMap((s) => s.participants.filter((p) => p.row.organisation_id === org));
          return {
            organisationId: org,
            organisation: names.get(org) ?? '',
            sent: mine(sessions).length,
            attended: mine(sessions).filter(attended).length,
            rounds: change ? { from: change.from, to: change.to } : null,
            modules: [...byModule.values()]
              .filter((ss) => mine(ss).length > 0)
              .map((ss) => {
                const ps = mine(ss);
                const k = knowledge(ps).change;
                const m = ss[0]!.module;
                return {
                  module: moduleRef(m),
                  sent: ps.length,
                  attended: ps.filter(attended).length,
                  knowledge: { n: k.n, mean: k.mean },
                  domains: change
                    ? m.domains.map((d) => {
                        const before = change.before[d] ?? null;
                        const after = change.after[d] ?? null;
                        return {
                          domain: d,
                          before,
                          after,
                          change: before !== null && after !== null ? after - before : null,
                        };
                      })
                    : [],
                };
              }),
          };
        })
        .sort((a, b) => a.organisation.localeCompare(b.organisation));

      return {
        programmeId,
        sessions: sessions.map((s) => ({
          sessionId: s.row.id,
          title: sessionTitle(s.row, s.module),
          module: moduleRef(s.module),
          startsAt: new Date(Number(s.row.starts_at)).toISOString(),
          registered: s.participants.length,
          attended: s.participants.filter(attended).length,
          knowledge: knowledge(s.participants),
          confidence: confidence(s.participants),
          reaction: reaction(s.participants),
          followUps: followUps([s]),
          participants: s.participants
            .filter((p) => !p.erased)
            .map((p) => ({
              participantId: p.row.id,
              displayName: p.name,
              organisation: names.get(p.row.organisation_id) ?? '',
              attended: attended(p),
              pre: scoreIn(p, 'pre'),
              post: scoreIn(p, 'post'),
            })),
        })),
        modules: [...byModule.values()].map((ss) => {
          const ps = ss.flatMap((s) => s.participants);
          return {
            module: moduleRef(ss[0]!.module),
            sessions: ss.length,
            registered: ps.length,
            attended: ps.filter(attended).length,
            knowledge: knowledge(ps),
            confidence: confidence(ps),
            reaction: reaction(ps),
            followUps: followUps(ss),
          };
        }),
        organisations,
        association: true,
      };
    },

    /**
     * The programme report's sessions, each organisation named by `label` (its pseudonym in the
     * report's answers); the engine keeps any figure over fewer than k participants from
     * observers. No permission check: the report service's.
     */
    async forProgrammeReport(
      programmeId: string,
      locale: string,
      label: (organisationId: string) => string | undefined,
    ): Promise<TrainingSession[]> {
      const sessions = await sessionsOf(programmeId);
      return sessions.map((s) => {
        const ps = s.participants;
        const came = ps.filter(attended);
        const fu = followUps([s], locale).filter((f) => f.asked > 0);
        const latest = fu[fu.length - 1];
        return {
          id: s.row.id,
          title: textFor(s.module.title, locale),
          module: s.module.id,
          date: new Date(Number(s.row.starts_at)).toISOString().slice(0, 10),
          domains: [...s.module.domains],
          organisations: came.flatMap((p) => {
            const name = label(p.row.organisation_id);
            return name === undefined ? [] : [name];
          }),
          participants: came.length,
          registered: ps.length,
          knowledge: ps.flatMap((p) => {
            const pre = scoreIn(p, 'pre');
            const post = scoreIn(p, 'post');
            return pre !== null && post !== null
              ? [{ pre, post, organisation: label(p.row.organisation_id) ?? '' }]
              : [];
          }),
          confidence: ps.flatMap((p) => {
            const pre = confidenceIn(p, 'pre');
            const post = confidenceIn(p, 'post');
            return pre !== null && post !== null ? [{ pre, post }] : [];
          }),
          reaction: reactionsOf(ps).map((r) => ({ usefulness: r.usefulness, relevance: r.relevance })),
          ...(latest && {
            followUp: {
              days: latest.days,
              asked: latest.asked,
              responded: latest.responded,
              practices: latest.practices.map((x) => ({
                text: x.text as string,
                yes: x.yes,
                partly: x.partly,
                no: x.no,
              })),
            },
          }),
        };
      });
    },

    /** An organisation's own people in the programme's sessions, by name, for its own report. No permission check. */
    async forOrganisationReport(
      programmeId: string,
      organisationId: string,
      locale: string,
    ): Promise<OrganisationTraining[]> {
      const sessions = await sessionsOf(programmeId, new Set([organisationId]));
      return sessions
        .filter((s) => s.participants.some((p) => !p.erased))
        .map((s) => ({
          title: textFor(s.module.title, locale),
          date: new Date(Number(s.row.starts_at)).toISOString().slice(0, 10),
          participants: s.participants
            .filter((p) => !p.erased)
            .map((p) => ({ name: p.name, attended: attended(p), pre: scoreIn(p, 'pre'), post: scoreIn(p, 'post') })),
        }));
    },
  };
}

export type TrainingImpact = ReturnType<typeof trainingImpact>;
