import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  buildProgrammeReport,
  loadFramework,
  readAnswers,
  reviewRecommendations,
  type Recommendation,
} from '../src/index.js';

const repo = new URL('../../../', import.meta.url).pathname;
const loaded = loadFramework(readFileSync(`${repo}content/frameworks/cso-media.yaml`, 'utf8'), { file: 'f' });
if (!loaded.ok) throw new Error('framework');
const fw = loaded.value;
const sample = readAnswers(fw, readFileSync(`${repo}content/samples/answers.csv`, 'utf8'), { file: 'a' });
if (!sample.ok) throw new Error('answers');

const draft = (id: string, priority: Recommendation['priority']): Recommendation => ({
  id,
  rule: 'weakest-domain',
  priority,
  title: `Title ${id}`,
  text: `Text ${id}`,
  evidence: [{ name: 'mean', value: 1 }],
  subject: {},
});

describe('the team’s review of drafted recommendations', () => {
  const drafts = [draft('a', 'high'), draft('b', 'medium'), draft('c', 'low')];

  it('keeps drafts as drafted when there is nothing to apply', () => {
    const r = reviewRecommendations(drafts, [], 'en');
    expect(r.items.map((x) => [x.id, x.review])).toEqual([
      ['a', 'drafted'],
      ['b', 'drafted'],
      ['c', 'drafted'],
    ]);
    expect([r.edited, r.dropped, r.added, r.stale]).toEqual([0, 0, 0, []]);
  });

  it('edits, drops and adds, keeps the drafting rule, orders by priority, and sets aside stale edits', () => {
    const r = reviewRecommendations(
      drafts,
      [
        { id: 'c', priority: 'high', texts: { en: { title: 'Backups first', text: 'Weekly, offline.' } } },
        { id: 'b', dropped: true },
        { id: 'team:x', priority: 'medium', texts: { sq: { title: 'Trajnim', text: 'Për stafin e ri.' } } },
        { id: 'gone', priority: 'low' },
      ],
      'en',
    );
    expect(r.items.map((x) => [x.id, x.priority, x.review, x.rule])).toEqual([
      ['a', 'high', 'drafted', 'weakest-domain'],
      ['c', 'high', 'edited', 'weakest-domain'],
      ['team:x', 'medium', 'added', 'team'],
    ]);
    expect(r.items[1]).toMatchObject({
      title: 'Backups first',
      text: 'Weekly, offline.',
      evidence: drafts[2]!.evidence,
    });
    // Added in Albanian: shown in an English report in the language it was written in.
    expect(r.items[2]).toMatchObject({ title: 'Trajnim', lang: 'sq' });
    expect([r.edited, r.dropped, r.added, r.stale]).toEqual([1, 1, 1, ['gone']]);
  });

  it('counts a priority set to what it was as no edit', () => {
    expect(reviewRecommendations(drafts, [{ id: 'a', priority: 'high' }], 'en').edited).toBe(0);
  });

  it('reaches the programme report: the methodology says what the team changed, each item says it', () => {
    const plain = buildProgrammeReport(fw, sample.value, {});
    const [first, second] = plain.recommendations.items;
    expect(first && second).toBeTruthy();
    expect(plain.methodology.paragraphs).toContain('The team kept every drafted recommendation as it was drafted.');
    const reviewed = buildProgrammeReport(fw, sample.value, {
      recommendationEdits: [
        { id: first!.id, texts: { en: { title: 'Our own wording', text: 'Said as the team would say it.' } } },
        { id: second!.id, dropped: true },
      ],
    });
    expect(reviewed.recommendations.items.map((x) => x.id)).not.toContain(second!.id);
    expect(reviewed.recommendations.items.find((x) => x.id === first!.id)).toMatchObject({
      title: 'Our own wording',
      review: 'edited',
      rule: first!.rule,
    });
    expect(reviewed.methodology.paragraphs.join(' ')).toContain(
      'the team edited 1 and dropped 1, and it added 0 of its own',
    );
  });
});
