import { createHash } from 'node:crypto';
import { subjectOf } from '@kalaja/engine';
import { systemActor } from '../access/access-types.js';
import type { FrameworkService } from '../frameworks/framework-service.js';
import type { OpennessService } from '../openness/openness-service.js';
import type { RoundService } from '../programmes/round-service.js';

export const DEMO_INDEX_NAME = 'Demo openness index (fictional institutions)';
const DAY = 86_400_000;

/**
 * Ten fictional institutions in two fictional-named countries' codes (XK and AL), each with the
 * example domain its evidence links point at. No real institution is judged: names are generic
 * and every link is on an `.example` domain (RFC 2606), which never resolves.
 */
const INSTITUTIONS = [
  { name: 'Assembly of the Republic (demo)', type: 'parliament', country: 'XK', domain: 'assembly.example' },
  { name: 'Parliament of the Coast (demo)', type: 'parliament', country: 'AL', domain: 'parliament.example' },
  { name: 'Office of the Prime Minister (demo)', type: 'government-office', country: 'XK', domain: 'opm.example' },
  {
    name: 'Council of Ministers Secretariat (demo)',
    type: 'government-office',
    country: 'AL',
    domain: 'council.example',
  },
  { name: 'Ministry of Education (demo)', type: 'ministry', country: 'XK', domain: 'education.example' },
  { name: 'Ministry of Finance (demo)', type: 'ministry', country: 'XK', domain: 'finance.example' },
  { name: 'Ministry of Health (demo)', type: 'ministry', country: 'AL', domain: 'health.example' },
  { name: 'Ministry of Justice (demo)', type: 'ministry', country: 'AL', domain: 'justice.example' },
  { name: 'Public Procurement Agency (demo)', type: 'agency', country: 'XK', domain: 'procurement.example' },
  { name: 'Statistics Agency (demo)', type: 'agency', country: 'AL', domain: 'statistics.example' },
] as const;

/** A number in [0, 1) fixed by its words: the demo is the same on every instance. */
const draw = (...words: string[]) => createHash('sha256').update(words.join('|')).digest().readUInt32BE(0) / 2 ** 32;

/**
 * The demo's openness index: ten institutions measured over two waves on the shipped institution
 * framework, every answer with a link and the date it was checked, validated by a second
 * researcher (Kalaja itself), both waves published so that the second shows the change since the
 * first. An institution's openness is drawn once (some open, some closed), each indicator around
 * it, a little better in the second wave. Returns the index's id, or null when no institution
 * framework is shipped.
 */
export async function runDemoOpenness(deps: {
  openness: Pick<OpennessService, 'createIndex' | 'addInstitution' | 'recordValidated' | 'publish'>;
  rounds: Pick<RoundService, 'open' | 'close'>;
  frameworks: Pick<FrameworkService, 'list' | 'load'>;
  now: () => number;
}): Promise<string | null> {
  const system = systemActor('demo');
  const summary = (await deps.frameworks.list(system)).find((f) => f.key === 'openness-index');
  if (!summary) return null;
  const fw = await deps.frameworks.load(summary.id);
  if (subjectOf(fw) !== 'institution') return null;
  const index = await deps.openness.createIndex(system, {
    name: DEMO_INDEX_NAME,
    frameworkId: summary.id,
    waves: [{ name: '2025' }, { name: '2026' }],
  });
  const institutions = [];
  for (const i of INSTITUTIONS)
    institutions.push({
      ...i,
      id: (
        await deps.openness.addInstitution(system, index.id, {
          name: i.name,
          type: i.type,
          level: 'national',
          country: i.country,
        })
      ).id,
    });
  for (const [w, wave] of index.rounds.entries()) {
    if (w > 0) {
      await deps.rounds.close(system, index.id, index.rounds[w - 1]!.id);
      await deps.rounds.open(system, index.id, wave.id);
    }
    // Checked over the wave's weeks: the first wave a year before the second.
    const checkedOn = (k: number) =>
      new Date(deps.now() - ((1 - w) * 365 + 20 + (k % 30)) * DAY).toISOString().slice(0, 10);
    for (const inst of institutions) {
      const openness = 0.25 + 0.6 * draw(inst.name);
      let k = 0;
      const answers = fw.domains.flatMap((d) =>
        d.questions.map((q) => {
          k += 1;
          const x = Math.min(0.999, Math.max(0, openness + (draw(inst.name, q.id) - 0.5) * 0.6 + w * 0.08));
          const option = q.options[Math.floor(x * q.options.length)]!;
          const path = `${d.id}/${q.id.replace(/^[^.]*\./, '').replace(/[^a-z0-9-]+/g, '-')}`;
          return {
            indicator: q.id,
            answer: option.id,
            url: `https://${inst.domain}/${wave.name}/${path}`,
            checkedOn: checkedOn(k),
          };
        }),
      );
      await deps.openness.recordValidated(system, index.id, wave.id, inst.id, answers);
    }
    await deps.openness.publish(system, index.id, wave.id);
  }
  return index.id;
}
