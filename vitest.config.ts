import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// One run for every suite. Workspace packages resolve to their TypeScript sources, so tests
// never depend on a stale build; the command-line tests that spawn `bin/kalaja.js` use the
// build that `npm test` makes first.
export default defineConfig({
  resolve: {
    // Exact matches: each export path of a package (`@kalaja/contracts/limits`) has a source of its own.
    alias: [
      { find: /^@kalaja\/engine$/, replacement: src('./packages/engine/src/index.ts') },
      { find: /^@kalaja\/engine\/display$/, replacement: src('./packages/engine/src/display.ts') },
      { find: /^@kalaja\/engine\/encoding$/, replacement: src('./packages/engine/src/answers/encoding.ts') },
      { find: /^@kalaja\/engine\/sheets$/, replacement: src('./packages/engine/src/sheets.ts') },
      { find: /^@kalaja\/engine\/files$/, replacement: src('./packages/engine/src/files.ts') },
      { find: /^@kalaja\/contracts$/, replacement: src('./packages/contracts/src/index.ts') },
      { find: /^@kalaja\/contracts\/limits$/, replacement: src('./packages/contracts/src/limits.ts') },
    ],
  },
  test: {
    // Component tests (`.test.tsx`) name their DOM themselves: `// @vitest-environment happy-dom`.
    include: ['packages/*/test/**/*.test.ts', 'apps/*/test/**/*.test.{ts,tsx}'],
    // Suites that only make sense on PostgreSQL run when a server is named (always in CI).
    exclude: ['**/node_modules/**', ...(process.env.KALAJA_TEST_DATABASE_URL ? [] : ['**/*.postgres.test.ts'])],
    testTimeout: 30_000,
    // Suites start servers and load the demo programme (three trainings with their checks) in
    // beforeAll: on two busy cores that outgrows the default 10 s.
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
