import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  criticalGaps,
  indexFramework,
  levelFor,
  loadFramework,
  parseAnswersCsv,
  readAnswers,
  scoreAnswerSet,
  scoreAssessment,
  textFor,
  type AnswerSet,
  type Framework,
  type Question,
} from '@kalaja/engine';

// The content checks of the cso-media framework 2.0.0 (docs/framework-2.0.md says what changed
// from 1.0.0 and why) and the two organisations of the auditor's review, scored end to end.

const root = new URL('../../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');

const FILE = 'content/frameworks/cso-media.yaml';

function loadShipped(path: string): Framework {
  const r = loadFramework(read(path), { file: path });
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.file}:${p.line}:${p.col} ${p.message}`).join('\n'));
  return r.value;
}

/** The CIS Controls v8.0 safeguards, id → implementation group (1, 2 or 3). */
function cisSafeguards(): Map<string, number> {
  const doc = parse(read('content/reference/cis-v8-safeguards.yaml')) as { safeguards: Record<string, number> };
  return new Map(Object.entries(doc.safeguards));
}

/** CSF 2.0 subcategories: the subcategory controls of the OSCAL catalog that carry examples. */
function csf2Subcategories(): Set<string> {
  const xml = read('content/reference/nist-csf-2.0/NIST_CSF_v2.0_catalog.xml');
  const ids = new Set<string>();
  for (const m of xml.matchAll(/<control id="([^"]+)" class="subcategory">([\s\S]*?)<\/control>/g)) {
    if (m[2]!.includes('name="example"')) ids.add(m[1]!);
  }
  return ids;
}

const fw = loadShipped(FILE);
const questions = fw.domains.flatMap((d) => d.questions);
const byId = new Map(questions.map((q) => [q.id, q]));
const question = (id: string): Question => {
  const q = byId.get(id);
  if (!q) throw new Error(`no question ${id}`);
  return q;
};
const domainOf = (id: string) => fw.domains.find((d) => d.questions.some((q) => q.id === id))!.id;
const optionScore = (id: string, option: string) => question(id).options.find((o) => o.id === option)!.score;
const best = (q: Question) => q.options.reduce((a, b) => (b.score > a.score ? b : a));

/** Every question answered with its best option, then the given overrides. */
function perfectExcept(overrides: Record<string, string>): Map<string, string> {
  const answers = new Map(questions.map((q) => [q.id, best(q).id]));
  for (const [id, option] of Object.entries(overrides)) answers.set(id, option);
  return answers;
}

describe('the CIS Controls v8.0 safeguard list', () => {
  const cis = cisSafeguards();

  it('holds the 153 safeguards with the published split of 56 in IG1, 74 more in IG2 and 23 in IG3', () => {
    expect(cis.size).toBe(153);
    const count = (ig: number) => [...cis.values()].filter((v) => v === ig).length;
    expect([count(1), count(2), count(3)]).toEqual([56, 74, 23]);
    for (const id of cis.keys()) expect(id).toMatch(/^([1-9]|1[0-8])\.\d{1,2}$/);
    // v7.1 numbers that v8.0 no longer has.
    expect(cis.has('18.6')).toBe(false);
    expect(cis.has('20.1')).toBe(false);
  });
});

describe('the cso-media framework 2.0.0', () => {
  it('is version 2.0.0, while the pinned 1.0.0 stays loadable as it was', () => {
    expect(fw.id).toBe('cso-media');
    expect(fw.version).toBe('2.0.0');
    const old = loadShipped('content/frameworks/cso-media-1.0.0.yaml');
    expect(old.id).toBe('cso-media');
    expect(old.version).toBe('1.0.0');
    expect(old.domains.flatMap((d) => d.questions).some((q) => q.id === 'network.encrypted-messaging')).toBe(true);
  });

  it('keeps the eleven domain ids and asks 75 to 90 questions', () => {
    expect(fw.domains.map((d) => d.id)).toEqual([
      'governance',
      'access',
      'devices',
      'updates',
      'data',
      'backup',
      'network',
      'awareness',
      'incident',
      'disinfo',
      'physical',
    ]);
    expect(questions.length).toBeGreaterThanOrEqual(75);
    expect(questions.length).toBeLessThanOrEqual(90);
    for (const q of questions) expect(q.id.startsWith(`${domainOf(q.id)}.`), q.id).toBe(true);
  });

  it('cites only CIS v8.0 safeguards that exist, and not only IG1 ones', () => {
    const cis = cisSafeguards();
    const refs = questions.flatMap((q) => (q.refs['cis-v8'] ?? []).map((id) => ({ q: q.id, id })));
    expect(refs.filter((r) => !cis.has(r.id)).map((r) => `${r.q}: ${r.id}`)).toEqual([]);
    // The framework does not claim IG1 coverage: some safeguards it cites are IG2 or IG3.
    expect(refs.some((r) => cis.get(r.id)! > 1)).toBe(true);
  });

  it('leaves CIS out where CIS has no safeguard, and drops the references the review found wrong', () => {
    const cisOf = (id: string) => question(id).refs['cis-v8'] ?? [];
    const csfOf = (id: string) => question(id).refs['nist-csf-2'] ?? [];
    for (const id of [
      'data.legal-obligations',
      'incident.legal-notification',
      'disinfo.verification-practice',
      'physical.travel-safety',
    ])
      expect(cisOf(id), id).toEqual([]);
    expect(cisOf('governance.security-policy')).not.toContain('14.1');
    expect(cisOf('access.shared-accounts')).not.toContain('5.2');
    expect(cisOf('network.vpn-untrusted')).not.toContain('12.7');
    expect(csfOf('disinfo.impersonation-takedown')).not.toContain('PR.AA-02');
    expect(csfOf('network.email-authentication')).not.toContain('PR.DS-02');
  });

  it('cites only current CSF 2.0 subcategories, at least one per question', () => {
    const valid = csf2Subcategories();
    expect(valid.size).toBe(106);
    for (const q of questions) {
      const refs = q.refs['nist-csf-2'] ?? [];
      expect(refs.length, q.id).toBeGreaterThan(0);
      expect(
        refs.filter((id) => !valid.has(id)),
        q.id,
      ).toEqual([]);
    }
  });

  it('names at least one intervention on every question', () => {
    for (const q of questions) expect(q.interventions.length, q.id).toBeGreaterThan(0);
    const named = new Set(questions.flatMap((q) => q.interventions));
    expect(named.size).toBeGreaterThanOrEqual(40);
    expect(named.size).toBeLessThanOrEqual(60);
  });

  it('offers ordered options from 0 to 1, each label once, "Don\u2019t know" at 0 and at most once', () => {
    for (const q of questions) {
      const labels = q.options.map((o) => textFor(o.label));
      expect(new Set(labels).size, q.id).toBe(labels.length);
      const known = q.options.filter((o) => !o.unknown).map((o) => o.score);
      expect(known, q.id).toEqual([...known].sort((a, b) => a - b));
      expect(Math.min(...known), q.id).toBe(0);
      expect(Math.max(...known), q.id).toBe(1);
      const unknown = q.options.filter((o) => o.unknown);
      expect(unknown.length, q.id).toBeLessThanOrEqual(1);
      for (const o of unknown) expect(o.score, q.id).toBe(0);
      expect(textFor(q.guidance ?? '').length, q.id).toBeGreaterThan(200);
    }
  });

  it('says in every intermediate option what is still missing, so no two options can both be true', () => {
    // A chain such as "A" then "A, and B" lets an organisation doing both pick either; an
    // intermediate option must say what it lacks ("…, but …", "not …", "only …").
    const limiting = /\b(but|not|no|never|nobody|none|nothing|only|without|fewer|some|except|once|half|neither)\b/i;
    const offenders = questions.flatMap((q) => {
      const top = Math.max(...q.options.map((o) => o.score));
      return q.options
        .filter((o) => !o.unknown && o.score > 0 && o.score < top && !limiting.test(textFor(o.label)))
        .map((o) => `${q.id}: ${o.id}`);
    });
    expect(offenders).toEqual([]);
  });

  it('sets capAt explicitly on every capped question, with options on both sides of it', () => {
    const raw = parse(read(FILE)) as { domains: { questions: Record<string, unknown>[] }[] };
    const rawQuestions = raw.domains.flatMap((d) => d.questions);
    const capped = rawQuestions.filter((q) => q.cap !== undefined);
    expect(capped.length).toBeGreaterThanOrEqual(6);
    for (const q of capped) expect(typeof q.capAt, String(q.id)).toBe('number');
    for (const q of questions.filter((x) => x.cap !== undefined)) {
      expect(q.cap!, q.id).toBeLessThan(fw.scale);
      expect(
        q.options.some((o) => !o.unknown && o.score <= q.capAt),
        q.id,
      ).toBe(true);
      expect(
        q.options.some((o) => o.score > q.capAt),
        q.id,
      ).toBe(true);
    }
  });

  it('caps the controls an auditor calls critical', () => {
    const capped = questions.filter((q) => q.cap !== undefined).map((q) => q.id);
    expect(capped).toEqual(
      expect.arrayContaining([
        'access.mfa-email',
        'devices.disk-encryption',
        'updates.supported-systems',
        'updates.os-automatic',
        'backup.offline-copy',
        'incident.response-plan',
        'data.case-files',
      ]),
    );
    // Case files are capped but can be N/A: an organisation without case files is not penalised.
    expect(question('data.case-files').na).toBe(true);
  });

  it('no longer lets the weakest non-zero step lift a cap (the cliffs the review measured)', () => {
    const domain = (overrides: Record<string, string>, d: string) =>
      scoreAssessment(fw, perfectExcept(overrides)).domains[d]!;
    // Identity and access with only the director on two-step login, or most but not all.
    expect(domain({ 'access.mfa-email': 'some' }, 'access')).toBe(question('access.mfa-email').cap);
    expect(domain({ 'access.mfa-email': 'most' }, 'access')).toBe(question('access.mfa-email').cap);
    expect(domain({ 'devices.disk-encryption': 'some' }, 'devices')).toBe(question('devices.disk-encryption').cap);
    expect(domain({ 'devices.disk-encryption': 'laptops-only' }, 'devices')).toBe(
      question('devices.disk-encryption').cap,
    );
    expect(domain({ 'backup.offline-copy': 'stale' }, 'backup')).toBe(question('backup.offline-copy').cap);
    expect(domain({ 'incident.response-plan': 'in-heads' }, 'incident')).toBe(question('incident.response-plan').cap);
    expect(domain({ 'updates.os-automatic': 'postponed' }, 'updates')).toBe(question('updates.os-automatic').cap);
    // Above capAt the cap is lifted: SMS-only two-step login on every account is not a critical gap.
    expect(domain({ 'access.mfa-email': 'all-sms' }, 'access')).toBeGreaterThan(question('access.mfa-email').cap!);
  });

  it('puts phishing-resistant sign-in at the top of the email question, above app codes and SMS', () => {
    const q = question('access.mfa-email');
    expect(q.options.filter((o) => !o.unknown).map((o) => o.id)).toEqual([
      'none',
      'some',
      'most',
      'all-sms',
      'all-app',
      'phishing-resistant',
    ]);
    expect(optionScore('access.mfa-email', 'all-app')).toBeLessThan(1);
    expect(optionScore('access.mfa-email', 'all-sms')).toBeLessThan(optionScore('access.mfa-email', 'all-app'));
    expect(textFor(best(q).label)).toMatch(/passkey|security key/i);
    // No option asks for admin settings, which personal accounts do not have.
    for (const o of q.options) expect(textFor(o.label)).not.toMatch(/admin settings/i);
  });

  it('scores an unknown free VPN no higher than no VPN at all', () => {
    expect(optionScore('network.vpn-untrusted', 'free-unknown')).toBeLessThanOrEqual(
      optionScore('network.vpn-untrusted', 'never'),
    );
  });

  it('asks about Meta pages as Business Suite roles and has an option for a single administrator', () => {
    const q = question('access.admin-rights');
    expect(textFor(q.guidance!)).toMatch(/Business Suite/);
    expect(q.options.map((o) => o.id)).toContain('only-one');
    expect(optionScore('access.admin-rights', 'only-one')).toBeLessThan(0.5);
  });

  it('states the breach-notification duty as the GDPR does and dates the end-of-support facts', () => {
    const notify = textFor(question('incident.legal-notification').guidance!);
    expect(notify).toMatch(/72 hours/);
    expect(notify).toMatch(/unless it is unlikely/);
    expect(notify).toMatch(/risk to people\s+is high/);
    const support = textFor(question('updates.supported-systems').guidance!);
    expect(support).toMatch(/14 October 2025/);
    expect(support).toMatch(/12 October 2027/);
    expect(support).toMatch(/25H2/);
    expect(textFor(question('devices.disk-encryption').guidance!)).toMatch(/recovery key/i);
  });

  it('scores each merged practice once: the duplicate 1.0 questions are gone, one question remains', () => {
    const merged: [removed: string, kept: string][] = [
      ['network.encrypted-messaging', 'data.secure-messaging'],
      ['awareness.security-focal-point', 'governance.security-lead'],
      ['awareness.leadership', 'governance.leadership'],
      ['network.router-admin', 'updates.router'],
      ['physical.device-seizure', 'devices.lost-or-seized'],
      ['governance.joiners-leavers', 'access.offboarding'],
      ['awareness.freelancers-volunteers', 'awareness.onboarding'],
      ['physical.clean-desk', 'devices.screen-lock'],
    ];
    for (const [removed, kept] of merged) {
      expect(byId.has(removed), removed).toBe(false);
      expect(byId.has(kept), kept).toBe(true);
    }
    const asking = (re: RegExp) => questions.filter((q) => re.test(textFor(q.text))).map((q) => q.id);
    expect(asking(/router/i)).toEqual(['updates.router']);
    expect(asking(/taken by police|border officials/i)).toEqual(['devices.lost-or-seized']);
    expect(asking(/lock on their own|lock their screens/i)).toEqual(['devices.screen-lock']);
    // Retention asks how long data is kept; disposal asks what happens to devices and papers.
    expect(textFor(question('data.retention-deletion').text)).not.toMatch(/device|computer|phone/i);
    expect(textFor(question('physical.disposal').text)).not.toMatch(/how long/i);
  });

  it('weights identity and access, devices, data and incident response above physical and network', () => {
    const w = (id: string) => fw.domains.find((d) => d.id === id)!.weight;
    for (const high of ['access', 'devices', 'data', 'incident'])
      for (const low of ['physical', 'network']) expect(w(high), `${high} > ${low}`).toBeGreaterThan(w(low));
  });

  it('lets questions that fit only some organisations be N/A, on fewer than a quarter of questions', () => {
    for (const id of [
      'network.website-ddos',
      'awareness.travel-briefing',
      'physical.travel-safety',
      'disinfo.verification-practice',
      'data.case-files',
      'data.referral-sharing',
      'data.beneficiary-contact',
      'governance.vetting',
    ])
      expect(question(id).na, id).toBe(true);
    for (const id of ['access.mfa-email', 'backup.offline-copy', 'incident.response-plan', 'devices.disk-encryption'])
      expect(question(id).na, id).toBe(false);
    expect(questions.filter((q) => q.na).length).toBeLessThan(questions.length / 4);
  });

  it('names its bands for what a score measures and describes each one', () => {
    expect(fw.levels.map((l) => l.min)).toEqual([0, 2, 4, 6, 8]);
    for (const l of fw.levels) {
      expect(['Defined', 'Managed', 'Resilient', 'Optimised']).not.toContain(textFor(l.label));
      expect(textFor(l.description ?? '').length, textFor(l.label)).toBeGreaterThan(80);
    }
    expect(textFor(fw.levels[1]!.label)).toMatch(/develop/i);
  });
});

/** An independent reading of the scoring contract, for the shipped framework and these fixtures. */
function oracle(f: Framework, answers: Map<string, string>) {
  const domains: Record<string, number | null> = {};
  const gaps: string[] = [];
  let sum = 0;
  let weights = 0;
  for (const d of f.domains) {
    let s = 0;
    let w = 0;
    let cap = Infinity;
    for (const q of d.questions) {
      const a = answers.get(q.id) ?? '';
      if (a === '' || a === 'na') continue;
      const score = q.options.find((o) => o.id === a)!.score;
      s += q.weight * score;
      w += q.weight;
      if (q.cap !== undefined && score <= q.capAt) {
        gaps.push(q.id);
        cap = Math.min(cap, q.cap);
      }
    }
    domains[d.id] = w === 0 ? null : Math.min((f.scale * s) / w, cap);
    if (domains[d.id] !== null) {
      sum += d.weight * domains[d.id]!;
      weights += d.weight;
    }
  }
  return { overall: weights === 0 ? null : sum / weights, domains, gaps };
}

function fixture(name: string): { set: AnswerSet; answers: Map<string, string> } {
  const text = read(`packages/engine/test/fixtures/${name}`);
  const r = readAnswers(fw, text, { file: name });
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.file}:${p.line} ${p.message}`).join('\n'));
  const answers = new Map(parseAnswersCsv(text, name).records.map((rec) => [rec.question, rec.answer]));
  return { set: r.value, answers };
}

const lowest = (domains: Record<string, number | null>, n: number) =>
  Object.entries(domains)
    .filter((e): e is [string, number] => e[1] !== null)
    .sort((a, b) => a[1] - b[1])
    .slice(0, n)
    .map(([id]) => id);

describe('the two organisations of the review', () => {
  const newsroom = fixture('review-newsroom.csv');
  const cso = fixture('review-survivor-cso.csv');

  it('answers every question once for each organisation, in the baseline round', () => {
    for (const { set } of [newsroom, cso]) {
      expect(set.organisations).toHaveLength(1);
      expect(set.rounds).toEqual(['baseline']);
      const result = scoreAnswerSet(fw, set).results[0]!;
      expect(result.completeness).toBe(1);
    }
  });

  it('scores the same as an independent reading of the contract', () => {
    for (const { set, answers } of [newsroom, cso]) {
      const result = scoreAnswerSet(fw, set).results[0]!;
      const expected = oracle(fw, answers);
      expect(result.overall).toBeCloseTo(expected.overall!, 10);
      for (const d of fw.domains) expect(result.domains[d.id], d.id).toBeCloseTo(expected.domains[d.id]!, 10);
    }
  });

  it('places the newsroom (TOTP email, one unencrypted laptop, no incident plan) in the "developing" band', () => {
    const result = scoreAnswerSet(fw, newsroom.set).results[0]!;
    expect(result.level).toBe(textFor(fw.levels[1]!.label));
    expect(levelFor(fw, result.overall)).toBe(fw.levels[1]);
    // TOTP on every account is above the cap but not the top: no critical gap, room to improve.
    expect(newsroom.answers.get('access.mfa-email')).toBe('all-app');
    expect(result.domains.access).toBeLessThan(10);
  });

  it('names the newsroom\u2019s critical gaps: the unencrypted laptop and the missing incident plan', () => {
    const result = scoreAnswerSet(fw, newsroom.set).results[0]!;
    expect(result.criticalGaps).toEqual(['devices.disk-encryption', 'incident.response-plan']);
    const choices = newsroom.set.assessments.get(newsroom.set.organisations[0]!)!.get('baseline')!;
    const gaps = criticalGaps(fw, choices);
    expect(gaps.map((g) => [g.question, g.domain])).toEqual([
      ['devices.disk-encryption', 'devices'],
      ['incident.response-plan', 'incident'],
    ]);
    expect(gaps.map((g) => g.question)).toEqual(oracle(fw, newsroom.answers).gaps);
  });

  it('ranks the survivor-serving CSO\u2019s data domain among its three lowest and names its critical gaps', () => {
    const result = scoreAnswerSet(fw, cso.set).results[0]!;
    expect(lowest(result.domains, 3)).toContain('data');
    expect(result.domains.data!).toBeLessThanOrEqual(question('data.case-files').cap!);
    expect(result.criticalGaps).toEqual(
      expect.arrayContaining(['access.mfa-email', 'devices.disk-encryption', 'data.case-files', 'backup.offline-copy']),
    );
    expect(result.criticalGaps).toEqual(oracle(fw, cso.answers).gaps);
    // Gaps are named whichever domain they are in, in framework order.
    const order = indexFramework(fw).ordered.map((o) => o.question.id);
    const positions = result.criticalGaps.map((id) => order.indexOf(id));
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(new Set(result.criticalGaps.map(domainOf)).size).toBeGreaterThanOrEqual(4);
  });
});
