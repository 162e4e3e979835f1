import { notifyManager, QueryClient, QueryObserver } from '@tanstack/react-query';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { valueOf, type Assessment } from '../src/features/assessment/model';
import { change, connectSaveQueue, entriesOf, shown, subscribe } from '../src/features/assessment/save-queue';

/**
 * What the questionnaire shows for a question across a save, as React would render it: the
 * page holds the assessment from `useQuery` (whose subscribers TanStack Query notifies on a
 * later task, through its notifyManager), and the questionnaire re-renders at once on every
 * change of the save queue (`useSyncExternalStore`). Every render is recorded: a chosen option
 * must never revert, not even for one frame.
 */

const ID = 'assessment-1';
const Q = 'gov.owner';
const USER = 'user-1';

function assessment(answer: string, version: number, by = USER): Assessment {
  return {
    id: ID,
    programmeId: 'p',
    roundId: 'r',
    organisationId: 'o',
    status: 'draft',
    answers: [{ question: Q, own: { answer, note: '', by, at: '2026-01-01T00:00:00Z' }, validated: null, version }],
  };
}

/** Replaces fetch: each PUT waits for the test to answer it. */
function server() {
  const puts: { body: unknown; answer: (version: number) => void }[] = [];
  vi.stubGlobal(
    'fetch',
    (_url: string, init: RequestInit) =>
      new Promise<Response>((resolve) => {
        puts.push({
          body: JSON.parse(String(init.body)),
          answer: (version) =>
            resolve(
              new Response(JSON.stringify({ question: Q, version }), {
                status: 200,
                headers: { 'content-type': 'application/json' },
              }),
            ),
        });
      }),
  );
  return puts;
}

/** The page (useQuery) and the questionnaire (the save queue), rendering what React would. */
function screen(client: QueryClient) {
  const observer = new QueryObserver<Assessment>(client, { queryKey: ['assessment', ID], enabled: false });
  // The page's props: what useQuery last handed to React.
  let props = observer.getCurrentResult().data!;
  const frames: (string | null)[] = [];
  const render = () => {
    const row = props.answers.find((a) => a.question === Q);
    frames.push(shown(entriesOf(ID, 'own').get(Q), valueOf(row?.own), row?.version ?? 0).answer);
  };
  // As useBaseQuery subscribes: through notifyManager.batchCalls.
  const stopPage = observer.subscribe(
    notifyManager.batchCalls(() => {
      props = observer.getCurrentResult().data!;
      render();
    }),
  );
  const stopQueue = subscribe(render);
  render();
  return {
    frames,
    stop: () => {
      stopPage();
      stopQueue();
    },
  };
}

const settle = () => new Promise((r) => setTimeout(r, 20));

describe('the save queue and the questionnaire', () => {
  beforeAll(() => vi.stubGlobal('window', new EventTarget()));
  afterAll(() => vi.unstubAllGlobals());

  it('never shows the previous answer after a save, while the cache catches up', async () => {
    const puts = server();
    const client = new QueryClient();
    client.setQueryData(['assessment', ID], assessment('a', 1));
    connectSaveQueue(client);
    const view = screen(client);

    change({ assessmentId: ID, layer: 'own', question: Q, userId: USER }, { answer: 'b', note: '' });
    await settle();
    expect(puts.map((p) => p.body)).toEqual([{ answer: 'b', note: '' }]);
    puts[0]!.answer(2);
    await settle();

    expect(view.frames[0]).toBe('a');
    expect(view.frames.slice(1)).not.toContain('a');
    expect(view.frames.at(-1)).toBe('b');
    expect(client.getQueryData<Assessment>(['assessment', ID])!.answers[0]).toMatchObject({
      version: 2,
      own: { answer: 'b' },
    });
    view.stop();
  });

  it('keeps the saved answer when a read that began before the save arrives after it', async () => {
    const puts = server();
    const client = new QueryClient();
    client.setQueryData(['assessment', ID], assessment('b', 2));
    connectSaveQueue(client);
    const view = screen(client);

    change({ assessmentId: ID, layer: 'own', question: Q, userId: USER }, { answer: 'c', note: '' });
    await settle();
    puts[0]!.answer(3);
    await settle();
    // A refetch sent before the save (on window focus, say) answers with the older version.
    client.setQueryData(['assessment', ID], assessment('b', 2));
    await settle();
    expect(view.frames.slice(1)).not.toContain('b');
    expect(view.frames.at(-1)).toBe('c');

    // A newer version from the server — someone else changed it since — is shown.
    client.setQueryData(['assessment', ID], assessment('d', 4, 'user-2'));
    await settle();
    expect(view.frames.at(-1)).toBe('d');
    view.stop();
  });
});
