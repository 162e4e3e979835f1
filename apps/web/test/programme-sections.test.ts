import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PROGRAMME_SECTIONS, sectionPath } from '../src/features/manager/sections';

/**
 * The programme's navigation is made from one list; these hold it to what the navigation
 * needs: a label the catalogue has (a missing one would show as a bare key, which the
 * catalogue test cannot see in a key held in data), one address per section, the overview at
 * the programme's own address, and a page behind every entry.
 */
const manager = JSON.parse(readFileSync(new URL('../src/locales/en/manager.json', import.meta.url), 'utf8')) as Record<
  string,
  Record<string, unknown>
>;

describe('the programme sections', () => {
  it('each have a label in the English catalogue', () => {
    for (const s of PROGRAMME_SECTIONS) {
      const [group, key] = s.label.split('.') as [string, string];
      expect(typeof manager[group]?.[key], s.label).toBe('string');
    }
  });

  it('each have an address of their own, the overview first at the programme’s address', () => {
    const paths = PROGRAMME_SECTIONS.map((s) => s.path);
    expect(new Set(paths).size).toBe(paths.length);
    expect(paths[0]).toBe('');
    expect(sectionPath('p 1', '')).toBe('/programmes/p%201');
    expect(sectionPath('p1', 'reports')).toBe('/programmes/p1/reports');
  });

  it('each load a page that exports its Section', async () => {
    for (const s of PROGRAMME_SECTIONS) expect(typeof (await s.load()).Section, s.path).toBe('function');
  });
});
