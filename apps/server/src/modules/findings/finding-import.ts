import { SaxesParser } from 'saxes';
import type { ErrorDetail } from '../../errors.js';
import { severityOf } from './finding-cvss.js';
import type { FindingSeverity, FindingTarget } from './finding-types.js';

/** The scanner outputs a draft finding can come from. */
export type ScanFormat = 'sarif' | 'zap' | 'nuclei';

/** One finding read from a scanner's output, before the assessor confirms it. */
export interface ScannedFinding {
  /** What makes two results the same finding: the rule and where it was seen. */
  key: string;
  title: string;
  target: FindingTarget;
  severity: FindingSeverity;
  description: string;
  method: string;
  recommendation: string;
}

export type ScanResult = { ok: true; findings: ScannedFinding[] } | { ok: false; problems: ErrorDetail[] };

const TITLE = 200;
const TEXT = 10_000;
const clip = (s: string, n: number) => (s.length <= n ? s : `${s.slice(0, n - 1)}\u2026`);
// No control characters in stored text (as the API refuses them), tabs and line breaks aside.
// eslint-disable-next-line no-control-regex -- control characters are exactly what this removes
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;
const clean = (s: unknown) => (typeof s === 'string' ? s.replace(CONTROL, '').trim() : '');
/** HTML as ZAP writes its descriptions, as plain text. */
const plain = (s: unknown) =>
  clean(s)
    .replace(/<\/p>\s*<p>/g, '\n\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;|&#39;/g, "'")
    .replace(/&amp;/g, '&');
const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

function finding(
  f: Omit<ScannedFinding, 'title' | 'description' | 'method' | 'recommendation'> & {
    name: string;
    where: string;
    description: string;
    method: string;
    recommendation: string;
  },
): ScannedFinding {
  return {
    key: f.key,
    title: clip(f.where ? `${f.name} (${f.where})` : f.name, TITLE),
    target: f.target,
    severity: f.severity,
    description: clip(f.description, TEXT),
    method: clip(f.method, TEXT),
    recommendation: clip(f.recommendation, TEXT),
  };
}

/** Results that name the same rule at the same place are one finding: the first is kept. */
function unique(findings: ScannedFinding[]): ScannedFinding[] {
  const seen = new Set<string>();
  return findings.filter((f) => !seen.has(f.key) && seen.add(f.key));
}

/**
 * Where JSON.parse stopped, as a line number: from the position its message gives, or (Node 20
 * gives none for an unexpected token) from the excerpt it quotes; the last line at an early end.
 */
function lineOfError(text: string, message: string): number {
  const lineAt = (position: number) => text.slice(0, position).split('\n').length;
  const at = /position (\d+)/.exec(message);
  if (at) return lineAt(Number(at[1]));
  const token = /Unexpected token '([\s\S])', (\.\.\.)?"([\s\S]*?)"(\.\.\.)? is not valid JSON/.exec(message);
  if (token) {
    const [, ch, cut, excerpt] = token;
    const start = text.indexOf(excerpt!);
    if (start >= 0) return lineAt(start + (cut ? 10 : Math.max(0, excerpt!.indexOf(ch!))));
  }
  return /end of JSON/i.test(message) ? text.split('\n').length : 1;
}

function json(text: string): { ok: true; value: unknown } | { ok: false; problems: ErrorDetail[] } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (e) {
    return {
      ok: false,
      problems: [{ where: `line ${lineOfError(text, (e as Error).message)}`, message: 'is not valid JSON' }],
    };
  }
}

/** SARIF 2.1 (code and web scanners): each result of each run, its rule's texts and severity. */
function sarif(text: string): ScanResult {
  const parsed = json(text);
  if (!parsed.ok) return parsed;
  const doc = parsed.value;
  if (!isObject(doc) || !Array.isArray(doc.runs))
    return { ok: false, problems: [{ where: 'runs', message: 'is missing: this is not a SARIF log' }] };
  const problems: ErrorDetail[] = [];
  const out: ScannedFinding[] = [];
  doc.runs.forEach((run, r) => {
    if (!isObject(run)) return problems.push({ where: `runs[${r}]`, message: 'is not an object' });
    const driver = isObject(run.tool) && isObject(run.tool.driver) ? run.tool.driver : {};
    const tool = clean(driver.name) || 'a scanner';
    const rules = new Map<string, Record<string, unknown>>();
    if (Array.isArray(driver.rules))
      for (const rule of driver.rules) if (isObject(rule) && typeof rule.id === 'string') rules.set(rule.id, rule);
    if (run.results !== undefined && !Array.isArray(run.results))
      return problems.push({ where: `runs[${r}].results`, message: 'is not a list' });
    ((run.results as unknown[] | undefined) ?? []).forEach((result, i) => {
      const where = `runs[${r}].results[${i}]`;
      if (!isObject(result)) return problems.push({ where, message: 'is not an object' });
      const message = isObject(result.message) ? clean(result.message.text) : '';
      if (!message) return problems.push({ where: `${where}.message.text`, message: 'is missing' });
      const ruleId = clean(result.ruleId) || (isObject(result.rule) ? clean(result.rule.id) : '');
      const rule = rules.get(ruleId) ?? {};
      const text = (o: unknown) => (isObject(o) ? clean(o.text) : '');
      const physical =
        Array.isArray(result.locations) && isObject(result.locations[0])
          ? result.locations[0].physicalLocation
          : undefined;
      const uri = isObject(physical) && isObject(physical.artifactLocation) ? clean(physical.artifactLocation.uri) : '';
      const line = isObject(physical) && isObject(physical.region) ? physical.region.startLine : undefined;
      const location = uri ? (typeof line === 'number' ? `${uri}:${line}` : uri) : '';
      // GitHub's convention: a CVSS-like score in the rule's properties; the level otherwise.
      const props = isObject(rule.properties) ? rule.properties : {};
      const score = Number(props['security-severity']);
      const level =
        clean(result.level) || (isObject(rule.defaultConfiguration) ? clean(rule.defaultConfiguration.level) : '');
      const severity: FindingSeverity =
        Number.isFinite(score) && props['security-severity'] !== undefined
          ? severityOf(score)
          : level === 'error'
            ? 'high'
            : level === 'warning'
              ? 'medium'
              : level === 'note'
                ? 'low'
                : 'info';
      out.push(
        finding({
          // The message is part of the key: a container scanner (Trivy) reports one rule at one place
          // for each package it found it in, and only the message names the package.
          key: `sarif|${ruleId}|${location}|${message}`,
          name: text(rule.shortDescription) || clean(rule.name) || ruleId || clip(message, 120),
          where: location,
          target: 'website',
          severity,
          description: message,
          method: `Reported by ${tool}${ruleId ? ` (rule ${ruleId})` : ''}.`,
          recommendation: text(rule.help) || text(rule.fullDescription),
        }),
      );
    });
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, findings: unique(out) };
}

const ZAP_RISK: Record<string, FindingSeverity> = { '3': 'high', '2': 'medium', '1': 'low', '0': 'info' };

/**
 * ZAP's XML report (`OWASPZAPReport`, the "Traditional XML Report") read into the shape of its
 * JSON report, so one reader checks both: `site` elements with their `name` attribute as
 * `@name`, each `alertitem` of `alerts` with its child elements as fields and `instances` as a
 * list of `instance` fields. A document that is not well-formed XML is refused at its line.
 */
function zapXml(text: string): { ok: true; value: unknown } | { ok: false; problems: ErrorDetail[] } {
  const parser = new SaxesParser({ xmlns: false });
  const sites: Record<string, unknown>[] = [];
  let root: string | undefined;
  let site: Record<string, unknown> | undefined;
  let alert: Record<string, unknown> | undefined;
  let instance: Record<string, string> | undefined;
  let text_ = '';
  let failure: ErrorDetail | undefined;
  parser.on('error', (e) => {
    failure ??= {
      where: `line ${parser.line}`,
      message: `is not well-formed XML (${e.message.replace(/^.*?:\d+:\d+: /, '')})`,
    };
  });
  parser.on('opentag', (tag) => {
    root ??= tag.name;
    text_ = '';
    if (tag.name === 'site') {
      site = { '@name': String(tag.attributes.name ?? ''), alerts: [] };
      sites.push(site);
    } else if (tag.name === 'alertitem' && site) {
      alert = { instances: [] };
      (site.alerts as unknown[]).push(alert);
    } else if (tag.name === 'instance' && alert) {
      instance = {};
      (alert.instances as unknown[]).push(instance);
    }
  });
  parser.on('text', (t) => (text_ += t));
  parser.on('cdata', (t) => (text_ += t));
  parser.on('closetag', (tag) => {
    if (tag.name === 'instance') instance = undefined;
    else if (tag.name === 'alertitem') alert = undefined;
    else if (tag.name === 'site') site = undefined;
    else if (instance) instance[tag.name] = text_;
    else if (alert && tag.name !== 'instances') alert[tag.name] = text_;
    text_ = '';
  });
  try {
    parser.write(text).close();
  } catch {
    // The error handler above has the first problem.
  }
  if (failure) return { ok: false, problems: [failure] };
  if (root !== 'OWASPZAPReport')
    return { ok: false, problems: [{ where: 'OWASPZAPReport', message: 'is missing: this is not a ZAP XML report' }] };
  return { ok: true, value: { site: sites } };
}

/**
 * An OWASP ZAP report, JSON or XML (told apart by its first character): each alert of each site,
 * once per alert and site.
 */
function zap(text: string): ScanResult {
  const parsed = text.trimStart().startsWith('<') ? zapXml(text) : json(text);
  if (!parsed.ok) return parsed;
  const doc = parsed.value;
  if (!isObject(doc) || !Array.isArray(doc.site))
    return { ok: false, problems: [{ where: 'site', message: 'is missing: this is not a ZAP JSON report' }] };
  const problems: ErrorDetail[] = [];
  const out: ScannedFinding[] = [];
  doc.site.forEach((site, s) => {
    if (!isObject(site)) return problems.push({ where: `site[${s}]`, message: 'is not an object' });
    const host = clean(site['@name']);
    if (!Array.isArray(site.alerts)) return problems.push({ where: `site[${s}].alerts`, message: 'is not a list' });
    site.alerts.forEach((alert, a) => {
      const where = `site[${s}].alerts[${a}]`;
      if (!isObject(alert)) return problems.push({ where, message: 'is not an object' });
      const name = clean(alert.alert) || clean(alert.name);
      if (!name) return problems.push({ where: `${where}.alert`, message: 'is missing' });
      const risk = ZAP_RISK[clean(String(alert.riskcode ?? ''))];
      if (!risk) return problems.push({ where: `${where}.riskcode`, message: 'is not 0, 1, 2 or 3' });
      const instances = Array.isArray(alert.instances) ? alert.instances.filter(isObject) : [];
      const uris = instances.map((i) => clean(i.uri)).filter(Boolean);
      out.push(
        finding({
          key: `zap|${clean(String(alert.pluginid ?? name))}|${host}`,
          name,
          where: host,
          target: 'website',
          severity: risk,
          description: [plain(alert.desc), uris.length > 0 ? `Seen at: ${uris.slice(0, 10).join(', ')}` : '']
            .filter(Boolean)
            .join('\n\n'),
          method: `Reported by OWASP ZAP${alert.pluginid !== undefined ? ` (plugin ${clean(String(alert.pluginid))})` : ''}.`,
          recommendation: plain(alert.solution),
        }),
      );
    });
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, findings: unique(out) };
}

const NUCLEI_SEVERITY: Record<string, FindingSeverity> = {
  critical: 'critical',
  high: 'high',
  medium: 'medium',
  low: 'low',
  info: 'info',
  unknown: 'info',
};

const MAIL_TEMPLATE = /dmarc|spf|dkim|bimi|mta-sts|(^|-)mx(-|$)|mail/i;

/**
 * Nuclei's results: its JSON lines (`-jsonl`), one result a line with blank lines aside, or its JSON
 * export (`-json-export`), one array of the same results. Told apart by the first character.
 */
function nuclei(text: string): ScanResult {
  const problems: ErrorDetail[] = [];
  const out: ScannedFinding[] = [];
  const read = (r: unknown, where: string) => {
    if (!isObject(r)) return problems.push({ where, message: 'is not a JSON object' });
    const info = isObject(r.info) ? r.info : undefined;
    const template = clean(r['template-id']) || clean(r.templateID);
    if (!template) return problems.push({ where, message: 'has no template-id' });
    if (!info) return problems.push({ where, message: 'has no info' });
    const severity = NUCLEI_SEVERITY[clean(info.severity).toLowerCase()];
    if (!severity)
      return problems.push({ where, message: `has severity "${clean(info.severity)}", not one of Nuclei's` });
    const at = clean(r['matched-at']) || clean(r.matched) || clean(r.host);
    out.push(
      finding({
        key: `nuclei|${template}|${at}`,
        name: clean(info.name) || template,
        where: at,
        // A DNS result is about mail only when its template is (DMARC, SPF, DKIM, MX…): Nuclei's
        // DNS templates also detect a website's hosting, CAA records or subdomain takeovers.
        target:
          clean(r.type) === 'dns' && MAIL_TEMPLATE.test(template)
            ? 'mail-domain'
            : clean(r.type) === 'network' || clean(r.type) === 'tcp'
              ? 'network'
              : 'website',
        severity,
        description: clean(info.description),
        method: `Reported by Nuclei (template ${template}).`,
        recommendation: clean(info.remediation),
      }),
    );
  };
  if (text.trimStart().startsWith('[')) {
    const parsed = json(text);
    if (!parsed.ok) return parsed;
    (parsed.value as unknown[]).forEach((r, i) => read(r, `results[${i}]`));
  } else {
    text.split(/\r?\n/).forEach((raw, i) => {
      if (raw.trim() === '') return;
      let r: unknown;
      try {
        r = JSON.parse(raw);
      } catch {
        return problems.push({ where: `line ${i + 1}`, message: 'is not a JSON object' });
      }
      read(r, `line ${i + 1}`);
    });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, findings: unique(out) };
}

/**
 * Reads a scanner's output into draft findings, deduplicated (the same rule at the same place
 * once), or every problem with where it is: a line of a JSON-lines file, an element of a JSON
 * or XML report (`site[0].alerts[2].riskcode`). Pure, for any text.
 */
export function readScan(format: ScanFormat, text: string): ScanResult {
  if (format === 'sarif') return sarif(text);
  if (format === 'zap') return zap(text);
  return nuclei(text);
}
