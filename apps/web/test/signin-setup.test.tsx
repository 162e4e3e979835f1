// @vitest-environment happy-dom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render, screen } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SignInPage } from '../src/features/auth/signin';
import '../src/i18n';

/**
 * A fresh instance has nobody to sign in: the sign-in page (where `/` sends a visitor without
 * a session) leads to first-run setup instead; once an account exists it shows the form.
 */

function serveSetup(needed: boolean) {
  vi.stubGlobal('fetch', async (input: string) => {
    const path = new URL(input, 'http://localhost').pathname;
    if (path !== '/api/v1/setup') return new Response('{}', { status: 404 });
    return new Response(JSON.stringify({ needed }), { status: 200, headers: { 'content-type': 'application/json' } });
  });
}

function show(path: string) {
  const router = createMemoryRouter(
    [
      { path: '/signin', element: <SignInPage /> },
      { path: '/setup', element: <h1>setup page</h1> },
    ],
    { initialEntries: [path] },
  );
  render(
    <QueryClientProvider client={new QueryClient()}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
  return router;
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('the sign-in page', () => {
  it('leads to setup on an instance with no account', async () => {
    serveSetup(true);
    const router = show('/signin');
    expect(await screen.findByRole('heading', { name: 'setup page' })).toBeTruthy();
    expect(router.state.location.pathname).toBe('/setup');
  });

  it('shows the sign-in form once the instance has an account', async () => {
    serveSetup(false);
    show('/signin');
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeTruthy();
    expect(screen.getByLabelText('Email')).toBeTruthy();
  });
});
