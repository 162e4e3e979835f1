// @vitest-environment happy-dom
import type {
  InterventionInfo,
  InterventionRanking,
  Me,
  OrganisationPlan,
  PlanItem,
  Programme,
} from '@kalaja/contracts';
import { loadFramework } from '@kalaja/engine';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render, screen, within } from '@testing-library/react';
import { Suspense } from 'react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { SMALL_YAML } from '../../../packages/engine/test/fixtures/frameworks';
import { PlanPage } from '../src/features/plan/plan-page';
import i18next from '../src/i18n';

/**
 * An organisation's plan page in a DOM, fed by a stubbed API: the organisation's people see what
 * to do next (open items, quick wins first) and only the moves the contract allows, never the
 * planners' controls; the planners see the ranking with each intervention's explanation in the
 * framework's words, beside the plan.
 */

const loaded = loadFramework(SMALL_YAML, { file: 'small.yaml' });
if (!loaded.ok) throw new Error('the test framework does not load');
const frameworkView = { frameworkId: 'fw-small-000', ...loaded.value };
const programme: Programme = {
  id: 'programme-0001',
  name: 'Newsroom security 2026',
  framework: { id: 'fw-small-000', key: 'small', version: '1.0.0' },
  rounds: [{ id: 'round-base-01', name: 'baseline', position: 0, startsOn: null, endsOn: null }],
};
const assessmentId = 'assessment-01';
const me: Me = {
  id: 'user-000001',
  email: 'drita@lajmi.test',
  displayName: 'Drita Berisha',
  isInstanceAdmin: false,
  memberships: [{ role: 'org_member', programmeId: programme.id, organisationId: 'organisation-1' }],
};

const intervention = (id: string, effort: InterventionInfo['effort']): InterventionInfo => ({
  id,
  title: `Intervention ${id}`,
  kind: 'technical',
  effort,
  cost: 'none',
  summary: `Why ${id} matters.`,
  steps: [`First step of ${id}`, `Second step of ${id}`],
  handbook: ['accounts-two-step'],
});

const item = (id: string, over: Partial<PlanItem>): PlanItem => ({
  id,
  version: 1,
  programmeId: programme.id,
  organisationId: 'organisation-1',
  roundId: 'round-base-01',
  round: 'baseline',
  intervention: null,
  title: null,
  kind: 'technical',
  status: 'planned',
  owner: null,
  dueOn: null,
  overdue: false,
  notes: '',
  dropReason: null,
  doneAt: null,
  createdAt: '2026-01-10T09:00:00.000Z',
  updatedAt: '2026-01-10T09:00:00.000Z',
  evidence: [],
  history: [],
  ...over,
});

// As the server orders them: open items quick wins first, then done, then dropped.
const items = [
  item('item-quick-01', { intervention: intervention('mfa-rollout', 'low'), dueOn: '2026-02-01', overdue: true }),
  item('item-slow-001', { intervention: intervention('offline-backup', 'high'), status: 'in_progress' }),
  item('item-done-001', { title: 'Lock the cupboard', status: 'done', doneAt: '2026-01-20T10:00:00.000Z' }),
  item('item-drop-001', { title: 'Buy a shredder', status: 'dropped', dropReason: 'Bought one already.' }),
];

function plan(canPlan: boolean): OrganisationPlan {
  return {
    programmeId: programme.id,
    organisationId: 'organisation-1',
    organisation: 'Lajmi i Lirë',
    today: '2026-03-01',
    canPlan,
    people: [{ id: 'user-000001', displayName: 'Drita Berisha' }],
    items,
  };
}

function ranking(canPlan: boolean, n = 1): InterventionRanking {
  return {
    assessmentId,
    programmeId: programme.id,
    organisationId: 'organisation-1',
    roundId: 'round-base-01',
    round: 'baseline',
    catalogue: { id: 'test', version: '1.0.0' },
    overall: 4,
    canPlan,
    interventions: Array.from({ length: n }, (_, i) => ({
      intervention: intervention(i === 0 ? 'mfa-rollout' : `other-${i}`, 'low'),
      rank: i + 1,
      gain: 2,
      priority: 2,
      quickWin: true,
      questions: ['access.mfa'],
      moves: [{ question: 'access.mfa', domain: 'access', from: 'none', to: 'all' }],
      domains: { access: 6 },
      planItem: i === 0 ? 'item-quick-01' : null,
    })),
  };
}

function open(canPlan: boolean, ranked = 1) {
  const routes: Record<string, unknown> = {
    '/me': me,
    [`/assessments/${assessmentId}`]: {
      id: assessmentId,
      programmeId: programme.id,
      roundId: 'round-base-01',
      organisationId: 'organisation-1',
      status: 'validated',
      answers: [],
    },
    [`/assessments/${assessmentId}/interventions`]: ranking(canPlan, ranked),
    [`/programmes/${programme.id}/organisations/organisation-1/plan`]: plan(canPlan),
    [`/programmes/${programme.id}`]: programme,
    [`/frameworks/${frameworkView.frameworkId}`]: frameworkView,
  };
  vi.stubGlobal('fetch', async (input: string) => {
    const path = new URL(input, 'http://localhost').pathname.replace(/^\/api\/v1/, '');
    const body = routes[path];
    return new Response(
      JSON.stringify(body ?? { error: { code: 'not_found', message: 'There is nothing here.', requestId: 'r' } }),
      { status: body ? 200 : 404, headers: { 'content-type': 'application/json' } },
    );
  });
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const router = createMemoryRouter(
    [
      {
        path: '/assessments/:id/plan',
        element: (
          <Suspense fallback={<p>loading</p>}>
            <PlanPage />
          </Suspense>
        ),
      },
    ],
    { initialEntries: [`/assessments/${assessmentId}/plan`] },
  );
  render(
    <QueryClientProvider client={client}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
}

const buttons = (article: HTMLElement) =>
  within(article)
    .queryAllByRole('button')
    .map((b) => b.textContent);

beforeAll(async () => {
  await i18next.changeLanguage('en');
  await i18next.loadNamespaces(['common', 'plan']);
});

afterEach(() => cleanup());

describe('an organisation\u2019s plan page', () => {
  it('shows the organisation what to do next, with only the moves each status allows and no planning', async () => {
    open(false);
    const next = await screen.findByRole('region', { name: 'What to do next' });
    const titles = within(next)
      .getAllByRole('heading', { level: 3 })
      .map((h) => h.textContent);
    expect(titles).toEqual([
      'Intervention mfa-rollout',
      'Intervention offline-backup',
      'Lock the cupboard',
      'Buy a shredder',
    ]);
    const [quick, slow, done, dropped] = within(next).getAllByRole('article');
    expect(quick!.textContent).toContain('Quick win');
    expect(quick!.textContent).toContain('Overdue since Feb 1, 2026');
    expect(buttons(quick!)).toEqual(['Start', 'Mark done', 'Drop…', 'Save the notes']);
    expect(buttons(slow!)).toEqual(['Mark done', 'Back to planned', 'Drop…', 'Save the notes']);
    expect(buttons(done!)).toEqual(['Reopen', 'Save the notes']);
    expect(done!.textContent).toContain('Done on Jan 20, 2026');
    expect(buttons(dropped!)).toEqual(['Take it up again', 'Save the notes']);
    expect(dropped!.textContent).toContain('Dropped: Bought one already.');
    // The steps, in order, with the handbook sections they draw on.
    expect(within(quick!).getByText('First step of mfa-rollout')).toBeTruthy();
    expect(quick!.textContent).toContain('Handbook sections: accounts-two-step');
    expect(within(quick!).getByRole('link', { name: 'accounts-two-step' }).getAttribute('href')).toBe(
      '/handbook/accounts-two-step',
    );
    // No ranking, no owner or due date to set: those are the planners'.
    expect(screen.queryByRole('region', { name: 'Ranked interventions' })).toBeNull();
    expect(screen.queryAllByLabelText('Owner')).toEqual([]);
    expect(screen.queryByText('Add an item of your own')).toBeNull();
  });

  it('shows the planners the ranking beside the plan, each intervention explained in the framework\u2019s words', async () => {
    open(true, 12);
    const ranked = await screen.findByRole('region', { name: 'Ranked interventions' });
    const entries = within(ranked)
      .getAllByRole('listitem')
      .filter((li) => li.classList.contains('ranked'));
    // The first ten, the rest on request.
    expect(entries).toHaveLength(10);
    expect(within(ranked).getByRole('button', { name: 'Show all 12 interventions' })).toBeTruthy();
    const first = entries[0]!;
    expect(first!.textContent).toContain(
      'Raises “Is two-step login on for email?” from “No account has it” to “Every account has it”.',
    );
    expect(first!.textContent).toContain('+6.0 Identity and access');
    expect(first!.textContent).toContain('+2.0 overall');
    // Already in the plan: no second pick; the next one can be added with an owner and a due date.
    expect(within(first).getByText('In the plan')).toBeTruthy();
    expect(within(first).queryByRole('button', { name: /^Add/ })).toBeNull();
    expect(within(entries[1]!).getByRole('button', { name: 'Add “Intervention other-1” to the plan' })).toBeTruthy();
    expect(within(entries[1]!).getByLabelText('Owner')).toBeTruthy();
    const list = screen.getByRole('region', { name: 'The plan' });
    expect(within(list).getByText('Add an item of your own')).toBeTruthy();
    expect(within(list).getAllByRole('article')).toHaveLength(4);
  });
});
