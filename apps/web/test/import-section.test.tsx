// @vitest-environment happy-dom
import type { Programme } from '@kalaja/contracts';
import { writeXlsx } from '@kalaja/engine/sheets';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ImportSection } from '../src/features/manager/import-section';
import i18next from '../src/i18n';

/**
 * The answers import in a DOM: a spreadsheet goes to the server as its bytes (base64), a CSV
 * file as its text, and the server's problems come back named by row for a spreadsheet.
 */

const programme: Programme = {
  id: 'programme-0001',
  name: 'Newsroom security 2026',
  framework: { id: 'fw-small-000', key: 'small', version: '1.0.0' },
  rounds: [{ id: 'round-base-01', name: 'baseline', position: 0, startsOn: null, endsOn: null }],
};

/** Records what is posted and answers with `reply`. */
function serve(reply: { status: number; body: unknown }) {
  const sent: { path: string; body: Record<string, unknown> }[] = [];
  vi.stubGlobal('fetch', async (input: string, init: RequestInit) => {
    sent.push({ path: input, body: JSON.parse(String(init.body)) as Record<string, unknown> });
    return new Response(JSON.stringify(reply.body), {
      status: reply.status,
      headers: { 'content-type': 'application/json' },
    });
  });
  return sent;
}

function importFile(file: File) {
  const client = new QueryClient({ defaultOptions: { mutations: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <ImportSection programme={programme} />
    </QueryClientProvider>,
  );
  const input = screen.getByLabelText('Answers file (CSV, Excel or LibreOffice)') as HTMLInputElement;
  const picked = new DataTransfer();
  picked.items.add(file);
  input.files = picked.files;
  fireEvent.change(input);
  fireEvent.submit(input.form!);
}

beforeAll(async () => {
  await i18next.changeLanguage('en');
  await i18next.loadNamespaces(['common', 'manager']);
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const ROWS = [
  ['organisation', 'round', 'question', 'answer'],
  ['Drita', 'baseline', 'access.mfa', 'all'],
];

describe('importing answers', () => {
  it('sends an .xlsx file as its bytes, and names the problems the server finds by row', async () => {
    const bytes = writeXlsx({ name: 'Answers', rows: ROWS });
    const sent = serve({
      status: 400,
      body: {
        error: {
          code: 'invalid_answers',
          message: 'The file has 1 problem; nothing was imported.',
          requestId: 'req-1',
          details: [{ where: 'line 2', message: 'organisation "Drita" does not take part in this programme' }],
        },
      },
    });
    importFile(
      new File([bytes], 'answers.xlsx', { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }),
    );
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]!.path).toBe('/api/v1/programmes/programme-0001/rounds/round-base-01/answers');
    expect(Object.keys(sent[0]!.body).sort()).toEqual(['layer', 'spreadsheet']);
    expect(new Uint8Array(Buffer.from(sent[0]!.body.spreadsheet as string, 'base64'))).toEqual(bytes);
    expect(await screen.findByText('row 2: organisation "Drita" does not take part in this programme')).toBeTruthy();
  });

  it('sends a CSV file as its text, its problems named by line', async () => {
    const sent = serve({
      status: 400,
      body: {
        error: {
          code: 'invalid_answers',
          message: 'The file has 1 problem; nothing was imported.',
          requestId: 'req-2',
          details: [{ where: 'line 2', message: 'organisation "Drita" does not take part in this programme' }],
        },
      },
    });
    const csv = ROWS.map((r) => r.join(',')).join('\n');
    importFile(new File([csv], 'answers.csv', { type: 'text/csv' }));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]!.body).toEqual({ csv, layer: 'own' });
    expect(await screen.findByText('line 2: organisation "Drita" does not take part in this programme')).toBeTruthy();
  });
});
