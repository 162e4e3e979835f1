/**
 * A framework as wide as NIST CSF 2.0 — its 22 categories as domains, two questions each — and
 * a cohort's answers to it, generated so reports can be tested at that width: every table with
 * a column per domain, long domain titles, scores of 10.0 and of 0.0.
 */

export const CSF_CATEGORIES: readonly [string, string][] = [
  ['gv-oc', 'Organizational Context'],
  ['gv-rm', 'Risk Management Strategy'],
  ['gv-rr', 'Roles, Responsibilities, and Authorities'],
  ['gv-po', 'Policy'],
  ['gv-ov', 'Oversight'],
  ['gv-sc', 'Cybersecurity Supply Chain Risk Management'],
  ['id-am', 'Asset Management'],
  ['id-ra', 'Risk Assessment'],
  ['id-im', 'Improvement'],
  ['pr-aa', 'Identity Management, Authentication, and Access Control'],
  ['pr-at', 'Awareness and Training'],
  ['pr-ds', 'Data Security'],
  ['pr-ps', 'Platform Security'],
  ['pr-ir', 'Technology Infrastructure Resilience'],
  ['de-cm', 'Continuous Monitoring'],
  ['de-ae', 'Adverse Event Analysis'],
  ['rs-ma', 'Incident Management'],
  ['rs-an', 'Incident Analysis'],
  ['rs-co', 'Incident Response Reporting and Communication'],
  ['rs-mi', 'Incident Mitigation'],
  ['rc-rp', 'Incident Recovery Plan Execution'],
  ['rc-co', 'Incident Recovery Communication'],
];

const OPTIONS = ['absent', 'partial', 'mostly', 'full'] as const;

/** The framework's YAML: one domain per CSF 2.0 category, scale 10, bands, a cap in the first. */
export function wideFrameworkYaml(domains = CSF_CATEGORIES.length): string {
  const lines = [
    'kalaja: framework/1',
    'id: csf-wide',
    'version: "1.0.0"',
    'title: A framework as wide as NIST CSF 2.0',
    'scale: 10',
    'levels:',
    '  - {min: 0, label: Basics missing}',
    '  - {min: 4, label: Developing}',
    '  - {min: 7, label: Established}',
    'domains:',
  ];
  for (const [id, title] of CSF_CATEGORIES.slice(0, domains)) {
    lines.push(`  - id: ${id}`, `    title: ${title}`, '    questions:');
    for (const q of [1, 2]) {
      lines.push(
        `      - id: ${id}.q${q}`,
        `        text: Is the practice ${q} of ${title.toLowerCase()} in place?`,
        ...(id === 'gv-oc' && q === 1 ? ['        cap: 4'] : []),
        '        options:',
        '          - {id: absent, label: Not at all, score: 0}',
        '          - {id: partial, label: In part, score: 0.25}',
        '          - {id: mostly, label: Mostly, score: 0.75}',
        '          - {id: full, label: Fully, score: 1}',
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Answers of `organisations` organisations in a baseline and a reassessment; the first is fully in place at reassessment. */
export function wideAnswersCsv(organisations = 6, domains = CSF_CATEGORIES.length): string {
  const rows = ['organisation,round,question,answer,note'];
  for (let o = 0; o < organisations; o++) {
    for (const [r, round] of ['baseline', 'reassessment'].entries()) {
      CSF_CATEGORIES.slice(0, domains).forEach(([id], d) => {
        for (const q of [1, 2]) {
          const option = o === 0 && r === 1 ? 3 : (o * 7 + d * 3 + q + r * 2) % OPTIONS.length;
          rows.push(`Organisation ${o + 1},${round},${id}.q${q},${OPTIONS[option]},`);
        }
      });
    }
  }
  return `${rows.join('\n')}\n`;
}
