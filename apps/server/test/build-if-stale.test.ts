import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain script without types
import { webBuildReason } from '../../../scripts/build-if-stale.mjs';

/** `npm start` builds the web app only when its build is missing or older than what it is built from. */

const reason = webBuildReason as (repo: string) => string | null;

function touch(repo: string, path: string, seconds: number) {
  const file = join(repo, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, 'x');
  const at = new Date(1_800_000_000_000 + seconds * 1000);
  utimesSync(file, at, at);
  for (let dir = dirname(file); dir.startsWith(repo) && dir !== repo; dir = dirname(dir)) utimesSync(dir, at, at);
}

describe('the build step of npm start', () => {
  it('builds the web app when it was never built, or when a source is newer than the build, and not otherwise', () => {
    const repo = mkdtempSync(join(tmpdir(), 'kalaja-stale-'));
    touch(repo, 'apps/web/src/main.tsx', 10);
    touch(repo, 'packages/engine/src/index.ts', 10);
    expect(reason(repo)).toBe('the web app is not built yet');
    touch(repo, 'apps/web/dist/index.html', 20);
    expect(reason(repo)).toBeNull();
    touch(repo, 'packages/engine/src/display/format.ts', 30);
    expect(reason(repo)).toBe('packages/engine/src changed since the web app was built');
    touch(repo, 'apps/web/dist/index.html', 40);
    expect(reason(repo)).toBeNull();
    touch(repo, 'apps/web/src/locales/en/common.json', 50);
    expect(reason(repo)).toBe('apps/web/src changed since the web app was built');
  });
});
