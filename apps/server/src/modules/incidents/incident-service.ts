import {
  inTaxonomy,
  pickText,
  publishLandscape,
  textFor,
  threatLandscape,
  type IncidentTaxonomy,
  type LandscapeIncident,
  type LandscapeInput,
  type PublishedSet,
  type TaxonomyEntry,
  type Landscape,
  type ThreatsInput,
} from '@kalaja/engine';
import type { z } from 'zod';
import type {
  incident,
  incidentContent,
  incidentCreate,
  incidentTaxonomyView,
  incidentUpdate,
  organisationIncidents,
  threatLandscapeView,
} from '@kalaja/contracts';
import { transaction, type Context } from '../../context.js';
import { openedOrGone } from '../../crypto/shredded.js';
import { AppError, invalid, notFound, type ErrorDetail } from '../../errors.js';
import { newId } from '../../ids.js';
import { PAD_TO } from '../assessments/answer-sealing.js';
import { denyAsMissing, policy } from '../access/access-policy.js';
import { systemActor, type Actor } from '../access/access-types.js';
import type { AuditStore } from '../audit/audit-store.js';
import type { FrameworkService } from '../frameworks/framework-service.js';
import type { ProgrammeStore } from '../programmes/programme-store.js';
import type { UserStore } from '../users/user-store.js';
import type { PublishHook, PublishKeys } from '../publications/publication-service.js';
import { surveyTallyWords, type SurveyService } from '../surveys/survey-service.js';
import type { IncidentRow, IncidentStore } from './incident-store.js';

export type IncidentContent = z.infer<typeof incidentContent>;
export type IncidentCreate = z.infer<typeof incidentCreate>;
export type IncidentUpdate = z.infer<typeof incidentUpdate>;
export type IncidentView = z.infer<typeof incident>;
export type OrganisationIncidentsView = z.infer<typeof organisationIncidents>;
export type IncidentTaxonomyView = z.infer<typeof incidentTaxonomyView>;
export type ThreatLandscapeView = z.infer<typeof threatLandscapeView>;

/** The associated data's fields: an incident's content opens only in its own row (and version). */
const CONTENT = 'incidents.content';
const VERSION = 'incident_versions.content';
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** Sealed as one JSON value, padded like answers so that its size tells little. */
function padded(value: unknown): string {
  const body = (p: string) => JSON.stringify({ v: value, p });
  const length = Buffer.byteLength(body(''), 'utf8');
  return body(' '.repeat(Math.ceil(length / PAD_TO) * PAD_TO - length));
}

type TaxonomyListName = Parameters<typeof inTaxonomy>[1];
/** What an id the taxonomy lacks is told, per list: each a sentence of its own for the translations. */
const UNKNOWN: Record<TaxonomyListName, (id: string) => { message: string }> = {
  categories: (id) => ({ message: `"${id}" is not a category of the incident taxonomy` }),
  actors: (id) => ({ message: `"${id}" is not an actor of the incident taxonomy` }),
  targeting: (id) => ({ message: `"${id}" is not a targeting of the incident taxonomy` }),
  certainty: (id) => ({ message: `"${id}" is not a certainty of the incident taxonomy` }),
  'effects.people': (id) => ({ message: `"${id}" is not an effect on people of the incident taxonomy` }),
  'effects.work': (id) => ({ message: `"${id}" is not an effect on work of the incident taxonomy` }),
  responses: (id) => ({ message: `"${id}" is not a response of the incident taxonomy` }),
};

const stale = () =>
  new AppError(
    'precondition_failed',
    'This incident was changed by someone else meanwhile. Reload to see the latest, then make your change again.',
  );

/** The cohort's baseline per domain, for the landscape: mean score and organisations scored. */
export type BaselineOf = (
  actor: Actor,
  programmeId: string,
) => Promise<{ id: string; score: number | null; n: number }[]>;

/**
 * The incident log and the threat landscape (docs/contracts.md, "Incidents"; issue 17).
 *
 * Who: an organisation's admins and members record, edit and read its incidents; its assigned
 * assessors do too once the organisation's admin has given consent; the admin alone deletes
 * one and switches the consent. The programme's managers read their organisations' incidents
 * and the landscape. Observers never see an incident, nor (for now) the landscape.
 *
 * Everything an incident says is sealed under its organisation's key; each edit is a new
 * version (If-Match; 412 when stale) kept in the history; every write is one transaction with
 * its audit row, which names the incident, never its content.
 */
export function incidentService(
  ctx: Pick<Context, 'db' | 'batcher' | 'vault' | 'now'>,
  deps: {
    incidents: IncidentStore;
    programmes: Pick<ProgrammeStore, 'byId' | 'takesPart' | 'organisationName' | 'organisationIds'>;
    frameworks: Pick<FrameworkService, 'load'>;
    users: Pick<UserStore, 'names'>;
    audit: Pick<AuditStore, 'append'>;
    taxonomy: IncidentTaxonomy;
    handbookIds: ReadonlySet<string>;
    baseline?: BaselineOf;
    /** The programme's survey and its answers, counted beside the incidents (decision 0013). */
    survey?: Pick<SurveyService, 'forLandscape' | 'frameworkOf'>;
  },
) {
  const { incidents, taxonomy } = deps;
  const isSystem = (a: Actor) => a.userId === 'system';
  const actorId = (a: Actor) => (isSystem(a) ? null : a.userId);
  const today = () => new Date(ctx.now()).toISOString().slice(0, 10);

  /** What the actor may do with an organisation's log. */
  async function rights(actor: Actor, programmeId: string, organisationId: string) {
    const member = policy.memberOf(actor, organisationId);
    const assessor = policy.assessorOf(actor, programmeId, organisationId);
    const consent = assessor && !member ? await incidents.consent(programmeId, organisationId) : false;
    const manager = policy.manageProgramme(actor, programmeId);
    const record = member || (assessor && consent) || isSystem(actor);
    return {
      read: record || manager,
      record,
      remove: policy.adminOf(actor, organisationId) || isSystem(actor),
      consent: policy.adminOf(actor, organisationId),
    };
  }

  async function scoped(actor: Actor, programmeId: string, organisationId: string) {
    const r = await rights(actor, programmeId, organisationId);
    denyAsMissing(r.read && (await deps.programmes.takesPart(programmeId, [organisationId])), 'those incidents');
    return r;
  }

  async function readable(actor: Actor, id: string) {
    const row = await incidents.byId(id);
    const r = row && (await rights(actor, row.programme_id, row.organisation_id));
    denyAsMissing(row !== undefined && r !== undefined && r.read, 'that incident');
    return { row, rights: r };
  }

  /** The incident's content and its copy in the history, the copy bound to its version number. */
  const seal = (organisationId: string, id: string, version: number, c: IncidentContent) =>
    Promise.all([
      ctx.vault.sealFor(organisationId, CONTENT, id, padded(c)),
      ctx.vault.sealFor(organisationId, VERSION, `${id}#${version}`, padded(c)),
    ]);
  const open = async (organisationId: string, field: string, id: string, sealed: Uint8Array) =>
    (JSON.parse(await openedOrGone(ctx.vault.openTextFor(organisationId, field, id, sealed))) as { v: IncidentContent })
      .v;

  /** The content checked against the taxonomy, the handbook and the calendar; a 400 naming each field. */
  function check(c: IncidentContent): void {
    const details: ErrorDetail[] = [];
    const one = (field: keyof IncidentContent, list: TaxonomyListName) => {
      const id = c[field] as string;
      if (!inTaxonomy(taxonomy, list, id)) details.push({ where: field, ...UNKNOWN[list](id) });
    };
    const many = (field: keyof IncidentContent, list: TaxonomyListName) =>
      (c[field] as string[]).forEach((id, i) => {
        if (!inTaxonomy(taxonomy, list, id)) details.push({ where: `${field}.${i}`, ...UNKNOWN[list](id) });
      });
    one('category', 'categories');
    one('actor', 'actors');
    one('targeting', 'targeting');
    one('certainty', 'certainty');
    many('effectsPeople', 'effects.people');
    many('effectsWork', 'effects.work');
    many('responses', 'responses');
    c.handbook.forEach((id, i) => {
      if (!deps.handbookIds.has(id))
        details.push({ where: `handbook.${i}`, message: `"${id}" is not a section of the handbook` });
    });
    const now = today();
    if (c.occurredOn > now) details.push({ where: 'occurredOn', message: `${c.occurredOn} is in the future` });
    if (c.endedOn !== null) {
      if (c.endedOn < c.occurredOn)
        details.push({
          where: 'endedOn',
          message: `the period ends (${c.endedOn}) before it starts (${c.occurredOn})`,
        });
      else if (c.endedOn > now) details.push({ where: 'endedOn', message: `${c.endedOn} is in the future` });
    }
    if (details.length > 0) throw invalid('Some of what the incident says is not valid; nothing was saved.', details);
  }

  const categoryHandbook = (category: string) =>
    (taxonomy.categories.find((k) => k.id === category)?.handbook ?? []).filter((id) => deps.handbookIds.has(id));

  async function views(rows: readonly IncidentRow[]): Promise<IncidentView[]> {
    const versions = await incidents.versionsOf(rows.map((r) => r.id));
    const people = new Set<string>();
    for (const r of rows) if (r.created_by) people.add(r.created_by);
    for (const v of versions) if (v.actor_id) people.add(v.actor_id);
    const names = await deps.users.names([...people]);
    const person = (id: string | null) => (id === null ? null : { id, displayName: names.get(id) ?? '' });
    const orgOf = new Map(rows.map((r) => [r.id, r.organisation_id]));
    const history = new Map<string, IncidentView['history']>();
    for (const v of versions) {
      const list = history.get(v.incident_id) ?? [];
      list.push({
        version: v.version,
        at: iso(Number(v.at)),
        by: person(v.actor_id),
        content: await open(orgOf.get(v.incident_id)!, VERSION, `${v.incident_id}#${v.version}`, v.content_sealed),
      });
      history.set(v.incident_id, list);
    }
    return Promise.all(
      rows.map(async (r) => ({
        ...(await open(r.organisation_id, CONTENT, r.id, r.content_sealed)),
        id: r.id,
        version: r.version,
        programmeId: r.programme_id,
        organisationId: r.organisation_id,
        recordedBy: person(r.created_by),
        createdAt: iso(Number(r.created_at)),
        updatedAt: iso(Number(r.updated_at)),
        history: history.get(r.id) ?? [],
      })),
    );
  }

  const newestFirst = (a: IncidentView, b: IncidentView) =>
    b.occurredOn.localeCompare(a.occurredOn) || b.createdAt.localeCompare(a.createdAt);

  async function audit(
    actor: Actor,
    action: string,
    row: { id: string; organisation_id: string },
    at: number,
    tx: Parameters<AuditStore['append']>[3],
  ) {
    await deps.audit.append(
      actor,
      { action, objectType: 'incident', objectId: row.id, organisationId: row.organisation_id },
      at,
      tx,
    );
  }

  function entry(e: TaxonomyEntry, lang: string) {
    return {
      id: e.id,
      title: textFor(e.title, lang),
      description: e.description ? pickText(e.description, lang).text : null,
    };
  }

  /** What the landscape is made of, for whoever the caller let through. */
  async function inputOf(
    actor: Actor,
    programmeId: string,
    query: { from?: string | undefined; to?: string | undefined },
    lang: string,
    audience: 'programme' | 'observers',
  ) {
    const programme = await deps.programmes.byId(programmeId);
    if (!programme) throw notFound('that programme');
    const to = query.to ?? today();
    const from = query.from ?? new Date(Date.parse(`${to}T00:00:00Z`) - 182 * DAY).toISOString().slice(0, 10);
    if (from > to)
      throw invalid('The period ends before it starts.', [{ where: 'to', message: `${to} is before ${from}` }]);
    const [organisations, list, fw, baseline, survey] = await Promise.all([
      deps.programmes.organisationIds(programmeId),
      opened(programmeId),
      deps.frameworks.load(programme.framework_id),
      // Observers' baseline is the published results, not live figures: their landscape has none.
      deps.baseline && audience === 'programme' ? deps.baseline(actor, programmeId) : Promise.resolve([]),
      deps.survey ? deps.survey.forLandscape(programmeId) : Promise.resolve(undefined),
    ]);
    const input: LandscapeInput = {
      period: { from, to },
      organisations,
      incidents: list,
      lists: {
        categories: taxonomy.categories.map((c) => c.id),
        actors: taxonomy.actors.map((c) => c.id),
        targeting: taxonomy.targeting.map((c) => c.id),
        certainty: taxonomy.certainty.map((c) => c.id),
      },
      baseline,
      ...(survey && survey.answers.length > 0 && { survey }),
    };
    return {
      input,
      titles: new Map(fw.domains.map((d) => [d.id, textFor(d.title, lang)])),
      surveyFramework: survey?.framework,
    };
  }

  /** The team's landscape, every count. */
  async function compute(
    actor: Actor,
    programmeId: string,
    query: { from?: string | undefined; to?: string | undefined },
    lang: string,
  ) {
    const { input, titles, surveyFramework } = await inputOf(actor, programmeId, query, lang, 'programme');
    return { landscape: threatLandscape(input, 'programme'), titles, surveyFramework };
  }

  /**
   * Every incident of a programme, opened, with what the landscape needs and nothing of the
   * words. A crypto-shredded organisation's incidents can never be read again: they no longer
   * count (its organisation may still be in the cohort).
   */
  async function opened(programmeId: string): Promise<LandscapeIncident[]> {
    const rows = await incidents.ofProgramme(programmeId);
    const all = await Promise.all(
      rows.map(async (r): Promise<LandscapeIncident | null> => {
        let c: IncidentContent;
        try {
          c = await open(r.organisation_id, CONTENT, r.id, r.content_sealed);
        } catch (error) {
          if (error instanceof AppError && error.code === 'gone') return null;
          throw error;
        }
        return {
          organisationId: r.organisation_id,
          occurredOn: c.occurredOn,
          endedOn: c.endedOn,
          category: c.category,
          actor: c.actor,
          targeting: c.targeting,
          certainty: c.certainty,
        };
      }),
    );
    return all.filter((i): i is LandscapeIncident => i !== null);
  }

  return {
    taxonomy,

    /** The taxonomy's lists in the reader's language (English where a text has no translation yet). */
    taxonomyView(lang: string): IncidentTaxonomyView {
      return {
        version: taxonomy.version,
        categories: taxonomy.categories.map((c) => ({
          ...entry(c, lang),
          rsit: c.rsit,
          handbook: categoryHandbook(c.id),
        })),
        actors: taxonomy.actors.map((e) => entry(e, lang)),
        targeting: taxonomy.targeting.map((e) => entry(e, lang)),
        certainty: taxonomy.certainty.map((e) => entry(e, lang)),
        effects: {
          people: taxonomy.effects.people.map((e) => entry(e, lang)),
          work: taxonomy.effects.work.map((e) => entry(e, lang)),
        },
        responses: taxonomy.responses.map((e) => entry(e, lang)),
      };
    },

    /** An organisation's incident log, newest first. */
    async ofOrganisation(
      actor: Actor,
      programmeId: string,
      organisationId: string,
    ): Promise<OrganisationIncidentsView> {
      const r = await scoped(actor, programmeId, organisationId);
      const rows = await incidents.ofOrganisation(programmeId, organisationId);
      return {
        programmeId,
        organisationId,
        organisation: (await deps.programmes.organisationName(organisationId)) ?? '',
        canRecord: r.record,
        canDelete: r.remove,
        canConsent: r.consent,
        assessorConsent: await incidents.consent(programmeId, organisationId),
        incidents: (await views(rows)).sort(newestFirst),
      };
    },

    async get(actor: Actor, id: string): Promise<IncidentView> {
      const { row } = await readable(actor, id);
      return (await views([row]))[0]!;
    },

    /** Records an incident; everything is checked before anything is written. */
    async create(
      actor: Actor,
      programmeId: string,
      organisationId: string,
      input: IncidentCreate,
    ): Promise<IncidentView> {
      const r = await scoped(actor, programmeId, organisationId);
      if (!r.record)
        throw new AppError(
          'forbidden',
          'Only the organisation\u2019s people, or its assessor with the organisation\u2019s consent, record its incidents.',
        );
      const content: IncidentContent = {
        occurredOn: input.occurredOn,
        endedOn: input.endedOn ?? null,
        category: input.category,
        actor: input.actor,
        targeting: input.targeting,
        certainty: input.certainty,
        description: input.description,
        effectsPeople: input.effectsPeople,
        effectsWork: input.effectsWork,
        actions: input.actions,
        responses: input.responses,
        handbook: input.handbook ?? categoryHandbook(input.category),
      };
      check(content);
      const id = newId();
      const [sealed, versionSealed] = await seal(organisationId, id, 1, content);
      const at = ctx.now();
      await transaction(ctx, async (tx) => {
        await incidents.insert({ id, programmeId, organisationId, sealed, versionSealed, by: actorId(actor), at }, tx);
        await audit(actor, 'incident.create', { id, organisation_id: organisationId }, at, tx);
      });
      return (await views([(await incidents.byId(id))!]))[0]!;
    },

    /** A new version of the incident, if it is still at the version the writer saw. */
    async update(actor: Actor, id: string, input: IncidentUpdate, expected: number | undefined): Promise<IncidentView> {
      const { row, rights: r } = await readable(actor, id);
      if (!r.record)
        throw new AppError(
          'forbidden',
          'Only the organisation\u2019s people, or its assessor with the organisation\u2019s consent, edit its incidents.',
        );
      if (expected !== undefined && row.version !== expected) throw stale();
      const before = await open(row.organisation_id, CONTENT, row.id, row.content_sealed);
      const content: IncidentContent = { ...before };
      for (const [k, v] of Object.entries(input)) if (v !== undefined) (content as Record<string, unknown>)[k] = v;
      check(content);
      const [sealed, versionSealed] = await seal(row.organisation_id, row.id, row.version + 1, content);
      const at = ctx.now();
      await transaction(ctx, async (tx) => {
        const v = await incidents.update(row.id, row.version, { sealed, versionSealed, by: actorId(actor), at }, tx);
        if (v === undefined) throw stale();
        await audit(actor, 'incident.update', row, at, tx);
      });
      return (await views([(await incidents.byId(id))!]))[0]!;
    },

    /** Deletes an incident and its history: the organisation's admin only. */
    async remove(actor: Actor, id: string): Promise<void> {
      const { row, rights: r } = await readable(actor, id);
      if (!r.remove) throw new AppError('forbidden', 'Only the organisation\u2019s admin deletes an incident.');
      const at = ctx.now();
      await transaction(ctx, async (tx) => {
        if (!(await incidents.remove(row.id, tx))) throw notFound('that incident');
        await audit(actor, 'incident.delete', row, at, tx);
      });
    },

    /** Lets the organisation's assigned assessors read and record its incidents, or stops them. */
    async setConsent(
      actor: Actor,
      programmeId: string,
      organisationId: string,
      assessor: boolean,
    ): Promise<OrganisationIncidentsView> {
      const r = await scoped(actor, programmeId, organisationId);
      if (!r.consent)
        throw new AppError(
          'forbidden',
          'Only the organisation\u2019s admin decides whether its assessors see its incidents.',
        );
      const at = ctx.now();
      await transaction(ctx, async (tx) => {
        await incidents.setConsent({ programmeId, organisationId, assessor, by: actor.userId, at }, tx);
        await deps.audit.append(
          actor,
          { action: 'incident.consent', objectType: 'organisation', objectId: organisationId, organisationId },
          at,
          tx,
        );
      });
      return this.ofOrganisation(actor, programmeId, organisationId);
    },

    /**
     * Every incident of a programme's organisations, opened, for the landscape: what it needs and
     * nothing of the words. Managers (and Kalaja itself) only.
     */
    async forLandscape(actor: Actor, programmeId: string): Promise<LandscapeIncident[]> {
      denyAsMissing(policy.manageProgramme(actor, programmeId), 'that programme');
      return opened(programmeId);
    },

    /**
     * The programme's threat landscape over a period (the last six months by default), beside
     * its baseline capacity: managers see every count. Observers get a 404 until the landscape
     * is published with the results.
     */
    async landscape(
      actor: Actor,
      programmeId: string,
      query: { from?: string | undefined; to?: string | undefined },
      lang = 'en',
    ): Promise<ThreatLandscapeView> {
      if (!policy.manageProgramme(actor, programmeId)) {
        // Observers: the landscape frozen with the latest publication of the results, k-anonymous.
        denyAsMissing(policy.seeCohortAnonymised(actor, programmeId), 'that programme');
        const published = await incidents.publishedLandscape(programmeId);
        if (!published) throw notFound('a published threat landscape of this programme');
        const frozen = JSON.parse(published.landscape) as Landscape;
        const { survey, ...rest } = frozen;
        // The survey's words come from its framework, which never changes once imported.
        const surveyFw = survey && (await deps.survey?.frameworkOf(programmeId));
        return {
          ...rest,
          programmeId,
          baseline: [],
          ...(survey &&
            surveyFw &&
            surveyFw.id === survey.framework.id &&
            surveyFw.version === survey.framework.version && { survey: surveyTallyWords(survey, surveyFw, lang) }),
          publishedAt: iso(Number(published.published_at)),
        };
      }
      const { landscape, titles, surveyFramework } = await compute(actor, programmeId, query, lang);
      const { survey, ...rest } = landscape;
      return {
        programmeId,
        ...rest,
        baseline: landscape.baseline.map((d) => ({ ...d, title: titles.get(d.id) ?? d.id })),
        ...(survey && surveyFramework && { survey: surveyTallyWords(survey, surveyFramework, lang) }),
        publishedAt: null,
      };
    },

    /**
     * Frozen with each publication of the results (modules/publications/): the observers'
     * edition of the last six months' landscape, every count under k organisations withheld,
     * and every count withheld that, beside a landscape frozen before, would isolate fewer than
     * k organisations (contracts §10). The sets behind the counts shown are stored beside it,
     * under the results' keyed fingerprints and pseudonyms, never in what observers read.
     */
    publishHook: (async (programmeId: string, k: number, keys: PublishKeys) => {
      const [{ input }, stored] = await Promise.all([
        inputOf(systemActor('publish'), programmeId, {}, 'en', 'observers'),
        incidents.landscapeSets(programmeId),
      ]);
      const { landscape, published } = publishLandscape(input, {
        k,
        history: stored.flatMap((text) => JSON.parse(text) as PublishedSet[]),
        fingerprint: keys.fingerprint,
        contributor: keys.pseudonym,
      });
      const text = JSON.stringify(landscape);
      const sets = JSON.stringify(published);
      return (tx, publicationId, at) =>
        incidents.publishLandscape({ publicationId, programmeId, landscape: text, sets, at }, tx);
    }) satisfies PublishHook,

    /**
     * The landscape of the last six months for the programme report (the team's edition), with
     * the names of the taxonomy's ids and the framework's domains in the report's language. The
     * report service has checked who asked for it; the job runs as Kalaja itself.
     */
    async forReport(programmeId: string, lang: string): Promise<ThreatsInput> {
      const { landscape, titles, surveyFramework } = await compute(systemActor('report'), programmeId, {}, lang);
      const names: Record<string, string> = Object.fromEntries(titles);
      for (const list of [taxonomy.categories, taxonomy.actors, taxonomy.targeting, taxonomy.certainty])
        for (const e of list) names[e.id] ??= textFor(e.title, lang);
      if (!landscape.survey || !surveyFramework) return { landscape, names };
      const words = surveyTallyWords(landscape.survey, surveyFramework, lang);
      return {
        landscape,
        names,
        survey: {
          title: words.title,
          questions: Object.fromEntries(
            words.questions.map((q) => [
              q.id,
              { text: q.text, unit: q.unit, options: Object.fromEntries(q.options.map((o) => [o.id, o.label])) },
            ]),
          ),
        },
      };
    },
  };
}

export type IncidentService = ReturnType<typeof incidentService>;
