import { indexFramework } from '../framework/lookup.js';
import type { Framework } from '../framework/types.js';
import { clip, sortProblems, type Problem } from '../problems.js';
import type { AnswerRecord } from '../scoring/cohort.js';
import { NA, NO_ANSWER, NOT_APPLICABLE, type Choices } from '../scoring/score.js';
import { parseSurveyAnswer, type SurveyValue } from '../survey/answers.js';

/** A cohort's answers, validated and grouped: organisation → round → choices. */
export interface AnswerSet {
  /** In order of first appearance. */
  organisations: string[];
  /** In order of first appearance: the order rounds are compared in. */
  rounds: string[];
  assessments: Map<string, Map<string, Choices>>;
  /**
   * The answers to the framework's unscored (survey) questions: organisation → round → question
   * → value. Never in `assessments`, so no score sees them. Empty for a framework without any.
   */
  survey?: Map<string, Map<string, Map<string, SurveyValue>>>;
  /** How many records were read. */
  count: number;
}

interface Slot {
  choices: Choices;
  /** Where each answer came from: its line, or −(record number) when there is no line. */
  from: Int32Array;
}

/**
 * Validates answer records against a framework and groups them in one pass: every question
 * must exist, every answer be one of its options (or `na` where allowed, or empty), and no
 * (organisation, round, question) appear twice — a duplicate names both lines. All problems
 * are collected; nothing stops at the first.
 */
export class AnswerCollector {
  private readonly index;
  private readonly slots = new Map<string, Map<string, Slot>>();
  private readonly rounds: string[] = [];
  private readonly seenRounds = new Set<string>();
  private readonly problems: Problem[] = [];
  /** organisation → round → question → the value and where it came from. */
  private readonly surveySlots = new Map<
    string,
    Map<string, Map<string, { value: SurveyValue | null; from: number }>>
  >();
  private count = 0;
  private last: { organisation: string; round: string; slot: Slot } | undefined;

  constructor(
    private readonly fw: Framework,
    private readonly file: string,
  ) {
    this.index = indexFramework(fw);
  }

  add(r: AnswerRecord): void {
    const n = ++this.count;
    const entry = this.index.questions.get(r.question);
    if (!entry && this.index.survey.has(r.question)) {
      this.addSurvey(r, n);
      return;
    }
    let choice: number = NO_ANSWER;
    if (!entry) {
      this.problem(
        r,
        n,
        `unknown question \`${clip(r.question)}\`: framework ${this.fw.id} ${this.fw.version} has no such question${this.nearest(r.question)}`,
      );
    } else if (r.answer === NA) {
      if (entry.question.na) choice = NOT_APPLICABLE;
      else
        this.problem(
          r,
          n,
          `question \`${r.question}\` does not allow \`na\` (not applicable); choose one of: ${[...entry.options.keys()].join(', ')}`,
        );
    } else if (r.answer !== '') {
      const position = entry.optionPosition.get(r.answer);
      if (position !== undefined) choice = position;
      else {
        const hint = this.optionHint(entry.question, r.answer);
        const choices = [...entry.options.keys(), ...(entry.question.na ? [NA] : [])].join(', ');
        this.problem(
          r,
          n,
          `question \`${r.question}\` has no option \`${clip(r.answer)}\`${hint}; choose one of: ${choices}, or leave it empty`,
        );
      }
    }
    const slot = this.slot(r.organisation, r.round);
    if (!entry) return;
    const first = slot.from[entry.position]!;
    if (first !== 0) {
      const here = r.line !== undefined ? `line ${r.line}` : `record ${n}`;
      const there = first > 0 ? `line ${first}` : `record ${-first}`;
      this.problem(
        r,
        n,
        `duplicate answer for organisation "${clip(r.organisation)}", round "${clip(r.round)}", question \`${r.question}\`: ${here} repeats ${there}`,
      );
      return;
    }
    slot.from[entry.position] = r.line ?? -n;
    slot.choices[entry.position] = choice;
  }

  /** A record answering an unscored question: read by its type, kept apart from the choices. */
  private addSurvey(r: AnswerRecord, n: number): void {
    const { question } = this.index.survey.get(r.question)!;
    const parsed = parseSurveyAnswer(question, r.answer);
    if (!parsed.ok) this.problem(r, n, parsed.message);
    this.slot(r.organisation, r.round);
    let byRound = this.surveySlots.get(r.organisation);
    if (!byRound) this.surveySlots.set(r.organisation, (byRound = new Map()));
    let answers = byRound.get(r.round);
    if (!answers) byRound.set(r.round, (answers = new Map()));
    const first = answers.get(r.question);
    if (first) {
      const here = r.line !== undefined ? `line ${r.line}` : `record ${n}`;
      const there = first.from > 0 ? `line ${first.from}` : `record ${-first.from}`;
      this.problem(
        r,
        n,
        `duplicate answer for organisation "${clip(r.organisation)}", round "${clip(r.round)}", question \`${r.question}\`: ${here} repeats ${there}`,
      );
      return;
    }
    answers.set(r.question, { value: parsed.ok ? parsed.value : null, from: r.line ?? -n });
  }

  /** The problems found, in file order; empty when every record was valid. */
  result(): { set: AnswerSet; problems: Problem[] } {
    const assessments = new Map<string, Map<string, Choices>>();
    for (const [organisation, byRound] of this.slots) {
      const mine = new Map<string, Choices>();
      for (const round of this.rounds) {
        const slot = byRound.get(round);
        if (slot) mine.set(round, slot.choices);
      }
      assessments.set(organisation, mine);
    }
    const survey = new Map<string, Map<string, Map<string, SurveyValue>>>();
    for (const [organisation, byRound] of this.surveySlots) {
      const mine = new Map<string, Map<string, SurveyValue>>();
      for (const [round, answers] of byRound) {
        const values = new Map<string, SurveyValue>();
        for (const [id, { value }] of answers) if (value !== null) values.set(id, value);
        mine.set(round, values);
      }
      survey.set(organisation, mine);
    }
    return {
      set: { organisations: [...this.slots.keys()], rounds: [...this.rounds], assessments, survey, count: this.count },
      problems: sortProblems(this.problems),
    };
  }

  private slot(organisation: string, round: string): Slot {
    // A file's rows come grouped by organisation and round: most rows reuse the last slot.
    const last = this.last;
    if (last && last.organisation === organisation && last.round === round) return last.slot;
    const slot = this.findSlot(organisation, round);
    this.last = { organisation, round, slot };
    return slot;
  }

  private findSlot(organisation: string, round: string): Slot {
    if (!this.seenRounds.has(round)) {
      this.seenRounds.add(round);
      this.rounds.push(round);
    }
    let byRound = this.slots.get(organisation);
    if (!byRound) this.slots.set(organisation, (byRound = new Map()));
    let slot = byRound.get(round);
    if (!slot) {
      const size = this.index.questionCount;
      slot = { choices: new Int16Array(size).fill(NO_ANSWER), from: new Int32Array(size) };
      byRound.set(round, slot);
    }
    return slot;
  }

  private problem(r: AnswerRecord, n: number, message: string): void {
    this.problems.push(
      r.line !== undefined
        ? { file: this.file, line: r.line, message }
        : { file: this.file, message: `record ${n}: ${message}` },
    );
  }

  private nearest(id: string): string {
    const lower = id.toLowerCase();
    const ids = [...this.index.questions.keys(), ...this.index.survey.keys()];
    const hit = ids.find((q) => q.toLowerCase() === lower) ?? ids.find((q) => q.toLowerCase().endsWith(`.${lower}`));
    return hit ? ` (did you mean \`${hit}\`?)` : '';
  }

  /** An option id written in other letter case, or not applicable written otherwise — where `na` is allowed. */
  private optionHint(question: Framework['domains'][number]['questions'][number], answer: string): string {
    const lower = answer.trim().toLowerCase();
    const option = question.options.find((o) => o.id.toLowerCase() === lower);
    if (option) return ` (did you mean \`${option.id}\`?)`;
    if (question.na && (lower === NA || lower === 'n/a')) return ' (write not applicable as `na`)';
    return '';
  }
}

/** Validates and groups records in one go. */
export function collectAnswers(
  fw: Framework,
  records: Iterable<AnswerRecord>,
  file = 'answers',
): { set: AnswerSet; problems: Problem[] } {
  const collector = new AnswerCollector(fw, file);
  for (const r of records) collector.add(r);
  return collector.result();
}
