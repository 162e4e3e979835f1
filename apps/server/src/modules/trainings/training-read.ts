import type { TrainingModule } from '@kalaja/engine';
import type { Context } from '../../context.js';
import { NoKeyError } from '../../crypto/vault.js';
import type { TrainingCatalogue } from './training-catalogue.js';
import type { LinkRow, ParticipantRow, ResultRow, SessionRow, TrainingStore } from './training-store.js';
import { openParticipant, openResult } from './training-texts.js';
import type { ResultBody } from './training-types.js';

/** A participant with their texts and results opened. */
export interface OpenedParticipant {
  row: ParticipantRow;
  name: string;
  role: string;
  /** The organisation's key is destroyed: nothing of this participant can be read any more. */
  erased: boolean;
  /** By stored phase (pre, post, follow-up-30…). */
  results: Map<string, { row: ResultRow; body: ResultBody }>;
  /** The participant's current (unrevoked) check link, and follow-up links by days. */
  checkLink: LinkRow | undefined;
  followUps: Map<number, LinkRow>;
  /** Every follow-up days value the participant was ever asked (revoked links too). */
  askedFollowUps: Set<number>;
}

export interface OpenedSession {
  row: SessionRow;
  module: TrainingModule;
  participants: OpenedParticipant[];
  /** The links of those participants, revoked ones too. */
  links: LinkRow[];
}

/** The module a session runs; the catalogue is loaded at start, so a missing one is a fault. */
export function moduleOf(catalogue: TrainingCatalogue, row: Pick<SessionRow, 'module_id'>): TrainingModule {
  const m = catalogue.byId.get(row.module_id);
  if (!m) throw new Error(`training module ${row.module_id} is not in the catalogue`);
  return m;
}

async function opened<T>(opening: Promise<T>): Promise<T | undefined> {
  try {
    return await opening;
  } catch (error) {
    if (error instanceof NoKeyError) return undefined;
    throw error;
  }
}

/**
 * Sessions with their participants, links and results, what is sealed opened under each
 * participant's organisation's key; `organisations` keeps only those organisations' people (an
 * organisation member's view). A participant of a crypto-shredded organisation stays, counted,
 * with nothing readable.
 */
export async function readSessions(
  ctx: Pick<Context, 'vault'>,
  store: Pick<TrainingStore, 'participantsOf' | 'linksOf' | 'resultsOf'>,
  catalogue: TrainingCatalogue,
  rows: readonly SessionRow[],
  options: { organisations?: ReadonlySet<string> } = {},
): Promise<OpenedSession[]> {
  const ids = rows.map((r) => r.id);
  const keep = (organisationId: string) => !options.organisations || options.organisations.has(organisationId);
  const [participants, links, results] = await Promise.all([
    store.participantsOf(ids),
    store.linksOf(ids),
    store.resultsOf(ids),
  ]);
  const kept = participants.filter((p) => keep(p.organisation_id));
  await ctx.vault.preload(kept.map((p) => p.organisation_id));
  const byParticipant = new Map<string, OpenedParticipant>();
  for (const p of kept) {
    const texts = await opened(openParticipant(ctx.vault, p.organisation_id, p.id, p.texts_sealed));
    byParticipant.set(p.id, {
      row: p,
      name: texts?.name ?? '',
      role: texts?.role ?? '',
      erased: texts === undefined,
      results: new Map(),
      checkLink: undefined,
      followUps: new Map(),
      askedFollowUps: new Set(),
    });
  }
  for (const l of links) {
    const p = byParticipant.get(l.participant_id);
    if (!p) continue;
    if (l.kind === 'follow-up' && l.days !== null) p.askedFollowUps.add(Number(l.days));
    if (l.revoked_at !== null) continue;
    if (l.kind === 'check') p.checkLink = l;
    else if (l.days !== null) p.followUps.set(Number(l.days), l);
  }
  for (const r of results) {
    const p = byParticipant.get(r.participant_id);
    if (!p || p.erased) continue;
    const body = await opened(openResult(ctx.vault, r.organisation_id, r.id, r.body_sealed));
    if (body) p.results.set(r.phase, { row: r, body });
  }
  return rows.map((row) => ({
    row,
    module: moduleOf(catalogue, row),
    participants: kept.filter((p) => p.session_id === row.id).map((p) => byParticipant.get(p.id)!),
    links: links.filter((l) => l.session_id === row.id && byParticipant.has(l.participant_id)),
  }));
}
