// @vitest-environment happy-dom
import type { Programme } from '@kalaja/contracts';
import { writeXlsx } from '@kalaja/engine/sheets';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ImportSection } from '../src/features/manager/import-section';
import i18next from '../src/i18n';

/**
 * The answers import in a DOM: the file goes to the server as it is saved (a spreadsheet as its
 * bytes, a CSV file as UTF-8 text) and becomes a job; the page follows the job, shows how far
 * it got, and names the problems the server finds by row for a spreadsheet, by line for CSV.
 */

const programme: Programme = {
  id: 'programme-0001',
  name: 'Newsroom security 2026',
  framework: { id: 'fw-small-000', key: 'small', version: '1.0.0' },
  rounds: [{ id: 'round-base-01', name: 'baseline', position: 0, startsOn: null, endsOn: null }],
};

const job = (over: Record<string, unknown>) => ({
  id: 'import-00001',
  round: 'round-base-01',
  layer: 'own',
  status: 'checking',
  progress: 0,
  rows: 0,
  organisations: 0,
  error: null,
  problems: [],
  problemCount: 0,
  createdAt: '2026-12-03T10:00:00.000Z',
  finishedAt: null,
  ...over,
});

/**
 * The server: records what is posted (its path, type and bytes) and answers the job at once
 * (202); each later read of the job answers the next of `states`.
 */
function serve(states: Record<string, unknown>[]) {
  const sent: { path: string; type: string; bytes: Uint8Array }[] = [];
  const reads: string[] = [];
  vi.stubGlobal('fetch', async (input: string, init: RequestInit = {}) => {
    const answer = (status: number, body: unknown) =>
      new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
    if (init.method === 'POST') {
      const body = init.body as Blob;
      sent.push({
        path: input,
        type: new Headers(init.headers).get('content-type') ?? '',
        bytes: new Uint8Array(await body.arrayBuffer()),
      });
      return answer(202, job({}));
    }
    reads.push(input);
    return answer(200, job(states[Math.min(reads.length - 1, states.length - 1)]!));
  });
  return { sent, reads };
}

const refused = {
  status: 'failed',
  error: 'The file has 1 problem; nothing was imported.',
  problems: [{ where: 'line 2', message: 'organisation "Drita" does not take part in this programme' }],
  problemCount: 1,
};

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
    const { sent } = serve([refused]);
    importFile(
      new File([bytes], 'answers.xlsx', { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }),
    );
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]!.path).toBe(
      '/api/v1/programmes/programme-0001/rounds/round-base-01/imports?layer=own&file=answers.xlsx',
    );
    expect(sent[0]!.type).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(sent[0]!.bytes).toEqual(bytes);
    expect(await screen.findByText('row 2: organisation "Drita" does not take part in this programme')).toBeTruthy();
  });

  it('sends a CSV file as its text, its problems named by line', async () => {
    const { sent } = serve([refused]);
    const csv = ROWS.map((r) => r.join(',')).join('\n');
    importFile(new File([csv], 'answers.csv', { type: 'text/csv' }));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]!.type).toBe('text/csv; charset=utf-8');
    expect(new TextDecoder().decode(sent[0]!.bytes)).toBe(csv);
    expect(await screen.findByText('line 2: organisation "Drita" does not take part in this programme')).toBeTruthy();
  });

  it('follows the job, showing how far it got, until it is written', async () => {
    const { reads } = serve([
      { status: 'staging', progress: 20, rows: 160 },
      { status: 'applying', progress: 75, rows: 160, organisations: 2 },
      { status: 'done', progress: 100, rows: 160, organisations: 2, finishedAt: '2026-12-03T10:00:05.000Z' },
    ]);
    importFile(new File([ROWS.map((r) => r.join(',')).join('\n')], 'answers.csv', { type: 'text/csv' }));
    const bar = await screen.findByRole('progressbar', {}, { timeout: 3000 });
    await waitFor(() => expect(bar.getAttribute('value')).toBe('75'), { timeout: 3000 });
    expect(screen.getByText('Writing the answers: 75%')).toBeTruthy();
    expect(
      await screen.findByText('Imported 160 answers for 2 organisations into baseline.', {}, { timeout: 3000 }),
    ).toBeTruthy();
    expect(reads.every((r) => r === '/api/v1/programmes/programme-0001/imports/import-00001')).toBe(true);
    expect(screen.queryByRole('progressbar')).toBeNull();
  });
});
