// @vitest-environment happy-dom
import type { CohortOrganisationsPage, CohortResults, CohortSummary, Me, Programme } from '@kalaja/contracts';
import { explainAssessment, loadFramework, scoreCohort, type AnswerRecord, type Framework } from '@kalaja/engine';
import { formatNumber, formatSigned } from '@kalaja/engine/display';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render, screen, within } from '@testing-library/react';
import { Suspense, type ComponentType } from 'react';
import { createMemoryRouter, Outlet, RouterProvider } from 'react-router';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { SMALL_YAML } from '../../../packages/engine/test/fixtures/frameworks';
import { CHART_MARKS } from '../src/features/results/chart';
import { CohortResultsPage } from '../src/features/results/cohort-results';
import { resultsRoutes } from '../src/features/results/routes';
import { queryClient } from '../src/query-client';
import { OrganisationResultsPage } from '../src/features/results/organisation-results';
import i18next from '../src/i18n';

/**
 * The results pages in a DOM, fed by a stubbed API with figures the engine computed: the page
 * must show those figures as the engine prints them (rounded half up, no "-0.00"), explain a
 * cap by the answer that caused it, and never show an observer what the server withheld.
 * ECharts is replaced by a recorder, so the tests also see what each chart was given.
 */

const charts = vi.hoisted(() => {
  const options: Record<string, unknown>[] = [];
  const module = () => ({
    init: () => ({
      setOption: (option: Record<string, unknown>) => options.push(option),
      resize() {},
      dispose() {},
      on() {},
      off() {},
    }),
  });
  return { options, module };
});
vi.mock('../src/features/results/echarts-organisation', () => charts.module());
vi.mock('../src/features/results/echarts-cohort', () => charts.module());

/** A ResizeObserver that reports one width at once: happy-dom lays nothing out. */
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
const frameworkView = { frameworkId: 'fw-small-000', ...fw };

const programme: Programme = {
  id: 'programme-0001',
  name: 'Newsroom security 2026',
  framework: { id: 'fw-small-000', key: 'small', version: '1.0.0' },
  rounds: [
    { id: 'round-base-01', name: 'baseline', position: 0, startsOn: null, endsOn: null },
    { id: 'round-again-1', name: 'reassessment', position: 1, startsOn: null, endsOn: null },
  ],
};

const member = (role: Me['memberships'][number]['role'], organisationId: string | null = null): Me => ({
  id: 'user-000001',
  email: 'drita@lajmi.test',
  displayName: 'Drita Berisha',
  isInstanceAdmin: false,
  memberships: [{ role, programmeId: programme.id, organisationId }],
});

/** A route's answer: a body, or a function of the query string that makes one (in time). */
type Served = unknown | ((query: URLSearchParams) => unknown);
/** The paths the app asked for, in order, with their query strings. */
const asked: string[] = [];

/** Answers the app's API calls from `routes` (path → body); anything else is the server's 404. */
function serve(routes: Record<string, Served>) {
  asked.length = 0;
  vi.stubGlobal('fetch', async (input: string) => {
    const url = new URL(input, 'http://localhost');
    const path = url.pathname.replace(/^\/api\/v1/, '');
    asked.push(`${path}${url.search}`);
    if (!(path in routes))
      return new Response(
        JSON.stringify({ error: { code: 'not_found', message: 'There is nothing here.', requestId: 'req-1' } }),
        { status: 404, headers: { 'content-type': 'application/json' } },
      );
    const route = routes[path];
    const body = typeof route === 'function' ? await route(url.searchParams) : route;
    return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
  });
}

function show(Page: ComponentType, route: string, at: string) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const router = createMemoryRouter(
    [
      {
        path: route,
        element: (
          <Suspense fallback={<p>loading</p>}>
            <Page />
          </Suspense>
        ),
      },
    ],
    { initialEntries: [at] },
  );
  render(
    <QueryClientProvider client={client}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
}

/** The cells of a table's body rows, as text (the tables sit in closed <details>, hidden to role queries). */
const rowsOf = (table: HTMLElement) =>
  [...table.querySelectorAll('tbody tr')].map((row) =>
    [...row.querySelectorAll('th, td')].map((c) => c.textContent?.trim() ?? ''),
  );

beforeAll(async () => {
  vi.stubGlobal('ResizeObserver', OneWidth);
  await i18next.changeLanguage('en');
  await i18next.loadNamespaces(['common', 'results']);
});

afterEach(() => {
  cleanup();
  charts.options.length = 0;
});

describe('an organisation’s results page', () => {
  // "No account has it" on the capped question: the access domain, 5.0 on its answers, is held down to 4.
  const answers = new Map([
    ['access.mfa', 'none'],
    ['access.admin', 'yes'],
    ['access.manager', 'yes'],
    ['backup.offline', 'yes'],
    ['backup.tested', 'na'],
  ]);
  const explained = explainAssessment(fw, answers);
  const assessmentId = 'assessment-01';

  function open(extra: Record<string, Served> = {}) {
    serve({
      '/me': member('org_admin', 'organisation-1'),
      [`/assessments/${assessmentId}`]: {
        id: assessmentId,
        programmeId: programme.id,
        roundId: 'round-base-01',
        organisationId: 'organisation-1',
        status: 'validated',
        answers: [],
      },
      [`/assessments/${assessmentId}/results`]: explained,
      [`/programmes/${programme.id}`]: programme,
      [`/frameworks/${frameworkView.frameworkId}`]: frameworkView,
      '/assessments': [
        {
          id: assessmentId,
          status: 'validated',
          programmeId: programme.id,
          programme: programme.name,
          organisationId: 'organisation-1',
          organisation: 'Lajmi i Lirë',
          round: 'baseline',
          as: 'organisation',
        },
      ],
      ...extra,
    });
    show(OrganisationResultsPage, '/assessments/:id/results', `/assessments/${assessmentId}/results`);
  }

  it('shows the overall score, its band and completeness as the engine computed them', async () => {
    open();
    expect(await screen.findByRole('heading', { level: 1, name: 'Results of Lajmi i Lirë' })).toBeTruthy();
    const summary = screen.getByRole('region', { name: 'Summary' });
    expect(summary.querySelector('.score-big')?.textContent).toBe(formatNumber(explained.score.overall, 1));
    const band = [...fw.levels].reverse().find((l) => explained.score.overall! >= l.min)!.label;
    expect(summary.querySelector('.score-band')?.textContent).toBe(band);
    expect(within(summary).getByText('100%')).toBeTruthy();
    expect(screen.getByText('Validated by an assessor.')).toBeTruthy();
  });

  it('gives every domain’s score and band in the table beside the radar, and draws the same figures', async () => {
    open();
    const table = await screen.findByRole('table', { name: 'Score and band of each domain' });
    expect(rowsOf(table)).toEqual(
      fw.domains.map((d) => {
        const score = explained.score.domains[d.id]!;
        const band = [...fw.levels].reverse().find((l) => score >= l.min)!.label as string;
        return [d.title, formatNumber(score, 1), band];
      }),
    );
    // The chart module loads after the page: wait for the radar to be given its option.
    await vi.waitFor(() => expect(charts.options.some((o) => 'radar' in o)).toBe(true));
    const radar = charts.options.find((o) => 'radar' in o) as { series: { data: { value: number[] }[] }[] };
    expect(radar.series[0]!.data[0]!.value).toEqual(fw.domains.map((d) => explained.score.domains[d.id]));
  });

  it('explains a capped domain by the answer that capped it', async () => {
    open();
    await screen.findByRole('heading', { level: 1, name: 'Results of Lajmi i Lirë' });
    const access = screen
      .getAllByRole('group')
      .find((d) => d.querySelector('.domain-title')?.textContent === 'Identity and access')!;
    expect(explained.domains[0]!.uncapped).toBe(5);
    expect(access.querySelector('.flag-cap')?.textContent).toBe('Capped');
    expect(access.querySelector('.cap-note')?.textContent).toContain('Capped at 4.0 because:');
    expect(access.querySelector('.cap-note')?.textContent).toContain('Without the cap, the domain would score 5.0.');
    expect(access.querySelector('.cap-note')?.textContent).toContain('No account has it');
  });

  it('names the critical gap before any chart, with its domain, the answer and the cap', async () => {
    open();
    const section = await screen.findByRole('region', { name: '1 critical gap' });
    expect(explained.criticalGaps.map((g) => g.question)).toEqual(['access.mfa']);
    expect(within(section).getByText('Is two-step login on for email?')).toBeTruthy();
    expect(section.textContent).toContain(
      'Identity and access · answered “No account has it” · caps the domain at 4.0',
    );
    const summary = screen.getByRole('region', { name: 'Summary' });
    expect(summary.compareDocumentPosition(section) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });

  it('links a critical gap to the handbook sections that draw on the interventions raising it', async () => {
    // The framework names the interventions that raise each question; the sections name theirs.
    const withInterventions = structuredClone(frameworkView);
    const mfa = withInterventions.domains.flatMap((d) => d.questions).find((q) => q.id === 'access.mfa')!;
    mfa.interventions = ['mfa-rollout'];
    const entry = (id: string, title: string, interventions: string[]) => ({
      id,
      title,
      phase: 'prepare',
      domains: ['access'],
      interventions,
      reviewed: '2026-12-03',
      summary: '',
      text: '',
    });
    open({
      [`/frameworks/${frameworkView.frameworkId}`]: withInterventions,
      '/handbook': {
        lang: 'en',
        parts: [
          {
            phase: 'prepare',
            sections: [
              entry('passwords', 'Passwords and managers', ['password-manager']),
              entry('accounts-two-step', 'Two-step login', ['mfa-rollout']),
            ],
          },
        ],
      },
    });
    const section = await screen.findByRole('region', { name: '1 critical gap' });
    const link = await within(section).findByRole('link', { name: 'Two-step login' });
    expect(link.getAttribute('href')).toBe('/handbook/accounts-two-step');
    // Only the section that helps with this question, not every section of its domain.
    expect(within(section).queryByRole('link', { name: 'Passwords and managers' })).toBeNull();
  });

  it('shows no critical-gaps section when every critical control is above its cap', async () => {
    const fine = explainAssessment(fw, new Map([...answers, ['access.mfa', 'some']]));
    expect(fine.criticalGaps).toEqual([]);
    serve({
      '/me': member('org_admin', 'organisation-1'),
      [`/assessments/${assessmentId}`]: {
        id: assessmentId,
        programmeId: programme.id,
        roundId: 'round-base-01',
        organisationId: 'organisation-1',
        status: 'validated',
        answers: [],
      },
      [`/assessments/${assessmentId}/results`]: fine,
      [`/programmes/${programme.id}`]: programme,
      [`/frameworks/${frameworkView.frameworkId}`]: frameworkView,
      '/assessments': [],
    });
    show(OrganisationResultsPage, '/assessments/:id/results', `/assessments/${assessmentId}/results`);
    await screen.findByRole('region', { name: 'Summary' });
    expect(screen.queryByRole('region', { name: /critical gap/ })).toBeNull();
  });

  it('answers “not found” for an assessment the server does not show', async () => {
    serve({ '/me': member('org_admin', 'organisation-2'), '/assessments': [] });
    show(OrganisationResultsPage, '/assessments/:id/results', '/assessments/someone-elses/results');
    expect(
      await screen.findByRole('heading', { level: 1, name: 'We could not find that page, or it is not yours to see.' }),
    ).toBeTruthy();
  });
});

describe('a programme’s cohort results page', () => {
  // Three organisations, two rounds: full answers in the baseline, one changed in the reassessment.
  const answer = (organisation: string, round: string, question: string, option: string): AnswerRecord => ({
    organisation,
    round,
    question,
    answer: option,
  });
  const records: AnswerRecord[] = ['Lajmi i Lirë', 'Qendra', 'Radio Rajoni'].flatMap((o, i) =>
    ['baseline', 'reassessment'].flatMap((round) => [
      answer(o, round, 'access.mfa', ['some', 'all', 'none'][i]!),
      answer(o, round, 'access.manager', round === 'reassessment' && i === 0 ? 'no' : 'yes'),
      answer(o, round, 'backup.offline', i === 1 ? 'no' : 'yes'),
    ]),
  );
  const report = scoreCohort(fw, records);

  /**
   * Serves the cohort page's reads as the server makes them from whole results: the summary
   * (figures without rows, what each change rests on) and, for managers, the organisations of a
   * round by name, a page at a time, each with its assessment (`assessment-<round>-<i>`).
   * `pages` may hold the organisations' answer back.
   */
  const serveCohort = (
    role: 'programme_manager' | 'observer',
    results: Omit<CohortResults, 'programmeId'>,
    pages: (page: CohortOrganisationsPage) => unknown = (page) => page,
  ) => {
    const { results: rows, ...figures } = results.report;
    const basis = figures.change.map(({ from, to }) => {
      const seen = new Map<string, Record<string, string>>();
      for (const r of rows.filter((x) => x.round === from || x.round === to))
        seen.set(r.organisation, { ...seen.get(r.organisation), [r.round === from ? 'from' : 'to']: r.status ?? '' });
      const both = [...seen.values()].filter((x) => x.from && x.to);
      const provisional = both.filter((x) => x.from !== 'validated' || x.to !== 'validated').length;
      return { from, to, both: both.length, provisional, oneRound: seen.size - both.length };
    });
    const summary: CohortSummary = {
      programmeId: programme.id,
      ...results,
      report: figures,
      changeBasis: results.view === 'named' ? basis : [],
    };
    serve({
      '/me': member(role),
      [`/programmes/${programme.id}`]: programme,
      [`/programmes/${programme.id}/results/summary`]: summary,
      ...(role === 'programme_manager' && {
        [`/programmes/${programme.id}/results/organisations`]: (q: URLSearchParams) => {
          const round = q.get('round')!;
          const offset = Number(q.get('offset'));
          const limit = Number(q.get('limit'));
          const all = rows
            .filter((r) => r.round === round)
            .sort((a, b) => a.organisation.localeCompare(b.organisation, 'en'))
            .map((r, i) => ({ ...r, assessmentId: `assessment-${round}-${i}` }));
          return pages({
            programmeId: programme.id,
            round,
            total: all.length,
            offset,
            limit,
            items: all.slice(offset, offset + limit),
          });
        },
      }),
      [`/frameworks/${frameworkView.frameworkId}`]: frameworkView,
    });
  };

  it('shows a manager the cohort figures as the engine rounds them, each organisation linked to its results', async () => {
    serveCohort('programme_manager', {
      view: 'named',
      rounds: ['baseline', 'reassessment'],
      report,
      suppressed: 0,
      minCell: 5,
      published: [],
    });
    show(CohortResultsPage, '/programmes/:id/results', `/programmes/${programme.id}/results`);
    expect(await screen.findByRole('heading', { level: 1, name: 'Cohort results' })).toBeTruthy();
    const stat = (name: string) =>
      screen.getAllByRole('term').find((t) => t.textContent === name)?.nextElementSibling?.textContent;
    const overall = report.cohort.reassessment!.overall;
    expect(stat('Organisations with results')).toBe('3');
    expect(stat('Mean')).toBe(formatNumber(overall.mean, 2));
    expect(stat('Median')).toBe(formatNumber(overall.median, 2));
    const heatmap = await screen.findByRole('table', { name: 'Scores by organisation and domain, round reassessment' });
    const links = within(heatmap).getAllByRole('link');
    expect(links.map((a) => [a.textContent, a.getAttribute('href')])).toEqual([
      ['Lajmi i Lirë', '/assessments/assessment-reassessment-0/results'],
      ['Qendra', '/assessments/assessment-reassessment-1/results'],
      ['Radio Rajoni', '/assessments/assessment-reassessment-2/results'],
    ]);
    // Only what the page shows: the summary and one page of organisations, never every result at once.
    expect(asked.filter((p) => p.includes('/results'))).toEqual([
      `/programmes/${programme.id}/results/summary`,
      `/programmes/${programme.id}/results/organisations?round=reassessment&offset=0&limit=50`,
    ]);
    const change = report.change[0]!.overall;
    expect(screen.getByText(/the overall score changed by/).textContent).toContain(
      `changed by ${formatSigned(change.mean, 2)} on average: ${change.improved} improved, ${change.declined} declined`,
    );
  });

  it('says which assessments the change rests on: validated or provisional, and who is not compared', async () => {
    const mixed = structuredClone(report);
    // Qendra's reassessment only submitted; Radio Rajoni with a baseline only.
    mixed.results = mixed.results
      .filter((r) => !(r.organisation === 'Radio Rajoni' && r.round === 'reassessment'))
      .map((r) => ({
        ...r,
        level: null,
        status: r.organisation === 'Qendra' && r.round === 'reassessment' ? 'submitted' : 'validated',
      }));
    serveCohort('programme_manager', {
      view: 'named',
      rounds: ['baseline', 'reassessment'],
      report: mixed,
      suppressed: 0,
      minCell: 5,
      published: [],
    });
    show(CohortResultsPage, '/programmes/:id/results', `/programmes/${programme.id}/results`);
    const basis = await screen.findByText(
      /It rests on 2 organisations with a result in both baseline and reassessment/,
    );
    expect(basis.textContent).toContain(
      '1 of them has an assessment not yet validated, so its figures are provisional.',
    );
    expect(basis.textContent).toContain(
      '1 organisation has a result in one of the two rounds only and is not compared.',
    );
    expect(screen.getByText(/a shorter bar means some have none in one of them/)).toBeTruthy();
  });

  it('prints a change that rounds to zero as 0.00, never as -0.00', async () => {
    const tiny = structuredClone(report);
    tiny.change[0]!.overall = { ...tiny.change[0]!.overall, mean: -0.0004 };
    serveCohort('programme_manager', {
      view: 'named',
      rounds: ['baseline', 'reassessment'],
      report: tiny,
      suppressed: 0,
      minCell: 5,
      published: [],
    });
    show(CohortResultsPage, '/programmes/:id/results', `/programmes/${programme.id}/results`);
    const sentence = await screen.findByText(/the overall score changed by/);
    expect(sentence.textContent).toContain('changed by 0.00 on average');
    const table = screen.getByRole('table', { name: 'Change per domain from baseline to reassessment' });
    expect(rowsOf(table)[0]![2]).toBe('0.00');
  });

  it('shows an observer no organisation, and names the withheld figures instead of printing them', async () => {
    const n = 3;
    const none = { n, mean: null, median: null, min: null, max: null, sd: null };
    serveCohort('observer', {
      view: 'anonymised',
      rounds: ['baseline', 'reassessment'],
      report: {
        framework: report.framework,
        results: [],
        cohort: Object.fromEntries(
          ['baseline', 'reassessment'].map((r) => [
            r,
            { n, overall: none, domains: Object.fromEntries(fw.domains.map((d) => [d.id, none])) },
          ]),
        ),
        change: [
          {
            from: 'baseline',
            to: 'reassessment',
            n,
            overall: { n, mean: null, improved: 0, declined: 0, unchanged: 0 },
            domains: Object.fromEntries(
              fw.domains.map((d) => [d.id, { n, mean: null, improved: 0, declined: 0, unchanged: 0 }]),
            ),
          },
        ],
      },
      suppressed: 6,
      minCell: 5,
      published: [
        { id: 'PublishedBaseline01', round: 'baseline', version: 2, publishedAt: Date.UTC(2026, 11, 1, 9) },
        { id: 'PublishedReassess01', round: 'reassessment', version: 1, publishedAt: Date.UTC(2026, 11, 2, 9) },
      ],
    });
    show(CohortResultsPage, '/programmes/:id/results', `/programmes/${programme.id}/results`);
    expect(await screen.findByRole('heading', { level: 1, name: 'Cohort results' })).toBeTruthy();
    expect(screen.getByText(/You see the figures the programme's managers published/)).toBeTruthy();
    // Which published version each round's figures come from, each with its open data.
    expect(screen.getByText(/baseline: version 2, published/)).toBeTruthy();
    expect(screen.getAllByRole('button', { name: /Open data \(ZIP\)/ }).map((b) => b.textContent)).toEqual([
      'Open data (ZIP) of baseline, version 2',
      'Open data (ZIP) of reassessment, version 1',
    ]);
    expect(screen.getByText('6 figures are withheld for covering fewer organisations.')).toBeTruthy();
    expect(
      screen.getByText('Fewer than 5 organisations have results in reassessment, so its figures are withheld.'),
    ).toBeTruthy();
    expect(
      screen.getByText('The change from baseline to reassessment covers fewer than 5 organisations and is withheld.'),
    ).toBeTruthy();
    // No table of organisations, no distribution of a cohort this small, and no count of three.
    expect(screen.queryByRole('table', { name: /Scores by organisation/ })).toBeNull();
    expect(screen.queryByRole('table', { name: /Spread of scores/ })).toBeNull();
    expect(document.body.textContent).not.toMatch(/\b3 organisations\b/);
  });

  it('starts the page’s reads from its address, reads each once, and marks each chart as it is drawn', async () => {
    serveCohort('programme_manager', {
      view: 'named',
      rounds: ['baseline', 'reassessment'],
      report,
      suppressed: 0,
      minCell: 5,
      published: [],
    });
    performance.clearMarks(CHART_MARKS.drawn);
    // The app's routes and cache, as the app runs them: the route's loader prefetches into the cache.
    const router = createMemoryRouter(
      [
        {
          element: (
            <Suspense fallback={<p>loading</p>}>
              <Outlet />
            </Suspense>
          ),
          children: resultsRoutes,
        },
      ],
      { initialEntries: [`/programmes/${programme.id}/results`] },
    );
    try {
      render(
        <QueryClientProvider client={queryClient}>
          <RouterProvider router={router} />
        </QueryClientProvider>,
      );
      const heatmap = await screen.findByRole('table', {
        name: 'Scores by organisation and domain, round reassessment',
      });
      expect(rowsOf(heatmap)).toHaveLength(3);
      await vi.waitFor(() =>
        expect(performance.getEntriesByName(CHART_MARKS.drawn)).toHaveLength(
          document.querySelectorAll('.chart').length,
        ),
      );
      // The heatmap, the spread, the means and the change: four charts, each marked once.
      expect(document.querySelectorAll('.chart')).toHaveLength(4);
      const base = `/programmes/${programme.id}`;
      const times = (p: string) => asked.filter((a) => a === p).length;
      expect(times(base)).toBe(1);
      expect(times(`${base}/results/summary`)).toBe(1);
      expect(times(`/frameworks/${programme.framework.id}?lang=en`)).toBe(1);
      expect(asked.filter((a) => a.startsWith(`${base}/results/organisations?`))).toEqual([
        `${base}/results/organisations?round=reassessment&offset=0&limit=50`,
      ]);
    } finally {
      queryClient.clear();
    }
  });

  it('shows a large cohort’s figures before its organisations arrive, then the organisations a page at a time', async () => {
    const options = ['none', 'some', 'all'];
    const many: AnswerRecord[] = Array.from(
      { length: 120 },
      (_, i) => `Organisation ${String(i).padStart(3, '0')}`,
    ).flatMap((o, i) => [
      answer(o, 'baseline', 'access.mfa', options[i % 3]!),
      answer(o, 'baseline', 'backup.offline', i % 2 ? 'yes' : 'no'),
    ]);
    const large = scoreCohort(fw, many);
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    serveCohort(
      'programme_manager',
      { view: 'named', rounds: ['baseline', 'reassessment'], report: large, suppressed: 0, minCell: 5, published: [] },
      async (page) => {
        if (page.offset === 0) await held;
        return page;
      },
    );
    show(CohortResultsPage, '/programmes/:id/results', `/programmes/${programme.id}/results`);
    // The cohort's figures and their tables come with the summary; the heatmap waits for its page.
    const spread = await screen.findByRole('table', { name: 'Spread of scores per domain, round baseline' });
    expect(rowsOf(spread)[0]![1]).toBe('120');
    expect(screen.getByText('Loading the organisations…')).toBeTruthy();
    release();
    const heatmap = await screen.findByRole('table', { name: 'Scores by organisation and domain, round baseline' });
    expect(rowsOf(heatmap)).toHaveLength(50);
    expect(rowsOf(heatmap)[0]![0]).toBe('Organisation 000');
    expect(screen.getByText('Organisations 1–50 of 120')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Previous organisations' }) as HTMLButtonElement).disabled).toBe(true);
    screen.getByRole('button', { name: 'Next organisations' }).click();
    expect(await screen.findByText('Organisations 51–100 of 120')).toBeTruthy();
    await vi.waitFor(() => expect(rowsOf(heatmap)[0]![0]).toBe('Organisation 050'));
    screen.getByRole('button', { name: 'Next organisations' }).click();
    expect(await screen.findByText('Organisations 101–120 of 120')).toBeTruthy();
    await vi.waitFor(() => expect(rowsOf(heatmap)).toHaveLength(20));
    expect((screen.getByRole('button', { name: 'Next organisations' }) as HTMLButtonElement).disabled).toBe(true);
    // The chart is drawn from the page shown, not from all 120.
    await vi.waitFor(() => expect(charts.options.some((o) => 'visualMap' in o)).toBe(true));
  });

  it('tells an observer that nothing is published yet, rather than showing live figures', async () => {
    serveCohort('observer', {
      view: 'anonymised',
      rounds: [],
      report: { framework: report.framework, rounds: [], results: [], cohort: {}, change: [] },
      suppressed: 0,
      minCell: 5,
      published: [],
    });
    show(CohortResultsPage, '/programmes/:id/results', `/programmes/${programme.id}/results`);
    expect(await screen.findByText(/Nothing has been published to observers yet/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: /Open data/ })).toBeNull();
  });
});
