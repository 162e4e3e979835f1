// A CommonJS package whose named exports Node cannot see from ESM: take them from its default export.
import calculator from 'ae-cvss-calculator';
import type { FindingSeverity } from './finding-types.js';

/**
 * The base metrics each CVSS version requires, with their allowed values (FIRST's
 * specifications). The calculator (ae-cvss-calculator) scores a vector; it takes partial and
 * unknown metrics without complaint, so a vector is checked here first, metric by metric.
 */
const BASE: Record<'3.1' | '4.0', Record<string, readonly string[]>> = {
  '3.1': {
    AV: ['N', 'A', 'L', 'P'],
    AC: ['L', 'H'],
    PR: ['N', 'L', 'H'],
    UI: ['N', 'R'],
    S: ['U', 'C'],
    C: ['H', 'L', 'N'],
    I: ['H', 'L', 'N'],
    A: ['H', 'L', 'N'],
  },
  '4.0': {
    AV: ['N', 'A', 'L', 'P'],
    AC: ['L', 'H'],
    AT: ['N', 'P'],
    PR: ['N', 'L', 'H'],
    UI: ['N', 'P', 'A'],
    VC: ['H', 'L', 'N'],
    VI: ['H', 'L', 'N'],
    VA: ['H', 'L', 'N'],
    SC: ['H', 'L', 'N'],
    SI: ['H', 'L', 'N'],
    SA: ['H', 'L', 'N'],
  },
};

export interface CvssResult {
  vector: string;
  version: '3.1' | '4.0';
  score: number;
  severity: FindingSeverity;
}

/** FIRST's qualitative bands; 0.0 ("none") is info here. */
export function severityOf(score: number): FindingSeverity {
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  if (score > 0) return 'low';
  return 'info';
}

/**
 * Checks a CVSS 3.1 or 4.0 vector and scores it: the result, or what is wrong with it in words.
 * Only base metrics are taken (the programme scores what the assessor saw, not its threat or
 * environment); each must be there once, with a value of its version.
 */
export function scoreCvss(vector: string): { ok: true; value: CvssResult } | { ok: false; message: string } {
  const [head, ...parts] = vector.trim().split('/');
  const version = head === 'CVSS:3.1' ? '3.1' : head === 'CVSS:4.0' ? '4.0' : null;
  if (version === null)
    return { ok: false, message: 'must start with CVSS:3.1/ or CVSS:4.0/ (other versions are not taken)' };
  const metrics = BASE[version];
  const seen = new Map<string, string>();
  for (const part of parts) {
    const [key, value, extra] = part.split(':');
    if (!key || value === undefined || extra !== undefined)
      return { ok: false, message: `has "${part}" where a metric (like AV:N) should be` };
    const allowed = metrics[key];
    if (!allowed) return { ok: false, message: `has ${key}, which is not a base metric of CVSS ${version}` };
    if (seen.has(key)) return { ok: false, message: `has ${key} twice` };
    if (!allowed.includes(value))
      return { ok: false, message: `has ${key}:${value}; ${key} takes ${allowed.join(', ')}` };
    seen.set(key, value);
  }
  const missing = Object.keys(metrics).filter((k) => !seen.has(k));
  if (missing.length > 0) return { ok: false, message: `lacks ${missing.join(', ')}` };
  // In the specification's order, whatever order it came in.
  const normal = `CVSS:${version}/${Object.keys(metrics)
    .map((k) => `${k}:${seen.get(k)}`)
    .join('/')}`;
  const cvss = version === '3.1' ? new calculator.Cvss3P1(normal) : new calculator.Cvss4P0(normal);
  const score = cvss.calculateScores().base;
  if (typeof score !== 'number' || !Number.isFinite(score)) return { ok: false, message: 'could not be scored' };
  return { ok: true, value: { vector: normal, version, score, severity: severityOf(score) } };
}
