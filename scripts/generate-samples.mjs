#!/usr/bin/env node
// Generates the fictional sample cohort in content/samples/:
//
//   organisations.csv  ten invented media outlets and CSOs, mostly in Kosovo
//   answers.csv        their answers to the cso-media framework (2.0.0) in two rounds,
//                      `baseline` and `reassessment` (six months later)
//
// Run from the repository root:  node scripts/generate-samples.mjs
//
// The organisations, their names and their answers are invented. The cohort is shaped after
// the seed programme (ten outlets and CSOs in Kosovo, eleven domains, cohort average 3.49 →
// 4.07 on 0–10), so that demos, tests and screenshots look like a real programme without
// exposing one. The output is deterministic: every random draw comes from a seeded PRNG
// (mulberry32) keyed by what it decides, e.g. "offset|<organisation>|<question>", so changing
// one parameter does not reshuffle every other answer.
//
// How an answer is drawn (see `answerFor`):
//   1. Each organisation has a latent maturity per domain in [0, 1] for the baseline: a base
//      level by size, plus what is typical of its kind (media stronger on network/DDoS and
//      verification, CSOs stronger on data protection), plus its own strengths and weaknesses,
//      plus a little noise.
//   2. For the reassessment, the maturity moves by the programme's effect: interventions
//      concentrate on access/MFA, backup, awareness and incident response, scaled by how much
//      the organisation engaged; one organisation barely engaged and one lost staff.
//   3. Each question adds a fixed difficulty (some controls are rarer than others, a few
//      differ by kind of organisation) and a persistent per-organisation offset, so the same
//      organisation tends to give the same answer in both rounds unless its maturity changed
//      (reassessments start pre-filled).
//   4. The resulting target in [0, 1] picks the ordered option whose score is nearest.
//   5. Critical gaps (a capped question answered at or below its `capAt`) come first in every
//      action plan: an engaged organisation closes most of its baseline gaps by the
//      reassessment, at least to the first option above the cap.
//   6. On top: "Don't know" (more in baseline), `na` only on questions that allow it and only
//      where the organisation's traits make it so (no website, no office, no own domain, never
//      travels, no case files in a newsroom…), a few unanswered questions in the baseline, and
//      short staff notes on about one row in ten.
//
// The tables below are keyed by the framework's question and option ids; the script checks
// every key against the framework file and stops with the key's name if one is stale.
// Checked results (`kalaja score`) are recorded in content/samples/README.md.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';

const ROOT = new URL('../', import.meta.url);
const FRAMEWORK_FILE = new URL('content/frameworks/cso-media.yaml', ROOT);
const OUT_DIR = new URL('content/samples/', ROOT);

/** The framework version the tables below are written for. */
const FRAMEWORK_VERSION = '2.0.0';
const SEED = 'kalaja-sample-2025';
const ROUNDS = ['baseline', 'reassessment'];

// ---------------------------------------------------------------------------------------------
// Deterministic randomness

/** mulberry32: a small, fast 32-bit PRNG; returns a function giving floats in [0, 1). */
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a hash of a string, used to derive one seed per decision. */
function hash(text) {
  let h = 0x811c9dc5;
  for (const ch of text) {
    h ^= ch.codePointAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** A uniform draw in [0, 1) that depends only on the seed and the given key parts. */
function uniform(...key) {
  return mulberry32(hash([SEED, ...key].join('|')))();
}

/** A standard normal draw (Box–Muller) that depends only on the seed and the key parts. */
function normal(...key) {
  const next = mulberry32(hash([SEED, ...key].join('|')));
  const u = 1 - next(); // (0, 1], so the logarithm is finite
  const v = next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Picks one element of a list, deterministically for the key. */
function choose(list, ...key) {
  return list[Math.floor(uniform(...key) * list.length)];
}

// ---------------------------------------------------------------------------------------------
// The organisations (fictional; any resemblance to a real organisation is unintended)
//
// Beyond the published columns, each entry carries what shapes its answers:
//   strengths   domain → shift of the baseline maturity (on the 0–1 scale)
//   quirks      question → shift for one practice that is out of line with its domain
//   engagement  0–1, how much of the programme it took up (scales the programme's effect)
//   change      domain → extra shift between the rounds (e.g. loss of staff)
//   turnover    key staff left between the rounds (new people answer "Don't know" more)
//   confirmedPrefill  changed nothing: the reassessment confirms the pre-filled baseline
//   lacks       what it does not have or do, which makes some questions not applicable
//               (see NOT_APPLICABLE)
//   dontKnow    how often staff answered "Don't know" in the baseline, where that is an option
//   skipped     how often a baseline question was left unanswered
//   story       one line on who it is and what happened between the rounds (documentation)

/** A newsroom keeps no case files about the people it serves, makes no referrals and does
 * not contact survivors; it does protect its sources and vet who sees source material, so
 * `data.identity-protection` and `governance.vetting` stay applicable. */
const NEWSROOM = ['case-files', 'referrals', 'at-risk-contact'];

const ORGANISATIONS = [
  {
    name: 'Dosja e Hapur',
    kind: 'media',
    size: '11-25',
    municipality: 'Prishtinë',
    country: 'XK',
    focus: 'investigative journalism',
    languages: ['sq', 'en'],
    strengths: { data: 0.08, devices: 0.06, network: 0.05, disinfo: 0.04 },
    engagement: 0.9,
    change: {},
    lacks: [...NEWSROOM],
    dontKnow: 0.04,
    skipped: 0.005,
    story: 'investigative newsroom; already careful with sources, adopted MFA, backups and an incident plan',
  },
  {
    name: 'Kumbona e Drenicës',
    kind: 'media',
    size: '1-5',
    municipality: 'Skenderaj',
    country: 'XK',
    focus: 'local news and municipal accountability',
    languages: ['sq'],
    strengths: { network: -0.04, governance: -0.05 },
    // Three people run the portal from the editor's home and report only in their own
    // municipality; they could not attend the trainings and confirmed their pre-filled answers
    // unchanged in the reassessment.
    engagement: 0,
    confirmedPrefill: true,
    change: {},
    lacks: [...NEWSROOM, 'office', 'work-trips'],
    dontKnow: 0.1,
    skipped: 0,
    story: 'three-person local portal run from home; could not take part in trainings, stayed where it was',
  },
  {
    name: 'Reč sa Mosta',
    kind: 'media',
    size: '6-10',
    municipality: 'Severna Mitrovica',
    country: 'XK',
    focus: 'Serbian-language community news',
    languages: ['sr', 'sq', 'en'],
    strengths: { network: 0.04, physical: 0.04, disinfo: 0.03 },
    engagement: 0.7,
    change: {},
    lacks: [...NEWSROOM],
    dontKnow: 0.06,
    skipped: 0.01,
    story: 'bilingual community newsroom in the north; steady gains in access and backup',
  },
  {
    name: 'Çelësi i Fakteve',
    kind: 'media',
    size: '1-5',
    municipality: 'Prishtinë',
    country: 'XK',
    focus: 'fact-checking',
    languages: ['sq', 'sr', 'en'],
    strengths: {
      disinfo: 0.16,
      awareness: 0.06,
      access: 0.05,
      devices: 0.05,
      updates: 0.12,
      data: 0.08,
      physical: -0.04,
    },
    engagement: 0.85,
    change: {},
    // A desk team in a co-working space: the space runs the router, Wi-Fi and alarm, and the
    // team checks claims online, without field work or work trips.
    lacks: [...NEWSROOM, 'own-office-network', 'work-trips', 'field-work'],
    dontKnow: 0.03,
    skipped: 0,
    story:
      'small fact-checking desk team in a co-working space; digitally savvy, quick to adopt MFA and a password manager',
  },
  {
    name: 'Kronika e Anamoravës',
    kind: 'media',
    size: '26-50',
    municipality: 'Gjilan',
    country: 'XK',
    focus: 'regional TV and news portal',
    languages: ['sq', 'sr'],
    strengths: { network: 0.06, physical: 0.05, updates: 0.03 },
    // Its IT administrator, who was also the security focal point, left in spring; the
    // replacement started only in August. Little of the programme was taken up.
    engagement: 0.15,
    turnover: true,
    change: { governance: -0.1, access: -0.1, updates: -0.06, devices: -0.04, awareness: -0.05, backup: -0.02 },
    lacks: [...NEWSROOM],
    dontKnow: 0.03,
    skipped: 0,
    story: 'largest outlet, regional TV and portal; lost its IT administrator in spring and slipped back',
  },
  {
    name: 'Fletorja e Pollogut',
    kind: 'media',
    size: '6-10',
    municipality: 'Tetovë',
    country: 'MK',
    focus: 'local news for the Albanian community in Polog',
    languages: ['sq', 'en'],
    strengths: { disinfo: 0.03, backup: -0.04 },
    engagement: 0.55,
    change: {},
    lacks: [...NEWSROOM],
    dontKnow: 0.05,
    skipped: 0.01,
    story: 'local outlet across the border in North Macedonia; joined online, moderate gains',
  },
  {
    name: 'Rrethi i Hapur',
    kind: 'cso',
    size: '6-10',
    municipality: 'Prishtinë',
    country: 'XK',
    focus: 'LGBTIQ+ rights',
    languages: ['sq', 'sr', 'en'],
    strengths: { disinfo: 0.1, data: 0.1, physical: 0.06, governance: 0.06, devices: 0.03 },
    engagement: 0.9,
    change: {},
    lacks: [],
    dontKnow: 0.03,
    skipped: 0,
    story:
      'LGBTIQ+ rights group used to online harassment, keeps case files on the people it supports; strong on data and physical safety, big gains in incident response',
  },
  {
    name: 'Drita e Lagjes',
    kind: 'cso',
    size: '11-25',
    municipality: 'Fushë Kosovë',
    country: 'XK',
    focus: 'serves marginalised groups: Roma, Ashkali and Egyptian communities',
    languages: ['sq', 'sr', 'en'],
    strengths: { data: 0.12, network: -0.05, updates: -0.04 },
    // Careful with consent and paper files, but the case files sit on the office desktop
    // behind one shared Windows login: the first item of its action plan.
    quirks: { 'data.case-files': -0.6 },
    engagement: 0.75,
    change: {},
    // Its website only presents the organisation: a day offline would not harm the work.
    lacks: ['brochure-site'],
    dontKnow: 0.07,
    skipped: 0.015,
    story:
      'community organisation with many volunteers; careful with beneficiary data but weak on IT (case files behind a shared login), good gains',
  },
  {
    name: 'Ženska Inicijativa Đurđevak',
    kind: 'cso',
    size: '1-5',
    municipality: 'Zvečan',
    country: 'XK',
    focus: "women's rights and support for survivors of violence",
    languages: ['sr', 'en'],
    strengths: { data: 0.12, physical: 0.08, network: -0.04 },
    engagement: 0.8,
    change: {},
    // No website and no domain of its own (Gmail addresses, a Facebook page); it publishes
    // little beyond its own statements.
    lacks: ['website', 'domain', 'mail-domain', 'publishing'],
    dontKnow: 0.08,
    skipped: 0.02,
    story:
      'small women’s rights group without a website, supports survivors; protects their data, large relative gains',
  },
  {
    name: 'Vëzhguesit e Bunës',
    kind: 'cso',
    size: '11-25',
    municipality: 'Shkodër',
    country: 'AL',
    focus: 'election monitoring',
    languages: ['sq', 'en'],
    strengths: { governance: 0.05, disinfo: 0.05, data: 0.03 },
    engagement: 0.6,
    change: {},
    // Observers report on elections, not on individuals they serve: no case files, no
    // referrals, no contact with people at risk. It does protect the identity of citizens who
    // report irregularities and vets its observers.
    lacks: ['case-files', 'referrals', 'at-risk-contact'],
    dontKnow: 0.04,
    skipped: 0.005,
    story: 'election observers in Albania with a large volunteer network; moderate gains',
  },
];

// ---------------------------------------------------------------------------------------------
// Maturity model (all on the 0–1 option-score scale; ×10 gives the reported scale)

/** Baseline maturity by size band: small teams have less time, money and IT help. */
const BASE_BY_SIZE = { '1-5': 0.295, '6-10': 0.365, '11-25': 0.405, '26-50': 0.45 };

/** What is typical of each kind of organisation. */
const KIND_PROFILE = {
  media: { network: 0.1, disinfo: 0.06, data: -0.03, physical: -0.02 },
  cso: { data: 0.07, physical: 0.04, network: -0.06, disinfo: -0.02 },
  other: {},
};

/** Cohort-wide pattern seen in such baselines: few plans, few tested backups, little training. */
const COHORT_PROFILE = {
  governance: -0.05,
  access: -0.02,
  devices: 0,
  updates: 0.04,
  data: 0,
  backup: -0.06,
  network: 0,
  awareness: -0.03,
  incident: -0.1,
  disinfo: 0,
  physical: 0.03,
};

/** Programme effect per domain at full engagement: where the interventions went. */
const PROGRAMME_EFFECT = {
  governance: 0.025,
  access: 0.095,
  devices: 0.02,
  updates: 0.02,
  data: 0.015,
  backup: 0.05,
  network: 0.015,
  awareness: 0.06,
  incident: 0.06,
  disinfo: 0.015,
  physical: 0.015,
};

/** Controls the programme pushed directly (MFA roll-out, password manager, offline backup,
 * incident plan and helpline list, phishing training, peer group, messaging settings in the
 * Signal and WhatsApp workshop): an extra lift at full engagement, on top of the domain's. */
const FOCUS_QUESTIONS = {
  'access.mfa-email': 0.15,
  'access.mfa-critical': 0.09,
  'access.password-manager': 0.09,
  'access.account-activity': 0.06,
  'devices.disk-encryption': 0.05,
  'data.case-files': 0.08,
  'backup.regular': 0.06,
  'backup.offline-copy': 0.12,
  'network.messaging-settings': 0.09,
  'incident.response-plan': 0.12,
  'incident.helpline-contacts': 0.12,
  'incident.account-compromise': 0.06,
  'awareness.phishing': 0.09,
  'awareness.peer-learning': 0.09,
  'updates.os-automatic': 0.05,
};

/** Some controls are rarer than their domain suggests, others are common defaults. */
const DIFFICULTY = {
  'governance.risk-assessment': -0.12,
  'governance.security-budget': -0.1,
  'access.account-activity': -0.1,
  'devices.lost-or-seized': -0.1,
  'devices.mobile': -0.05,
  'devices.untrusted-files': -0.05,
  'updates.vulnerability-watch': -0.12,
  'data.referral-sharing': -0.04,
  'data.metadata': -0.06,
  'backup.restore-test': -0.15,
  'backup.cloud-accounts': -0.08,
  'network.email-authentication': -0.12,
  'network.messaging-settings': -0.06,
  'incident.exercises': -0.15,
  'incident.post-incident-review': -0.1,
  'disinfo.doxxing-prevention': -0.12,
  'devices.screen-lock': 0.12,
  'updates.os-automatic': 0.1,
  'updates.apps-browsers': 0.12,
  'network.domain-control': 0.05,
  'data.secure-messaging': 0.14,
  // Recent Macs and Windows 11 laptops come encrypted, often with the key in the online account.
  'devices.disk-encryption': 0.2,
  // Windows 10 PCs enrolled in Extended Security Updates still get fixes until October 2027.
  'updates.supported-systems': 0.15,
};

/** Where the kind of organisation makes a control easier or harder than its domain: newsrooms
 * handle leaked files and publish photos daily; CSOs that serve people work with case codes and
 * contact rules. */
const KIND_DIFFICULTY = {
  media: { 'data.metadata': 0.06, 'devices.untrusted-files': 0.04, 'network.secure-file-transfer': 0.04 },
  cso: { 'data.identity-protection': 0.05, 'data.beneficiary-contact': 0.04, 'governance.vetting': 0.03 },
  other: {},
};

/** Spread of the per-domain noise and of the persistent per-question offset. */
const DOMAIN_JITTER = 0.05;
const QUESTION_SPREAD = 0.17;

/** In the reassessment, the share of answers that are looked at afresh rather than confirmed
 * from the pre-filled baseline (a new person answering, or the assessor correcting on
 * validation), and how far such a second look may land from the first. */
const SECOND_LOOK = 0.06;
const SECOND_LOOK_SPREAD = 0.12;

/** How much likelier than the organisation's usual rate a "Don't know" is on a question:
 * technical settings someone else set up are often unknown to the person answering, what
 * people do every day (which app they message on, whether their phone locks) rarely is. */
const DONT_KNOW_LIKELIHOOD = {
  'devices.disk-encryption': 1.5,
  'updates.supported-systems': 1.5,
  'updates.router': 1.5,
  'updates.website': 1.5,
  'backup.encrypted': 1.5,
  'backup.website': 1.5,
  'network.email-authentication': 2,
  'network.website-ddos': 1.5,
  'network.domain-control': 1.5,
  'governance.suppliers': 1.5,
  'access.admin-rights': 1.5,
  'data.secure-messaging': 0.2,
  'devices.screen-lock': 0.3,
  'access.password-manager': 0.3,
  'network.messaging-settings': 0.5,
};

/** How baseline "Don't know" answers are resolved in the reassessment. */
const DONT_KNOW_KEPT = 0.25; // chance a baseline "Don't know" is still "Don't know"

/** Chance, at full engagement, that a baseline critical gap is closed by the reassessment:
 * action plans put critical gaps first. Replacing unsupported devices and upgrading Windows
 * Home for disk encryption cost money, so those close less often. */
const GAP_CLOSING = { default: 0.8, 'updates.supported-systems': 0.45, 'devices.disk-encryption': 0.7 };
/** Chance that a closed gap lands one step further than the first option above the cap. */
const GAP_CLOSED_FURTHER = 0.2;

/** Which questions do not apply when an organisation lacks something; each allows `na` and its
 * guidance names the case. */
const NOT_APPLICABLE = {
  website: ['updates.website', 'backup.website', 'network.website-ddos'],
  // A site that only presents the organisation: a day offline would not harm its work.
  'brochure-site': ['network.website-ddos'],
  domain: ['network.domain-control'],
  'mail-domain': ['network.email-authentication'],
  office: ['updates.router', 'network.wifi', 'physical.office-access', 'physical.visitors', 'physical.alarm-cctv'],
  // A desk in a co-working space: the space runs the router, Wi-Fi and alarm.
  'own-office-network': ['updates.router', 'network.wifi', 'physical.alarm-cctv'],
  'work-trips': ['awareness.travel-briefing'],
  'field-work': ['physical.travel-safety'],
  'case-files': ['data.case-files'],
  referrals: ['data.referral-sharing'],
  'at-risk-contact': ['data.beneficiary-contact'],
  publishing: ['disinfo.verification-practice'],
};

const clamp = (x, lo, hi) => Math.min(hi, Math.max(lo, x));

function baselineMaturity(org, domain) {
  const m =
    BASE_BY_SIZE[org.size] +
    (KIND_PROFILE[org.kind][domain] ?? 0) +
    (COHORT_PROFILE[domain] ?? 0) +
    (org.strengths[domain] ?? 0) +
    DOMAIN_JITTER * normal('domain', org.name, domain);
  return clamp(m, 0.02, 0.95);
}

function maturity(org, domain, round) {
  const m = baselineMaturity(org, domain);
  if (round === 'baseline') return m;
  return clamp(m + org.engagement * PROGRAMME_EFFECT[domain] + (org.change[domain] ?? 0), 0.02, 0.97);
}

/** The option, among the real (not "Don't know") options, whose score is nearest the target. */
function nearestOption(question, target) {
  let best;
  for (const option of question.options) {
    if (option.unknown) continue;
    if (!best || Math.abs(option.score - target) < Math.abs(best.score - target)) best = option;
  }
  return best;
}

/** Whether an answer to a capped question is a critical gap: answered (not N/A, not empty)
 * with a score at or below the question's `capAt`. "Don't know" scores 0, so it is one. */
function isCriticalGap(question, answer) {
  if (question.cap === undefined || answer === '' || answer === 'na' || answer === undefined) return false;
  return question.options.find((o) => o.id === answer).score <= question.capAt;
}

/** Where closing a critical gap lands at least: usually the first real option above the cap,
 * sometimes the one after it (the fix was done thoroughly, e.g. the backup drive also leaves
 * the office). */
function closedAt(question, org) {
  const above = question.options
    .filter((o) => !o.unknown && o.score > question.capAt)
    .map((o) => o.score)
    .sort((a, b) => a - b);
  const further = above.length > 1 && uniform('close-further', org.name, question.id) < GAP_CLOSED_FURTHER;
  return above[further ? 1 : 0];
}

/**
 * One answer: an option id, 'na' or '' (unanswered). `previous` is the same organisation's
 * baseline answer when drawing the reassessment.
 */
function answerFor(org, domain, question, round, previous) {
  const q = question.id;
  if (question.na && org.lacks.some((thing) => NOT_APPLICABLE[thing].includes(q))) return 'na';

  // The reassessment starts pre-filled from the baseline; an organisation that changed nothing
  // confirms every answer as it was.
  if (round !== 'baseline' && org.confirmedPrefill) return previous;

  // A critical gap found at baseline is on the action plan; how likely it was fixed depends on
  // how much of the programme the organisation took up.
  const closesGap =
    round !== 'baseline' &&
    isCriticalGap(question, previous) &&
    uniform('close-gap', org.name, q) < org.engagement * (GAP_CLOSING[q] ?? GAP_CLOSING.default);

  const dontKnow = question.options.find((o) => o.unknown);
  if (round === 'baseline') {
    if (uniform('skip', org.name, q) < org.skipped) return '';
    if (dontKnow && uniform('dunno', org.name, q) < org.dontKnow * (DONT_KNOW_LIKELIHOOD[q] ?? 1)) return dontKnow.id;
  } else if (dontKnow && !closesGap) {
    // Most baseline "Don't know"s were found out by the reassessment; an organisation that
    // lost staff has new ones who are not sure yet.
    if (previous === dontKnow.id && uniform('dunno-kept', org.name, q) < DONT_KNOW_KEPT) return dontKnow.id;
    if (org.turnover && uniform('dunno-new', org.name, q) < 0.06 * (DONT_KNOW_LIKELIHOOD[q] ?? 1)) return dontKnow.id;
  }

  // The offset is the same in both rounds, so an answer changes only when the organisation's
  // maturity moved, or on a second look.
  let target =
    maturity(org, domain, round) +
    (DIFFICULTY[q] ?? 0) +
    (KIND_DIFFICULTY[org.kind][q] ?? 0) +
    (org.quirks?.[q] ?? 0) +
    QUESTION_SPREAD * normal('offset', org.name, q);
  if (round !== 'baseline') {
    target += org.engagement * (FOCUS_QUESTIONS[q] ?? 0);
    if (uniform('second-look', org.name, q) < SECOND_LOOK) target += SECOND_LOOK_SPREAD * normal('second', org.name, q);
    if (closesGap) target = Math.max(target, closedAt(question, org));
  }
  return nearestOption(question, target).id;
}

// ---------------------------------------------------------------------------------------------
// Staff notes
//
// Notes are written as staff would write them in a self-assessment. Each entry is
// [when, text, filter?]; `when` is an option id of that question or a band:
//   LOW / MID / HIGH  the chosen option scores ≤ 0.25 / in between / ≥ 0.75
//   DK, NA, BLANK      "Don't know", not applicable, unanswered
//   UP / DOWN          reassessment answer scores higher / lower than the baseline one
//   FOUND              reassessment answers what the baseline left as "Don't know" or blank
// filter: kind, lang (the organisation's first language), country, round, focus (a word of
// its focus), needs / lacks (something from NOT_APPLICABLE it must have / lack), turnover
// (true: only where key staff left; false: only elsewhere), engaged (took up the programme),
// atLeast (only on an answer scoring at least this: a note saying what was done must match
// the option chosen), must.
// `must` notes are placed on the first row they fit, so that the file always exercises CSV
// quoting (commas, a leading quote, embedded quotes, line breaks) and non-ASCII text.
// Every person named in a note is invented; no note names a real organisation other than
// public services (helplines, protection services, software).

const NOTES = {
  'governance.security-lead': [
    ['informal', 'Our programme officer helps when something breaks, but it is not in her job description'],
    ['informal', 'Besnik helps everyone, on top of his work as a camera operator', { kind: 'media' }],
    ['named-no-time', 'Arben is responsible on paper; he is also the office manager and the driver'],
    ['named-no-deputy', 'Four hours a week for it, but when she is on leave nobody covers'],
    ['nobody', 'Whoever is in the office when it happens', { needs: 'office' }],
    [
      'named-no-deputy',
      'The board named a focal point in April, with four hours a week for it',
      { round: 'reassessment' },
    ],
    ['DOWN', 'Our IT administrator left in March, nobody has taken over yet', { turnover: true }],
  ],
  'governance.leadership': [
    ['after-incidents', 'The director got interested after our Facebook page was hacked last year'],
    ['occasional', 'Came up twice in staff meetings this year'],
    ['occasional', 'The director supports it, but never has time to attend'],
    [
      'regular-not-example',
      'The board reviews it twice a year, but the director still will not use the password manager',
    ],
    ['UP', 'Security is now a standing item in the monthly management meeting', { atLeast: 0.75 }],
  ],
  'governance.security-policy': [
    ['unwritten', 'Everyone knows the rules, they are just not written down'],
    ['written-not-known', 'We have a policy from a 2021 project, I doubt anyone has read it'],
    [
      'written-known',
      'Two-page policy drafted with the mentor, signed by all staff in June',
      { round: 'reassessment' },
    ],
  ],
  'governance.risk-assessment': [
    ['informal', 'We talk about risks before elections and big stories, nothing written', { kind: 'media' }],
    ['informal', 'We talk about risks before public campaigns, nothing written', { kind: 'cso' }],
    ['none', 'Never done one. Not sure where we would start'],
    ['outdated', 'Done for a donor in 2022, only for one project'],
  ],
  'governance.security-budget': [
    ['none', 'No budget line, everything depends on project money'],
    ['case-by-case', 'We buy things when a donor allows it'],
  ],
  'governance.suppliers': [
    ['no-overview', 'The website developer is a friend of the editor, there is no contract', { kind: 'media' }],
    ['known-not-agreed', 'We know who hosts the site and who supports the accounting software, nothing signed'],
  ],
  'governance.vetting': [
    ['none', 'Volunteers start on the phone line the day they join, nothing to sign', { kind: 'cso' }],
    ['none', 'Interns see the research folders from their first day', { kind: 'media' }],
    ['agreement-only', 'Everyone signs a confidentiality form, nobody calls the references'],
    ['agreement-only', 'Volonteri potpisuju izjavu o poverljivosti, preporuke ne proveravamo', { lang: 'sr' }],
    [
      'checked',
      'In a small town a new volunteer may know the family, so we ask at the interview; the briefing comes later',
      { kind: 'cso' },
    ],
    [
      'checked-briefed',
      'New people now get the confidentiality briefing before they open any file',
      { round: 'reassessment' },
    ],
  ],
  'access.mfa-email': [
    ['some', 'Only the director uses 2FA', { must: true }],
    ['some', 'Director: yes, on Gmail.\nEveryone else: not yet, they say it is annoying', { must: true }],
    ['some', 'Drejtoresha përdor 2FA, të tjerët ende jo', { lang: 'sq', must: true }],
    ['most', 'Most of us have 2FA, the shared info@ mailbox does not'],
    ['none', 'We tried once, people got locked out when they changed phones'],
    ['all-sms', 'Everyone has 2FA now, two colleagues still get codes by SMS'],
    ['all-app', 'Authenticator app for everyone since May, no security keys yet'],
    [
      'phishing-resistant',
      'Security keys for the editors and the two investigative reporters, app codes for the rest',
      { kind: 'media' },
    ],
    ['UP', 'Turned on for all accounts during the workshop in April', { atLeast: 0.6 }],
  ],
  'access.mfa-critical': [
    ['few', '2FA on Facebook and the bank, not on the website or the domain'],
    ['most', 'Everything except the domain registrar; that login belongs to the old developer'],
    [
      'all',
      'Added 2FA to the website, Facebook Business and the registrar after the mentoring visit',
      { round: 'reassessment' },
    ],
  ],
  'access.password-manager': [
    ['reused', 'Most people use one password for everything, they admitted it in the interview'],
    ['notes', 'Fjalëkalimet i mbajmë në një fletore në zyrë', { lang: 'sq' }],
    ['notes', "Passwords are in a notebook in the director's drawer"],
    ['some-manager', 'Bitwarden for three of us in the newsroom, the others are not convinced', { kind: 'media' }],
    ['UP', 'Bitwarden organisation set up in May, work passwords moved there', { atLeast: 0.5 }],
  ],
  'access.shared-accounts': [
    ['passed-around', 'Social media passwords are shared in a WhatsApp group'],
    ['changed-on-leaving', 'The Facebook password changes every time someone leaves; it lives in a notebook'],
  ],
  'access.admin-rights': [
    ['unclear', 'Not sure who is admin on Google Workspace, at least five people I think'],
    ['only-one', 'Only the developer can log into the website as admin'],
    ['few-loose', 'Two admins, but they use the admin account for everything'],
  ],
  'access.offboarding': [
    ['eventually', 'A former volunteer still had access to our Drive a year after leaving'],
    ['not-removed', 'Found old interns in the Facebook page roles during the assessment'],
    ['mostly', 'Email is closed on the last day, the Viber groups we forget'],
    ['DOWN', 'Two accounts of people who left in spring were still active in August', { turnover: true }],
  ],
  'access.account-recovery': [
    ['unchecked', 'Some recovery emails are personal addresses of people who left'],
    ['email-only', 'Checked the Gmail accounts, not yet Facebook or the domain'],
  ],
  'access.account-activity': [
    ['none', 'Never looked at active sessions, did not know Gmail shows them'],
    [
      'none',
      'A reporter got a "government-backed attackers" warning last year and thought it was spam',
      { kind: 'media' },
    ],
    ['on-suspicion', 'We look at the login history only when something seems odd'],
    ['main-email', 'Forwarding rules on all mailboxes are checked every quarter, Facebook not yet'],
    ['UP', 'Found an old forwarding rule to an unknown address during the workshop and removed it'],
  ],
  'devices.inventory': [
    ['asset-register', 'Only the list the donor asks for, with serial numbers'],
    ['none', 'Everybody uses their own laptop anyway'],
  ],
  'devices.disk-encryption': [
    ['some', 'The two MacBooks have FileVault, the Windows laptops are Home edition'],
    ['none', "Didn't know this was possible on Windows Home"],
    ['laptops-only', 'Laptops are encrypted, the old desktop in the accounts office is not', { needs: 'office' }],
    ['keys-exposed', 'BitLocker is on everywhere, the recovery keys are only in our Microsoft accounts'],
    [
      'keys-safe',
      'BitLocker on every computer, recovery keys printed and locked in the safe',
      { round: 'reassessment' },
    ],
  ],
  'devices.screen-lock': [
    ['weak', 'Phones yes, laptops stay unlocked for half an hour in the office', { needs: 'office' }],
    ['no-lock', 'The shared office desktop has no password at all', { needs: 'office' }],
  ],
  'devices.anti-malware': [
    ['missing', 'One computer still has an antivirus that expired in 2022'],
    ['unchecked', 'Windows Defender on all of them, nobody checks'],
  ],
  'devices.personal-devices': [
    ['no-rules', 'Everyone works on their own phone, we cannot tell people what to do with it'],
    ['informal', 'We ask people to use a PIN, that is all'],
  ],
  'devices.mobile': [
    ['unchecked', "Nobody knows what is installed on the reporters' phones", { kind: 'media' }],
    ['official-only', 'Apps only from the Play Store and App Store, nobody has looked at permissions'],
  ],
  'devices.lost-or-seized': [
    ['no-plan', 'Never happened to us, so we never thought about it'],
    ['no-plan', 'Never discussed what to do if the police take a phone at the border', { needs: 'work-trips' }],
    ['informal', 'You tell the director and change your passwords'],
  ],
  'devices.untrusted-files': [
    ['directly', 'Tips come as Word files to the newsroom address and we just open them', { kind: 'media' }],
    ['directly', 'Applications and complaints arrive as attachments, we open them on the office PC', { kind: 'cso' }],
    ['sometimes', 'I open attachments in Google Drive first, I am not sure the others do'],
    [
      'agreed',
      'Macros are blocked since spring, leaked files are still opened on our normal laptops',
      { kind: 'media' },
    ],
    ['UP', 'Dangerzone installed on two laptops after the training'],
  ],
  'updates.os-automatic': [
    ['postponed', 'People postpone updates because they always come in the middle of work'],
    ['mixed', 'Office laptops update on their own, personal ones when their owners get round to it'],
    [
      'auto-unchecked',
      'Automatic updates switched on everywhere during the mentoring visit',
      { round: 'reassessment' },
    ],
  ],
  'updates.supported-systems': [
    ['several', 'Three desktops still on Windows 7 for the accounting program'],
    ['few-no-plan', 'The editing PC cannot be upgraded to Windows 11, no money for a new one', { kind: 'media' }],
    ['few-planned', 'Old laptop kept only for the scanner, replacement is in the new budget'],
    ['none-untracked', 'All computers are on Windows 11 now, nobody keeps track of the phones'],
  ],
  'updates.apps-browsers': [['browsers-only', 'Chrome updates itself, Office is a 2013 version']],
  'updates.website': [
    ['neglected', 'The developer who built the site stopped answering, we cannot log in as admin'],
    ['occasional', 'WordPress is updated when the developer has time, plugins often wait'],
    ['NA', 'We have no website, only a Facebook page', { lacks: 'website' }],
  ],
  'updates.router': [
    ['default', 'The password is still the one on the sticker under the router'],
    ['default', 'The router came from the internet provider, nobody has the password'],
    ['NA', 'No office, everyone works from home', { lacks: 'office' }],
    ['NA', 'The co-working space manages the router', { lacks: 'own-office-network' }],
  ],
  'updates.licensed-software': [
    ['a-few', 'Photoshop and one Office licence are not legal, we know', { kind: 'media' }],
    ['common', 'Most computers came with cracked Windows and Office from the shop'],
  ],
  'updates.vulnerability-watch': [
    ['nobody', 'Nobody follows that'],
    ['occasional', 'Our IT guy reads the news and tells us when something big happens'],
  ],
  'data.inventory': [
    ['general-idea', 'We know what is sensitive, we just never wrote it down'],
    ['listed', 'Listed in the data protection policy, with where each thing is kept'],
  ],
  'data.sensitive-storage': [
    ['scattered', 'Beneficiary files are on two laptops, a USB stick and in Viber chats', { kind: 'cso' }],
    ['scattered', "Source contacts live on each journalist's phone", { kind: 'media' }],
    ['mostly-central', "Case files are on the shared drive, but also on the caseworkers' phones", { kind: 'cso' }],
  ],
  'data.sharing-permissions': [
    ['open-links', '"Anyone with the link" is the default for almost everything', { must: true }],
    ['named-unreviewed', 'Named people only, but we never remove anyone'],
  ],
  'data.file-encryption': [
    ['none', 'Everything is on an ordinary external drive and in Dropbox'],
    ['depends', 'Only one colleague uses VeraCrypt, the rest of us do not know how'],
  ],
  'data.legal-obligations': [
    ['aware', 'We know the law exists, we have no privacy notice'],
    ['basics', 'Privacy notice and consent forms since 2023, nobody is in charge of data protection', { kind: 'cso' }],
  ],
  'data.retention-deletion': [['kept-forever', 'Everything since 2012 is still on the old server']],
  'data.secure-messaging': [
    ['mixed', 'Signal with sources, but the team still discusses stories by phone and email', { kind: 'media' }],
    ['mixed', 'Beneficiaries call on ordinary lines or send SMS, we cannot choose for them', { kind: 'cso' }],
    ['mixed', 'Signal for a few of us, the team group is still on Messenger'],
    ['agreed-app', 'We use Signal for sources', { kind: 'media', must: true }],
    ['agreed-app', 'Everybody has Signal, disappearing messages are not on'],
    ['agreed-practices', 'Disappearing messages on by default; threats are saved to the evidence folder first'],
  ],
  'data.case-files': [
    ['unprotected', 'Case files are on the office desktop, everyone uses the same Windows login', { needs: 'office' }],
    ['unprotected', 'Dosijei su na jednom laptopu, svi znamo lozinku', { lang: 'sr' }],
    ['encrypted-open', 'Everything is in our encrypted Drive, but every volunteer can open every folder'],
    ['need-to-know', 'Each caseworker sees only her own cases, nobody reviews access when roles change'],
    ['UP', 'Case folders split by caseworker in June, the shared login is gone', { atLeast: 0.75 }],
  ],
  'data.identity-protection': [
    ['real-names', 'The monthly donor report lists beneficiaries by full name', { kind: 'cso' }],
    ['partial', 'Names still slip into the team chat when we are in a hurry'],
    ['partial', "Code names for the main sources, but not in the reporters' notebooks", { kind: 'media' }],
    ['codes', 'Sources have code names in notes and drafts, the key is in one encrypted file', { kind: 'media' }],
    ['codes', 'Case codes in all records, only the coordinator keeps the list of names', { kind: 'cso' }],
    ['UP', 'We no longer write the shelter address in taxi bookings or calendar invitations', { focus: 'survivors' }],
  ],
  'data.referral-sharing': [
    ['ad-hoc', 'Social services ask for the file and we send it by email'],
    ['consent-only', 'We always ask the woman first, then send the whole file by email', { focus: 'women' }],
    ['minimal-secure', 'Only the referral form goes to the centre for social work, handed over in person'],
    ['protocol', 'Signed a referral protocol with the shelter and the health centre in May', { round: 'reassessment' }],
  ],
  'data.beneficiary-contact': [
    ['no-rules', 'Volunteers call people back whenever they can, from their own phones'],
    ['informal', 'The older caseworkers know not to leave voicemails, the volunteers were never told'],
    ['agreed', 'We agree at first contact when it is safe to call, and never leave messages'],
    ['UP', 'Safe-contact rules and the signs of stalkerware were part of the June training', { atLeast: 0.75 }],
  ],
  'data.metadata': [
    ['never', 'Never heard of this before the assessment'],
    [
      'sometimes',
      'Whoever publishes a photo strips the location, documents we send go out as they are',
      { kind: 'media' },
    ],
    ['sometimes', 'I remove comments from Word files before sending, nobody else does'],
    ['agreed', 'ExifTool before every leaked document we publish, nobody checks afterwards', { kind: 'media' }],
    ['UP', 'The document inspector and mat2 are now on the publication checklist', { atLeast: 0.75 }],
  ],
  'backup.regular': [
    ['manual', 'The finance officer copies her folder to a USB stick when she remembers'],
    ['none', 'Nothing, if a laptop dies the files are gone'],
    ['automatic-some', 'Google Drive is synced, laptops are not backed up'],
    ['UP', 'Automatic weekly backup to an encrypted drive since May', { atLeast: 0.75 }],
  ],
  'backup.offline-copy': [
    ['stale', 'External drive in the office cupboard, last copied in March', { needs: 'office', must: true }],
    ['stale', 'Rezervna kopija je na eksternom disku, poslednja je od pre tri meseca', { lang: 'sr', must: true }],
    ['recent-same-place', 'Copied every Friday to an external drive, which stays in the office', { needs: 'office' }],
    ['none', 'The only copy is the synced Drive folder, so ransomware would take it too'],
    ['current', 'A second drive goes home with the director every Friday'],
    ['current', "Second encrypted drive, swapped every week and kept at the chair's house", { round: 'reassessment' }],
  ],
  'backup.restore-test': [
    ['never', 'Never tried, hope it works'],
    [
      'single-files',
      'Tried once with the IT guy:\n- documents came back fine\n- the accounting database did not open',
      { must: true },
    ],
    ['tested', 'Full restore of the shared drive tested in June with the mentor'],
  ],
  'backup.encrypted': [
    ['none', 'Plain USB drive'],
    ['some', 'The cloud backup is encrypted, the USB drive is not'],
    ['all-one-person', 'Encrypted, but only Blerim knows the password'],
  ],
  'backup.cloud-accounts': [
    ['none', 'Never exported anything from Gmail or Facebook'],
    ['occasional', 'Google Takeout once, in 2023'],
  ],
  'backup.website': [
    ['host-only', 'The host says they keep backups, we never asked for one'],
    ['NA', 'No website, we post on Facebook and Instagram', { lacks: 'website' }],
  ],
  'backup.recovery-plan': [
    ['in-someones-head', 'Only Blerim knows how the server is set up'],
    ['UP', 'One-page recovery plan written in June, printed copy in the safe', { atLeast: 0.75 }],
  ],
  'network.wifi': [
    ['shared-network', 'Guests get the same Wi-Fi password, it is written on the wall'],
    ['NA', 'We work from a co-working space and use their Wi-Fi', { lacks: 'own-office-network' }],
    ['NA', 'No office; at home everyone uses their own Wi-Fi', { lacks: 'office' }],
  ],
  'network.website-ddos': [
    ['protected', 'Behind Deflect since the attack during the 2021 elections', { kind: 'media' }],
    ['unprotected', 'Site went down twice last year after critical articles', { kind: 'media' }],
    ['host-only', 'The hosting company says they have protection, we never checked what it covers'],
    ['NA', 'The website only says who we are, a day offline would not matter', { lacks: 'brochure-site' }],
  ],
  'network.vpn-untrusted': [
    ['free-unknown', 'Some use free VPN apps from the Play Store'],
    ['never', 'Nobody uses a VPN'],
  ],
  'network.email-authentication': [
    ['none', 'Asked the host, they did not know what DMARC is'],
    ['spf-only', 'SPF is there from the host, no DMARC'],
    ['NA', 'We use Gmail addresses, no domain of our own', { lacks: 'mail-domain' }],
  ],
  'network.secure-file-transfer': [
    ['ordinary', 'Whistleblowers send documents to our Gmail', { kind: 'media' }],
    ['ad-hoc', 'Some sources use Signal, others bring USB sticks', { kind: 'media' }],
  ],
  'network.domain-control': [
    ['not-ours', 'The domain is in the name of the developer who built our first website'],
    ['ours-manual', 'It nearly expired last year, the renewal email went to an old address'],
    ['ours-renewing', "Renews on the director's card, only she has the registrar login"],
    ['NA', 'No domain, we use Gmail and a Facebook page', { lacks: 'domain' }],
    [
      'ours-locked',
      "Domain moved to the organisation's name, renews itself, transfer lock on, two of us have the login",
      { round: 'reassessment' },
    ],
  ],
  'network.messaging-settings': [
    ['unchecked', 'Did not know Signal has a registration lock'],
    ['unchecked', "WhatsApp chats back up to Google Drive on everyone's phone, nobody thought about it"],
    ['some', 'Three of us turned on the WhatsApp PIN, the others have not'],
    [
      'all-set',
      'Everyone has the PIN and checked linked devices once, reporters still show their numbers',
      { kind: 'media' },
    ],
    ['UP', 'Checked linked devices together at the workshop, an old laptop was still linked'],
  ],
  'awareness.onboarding': [
    ['informal', 'Depends on who is free that week'],
    ['informal', 'New people get a laptop and the Wi-Fi password, that is about it'],
    [
      'checklist-sometimes',
      'Staff go through the checklist, volunteers get a short talk on the first day',
      { kind: 'cso' },
    ],
    ['checklist-sometimes', 'Staff get the checklist, freelancers just get the Drive link', { kind: 'media' }],
  ],
  'awareness.phishing': [
    ['aware', 'We have all heard about phishing, nobody has shown us what it looks like'],
    ['none', 'No training so far, I clicked on a fake DHL message myself in January'],
    ['trained-once', 'A workshop in 2023, half of the current team was not there yet'],
    [
      'trained-once',
      'Phishing workshop in March with fake login pages and QR codes, two colleagues missed it',
      { round: 'reassessment' },
    ],
  ],
  'awareness.verify-requests': [
    ['none', 'Last year we nearly paid a fake invoice from a "partner"'],
    ['informal', 'Our accountant always calls the donor back, it is her own habit'],
    ['rule', 'New bank details are confirmed by phone, but the director alone approves payments'],
    ['rule-two-person', 'Two signatures for every payment since the summer', { round: 'reassessment' }],
  ],
  'awareness.refreshers': [['project-only', 'Only when a project like this one comes along']],
  'awareness.peer-learning': [
    ['informal', 'We hear things through friends at other organisations'],
    ['UP', 'Joined the peer group from the programme, we meet online every month', { atLeast: 0.75 }],
  ],
  'awareness.travel-briefing': [
    ['none', 'Nobody prepares, and we cross into Serbia and North Macedonia often', { country: 'XK' }],
    [
      'NA',
      'We report only in our own municipality, nobody travels for work',
      { lacks: 'work-trips', needs: 'field-work' },
    ],
    ['NA', 'We work from the desk, nobody travels for work', { lacks: 'field-work' }],
  ],
  'incident.response-plan': [
    ['none', 'Nothing written, we would call Arben'],
    ['in-heads', 'The editor-in-chief knows what to do, nobody else does', { kind: 'media' }],
    ['UP', 'Incident plan written with the assessor, printed copies at home and in the office', { atLeast: 0.75 }],
  ],
  'incident.helpline-contacts': [
    ['none', 'Never heard of the Access Now helpline before the assessment'],
    ['one-person', 'The director has some numbers on her phone'],
    [
      'written-list',
      'We call it the "red list": lawyer, Access Now helpline, KOS-CERT and our IT contractor',
      { country: 'XK', must: true },
    ],
  ],
  'incident.staff-reporting': [
    ['informal', 'People would tell whoever sits next to them'],
    ['known-channel', 'We forward suspicious mail to the focal point, she replies the same day'],
  ],
  'incident.incident-log': [
    ['scattered', 'Some of it is in the Viber group'],
    ['none', 'Not recorded anywhere'],
  ],
  'incident.account-compromise': [
    ['password-only', 'When Instagram was hacked we changed the password and hoped for the best'],
    ['UP', 'Checklist for hacked accounts is pinned in the Signal group', { atLeast: 0.75 }],
  ],
  'incident.exercises': [
    ['never', 'Never'],
    [
      'UP',
      'Tabletop exercise with the assessor in June: a hacked Facebook page two days before elections',
      { atLeast: 0.75 },
    ],
  ],
  'incident.post-incident-review': [['informal', 'We talk about it over coffee']],
  'incident.legal-notification': [
    ['unknown', 'Did not know we might have to tell the Information and Privacy Agency', { country: 'XK' }],
    ['general', 'We know about GDPR in general, not what Kosovo law requires', { country: 'XK' }],
  ],
  'disinfo.monitoring': [
    ['occasional', 'The social media person looks at comments, mostly on Facebook'],
    ['routine', 'Daily check of Facebook, X and TikTok, notes in a shared sheet'],
  ],
  'disinfo.impersonation-takedown': [
    ['none', 'There were two fake pages with our logo last year, we did not know what to do'],
    ['none', 'No website, so nowhere to list our accounts except the Facebook page itself', { lacks: 'website' }],
    ['listed', 'Accounts listed on the website, we would not know how to report a fake one'],
  ],
  'disinfo.harassment-protocol': [
    ['alone', 'Our journalists see it as part of the job', { kind: 'media' }],
    ['informal', 'We support each other, there is no procedure'],
    ['protocol-and-care', 'Protocol agreed in 2023, includes sessions with a psychologist', { kind: 'cso' }],
  ],
  'disinfo.doxxing-prevention': [
    ['never', 'My home address is on a business register from 2015'],
    ['self-checked', 'Some of us locked our Facebook profiles after the threats'],
  ],
  'disinfo.attack-documentation': [
    ['screenshots', "Screenshots on people's phones, nothing organised"],
    ['documented', 'Shared sheet with links, dates and screenshots, three people have access'],
  ],
  'disinfo.smear-response': [['ad-hoc', 'The director decides, usually we do not respond']],
  'disinfo.verification-practice': [
    [
      'agreed-trained',
      'Two readers for every article, all trained in reverse image search, corrections under the article',
      { kind: 'media' },
    ],
    ['informal', 'The editor checks, no written rules', { kind: 'media' }],
    ['informal', 'Whoever writes the report checks the facts, there is no second reader', { kind: 'cso' }],
    ['NA', 'We publish only our own statements, a few a year', { lacks: 'publishing' }],
  ],
  'physical.office-access': [
    ['locked', 'Not sure how many keys exist, the landlord has one too'],
    ['NA', 'No office, we meet in cafés or at home', { lacks: 'office' }],
  ],
  'physical.visitors': [['open', 'The door is open during the day, people come in for help', { kind: 'cso' }]],
  'physical.secure-storage': [
    ['partly-locked', 'Case files in a locked cabinet, the backup drive in a drawer', { kind: 'cso' }],
    ['open', 'Old laptops and the backup drive are on the shelf'],
    ['open', 'Papers stay on the desks overnight', { needs: 'office' }],
  ],
  'physical.alarm-cctv': [
    ['none', 'No alarm; the building has a camera at the entrance, but it is not ours'],
    ['unmonitored', 'The camera records, nobody looks unless something happens'],
    ['NA', 'Shared co-working space, it is their system', { lacks: 'own-office-network' }],
  ],
  'physical.travel-safety': [
    ['informal', 'We usually know where the reporters are going', { kind: 'media' }],
    ['check-in', 'Observers check in by SMS every two hours on election day', { focus: 'election' }],
    ['NA', 'We check claims from the desk, nobody goes into the field', { lacks: 'field-work' }],
  ],
  'physical.disposal': [
    ['none', "Old laptops were given to staff members' children"],
    ['partly', 'Phones get reset, old hard drives sit in a box in the storage room'],
  ],
};

/** Notes that fit any question, by band. */
const GENERIC_NOTES = [
  ['DK', 'Need to ask our IT contractor'],
  ['DK', 'Not sure, the person who set this up has left'],
  ['DK', 'I think so, but could not check before the interview'],
  ['DK', 'Ne znam, pitaću koleginicu koja se bavi IT-jem', { lang: 'sr' }],
  ['DK', 'Duhet ta pyes kolegun që merret me IT', { lang: 'sq' }],
  ['DK', 'New in the role, still finding out', { round: 'reassessment', turnover: true }],
  ['BLANK', 'Will check with the office manager'],
  ['BLANK', 'Skipped, we need to discuss this with the director first', { must: true }],
  ['BLANK', 'Ran out of time, will come back to this'],
  ['UP', 'Done after the mentoring visit in May', { engaged: true, atLeast: 0.4 }],
  ['UP', 'Part of our action plan, finished in June', { engaged: true, atLeast: 0.4 }],
  ['UP', 'Changed after the training, with help from the assessor', { engaged: true, atLeast: 0.4 }],
  ['UP', 'Checked on site by the assessor in August', { atLeast: 0.4 }],
  ['FOUND', 'Checked on site by the assessor in August'],
  ['FOUND', 'We looked into this after the first interview'],
  ['FOUND', 'Found out when we went through the action plan', { engaged: true }],
  ['UP', 'The new IT administrator looked into this in August', { turnover: true }],
  ['FOUND', 'The new IT administrator looked into this in August', { turnover: true }],
  ['DOWN', 'Slipped since spring, we lost two people', { turnover: true }],
  ['DOWN', 'Was better before the staff changes', { turnover: true }],
  ['DOWN', 'Corrected by the assessor on validation', { turnover: false }],
  ['DOWN', 'Lowered after the interview with the assessor, we had been too optimistic', { turnover: false }],
];

/** The bands a note's `when` may name instead of an option id. */
const BANDS = ['LOW', 'MID', 'HIGH', 'DK', 'NA', 'BLANK', 'UP', 'DOWN', 'FOUND'];

/** Chance that a row with a fitting note gets one, per round; tuned to ~10% of all rows. */
const NOTE_RATE = { baseline: 0.13, reassessment: 0.14 };
/** How often one note text may appear in the whole file. */
const NOTE_REUSE = { specific: 2, generic: 3 };

function band(question, answer, round, previous) {
  const bands = [];
  if (answer === '') return ['BLANK'];
  if (answer === 'na') return ['NA'];
  const score = (id) => question.options.find((o) => o.id === id);
  const option = score(answer);
  if (option.unknown) bands.push('DK');
  else if (option.score <= 0.25) bands.push('LOW');
  else if (option.score >= 0.75) bands.push('HIGH');
  else bands.push('MID');
  if (round !== 'baseline' && previous !== undefined && previous !== 'na') {
    // A baseline "Don't know" or blank that now has a real answer was found out, not improved.
    if (previous === '' || score(previous).unknown) {
      if (!option.unknown) bands.push('FOUND');
    } else {
      const before = score(previous).score;
      if (option.score > before) bands.push('UP');
      if (option.score < before) bands.push('DOWN');
    }
  }
  return bands;
}

function noteFits([when, , filter = {}], org, answer, bands, round, score) {
  if (when !== answer && !bands.includes(when)) return false;
  if (filter.kind && filter.kind !== org.kind) return false;
  if (filter.lang && filter.lang !== org.languages[0]) return false;
  if (filter.country && filter.country !== org.country) return false;
  if (filter.round && filter.round !== round) return false;
  if (filter.focus && !org.focus.includes(filter.focus)) return false;
  if (filter.needs && org.lacks.includes(filter.needs)) return false;
  if (filter.lacks && !org.lacks.includes(filter.lacks)) return false;
  if (filter.turnover !== undefined && filter.turnover !== Boolean(org.turnover)) return false;
  if (filter.engaged && org.engagement < 0.3) return false;
  if (filter.atLeast !== undefined && !(score >= filter.atLeast)) return false;
  return true;
}

// ---------------------------------------------------------------------------------------------
// CSV

/** RFC 4180: quote a field that holds a comma, a quote or a line break; double inner quotes. */
function csvField(value) {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function csv(rows) {
  return rows.map((row) => row.map(csvField).join(',')).join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------
// Generate

const framework = parse(readFileSync(FRAMEWORK_FILE, 'utf8'));
const questions = framework.domains.flatMap((d) => d.questions.map((q) => ({ domain: d.id, question: q })));
const byId = new Map(questions.map((x) => [x.question.id, x.question]));

// The tables are written for one framework version: stop, naming the stale key, rather than
// write answers the framework would reject or, worse, silently mis-shape the cohort.
if (framework.version !== FRAMEWORK_VERSION) {
  throw new Error(`the tables are written for cso-media ${FRAMEWORK_VERSION}, the framework is ${framework.version}`);
}
const kindTables = Object.values(KIND_DIFFICULTY).flatMap((t) => Object.keys(t));
const quirks = ORGANISATIONS.flatMap((o) => Object.keys(o.quirks ?? {}));
for (const q of [
  ...Object.keys({ ...FOCUS_QUESTIONS, ...DIFFICULTY, ...DONT_KNOW_LIKELIHOOD, ...NOTES }),
  ...kindTables,
  ...quirks,
]) {
  if (!byId.has(q)) throw new Error(`unknown question in generator tables: ${q}`);
}
for (const q of Object.keys(GAP_CLOSING)) {
  if (q !== 'default' && byId.get(q)?.cap === undefined)
    throw new Error(`GAP_CLOSING names a question without a cap: ${q}`);
}
for (const [thing, ids] of Object.entries(NOT_APPLICABLE)) {
  for (const q of ids) {
    if (!byId.get(q)?.na) throw new Error(`NOT_APPLICABLE.${thing}: question ${q} does not allow "not applicable"`);
  }
}
for (const org of ORGANISATIONS) {
  for (const thing of org.lacks) {
    if (!NOT_APPLICABLE[thing]) throw new Error(`${org.name}: lacks "${thing}", which NOT_APPLICABLE does not know`);
  }
}
for (const [q, entries] of Object.entries(NOTES)) {
  for (const [when, text, filter] of entries) {
    if (!BANDS.includes(when) && !byId.get(q).options.some((o) => o.id === when)) {
      throw new Error(`note on ${q} is keyed by \`${when}\`, which is neither a band nor an option: ${text}`);
    }
    if (filter?.lacks && !NOT_APPLICABLE[filter.lacks]) throw new Error(`note on ${q}: unknown lack ${filter.lacks}`);
    if (filter?.needs && !NOT_APPLICABLE[filter.needs]) throw new Error(`note on ${q}: unknown need ${filter.needs}`);
  }
}

const answers = new Map(); // `${round}|${org}|${question}` → answer
const notes = new Map(); // `${round}|${org}|${question}` → note
const used = new Map(); // note text → times used in the file
const usedBy = new Set(); // `${org}|${text}`: no organisation repeats itself
const rows = [];
const counts = Object.fromEntries(ROUNDS.map((r) => [r, { rows: 0, dk: 0, na: 0, blank: 0, notes: 0, gaps: 0 }]));

/** The note for one row: a `must` note that fits wins; otherwise, with NOTE_RATE, one of the
 * fitting notes that is not used up. A confirmed pre-fill keeps the baseline's notes. */
function noteFor(org, question, answer, round, previous) {
  if (round !== 'baseline' && org.confirmedPrefill) return notes.get(`baseline|${org.name}|${question.id}`);
  const bands = band(question, answer, round, previous);
  const score = question.options.find((o) => o.id === answer)?.score; // undefined for na or blank
  const candidates = [
    ...(NOTES[question.id] ?? []).map((n) => ({ n, limit: NOTE_REUSE.specific })),
    ...GENERIC_NOTES.map((n) => ({ n, limit: NOTE_REUSE.generic })),
  ].filter(
    ({ n, limit }) =>
      noteFits(n, org, answer, bands, round, score) &&
      (used.get(n[1]) ?? 0) < limit &&
      !usedBy.has(`${org.name}|${n[1]}`),
  );
  const must = candidates.find(({ n }) => n[2]?.must && !used.has(n[1]));
  let note = '';
  if (must) note = must.n[1];
  else if (candidates.length > 0 && uniform('note?', round, org.name, question.id) < NOTE_RATE[round]) {
    note = choose(candidates, 'note', round, org.name, question.id).n[1];
  }
  if (note) {
    used.set(note, (used.get(note) ?? 0) + 1);
    usedBy.add(`${org.name}|${note}`);
  }
  return note;
}

for (const round of ROUNDS) {
  for (const org of ORGANISATIONS) {
    for (const { domain, question } of questions) {
      const key = `${round}|${org.name}|${question.id}`;
      const previous = round === 'baseline' ? undefined : answers.get(`baseline|${org.name}|${question.id}`);
      const answer = answerFor(org, domain, question, round, previous);
      const note = noteFor(org, question, answer, round, previous);
      answers.set(key, answer);
      notes.set(key, note);

      const c = counts[round];
      c.rows++;
      if (answer === 'na') c.na++;
      else if (answer === '') c.blank++;
      else if (question.options.find((o) => o.id === answer).unknown) c.dk++;
      if (isCriticalGap(question, answer)) c.gaps++;
      if (note) c.notes++;
      rows.push([org.name, round, question.id, answer, note]);
    }
  }
}

// Every `must` note must have found a row, or the file would not exercise what it promises.
for (const [, text, filter] of [...Object.values(NOTES).flat(), ...GENERIC_NOTES]) {
  if (filter?.must && !used.has(text)) throw new Error(`note never placed; adjust the parameters: ${text}`);
}

mkdirSync(OUT_DIR, { recursive: true });
writeFileSync(
  new URL('organisations.csv', OUT_DIR),
  csv([
    ['name', 'kind', 'size', 'municipality', 'country', 'focus', 'languages'],
    ...ORGANISATIONS.map((o) => [o.name, o.kind, o.size, o.municipality, o.country, o.focus, o.languages.join(';')]),
  ]),
);
writeFileSync(new URL('answers.csv', OUT_DIR), csv([['organisation', 'round', 'question', 'answer', 'note'], ...rows]));

for (const round of ROUNDS) {
  const c = counts[round];
  console.log(
    `${round}: ${c.rows} rows, ${c.dk} "Don't know", ${c.na} na, ${c.blank} unanswered, ${c.notes} with a note, ` +
      `${c.gaps} critical gaps`,
  );
}
console.log('wrote content/samples/organisations.csv and content/samples/answers.csv');
