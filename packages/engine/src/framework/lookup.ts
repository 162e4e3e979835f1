import { levelIndex } from '../display/levels.js';
import type { Domain, Framework, Level, Option, Question, SurveyQuestion } from './types.js';

export interface IndexedQuestion {
  question: Question;
  domain: Domain;
  /** Position of the question in framework order (0-based, across all domains). */
  position: number;
  options: ReadonlyMap<string, Option>;
  /** Option id → its position in `question.options`. */
  optionPosition: ReadonlyMap<string, number>;
}

export interface IndexedSurveyQuestion {
  question: SurveyQuestion;
  domain: Domain;
  /** Position among the survey questions, in framework order (0-based, across all domains). */
  position: number;
  options: ReadonlyMap<string, SurveyQuestion['options'][number]>;
}

/** Fast lookups over a framework, built once per framework object and cached. */
export interface FrameworkIndex {
  /** The unscored questions; never among `questions`, so nothing that scores meets them. */
  survey: ReadonlyMap<string, IndexedSurveyQuestion>;
  surveyOrdered: readonly IndexedSurveyQuestion[];
  questions: ReadonlyMap<string, IndexedQuestion>;
  /** The questions in framework order; `ordered[q.position] === q`. */
  ordered: readonly IndexedQuestion[];
  questionCount: number;
}

const cache = new WeakMap<Framework, FrameworkIndex>();

export function indexFramework(fw: Framework): FrameworkIndex {
  let index = cache.get(fw);
  if (!index) {
    const ordered: IndexedQuestion[] = [];
    for (const domain of fw.domains) {
      for (const question of domain.questions) {
        ordered.push({
          question,
          domain,
          position: ordered.length,
          options: new Map(question.options.map((o) => [o.id, o])),
          optionPosition: new Map(question.options.map((o, i) => [o.id, i])),
        });
      }
    }
    const surveyOrdered: IndexedSurveyQuestion[] = [];
    for (const domain of fw.domains) {
      for (const question of domain.survey ?? []) {
        surveyOrdered.push({
          question,
          domain,
          position: surveyOrdered.length,
          options: new Map(question.options.map((o) => [o.id, o])),
        });
      }
    }
    index = {
      questions: new Map(ordered.map((q) => [q.question.id, q])),
      ordered,
      questionCount: ordered.length,
      survey: new Map(surveyOrdered.map((q) => [q.question.id, q])),
      surveyOrdered,
    };
    cache.set(fw, index);
  }
  return index;
}

/** The band a score falls in: the last level whose `min` the score reaches; null for no score. */
export function levelFor(fw: Framework, score: number | null): Level | null {
  return fw.levels[levelIndex(fw.levels, score)] ?? null;
}
