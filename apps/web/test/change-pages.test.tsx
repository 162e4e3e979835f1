// @vitest-environment happy-dom
import type { CohortChange, CohortResults, OrganisationChange } from '@kalaja/contracts';
import { changeOf, loadFramework, organisationChanges, toChoices, type Framework } from '@kalaja/engine';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render, screen } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { SMALL_YAML } from '../../../packages/engine/test/fixtures/frameworks';
import { radarOverlayOption, ROUND_COLOURS } from '../src/features/results/chart-options';
import { CohortChangeWords } from '../src/features/results/cohort-change';
import { OrganisationChangeSection } from '../src/features/results/organisation-change';
import i18next from '../src/i18n';

/**
 * What moved between rounds, in a DOM: the cohort's change in the plain words the contract asks
 * for (with its limits), and one organisation's change with the answers that moved, from
 * figures the engine computed. ECharts is replaced by a recorder.
 */

vi.mock('../src/features/results/echarts-organisation', () => ({
  init: () => ({ setOption() {}, resize() {}, dispose() {}, on() {}, off() {} }),
}));

class OneWidth {
  constructor(private readonly callback: (entries: { contentRect: { width: number } }[]) => void) {}
  observe() {
    this.callback([{ contentRect: { width: 900 } }]);
  }
  disconnect() {}
}

const loaded = loadFramework(SMALL_YAML, { file: 'small.yaml' });
if (!loaded.ok) throw new Error('the test framework does not load');
const fw: Framework = loaded.value;
const rows = [
  { key: '', title: 'Overall' },
  { key: 'access', title: 'Identity and access' },
  { key: 'backup', title: 'Backup and recovery' },
];

function serve(routes: Record<string, unknown>) {
  vi.stubGlobal('fetch', async (input: string) => {
    const path = new URL(input, 'http://localhost').pathname.replace(/^\/api\/v1/, '');
    if (!(path in routes))
      return new Response(JSON.stringify({ error: { code: 'not_found', message: 'Nothing here.', requestId: 'r' } }), {
        status: 404,
        headers: { 'content-type': 'application/json' },
      });
    return new Response(JSON.stringify(routes[path]), { status: 200, headers: { 'content-type': 'application/json' } });
  });
}

const show = (node: ReactNode) =>
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      {node}
    </QueryClientProvider>,
  );

beforeAll(async () => {
  vi.stubGlobal('ResizeObserver', OneWidth);
  await i18next.changeLanguage('en');
  await i18next.loadNamespaces(['common', 'results']);
});

afterEach(() => cleanup());

const named = (change: CohortChange['changes']): [CohortChange, CohortResults] => [
  { programmeId: 'programme-0001', rounds: ['baseline', 'reassessment'], changes: change },
  {
    programmeId: 'programme-0001',
    view: 'named',
    rounds: ['baseline', 'reassessment'],
    report: { framework: { id: 'small', version: '1.0.0' }, rounds: [], results: [], cohort: {}, change: [] },
    suppressed: 0,
    minCell: 5,
    published: [],
  },
];

describe('the cohort’s change in plain words', () => {
  it('says how many improved, the mean with its interval, the test, the provisional left out, and the limits', async () => {
    // Ten organisations validated in both rounds: nine up, one down.
    const d = [0.9, 0.4, 0.7, 0.5, 0.3, 0.8, 0.6, 0.65, 0.55, -0.1];
    const overall = changeOf(d);
    const [change, results] = named([
      { from: 'baseline', to: 'reassessment', n: 10, provisional: 2, overall, domains: { access: overall } },
    ]);
    serve({ '/programmes/programme-0001/change': change });
    show(<CohortChangeWords programmeId="programme-0001" data={results} rows={rows} />);
    const plain = await screen.findByText(/^9 of 10 organisations improved/);
    expect(plain.textContent).toBe(
      `9 of 10 organisations improved; the mean change was +0.53 (95% interval +${overall.ci95![0].toFixed(2)} to +${overall.ci95![1].toFixed(2)}).`,
    );
    expect(
      screen.getByText(/^Wilcoxon signed-rank test over the 10 organisations whose score moved: p = 0\.004/),
    ).toBeTruthy();
    expect(
      screen.getByText(
        /These figures rest on the 10 organisations whose assessments were validated in both rounds\. 2 organisations with results in both rounds are left out/,
      ),
    ).toBeTruthy();
    expect(screen.getByText(/^There is no control group/)).toBeTruthy();
    expect(screen.getByText(/^The cohort was selected, not drawn at random/)).toBeTruthy();
    expect(screen.getByText('With 10 changed pairs, the smallest p the test can reach is 0.002.')).toBeTruthy();
  });

  it('says that p below 0.05 cannot be reached with five changed pairs, and leaves out the unchanged ones', async () => {
    const overall = changeOf([1, 0.5, 0.75, 0.25, 2, 0]);
    const [change, results] = named([
      { from: 'baseline', to: 'reassessment', n: 6, provisional: 0, overall, domains: {} },
    ]);
    serve({ '/programmes/programme-0001/change': change });
    show(<CohortChangeWords programmeId="programme-0001" data={results} rows={rows} />);
    expect(
      await screen.findByText(
        'With 5 changed pairs, the smallest p the test can reach is 0.063, so p below 0.05 is impossible whatever happened.',
      ),
    ).toBeTruthy();
    expect(screen.getByText(/^5 of 6 organisations improved/)).toBeTruthy();
  });

  it('waits for validated assessments before giving any figure', async () => {
    const [change, results] = named([
      { from: 'baseline', to: 'reassessment', n: 0, provisional: 3, overall: changeOf([]), domains: {} },
    ]);
    serve({ '/programmes/programme-0001/change': change });
    show(<CohortChangeWords programmeId="programme-0001" data={results} rows={rows} />);
    expect(await screen.findByText(/^No organisation is validated in both rounds yet/)).toBeTruthy();
    expect(screen.queryByText(/^There is no control group/)).toBeNull();
  });
});

describe('one organisation’s change', () => {
  const before = toChoices(
    fw,
    new Map([
      ['access.mfa', 'some'],
      ['access.manager', 'yes'],
      ['backup.offline', 'yes'],
    ]),
  );
  const after = toChoices(
    fw,
    new Map([
      ['access.mfa', 'all'],
      ['access.manager', 'yes'],
      ['backup.offline', 'no'],
    ]),
  );
  const changes = organisationChanges(fw, [
    { round: 'baseline', choices: before },
    { round: 'reassessment', choices: after },
  ]);
  changes[0]!.domains[0]!.planItems = [
    { id: 'p1', title: 'Two-step login everywhere', domains: ['access'], doneAt: '2026-04-01T09:00:00Z' },
  ];
  const body: OrganisationChange = {
    programmeId: 'programme-0001',
    organisationId: 'organisation-1',
    rounds: [
      {
        round: 'baseline',
        roundId: 'r0',
        assessmentId: 'a0',
        status: 'validated',
        overall: 7.5,
        completeness: 0.6,
        domains: {},
      },
      {
        round: 'reassessment',
        roundId: 'r1',
        assessmentId: 'a1',
        status: 'submitted',
        overall: 6,
        completeness: 0.6,
        domains: {},
      },
    ],
    changes: changes.map((c) => ({
      ...c,
      accounts: [{ domain: 'access', by: 'assessor' as const, text: 'Seen on three laptops.' }],
    })),
  };

  it('names the answers that moved up and down, with the plan items done beside their domain', async () => {
    serve({ '/assessments/a1/change': body });
    show(<OrganisationChangeSection assessmentId="a1" fw={fw} />);
    expect(await screen.findByRole('heading', { name: 'What moved between rounds' })).toBeTruthy();
    expect(
      screen.getByText('“Is two-step login on for email?”: Some accounts have it → Every account has it'),
    ).toBeTruthy();
    expect(screen.getByText('“Is there an offline copy?”: Yes → No')).toBeTruthy();
    expect(screen.getByText(/^Two-step login everywhere \(done/)).toBeTruthy();
    expect(screen.getByText('Submitted (provisional)')).toBeTruthy();
    expect(screen.getByText('Seen on three laptops.')).toBeTruthy();
    expect(screen.getByText('What the assessor observed')).toBeTruthy();
  });

  it('shows nothing while there is only one round', async () => {
    serve({ '/assessments/a1/change': { ...body, rounds: body.rounds.slice(0, 1), changes: [] } });
    const { container } = show(<OrganisationChangeSection assessmentId="a1" fw={fw} />);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(container.textContent).toBe('');
  });
});

describe('the radar overlay of two rounds', () => {
  it('draws each round as its own shape, the earlier light and the later in the accent, missing scores at the centre', () => {
    const option = radarOverlayOption({
      titles: ['Access', 'Backup'],
      rounds: ['baseline', 'reassessment'],
      scores: [
        [4, null],
        [8.75, 5],
      ],
      scale: 10,
      width: 900,
      animate: false,
      format: String,
    });
    const series = (option.series as { data: { name: string; value: number[]; itemStyle: { color: string } }[] }[])[0]!;
    expect(series.data.map((d) => [d.name, d.value])).toEqual([
      ['baseline', [4, 0]],
      ['reassessment', [8.75, 5]],
    ]);
    expect(series.data.map((d) => d.itemStyle.color)).toEqual([ROUND_COLOURS[2], ROUND_COLOURS[3]]);
  });
});
