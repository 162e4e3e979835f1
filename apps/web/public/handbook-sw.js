/* global self, caches */
/*
 * The handbook's service worker (scope /handbook): keeps the handbook readable offline once
 * it has been opened. It answers from its cache only what the handbook needs and nothing that
 * belongs to an account:
 *   - pages under /handbook (the app's one HTML page): network first, the kept copy offline;
 *   - /assets/* (scripts, styles, fonts and catalogues, named by their content): kept on first use;
 *   - GET /api/v1/handbook and /api/v1/handbook/<id>: network first, the kept answer offline.
 * Every other request (sign-in, assessments, plans, any other /api/) goes to the network
 * untouched and is never stored. Same origin only; no other origin is ever asked.
 */
const CACHE = 'kalaja-handbook-v1';
const SHELL = '/handbook';

const isHandbookPage = (url) => url.pathname === '/handbook' || url.pathname.startsWith('/handbook/');
const isHandbookApi = (url) =>
  (url.pathname === '/api/v1/handbook' || /^\/api\/v1\/handbook\/[a-z0-9_-]+$/.test(url.pathname)) &&
  !url.pathname.endsWith('.pdf');
const isAsset = (url) => url.pathname.startsWith('/assets/') || url.pathname === '/favicon.svg';

/** Whether a URL is one the worker may keep at all. */
const keepable = (url) =>
  url.origin === self.location.origin && (isHandbookPage(url) || isHandbookApi(url) || isAsset(url));

self.addEventListener('install', () => {
  void self.skipWaiting();
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys())
        if (name.startsWith('kalaja-handbook-') && name !== CACHE) await caches.delete(name);
      await self.clients.claim();
    })(),
  );
});

/** Stores a good, same-origin, uncredentialed answer; never one that sets a cookie. */
async function put(key, response) {
  if (!response.ok || response.type !== 'basic' || response.headers.has('set-cookie')) return;
  const cache = await caches.open(CACHE);
  await cache.put(key, response);
}

async function networkFirst(request, key) {
  try {
    const response = await fetch(request);
    if (response.ok) await put(key, response.clone());
    return response;
  } catch (error) {
    const cache = await caches.open(CACHE);
    const kept =
      (await cache.match(key)) ??
      (isHandbookPage(new URL(key, self.location.origin)) ? await cache.match(SHELL) : undefined);
    if (kept) return kept;
    throw error;
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const kept = await cache.match(request);
  if (kept) return kept;
  const response = await fetch(request);
  await put(request, response.clone());
  return response;
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (!keepable(url)) return;
  if (request.mode === 'navigate') {
    if (!isHandbookPage(url)) return;
    // Every page is the same HTML: one copy, kept as the shell.
    event.respondWith(networkFirst(request, SHELL));
  } else if (isHandbookApi(url)) event.respondWith(networkFirst(request, url.pathname + url.search));
  else if (isAsset(url)) event.respondWith(cacheFirst(request));
});

/** The page lists what it loaded before the worker controlled it; the worker keeps those it may. */
self.addEventListener('message', (event) => {
  const data = event.data;
  if (!data || data.type !== 'keep' || !Array.isArray(data.urls)) return;
  const port = event.ports[0];
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      for (const raw of data.urls.slice(0, 200)) {
        if (typeof raw !== 'string') continue;
        const url = new URL(raw, self.location.origin);
        if (!keepable(url)) continue;
        const key = isHandbookPage(url) ? SHELL : url.pathname + url.search;
        if (isAsset(url) && (await cache.match(key))) continue;
        try {
          await put(key, await fetch(url.href, { credentials: 'omit' }));
        } catch {
          // Offline already: what is kept stays kept.
        }
      }
      port?.postMessage({ saved: true });
    })(),
  );
});
