import type { LocalText } from '../text.js';

/** The format tag every training module starts with. */
export const TRAINING_FORMAT = 'training/1';

export interface CheckOption {
  id: string;
  label: LocalText;
  /** Exactly one option of each item is correct. */
  correct: boolean;
}

/** One item of a module's knowledge check, taken before and after the session. */
export interface CheckItem {
  id: string;
  text: LocalText;
  options: CheckOption[];
  /** Why the correct option is correct, shown after the check. */
  explanation?: LocalText;
}

export interface AgendaPart {
  /** Minutes the part takes. */
  minutes: number;
  title: LocalText;
  description?: LocalText;
}

/** A practice a participant may have put in place since, asked in a follow-up check. */
export interface Practice {
  id: string;
  text: LocalText;
}

/** A validated training module (`kalaja: training/1`), plain data. */
export interface TrainingModule {
  id: string;
  version: string;
  title: LocalText;
  summary?: LocalText;
  /** Framework domains the module serves. */
  domains: string[];
  /** Catalogue interventions the module delivers. */
  interventions: string[];
  agenda: AgendaPart[];
  check: { items: CheckItem[] };
  /** What a 30- or 90-day follow-up asks participants whether they now do. */
  practices: Practice[];
}
