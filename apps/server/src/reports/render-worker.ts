/**
 * The render worker (a worker thread of render-pool.ts): builds and renders one report at a
 * time from the plain data it is sent, and answers with the bytes. It holds no key and opens
 * no database; sealing stays in the server's main thread.
 */
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { draftPaperRecommendations, draftRecommendations, makeReport } from './make-report.js';
import { renderHandbookPdf } from './render-handbook.js';
import type { RenderReply, RenderTask } from './render-pool.js';

const port = parentPort;
if (!port) throw new Error('render-worker.js runs as a worker thread of the render pool');

// Below the server's own thread: on a busy machine the requests go first and the report waits.
// On Linux a thread's priority is its own; elsewhere this may not be allowed, and is skipped.
const { nice } = (workerData ?? {}) as { nice?: number };
if (nice)
  try {
    setPriority(nice);
  } catch {
    // the report is made at the same priority as the requests
  }

port.on('message', async (task: RenderTask) => {
  const reply = (message: RenderReply) => port.postMessage(message);
  try {
    if (task.job === 'handbook') {
      reply({ id: task.id, type: 'done', bytes: await renderHandbookPdf(task.book), preview: null });
      return;
    }
    if (task.job === 'recommendations') {
      const input = task.input;
      if (input.kind === 'openness') {
        reply({ id: task.id, type: 'drafts', items: draftPaperRecommendations(input) });
        return;
      }
      if (input.kind !== 'programme') throw new Error('recommendations are drafted for a programme report or a paper');
      reply({ id: task.id, type: 'drafts', items: draftRecommendations(input) });
      return;
    }
    const made = await makeReport(task.input, task.format, {
      preview: task.preview,
      stage: (stage) => reply({ id: task.id, type: 'stage', stage }),
    });
    reply({ id: task.id, type: 'done', bytes: made.bytes, preview: made.preview });
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    reply({ id: task.id, type: 'error', name: e.name, message: e.message, stack: e.stack ?? '' });
  }
});
