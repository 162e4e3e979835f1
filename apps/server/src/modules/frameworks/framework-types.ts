/** A framework version as lists show it. */
export interface FrameworkSummary {
  id: string;
  key: string;
  version: string;
  title: string;
  questions: number;
}
