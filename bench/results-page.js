// Benchmark: a programme's results page in Chromium on a slow phone link — DevTools' "Slow 4G"
// preset and a 4× slower CPU — at 1,000 organisations × 2 rounds. A real server process
// (`node apps/server/dist/main.js`, SQLite, a fresh data directory) holds the programme, seeded
// straight into the database as the other large cases are (bench/seed-cohort.js), and beside it
// a programme of 10 organisations × 2 rounds: the baseline, the same page on the same link in the
// same run. The first account (first-run setup, TOTP) is the manager of both. Each load is a new
// browser context with the HTTP cache disabled, so every file and response crosses the link.
//
// Measured per load, from the start of navigation: the largest contentful paint
// (PerformanceObserver, buffered), the first contentful paint, when the first and the last of
// the page's charts are drawn (the `kalaja:chart-drawn` user-timing marks the app's Chart sets
// when a chart's figures are in the document) and when their first animations end
// (`kalaja:chart-finished`), and every request (start, end, bytes on the wire). Loads are taken
// in turn (1,000, 10, 1,000 unthrottled; again), medians quoted. Before the loads the server
// answers each programme's results once, so the page meets warm results (the server's cold
// path is the `cohort` case's row). Goal (issue 11): charts drawn < 4 s at 1,000 organisations.
//
//   node bench/run.js results-page          (after `npm run build`: the server and app in dist)
//   BENCH_RUNS=5 node bench/results-page.js (alone; also prints the waterfall of a median load)
//
// Chromium: /usr/bin/chromium, or KALAJA_CHROMIUM. The browser reaches 127.0.0.1 only; a
// request to any other origin is refused and fails the run.
/* global window, document */
import { chromium } from '@playwright/test';
import { loadConfig } from '../apps/server/dist/config.js';
import { createKalaja } from '../apps/server/dist/server.js';
import { median } from './lib.js';
import { seedCohort } from './seed-cohort.js';
import { COOKIE, firstAdmin, removeDir, startServer, tempDir } from './server-fixture.js';

const GOAL_MS = 4000;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const CHROMIUM = process.env.KALAJA_CHROMIUM ?? '/usr/bin/chromium';
const VIEWPORT = { width: 1280, height: 900 };

/**
 * Chrome DevTools' "Slow 4G" preset, as Chromium's DevTools sends it to
 * Network.emulateNetworkConditions (devtools-frontend, front_end/core/sdk/NetworkManager.ts,
 * `Slow4GConditions`: 150 ms × 3.75 latency, 1.6 Mbit/s × 0.9 down, 750 kbit/s × 0.9 up; the
 * same adjustment factors as Lighthouse's `mobileSlow4G`, core/config/constants.js):
 * 562.5 ms, 180,000 B/s (1.44 Mbit/s) down, 84,375 B/s (675 kbit/s) up.
 */
export const SLOW_4G = {
  offline: false,
  latency: 150 * 3.75,
  downloadThroughput: ((1.6 * 1000 * 1000) / 8) * 0.9,
  uploadThroughput: ((750 * 1000) / 8) * 0.9,
};
export const CPU_SLOWDOWN = 4;

/** Set in the page before its scripts run: LCP entries as they come, and the charts' marks. */
function observe() {
  const w = window;
  w.__bench = { lcp: 0, element: '' };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      w.__bench.lcp = e.startTime;
      const el = e.element;
      w.__bench.element = el
        ? `<${el.tagName.toLowerCase()}> “${(el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40)}”`
        : '(removed)';
    }
  }).observe({ type: 'largest-contentful-paint', buffered: true });
}

/** One load of `path` in a new context: what it painted, when the charts were drawn, its requests. */
async function load(browser, server, cookie, path, throttled) {
  const context = await browser.newContext({ viewport: VIEWPORT, locale: 'en-GB' });
  const foreign = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(server.url) || url.startsWith('blob:') || url.startsWith('data:')) return route.continue();
    foreign.push(url);
    return route.abort();
  });
  await context.addCookies([{ name: COOKIE, value: cookie, url: server.url }]);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.addInitScript(observe);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  if (throttled) {
    await cdp.send('Network.emulateNetworkConditions', SLOW_4G);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
  }
  const requests = [];
  page.on('requestfinished', (r) =>
    requests.push(
      r.sizes().then(({ responseBodySize, responseHeadersSize }) => {
        const t = r.timing();
        return {
          url: r.url(),
          startTime: t.startTime,
          end: t.responseEnd,
          bytes: responseBodySize + responseHeadersSize,
        };
      }),
    ),
  );
  try {
    await page.goto(`${server.url}${path}`, { timeout: 120_000 });
    // Every chart the page shows has been drawn: as many drawn marks as chart elements (four
    // with two rounds: the heatmap, the distribution, the means and the change).
    await page.waitForFunction(
      () => {
        const charts = document.querySelectorAll('.chart').length;
        return charts >= 4 && performance.getEntriesByName('kalaja:chart-drawn').length >= charts;
      },
      null,
      { timeout: 120_000, polling: 100 },
    );
    await page.waitForFunction(
      () => performance.getEntriesByName('kalaja:chart-finished').length >= document.querySelectorAll('.chart').length,
      null,
      { timeout: 30_000, polling: 100 },
    );
    // Let the last paints land (LCP entries stop at the first input; there is none).
    await page.waitForTimeout(1000);
    const m = await page.evaluate(() => {
      const marks = (name) => performance.getEntriesByName(name).map((e) => e.startTime);
      const nav = performance.getEntriesByType('navigation')[0];
      return {
        ...window.__bench,
        fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? 0,
        drawn: marks('kalaja:chart-drawn'),
        finished: marks('kalaja:chart-finished'),
        navStart: performance.timeOrigin + (nav?.startTime ?? 0),
      };
    });
    const finished = await Promise.all(requests);
    if (errors.length) throw new Error(`page errors on ${path}: ${errors.join('; ')}`);
    if (foreign.length) throw new Error(`requests to another origin on ${path}: ${foreign.join(', ')}`);
    return {
      lcp: m.lcp,
      element: m.element,
      fcp: m.fcp,
      firstChart: Math.min(...m.drawn),
      charts: Math.max(...m.drawn),
      finished: Math.max(...m.finished),
      js: finished.filter((r) => r.url.endsWith('.js')).reduce((a, r) => a + r.bytes, 0),
      bytes: finished.reduce((a, r) => a + r.bytes, 0),
      waterfall: finished
        .map((r) => ({ ...r, start: r.startTime - m.navStart }))
        .sort((a, b) => a.start - b.start)
        .map((r) => ({
          path:
            new URL(r.url).pathname.replace(/[0-9a-f-]{36}/g, ':id') +
            new URL(r.url).search.replace(/[0-9a-f-]{36}/g, ':id'),
          start: r.start,
          end: r.start + r.end,
          bytes: r.bytes,
        })),
    };
  } finally {
    await context.close();
  }
}

const s = (v) => `${(v / 1000).toFixed(2)} s`;
const kB = (b) => `${(b / 1000).toFixed(1)} kB`;

/** The median load of a series (by charts drawn) and the medians of each figure. */
function summarise(loads) {
  const mid = [...loads].sort((a, b) => a.charts - b.charts)[(loads.length - 1) >> 1];
  const of = (k) => median(loads.map((l) => l[k]));
  return {
    lcp: of('lcp'),
    fcp: of('fcp'),
    firstChart: of('firstChart'),
    charts: of('charts'),
    finished: of('finished'),
    js: of('js'),
    bytes: of('bytes'),
    range: (k) => `${s(Math.min(...loads.map((l) => l[k])))}–${s(Math.max(...loads.map((l) => l[k])))}`,
    element: mid.element,
    waterfall: mid.waterfall,
  };
}

export async function run() {
  const dataDir = tempDir('kalaja-results-page-');
  const t = performance.now();
  // The programmes first, before any account: the first account becomes their manager.
  const kalaja = await createKalaja(loadConfig({ KALAJA_DATA_DIR: dataDir, KALAJA_LOG_LEVEL: 'warn' }));
  const rounds = ['baseline', 'reassessment'];
  const large = await seedCohort(kalaja, { organisations: 1000, rounds, seed: 20261204 });
  const small = await seedCohort(kalaja, { organisations: 10, rounds, seed: 20261205 });
  await kalaja.close();
  const server = await startServer({ dataDir });
  let browser;
  try {
    const admin = await firstAdmin(server);
    const seedSeconds = (performance.now() - t) / 1000;
    // Warm results: the first call ever opens every answer (the `cohort` case times it).
    for (const p of [large, small]) {
      await admin.expect(200, 'GET', `/api/v1/programmes/${p.programmeId}/results/summary`);
      await admin.expect(
        200,
        'GET',
        `/api/v1/programmes/${p.programmeId}/results/organisations?round=reassessment&offset=0&limit=50`,
      );
    }
    browser = await chromium.launch({ executablePath: CHROMIUM });
    const path = (p) => `/programmes/${p.programmeId}/results`;
    // One load of each unmeasured first: the server's compressed files and the browser warmed.
    await load(browser, server, admin.cookie, path(small), false);
    const series = { large: [], small: [], fast: [] };
    for (let i = 0; i < RUNS; i++) {
      series.large.push(await load(browser, server, admin.cookie, path(large), true));
      series.small.push(await load(browser, server, admin.cookie, path(small), true));
      series.fast.push(await load(browser, server, admin.cookie, path(large), false));
    }
    const L = summarise(series.large);
    const S = summarise(series.small);
    const F = summarise(series.fast);
    const ok = L.charts < GOAL_MS;
    const line = (x) =>
      `LCP ${s(x.lcp)} (${x.element}); FCP ${s(x.fcp)}; first chart ${s(x.firstChart)}; **charts drawn ${s(x.charts)}** (${x.range('charts')}); animations ended ${s(x.finished)}; JavaScript ${kB(x.js)}, everything ${kB(x.bytes)} on the wire`;
    const rows = [
      [
        'seeded',
        `${large.answers.toLocaleString('en')} + ${small.answers.toLocaleString('en')} answers in ${seedSeconds.toFixed(0)} s`,
      ],
      [
        'conditions',
        `DevTools "Slow 4G" (562.5 ms, 1.44 Mbit/s down, 675 kbit/s up), CPU ${CPU_SLOWDOWN}× slower, ${VIEWPORT.width}×${VIEWPORT.height}, cache disabled; median of ${RUNS}`,
      ],
      ['1,000 organisations × 2 rounds, Slow 4G + 4× CPU', line(L)],
      ['10 organisations × 2 rounds, Slow 4G + 4× CPU (baseline)', line(S)],
      ['1,000 organisations × 2 rounds, no throttling', line(F)],
      [
        `**charts drawn, 1,000 organisations, Slow 4G + 4× CPU (goal < ${GOAL_MS / 1000} s)**`,
        `**${s(L.charts)}**, ${ok ? 'met' : 'missed'}; ${(L.charts / S.charts).toFixed(2)}× the 10-organisation page, ${(L.charts / F.charts).toFixed(1)}× unthrottled`,
      ],
      ['LCP, 1,000 against 10 organisations', `${s(L.lcp)} / ${s(S.lcp)}, ${(L.lcp / S.lcp).toFixed(2)}×`],
    ];
    return {
      name: 'the results page on Slow 4G with a 4× slower CPU (Chromium, SQLite)',
      rows,
      ok,
      waterfall: L.waterfall,
    };
  } finally {
    await browser?.close();
    await server.kill('SIGTERM');
    removeDir(dataDir);
  }
}

// `node bench/results-page.js` runs it alone, and prints the waterfall of a median load.
if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await run();
  console.log(`### ${result.name}\n\n| measure | value |\n| --- | --- |`);
  for (const [k, v] of result.rows) console.log(`| ${k} | ${v} |`);
  console.log(`\n${result.ok ? 'within target' : 'OUTSIDE TARGET'}\n`);
  console.log(
    '| request (1,000 organisations, Slow 4G, the median load) | start | end | on the wire |\n| --- | --- | --- | --- |',
  );
  for (const r of result.waterfall) console.log(`| ${r.path} | ${s(r.start)} | ${s(r.end)} | ${kB(r.bytes)} |`);
}
