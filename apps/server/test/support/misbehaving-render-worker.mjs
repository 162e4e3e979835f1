// A stand-in for the render worker (src/reports/render-worker.ts) that misbehaves on demand,
// by the report's title: it throws, exits, runs out of memory or never answers; any other
// title gets a small fake file. The pool must turn each into a failed render and carry on.
import { parentPort } from 'node:worker_threads';

parentPort.on('message', (task) => {
  const title = task.input.options.title ?? '';
  if (title.includes('throw')) {
    parentPort.postMessage({
      id: task.id,
      type: 'error',
      name: 'TypeError',
      message: "Cannot read properties of undefined (reading 'width')",
      stack: 'TypeError: at layout',
    });
  } else if (title.includes('exit')) {
    process.exit(3);
  } else if (title.includes('memory')) {
    const hoard = [];
    for (;;) hoard.push(new Array(1e6).fill(hoard.length));
  } else if (title.includes('hang')) {
    // never answers
  } else {
    parentPort.postMessage({ id: task.id, type: 'stage', stage: 'built' });
    parentPort.postMessage({ id: task.id, type: 'stage', stage: 'rendered' });
    const bytes = new TextEncoder().encode(`<!doctype html><p>${title}</p>`);
    parentPort.postMessage({ id: task.id, type: 'done', bytes, preview: task.preview ? bytes : null });
  }
});
