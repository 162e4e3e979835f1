import {
  differOnlyInTranslations,
  indexFramework,
  subjectOf,
  inLanguage,
  loadFramework,
  textFor,
  type Framework,
  type Locale,
} from '@kalaja/engine';
import { AppError, conflict, notFound } from '../../errors.js';
import { newId } from '../../ids.js';
import { transaction, type Context } from '../../context.js';
import type { Executor } from '../../db/database.js';
import { policy, denyAsMissing } from '../access/access-policy.js';
import type { Actor } from '../access/access-types.js';
import type { AuditStore } from '../audit/audit-store.js';
import type { FrameworkStore } from './framework-store.js';
import type { FrameworkSummary } from './framework-types.js';

/** Parsed frameworks by id. Imported versions are immutable, so the cache never goes stale. */
const parsed = new Map<string, Framework>();
/** A framework's texts in one language (`inLanguage`), by id and language, with what they came from. */
const inOneLanguage = new Map<string, { from: Framework; value: Framework }>();

/**
 * Frameworks are data: imported from YAML or JSON through the engine's loader, stored with
 * their source, and never changed once imported — a new version lives beside the old, and a
 * programme pins one.
 */
export function frameworkService(
  ctx: Pick<Context, 'db' | 'batcher' | 'now'>,
  deps: { frameworks: FrameworkStore; audit: Pick<AuditStore, 'append'> },
) {
  async function load(id: string): Promise<Framework> {
    const cached = parsed.get(id);
    if (cached) return cached;
    const row = await deps.frameworks.source(id);
    if (!row) throw notFound('that framework');
    const r = loadFramework(row.source, { file: 'framework', format: row.source_format === 'json' ? 'json' : 'yaml' });
    if (!r.ok) throw new Error(`stored framework ${id} no longer loads: ${r.problems[0]?.message}`);
    parsed.set(id, r.value);
    return r.value;
  }

  /** A write to a framework version and its audit row, in one transaction. */
  async function audited(
    actor: Actor,
    action: string,
    id: string,
    write: (tx: Executor, now: number) => Promise<void>,
  ) {
    const now = ctx.now();
    await transaction(ctx, async (tx) => {
      await write(tx, now);
      await deps.audit.append(actor, { action, objectType: 'framework', objectId: id, organisationId: null }, now, tx);
    });
  }

  return {
    load,

    /** Keeps a framework already parsed from the same source as the stored version `id`. */
    remember(id: string, fw: Framework): void {
      parsed.set(id, fw);
    },

    /** Imports a framework version; the same source again returns the existing one. */
    async importFramework(actor: Actor, input: { source: string; format: 'yaml' | 'json' }): Promise<FrameworkSummary> {
      denyAsMissing(policy.createProgramme(actor) || actor.isInstanceAdmin);
      const r = loadFramework(input.source, { file: 'framework', format: input.format });
      if (!r.ok) {
        throw new AppError(
          'invalid_request',
          'The framework has problems.',
          r.problems.map((p) => ({
            where: p.line !== undefined ? `line ${p.line}${p.col !== undefined ? `:${p.col}` : ''}` : 'framework',
            message: p.message,
          })),
        );
      }
      const fw = r.value;
      const existing = await deps.frameworks.version(fw.id, fw.version);
      if (existing) {
        if (existing.source === input.source) return summary(existing.id, fw);
        throw conflict(
          `Framework ${fw.id} version ${fw.version} already exists and frameworks never change once imported; give this one a new version.`,
        );
      }
      const id = newId();
      await audited(actor, 'framework.import', id, (tx, now) =>
        deps.frameworks.insert(
          {
            id,
            key: fw.id,
            version: fw.version,
            title: textFor(fw.title),
            source: input.source,
            format: input.format,
            at: now,
          },
          tx,
        ),
      );
      parsed.set(id, fw);
      return summary(id, fw);
    },

    /**
     * A shipped framework whose file gained translations since this instance imported it: the
     * stored source takes the new file when the two differ in nothing but their translations
     * (the same questions, options, points, caps and English), so existing programmes read in
     * the new languages and score exactly as before. Any other change needs a new version, and
     * the stored one stays. Audited. Returns whether the stored source was replaced.
     */
    async takeTranslations(actor: Actor, id: string, source: string, fw: Framework): Promise<boolean> {
      const stored = await load(id);
      if (!differOnlyInTranslations(stored, fw)) return false;
      await audited(actor, 'framework.translations', id, (tx) => deps.frameworks.replaceSource(id, source, tx));
      parsed.set(id, fw);
      return true;
    },

    /** A framework in full — domains, questions, options, guidance — for the questionnaire. Frameworks are not secret. */
    async get(actor: Actor, id: string, lang?: Locale): Promise<Framework & { frameworkId: string }> {
      denyAsMissing(actor.userId !== '');
      const fw = await load(id);
      if (lang === undefined) return { frameworkId: id, ...fw };
      // Each text in one language, made once per version and language: the questionnaire's read.
      const key = `${id}|${lang}`;
      let one = inOneLanguage.get(key);
      if (!one || one.from !== fw) inOneLanguage.set(key, (one = { from: fw, value: inLanguage(fw, lang) }));
      return { frameworkId: id, ...one.value };
    },

    async list(actor: Actor): Promise<FrameworkSummary[]> {
      denyAsMissing(actor.userId !== '');
      const ids = await deps.frameworks.ids();
      const loaded = await Promise.all(ids.map(async (id) => ({ id, fw: await load(id) })));
      // A survey (only unscored questions) is run beside a programme's framework, never as one.
      const all = loaded.filter(({ fw }) => indexFramework(fw).questionCount > 0).map(({ id, fw }) => summary(id, fw));
      // Newest version of each key first: it is the one a new programme should start on.
      return all.sort(
        (a, b) => a.key.localeCompare(b.key) || b.version.localeCompare(a.version, 'en', { numeric: true }),
      );
    },
  };
}

function summary(id: string, fw: Framework): FrameworkSummary {
  return {
    id,
    key: fw.id,
    version: fw.version,
    title: textFor(fw.title),
    questions: indexFramework(fw).questionCount,
    subject: subjectOf(fw),
  };
}

export type FrameworkService = ReturnType<typeof frameworkService>;
