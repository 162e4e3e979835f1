import type { ScoreReport } from '@kalaja/engine';

/** A programme's cohort results, as managers or observers may see them. */
export interface CohortResults {
  programmeId: string;
  /** `named` for managers; `anonymised` for observers (aggregates only, small cells suppressed). */
  view: 'named' | 'anonymised';
  rounds: string[];
  report: ScoreReport;
  /** How many means were withheld from observers (too few organisations, or differencing). */
  suppressed: number;
  /** MIN_COHORT, said with the figures so that the pages name the rule the server applied. */
  minCell: number;
  /** Observers: the published version behind each round's figures; empty for managers. */
  published: { id: string; round: string; version: number; publishedAt: number }[];
}
