import { DEFAULT_MIN_CELL } from '../disclosure/disclose.js';
import {
  decideCells,
  type Cell,
  type CellReason,
  type Fingerprint,
  type PublishedSet,
} from '../disclosure/publication.js';
import { indexFramework } from '../framework/lookup.js';
import type { SurveyTally } from '../survey/tally.js';
import { inPeriod, threatLandscape, type Landscape, type LandscapeInput, type LandscapeRow } from './landscape.js';

/**
 * The observers' threat landscape as it is frozen with a publication of the results (issue 17;
 * docs/contracts.md §10). Each landscape is k-anonymous on its own (`threatLandscape`), but two
 * frozen a few days apart could differ by one organisation's incident: phishing 5 → 6 incidents
 * over the same five organisations tells an observer that one of them logged another. So every
 * count shown is a cell, as the published results' figures are (disclosure/publication.ts): its
 * contributors are the organisations behind it, each with a fingerprint of what it contributes
 * (its count), and `decideCells` withholds it when, against a set of the same variable frozen
 * before, 1 to k − 1 organisations contribute differently (reason `differencing`). A breakdown
 * left with one withheld row then withholds its next smallest row too, as before.
 *
 * The sets of the counts shown are returned for the next landscape's checks; the server keys
 * both the organisations (`contributor`) and their contributions (`fingerprint`), so that the
 * stored sets name no organisation and no count in clear.
 */

/** Why a count of the frozen landscape is withheld: the cell rules, or the complement rule. */
export type LandscapeReason = CellReason | 'complement';

export interface LandscapeWithheld {
  /** `totals`, `categories:<id>`, `actors:<id>`, `targeting:<id>`, `certainty:<id>` or `survey:<question>:<option>`. */
  cell: string;
  reason: LandscapeReason;
  /** With `differencing`: how many organisations differ from a set frozen before. */
  differing?: number;
}

export interface LandscapePublication {
  /** The observers' edition, with `withheldCells` naming every withheld count and why. */
  landscape: Landscape;
  /** The contributions behind each count shown, for the next landscape's checks (never for observers). */
  published: PublishedSet[];
}

const LISTS = [
  ['categories', 'category'],
  ['actors', 'actor'],
  ['targeting', 'targeting'],
  ['certainty', 'certainty'],
] as const;

/**
 * The cells of a landscape: the totals (each affected organisation's number of incidents), each
 * row of each breakdown with incidents (each organisation's number of such incidents), and each
 * option a survey answer chose (each organisation that chose it). Rows and options nobody has
 * make no cell: they show 0.
 */
export function landscapeCells(
  input: LandscapeInput,
  fingerprint: Fingerprint = (_v, _o, value) => value,
  contributor: (organisation: string) => string = (o) => o,
): Cell[] {
  const cohort = new Set(input.organisations);
  const incidents = input.incidents.filter((i) => cohort.has(i.organisationId) && inPeriod(i, input.period));
  const cell = (key: string, name: string, counts: ReadonlyMap<string, number>): Cell => {
    const contributors = new Map<string, string>();
    for (const [org, n] of [...counts].sort(([a], [b]) => a.localeCompare(b)))
      contributors.set(contributor(org), fingerprint(name, org, String(n)));
    return { key, n: contributors.size, variables: [{ name, contributors }] };
  };
  const tally = (list: readonly { organisationId: string }[]) => {
    const counts = new Map<string, number>();
    for (const i of list) counts.set(i.organisationId, (counts.get(i.organisationId) ?? 0) + 1);
    return counts;
  };
  const cells: Cell[] = [cell('totals', 'landscape:incidents', tally(incidents))];
  for (const [list, key] of LISTS)
    for (const id of input.lists[list]) {
      const counts = tally(incidents.filter((i) => i[key] === id));
      if (counts.size > 0) cells.push(cell(`${list}:${id}`, `landscape:${key}:${id}`, counts));
    }
  if (input.survey) {
    const fw = input.survey.framework;
    const answers = input.survey.answers.filter((a) => cohort.has(a.organisationId));
    for (const { question: q } of indexFramework(fw).surveyOrdered) {
      if (q.type !== 'single' && q.type !== 'multiple') continue;
      for (const o of q.options) {
        const counts = new Map<string, number>();
        for (const a of answers) {
          const v = a.answers.get(q.id);
          if (Array.isArray(v) ? v.includes(o.id) : v === o.id) counts.set(a.organisationId, 1);
        }
        if (counts.size > 0) cells.push(cell(`survey:${q.id}:${o.id}`, `survey:${fw.id}:${q.id}:${o.id}`, counts));
      }
    }
  }
  return cells;
}

const hidden = (r: LandscapeRow): LandscapeRow => ({
  id: r.id,
  incidents: null,
  organisations: null,
  share: null,
  withheld: true,
});

/**
 * The observers' landscape, each count decided against the sets frozen with the programme's
 * earlier landscapes (`history`), and the sets of the counts it shows.
 */
export function publishLandscape(
  input: LandscapeInput,
  options: {
    k?: number;
    history?: readonly PublishedSet[];
    fingerprint?: Fingerprint;
    contributor?: (organisation: string) => string;
  } = {},
): LandscapePublication {
  const k = options.k ?? DEFAULT_MIN_CELL;
  const base = threatLandscape(input, 'observers', k);
  const cells = landscapeCells(input, options.fingerprint, options.contributor);
  const byKey = new Map(cells.map((c) => [c.key, c]));
  const decisions = new Map(decideCells(cells, options.history ?? [], k).map((d) => [d.key, d]));
  const refused = (key: string) => {
    const d = decisions.get(key);
    return d !== undefined && !d.shown && d.reason !== 'small-cell';
  };
  const withheld: LandscapeWithheld[] = [];
  const why = (key: string) => {
    const c = byKey.get(key);
    if (!c) return;
    const d = decisions.get(key)!;
    if (refused(key))
      withheld.push({
        cell: key,
        reason: d.reason!,
        ...(d.differing !== undefined && { differing: d.differing }),
      });
    else withheld.push({ cell: key, reason: c.n < k ? 'small-cell' : 'complement' });
  };

  const totalsShown = base.incidents !== null && !refused('totals');
  if (!totalsShown && byKey.get('totals')!.n > 0) why('totals');

  /** A breakdown with its refused rows withheld, and the complement rule applied again. */
  const decide = (list: string, rows: readonly LandscapeRow[]): LandscapeRow[] => {
    const out = rows.map((r) => (!r.withheld && refused(`${list}:${r.id}`) ? hidden(r) : r));
    if (out.filter((r) => r.withheld).length === 1) {
      const next = out
        .filter((r) => !r.withheld && (r.organisations ?? 0) > 0)
        .sort((a, b) => a.incidents! - b.incidents! || a.id.localeCompare(b.id))[0];
      if (next) out[out.indexOf(next)] = hidden(next);
    }
    out.forEach((r) => r.withheld && why(`${list}:${r.id}`));
    return out;
  };
  const landscape: Landscape = {
    ...base,
    affected: totalsShown ? base.affected : null,
    incidents: totalsShown ? base.incidents : null,
    categories: decide('categories', base.categories),
    actors: decide('actors', base.actors),
    targeting: decide('targeting', base.targeting),
    certainty: decide('certainty', base.certainty),
  };
  if (base.survey) landscape.survey = decideSurvey(base.survey, refused, why);
  landscape.withheldCells = withheld;

  const shown = new Set<string>();
  if (totalsShown) shown.add('totals');
  for (const [list] of LISTS)
    for (const r of landscape[list]) if (!r.withheld && byKey.has(`${list}:${r.id}`)) shown.add(`${list}:${r.id}`);
  for (const q of landscape.survey?.questions ?? [])
    for (const o of q.options)
      if (!q.withheld && !o.withheld && byKey.has(`survey:${q.id}:${o.id}`)) shown.add(`survey:${q.id}:${o.id}`);
  const published = cells
    .filter((c) => shown.has(c.key) && decisions.get(c.key)!.shown)
    .flatMap((c) => c.variables.map((v) => ({ variable: v.name, contributors: Object.fromEntries(v.contributors) })));
  return { landscape, published };
}

function decideSurvey(tally: SurveyTally, refused: (key: string) => boolean, why: (key: string) => void): SurveyTally {
  return {
    ...tally,
    questions: tally.questions.map((q) => {
      if (q.withheld) return q;
      const key = (id: string) => `survey:${q.id}:${id}`;
      const options = q.options.map((o) =>
        !o.withheld && refused(key(o.id)) ? { id: o.id, count: null, share: null, withheld: true } : o,
      );
      // In a single choice the counts add up to the respondents: one withheld is the remainder.
      if (q.type === 'single' && options.filter((o) => o.withheld).length === 1) {
        const next = options
          .filter((o) => !o.withheld && (o.count ?? 0) > 0)
          .sort((a, b) => a.count! - b.count! || a.id.localeCompare(b.id))[0];
        if (next) options[options.indexOf(next)] = { id: next.id, count: null, share: null, withheld: true };
      }
      options.forEach((o) => o.withheld && why(key(o.id)));
      return { ...q, options };
    }),
  };
}
