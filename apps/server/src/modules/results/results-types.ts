import type { ScoreReport } from '@kalaja/engine';

/** A programme's cohort results, as managers or observers may see them. */
export interface CohortResults {
  programmeId: string;
  /** `named` for managers; `anonymised` for observers (aggregates only, small cells suppressed). */
  view: 'named' | 'anonymised';
  rounds: string[];
  report: ScoreReport;
  /** How many statistics were withheld for covering fewer than MIN_COHORT organisations. */
  suppressed: number;
  /** MIN_COHORT, said with the figures so that the pages name the rule the server applied. */
  minCell: number;
}
