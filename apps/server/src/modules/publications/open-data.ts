import { csvLine, GAP_SCORE, indexFramework, textFor, type Framework, type PublishedRound } from '@kalaja/engine';
import JSZip from 'jszip';

/**
 * A published version as open data, for a funder to publish as it is: the anonymised aggregates
 * as CSV and JSON, described by a Frictionless Data Package descriptor (`datapackage.json`,
 * Data Package v1 with Table Schemas), and the methodology in plain words. It holds exactly
 * the figures observers see in the app, withheld ones empty with the reason beside them.
 */

interface Field {
  name: string;
  type: 'string' | 'integer' | 'number';
  description: string;
}

const REASONS: Record<string, string> = {
  'small-cell': 'fewer organisations than the minimum stand behind it',
  differencing: 'set beside an earlier published figure it would reveal a few organisations’ scores',
  pinned: 'its value alone would tell each organisation’s own answer or score',
  individual: 'it is one organisation’s own score, or gives away the spread',
};

const num = (x: number | null | undefined) => (x === null || x === undefined ? '' : String(x));

function table(fields: readonly Field[], rows: readonly (string | number | null)[][]): string {
  const lines = [csvLine(fields.map((f) => f.name))];
  for (const r of rows)
    lines.push(
      csvLine(
        r.map((v) => (v === null ? '' : String(v))),
        true,
      ),
    );
  return lines.join('\r\n') + '\r\n';
}

const COHORT: Field[] = [
  { name: 'round', type: 'string', description: 'The assessment round' },
  { name: 'measure', type: 'string', description: '"overall", or the id of a domain' },
  { name: 'measure_title', type: 'string', description: 'The overall score, or the domain’s title' },
  { name: 'organisations', type: 'integer', description: 'Organisations with a score for this measure' },
  { name: 'mean', type: 'number', description: 'Mean score on the framework’s scale, rounded; empty when withheld' },
  { name: 'withheld', type: 'string', description: 'Why the mean is withheld; empty when shown' },
];
const CHANGE: Field[] = [
  { name: 'from_round', type: 'string', description: 'The earlier round' },
  { name: 'to_round', type: 'string', description: 'The later round' },
  { name: 'measure', type: 'string', description: '"overall", or the id of a domain' },
  { name: 'measure_title', type: 'string', description: 'The overall score, or the domain’s title' },
  { name: 'pairs', type: 'integer', description: 'Organisations with a score in both rounds' },
  {
    name: 'mean_change',
    type: 'number',
    description: 'Mean of later minus earlier score, rounded; empty when withheld',
  },
  { name: 'improved', type: 'integer', description: 'Organisations whose score rose' },
  { name: 'declined', type: 'integer', description: 'Organisations whose score fell' },
  { name: 'unchanged', type: 'integer', description: 'Organisations whose score stayed the same' },
  { name: 'wilcoxon_p', type: 'number', description: 'Two-sided p-value of the Wilcoxon signed-rank test' },
  { name: 'rank_biserial', type: 'number', description: 'Matched-pairs rank-biserial correlation (effect size)' },
  { name: 'withheld', type: 'string', description: 'Why the figures are withheld; empty when shown' },
];
const QUESTIONS: Field[] = [
  { name: 'round', type: 'string', description: 'The assessment round' },
  { name: 'question', type: 'string', description: 'The question’s id in the framework' },
  { name: 'domain', type: 'string', description: 'The id of the question’s domain' },
  { name: 'answered', type: 'integer', description: 'Organisations that answered it (not applicable excluded)' },
  { name: 'low', type: 'integer', description: `Of those, answers scoring ${GAP_SCORE} or less, or "Don't know"` },
  { name: 'unknown', type: 'integer', description: 'Of those, "Don\'t know" answers' },
  { name: 'critical', type: 'integer', description: 'Of those, answers at or below the level that caps the domain' },
  { name: 'withheld', type: 'string', description: 'Why the counts are withheld; empty when shown' },
];

const slug = (s: string) =>
  s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60) || 'programme';

export async function openDataPackage(
  fw: Framework,
  p: { programme: string; round: string; version: number; publishedAt: number; figures: PublishedRound },
): Promise<{ name: string; bytes: Buffer }> {
  const f = p.figures;
  const title = (id: string) =>
    id === 'overall' ? 'Overall' : textFor(fw.domains.find((d) => d.id === id)?.title ?? id, 'en');
  const measures = ['overall', ...fw.domains.map((d) => d.id)];
  const statsOf = (m: string) => (m === 'overall' ? f.overall : f.domains[m]);
  const cohortRows = measures.map((m) => {
    const s = statsOf(m)!;
    return [f.round, m, title(m), s.n, num(s.mean), s.withheld.mean ?? ''];
  });
  const changeRows = f.change
    ? measures.map((m) => {
        const c = m === 'overall' ? f.change!.overall : f.change!.domains[m]!;
        const hidden = c.withheld.mean;
        return [
          f.from ?? '',
          f.round,
          m,
          title(m),
          c.n,
          num(c.mean),
          hidden ? '' : c.improved,
          hidden ? '' : c.declined,
          hidden ? '' : c.unchanged,
          num(c.wilcoxon?.p),
          num(c.rankBiserial),
          hidden ?? '',
        ];
      })
    : [];
  const withheldCell = new Map(f.withheld.map((w) => [w.cell, w.reason]));
  const questionRows = indexFramework(fw).ordered.map((q) => {
    const g = f.gaps[q.question.id] ?? { answered: 0, low: null, unknown: null, critical: null };
    return [
      f.round,
      q.question.id,
      q.domain.id,
      g.answered,
      num(g.low),
      num(g.unknown),
      num(g.critical),
      withheldCell.get(`gap:${q.question.id}`) ?? '',
    ];
  });
  const published = new Date(p.publishedAt).toISOString();
  const name = `${slug(p.programme)}-${slug(p.round)}-v${p.version}`;
  const resource = (rname: string, path: string, fields: Field[], description: string) => ({
    name: rname,
    path,
    profile: 'tabular-data-resource',
    format: 'csv',
    mediatype: 'text/csv',
    encoding: 'utf-8',
    description,
    dialect: { delimiter: ',', lineTerminator: '\r\n', header: true },
    schema: { fields, missingValues: [''] },
  });
  const descriptor = {
    profile: 'data-package',
    name,
    title: `${p.programme}: ${p.round}, published results, version ${p.version}`,
    description:
      'Anonymised aggregate results of a cybersecurity capacity-building programme for civil-society ' +
      'organisations and independent media, as published to observers by the programme’s managers. ' +
      'No organisation is named; see methodology.md for what each figure is and why some are withheld.',
    version: String(p.version),
    created: published,
    keywords: ['cybersecurity', 'civil society', 'independent media', 'capacity building'],
    sources: [{ title: `${textFor(fw.title, 'en')} (${fw.id} ${fw.version})` }],
    resources: [
      resource('cohort', 'cohort.csv', COHORT, 'Mean score per measure in the round'),
      ...(f.change
        ? [
            resource(
              'change',
              'change.csv',
              CHANGE,
              `Change from ${f.from ?? ''} to ${f.round}, over the same organisations`,
            ),
          ]
        : []),
      resource('questions', 'questions.csv', QUESTIONS, 'Per question: answers, low answers and critical gaps'),
      {
        name: 'figures',
        path: 'figures.json',
        profile: 'data-resource',
        format: 'json',
        mediatype: 'application/json',
        encoding: 'utf-8',
        description: 'The same figures as the CSV files, as the app holds them',
      },
      {
        name: 'methodology',
        path: 'methodology.md',
        profile: 'data-resource',
        format: 'md',
        mediatype: 'text/markdown',
        encoding: 'utf-8',
        description: 'How the figures were made and what is withheld',
      },
    ],
  };
  const methodology = [
    `# ${p.programme}: ${p.round}, version ${p.version}`,
    '',
    `Published ${published} with Kalaja. Framework: ${textFor(fw.title, 'en')} (${fw.id}, version ${fw.version}),`,
    `${fw.domains.length} domains, ${indexFramework(fw).questionCount} questions, scored 0–${fw.scale}.`,
    '',
    '## What the figures rest on',
    '',
    `${f.organisations} organisations whose assessment of the round was submitted or validated by an assessor.`,
    'Each answer is one of the question’s observable states, each with a score; a domain’s score is the weighted',
    'mean of its answered questions (not applicable ones excluded, "Don\'t know" counting as 0), capped where a',
    'critical control is missing; the overall score is the weighted mean of the domains.',
    '',
    '## What is withheld, and why',
    '',
    `- No figure rests on fewer than ${f.minCell} organisations.`,
    '- Medians, minima, maxima and standard deviations are never published: each is one organisation’s score,',
    '  or gives the spread away. Means are rounded to two decimals.',
    '- A version differs from the previous version of the same round by at least ' +
      `${f.minCell} organisations, and a figure is withheld when, set beside any figure published before, it would`,
    '  isolate fewer: comparing versions cannot reveal one organisation’s score.',
    '- A count equal to 0 or to everyone who answered would tell each organisation’s own answer, and is withheld.',
    '',
    'Reasons in the `withheld` columns:',
    '',
    ...Object.entries(REASONS).map(([r, why]) => `- \`${r}\`: ${why}.`),
    '',
    '## The change between rounds',
    '',
    'Over the organisations with a score in both rounds: the mean change, how many improved, declined or stayed',
    'the same, the two-sided Wilcoxon signed-rank test and its matched-pairs rank-biserial correlation.',
    '',
  ].join('\n');
  const zip = new JSZip();
  const at = new Date(p.publishedAt);
  zip.file('datapackage.json', JSON.stringify(descriptor, null, 2) + '\n', { date: at });
  zip.file('cohort.csv', table(COHORT, cohortRows), { date: at });
  if (f.change) zip.file('change.csv', table(CHANGE, changeRows), { date: at });
  zip.file('questions.csv', table(QUESTIONS, questionRows), { date: at });
  zip.file('figures.json', JSON.stringify(f, null, 2) + '\n', { date: at });
  zip.file('methodology.md', methodology, { date: at });
  const bytes = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
  return { name: `${name}.zip`, bytes };
}
