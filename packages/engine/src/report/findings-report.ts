import type { ReportText, TextKey } from './report-text.js';

/** A technical finding's severity, target and status (docs/contracts.md, §14). */
export type FindingSeverityInput = 'critical' | 'high' | 'medium' | 'low' | 'info';
export type FindingTargetInput = 'website' | 'mail-domain' | 'account' | 'device' | 'network' | 'physical';
export type FindingStatusInput = 'approved' | 'fixed' | 'partly_fixed' | 'accepted_risk';

/** One approved finding of an organisation, as a report is given it (the server opens it). */
export interface FindingInput {
  title: string;
  target: FindingTargetInput;
  severity: FindingSeverityInput;
  status: FindingStatusInput;
  /** YYYY-MM-DD. */
  foundOn: string;
  /** The CVSS base score with its vector, when the assessor gave one. */
  cvss: { vector: string; score: number } | null;
  recommendation: string;
  /** The latest retest. */
  retest: { on: string; outcome: 'fixed' | 'partly_fixed' | 'accepted_risk'; notes: string } | null;
}

export interface OrganisationFindingsSection {
  title: string;
  intro: string;
  /** "5 findings: 1 critical, …" */
  summary: string;
  items: {
    title: string;
    severity: FindingSeverityInput;
    severityText: string;
    target: string;
    status: string;
    found: string;
    cvss: string | null;
    recommendation: string;
    /** "Retested on 3 March 2026: fixed. Notes" or null. */
    retest: string | null;
  }[];
}

const SEVERITIES: readonly FindingSeverityInput[] = ['critical', 'high', 'medium', 'low', 'info'];
const severityKey = (s: FindingSeverityInput) => `label.severity.${s}` as TextKey;
const targetKey = (s: FindingTargetInput) => `label.target.${s}` as TextKey;
const statusKey = (s: FindingStatusInput) => `label.findingStatus.${s}` as TextKey;

/**
 * An organisation's technical findings for its confidential report: most severe first, each with
 * what was tested, where it stands, what to do and its retest. Null when none was given (the
 * command line's report reads answers only); a section saying so when there are none.
 */
export function organisationFindingsSection(
  t: ReportText,
  findings: readonly FindingInput[] | undefined,
): OrganisationFindingsSection | null {
  if (findings === undefined) return null;
  const sorted = [...findings].sort(
    (a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) || a.foundOn.localeCompare(b.foundOn),
  );
  const counts = SEVERITIES.map((s) => ({ s, n: findings.filter((f) => f.severity === s).length })).filter(
    (c) => c.n > 0,
  );
  return {
    title: t.t('section.technicalFindings'),
    intro: findings.length > 0 ? t.t('technical.intro') : t.t('technical.none'),
    summary:
      findings.length === 0
        ? ''
        : t.plural('technical.summary', findings.length, {
            n: t.int(findings.length),
            parts: counts.map((c) => `${t.int(c.n)} ${t.t(severityKey(c.s)).toLowerCase()}`).join(', '),
          }),
    items: sorted.map((f) => ({
      title: f.title,
      severity: f.severity,
      severityText: t.t(severityKey(f.severity)),
      target: t.t(targetKey(f.target)),
      status: t.t(statusKey(f.status)),
      found: t.date(f.foundOn),
      // "CVSS 3.1: 9.8"; the vector itself stays in Kalaja, where the assessor can read it.
      cvss: f.cvss ? `${f.cvss.vector.split('/')[0]!.replace(':', ' ')}: ${t.number(f.cvss.score, 1)}` : null,
      recommendation: f.recommendation,
      retest: f.retest
        ? t
            .t('technical.retest', {
              date: t.date(f.retest.on),
              outcome: t.t(statusKey(f.retest.outcome)).toLowerCase(),
              notes: f.retest.notes,
            })
            .trim()
        : null,
    })),
  };
}

/** The cohort's approved findings counted (the server counts them; null is a count withheld from observers). */
export interface ProgrammeFindingsInput {
  /** Organisations with an approved finding. */
  organisations: number;
  bySeverity: Readonly<Record<FindingSeverityInput, number | null>>;
  byTarget: Readonly<Record<FindingTargetInput, number | null>>;
  byStatus: Readonly<Partial<Record<FindingStatusInput | string, number | null>>>;
  /** Median days from finding to a fixing retest; null without one, or withheld. */
  medianDaysToFix: number | null;
}

export interface ProgrammeFindingsSection {
  title: string;
  intro: string;
  /** One table per grouping: its heading and its rows (label, count or a withheld mark). */
  groups: { label: string; rows: { label: string; count: string }[] }[];
  /** The median time to fix, in words. */
  fix: string;
}

const TARGETS: readonly FindingTargetInput[] = ['website', 'mail-domain', 'account', 'device', 'network', 'physical'];
const STATUSES: readonly FindingStatusInput[] = ['approved', 'fixed', 'partly_fixed', 'accepted_risk'];

/** The programme report's findings across the cohort: counts by severity, target and status, and the time to fix. */
export function programmeFindingsSection(
  t: ReportText,
  findings: ProgrammeFindingsInput | undefined,
): ProgrammeFindingsSection | null {
  if (findings === undefined) return null;
  const count = (n: number | null | undefined) => (n === null ? t.t('label.withheld') : t.int(n ?? 0));
  return {
    title: t.t('section.technicalFindings'),
    intro: t.t('technical.programmeIntro'),
    groups: [
      {
        label: t.t('label.severity'),
        rows: SEVERITIES.map((s) => ({ label: t.t(severityKey(s)), count: count(findings.bySeverity[s]) })),
      },
      {
        label: t.t('label.target'),
        rows: TARGETS.map((s) => ({ label: t.t(targetKey(s)), count: count(findings.byTarget[s]) })),
      },
      {
        label: t.t('label.status'),
        rows: STATUSES.map((s) => ({ label: t.t(statusKey(s)), count: count(findings.byStatus[s]) })),
      },
    ],
    fix:
      findings.medianDaysToFix === null
        ? t.t('technical.noFix')
        : t.t('technical.medianDays', { days: t.number(findings.medianDaysToFix, 0) }),
  };
}
