// @vitest-environment happy-dom
import type { CheckResult, CheckView } from '@kalaja/contracts';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { Suspense, type ReactNode } from 'react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { CheckCodePage, CheckPage } from '../src/features/training/check-pages';
import i18next from '../src/i18n';

/**
 * The participant's knowledge check in a DOM, fed by a stubbed server: the items in the order
 * the server gives them with the confidence scale, answers sent as option ids (a skipped item
 * as ''), the reaction survey only after the session, the results explained with the options'
 * own words, a link that no longer works said plainly, and a short code that opens the check.
 */

const TOKEN = 'tok_abcdefghijklmnopqrstuvwxyz012345';

function view(phase: CheckView['phase'], results: CheckResult[] = []): CheckView {
  return {
    title: 'Phishing clinic, Prishtinë',
    module: 'Account security and phishing',
    language: 'en',
    startsAt: '2026-03-10T09:00:00Z',
    phase,
    items: [
      {
        id: 'spot-the-link',
        text: 'Where does a link really take you?',
        options: [
          { id: 'shown-text', label: 'Where its text says' },
          { id: 'real-address', label: 'To the address behind it' },
        ],
      },
      {
        id: 'second-factor',
        text: 'Which second factor resists phishing best?',
        options: [
          { id: 'sms', label: 'A code by SMS' },
          { id: 'key', label: 'A security key' },
        ],
      },
    ],
    practices: [{ id: 'uses-manager', text: 'I use a password manager for work accounts.' }],
    results,
  };
}

interface Sent {
  method: string;
  path: string;
  body: unknown;
}

function open(
  start: string,
  answer: (method: string, path: string, body: unknown) => { status: number; body: unknown },
): Sent[] {
  const sent: Sent[] = [];
  vi.stubGlobal('fetch', async (input: string, init?: RequestInit) => {
    const path = new URL(input, 'http://localhost').pathname.replace(/^\/api\/v1/, '');
    const method = init?.method ?? 'GET';
    const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined;
    sent.push({ method, path, body });
    const r = answer(method, path, body);
    return new Response(JSON.stringify(r.body), { status: r.status, headers: { 'content-type': 'application/json' } });
  });
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const wrap = (el: ReactNode) => <Suspense fallback={<p>loading</p>}>{el}</Suspense>;
  const router = createMemoryRouter(
    [
      { path: '/check', element: wrap(<CheckCodePage />) },
      { path: '/check/:token', element: wrap(<CheckPage />) },
    ],
    { initialEntries: [start] },
  );
  render(
    <QueryClientProvider client={client}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
  return sent;
}

const notFound = { status: 404, body: { error: { code: 'not_found', message: 'There is nothing here.' } } };

beforeAll(async () => {
  await i18next.changeLanguage('en');
  await i18next.loadNamespaces(['common', 'training']);
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('the participant’s knowledge check', () => {
  it('asks the items before the session in the server’s order and sends option ids, a skipped item as empty', async () => {
    const sent = open(`/check/${TOKEN}`, (method, path) => {
      if (method === 'GET' && path === `/checks/${TOKEN}`) return { status: 200, body: view('pre') };
      if (method === 'POST' && path === `/checks/${TOKEN}/pre`)
        return { status: 201, body: { phase: 'pre', score: 50, correct: 1, items: 2 } };
      return notFound;
    });
    const legends = (await screen.findAllByRole('group')).map((g) => g.querySelector('legend')?.textContent ?? '');
    expect(legends.slice(1)).toEqual([
      'Question 1 of 2: Where does a link really take you?',
      'Question 2 of 2: Which second factor resists phishing best?',
    ]);
    // No reaction survey before the session.
    expect(screen.queryByText('How useful was the session for you?')).toBeNull();
    const confidence = screen.getByRole('group', { name: /How confident do you feel/ });
    fireEvent.click(within(confidence).getByLabelText('4'));
    fireEvent.click(screen.getByLabelText('To the address behind it'));
    expect(screen.getByText(/1 question is not answered/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Send my answers' }));
    expect(await screen.findByText('Before the session: 1 of 2 correct (50%).')).toBeTruthy();
    const post = sent.find((s) => s.method === 'POST');
    expect(post?.body).toEqual({ answers: { 'spot-the-link': 'real-address', 'second-factor': '' }, confidence: 4 });
  });

  it('after the session adds the reaction survey and explains each item in the options’ own words', async () => {
    const sent = open(`/check/${TOKEN}`, (method, path) => {
      if (method === 'GET')
        return { status: 200, body: view('post', [{ phase: 'pre', score: 0, correct: 0, items: 2 }]) };
      if (path === `/checks/${TOKEN}/post`)
        return {
          status: 201,
          body: {
            phase: 'post',
            score: 50,
            correct: 1,
            items: 2,
            explanations: [
              {
                item: 'spot-the-link',
                chosen: 'real-address',
                correct: 'real-address',
                right: true,
                explanation: null,
              },
              {
                item: 'second-factor',
                chosen: 'sms',
                correct: 'key',
                right: false,
                explanation: 'A key checks the site it talks to.',
              },
            ],
          },
        };
      return notFound;
    });
    await screen.findByText('About the session');
    fireEvent.click(screen.getByLabelText('To the address behind it'));
    fireEvent.click(screen.getByLabelText('A code by SMS'));
    fireEvent.click(within(screen.getByRole('group', { name: /How useful/ })).getByLabelText('5'));
    fireEvent.click(within(screen.getByRole('group', { name: /How relevant/ })).getByLabelText('3'));
    fireEvent.click(screen.getByLabelText('about right'));
    fireEvent.click(screen.getByRole('button', { name: 'Send my answers' }));
    expect(await screen.findByText('After the session: 1 of 2 correct (50%).')).toBeTruthy();
    expect(screen.getByText('Before the session: 0 of 2 correct (0%).')).toBeTruthy();
    expect(screen.getByText('You chose: A code by SMS')).toBeTruthy();
    expect(screen.getByText('A key checks the site it talks to.')).toBeTruthy();
    expect(sent.find((s) => s.method === 'POST')?.body).toEqual({
      answers: { 'spot-the-link': 'real-address', 'second-factor': 'sms' },
      reaction: { usefulness: 5, relevance: 3, pace: 'right', comment: '' },
    });
  });

  it('says plainly that a link no longer works, and offers the code instead', async () => {
    open(`/check/${TOKEN}`, () => ({
      status: 410,
      body: { error: { code: 'gone', message: 'This link is no longer valid.' } },
    }));
    expect(await screen.findByRole('heading', { name: 'This check cannot be opened' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Type a code instead' }).getAttribute('href')).toBe('/check');
  });

  it('opens the check for a short code, and names a code that opens nothing', async () => {
    let known = false;
    const sent = open('/check', (method, path) => {
      if (method === 'POST' && path === '/checks/code')
        return known ? { status: 200, body: { token: TOKEN } } : notFound;
      if (method === 'GET' && path === `/checks/${TOKEN}`) return { status: 200, body: view('waiting') };
      return notFound;
    });
    const field = await screen.findByLabelText('Your code');
    fireEvent.change(field, { target: { value: 'acde-f347' } });
    fireEvent.click(screen.getByRole('button', { name: 'Open my check' }));
    expect(await screen.findByText(/That code does not open a check/)).toBeTruthy();
    known = true;
    fireEvent.click(screen.getByRole('button', { name: 'Open my check' }));
    expect(await screen.findByText(/You have taken the check before the session/)).toBeTruthy();
    expect(sent.filter((s) => s.path === '/checks/code').map((s) => s.body)).toEqual([
      { code: 'acde-f347' },
      { code: 'acde-f347' },
    ]);
  });
});
