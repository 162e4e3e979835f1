import type { z } from 'zod';
import type { publicIndex, publicInstitution, publicWave, rankedInstitution } from '@kalaja/contracts';
import { textFor, type Framework } from '@kalaja/engine';
import type { Context } from '../../context.js';
import { SealError } from '../../crypto/seal.js';
import { AppError, notFound } from '../../errors.js';
import type { EvidenceFiles } from '../evidence/evidence-files.js';
import type { EvidenceDownload } from '../evidence/evidence-types.js';
import type { FrameworkService } from '../frameworks/framework-service.js';
import { indicatorsCsv, institutionsCsv, type FrozenInstitution, type FrozenWave } from './openness-fns.js';
import { ARCHIVE_FIELD, ARCHIVE_NAME_FIELD } from './openness-service.js';
import type { OpennessPublicationRow, OpennessStore } from './openness-store.js';

type Ranked = z.infer<typeof rankedInstitution>;

/**
 * The published index, for anyone: no account, no cookie, nothing from another origin. Only the
 * latest published version of a wave is served; an unpublished wave (or index, or institution)
 * is the same 404 as a missing one. Every figure comes from the frozen version, so a later edit
 * changes nothing here until the wave is published again. No note of any kind is in it.
 */
export function opennessPublic(
  ctx: Pick<Context, 'vault'>,
  deps: { store: OpennessStore; frameworks: Pick<FrameworkService, 'load'>; files: EvidenceFiles },
) {
  const { store } = deps;
  const iso = (ms: number) => new Date(Number(ms)).toISOString();

  async function published(programmeId: string, roundId: string) {
    const row = (await store.latestOfIndex(programmeId)).find((p) => p.round_id === roundId);
    if (!row) throw notFound('that wave');
    const w = JSON.parse(row.content) as FrozenWave;
    return { row, w, fw: await deps.frameworks.load(w.framework.id) };
  }

  const ranked = (i: FrozenInstitution): Ranked => ({
    id: i.id,
    name: i.name,
    type: i.type as Ranked['type'],
    level: i.level as Ranked['level'],
    country: i.country,
    rank: i.rank,
    overall: i.score.overall,
    principles: i.score.principles,
    points: i.score.points,
    maxPoints: i.score.maxPoints,
    change: i.change && { overall: i.change.overall, principles: i.change.principles },
  });
  const principles = (fw: Framework, lang: string) =>
    fw.domains.map((d) => ({ id: d.id, title: textFor(d.title, lang) }));
  const head = (row: OpennessPublicationRow, w: FrozenWave) => ({
    index: w.index,
    wave: w.wave,
    version: row.version,
    publishedAt: iso(row.published_at),
  });

  return {
    /** The index's published waves, the last wave first; 404 until one is published. */
    async index(programmeId: string): Promise<z.infer<typeof publicIndex>> {
      const rows = await store.latestOfIndex(programmeId);
      if (rows.length === 0) throw notFound('that index');
      const waves = rows.map((r) => ({ r, w: JSON.parse(r.content) as FrozenWave }));
      const first = waves[0]!.w;
      return {
        id: first.index.id,
        name: first.index.name,
        waves: waves.map(({ r, w }) => ({
          id: w.wave.id,
          name: w.wave.name,
          version: r.version,
          publishedAt: iso(r.published_at),
        })),
      };
    },

    async wave(programmeId: string, roundId: string, lang = 'en'): Promise<z.infer<typeof publicWave>> {
      const { row, w, fw } = await published(programmeId, roundId);
      return {
        ...head(row, w),
        framework: {
          id: w.framework.key,
          version: w.framework.version,
          title: textFor(fw.title, lang),
          scale: w.framework.scale,
        },
        principles: principles(fw, lang),
        licence: w.licence,
        ranking: w.institutions.map(ranked),
        countries: w.countries,
      };
    },

    async institution(
      programmeId: string,
      roundId: string,
      organisationId: string,
      lang = 'en',
    ): Promise<z.infer<typeof publicInstitution>> {
      const { row, w, fw } = await published(programmeId, roundId);
      const i = w.institutions.find((x) => x.id === organisationId);
      if (!i) throw notFound('that institution');
      const byId = new Map(i.indicators.map((x) => [x.id, x]));
      return {
        ...head(row, w),
        principles: principles(fw, lang),
        institution: ranked(i),
        principlePoints: i.score.principlePoints,
        indicators: fw.domains.flatMap((d) =>
          d.questions.map((q) => {
            const x = byId.get(q.id);
            const option = q.options.find((o) => o.id === x?.answer);
            return {
              id: q.id,
              principle: d.id,
              text: textFor(q.text, lang),
              source: (x?.source ?? q.source ?? 'desk-research') as 'desk-research',
              answer: x?.answer ?? null,
              // `na` has no option label: the page says "not applicable" in its own language.
              answerLabel: option ? textFor(option.label, lang) : null,
              points: option ? option.score * q.weight : null,
              maxPoints: q.weight,
              url: x?.url ?? null,
              checkedOn: x?.checkedOn ?? null,
              archives: x?.archives ?? [],
            };
          }),
        ),
      };
    },

    /** The open data, all of it in one JSON document: the ranking and every indicator's answer and evidence. */
    async dataJson(programmeId: string, roundId: string) {
      const { row, w, fw } = await published(programmeId, roundId);
      return {
        ...head(row, w),
        framework: { id: w.framework.key, version: w.framework.version, scale: w.framework.scale },
        principles: principles(fw, 'en'),
        licence: w.licence,
        countries: w.countries,
        institutions: w.institutions.map((i) => ({
          ...ranked(i),
          principlePoints: i.score.principlePoints,
          indicators: i.indicators,
        })),
      };
    },

    async institutionsCsv(programmeId: string, roundId: string): Promise<string> {
      const { w, fw } = await published(programmeId, roundId);
      return institutionsCsv(
        w,
        fw.domains.map((d) => d.id),
      ).body;
    },

    async indicatorsCsv(programmeId: string, roundId: string): Promise<string> {
      const { w, fw } = await published(programmeId, roundId);
      return indicatorsCsv(w, fw).body;
    },

    /** A Frictionless Data Package (datapackage.json) describing the two CSV tables beside it. */
    async dataPackage(programmeId: string, roundId: string) {
      const { row, w, fw } = await published(programmeId, roundId);
      const number = (name: string, description: string) => ({ name, type: 'number', description });
      const string = (name: string, description: string) => ({ name, type: 'string', description });
      const slug = (s: string) =>
        s
          .toLowerCase()
          .replace(/[^a-z0-9._-]+/g, '-')
          .replace(/^-+|-+$/g, '') || 'index';
      return {
        profile: 'tabular-data-package',
        name: `${slug(w.index.name)}-${slug(w.wave.name)}`,
        title: `${w.index.name}: ${w.wave.name}`,
        version: String(row.version),
        created: iso(row.published_at),
        licenses: [{ name: w.licence.name, path: w.licence.path }],
        resources: [
          {
            name: 'institutions',
            path: 'institutions.csv',
            profile: 'tabular-data-resource',
            format: 'csv',
            mediatype: 'text/csv',
            encoding: 'utf-8',
            schema: {
              fields: [
                {
                  name: 'rank',
                  type: 'integer',
                  description: 'Standard competition rank (ties share a rank); empty when unscored',
                },
                string('institution_id', 'Kalaja id of the institution'),
                string('institution', 'Name'),
                string('type', 'parliament, government-office, ministry, agency, municipality or other'),
                string('level', 'national, regional or local'),
                string('country', 'ISO 3166 two-letter code (XK for Kosovo)'),
                number('overall', `Overall score on 0..${w.framework.scale}, full precision`),
                ...fw.domains.map((d) => number(`principle_${d.id}`, textFor(d.title, 'en'))),
                number('points', 'Points earned over answered applicable indicators'),
                number('max_points', 'Points possible over answered applicable indicators'),
                number('change_overall', 'Change of overall since the previous published wave'),
              ],
              primaryKey: ['institution_id'],
            },
          },
          {
            name: 'indicators',
            path: 'indicators.csv',
            profile: 'tabular-data-resource',
            format: 'csv',
            mediatype: 'text/csv',
            encoding: 'utf-8',
            schema: {
              fields: [
                string('institution_id', 'Kalaja id of the institution'),
                string('indicator', 'Indicator id in the framework'),
                string('principle', 'Principle (domain) id'),
                string('source', 'desk-research, questionnaire or interview'),
                string('answer', 'Option id, or na'),
                number('points', 'Points earned'),
                number('max_points', 'Points possible'),
                { name: 'url', type: 'string', format: 'uri', description: 'Where the evidence was checked' },
                { name: 'checked_on', type: 'date', description: 'When it was checked' },
              ],
              primaryKey: ['institution_id', 'indicator'],
              foreignKeys: [
                { fields: ['institution_id'], reference: { resource: 'institutions', fields: ['institution_id'] } },
              ],
            },
          },
        ],
      };
    },

    /** An archived copy, only when the latest published version of its wave names it. */
    async archive(fileId: string): Promise<EvidenceDownload> {
      const a = await store.archive(fileId);
      if (!a) throw notFound('that file');
      const row = (await store.latestOfIndex(a.programme_id)).find((p) => p.round_id === a.round_id);
      const w = row && (JSON.parse(row.content) as FrozenWave);
      if (!w?.institutions.some((i) => i.indicators.some((x) => x.archives.some((f) => f.id === fileId))))
        throw notFound('that file');
      try {
        return {
          name: await ctx.vault.openTextFor(a.organisation_id, ARCHIVE_NAME_FIELD, a.id, a.name_sealed),
          mediaType: a.media_type,
          bytes: await ctx.vault.openFor(a.organisation_id, ARCHIVE_FIELD, a.id, await deps.files.get(a.id)),
        };
      } catch (e) {
        if (e instanceof SealError) throw new AppError('gone', 'This file can no longer be opened.');
        throw e;
      }
    },
  };
}

export type OpennessPublic = ReturnType<typeof opennessPublic>;
