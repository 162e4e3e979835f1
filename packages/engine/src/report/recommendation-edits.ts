/**
 * The programme team's review of the drafted recommendations: each draft kept, edited (its
 * title, text or priority) or dropped, and recommendations of the team's own added. A draft is
 * known by its id (`critical-control:access.mfa-email`), which stays the same while the
 * finding behind it holds; an edit whose draft no longer fires is "stale" and left out, so a
 * report never carries a recommendation its findings no longer support. An edited draft keeps
 * the rule that drafted it, and the report marks what the team changed.
 *
 * Title and text are written in one language at a time: a report in another language shows
 * the draft's own text in that language (marked edited when the priority was changed), and a
 * recommendation the team added appears in the language it was written in.
 */
import type { Locale } from '../text.js';
import type { Recommendation } from './recommendations.js';

export type Priority = Recommendation['priority'];

export interface RecommendationEdit {
  /** The draft's id, or for one the team added its own id, starting `team:`. */
  id: string;
  dropped?: boolean;
  priority?: Priority;
  /** The team's title and text, by language. */
  texts?: Partial<Record<Locale, { title: string; text: string }>>;
}

export interface ReviewedRecommendation extends Omit<Recommendation, 'rule'> {
  /** The rule that drafted it, or `team` for one the team added. */
  rule: Recommendation['rule'] | 'team';
  review: 'drafted' | 'edited' | 'added';
  /** The language of title and text, when it is not the report's (a team addition in another language). */
  lang?: Locale;
}

export interface ReviewOutcome {
  items: ReviewedRecommendation[];
  edited: number;
  dropped: number;
  added: number;
  /** Edits of drafts that no longer fire on these findings. */
  stale: string[];
}

export const TEAM_PREFIX = 'team:';
const RANK = { high: 0, medium: 1, low: 2 } as const;

/** The drafts as the team reviewed them, high priority first, then drafts in rule order, then additions. */
export function reviewRecommendations(
  drafts: readonly Recommendation[],
  edits: readonly RecommendationEdit[],
  locale: Locale,
): ReviewOutcome {
  const byId = new Map(edits.map((e) => [e.id, e]));
  const ids = new Set(drafts.map((d) => d.id));
  const items: ReviewedRecommendation[] = [];
  let edited = 0;
  let dropped = 0;
  for (const d of drafts) {
    const e = byId.get(d.id);
    if (e?.dropped) {
      dropped++;
      continue;
    }
    const own = e?.texts?.[locale];
    const changed = e !== undefined && (own !== undefined || (e.priority !== undefined && e.priority !== d.priority));
    if (changed) edited++;
    items.push({
      ...d,
      ...(e?.priority && { priority: e.priority }),
      ...(own && { title: own.title, text: own.text }),
      review: changed ? 'edited' : 'drafted',
    });
  }
  let added = 0;
  for (const e of edits) {
    if (!e.id.startsWith(TEAM_PREFIX) || e.dropped) continue;
    const lang = e.texts?.[locale] ? locale : (Object.keys(e.texts ?? {})[0] as Locale | undefined);
    const text = lang && e.texts?.[lang];
    if (!text) continue;
    added++;
    items.push({
      id: e.id,
      rule: 'team',
      priority: e.priority ?? 'medium',
      title: text.title,
      text: text.text,
      evidence: [],
      subject: {},
      review: 'added',
      ...(lang !== locale && { lang }),
    });
  }
  const order = new Map(items.map((r, i) => [r.id, i]));
  items.sort((a, b) => RANK[a.priority] - RANK[b.priority] || order.get(a.id)! - order.get(b.id)!);
  const stale = edits.filter((e) => !e.id.startsWith(TEAM_PREFIX) && !ids.has(e.id)).map((e) => e.id);
  return { items, edited, dropped, added, stale };
}
