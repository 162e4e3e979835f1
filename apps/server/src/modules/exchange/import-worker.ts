import { parentPort, workerData } from 'node:worker_threads';
import { checkAnswers, type CheckRequest } from './import-check.js';

/**
 * Checks one answers file off the server's event loop (import-check.ts) and posts the result
 * back, its typed arrays transferred rather than copied. One worker per large import; it ends
 * when it has answered.
 */
const result = checkAnswers(workerData as CheckRequest);
if (result.ok) {
  const { target, question, answer, noteRow } = result.rows;
  parentPort!.postMessage(result, [target.buffer, question.buffer, answer.buffer, noteRow.buffer] as ArrayBuffer[]);
} else parentPort!.postMessage(result);
