/** A framework version as lists show it. */
export interface FrameworkSummary {
  id: string;
  key: string;
  version: string;
  title: string;
  questions: number;
  /** Organisations (a programme) or institutions (an openness index). */
  subject: 'organisation' | 'institution';
}
