import { textFor, type TrainingModule } from '@kalaja/engine';
import type { OpenedParticipant, OpenedSession } from './training-read.js';
import type { SessionRow } from './training-store.js';
import { followUpPhase, isAfter } from './training-fns.js';
import type { CheckState, ParticipantView, SessionView, TrainingModuleView } from './training-types.js';

/** How sessions, participants and modules are shown: the contract's shapes, from opened rows. */

const iso = (ms: number | string) => new Date(Number(ms)).toISOString();
const isoOrNull = (ms: number | string | null) => (ms === null ? null : iso(ms));

export function moduleRef(m: TrainingModule) {
  return { id: m.id, version: m.version, title: m.title, domains: m.domains, itemCount: m.check.items.length };
}

/** A module of the catalogue; with its items' correct options and explanations for the team. */
export function moduleView(m: TrainingModule, team: boolean): TrainingModuleView {
  return {
    id: m.id,
    version: m.version,
    title: m.title,
    summary: m.summary ?? null,
    domains: m.domains,
    interventions: m.interventions,
    agenda: m.agenda.map((a) => ({ minutes: a.minutes, title: a.title, description: a.description ?? null })),
    itemCount: m.check.items.length,
    practices: m.practices.map((p) => ({ id: p.id, text: p.text })),
    ...(team && {
      items: m.check.items.map((i) => ({
        id: i.id,
        text: i.text,
        options: i.options.map((o) => ({ id: o.id, label: o.label, correct: o.correct })),
        explanation: i.explanation ?? null,
      })),
    }),
  };
}

/** The session's title: its own, or the module's in the session's language. */
export const sessionTitle = (row: Pick<SessionRow, 'title' | 'language'>, m: TrainingModule) =>
  row.title !== '' ? row.title : textFor(m.title, row.language);

/** Where one participant stands in pre or post. */
export function phaseView(s: SessionRow, p: OpenedParticipant, phase: 'pre' | 'post', now: number) {
  const r = p.results.get(phase);
  if (r)
    return {
      state: 'taken' as const,
      score: r.body.score,
      confidence: r.body.confidence,
      via: r.row.via,
      at: iso(r.row.at),
    };
  const check = s.check_state as CheckState;
  const past = phase === 'pre' ? isAfter(check, 'pre') : check === 'closed';
  const link = p.checkLink;
  const state = past
    ? ('missed' as const)
    : !link
      ? ('no_link' as const)
      : Number(link.expires_at) <= now
        ? ('expired' as const)
        : ('waiting' as const);
  return { state, score: null, confidence: null, via: null, at: null };
}

export function participantView(
  s: SessionRow,
  p: OpenedParticipant,
  organisation: string,
  now: number,
): ParticipantView {
  const days = [...p.askedFollowUps].sort((a, b) => b - a)[0];
  let followUp: ParticipantView['followUp'] = null;
  if (days !== undefined) {
    const r = p.results.get(followUpPhase(days));
    const link = p.followUps.get(days);
    followUp = {
      days,
      state: r ? 'taken' : !link ? 'no_link' : Number(link.expires_at) <= now ? 'expired' : 'waiting',
      at: r ? iso(r.row.at) : null,
    };
  }
  return {
    id: p.row.id,
    version: Number(p.row.version),
    displayName: p.name,
    organisationId: p.row.organisation_id,
    organisation,
    role: p.role,
    attended: Number(p.row.attended) === 1,
    linkExpiresAt: p.checkLink ? iso(p.checkLink.expires_at) : null,
    pre: phaseView(s, p, 'pre', now),
    post: phaseView(s, p, 'post', now),
    reacted: p.results.get('post')?.body.reaction != null,
    followUp,
  };
}

/** The follow-ups run for a session: per days value, when asked, how many asked and answered. */
export function followUpsOf(o: OpenedSession) {
  const byDays = new Map<number, { issuedAt: number; expiresAt: number }>();
  for (const l of o.links) {
    if (l.kind !== 'follow-up' || l.days === null) continue;
    const days = Number(l.days);
    const x = byDays.get(days);
    byDays.set(days, {
      issuedAt: Math.max(x?.issuedAt ?? 0, Number(l.issued_at)),
      expiresAt: Math.max(x?.expiresAt ?? 0, Number(l.expires_at)),
    });
  }
  return [...byDays]
    .sort(([a], [b]) => a - b)
    .map(([days, t]) => ({
      days,
      issuedAt: iso(t.issuedAt),
      expiresAt: iso(t.expiresAt),
      asked: o.participants.filter((p) => p.askedFollowUps.has(days)).length,
      responded: o.participants.filter((p) => p.results.has(followUpPhase(days))).length,
    }));
}

export function sessionView(o: OpenedSession): SessionView {
  const r = o.row;
  return {
    id: r.id,
    version: Number(r.version),
    programmeId: r.programme_id,
    module: moduleRef(o.module),
    title: sessionTitle(r, o.module),
    startsAt: iso(r.starts_at),
    durationMinutes: Number(r.duration_minutes),
    place: r.place,
    online: Number(r.online) === 1,
    onlineLink: r.online_link,
    trainers: r.trainers,
    capacity: Number(r.capacity),
    language: r.language as SessionView['language'],
    check: r.check_state,
    linksIssuedAt: isoOrNull(r.links_issued_at),
    linksExpireAt: isoOrNull(r.links_expire_at),
    followUps: followUpsOf(o),
    registered: o.participants.length,
    attended: o.participants.filter((p) => Number(p.row.attended) === 1).length,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}
