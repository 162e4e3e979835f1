import type { DomainAccount } from '@kalaja/engine';
import { transaction, type Context } from '../../context.js';
import { openedOrGone } from '../../crypto/shredded.js';
import { AppError, invalid, notFound } from '../../errors.js';
import { denyAsMissing, policy } from '../access/access-policy.js';
import type { Actor } from '../access/access-types.js';
import type { AuditStore } from '../audit/audit-store.js';
import type { FrameworkService } from '../frameworks/framework-service.js';
import type { ProgrammeStore } from '../programmes/programme-store.js';
import { roundNotOpen, type RoundService } from '../programmes/round-service.js';
import type { AccountAuthor, AccountStore } from './account-store.js';
import type { AssessmentStore } from './assessment-store.js';

const FIELD = 'domain_accounts.body';
const rowId = (assessmentId: string, domain: string, author: AccountAuthor) => `${assessmentId}/${domain}/${author}`;

export interface AccountView {
  domain: string;
  by: AccountAuthor;
  text: string;
  updatedBy: string;
  updatedAt: string;
  version: number;
}

/**
 * The qualitative reassessment: per domain of an assessment in a round after the first, the
 * assessor's account of what changed since the round before and why (what was said, what was
 * seen), and the organisation's own. Whoever reads the assessment reads both — they go into the
 * organisation's report beside its numbers — the assigned assessors and the managers write the
 * assessor's, the organisation's members their own. Sealed under the organisation's key,
 * written while the round is open, each write audited.
 */
export function accountService(
  ctx: Pick<Context, 'db' | 'batcher' | 'vault' | 'now'>,
  deps: {
    accounts: AccountStore;
    assessments: Pick<AssessmentStore, 'withRound' | 'lockStatus'>;
    programmes: Pick<ProgrammeStore, 'byId'>;
    frameworks: Pick<FrameworkService, 'load'>;
    rounds: Pick<RoundService, 'requireOpen'>;
    audit: Pick<AuditStore, 'append'>;
  },
) {
  async function readable(actor: Actor, id: string) {
    const a = await deps.assessments.withRound(id);
    denyAsMissing(
      a !== undefined &&
        policy.readAssessment(actor, { programmeId: a.programme_id, organisationId: a.organisation_id }),
      'that assessment',
    );
    return a;
  }

  async function opened(a: { id: string; organisation_id: string }): Promise<AccountView[]> {
    const rows = await deps.accounts.ofAssessment(a.id);
    return Promise.all(
      rows.map(async (r) => ({
        domain: r.domain_id,
        by: r.author,
        text: await openedOrGone(
          ctx.vault.openTextFor(a.organisation_id, FIELD, rowId(a.id, r.domain_id, r.author), r.body_sealed),
        ),
        updatedBy: r.updated_by,
        updatedAt: new Date(Number(r.updated_at)).toISOString(),
        version: r.version,
      })),
    );
  }

  return {
    async list(actor: Actor, assessmentId: string): Promise<AccountView[]> {
      return opened(await readable(actor, assessmentId));
    },

    /** For the organisation report: both accounts of every domain. No permission check (callers decide). */
    async forReport(a: { id: string; organisation_id: string }): Promise<DomainAccount[]> {
      return (await opened(a)).map((x) => ({ domain: x.domain, by: x.by, text: x.text }));
    },

    /** Writes (or, with an empty text, takes back) one account of one domain. */
    async save(
      actor: Actor,
      assessmentId: string,
      domain: string,
      by: AccountAuthor,
      input: { text: string },
      expectedVersion?: number,
    ): Promise<{ domain: string; by: AccountAuthor; version: number }> {
      const a = await readable(actor, assessmentId);
      const scope = { programmeId: a.programme_id, organisationId: a.organisation_id };
      // Kalaja itself (the demo) writes either; a person only their own side.
      const allowed =
        actor.userId === 'system' ||
        (by === 'assessor' ? policy.validateAssessment(actor, scope) : policy.answerAssessment(actor, scope));
      if (!allowed)
        throw new AppError(
          'forbidden',
          by === 'assessor'
            ? 'Only the assigned assessor writes the assessor’s account.'
            : 'Only the organisation writes its own account.',
        );
      const p = await deps.programmes.byId(a.programme_id);
      if (!p) throw notFound('that programme');
      const fw = await deps.frameworks.load(p.framework_id);
      if (!fw.domains.some((d) => d.id === domain))
        throw invalid(`There is no domain "${domain}" in this programme's framework.`, [
          { where: 'domain', message: 'unknown domain' },
        ]);
      if (a.round.position === 0)
        throw new AppError(
          'conflict',
          `The round "${a.round.name}" is the first: an account of what changed belongs to a round after it.`,
        );
      await deps.rounds.requireOpen(a.round);
      const text = input.text.trim();
      const sealed =
        text === '' ? null : await ctx.vault.sealFor(a.organisation_id, FIELD, rowId(a.id, domain, by), text);
      const now = ctx.now();
      return transaction(ctx, async (tx) => {
        const key = { assessmentId, domainId: domain, author: by };
        let version: number | undefined;
        if (sealed)
          version = await deps.accounts.save({ ...key, sealed, by: actor.userId, at: now }, expectedVersion, tx);
        else
          version =
            (await deps.accounts.remove(key, expectedVersion, tx)) || expectedVersion === undefined ? 0 : undefined;
        if (version === undefined)
          throw new AppError(
            'precondition_failed',
            'This account was changed by someone else meanwhile. Reload to see the latest, then save again.',
          );
        // A close of the round that committed meanwhile wins.
        if ((await deps.assessments.lockStatus(assessmentId, 'share', tx))?.roundClosed)
          throw roundNotOpen({ ...a.round, closed_at: 1 });
        await deps.audit.append(
          actor,
          {
            action: `account.${by}.${sealed ? 'save' : 'delete'}`,
            objectType: 'assessment',
            objectId: assessmentId,
            organisationId: a.organisation_id,
          },
          now,
          tx,
        );
        return { domain, by, version };
      });
    },
  };
}

export type AccountService = ReturnType<typeof accountService>;
