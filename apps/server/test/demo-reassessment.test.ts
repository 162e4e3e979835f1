import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from './support/databases.js';
import { startHarness, type Client, type Harness } from './support/kalaja.js';

describe.each(DATABASES)('the demo’s reassessment on %s', (kind) => {
  let h: Harness;
  let admin: Client;
  let programmeId: string;

  beforeAll(async () => {
    h = await startHarness(kind);
    admin = await h.admin();
    const me = (await admin.get('/api/v1/me')).json;
    programmeId = (await h.kalaja.services.demo.load([me.id])).programmeId;
  }, 120_000);

  afterAll(async () => {
    await h?.close();
  });

  it('closes the validated baseline and opens the reassessment on its answers', async () => {
    const p = (await admin.get(`/api/v1/programmes/${programmeId}`)).json;
    expect(p.rounds.map((r: { name: string; state: string }) => `${r.name}:${r.state}`)).toEqual([
      'baseline:closed',
      'reassessment:open',
    ]);
    const events = (await admin.get(`/api/v1/programmes/${programmeId}/round-events`)).json;
    expect(events.map((e: { round: string; action: string }) => `${e.round}:${e.action}`)).toEqual([
      'baseline:open',
      'baseline:close',
      'reassessment:open',
    ]);
  });

  it('shows answers carried over and confirmed, others changed, and the assessor’s account of each domain', async () => {
    const progress = (await admin.get(`/api/v1/programmes/${programmeId}/progress`)).json as {
      roundId: string;
      assessmentId: string;
      status: string;
    }[];
    const p = (await admin.get(`/api/v1/programmes/${programmeId}`)).json;
    const fw = (await admin.get(`/api/v1/frameworks/${p.framework.id}`)).json;
    const later = progress.filter((r) => r.roundId === p.rounds[1].id);
    expect(later).toHaveLength(10);
    expect(later.every((r) => r.status === 'validated')).toBe(true);
    let same = 0;
    let changed = 0;
    for (const r of later) {
      const a = (await admin.get(`/api/v1/assessments/${r.assessmentId}`)).json;
      expect(a.previousRound).toBe('baseline');
      for (const x of a.answers as { own: { answer: string } | null; carried: { answer: string } | null }[]) {
        if (!x.carried || !x.own) continue;
        if (x.own.answer === x.carried.answer) same++;
        else changed++;
      }
      const accounts = (await admin.get(`/api/v1/assessments/${r.assessmentId}/accounts`)).json as {
        domain: string;
        by: string;
      }[];
      expect(
        accounts
          .filter((x) => x.by === 'assessor')
          .map((x) => x.domain)
          .sort(),
      ).toEqual(fw.domains.map((d: { id: string }) => d.id).sort());
    }
    // Most answers confirmed as they were, a good number changed.
    expect(same).toBeGreaterThan(changed);
    expect(changed).toBeGreaterThan(20);
    const change = (await admin.get(`/api/v1/programmes/${programmeId}/change`)).json.changes[0];
    expect(change).toMatchObject({ from: 'baseline', to: 'reassessment', n: 10, provisional: 0 });
    expect(change.overall.wilcoxon.n).toBeGreaterThan(0);
  });

  it('runs three training sessions with realistic attendance, checks before and after, and a follow-up', async () => {
    const list = (await admin.get(`/api/v1/programmes/${programmeId}/trainings`)).json;
    expect(
      list.sessions.map((s: { module: { id: string }; registered: number; attended: number; check: string }) => [
        s.module.id,
        s.registered,
        s.attended,
        s.check,
      ]),
    ).toEqual([
      ['account-security-and-phishing', 17, 14, 'closed'],
      ['backup-and-recovery', 12, 11, 'closed'],
      ['secure-communication-and-sources', 10, 9, 'closed'],
    ]);
    const impact = (await admin.get(`/api/v1/programmes/${programmeId}/trainings/impact`)).json;
    for (const s of impact.sessions) {
      // Most attendees took both checks; a few missed one; gains are real but not universal.
      expect(s.knowledge.change.n).toBeGreaterThanOrEqual(s.attended - 3);
      expect(s.knowledge.change.n).toBeLessThan(s.attended);
      expect(s.knowledge.change.mean).toBeGreaterThan(5);
      expect(s.knowledge.change.declined + s.knowledge.change.unchanged).toBeGreaterThan(0);
      expect(s.reaction.n).toBeGreaterThan(0);
      expect(s.confidence.post).toBeGreaterThan(s.confidence.pre);
    }
    const followUp = impact.sessions[0].followUps[0];
    expect(followUp.days).toBe(30);
    expect(followUp.responded).toBeGreaterThan(0);
    expect(followUp.responded).toBeLessThan(followUp.asked);
  });

  it('switches the reporting channel on with one fictional report the team has answered', async () => {
    expect((await h.client().get('/api/v1/report-channel')).json.enabled).toBe(true);
    const inbox = (await admin.get('/api/v1/reporting/reports')).json;
    expect(inbox).toHaveLength(1);
    expect(inbox[0]).toMatchObject({ status: 'open', category: 'account-takeover', lastFrom: 'team' });
    const report = (await admin.get(`/api/v1/reporting/reports/${inbox[0].id}`)).json;
    expect(report.what).toMatch(/municipal tender/);
    expect(report.tags).toEqual(['account-takeover', 'phishing']);
    expect(report.messages.map((m: { from: string }) => m.from)).toEqual(['team']);
  });
});
