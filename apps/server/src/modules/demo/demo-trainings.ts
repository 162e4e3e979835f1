import type { TrainingModule } from '@kalaja/engine';
import { systemActor } from '../access/access-types.js';
import type { CheckService } from '../trainings/check-service.js';
import type { TrainingCatalogue } from '../trainings/training-catalogue.js';
import type { TrainingService } from '../trainings/training-service.js';

/** The demo's three sessions: how many registered and came, and how far back they ran. */
const SESSIONS = [
  {
    module: 'account-security-and-phishing',
    registered: 17,
    attended: 14,
    daysAgo: 150,
    place: 'Prishtinë, Hotel Sirius, meeting room 2',
    trainers: 'Arta Krasniqi, Milan Petrović',
    followUp: true,
  },
  {
    module: 'backup-and-recovery',
    registered: 12,
    attended: 11,
    daysAgo: 122,
    place: 'Prizren, the partner organisation’s office',
    trainers: 'Arta Krasniqi',
    followUp: false,
  },
  {
    module: 'secure-communication-and-sources',
    registered: 10,
    attended: 9,
    daysAgo: 96,
    place: '',
    trainers: 'Milan Petrović, Drita Hoxha',
    followUp: false,
  },
] as const;

/** Pseudonyms the participants chose: first names and an initial, none of them a real person. */
const NAMES = [
  'Arbër M.',
  'Besa K.',
  'Driton H.',
  'Elira S.',
  'Fatos B.',
  'Gentiana L.',
  'Ilir Z.',
  'Jehona R.',
  'Kushtrim D.',
  'Lirije T.',
  'Marko J.',
  'Nora P.',
  'Petrit V.',
  'Qendresa A.',
  'Rina G.',
  'Stefan M.',
  'Teuta F.',
  'Uran C.',
  'Vesa N.',
  'Xhevdet O.',
  'Ana S.',
  'Dušan R.',
  'Jelena V.',
  'Blerta E.',
  'Valon I.',
  'Mimoza Q.',
  'Shpend U.',
  'Luljeta Y.',
  'Nikola T.',
  'Hana B.',
];
const ROLES = [
  'Journalist',
  'Editor',
  'Project coordinator',
  'Finance officer',
  'Director',
  'Social media',
  'IT volunteer',
];
const COMMENTS = [
  'The hands-on part was the most useful: we switched it on together.',
  'More time for questions, please; the second half went fast.',
  'I would like the same session for our volunteers.',
];

/** A small seeded generator (mulberry32): the demo is the same on every instance. */
function seeded(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Answers with each item right with probability `p`, a plausible wrong option otherwise. */
function answersAt(m: TrainingModule, p: number, random: () => number): Record<string, string> {
  return Object.fromEntries(
    m.check.items.map((i) => {
      if (random() < p) return [i.id, i.options.find((o) => o.correct)!.id];
      const wrong = i.options.filter((o) => !o.correct);
      return [i.id, random() < 0.08 ? '' : wrong[Math.floor(random() * wrong.length)]!.id];
    }),
  );
}

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/**
 * The demo programme's trainings, run as a trainer runs them: three sessions with realistic
 * attendance, the links issued, most attendees taking the check before and after on their
 * phones (a few came late and missed the first, one or two left before the second), their
 * confidence and reaction, and for the first session a 30-day follow-up some answered. Gains
 * are plausible, not uniform: most improve, a few stay where they were or slip.
 */
export async function runDemoTrainings(
  deps: {
    trainings: Pick<TrainingService, 'create' | 'addParticipant' | 'issueLinks' | 'setPhase' | 'followUp'>;
    checks: Pick<CheckService, 'submit'>;
    catalogue: TrainingCatalogue;
    now: () => number;
  },
  programmeId: string,
  organisations: readonly string[],
): Promise<void> {
  const system = systemActor('demo');
  const random = seeded(14);
  let person = 0;
  for (const [k, s] of SESSIONS.entries()) {
    const m = deps.catalogue.byId.get(s.module);
    if (!m) continue;
    const startsAt = new Date(Math.floor(deps.now() / 86_400_000 - s.daysAgo) * 86_400_000 + 9 * 3_600_000);
    const session = await deps.trainings.create(system, programmeId, {
      module: m.id,
      title: '',
      startsAt: startsAt.toISOString(),
      durationMinutes: 210,
      place: s.place,
      online: s.place === '',
      onlineLink: s.place === '' ? 'meet.jit.si/kalaja-demo-sources' : '',
      trainers: s.trainers,
      capacity: 20,
      language: 'en',
    });
    const ids: string[] = [];
    for (let i = 0; i < s.registered; i++) {
      const p = await deps.trainings.addParticipant(system, session.id, {
        displayName: NAMES[(person + i) % NAMES.length]!,
        organisationId: organisations[(person + i * 3 + k) % organisations.length]!,
        role: ROLES[Math.floor(random() * ROLES.length)]!,
        attended: i < s.attended,
      });
      ids.push(p.id);
    }
    person += 7;
    const links = new Map(
      (await deps.trainings.issueLinks(system, session.id, undefined)).links.map((l) => [l.participantId, l.token]),
    );
    // Ability before, and what the session added: most gain, some not at all, one slips.
    const people = ids.slice(0, s.attended).map((id, i) => {
      const before = 0.3 + random() * 0.35;
      const gain = i % 6 === 5 ? -0.05 : i % 5 === 4 ? 0 : 0.12 + random() * 0.3;
      return {
        id,
        before,
        after: clamp(before + gain, 0.1, 0.97),
        late: i === 2 || (k === 0 && i === 9),
        left: i === s.attended - 1,
      };
    });
    for (const p of people) {
      if (p.late) continue;
      await deps.checks.submit(
        links.get(p.id)!,
        'pre',
        { answers: answersAt(m, p.before, random), confidence: clamp(Math.round(1 + random() * 2.4), 1, 5) },
        'demo',
      );
    }
    await deps.trainings.setPhase(system, session.id, 'post');
    for (const [i, p] of people.entries()) {
      if (p.left) continue;
      const useful = clamp(Math.round(3.6 + random() * 1.6), 1, 5);
      await deps.checks.submit(
        links.get(p.id)!,
        'post',
        {
          answers: answersAt(m, p.after, random),
          confidence: clamp(Math.round(2.6 + random() * 2.2), 1, 5),
          ...(i % 3 !== 2 && {
            reaction: {
              usefulness: useful,
              relevance: clamp(useful - (random() < 0.3 ? 1 : 0), 1, 5),
              pace: random() < 0.75 ? 'right' : random() < 0.7 ? 'fast' : 'slow',
              comment: i % 4 === 0 ? COMMENTS[(i / 4) % COMMENTS.length]! : '',
            },
          }),
        },
        'demo',
      );
    }
    await deps.trainings.setPhase(system, session.id, 'closed');
    if (s.followUp && m.practices.length > 0) {
      const asked = (await deps.trainings.followUp(system, session.id, 30, undefined)).links;
      for (const [i, l] of asked.entries()) {
        if (i % 3 === 2) continue; // a third did not answer
        const practices = Object.fromEntries(
          m.practices.map((x) => [x.id, random() < 0.5 ? 'yes' : random() < 0.6 ? 'partly' : 'no'] as const),
        );
        await deps.checks.submit(l.token, 'follow-up', { answers: {}, practices }, 'demo');
      }
    }
  }
}
