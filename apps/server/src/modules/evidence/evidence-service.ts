import { indexFramework } from '@kalaja/engine';
import { transaction, type Context } from '../../context.js';
import { openedOrGone } from '../../crypto/shredded.js';
import { AppError, invalid, notFound } from '../../errors.js';
import { newId } from '../../ids.js';
import { denyAsMissing, policy } from '../access/access-policy.js';
import type { Actor } from '../access/access-types.js';
import type { AssessmentStore } from '../assessments/assessment-store.js';
import type { AuditStore } from '../audit/audit-store.js';
import { requireRecentSignIn } from '../auth/step-up.js';
import type { FrameworkService } from '../frameworks/framework-service.js';
import type { ProgrammeStore } from '../programmes/programme-store.js';
import type { RoundService } from '../programmes/round-service.js';
import type { EvidenceFiles } from './evidence-files.js';
import type { EvidenceStore } from './evidence-store.js';
import { detectMediaType, evidenceName, MAX_EVIDENCE_BYTES } from './evidence-fns.js';
import type { EvidenceDownload, EvidenceUpload, EvidenceView } from './evidence-types.js';

const CONTENT = 'evidence.content';
const NAME = 'evidence.name';

/**
 * Evidence files attached to an assessment, its questions or its domains. The bytes and the
 * original name are sealed under the organisation's data key (bound to the evidence id); the
 * file lives in the evidence store, the row (media type and size in clear, for serving) in
 * the database. The organisation's members and its assessors and managers upload; whoever
 * may read the assessment downloads; the uploader or a manager deletes. Nothing is written
 * for a refused upload, and a row never points at a file that is not there.
 */
export function evidenceService(
  ctx: Pick<Context, 'db' | 'batcher' | 'vault' | 'now'>,
  deps: {
    evidence: EvidenceStore;
    /** The sealed files, under the evidence ids. */
    files: EvidenceFiles;
    assessments: Pick<AssessmentStore, 'withRound'>;
    programmes: Pick<ProgrammeStore, 'byId'>;
    frameworks: Pick<FrameworkService, 'load'>;
    audit: Pick<AuditStore, 'append'>;
    /** Files are added to open rounds only. */
    rounds: Pick<RoundService, 'requireOpen'>;
  },
) {
  const { files } = deps;
  const assessment = (id: string) => deps.assessments.withRound(id);

  /** The evidence row with its assessment's scope, or a 404 when the actor may not read that assessment. */
  async function readableEvidence(actor: Actor, evidenceId: string) {
    const e = await deps.evidence.withAssessment(evidenceId);
    denyAsMissing(
      e !== undefined &&
        policy.readAssessment(actor, { programmeId: e.programme_id, organisationId: e.organisation_id }),
      'that file',
    );
    return e;
  }

  /** Which question and domain the file belongs to, checked against the programme's framework. */
  async function placement(programmeId: string, input: { question?: string | undefined; domain?: string | undefined }) {
    if (input.question === undefined && input.domain === undefined) return { question: null, domain: null };
    const p = await deps.programmes.byId(programmeId);
    if (!p) throw notFound('that programme');
    const fw = await deps.frameworks.load(p.framework_id);
    if (input.question !== undefined) {
      const q = indexFramework(fw).questions.get(input.question);
      if (!q)
        throw invalid(`There is no question "${input.question}" in this programme's framework.`, [
          { where: 'question', message: 'unknown question' },
        ]);
      const domain = fw.domains.find((d) => d.questions.some((x) => x.id === input.question))!.id;
      if (input.domain !== undefined && input.domain !== domain)
        throw invalid(`Question "${input.question}" belongs to domain "${domain}", not "${input.domain}".`, [
          { where: 'domain', message: `the question is in domain ${domain}` },
        ]);
      return { question: input.question, domain };
    }
    if (!fw.domains.some((d) => d.id === input.domain))
      throw invalid(`There is no domain "${input.domain}" in this programme's framework.`, [
        { where: 'domain', message: 'unknown domain' },
      ]);
    return { question: null, domain: input.domain! };
  }

  return {
    /**
     * Stores one evidence file. `read` is called only once the actor is known to be allowed
     * to upload here, so a stranger's request is refused before its body is read. Checks run
     * before anything is written; the sealed file is written before its row, and removed
     * again if the row and its audit entry cannot be committed.
     */
    async upload(actor: Actor, assessmentId: string, read: () => Promise<EvidenceUpload>): Promise<EvidenceView> {
      const a = await assessment(assessmentId);
      const scope = a && { programmeId: a.programme_id, organisationId: a.organisation_id };
      denyAsMissing(
        a !== undefined && (policy.answerAssessment(actor, scope!) || policy.validateAssessment(actor, scope!)),
        'that assessment',
      );
      if (a.status === 'validated')
        throw new AppError('conflict', 'This assessment has been validated and is closed; no more files can be added.');
      await deps.rounds.requireOpen(a.round);

      const input = await read();
      const { bytes } = input.file;
      if (bytes.length > MAX_EVIDENCE_BYTES) throw new AppError('payload_too_large', 'The file is larger than 20 MiB.');
      if (bytes.length === 0) throw invalid('The file is empty.', [{ where: 'file', message: 'is empty' }]);
      const where = await placement(a.programme_id, input);
      const mediaType = await detectMediaType(bytes, input.file.declaredType, input.file.name);
      const name = evidenceName(input.file.name, mediaType);

      const id = newId();
      const sealedContent = await ctx.vault.sealFor(a.organisation_id, CONTENT, id, bytes);
      const sealedName = await ctx.vault.sealFor(a.organisation_id, NAME, id, name);
      const now = ctx.now();
      await files.put(id, sealedContent);
      try {
        await transaction(ctx, async (tx) => {
          await deps.evidence.insert(
            {
              id,
              assessmentId,
              questionId: where.question,
              domainId: where.domain,
              nameSealed: sealedName,
              mediaType,
              size: bytes.length,
              uploadedBy: actor.userId,
              at: now,
            },
            tx,
          );
          await deps.audit.append(
            actor,
            { action: 'evidence.upload', objectType: 'evidence', objectId: id, organisationId: a.organisation_id },
            now,
            tx,
          );
        });
      } catch (e) {
        await files.remove(id);
        throw e;
      }
      return {
        id,
        question: where.question,
        domain: where.domain,
        name,
        mediaType,
        size: bytes.length,
        uploadedBy: actor.userId,
        at: new Date(now).toISOString(),
      };
    },

    /**
     * What the organisation's confidential report lists of an assessment's evidence: each
     * file's name (opened), the question or domain it supports and when it was attached,
     * oldest first. No permission check: the report service decides who gets the report.
     */
    async forReport(a: { id: string; organisation_id: string }) {
      const rows = await deps.evidence.ofAssessment(a.id);
      return Promise.all(
        rows.map(async (r) => ({
          name: await openedOrGone(ctx.vault.openTextFor(a.organisation_id, NAME, r.id, r.name_sealed)),
          question: r.question_id,
          domain: r.domain_id,
          at: new Date(r.created_at).toISOString(),
        })),
      );
    },

    /** The assessment's evidence, oldest first, names opened. */
    async list(actor: Actor, assessmentId: string): Promise<EvidenceView[]> {
      const a = await assessment(assessmentId);
      denyAsMissing(
        a !== undefined &&
          policy.readAssessment(actor, { programmeId: a.programme_id, organisationId: a.organisation_id }),
        'that assessment',
      );
      const rows = await deps.evidence.ofAssessment(assessmentId);
      return Promise.all(
        rows.map(async (r) => ({
          id: r.id,
          question: r.question_id,
          domain: r.domain_id,
          // A crypto-shredded organisation's files answer 410 gone, not 500.
          name: await openedOrGone(ctx.vault.openTextFor(a.organisation_id, NAME, r.id, r.name_sealed)),
          mediaType: r.media_type,
          size: r.size,
          uploadedBy: r.uploaded_by,
          at: new Date(r.created_at).toISOString(),
        })),
      );
    },

    /**
     * One file, opened, with the name and media type to serve it under. Each download is
     * audited once the file opens: evidence can show exactly where an organisation is weak,
     * and a takeover that carries it away should leave a trace.
     */
    async download(actor: Actor, evidenceId: string): Promise<EvidenceDownload> {
      const e = await readableEvidence(actor, evidenceId);
      let sealed: Buffer;
      try {
        sealed = await files.get(evidenceId);
      } catch (error) {
        // Deleted between reading the row and reading the file.
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw notFound('that file');
        throw error;
      }
      // A crypto-shredded organisation's files answer 410 gone, not 500.
      const name = await openedOrGone(ctx.vault.openTextFor(e.organisation_id, NAME, e.id, e.name_sealed));
      const bytes = await openedOrGone(ctx.vault.openFor(e.organisation_id, CONTENT, e.id, sealed));
      await transaction(ctx, (tx) =>
        deps.audit.append(
          actor,
          {
            action: 'evidence.download',
            objectType: 'evidence',
            objectId: evidenceId,
            organisationId: e.organisation_id,
          },
          ctx.now(),
          tx,
        ),
      );
      return { name, mediaType: e.media_type, bytes };
    },

    /**
     * Deletes a file: its uploader while the assessment is open, or a programme manager at
     * any time (a file uploaded by mistake may hold personal data), after a recent sign-in.
     * The row and its audit entry go first; the file follows once they are committed.
     */
    async remove(actor: Actor, evidenceId: string): Promise<void> {
      const e = await readableEvidence(actor, evidenceId);
      const manager = policy.manageProgramme(actor, e.programme_id);
      if (!manager && e.uploaded_by !== actor.userId)
        throw new AppError('forbidden', 'Only the person who uploaded a file, or a programme manager, can delete it.');
      if (!manager && e.status === 'validated')
        throw new AppError('conflict', 'This assessment has been validated and is closed; ask a programme manager.');
      // A closed round is read-only; a manager may still take a file out (one uploaded by mistake), audited.
      if (!manager && e.round_closed_at !== null)
        throw new AppError(
          'conflict',
          `The round "${e.round}" is closed: its files can no longer be changed. Ask a programme manager.`,
          [{ where: 'round', message: 'closed' }],
        );
      // A deletion cannot be undone: it needs a recent sign-in.
      requireRecentSignIn(actor, ctx.now());
      const now = ctx.now();
      await transaction(ctx, async (tx) => {
        await deps.evidence.remove(evidenceId, tx);
        await deps.audit.append(
          actor,
          {
            action: 'evidence.delete',
            objectType: 'evidence',
            objectId: evidenceId,
            organisationId: e.organisation_id,
          },
          now,
          tx,
        );
      });
      await files.remove(evidenceId);
    },
  };
}

export type EvidenceService = ReturnType<typeof evidenceService>;
