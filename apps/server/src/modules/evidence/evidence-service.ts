import { LIMITS } from '@kalaja/contracts/limits';
import { isUtf8 } from 'node:buffer';
import { indexFramework } from '@kalaja/engine';
import { fileTypeFromBuffer } from 'file-type';
import { transaction, type Context } from '../../context.js';
import { openedOrGone } from '../../crypto/shredded.js';
import { AppError, invalid, notFound } from '../../errors.js';
import { newId } from '../../ids.js';
import { denyAsMissing, policy } from '../access/access-policy.js';
import type { Actor } from '../access/access-types.js';
import { appendAudit } from '../audit/audit-store.js';
import type { FrameworkService } from '../frameworks/framework-service.js';
import { evidenceDirectory, type EvidenceFiles } from './evidence-store.js';

/** The largest evidence file accepted: 20 MiB, the contracts' limit the web app checks too. */
export const MAX_EVIDENCE_BYTES = LIMITS.evidenceFile;
/** Original file names are kept up to this many characters (the extension is kept). */
export const MAX_EVIDENCE_NAME = 200;

/** What the route read from the upload, before anything about it is trusted. */
export interface EvidenceUpload {
  question?: string | undefined;
  domain?: string | undefined;
  file: {
    /** The name the client gave; only ever shown back, never used as a path. */
    name: string;
    /** The Content-Type the client gave the part; checked against the bytes. */
    declaredType: string;
    bytes: Buffer;
  };
}

export interface EvidenceView {
  id: string;
  question: string | null;
  domain: string | null;
  name: string;
  mediaType: string;
  size: number;
  uploadedBy: string;
  at: string;
}

export interface EvidenceDownload {
  name: string;
  mediaType: string;
  bytes: Buffer;
}

/** The kinds of file accepted, by the media type detected from their bytes, with the extensions each may carry. */
const ACCEPTED: ReadonlyMap<string, readonly string[]> = new Map([
  ['application/pdf', ['.pdf']],
  ['image/png', ['.png']],
  ['image/jpeg', ['.jpg', '.jpeg']],
  ['image/webp', ['.webp']],
  ['application/vnd.openxmlformats-officedocument.wordprocessingml.document', ['.docx']],
  ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', ['.xlsx']],
  ['application/vnd.oasis.opendocument.text', ['.odt']],
  ['application/vnd.oasis.opendocument.spreadsheet', ['.ods']],
  ['text/plain', ['.txt', '.md', '.csv']],
]);

/** Other names clients use for an accepted type. */
const ALIASES: Readonly<Record<string, string>> = {
  'image/jpg': 'image/jpeg',
  'image/pjpeg': 'image/jpeg',
  'application/x-pdf': 'application/pdf',
};

/** Declarations that say nothing about the content: browsers send them for types they do not know. */
const UNDECLARED = new Set(['', 'application/octet-stream']);

/**
 * What text files may be declared as when their name says text. Excel on Windows makes
 * browsers label every `.csv` as `application/vnd.ms-excel`.
 */
const TEXT_DECLARATIONS = new Set([
  'text/plain',
  'text/markdown',
  'text/x-markdown',
  'text/csv',
  'application/csv',
  'application/vnd.ms-excel',
]);

const TEXT_EXTENSIONS = ACCEPTED.get('text/plain')!;

const WHAT_IS_ACCEPTED =
  'PDF, PNG, JPEG, WebP, Word (.docx), Excel (.xlsx), OpenDocument text (.odt) or spreadsheet (.ods), or plain text';

/** A media type worth repeating back in a message; anything else the client sent is not echoed. */
const MEDIA_TYPE = /^[a-z0-9][a-z0-9.+-]{0,60}\/[a-z0-9][a-z0-9.+-]{0,100}$/;

const unsupported = (message: string) => new AppError('unsupported_media_type', message);

function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot).toLowerCase() : '';
}

/** `text/plain; charset=utf-8` → `text/plain`, with aliases resolved. */
function normaliseType(declared: string): string {
  const bare = (declared.split(';')[0] ?? '').trim().toLowerCase();
  return ALIASES[bare] ?? bare;
}

/** Tab, line feed, form feed, carriage return, space: what browsers skip before sniffing. */
const WHITESPACE = new Set([0x09, 0x0a, 0x0c, 0x0d, 0x20]);

/**
 * True when a text file opens with markup (after whitespace and a byte-order mark): HTML,
 * XML, SVG. Browsers sniff such a file as a page, so it is refused even when declared as
 * text. Text that merely mentions a tag further in (a report quoting `<script>`) is plain
 * text: it is always served as `text/plain`, as an attachment, with `nosniff`.
 */
export function startsWithMarkup(bytes: Uint8Array): boolean {
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (i < bytes.length && WHITESPACE.has(bytes[i]!)) i++;
  return bytes[i] === 0x3c; // <
}

/**
 * Decides what an upload is from its bytes, never from the client's label alone: the media
 * type Kalaja will store and serve, or a 415 that says why. A type detected from the bytes
 * must match what the client declared (a declaration of nothing in particular, like
 * `application/octet-stream`, matches anything). Plain text cannot be detected, so it is
 * accepted only as valid UTF-8 without NUL bytes or leading markup, declared `text/plain` or
 * named `.txt`, `.md` or `.csv`.
 *
 * @example
 *   await detectMediaType(pdfBytes, 'application/pdf', 'policy.pdf') // 'application/pdf'
 *   await detectMediaType(pdfBytes, 'image/png', 'photo.png')        // throws 415
 */
export async function detectMediaType(bytes: Uint8Array, declaredType: string, name: string): Promise<string> {
  const declared = normaliseType(declaredType);
  const detected = await fileTypeFromBuffer(bytes);
  if (detected) {
    const mime = ALIASES[detected.mime] ?? detected.mime;
    if (!ACCEPTED.has(mime) || mime === 'text/plain')
      throw unsupported(
        `This kind of file (.${detected.ext}) is not accepted as evidence. Upload ${WHAT_IS_ACCEPTED}.`,
      );
    if (!UNDECLARED.has(declared) && declared !== mime)
      throw unsupported(
        `The file was sent as ${MEDIA_TYPE.test(declared) ? declared : 'another type'} but its content is ${detected.ext.toUpperCase()}; upload it again as what it is.`,
      );
    return mime;
  }
  const saysText =
    declared === 'text/plain' ||
    (TEXT_EXTENSIONS.includes(extensionOf(name)) && (UNDECLARED.has(declared) || TEXT_DECLARATIONS.has(declared)));
  if (!saysText) throw unsupported(`This kind of file is not accepted as evidence. Upload ${WHAT_IS_ACCEPTED}.`);
  if (!isUtf8(bytes) || bytes.includes(0))
    throw unsupported('This text file is not UTF-8 text. Save it as UTF-8, or upload it as PDF.');
  if (startsWithMarkup(bytes))
    throw unsupported(
      'Web pages and other markup (HTML, XML, SVG) are not accepted as evidence. Print the page to PDF instead.',
    );
  return 'text/plain';
}

/**
 * The name to keep and to offer on download: the last path segment, without control or
 * direction-override characters, at most 200 characters, and with an extension that matches
 * its content — `report.html` that is really a PDF becomes `report.html.pdf`, so a
 * downloaded file never opens as something other than what it was checked to be.
 */
export function evidenceName(given: string, mediaType: string): string {
  const extensions = ACCEPTED.get(mediaType) ?? [];
  let name = given
    .normalize('NFC')
    .replace(/^.*[/\\]/, '')
    // C0/C1 controls, and bidirectional overrides that can make `exe.pdf` read as `fdp.exe`.
    .replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '') // eslint-disable-line no-control-regex
    .trim();
  if (name === '' || name === '.' || name === '..') name = 'evidence';
  const ext = extensionOf(name);
  if (!extensions.includes(ext)) name += extensions[0] ?? '';
  const finalExt = extensionOf(name);
  const chars = [...name];
  if (chars.length > MAX_EVIDENCE_NAME) {
    const base = chars.slice(0, chars.length - finalExt.length).slice(0, MAX_EVIDENCE_NAME - finalExt.length);
    name = base.join('').trimEnd() + finalExt;
  }
  return name;
}

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
  ctx: Context,
  deps: { dir: string; frameworks: FrameworkService; files?: EvidenceFiles },
) {
  const files = deps.files ?? evidenceDirectory(deps.dir);

  async function assessment(id: string) {
    return ctx.db
      .selectFrom('assessments')
      .select(['id', 'programme_id', 'organisation_id', 'status'])
      .where('id', '=', id)
      .executeTakeFirst();
  }

  /** The evidence row with its assessment's scope, or a 404 when the actor may not read that assessment. */
  async function readableEvidence(actor: Actor, evidenceId: string) {
    const e = await ctx.db
      .selectFrom('evidence')
      .innerJoin('assessments', 'assessments.id', 'evidence.assessment_id')
      .selectAll('evidence')
      .select(['assessments.programme_id', 'assessments.organisation_id', 'assessments.status'])
      .where('evidence.id', '=', evidenceId)
      .executeTakeFirst();
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
    const p = await ctx.db
      .selectFrom('programmes')
      .select('framework_id')
      .where('id', '=', programmeId)
      .executeTakeFirstOrThrow();
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
          await tx
            .insertInto('evidence')
            .values({
              id,
              assessment_id: assessmentId,
              question_id: where.question,
              domain_id: where.domain,
              name_sealed: sealedName,
              media_type: mediaType,
              size: bytes.length,
              uploaded_by: actor.userId,
              created_at: now,
            })
            .execute();
          await appendAudit(
            tx,
            ctx.dialect,
            actor,
            { action: 'evidence.upload', objectType: 'evidence', objectId: id, organisationId: a.organisation_id },
            now,
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

    /** The assessment's evidence, oldest first, names opened. */
    async list(actor: Actor, assessmentId: string): Promise<EvidenceView[]> {
      const a = await assessment(assessmentId);
      denyAsMissing(
        a !== undefined &&
          policy.readAssessment(actor, { programmeId: a.programme_id, organisationId: a.organisation_id }),
        'that assessment',
      );
      const rows = await ctx.db
        .selectFrom('evidence')
        .selectAll()
        .where('assessment_id', '=', assessmentId)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
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
        appendAudit(
          tx,
          ctx.dialect,
          actor,
          {
            action: 'evidence.download',
            objectType: 'evidence',
            objectId: evidenceId,
            organisationId: e.organisation_id,
          },
          ctx.now(),
        ),
      );
      return { name, mediaType: e.media_type, bytes };
    },

    /**
     * Deletes a file: its uploader while the assessment is open, or a programme manager at
     * any time (a file uploaded by mistake may hold personal data). The row and its audit
     * entry go first; the file follows once they are committed.
     */
    async remove(actor: Actor, evidenceId: string): Promise<void> {
      const e = await readableEvidence(actor, evidenceId);
      const manager = policy.manageProgramme(actor, e.programme_id);
      if (!manager && e.uploaded_by !== actor.userId)
        throw new AppError('forbidden', 'Only the person who uploaded a file, or a programme manager, can delete it.');
      if (!manager && e.status === 'validated')
        throw new AppError('conflict', 'This assessment has been validated and is closed; ask a programme manager.');
      const now = ctx.now();
      await transaction(ctx, async (tx) => {
        await tx.deleteFrom('evidence').where('id', '=', evidenceId).execute();
        await appendAudit(
          tx,
          ctx.dialect,
          actor,
          {
            action: 'evidence.delete',
            objectType: 'evidence',
            objectId: evidenceId,
            organisationId: e.organisation_id,
          },
          now,
        );
      });
      await files.remove(evidenceId);
    },
  };
}

export type EvidenceService = ReturnType<typeof evidenceService>;
