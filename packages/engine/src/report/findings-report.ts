import type { ReportText, TextKey } from './report-text.js';

/** A technical finding's severity, target and status (docs/contracts.md, §9). */
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
