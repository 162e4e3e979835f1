import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadFramework } from '@kalaja/engine';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';

const repo = new URL('../../../', import.meta.url).pathname;
const CSF = join(repo, 'content/reference/nist-csf-2.0/NIST_CSF_v2.0_catalog.xml');
const FIXTURES = join(repo, 'packages/engine/test/fixtures/import');
let dir: string;

async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) });
  return { code, stdout, stderr };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kalaja-import-framework-'));
});

describe('kalaja import-framework', () => {
  it('writes the CSF 2.0 catalog as a framework and says what it left out', async () => {
    const out = join(dir, 'csf.yaml');
    const r = await run('import-framework', '--from', 'oscal', CSF, '--out', out);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^.*csf\.yaml: nist-cybersecurity-framework-2-0 1\.0\.0, 22 domains, 106 questions\n/);
    expect(r.stdout).toMatch(/79 control\(s\) of an earlier version of the catalog left out/);
    const loaded = loadFramework(readFileSync(out, 'utf8'), { file: out });
    expect(loaded.ok).toBe(true);
    expect(await run('validate', out)).toMatchObject({ code: 0 });
  });

  it('prints the framework alone on standard output without --out, the summary on stderr', async () => {
    const r = await run(
      'import-framework',
      '--from',
      'ciso-assistant',
      join(FIXTURES, 'ciso-small.yaml'),
      '--depth',
      '2',
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^# Imported by/);
    expect(loadFramework(r.stdout, { file: 'stdout.yaml' }).ok).toBe(true);
    expect(r.stderr).toMatch(/framework: redaktion-basis 2, 1 domain, 2 questions, in de\n/);
    expect(r.stderr).toMatch(/assessable requirement\(s\) above the chosen depth left out \(SICHERUNG\)/);
  });

  it("reads SAMM's model directory as well as its bundle, to the same file", async () => {
    const model = join(dir, 'samm', 'model');
    const text = readFileSync(join(FIXTURES, 'samm-small.yaml'), 'utf8').split(/^---$/m);
    mkdirSync(join(model, 'parts'), { recursive: true });
    text.forEach((t, i) => writeFileSync(join(model, 'parts', `${String(i).padStart(2, '0')}.yml`), t));
    const fromDir = await run('import-framework', '--from', 'samm', model);
    const fromBundle = await run('import-framework', '--from', 'samm', join(FIXTURES, 'samm-small.yaml'));
    expect(fromDir.code).toBe(0);
    // The header names the source; the framework itself is the same.
    expect(fromDir.stdout.replace(/^#.*\n/gm, '')).toBe(fromBundle.stdout.replace(/^#.*\n/gm, ''));
  });

  it('refuses a file that is not what --from says, naming the file and where (exit 1)', async () => {
    const bad = join(dir, 'not-oscal.xml');
    writeFileSync(bad, '<?xml version="1.0"?>\n<profile/>\n');
    const r = await run('import-framework', '--from', 'oscal', bad, '--out', join(dir, 'x.yaml'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/not-oscal\.xml:2:1: the root element is `profile`, not `catalog`/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const yaml = join(dir, 'broken.yaml');
    writeFileSync(yaml, 'objects:\n  framework: {requirement_nodes: [\n');
    const y = await run('import-framework', '--from', 'ciso-assistant', yaml);
    expect(y.code).toBe(1);
    expect(y.stderr).toMatch(/broken\.yaml:\d+:\d+: /);
    expect((await run('import-framework', '--from', 'oscal', join(dir, 'missing.xml'))).stderr).toMatch(/no such file/);
  });

  it('explains wrong usage (exit 2) and prints its help', async () => {
    expect((await run('import-framework', CSF)).code).toBe(2);
    const wrong = await run('import-framework', '--from', 'excel', CSF);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/--from must be one of: oscal, ciso-assistant, samm/);
    expect((await run('import-framework', '--from', 'oscal', CSF, '--depth', '2')).stderr).toMatch(/--depth is for/);
    expect((await run('import-framework', '--from', 'ciso-assistant', CSF, '--depth', '0')).code).toBe(2);
    expect((await run('import-framework', '--from', 'oscal', CSF, '--scale', 'stars')).stderr).toMatch(
      /--scale must be one of: implementation, csf-tiers, compliance/,
    );
    const help = await run('import-framework', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: kalaja import-framework/);
    expect((await run('--help')).stdout).toMatch(/import-framework/);
  });
});
