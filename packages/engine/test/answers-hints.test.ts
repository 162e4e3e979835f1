import { describe, expect, it } from 'vitest';
import { readAnswers } from '../src/index.js';
import { small } from './fixtures/frameworks.js';

/** The hints in an answers file's problems: right where they apply, and only there. */
const problemsOf = (rows: string) => {
  const r = readAnswers(small(), `organisation,round,question,answer\n${rows}`, { file: 'a.csv' });
  return r.ok ? [] : r.problems.map((p) => p.message);
};

describe('hints for answers that are not option ids', () => {
  it('suggests the option id written in other letter case', () => {
    expect(problemsOf('A,r1,access.mfa,All\n')).toEqual([
      'question `access.mfa` has no option `All` (did you mean `all`?); choose one of: none, dont-know, some, all, or leave it empty',
    ]);
  });

  it('suggests a question id written in other letter case', () => {
    expect(problemsOf('A,r1,Access.MFA,all\n')[0]).toContain('(did you mean `access.mfa`?)');
  });

  it('offers `na` only for a question that allows it', () => {
    // access.admin allows not applicable; access.manager does not.
    expect(problemsOf('A,r1,access.admin,N/A\n')[0]).toContain(
      '(write not applicable as `na`); choose one of: no, half, yes, na,',
    );
    const refused = problemsOf('A,r1,access.manager,N/A\n')[0]!;
    expect(refused).not.toContain('`na`');
    expect(refused).toContain('choose one of: no, yes, or leave it empty');
  });
});
