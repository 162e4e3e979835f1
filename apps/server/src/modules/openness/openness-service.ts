import type { z } from 'zod';
import type {
  indicatorAnswerInput,
  indicatorRow,
  indicatorSheet,
  institution as institutionSchema,
  institutionInput,
  questionnaireLink,
  questionnaireSubmission,
  questionnaireView,
  waveStatus,
} from '@kalaja/contracts';
import {
  NA,
  scoreInstitution,
  subjectOf,
  textFor,
  toChoices,
  type AnswerEvidence,
  type AnswerSet,
  type Choices,
  type Framework,
  type IndicatorSource,
  type InstitutionInfo,
  type Locale,
  type Recommendation,
} from '@kalaja/engine';
import { transaction, type Context } from '../../context.js';
import { SealError } from '../../crypto/seal.js';
import type { OrganisationKeyStore } from '../../crypto/organisation-key-store.js';
import { AppError, conflict, invalid, notFound } from '../../errors.js';
import { evenly } from '../../http/unseen.js';
import type { ReportInput } from '../../reports/make-report.js';
import type { ReportRenderer } from '../../reports/render-pool.js';
import { REPORT_MEDIA_TYPES, type ReportFormat } from '../../reports/render.js';
import { newId } from '../../ids.js';
import { denyAsMissing, policy } from '../access/access-policy.js';
import { linkActor, type Actor } from '../access/access-types.js';
import type { AuditStore } from '../audit/audit-store.js';
import { editOf, type RecommendationStore } from '../reports/recommendation-store.js';
import { hashToken, newToken } from '../auth/auth-tokens.js';
import type { EvidenceFiles } from '../evidence/evidence-files.js';
import { detectMediaType, evidenceName, MAX_EVIDENCE_BYTES } from '../evidence/evidence-fns.js';
import type { EvidenceDownload, EvidenceUpload } from '../evidence/evidence-types.js';
import type { FrameworkService } from '../frameworks/framework-service.js';
import type { ProgrammeService } from '../programmes/programme-service.js';
import type { ProgrammeStore } from '../programmes/programme-store.js';
import { isoDay, type RoundService } from '../programmes/round-service.js';
import type { ProgrammeView } from '../programmes/programme-types.js';
import type { UserStore } from '../users/user-store.js';
import {
  DEFAULT_LICENCE,
  freezeWave,
  type AnswerContent,
  type FrozenIndicator,
  type FrozenWave,
  type Licence,
} from './openness-fns.js';
import type { OpennessAnswerRow, OpennessStore } from './openness-store.js';

type InstitutionInput = z.infer<typeof institutionInput>;
type InstitutionView = z.infer<typeof institutionSchema>;
type IndicatorAnswerInput = z.infer<typeof indicatorAnswerInput>;
type IndicatorRow = z.infer<typeof indicatorRow>;
type IndicatorSheet = z.infer<typeof indicatorSheet>;
type WaveStatus = z.infer<typeof waveStatus>;

const CONTENT = 'openness_answers.content';
const ARCHIVE = 'openness_archives.content';
const ARCHIVE_NAME = 'openness_archives.name';
/** An archived copy is a PDF or a screenshot. */
const ARCHIVE_TYPES = new Set(['application/pdf', 'image/png', 'image/jpeg', 'image/webp']);
/** A questionnaire link lasts thirty days and is used once. */
const LINK_DAYS = 30;
const DAY = 86_400_000;
/** The least time a link's answer takes, found or not (see http/unseen.ts). */
export const LINK_FLOOR_MS = 150;

const iso = (ms: number | null) => (ms === null ? null : new Date(Number(ms)).toISOString());
const stale = () =>
  new AppError(
    'precondition_failed',
    'This indicator was changed by someone else meanwhile. Reload to see the latest, then make your change again.',
  );

/**
 * The paper's rules name an institution in a recommendation's id (`principle-priority:<name>:<principle>`);
 * the review's ids are plain (`[A-Za-z0-9:._-]`), so the app keeps them with the institution's id
 * in its place and swaps it back for the engine. Longest first, so a name that begins another is
 * not taken for it.
 */
export function recommendationIds(institutions: readonly { id: string; name: string }[]) {
  const swap = (id: string, from: 'name' | 'id') => {
    const colon = id.indexOf(':');
    if (colon < 0) return id;
    const rule = id.slice(0, colon);
    const rest = id.slice(colon + 1);
    const pairs = institutions
      .map((i) => (from === 'name' ? [i.name, i.id] : [i.id, i.name]))
      .sort((a, b) => b[0]!.length - a[0]!.length);
    for (const [a, b] of pairs)
      if (rest === a || rest.startsWith(`${a}:`)) return `${rule}:${b}${rest.slice(a!.length)}`;
    return id;
  };
  return { toApp: (id: string) => swap(id, 'name'), toPaper: (id: string) => swap(id, 'id') };
}

/**
 * The openness index for its research team (docs/contracts.md, §11; decision 0015). An index is a
 * programme pinned to an institution framework; its institutions are organisations of the
 * programme, each with its own data key; its waves are rounds; its researchers are the
 * programme's assessors, assigned per institution, and its managers. A researcher records each
 * indicator's answer with its evidence (sealed under the institution's key until published); a
 * second researcher — never the one who recorded it — validates it. Publishing freezes the wave
 * (openness-public.ts serves it).
 */
export function opennessService(
  ctx: Pick<Context, 'db' | 'batcher' | 'vault' | 'now'>,
  deps: {
    store: OpennessStore;
    programmes: Pick<ProgrammeStore, 'byId' | 'round' | 'rounds' | 'addParticipant' | 'nameTaken'>;
    programmeService: Pick<ProgrammeService, 'create'>;
    rounds: Pick<RoundService, 'requireOpen'>;
    frameworks: Pick<FrameworkService, 'load' | 'get'>;
    keys: Pick<OrganisationKeyStore, 'add'>;
    users: Pick<UserStore, 'names'>;
    files: EvidenceFiles;
    audit: Pick<AuditStore, 'append'>;
    /** The open data's licence (CC BY 4.0 unless the instance says otherwise). */
    licence?: Licence;
    /** Builds and renders the policy paper (render-pool.ts): a worker thread, never this event loop. */
    renderer: Pick<ReportRenderer, 'make' | 'recommendations'>;
    /** The team's review of the paper's drafted recommendations, kept as a programme's (reports module). */
    recommendations: Pick<RecommendationStore, 'ofProgramme'>;
  },
) {
  const { store } = deps;
  const licence = deps.licence ?? DEFAULT_LICENCE;
  const actorId = (actor: Actor) =>
    actor.userId === 'system' || actor.userId.startsWith('link:') ? null : actor.userId;
  /** The research team of an institution: its assigned researchers (assessors) and the index's managers. */
  const researcher = (actor: Actor, programmeId: string, organisationId: string) =>
    policy.validateAssessment(actor, { programmeId, organisationId });

  /** The programme and its framework, when it is an index; undefined otherwise. */
  async function indexOf(
    programmeId: string,
  ): Promise<{ id: string; name: string; frameworkId: string; fw: Framework } | undefined> {
    const p = await deps.programmes.byId(programmeId);
    if (!p) return undefined;
    const fw = await deps.frameworks.load(p.framework_id);
    if (subjectOf(fw) !== 'institution') return undefined;
    return { id: p.id, name: p.name, frameworkId: p.framework_id, fw };
  }

  /** The index, the wave and the institution, or the same 404 a missing one gets. */
  async function place(actor: Actor, programmeId: string, roundId: string, organisationId: string) {
    denyAsMissing(researcher(actor, programmeId, organisationId), 'that institution');
    const index = await indexOf(programmeId);
    const round = index && (await deps.programmes.round(programmeId, { id: roundId }));
    const inst = round && (await store.institution(programmeId, organisationId));
    if (!index || !round || !inst) throw notFound('that institution');
    return { index, round, inst };
  }

  function indicatorOf(fw: Framework, questionId: string) {
    for (const d of fw.domains)
      for (const q of d.questions) if (q.id === questionId) return { principle: d, question: q };
    throw notFound('that indicator');
  }

  async function openContent(row: OpennessAnswerRow): Promise<AnswerContent> {
    return JSON.parse(
      await ctx.vault.openTextFor(row.organisation_id, CONTENT, row.id, row.content_sealed),
    ) as AnswerContent;
  }

  /** Checks an answer against the indicator: an option, `na` where allowed, or none. */
  function checkAnswer(q: Framework['domains'][number]['questions'][number], answer: string | null, where = 'answer') {
    if (answer === null) return;
    if (answer === NA) {
      if (!q.na)
        throw invalid('This indicator cannot be marked not applicable.', [
          { where, message: 'is not applicable here' },
        ]);
      return;
    }
    if (!q.options.some((o) => o.id === answer))
      throw invalid(`"${answer}" is not an answer of this indicator.`, [
        { where, message: `must be one of ${[...q.options.map((o) => o.id), ...(q.na ? [NA] : [])].join(', ')}` },
      ]);
  }

  async function rowsOfSheet(
    index: { fw: Framework },
    roundId: string,
    organisationId: string,
    lang: string,
    /** Only this indicator (what a write answers with). */
    only?: string,
  ) {
    const all = await store.answers(roundId, organisationId);
    const rows = only === undefined ? all : all.filter((r) => r.question_id === only);
    const byQuestion = new Map(rows.map((r) => [r.question_id, r]));
    const archives = await store.archivesOf(rows.map((r) => r.id));
    const names = await deps.users.names([
      ...new Set(rows.flatMap((r) => [r.recorded_by, r.validated_by]).filter((x): x is string => x !== null)),
    ]);
    const out: IndicatorRow[] = [];
    const answers = new Map<string, string>();
    for (const d of index.fw.domains)
      for (const q of d.questions) {
        if (only !== undefined && q.id !== only) continue;
        const row = byQuestion.get(q.id);
        const c = row ? await openContent(row) : undefined;
        if (c?.answer) answers.set(q.id, c.answer);
        const option = q.options.find((o) => o.id === c?.answer);
        out.push({
          id: q.id,
          principle: d.id,
          text: textFor(q.text, lang),
          guidance: q.guidance ? textFor(q.guidance, lang) : null,
          maxPoints: q.weight,
          options: q.options.map((o) => ({ id: o.id, label: textFor(o.label, lang), points: o.score * q.weight })),
          na: q.na,
          indicatorSource: q.source ?? 'desk-research',
          answer: c?.answer ?? null,
          points: option ? option.score * q.weight : null,
          url: c?.url ?? null,
          checkedOn: c?.checkedOn ?? null,
          source: (row?.source as IndicatorSource | undefined) ?? q.source ?? 'desk-research',
          notes: c?.notes ?? '',
          interviewNotes: c?.interviewNotes ?? '',
          archives: await Promise.all(
            archives
              .filter((a) => a.answer_id === row?.id)
              .map(async (a) => ({
                id: a.id,
                name: await ctx.vault.openTextFor(a.organisation_id, ARCHIVE_NAME, a.id, a.name_sealed),
                mediaType: a.media_type,
                size: a.size,
              })),
          ),
          recordedBy:
            row?.recorded_via === 'link' ? null : row?.recorded_by ? (names.get(row.recorded_by) ?? null) : null,
          recordedVia: row ? row.recorded_via : null,
          validatedBy: row?.validated_by ? (names.get(row.validated_by) ?? null) : null,
          validatedAt: iso(row?.validated_at ?? null),
          version: row?.version ?? 0,
        });
      }
    return { out, answers, rows };
  }

  /** What the whole wave would publish now: every institution's answers and public evidence. */
  async function gatherWave(index: { id: string; fw: Framework }, roundId: string) {
    const institutions = await store.institutions(index.id);
    const rows = await store.answers(roundId);
    const archives = await store.archivesOf(rows.map((r) => r.id));
    const out = [];
    for (const inst of institutions) {
      const mine = rows.filter((r) => r.organisation_id === inst.id);
      const answers = new Map<string, string>();
      const indicators: FrozenIndicator[] = [];
      for (const r of mine) {
        const c = await openContent(r);
        if (c.answer) answers.set(r.question_id, c.answer);
        indicators.push({
          id: r.question_id,
          source: r.source,
          answer: c.answer,
          url: c.url,
          checkedOn: c.checkedOn,
          archives: await Promise.all(
            archives
              .filter((a) => a.answer_id === r.id)
              .map(async (a) => ({
                id: a.id,
                name: await ctx.vault.openTextFor(a.organisation_id, ARCHIVE_NAME, a.id, a.name_sealed),
                mediaType: a.media_type,
                size: a.size,
              })),
          ),
        });
      }
      out.push({ ...inst, answers, indicators, rows: mine });
    }
    return out;
  }

  /**
   * What a wave's policy paper is made from (§11): the wave's answers as they stand and the
   * previous wave's, the institutions' facts, each answer's link and day, the team's review of
   * the drafted recommendations; never a note. Undefined when nothing in the wave is answered.
   */
  async function paperInput(
    index: { id: string; name: string; fw: Framework },
    round: { id: string; name: string; position: number },
    language: Locale,
  ): Promise<Extract<ReportInput, { kind: 'openness' }> | undefined> {
    const rounds = await deps.programmes.rounds(index.id);
    const earlier = rounds.filter((r) => r.position < round.position).sort((a, b) => b.position - a.position)[0];
    const waves = earlier ? [earlier, round] : [round];
    const assessments = new Map<string, Map<string, Choices>>();
    const info = new Map<string, InstitutionInfo>();
    const evidence: AnswerEvidence[] = [];
    let count = 0;
    for (const w of waves) {
      for (const inst of await gatherWave(index, w.id)) {
        if (inst.answers.size === 0) continue;
        let mine = assessments.get(inst.name);
        if (!mine) assessments.set(inst.name, (mine = new Map()));
        mine.set(w.name, toChoices(index.fw, inst.answers));
        count += inst.answers.size;
        info.set(inst.name, {
          name: inst.name,
          ...(inst.type && { type: inst.type }),
          ...(inst.level && { level: inst.level }),
          ...(inst.country && { country: inst.country }),
        });
        if (w.id !== round.id) continue;
        for (const i of inst.indicators)
          if (i.url)
            evidence.push({
              institution: inst.name,
              round: w.name,
              question: i.id,
              url: i.url,
              ...(i.checkedOn && { checked: i.checkedOn }),
            });
      }
    }
    if (![...assessments.values()].some((m) => m.has(round.name))) return undefined;
    const ids = recommendationIds(await store.institutions(index.id));
    const answers: AnswerSet = {
      organisations: [...assessments.keys()],
      rounds: waves.filter((w) => [...assessments.values()].some((m) => m.has(w.name))).map((w) => w.name),
      assessments,
      count,
    };
    return {
      kind: 'openness',
      framework: index.fw,
      answers,
      options: {
        locale: language,
        title: index.name,
        generatedAt: new Date(ctx.now()).toISOString(),
        wave: round.name,
        institutions: [...info.values()],
        evidence,
        recommendationEdits: (await deps.recommendations.ofProgramme(index.id))
          .map(editOf)
          .map((e) => ({ ...e, id: ids.toPaper(e.id) })),
      },
    };
  }

  return {
    /** A new index: a programme pinned to an institution framework, its waves as rounds. */
    async createIndex(
      actor: Actor,
      input: {
        name: string;
        frameworkId: string;
        waves: { name: string; startsOn?: string | undefined; endsOn?: string | undefined }[];
      },
    ): Promise<ProgrammeView> {
      return deps.programmeService.create(
        actor,
        { name: input.name, frameworkId: input.frameworkId, rounds: input.waves },
        'institution',
      );
    },

    /** The index's institutions: all for its managers, their assigned ones for researchers. */
    async institutions(actor: Actor, programmeId: string): Promise<InstitutionView[]> {
      const manager = policy.manageProgramme(actor, programmeId);
      const assigned = actor.assignments.get(programmeId) ?? new Set<string>();
      denyAsMissing(manager || assigned.size > 0, 'that index');
      if (!(await indexOf(programmeId))) throw notFound('that index');
      return (await store.institutions(programmeId))
        .filter((r) => manager || assigned.has(r.id))
        .map((r) => ({ id: r.id, name: r.name, type: r.type, level: r.level, country: r.country }) as InstitutionView);
    },

    /** Adds an institution to an index: its organisation row with its data key, type and level. */
    async addInstitution(actor: Actor, programmeId: string, input: InstitutionInput): Promise<InstitutionView> {
      denyAsMissing(policy.manageProgramme(actor, programmeId), 'that index');
      if (!(await indexOf(programmeId)))
        throw invalid('This programme assesses organisations: add them as organisations, not institutions.', [
          { where: 'programme', message: 'is not an openness index' },
        ]);
      const id = newId();
      const now = ctx.now();
      const wrapped = ctx.vault.newWrappedKey(id);
      await transaction(ctx, async (tx) => {
        if (await deps.programmes.nameTaken(programmeId, input.name, tx))
          throw conflict(`"${input.name}" is already measured in this index.`);
        await store.insertInstitution({ organisationId: id, programmeId, ...input, at: now }, tx);
        await deps.keys.add(id, wrapped, now, tx);
        await deps.programmes.addParticipant(programmeId, id, (i) => `Institution ${i + 1}`, tx);
        await deps.audit.append(
          actor,
          { action: 'institution.create', objectType: 'institution', objectId: id, organisationId: id },
          now,
          tx,
        );
      });
      return { id, ...input };
    },

    /** One institution's indicator sheet for one wave, with every answer, its evidence and notes. */
    async sheet(
      actor: Actor,
      programmeId: string,
      roundId: string,
      organisationId: string,
      lang = 'en',
    ): Promise<IndicatorSheet> {
      const { index, round, inst } = await place(actor, programmeId, roundId, organisationId);
      const { out, answers, rows } = await rowsOfSheet(index, round.id, inst.id, lang);
      const s = scoreInstitution(index.fw, inst.id, answers);
      const published = (await store.publications(round.id)).length > 0;
      return {
        institution: {
          id: inst.id,
          name: inst.name,
          type: inst.type,
          level: inst.level,
          country: inst.country,
        } as InstitutionView,
        wave: { id: round.id, name: round.name, published },
        overall: s.overall,
        principles: s.principles,
        completeness: s.completeness,
        validated: rows.filter((r) => r.validated_at !== null).length,
        indicators: out,
      };
    },

    /**
     * Records one indicator's answer with its evidence. The answer is an option, `na` or null; the
     * URL http(s) (the schema checks it); the checked date not after today; the source one of the
     * three, the indicator's by default. A changed answer waits for validation again.
     */
    async record(
      actor: Actor,
      programmeId: string,
      roundId: string,
      organisationId: string,
      questionId: string,
      input: IndicatorAnswerInput,
      expected?: number,
    ): Promise<IndicatorRow> {
      const { index, round, inst } = await place(actor, programmeId, roundId, organisationId);
      const { question } = indicatorOf(index.fw, questionId);
      checkAnswer(question, input.answer);
      if (input.checkedOn && input.checkedOn > isoDay(ctx.now()))
        throw invalid('The date the evidence was checked is in the future.', [
          { where: 'checkedOn', message: 'may not be after today' },
        ]);
      await deps.rounds.requireOpen(round);
      const existing = await store.answer(round.id, inst.id, questionId);
      const before = existing ? await openContent(existing) : undefined;
      const content: AnswerContent = {
        answer: input.answer,
        url: input.url === undefined ? (before?.url ?? null) : input.url === '' ? null : input.url,
        checkedOn: input.checkedOn === undefined ? (before?.checkedOn ?? null) : input.checkedOn,
        notes: input.notes ?? before?.notes ?? '',
        interviewNotes: input.interviewNotes ?? before?.interviewNotes ?? '',
      };
      const source =
        input.source ?? (existing?.source as IndicatorSource | undefined) ?? question.source ?? 'desk-research';
      const id = existing?.id ?? newId();
      const sealed = await ctx.vault.sealFor(inst.id, CONTENT, id, JSON.stringify(content));
      const now = ctx.now();
      await transaction(ctx, async (tx) => {
        if (existing) {
          if (expected !== undefined && expected !== existing.version) throw stale();
          const ok = await store.updateAnswer(
            id,
            existing.version,
            {
              source,
              content_sealed: sealed,
              recorded_by: actorId(actor),
              recorded_via: 'researcher',
              recorded_at: now,
            },
            tx,
          );
          if (!ok) throw stale();
        } else {
          await store.insertAnswer(
            {
              id,
              programme_id: programmeId,
              round_id: round.id,
              organisation_id: inst.id,
              question_id: questionId,
              source,
              content_sealed: sealed,
              recorded_by: actorId(actor),
              recorded_via: 'researcher',
              recorded_at: now,
              validated_by: null,
              validated_at: null,
              version: 1,
            },
            tx,
          );
        }
        await deps.audit.append(
          actor,
          { action: 'openness.record', objectType: 'openness_answer', objectId: id, organisationId: inst.id },
          now,
          tx,
        );
      });
      return (await rowsOfSheet(index, round.id, inst.id, 'en', questionId)).out[0]!;
    },

    /**
     * Kalaja itself (the demo, never a request) records and validates a whole institution's wave
     * at once: each answer checked as `record` checks it, all in one transaction with one audit row.
     */
    async recordValidated(
      actor: Actor,
      programmeId: string,
      roundId: string,
      organisationId: string,
      answers: { indicator: string; answer: string; url: string | null; checkedOn: string | null }[],
    ): Promise<number> {
      denyAsMissing(actor.userId === 'system', 'that institution');
      const { index, round, inst } = await place(actor, programmeId, roundId, organisationId);
      await deps.rounds.requireOpen(round);
      const now = ctx.now();
      const rows: OpennessAnswerRow[] = [];
      for (const a of answers) {
        const { question } = indicatorOf(index.fw, a.indicator);
        checkAnswer(question, a.answer);
        const id = newId();
        const content: AnswerContent = {
          answer: a.answer,
          url: a.url,
          checkedOn: a.checkedOn,
          notes: '',
          interviewNotes: '',
        };
        rows.push({
          id,
          programme_id: programmeId,
          round_id: round.id,
          organisation_id: inst.id,
          question_id: a.indicator,
          source: question.source ?? 'desk-research',
          content_sealed: await ctx.vault.sealFor(inst.id, CONTENT, id, JSON.stringify(content)),
          recorded_by: null,
          recorded_via: 'researcher',
          recorded_at: now,
          validated_by: null,
          validated_at: now,
          version: 1,
        });
      }
      await transaction(ctx, async (tx) => {
        for (const r of rows) await store.insertAnswer(r, tx);
        await deps.audit.append(
          actor,
          { action: 'openness.record_wave', objectType: 'institution', objectId: inst.id, organisationId: inst.id },
          now,
          tx,
        );
      });
      return rows.length;
    },

    /** A second researcher validates an answer: anyone of the team but whoever recorded it. */
    async validate(
      actor: Actor,
      programmeId: string,
      roundId: string,
      organisationId: string,
      questionId: string,
      expected?: number,
    ): Promise<IndicatorRow> {
      const { index, round, inst } = await place(actor, programmeId, roundId, organisationId);
      indicatorOf(index.fw, questionId);
      await deps.rounds.requireOpen(round);
      const row = await store.answer(round.id, inst.id, questionId);
      if (!row || (await openContent(row)).answer === null)
        throw conflict('This indicator has no answer yet: record it before it is validated.');
      if (row.recorded_by !== null && row.recorded_by === actor.userId)
        throw new AppError('forbidden', 'A second researcher validates an answer, not the one who recorded it.');
      if (expected !== undefined && expected !== row.version) throw stale();
      const now = ctx.now();
      await transaction(ctx, async (tx) => {
        if (!(await store.validateAnswer(row.id, row.version, actorId(actor), now, tx))) throw stale();
        await deps.audit.append(
          actor,
          { action: 'openness.validate', objectType: 'openness_answer', objectId: row.id, organisationId: inst.id },
          now,
          tx,
        );
      });
      return (await rowsOfSheet(index, round.id, inst.id, 'en', questionId)).out[0]!;
    },

    /** Attaches an archived copy (PDF or screenshot) to a recorded answer. */
    async uploadArchive(
      actor: Actor,
      programmeId: string,
      roundId: string,
      organisationId: string,
      questionId: string,
      read: () => Promise<EvidenceUpload>,
    ) {
      const { index, round, inst } = await place(actor, programmeId, roundId, organisationId);
      indicatorOf(index.fw, questionId);
      await deps.rounds.requireOpen(round);
      const row = await store.answer(round.id, inst.id, questionId);
      if (!row) throw conflict('Record this indicator’s answer before attaching its archived copy.');
      const input = await read();
      const { bytes } = input.file;
      if (bytes.length > MAX_EVIDENCE_BYTES) throw new AppError('payload_too_large', 'The file is larger than 20 MiB.');
      if (bytes.length === 0) throw invalid('The file is empty.', [{ where: 'file', message: 'is empty' }]);
      const mediaType = await detectMediaType(bytes, input.file.declaredType, input.file.name);
      if (!ARCHIVE_TYPES.has(mediaType))
        throw new AppError('unsupported_media_type', 'An archived copy is a PDF or a screenshot (PNG, JPEG or WebP).', [
          { where: 'file', message: 'is not a PDF or an image' },
        ]);
      const name = evidenceName(input.file.name, mediaType);
      const id = newId();
      const sealedContent = await ctx.vault.sealFor(inst.id, ARCHIVE, id, bytes);
      const sealedName = await ctx.vault.sealFor(inst.id, ARCHIVE_NAME, id, name);
      const now = ctx.now();
      await deps.files.put(id, sealedContent);
      try {
        await transaction(ctx, async (tx) => {
          await store.insertArchive(
            {
              id,
              answer_id: row.id,
              organisation_id: inst.id,
              name_sealed: sealedName,
              media_type: mediaType,
              size: bytes.length,
              uploaded_by: actorId(actor),
              created_at: now,
            },
            tx,
          );
          await deps.audit.append(
            actor,
            { action: 'openness.archive', objectType: 'openness_archive', objectId: id, organisationId: inst.id },
            now,
            tx,
          );
        });
      } catch (e) {
        await deps.files.remove(id);
        throw e;
      }
      return { id, name, mediaType, size: bytes.length };
    },

    /** An archived copy for the research team. */
    async downloadArchive(actor: Actor, id: string): Promise<EvidenceDownload> {
      const a = await store.archive(id);
      denyAsMissing(a !== undefined && researcher(actor, a.programme_id, a.organisation_id), 'that file');
      return openArchive(a);
    },

    /** The wave's progress per institution, and its published versions: for the research team. */
    async wave(actor: Actor, programmeId: string, roundId: string): Promise<WaveStatus> {
      const manager = policy.manageProgramme(actor, programmeId);
      const assigned = actor.assignments.get(programmeId) ?? new Set<string>();
      denyAsMissing(manager || assigned.size > 0, 'that wave');
      const index = await indexOf(programmeId);
      const round = index && (await deps.programmes.round(programmeId, { id: roundId }));
      if (!index || !round) throw notFound('that wave');
      const all = await gatherWave(index, round.id);
      return {
        wave: { id: round.id, name: round.name },
        published: (await store.publications(round.id)).map((p) => ({
          version: p.version,
          publishedAt: iso(p.published_at)!,
        })),
        institutions: all
          .filter((i) => manager || assigned.has(i.id))
          .map((i) => {
            const s = scoreInstitution(index.fw, i.id, i.answers);
            return {
              id: i.id,
              name: i.name,
              country: i.country,
              overall: s.overall,
              completeness: s.completeness,
              answered: i.answers.size,
              validated: i.rows.filter((r) => r.validated_at !== null).length,
            };
          }),
      };
    },

    /**
     * Publishes the wave as it stands: a new frozen version the public reads, with the change
     * since the previous wave's latest published version. Refused while an answer waits for its
     * second researcher, and when nothing is answered.
     */
    async publish(
      actor: Actor,
      programmeId: string,
      roundId: string,
    ): Promise<{ version: number; publishedAt: string }> {
      denyAsMissing(policy.manageProgramme(actor, programmeId), 'that wave');
      const index = await indexOf(programmeId);
      const round = index && (await deps.programmes.round(programmeId, { id: roundId }));
      if (!index || !round) throw notFound('that wave');
      const all = await gatherWave(index, round.id);
      const rows = all.flatMap((i) => i.rows);
      if (!all.some((i) => i.answers.size > 0))
        throw conflict('No indicator is answered in this wave yet: there is nothing to publish.');
      const waiting = rows.filter((r) => r.validated_at === null).length;
      if (waiting > 0)
        throw conflict(
          `${waiting} answers are waiting for a second researcher’s validation: validate them before the wave is published.`,
        );
      const rounds = await deps.programmes.rounds(programmeId);
      const earlier = rounds.filter((r) => r.position < round.position).sort((a, b) => b.position - a.position)[0];
      const previousRow = earlier ? (await store.publications(earlier.id))[0] : undefined;
      const fwRow = await deps.programmes.byId(programmeId);
      const frozen = freezeWave(
        index.fw,
        {
          index: { id: index.id, name: index.name },
          wave: { id: round.id, name: round.name, previous: previousRow ? earlier!.name : null },
          framework: { id: fwRow!.framework_id, key: index.fw.id, version: index.fw.version, scale: index.fw.scale },
          licence,
        },
        all,
        previousRow ? (JSON.parse(previousRow.content) as FrozenWave) : undefined,
      );
      const now = ctx.now();
      const version = ((await store.publications(round.id))[0]?.version ?? 0) + 1;
      const id = newId();
      await transaction(ctx, async (tx) => {
        await store.insertPublication(
          {
            id,
            programme_id: programmeId,
            round_id: round.id,
            version,
            content: JSON.stringify(frozen),
            published_by: actorId(actor),
            published_at: now,
          },
          tx,
        );
        await deps.audit.append(
          actor,
          { action: 'openness.publish', objectType: 'openness_publication', objectId: id, organisationId: null },
          now,
          tx,
        );
      });
      return { version, publishedAt: iso(now)! };
    },

    /**
     * The wave's policy paper (docs/contracts.md, §11) as PDF, DOCX or HTML in a language: for the
     * index's managers, the same who publish the wave. Made from the wave's answers as they stand
     * (published or not) beside the previous wave's, the institutions' type, level and country,
     * and each answer's evidence link and day; the team's notes and interview notes stay out. The
     * answers are opened here and handed, as plain data, to the render worker. Audited.
     */
    async paper(
      actor: Actor,
      programmeId: string,
      roundId: string,
      format: ReportFormat,
      language: Locale,
    ): Promise<{ name: string; mediaType: string; bytes: Uint8Array }> {
      denyAsMissing(policy.manageProgramme(actor, programmeId), 'that wave');
      const index = await indexOf(programmeId);
      const round = index && (await deps.programmes.round(programmeId, { id: roundId }));
      if (!index || !round) throw notFound('that wave');
      const input = await paperInput(index, round, language);
      if (!input) throw conflict('No indicator is answered in this wave yet: there is no policy paper to make.');
      const { bytes } = await deps.renderer.make(input, format);
      const now = ctx.now();
      await transaction(ctx, (tx) =>
        deps.audit.append(
          actor,
          { action: 'openness.paper', objectType: 'round', objectId: round.id, organisationId: null },
          now,
          tx,
        ),
      );
      return {
        name: `${index.name} - ${round.name} - policy paper (${language}).${format}`,
        mediaType: REPORT_MEDIA_TYPES[format],
        bytes,
      };
    },

    /**
     * The recommendations the rules draft for the policy paper of the index's latest wave with
     * anything answered, before the team's review: what the reports module's review shows for an
     * index (recommendation-service.ts). Undefined when the programme is not an index; empty
     * while nothing is answered. Drafted in the render worker, off the event loop.
     */
    async paperDrafts(programmeId: string, language: Locale): Promise<Recommendation[] | undefined> {
      const index = await indexOf(programmeId);
      if (!index) return undefined;
      const rounds = [...(await deps.programmes.rounds(programmeId))].sort((a, b) => b.position - a.position);
      for (const round of rounds) {
        const input = await paperInput(index, round, language);
        if (!input) continue;
        const ids = recommendationIds(await store.institutions(index.id));
        const drafts = await deps.renderer.recommendations({
          ...input,
          options: { ...input.options, recommendationEdits: [] },
        });
        return drafts.map((d) => ({ ...d, id: ids.toApp(d.id) }));
      }
      return [];
    },

    /** A one-time link for the institution's contact to answer the wave's questionnaire indicators. */
    async issueLink(
      actor: Actor,
      programmeId: string,
      roundId: string,
      organisationId: string,
    ): Promise<z.infer<typeof questionnaireLink>> {
      const { index, round, inst } = await place(actor, programmeId, roundId, organisationId);
      if (!index.fw.domains.some((d) => d.questions.some((q) => q.source === 'questionnaire')))
        throw conflict('This framework has no questionnaire indicators to send.');
      const token = newToken();
      const now = ctx.now();
      const id = newId();
      await transaction(ctx, async (tx) => {
        await store.insertLink(
          {
            id,
            token_hash: hashToken(token),
            programme_id: programmeId,
            round_id: round.id,
            organisation_id: inst.id,
            created_by: actorId(actor),
            created_at: now,
            expires_at: now + LINK_DAYS * DAY,
            used_at: null,
          },
          tx,
        );
        await deps.audit.append(
          actor,
          { action: 'openness.link', objectType: 'openness_link', objectId: id, organisationId: inst.id },
          now,
          tx,
        );
      });
      return { token, path: `/questionnaire/${token}`, expiresAt: iso(now + LINK_DAYS * DAY)! };
    },

    /** What a questionnaire link opens: the institution's questionnaire indicators; 404 when unknown, used or expired. */
    async linkView(token: string, lang = 'en'): Promise<z.infer<typeof questionnaireView>> {
      return evenly(LINK_FLOOR_MS, async () => {
        const { index, round, inst } = await openLink(token);
        const rows = await store.answers(round.id, inst.id);
        const contents = new Map<string, string | null>();
        for (const r of rows)
          if (r.source === 'questionnaire') contents.set(r.question_id, (await openContent(r)).answer);
        return {
          institution: inst.name,
          index: index.name,
          wave: round.name,
          indicators: index.fw.domains.flatMap((d) =>
            d.questions
              .filter((q) => q.source === 'questionnaire')
              .map((q) => ({
                id: q.id,
                text: textFor(q.text, lang),
                guidance: q.guidance ? textFor(q.guidance, lang) : null,
                options: q.options.map((o) => ({ id: o.id, label: textFor(o.label, lang) })),
                na: q.na,
                answer: contents.get(q.id) ?? null,
              })),
          ),
        };
      });
    },

    /**
     * The contact's answers through the link, once: each a questionnaire indicator's option, with
     * an optional link to where it can be checked. All or nothing; the researchers validate them.
     */
    async linkSubmit(
      token: string,
      body: z.infer<typeof questionnaireSubmission>,
      requestId: string,
    ): Promise<{ saved: number }> {
      return evenly(LINK_FLOOR_MS, async () => {
        const { link, index, round, inst } = await openLink(token);
        const seen = new Set<string>();
        const problems: { where: string; message: string }[] = [];
        body.answers.forEach((a, i) => {
          let q;
          try {
            q = indicatorOf(index.fw, a.indicator).question;
          } catch {
            problems.push({ where: `answers.${i}.indicator`, message: 'is not an indicator of this questionnaire' });
            return;
          }
          if (q.source !== 'questionnaire')
            problems.push({ where: `answers.${i}.indicator`, message: 'is not an indicator of this questionnaire' });
          else if (seen.has(a.indicator))
            problems.push({ where: `answers.${i}.indicator`, message: 'is answered twice' });
          else
            try {
              checkAnswer(q, a.answer, `answers.${i}.answer`);
            } catch (e) {
              problems.push(...((e as AppError).details ?? []));
            }
          seen.add(a.indicator);
        });
        if (problems.length > 0) throw invalid('Some answers are not valid.', problems);
        await deps.rounds.requireOpen(round);
        const actor = linkActor(link.id, requestId);
        const now = ctx.now();
        const existing = new Map((await store.answers(round.id, inst.id)).map((r) => [r.question_id, r]));
        const writes: { id: string; before: OpennessAnswerRow | undefined; sealed: Uint8Array; q: string }[] = [];
        for (const a of body.answers) {
          const before = existing.get(a.indicator);
          const id = before?.id ?? newId();
          const old = before ? await openContent(before) : undefined;
          const content: AnswerContent = {
            answer: a.answer,
            url: a.url ? a.url : (old?.url ?? null),
            checkedOn: isoDay(now),
            notes: old?.notes ?? '',
            interviewNotes: old?.interviewNotes ?? '',
          };
          writes.push({
            id,
            before,
            sealed: await ctx.vault.sealFor(inst.id, CONTENT, id, JSON.stringify(content)),
            q: a.indicator,
          });
        }
        await transaction(ctx, async (tx) => {
          if (!(await store.useLink(link.id, now, tx))) throw notFound('that questionnaire');
          for (const w of writes) {
            if (w.before) {
              if (
                !(await store.updateAnswer(
                  w.id,
                  w.before.version,
                  {
                    source: 'questionnaire',
                    content_sealed: w.sealed,
                    recorded_by: null,
                    recorded_via: 'link',
                    recorded_at: now,
                  },
                  tx,
                ))
              )
                throw stale();
            } else
              await store.insertAnswer(
                {
                  id: w.id,
                  programme_id: link.programme_id,
                  round_id: round.id,
                  organisation_id: inst.id,
                  question_id: w.q,
                  source: 'questionnaire',
                  content_sealed: w.sealed,
                  recorded_by: null,
                  recorded_via: 'link',
                  recorded_at: now,
                  validated_by: null,
                  validated_at: null,
                  version: 1,
                },
                tx,
              );
          }
          await deps.audit.append(
            actor,
            {
              action: 'openness.questionnaire',
              objectType: 'openness_link',
              objectId: link.id,
              organisationId: inst.id,
            },
            now,
            tx,
          );
        });
        return { saved: writes.length };
      });
    },
  };

  async function openLink(token: string) {
    const link = await store.linkByHash(hashToken(token));
    if (!link || link.used_at !== null || link.expires_at < ctx.now()) throw notFound('that questionnaire');
    const index = await indexOf(link.programme_id);
    const round = index && (await deps.programmes.round(link.programme_id, { id: link.round_id }));
    const inst = round && (await store.institution(link.programme_id, link.organisation_id));
    if (!index || !round || !inst) throw notFound('that questionnaire');
    return { link, index, round, inst };
  }

  async function openArchive(a: { id: string; organisation_id: string; name_sealed: Uint8Array; media_type: string }) {
    try {
      return {
        name: await ctx.vault.openTextFor(a.organisation_id, ARCHIVE_NAME, a.id, a.name_sealed),
        mediaType: a.media_type,
        bytes: await ctx.vault.openFor(a.organisation_id, ARCHIVE, a.id, await deps.files.get(a.id)),
      };
    } catch (e) {
      if (e instanceof SealError) throw new AppError('gone', 'This file can no longer be opened.');
      throw e;
    }
  }
}

export type OpennessService = ReturnType<typeof opennessService>;

/** Opens an archived copy that a published version names (for the public pages). */
export { ARCHIVE as ARCHIVE_FIELD, ARCHIVE_NAME as ARCHIVE_NAME_FIELD };
