import { describe, expect, it } from 'vitest';
import { checkAnswers } from '../src/modules/exchange/import-check.js';

const MIXED = `kalaja: framework/1
id: mixed
version: "1"
title: Mixed
domains:
  - id: access
    title: Access
    questions:
      - id: access.mfa
        text: Two-step login?
        options:
          - {id: "no", label: "No", score: 0}
          - {id: "yes", label: "Yes", score: 1}
      - id: access.staff
        type: number
        text: How many people?
`;

describe('an answers import into a programme whose framework holds survey questions', () => {
  it('refuses a survey answer at its line, whatever its kind, and imports nothing', () => {
    const r = checkAnswers({
      framework: { source: MIXED, format: 'yaml' },
      round: 'baseline',
      layer: 'own',
      targets: [{ name: 'Drita', status: 'draft' }],
      input: 'organisation,round,question,answer\nDrita,baseline,access.mfa,yes\nDrita,baseline,access.staff,twelve\n',
      file: 'a.csv',
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => [p.line, p.message])).toEqual([
      [3, 'question `access.staff` takes a number, not `twelve`'],
      [
        3,
        "question `access.staff` is a survey question: the organisation answers it in the app's survey, not in an answers import",
      ],
    ]);
  });
});
