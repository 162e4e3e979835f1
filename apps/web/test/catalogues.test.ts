import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * Every string the app shows comes from the English catalogues (locales/en/<namespace>.json): a
 * key missing there would show as the bare key. This reads each component file's namespace
 * (`useTranslation('account')`, else `common`; `{ ns: 'common' }` in a call overrides it) and
 * every literal key it passes to `t(…)`, including the branches of a conditional
 * (`t(a ? 'x.y' : 'x.z')`), and looks each one up.
 * Keys built at run time (`t(\`status.${s}\`)`) are not checked here.
 */
const src = fileURLToPath(new URL('../src/', import.meta.url));
const locales = join(src, 'locales/en');

const catalogues = new Map<string, Record<string, unknown>>(
  readdirSync(locales).map((f) => [f.replace(/\.json$/, ''), JSON.parse(readFileSync(join(locales, f), 'utf8'))]),
);

function has(catalogue: Record<string, unknown>, key: string): boolean {
  const parts = key.split('.');
  const last = parts.pop()!;
  let node: unknown = catalogue;
  for (const p of parts) node = (node as Record<string, unknown> | undefined)?.[p];
  const leaf = node as Record<string, unknown> | undefined;
  // Plural keys live as key_one, key_other…
  return typeof leaf?.[last] === 'string' || typeof leaf?.[`${last}_other`] === 'string';
}

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

const uses = files(src)
  .map((file) => {
    const text = readFileSync(file, 'utf8');
    const ns = /useTranslation\('([a-z]+)'\)/.exec(text)?.[1] ?? 'common';
    const keys = new Set<string>();
    for (const call of text.matchAll(/\bt\(([^()]*)/g)) {
      const args = call[1]!;
      const inNs = /\bns: '([a-z]+)'/.exec(args)?.[1] ?? ns;
      for (const literal of args.matchAll(/'([a-zA-Z]+(?:\.[a-zA-Z0-9_]+)+)'/g)) keys.add(`${inNs}:${literal[1]!}`);
    }
    return { file: relative(src, file), keys: [...keys], uses: /useTranslation\(/.test(text) };
  })
  .filter((f) => f.uses && f.keys.length > 0);

describe('the English catalogues', () => {
  it('finds the component files that translate', () => {
    expect(uses.map((u) => u.file)).toContain('features/account/security-page.tsx');
  });

  it.each(uses.map((u) => [u.file, u] as const))('hold every key %s uses', (_, { keys }) => {
    const missing = keys.filter((k) => {
      const [ns, key] = k.split(':') as [string, string];
      const catalogue = catalogues.get(ns);
      return !catalogue || !has(catalogue, key);
    });
    expect(missing).toEqual([]);
  });
});
