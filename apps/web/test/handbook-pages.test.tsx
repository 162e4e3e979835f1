// @vitest-environment happy-dom
import type { HandbookContents, HandbookSectionView } from '@kalaja/contracts';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { Suspense } from 'react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { searchHandbook } from '../src/features/handbook/data';
import { HandbookHome, HandbookSectionPage } from '../src/features/handbook/handbook-pages';
import i18next from '../src/i18n';

/**
 * The handbook reader in a DOM, fed by a stubbed API: the three parts, a search over titles and
 * text, and a respond path read one numbered step at a time, with the way to help always there.
 */

const entry = (id: string, title: string, phase: 'prepare' | 'respond' | 'recover', text: string) => ({
  id,
  title,
  phase,
  domains: ['access'],
  interventions: [],
  reviewed: '2026-12-02',
  summary: `${title}: what this is for.`,
  text,
});
const contents: HandbookContents = {
  lang: 'en',
  parts: [
    {
      phase: 'prepare',
      sections: [entry('passwords', 'Passwords and password managers', 'prepare', 'Use a manager.')],
    },
    {
      phase: 'respond',
      sections: [
        entry('lost-account-access', 'I lost access to my account', 'respond', 'Registration lock PIN on Signal.'),
      ],
    },
    { phase: 'recover', sections: [entry('after-action-review', 'The after-action review', 'recover', 'No blame.')] },
  ],
};
const h2 = (anchor: string, text: string) => ({
  t: 'heading' as const,
  level: 2,
  anchor,
  children: [{ t: 'text' as const, text }],
});
const para = (text: string) => ({ t: 'paragraph' as const, children: [{ t: 'text' as const, text }] });
const lost: HandbookSectionView = {
  ...entry('lost-account-access', 'I lost access to my account', 'respond', ''),
  lang: 'en',
  blocks: [
    para('This path is for the moment you cannot get in.'),
    h2('first-stay-safe', 'First, stay safe'),
    para('Work from a device you trust.'),
    h2('questions-to-ask', 'Questions to ask'),
    {
      t: 'paragraph',
      children: [
        { t: 'text', text: 'See ' },
        { t: 'section', id: 'passwords', children: [{ t: 'text', text: 'Passwords' }] },
        { t: 'text', text: '.' },
      ],
    },
    h2('when-to-call-for-help-and-whom', 'When to call for help, and whom'),
    para('The Access Now helpline.'),
    h2('related', 'Related'),
    para('See also these sections.'),
  ],
  linkedFrom: [{ id: 'passwords', title: 'Passwords and password managers' }],
};

function open(at: string) {
  vi.stubGlobal('fetch', async (input: string) => {
    const path = new URL(input, 'http://localhost').pathname.replace(/^\/api\/v1/, '');
    const body = path === '/handbook' ? contents : path === '/handbook/lost-account-access' ? lost : undefined;
    return new Response(JSON.stringify(body ?? { error: { code: 'not_found', message: 'Nothing.', requestId: 'r' } }), {
      status: body ? 200 : 404,
      headers: { 'content-type': 'application/json' },
    });
  });
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const wrap = (el: React.ReactNode) => <Suspense fallback={<p>loading</p>}>{el}</Suspense>;
  const router = createMemoryRouter(
    [
      { path: '/handbook', element: wrap(<HandbookHome />) },
      { path: '/handbook/:id', element: wrap(<HandbookSectionPage />) },
    ],
    { initialEntries: [at] },
  );
  render(
    <QueryClientProvider client={client}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
  return router;
}

beforeAll(async () => {
  await i18next.loadNamespaces(['handbook']);
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('the handbook reader', () => {
  it('shows the three parts, and finds a section by a word of its text', async () => {
    open('/handbook');
    for (const part of ['Prepare', 'Respond', 'Recover'])
      expect(await screen.findByRole('heading', { name: part })).toBeTruthy();
    fireEvent.change(screen.getByRole('searchbox', { name: 'Search the handbook' }), {
      target: { value: 'registration' },
    });
    expect(await screen.findByRole('heading', { name: '1 section found' })).toBeTruthy();
    const hit = screen.getByRole('link', { name: 'I lost access to my account' });
    expect(hit.getAttribute('href')).toBe('/handbook/lost-account-access');
    fireEvent.change(screen.getByRole('searchbox'), { target: { value: 'nothing like this' } });
    expect(await screen.findByText(/No section matches/)).toBeTruthy();
  });

  it('reads a respond path one numbered step at a time, with the way to help one tap away', async () => {
    const router = open('/handbook/lost-account-access');
    expect(await screen.findByRole('heading', { name: 'I lost access to my account' })).toBeTruthy();
    expect(screen.getByText('This path is for the moment you cannot get in.')).toBeTruthy();
    expect(screen.getByText('Step 1 of 3')).toBeTruthy();
    expect(screen.getByRole('heading', { level: 2, name: 'First, stay safe' })).toBeTruthy();
    expect(screen.queryByText('The Access Now helpline.')).toBeNull();
    // "Related" is not a step: it stays under every step.
    expect(screen.getByText('See also these sections.')).toBeTruthy();
    const steps = screen.getByRole('navigation', { name: 'Steps' });
    expect(
      within(steps)
        .getAllByRole('link')
        .map((a) => a.textContent),
    ).toEqual(['First, stay safe', 'Questions to ask', 'When to call for help, and whom']);
    fireEvent.click(screen.getByRole('button', { name: 'Next step' }));
    expect(await screen.findByText('Step 2 of 3')).toBeTruthy();
    expect(router.state.location.search).toBe('?step=2');
    expect(screen.getByRole('link', { name: 'Passwords' }).getAttribute('href')).toBe('/handbook/passwords');
    fireEvent.click(screen.getAllByRole('link', { name: 'When to call for help, and whom' })[0]!);
    expect(await screen.findByText('The Access Now helpline.')).toBeTruthy();
    expect(screen.getByText('Step 3 of 3')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Next step' })).toBeNull();
    expect(screen.getByText(/Last reviewed/)).toBeTruthy();
  });

  it('says plainly when a section does not exist', async () => {
    open('/handbook/no-such-thing');
    expect(await screen.findByRole('heading', { name: 'There is no such handbook section' })).toBeTruthy();
  });
});

describe('searching the handbook', () => {
  const sections = [
    entry('a', 'Backups', 'prepare', 'If you lost access to the files, restore.'),
    entry('b', 'Passwords', 'prepare', 'Access to the manager; you lost the phone.'),
    entry('c', 'I lost access to my account', 'respond', 'Recover it.'),
  ];

  it('puts the words as a phrase in a title first, then the phrase in a text, then the rest', () => {
    expect(searchHandbook(sections, 'Lost  ACCESS').map((h) => h.section.id)).toEqual(['c', 'a', 'b']);
    expect(searchHandbook(sections, 'lost access')[1]!.extract).toBe('If you lost access to the files, restore.');
  });

  it('ignores accents and case, and finds nothing for nothing', () => {
    expect(searchHandbook([entry('d', 'Zëri i sigurt', 'prepare', 'Čuvanje')], 'zeri cuvanje')).toHaveLength(1);
    expect(searchHandbook(sections, '   ')).toEqual([]);
  });
});
