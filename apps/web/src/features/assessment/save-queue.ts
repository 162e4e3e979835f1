import type { AnswerSaved, Assessment, Me } from '@kalaja/contracts';
import type { QueryClient } from '@tanstack/react-query';
import { useSyncExternalStore } from 'react';
import { api, ApiError } from '../../api';
import { keys } from '../../queries';
import type { AnswerValue, Layer } from './model';

/**
 * Every answer and note is saved as soon as it changes, one question at a time, and retried
 * until the server has it. What is not saved yet lives here, in this module's memory only —
 * never in localStorage or IndexedDB: answers describe where an organisation is weak. Being
 * outside React, it outlives the page: if the session ends and signing in again takes the
 * user elsewhere, the pending saves are kept, sent once the same person is signed in again,
 * and shown again when the page reopens.
 */

export type SaveState =
  /** Waiting for the typing to pause (notes), or being sent. */
  | 'saving'
  | 'saved'
  /** The server could not be reached or failed (offline, 5xx, 429): retried with backoff. */
  | 'retrying'
  /** The session ended: retried once the same person has signed in again. */
  | 'signin'
  /** The server refused it (e.g. the assessment was submitted meanwhile): kept, not retried. */
  | 'error';

export interface SaveEntry {
  key: string;
  assessmentId: string;
  layer: Layer;
  question: string;
  /** The latest value the user chose: what is on screen. */
  value: AnswerValue;
  state: SaveState;
  /**
   * The answer's version on the server after the last successful save. Until the assessment
   * the page holds has reached it, the page's copy predates the save and `shown` keeps `value`.
   */
  version?: number | undefined;
  error?: ApiError | undefined;
}

interface Internal {
  entry: SaveEntry;
  userId: string;
  sending: AnswerValue | null;
  timer: ReturnType<typeof setTimeout> | undefined;
  attempts: number;
}

const entries = new Map<string, Internal>();
const listeners = new Set<() => void>();
let version = 0;
let client: QueryClient | undefined;

export const saveKey = (assessmentId: string, layer: Layer, question: string) => `${assessmentId}|${layer}|${question}`;

function publish(item: Internal, patch: Partial<SaveEntry>) {
  item.entry = { ...item.entry, ...patch };
  version++;
  for (const l of listeners) l();
}

/** Calls `listener` on every change of the queue (as the hooks below do); returns the unsubscribe. */
export const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

/** Milliseconds before the next attempt: 1 s, 2 s, 4 s … at most 30 s, with some jitter. */
function backoff(attempts: number): number {
  const base = Math.min(30_000, 1000 * 2 ** Math.max(0, attempts - 1));
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

const isRetryable = (e: ApiError) => e.status === 0 || e.status >= 500 || e.status === 429 || e.status === 408;

/** Puts the saved value into the cached assessment, so the page reopens with it. */
function remember(item: Internal, value: AnswerValue, saved: { version: number }) {
  const { assessmentId, question, layer } = item.entry;
  client?.setQueryData<Assessment>(keys.assessment(assessmentId), (old) => {
    if (!old) return old;
    const layerValue =
      value.answer === null && value.note === '' ? null : { ...value, by: item.userId, at: new Date().toISOString() };
    const found = old.answers.some((a) => a.question === question);
    const answers = found
      ? old.answers.map((a) => (a.question === question ? { ...a, [layer]: layerValue, version: saved.version } : a))
      : [
          ...old.answers,
          {
            question,
            own: null,
            validated: null,
            carried: null,
            [layer]: layerValue,
            version: saved.version,
          },
        ];
    return { ...old, answers };
  });
}

function drop(item: Internal) {
  clearTimeout(item.timer);
  entries.delete(item.entry.key);
  version++;
  for (const l of listeners) l();
}

/** Who is signed in now, asked of the server; undefined while nobody is. */
async function currentUser(): Promise<string | undefined> {
  try {
    return (await api<Me>('GET', '/me')).id;
  } catch {
    return undefined;
  }
}

async function send(item: Internal): Promise<void> {
  clearTimeout(item.timer);
  item.timer = undefined;
  if (item.sending) return; // the answer to the request in flight sends the newer value
  const value = item.entry.value;
  const wasFailing = item.entry.state === 'retrying' || item.entry.state === 'signin';
  item.sending = value;
  // Only the person who typed it may save it: check who holds the session now.
  const known = client?.getQueryData<Me>(keys.me)?.id;
  if (known !== undefined && known !== item.userId) return drop(item);
  if (item.entry.state === 'signin') {
    const user = await currentUser();
    if (user !== item.userId) {
      item.sending = null;
      return user === undefined ? schedule(item, 'signin', 10_000) : drop(item);
    }
  }
  // Once a save has failed, it keeps saying so until one succeeds: no flicker of "Saving…".
  if (!wasFailing) publish(item, { state: 'saving', error: undefined });
  const { assessmentId, layer, question } = item.entry;
  const segment = layer === 'own' ? 'answers' : 'validated';
  try {
    const saved = await api<AnswerSaved>(
      'PUT',
      `/assessments/${encodeURIComponent(assessmentId)}/${segment}/${encodeURIComponent(question)}`,
      value,
    );
    item.sending = null;
    item.attempts = 0;
    remember(item, value, saved);
    if (item.entry.value !== value) return send(item);
    publish(item, { state: 'saved', error: undefined, version: saved.version });
  } catch (e) {
    item.sending = null;
    const error = e instanceof ApiError ? e : new ApiError(0, 'offline', String(e), undefined);
    if (item.entry.value !== value && !isRetryable(error) && error.status !== 401) {
      // Refused, but the user has changed it since: try the newer value.
      return send(item);
    }
    if (error.status === 401) {
      publish(item, { state: 'signin', error });
      return schedule(item, 'signin', 10_000);
    }
    if (isRetryable(error)) {
      item.attempts++;
      publish(item, { state: 'retrying', error });
      return schedule(item, 'retrying', backoff(item.attempts));
    }
    publish(item, { state: 'error', error });
  }
}

function schedule(item: Internal, state: SaveState, delay: number) {
  if (item.entry.state !== state) publish(item, { state });
  clearTimeout(item.timer);
  item.timer = setTimeout(() => void send(item), delay);
}

/**
 * Records a change and saves it: at once, or after `delay` ms without another change (notes).
 * The value shows on screen straight away; the state says whether the server has it.
 */
export function change(
  target: { assessmentId: string; layer: Layer; question: string; userId: string },
  value: AnswerValue,
  delay = 0,
): void {
  const key = saveKey(target.assessmentId, target.layer, target.question);
  let item = entries.get(key);
  if (!item || item.userId !== target.userId) {
    if (item) clearTimeout(item.timer);
    item = {
      entry: { key, ...target, value, state: 'saving' },
      userId: target.userId,
      sending: null,
      timer: undefined,
      attempts: 0,
    };
    entries.set(key, item);
  }
  const failing = item.entry.state === 'retrying' || item.entry.state === 'signin';
  publish(item, failing ? { value } : { value, state: 'saving', error: undefined });
  const it = item;
  if (failing) {
    // Its retry is scheduled and will send the newest value; a choice (not typing) tries now.
    if (delay === 0) void send(it);
    return;
  }
  clearTimeout(it.timer);
  if (delay > 0) it.timer = setTimeout(() => void send(it), delay);
  else void send(it);
}

/** Sends a debounced change now (when the note field loses focus). */
export function flush(key: string): void {
  const item = entries.get(key);
  if (item && item.timer !== undefined && item.entry.state === 'saving') void send(item);
}

/** Tries every change that is not saved yet, now (back online, signed in again, "Retry now"). */
export function retryAll(): void {
  for (const item of entries.values()) {
    if (item.entry.state === 'retrying' || item.entry.state === 'signin' || item.entry.state === 'error') {
      item.attempts = 0;
      void send(item);
    }
  }
}

/** Connects the queue to the app, once: the query cache (to keep it current and see sign-ins) and the network. */
export function connectSaveQueue(queryClient: QueryClient): void {
  if (client === queryClient) return;
  client = queryClient;
  queryClient.getQueryCache().subscribe((event) => {
    if (event.type !== 'updated' || event.action.type !== 'success' || event.query.queryKey[0] !== 'me') return;
    const user = (event.action.data as Me | undefined)?.id;
    for (const item of [...entries.values()]) {
      if (item.entry.state !== 'signin') continue;
      if (user !== item.userId) drop(item);
      else {
        item.attempts = 0;
        item.entry = { ...item.entry, state: 'retrying' };
        void send(item);
      }
    }
  });
  window.addEventListener('online', retryAll);
  window.addEventListener('beforeunload', (e) => {
    if ([...entries.values()].some((i) => i.entry.state !== 'saved')) e.preventDefault();
  });
}

/** The pending or last save of one question, re-rendering when it changes. */
export function useSaveEntry(key: string): SaveEntry | undefined {
  return useSyncExternalStore(subscribe, () => entries.get(key)?.entry);
}

/** Re-renders on any change of the queue; read entries with `entriesOf`. */
export function useSaveQueueVersion(): number {
  return useSyncExternalStore(subscribe, () => version);
}

export function entriesOf(assessmentId: string, layer: Layer): Map<string, SaveEntry> {
  const out = new Map<string, SaveEntry>();
  for (const item of entries.values())
    if (item.entry.assessmentId === assessmentId && item.entry.layer === layer)
      out.set(item.entry.question, item.entry);
  return out;
}

/** How many changes of an assessment are not saved, and how many of those failed. */
export function summaryOf(assessmentId: string, layer: Layer): { unsaved: number; failing: number } {
  let unsaved = 0;
  let failing = 0;
  for (const { entry } of entries.values()) {
    if (entry.assessmentId !== assessmentId || entry.layer !== layer || entry.state === 'saved') continue;
    unsaved++;
    if (entry.state !== 'saving') failing++;
  }
  return { unsaved, failing };
}

/**
 * The value to show: the user's latest change while the server does not have it yet, or while
 * the page's copy of the assessment is older than the save (`serverVersion`, the answer's
 * version in that copy, is below the saved one); else the server's — the same once it has
 * caught up, and current if someone else edits later.
 *
 * Comparing versions, not timing, is what keeps a choice from flashing back: the queue says
 * "saved" at once, while the query cache's subscribers (the page's `useQuery`) hear of the new
 * value only on a later task, and a read sent before the save may still land after it.
 */
export function shown(entry: SaveEntry | undefined, server: AnswerValue, serverVersion: number): AnswerValue {
  if (!entry) return server;
  if (entry.state !== 'saved') return entry.value;
  return serverVersion < (entry.version ?? 0) ? entry.value : server;
}
