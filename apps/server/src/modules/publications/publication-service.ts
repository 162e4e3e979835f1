import { createHmac, randomBytes } from 'node:crypto';
import type { PublicationList, PublicationPreview, PublicationSummary } from '@kalaja/contracts';
import {
  DEFAULT_MIN_CELL,
  publishRound,
  publishedView,
  versionDifference,
  type CohortView,
  type Fingerprint,
  type Framework,
  type PublishedRound,
  type PublishedSet,
  type RoundPublication,
} from '@kalaja/engine';
import { sql } from 'kysely';
import type { Tx } from '../../db/database.js';
import { transaction, type Context } from '../../context.js';
import { PUBLICATION_KEY_SETTING } from '../../crypto/rotate.js';
import type { SettingsStore } from '../../db/settings-store.js';
import { AppError, conflict, invalid, notFound } from '../../errors.js';
import { newId } from '../../ids.js';
import { denyAsMissing, policy } from '../access/access-policy.js';
import type { Actor } from '../access/access-types.js';
import { answerSetOf } from '../assessments/answer-set.js';
import type { AssessmentService } from '../assessments/assessment-service.js';
import type { AssessmentStore } from '../assessments/assessment-store.js';
import type { AuditStore } from '../audit/audit-store.js';
import type { FrameworkService } from '../frameworks/framework-service.js';
import type { ProgrammeStore } from '../programmes/programme-store.js';
import { openDataPackage } from './open-data.js';
import type { PublicationStore } from './publication-store.js';

/** The assessments published figures rest on: the organisation has submitted, or an assessor validated. */
const COUNTED = new Set(['submitted', 'validated']);
const KEY_FIELD = 'instance.publication_key';

type Stored = Awaited<ReturnType<PublicationStore['ofProgramme']>>[number];

/**
 * Publication of a round's results to observers (threat model, T9; docs/contracts.md,
 * "Disclosure and publication"). A manager publishes a round when it is done; observers read
 * only published versions, which never change. A new version of a round is made only when the
 * organisations it rests on differ from the last version's by at least k, and each figure only
 * when no earlier published figure, set beside it, isolates fewer than k organisations (the
 * engine's `publishRound` decides, from keyed fingerprints of each organisation's
 * contribution). Live figures, at full precision, stay with the programme's managers.
 */
/**
 * The keyed hashes a hook's figures are fingerprinted with, the results' own (same instance key):
 * `fingerprint` of a contribution, `pseudonym` of an organisation, so that sets stored beside
 * what observers read name neither an organisation nor what it contributed in clear.
 */
export interface PublishKeys {
  fingerprint: Fingerprint;
  pseudonym: (organisation: string) => string;
}

/** Prepares what a publication freezes beside the results; the writer runs in the publication's transaction. */
export type PublishHook = (
  programmeId: string,
  k: number,
  keys: PublishKeys,
) => Promise<(tx: Tx, publicationId: string, at: number) => Promise<void>>;

export function publicationService(
  ctx: Context,
  deps: {
    publications: PublicationStore;
    settings: SettingsStore;
    programmes: Pick<ProgrammeStore, 'byId' | 'rounds'>;
    assessments: Pick<AssessmentStore, 'cohort'>;
    frameworks: Pick<FrameworkService, 'load'>;
    assessmentService: Pick<AssessmentService, 'programmeChoices'>;
    audit: AuditStore;
    /**
     * The cohort's findings counted over these organisations, no cell from fewer than `k`:
     * frozen with each version, so observers see the findings as published, never live.
     */
    findingsSummary?: (programmeId: string, organisationIds: ReadonlySet<string>, k: number) => Promise<unknown>;
    /**
     * What else is frozen with each publication (the threat landscape, issue 17): each hook
     * prepares its figures before the transaction and writes them inside it, under the new id.
     */
    alsoPublished?: PublishHook[];
  },
) {
  const k = DEFAULT_MIN_CELL;
  let key: Buffer | undefined;

  /**
   * The key of the fingerprints: random, made once per instance, sealed under the instance key
   * (re-sealed, never changed, by key rotation). Keyed, so that a copy of the database does not
   * let anyone test guesses of an organisation's score against its fingerprint.
   */
  async function fingerprintKey(): Promise<Buffer> {
    if (key) return key;
    let stored = await deps.settings.get(PUBLICATION_KEY_SETTING);
    if (stored === undefined) {
      // The field named where it is sealed, as every instance-sealed field is (ops-keys.test.ts finds them).
      const sealed = ctx.vault.sealInstance('instance.publication_key', PUBLICATION_KEY_SETTING, randomBytes(32));
      // Two servers starting their first publication at once: the first key stored wins.
      await deps.settings.add(PUBLICATION_KEY_SETTING, Buffer.from(sealed).toString('base64'));
      stored = (await deps.settings.get(PUBLICATION_KEY_SETTING))!;
    }
    key = ctx.vault.openInstance(KEY_FIELD, PUBLICATION_KEY_SETTING, new Uint8Array(Buffer.from(stored, 'base64')));
    return key;
  }

  /** The programme's keyed hashes: a contribution's fingerprint, and an organisation's pseudonym. */
  async function keysOf(programmeId: string): Promise<PublishKeys> {
    const secret = await fingerprintKey();
    const hash = (text: string) => createHmac('sha256', secret).update(text).digest('base64url').slice(0, 22);
    return {
      fingerprint: (variable, organisation, value) => hash(`${programmeId}\0${variable}\0${organisation}\0${value}`),
      // A different shape of input than any fingerprint's (three parts, not four): never the same hash.
      pseudonym: (organisation) => hash(`${programmeId}\0organisation\0${organisation}`),
    };
  }

  /** The programme's counted assessments as the engine's AnswerSet, keyed by organisation id, and the drafts per round. */
  async function counted(fw: Framework, programmeId: string) {
    const { rows, rounds } = await deps.assessments.cohort(programmeId);
    const kept = rows.filter((r) => COUNTED.has(r.status));
    const choices = await deps.assessmentService.programmeChoices(fw, kept);
    // Keyed by organisation id: the fingerprints name organisations, never their pseudonyms.
    const set = answerSetOf(kept, choices, (r) => r.organisation_id);
    set.organisations.sort();
    const drafts = new Map<string, number>();
    for (const r of rows) if (!COUNTED.has(r.status)) drafts.set(r.round, (drafts.get(r.round) ?? 0) + 1);
    return { set, rounds, drafts };
  }

  const history = (stored: readonly Stored[]): PublishedSet[] =>
    stored.flatMap((p) => JSON.parse(p.sets) as PublishedSet[]);

  const latestOf = (stored: readonly Stored[], round: string) =>
    stored.filter((p) => p.round === round).sort((a, b) => b.version - a.version)[0];

  /** The version of `round` that would be published now, and whether it may be. */
  async function prepare(
    fw: Framework,
    programmeId: string,
    round: string,
    data: Awaited<ReturnType<typeof counted>>,
    stored: readonly Stored[],
    past: readonly PublishedSet[],
  ): Promise<{ preview: PublicationPreview; publication: RoundPublication }> {
    const { fingerprint } = await keysOf(programmeId);
    const i = data.rounds.indexOf(round);
    const before = i > 0 ? data.rounds[i - 1]! : null;
    const hasBefore = before !== null && data.set.organisations.some((o) => data.set.assessments.get(o)!.has(before));
    const publication = publishRound(fw, data.set, round, {
      from: hasBefore ? before : null,
      history: past,
      minCell: k,
      fingerprint,
    });
    const last = latestOf(stored, round);
    const n = publication.figures.organisations;
    const changed = last
      ? versionDifference(JSON.parse(last.members) as Record<string, string>, publication.organisations)
      : null;
    const status: PublicationPreview['status'] =
      n === 0
        ? 'nothing'
        : changed === null
          ? 'ready'
          : changed === 0
            ? 'unchanged'
            : changed < k
              ? 'too-few-changed'
              : 'ready';
    return {
      publication,
      preview: {
        round,
        status,
        nextVersion: (last?.version ?? 0) + 1,
        organisations: n,
        changed,
        minCell: k,
        inProgress: data.drafts.get(round) ?? 0,
        withheld: publication.figures.withheld.map(({ cell, reason }) => ({ cell, reason })),
      },
    };
  }

  const summary = (p: Stored): PublicationSummary => ({
    id: p.id,
    round: p.round,
    version: p.version,
    organisations: p.organisations,
    publishedAt: p.published_at,
    withheld: (JSON.parse(p.figures) as PublishedRound).withheld.map(({ cell, reason }) => ({ cell, reason })),
  });

  async function programmeOf(programmeId: string) {
    const programme = await deps.programmes.byId(programmeId);
    if (!programme) throw notFound('that programme');
    return { programme, fw: await deps.frameworks.load(programme.framework_id) };
  }

  /** The latest version of each round, in round order: what observers see. */
  function latest(stored: readonly Stored[]): Stored[] {
    const byRound = new Map<string, Stored>();
    for (const p of stored) {
      const seen = byRound.get(p.round);
      if (!seen || p.version > seen.version) byRound.set(p.round, p);
    }
    return [...byRound.values()].sort((a, b) => a.position - b.position);
  }

  return {
    /**
     * Every version published in the programme (managers and observers), and, for managers,
     * where each round stands: what a publication now would make, or why it would be refused.
     */
    async list(actor: Actor, programmeId: string): Promise<PublicationList> {
      denyAsMissing(policy.seeCohortAnonymised(actor, programmeId), 'that programme');
      const { fw } = await programmeOf(programmeId);
      const stored = await deps.publications.ofProgramme(programmeId);
      const versions = [...stored].sort((a, b) => b.published_at - a.published_at || b.version - a.version);
      const rounds: PublicationPreview[] = [];
      if (policy.seeCohortNamed(actor, programmeId)) {
        const data = await counted(fw, programmeId);
        const past = history(stored);
        for (const round of data.rounds)
          rounds.push((await prepare(fw, programmeId, round, data, stored, past)).preview);
      }
      return { programmeId, minCell: k, versions: versions.map(summary), rounds };
    },

    /** Publishes a new version of a round, when it may be: 409 with the reason when not. */
    async publish(actor: Actor, programmeId: string, round: string): Promise<PublicationSummary> {
      denyAsMissing(
        policy.manageProgramme(actor, programmeId) || policy.seeCohortAnonymised(actor, programmeId),
        'that programme',
      );
      if (!policy.manageProgramme(actor, programmeId))
        throw new AppError('forbidden', 'Only the programme\u2019s managers can publish its results.');
      const { fw } = await programmeOf(programmeId);
      const rounds = await deps.programmes.rounds(programmeId);
      const target = rounds.find((r) => r.name === round);
      if (!target)
        throw invalid(`This programme has no round \u201c${round}\u201d.`, [
          { where: 'round', message: `one of: ${rounds.map((r) => r.name).join(', ')}` },
        ]);
      const data = await counted(fw, programmeId);
      const stored = await deps.publications.ofProgramme(programmeId);
      const { preview, publication } = await prepare(fw, programmeId, round, data, stored, history(stored));
      if (preview.status === 'nothing')
        throw conflict(
          `Nothing in the round \u201c${round}\u201d can be published yet: no organisation has submitted its assessment.`,
        );
      if (preview.status === 'unchanged')
        throw conflict(
          `The round \u201c${round}\u201d is published already, and nothing it rests on has changed since version ${preview.nextVersion - 1}.`,
        );
      if (preview.status === 'too-few-changed')
        throw conflict(
          `Only ${preview.changed} organisation${preview.changed === 1 ? '' : 's'} changed since version ${preview.nextVersion - 1} of \u201c${round}\u201d: ` +
            `a new version needs at least ${k}, or setting the two versions side by side would show those organisations\u2019 scores.`,
        );
      const id = newId();
      const now = ctx.now();
      const members = new Set(Object.keys(publication.organisations));
      const findings = deps.findingsSummary ? await deps.findingsSummary(programmeId, members, k) : null;
      const keys = await keysOf(programmeId);
      const also = await Promise.all((deps.alsoPublished ?? []).map((hook) => hook(programmeId, k, keys)));
      await transaction(ctx, async (tx) => {
        if (ctx.dialect === 'postgres')
          await sql`select pg_advisory_xact_lock(7312, hashtext(${programmeId}))`.execute(tx);
        // Another manager may have published in between: this version was checked against what was there then.
        const fresh = await deps.publications.ofProgramme(programmeId, tx);
        if (fresh.length !== stored.length)
          throw conflict('Another version was published a moment ago. Look at the round again and publish once more.');
        await deps.publications.insert(
          {
            id,
            programme_id: programmeId,
            round_id: target.id,
            version: preview.nextVersion,
            organisations: publication.figures.organisations,
            figures: JSON.stringify(publication.figures),
            sets: JSON.stringify(publication.published),
            members: JSON.stringify(publication.organisations),
            published_by: actor.userId,
            published_at: now,
            findings: findings === null ? null : JSON.stringify(findings),
          },
          tx,
        );
        for (const write of also) await write(tx, id, now);
        await deps.audit.append(
          actor,
          { action: 'results.publish', objectType: 'publication', objectId: id, organisationId: null },
          now,
          tx,
        );
      });
      const row = await deps.publications.byId(id);
      return summary(row!);
    },

    /**
     * The cohort as observers see it: the latest published version of each round, nothing
     * computed live. No permission check (the caller decides who is an observer here).
     */
    async observersView(programmeId: string, fw: Framework): Promise<{ view: CohortView; used: Stored[] }> {
      const used = latest(await deps.publications.ofProgramme(programmeId));
      const view = publishedView(
        fw,
        used.map((p) => JSON.parse(p.figures) as PublishedRound),
        k,
      );
      return { view, used };
    },

    /** A published version as open data: a ZIP with CSV, JSON, a Data Package descriptor and the methodology. */
    async openData(actor: Actor, programmeId: string, publicationId: string): Promise<{ name: string; bytes: Buffer }> {
      denyAsMissing(policy.seeCohortAnonymised(actor, programmeId), 'that programme');
      const p = await deps.publications.byId(publicationId);
      if (!p || p.programme_id !== programmeId) throw notFound('that publication');
      const { programme, fw } = await programmeOf(programmeId);
      return openDataPackage(fw, {
        programme: programme.name,
        round: p.round,
        version: p.version,
        publishedAt: p.published_at,
        figures: JSON.parse(p.figures) as PublishedRound,
      });
    },
  };
}

export type PublicationService = ReturnType<typeof publicationService>;
