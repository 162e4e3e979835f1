import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readScan, type ScanFormat } from '../src/modules/findings/finding-import.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/scans/${name}`, import.meta.url), 'utf8');

describe('reading scanner output into draft findings', () => {
  it('reads a ZAP JSON report: one draft per alert and site, its HTML as plain text, its risk as severity', () => {
    const read = readScan('zap', fixture('zap-report.json'));
    if (!read.ok) throw new Error(JSON.stringify(read.problems));
    expect(read.findings.map((f) => [f.title, f.severity])).toEqual([
      ['Content Security Policy (CSP) Header Not Set (https://news.example.org)', 'medium'],
      ['Missing Anti-clickjacking Header (https://news.example.org)', 'medium'],
      ['Server Leaks Version Information via "Server" HTTP Response Header Field (https://news.example.org)', 'low'],
    ]);
    expect(read.findings[0]!.description).toContain(
      'Seen at: https://news.example.org/, https://news.example.org/sitemap.xml',
    );
    expect(read.findings[1]!.description).toContain("'ClickJacking'");
    expect(read.findings[0]!.recommendation).not.toContain('<p>');
    expect(read.findings[0]!.method).toBe('Reported by OWASP ZAP (plugin 10038).');
  });

  it('reads Nuclei JSON lines, dropping a result repeated at the same place, a DNS result as the mail domain', () => {
    const read = readScan('nuclei', fixture('nuclei.jsonl'));
    if (!read.ok) throw new Error(JSON.stringify(read.problems));
    expect(read.findings.map((f) => [f.title, f.severity, f.target])).toEqual([
      ['WordPress Login Panel - Detect (https://news.example.org/wp-login.php)', 'info', 'website'],
      ['DMARC - Detect (_dmarc.example.org)', 'info', 'mail-domain'],
      [
        'WordPress Gallery Plugin < 2.4 - Unauthenticated File Upload (https://news.example.org/wp-content/plugins/gallery/upload.php)',
        'critical',
        'website',
      ],
    ]);
    expect(read.findings[2]!.recommendation).toBe('Update the plugin to 2.4 or later.');
  });

  it('reads SARIF: each result with its rule\u2019s help, its security-severity as the severity, its place in the title', () => {
    const read = readScan('sarif', fixture('semgrep.sarif'));
    if (!read.ok) throw new Error(JSON.stringify(read.problems));
    expect(read.findings.map((f) => f.severity)).toEqual(['high', 'medium']);
    expect(read.findings[0]!.title).toContain('(wp-content/themes/news/search.php:14)');
    expect(read.findings[0]!.recommendation).toMatch(/^Use htmlentities/);
    expect(read.findings[0]!.method).toContain('Semgrep OSS');
  });

  it('reads real scanner output: Trivy’s SARIF keeps each package’s result, Nuclei’s lines and export, ZAP’s own report templates in JSON and XML agree', () => {
    const real = (name: string) => fixture(`real/${name}`);
    const trivy = readScan('sarif', real('trivy-alpine-310.sarif'));
    if (!trivy.ok) throw new Error(JSON.stringify(trivy.problems));
    // Four results: two CVEs, each in libcrypto and in libssl of the same image. One draft each.
    expect(trivy.findings).toHaveLength(4);
    expect(trivy.findings.map((f) => f.description.split('\n')[0])).toEqual([
      'Package: libcrypto1.1',
      'Package: libcrypto1.1',
      'Package: libssl1.1',
      'Package: libssl1.1',
    ]);
    expect(trivy.findings.every((f) => f.severity === 'medium' && f.method.startsWith('Reported by Trivy'))).toBe(true);
    expect(trivy.findings[0]!.title).toBe(
      'openssl: information disclosure in fork() (testdata/fixtures/images/alpine-310.tar.gz:1)',
    );

    // Nuclei's JSON lines and its JSON export, from real scans (DefectDojo's test files).
    const lines = readScan('nuclei', real('nuclei-jsonl.json'));
    const exported = readScan('nuclei', real('nuclei-json-export.json'));
    if (!lines.ok || !exported.ok) throw new Error(JSON.stringify([lines, exported]));
    expect(lines.findings.map((f) => [f.title, f.severity, f.target])).toEqual([
      ['OpenSSH Username Enumeration v7.7 (nuclei-example.com:22)', 'medium', 'network'],
      ['Exposed Prometheus metrics (https://nuclei-example.com/metrics)', 'low', 'website'],
    ]);
    // A DNS template about hosting or CAA records is the website's, not the mail domain's.
    expect(exported.findings.map((f) => [f.title, f.target])).toEqual([
      ['DNS SaaS Service Detection (www.asdf.de)', 'website'],
      ['CAA Record (www.asdf.de)', 'website'],
      ['Detect SSL Certificate Issuer (www.asdf.de:443)', 'website'],
      ['SSL DNS Names (www.asdf.de:443)', 'website'],
      ['TLS Version - Detect (www.asdf.de:443)', 'website'],
    ]);
    expect(readScan('nuclei', '[{"template-id": "x"}, 3]')).toEqual({
      ok: false,
      problems: [
        { where: 'results[0]', message: 'has no info' },
        { where: 'results[1]', message: 'is not a JSON object' },
      ],
    });

    for (const [json, xml] of [
      ['zap-traditional-json.json', 'zap-traditional-xml.xml'],
      ['zap-traditional-json-plus.json', 'zap-traditional-xml-plus.xml'],
    ] as const) {
      const a = readScan('zap', real(json));
      const b = readScan('zap', real(xml));
      if (!a.ok || !b.ok) throw new Error(JSON.stringify([a, b]));
      expect(a.findings.map((f) => [f.title, f.severity])).toEqual([['XSS (http://example.com)', 'high']]);
      // The templates' escaping (quotes, backslashes, HTML in evidence) reads the same from both formats.
      expect(b.findings).toEqual(a.findings);
      expect(a.findings[0]!.description).not.toContain('<p>');
      expect(a.findings[0]!.recommendation).toBe('Test Solution');
    }
  });

  it('names the line or the element of every problem, and reads nothing then', () => {
    expect(readScan('nuclei', '{"template-id":"a","info":{"severity":"low"}}\nnot json\n{"info":{}}')).toEqual({
      ok: false,
      problems: [
        { where: 'line 2', message: 'is not a JSON object' },
        { where: 'line 3', message: 'has no template-id' },
      ],
    });
    const zap = JSON.parse(fixture('zap-report.json'));
    zap.site[0].alerts[1].riskcode = '7';
    expect(readScan('zap', JSON.stringify(zap))).toEqual({
      ok: false,
      problems: [{ where: 'site[0].alerts[1].riskcode', message: 'is not 0, 1, 2 or 3' }],
    });
    expect(readScan('sarif', '{"runs":[{"results":[{"ruleId":"x"}]}]}')).toEqual({
      ok: false,
      problems: [{ where: 'runs[0].results[0].message.text', message: 'is missing' }],
    });
    expect(readScan('sarif', '{\n  "runs": [\n    oops\n  ]\n}')).toMatchObject({
      ok: false,
      problems: [{ where: 'line 3' }],
    });
    expect(readScan('zap', fixture('nuclei.jsonl'))).toMatchObject({ ok: false });
  });

  it('reads ZAP\u2019s XML report as its JSON report: the same drafts, and a broken one named at its line', () => {
    const xml = readScan('zap', fixture('zap-report.xml'));
    expect(xml.ok).toBe(true);
    expect(xml).toEqual(readScan('zap', fixture('zap-report.json')));
    const broken = fixture('zap-report.xml').replace('<riskcode>2</riskcode>', '<riskcode>2</riskcod>');
    const r = readScan('zap', broken);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problems).toHaveLength(1);
      expect(r.problems[0]!.where).toBe('line 10');
      expect(r.problems[0]!.message).toMatch(/^is not well-formed XML/);
    }
    expect(readScan('zap', '<?xml version="1.0"?>\n<html><body/></html>')).toEqual({
      ok: false,
      problems: [{ where: 'OWASPZAPReport', message: 'is missing: this is not a ZAP XML report' }],
    });
    const risky = fixture('zap-report.xml').replace('<riskcode>2</riskcode>', '<riskcode>7</riskcode>');
    expect(readScan('zap', risky)).toEqual({
      ok: false,
      problems: [{ where: 'site[0].alerts[0].riskcode', message: 'is not 0, 1, 2 or 3' }],
    });
  });

  it('never throws, whatever the text, and answers findings or problems', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<ScanFormat>('sarif', 'zap', 'nuclei'),
        fc.oneof(fc.string(), fc.json()),
        (format, text) => {
          const read = readScan(format, text);
          if (read.ok) expect(Array.isArray(read.findings)).toBe(true);
          else expect(read.problems.length).toBeGreaterThan(0);
        },
      ),
    );
  });

  it('reads a Nuclei file repeated twice as the same findings: results are deduplicated by template and place', () => {
    const lines = fixture('nuclei.jsonl').trim().split('\n').filter(Boolean);
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...lines), { minLength: 1, maxLength: 12 }), (picked) => {
        const once = readScan('nuclei', picked.join('\n'));
        const twice = readScan('nuclei', [...picked, ...picked].join('\n'));
        expect(twice).toEqual(once);
        if (once.ok) expect(new Set(once.findings.map((f) => f.key)).size).toBe(once.findings.length);
      }),
    );
  });
});
