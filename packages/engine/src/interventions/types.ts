import type { LocalText } from '../text.js';

/** The format tag every interventions catalogue starts with. */
export const CATALOGUE_FORMAT = 'interventions/1';

export const INTERVENTION_KINDS = ['policy', 'technical', 'training'] as const;
export const EFFORTS = ['low', 'medium', 'high'] as const;
export const COST_BANDS = ['none', 'low', 'medium', 'high'] as const;

export type InterventionKind = (typeof INTERVENTION_KINDS)[number];
export type Effort = (typeof EFFORTS)[number];
/** A band, not a price: what an organisation would spend, from nothing to a real budget line. */
export type CostBand = (typeof COST_BANDS)[number];

/** What effort weighs in a priority: gain / weight. */
export const EFFORT_WEIGHT: Readonly<Record<Effort, number>> = { low: 1, medium: 2, high: 3 };

/** One remedy an organisation can put in place: what changes, why, and how, in order. */
export interface Intervention {
  id: string;
  title: LocalText;
  kind: InterventionKind;
  effort: Effort;
  cost: CostBand;
  summary: LocalText;
  steps: LocalText[];
  /** Ids of handbook sections it draws on. */
  handbook: string[];
}

/** A validated catalogue (`kalaja: interventions/1`), plain data. */
export interface InterventionCatalogue {
  id: string;
  version: string;
  title: LocalText;
  interventions: Intervention[];
}
