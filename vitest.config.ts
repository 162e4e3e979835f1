import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// One run for every suite. Workspace packages resolve to their TypeScript sources, so tests
// never depend on a stale build; the command-line tests that spawn `bin/kalaja.js` use the
// build that `npm test` makes first.
export default defineConfig({
  resolve: {
    alias: {
      '@kalaja/engine': src('./packages/engine/src/index.ts'),
      '@kalaja/contracts': src('./packages/contracts/src/index.ts'),
    },
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'apps/*/test/**/*.test.ts'],
    // Suites that only make sense on PostgreSQL run when a server is named (always in CI).
    exclude: ['**/node_modules/**', ...(process.env.KALAJA_TEST_DATABASE_URL ? [] : ['**/*.postgres.test.ts'])],
    testTimeout: 30_000,
    pool: 'forks',
  },
});
