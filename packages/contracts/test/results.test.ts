import { explainAssessment, scoreCohort } from '@kalaja/engine';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { answersArb, cohortArb, frameworkArb } from '../../engine/test/fixtures/arbitraries.js';
import { assessmentExplanation, cohortReport, scoreReportSchema } from '../src/index.js';

/**
 * The results API validates its responses with these schemas, and a response schema drops what
 * it does not name. So each must carry every field the engine computes, for any framework and
 * any answers: when the engine's figures grow a field (a statistic, an explanation), these fail
 * until the contract names it, instead of the pages silently never receiving it.
 */
describe('the results contracts', () => {
  it('carry every field of the engine’s cohort figures, unchanged', () => {
    fc.assert(
      fc.property(cohortArb, ({ fw, records }) => {
        const report = scoreCohort(fw, records);
        expect(cohortReport.parse(report)).toStrictEqual(report);
        expect(scoreReportSchema.safeParse(report).success).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('carry every field of the engine’s explanation of an assessment, unchanged', () => {
    fc.assert(
      fc.property(
        frameworkArb.chain((fw) => fc.tuple(fc.constant(fw), answersArb(fw))),
        ([fw, answers]) => {
          const explained = explainAssessment(fw, answers);
          expect(assessmentExplanation.parse(explained)).toStrictEqual(explained);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('refuse a cohort report whose figures are not numbers', () => {
    const bad = {
      framework: { id: 'f', version: '1' },
      results: [],
      cohort: { r: { n: 1, overall: { n: 1 } } },
      change: [],
    };
    expect(cohortReport.safeParse(bad).success).toBe(false);
  });
});
