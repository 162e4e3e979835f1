import type {
  RecommendationAddRequest,
  RecommendationEditRequest,
  RecommendationItem,
  RecommendationReview,
} from '@kalaja/contracts';
import { reviewRecommendations, TEAM_PREFIX, type Locale, type Recommendation } from '@kalaja/engine';
import { transaction, type Context } from '../../context.js';
import type { Tx } from '../../db/database.js';
import { notFound } from '../../errors.js';
import { newId } from '../../ids.js';
import { denyAsMissing, policy } from '../access/access-policy.js';
import type { Actor } from '../access/access-types.js';
import type { AuditStore } from '../audit/audit-store.js';
import { editOf, type RecommendationStore } from './recommendation-store.js';

type Texts = Partial<Record<Locale, { title: string; text: string }>>;

/**
 * The programme team's review of the recommendations the rules draft for the programme report
 * (docs/contracts.md, 4.8): the managers see each draft in a language, edit its title, text or
 * priority, drop it or restore it, and add recommendations of their own. Reports made
 * afterwards apply the review and say which recommendations were edited or added; each edited
 * one keeps the rule that drafted it.
 */
export function recommendationService(
  ctx: Pick<Context, 'db' | 'batcher' | 'now'>,
  deps: {
    recommendations: RecommendationStore;
    drafts: (programmeId: string, locale: Locale) => Promise<Recommendation[]>;
    audit: Pick<AuditStore, 'append'>;
  },
) {
  const manager = (actor: Actor, programmeId: string) =>
    denyAsMissing(policy.manageProgramme(actor, programmeId), 'that programme');

  async function record(actor: Actor, action: string, id: string, write: (tx: Tx) => Promise<void>) {
    const now = ctx.now();
    await transaction(ctx, async (tx) => {
      await write(tx);
      await deps.audit.append(
        actor,
        { action, objectType: 'recommendation', objectId: id, organisationId: null },
        now,
        tx,
      );
    });
  }

  return {
    /** Every draft (dropped ones too) and every addition, as reviewed, in a language. */
    async review(actor: Actor, programmeId: string, language: Locale): Promise<RecommendationReview> {
      manager(actor, programmeId);
      const drafts = await deps.drafts(programmeId, language);
      const edits = (await deps.recommendations.ofProgramme(programmeId)).map(editOf);
      const outcome = reviewRecommendations(drafts, edits, language);
      const byId = new Map(drafts.map((d) => [d.id, d]));
      const draftOf = (id: string) => {
        const d = byId.get(id);
        return d ? { title: d.title, text: d.text, priority: d.priority } : null;
      };
      const items: RecommendationItem[] = outcome.items.map((r) => ({
        id: r.id,
        rule: r.rule,
        priority: r.priority,
        title: r.title,
        text: r.text,
        review: r.review,
        draft: draftOf(r.id),
      }));
      for (const e of edits)
        if (e.dropped && byId.has(e.id)) {
          const d = byId.get(e.id)!;
          items.push({ ...draftOf(e.id)!, id: d.id, rule: d.rule, review: 'dropped', draft: draftOf(d.id) });
        }
      return { language, items, stale: outcome.stale };
    },

    /** Edits a draft (or the team's own): title and text in one language, priority, dropped. */
    async edit(actor: Actor, programmeId: string, id: string, input: RecommendationEditRequest): Promise<void> {
      manager(actor, programmeId);
      const existing = await deps.recommendations.byId(programmeId, id);
      const language = input.language ?? 'en';
      let draft: Recommendation | undefined;
      if (!id.startsWith(TEAM_PREFIX)) {
        draft = (await deps.drafts(programmeId, language)).find((d) => d.id === id);
        if (!draft && !existing) throw notFound('that recommendation');
      } else if (!existing) throw notFound('that recommendation');
      const texts = (existing ? JSON.parse(existing.texts) : {}) as Texts;
      if (input.title !== undefined || input.text !== undefined) {
        const before = texts[language] ?? { title: draft?.title ?? '', text: draft?.text ?? '' };
        texts[language] = { title: input.title ?? before.title, text: input.text ?? before.text };
      }
      await record(actor, 'recommendation.edit', id, (tx) =>
        deps.recommendations.put(
          {
            programme_id: programmeId,
            recommendation_id: id,
            dropped: input.dropped === undefined ? (existing?.dropped ?? 0) : input.dropped ? 1 : 0,
            priority: input.priority ?? existing?.priority ?? null,
            texts: JSON.stringify(texts),
            updated_by: actor.userId,
            updated_at: ctx.now(),
          },
          tx,
        ),
      );
    },

    /** Adds a recommendation of the team's own. */
    async add(actor: Actor, programmeId: string, input: RecommendationAddRequest): Promise<{ id: string }> {
      manager(actor, programmeId);
      const id = `${TEAM_PREFIX}${newId()}`;
      const language = input.language ?? 'en';
      await record(actor, 'recommendation.add', id, (tx) =>
        deps.recommendations.put(
          {
            programme_id: programmeId,
            recommendation_id: id,
            dropped: 0,
            priority: input.priority ?? 'medium',
            texts: JSON.stringify({ [language]: { title: input.title, text: input.text } }),
            updated_by: actor.userId,
            updated_at: ctx.now(),
          },
          tx,
        ),
      );
      return { id };
    },

    /** Takes the team's review of one recommendation back: a draft as drafted again, an addition gone. */
    async revert(actor: Actor, programmeId: string, id: string): Promise<void> {
      manager(actor, programmeId);
      if (!(await deps.recommendations.byId(programmeId, id))) throw notFound('that recommendation');
      await record(actor, 'recommendation.revert', id, async (tx) => {
        await deps.recommendations.remove(programmeId, id, tx);
      });
    },
  };
}

export type RecommendationService = ReturnType<typeof recommendationService>;
