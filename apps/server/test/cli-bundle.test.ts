import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// `npm run build` bundles `kalaja score` (scripts/bundle-cli.mjs) and the command runs from the
// bundle when it is fresh. The bundle must behave exactly as the command's own modules: the same
// output, the same problems with their positions, the same exit codes.
const repo = new URL('../../../', import.meta.url).pathname;
const bundle = join(repo, 'apps/server/dist/cli/bundle/score.js');
const serverBuild = join(repo, 'apps/server/tsconfig.tsbuildinfo');
const framework = join(repo, 'content/frameworks/cso-media.yaml');
const answers = join(repo, 'content/samples/answers.csv');

/** Runs `kalaja score` in a process of its own, from the bundle or from the command's modules. */
function kalaja(args: string[], from: 'bundle' | 'modules') {
  const probe = `
    const { score } = await import(${JSON.stringify(from === 'bundle' ? bundle : join(repo, 'apps/server/dist/cli/commands/score.js'))});
    const { main } = await import(${JSON.stringify(join(repo, 'apps/server/dist/cli/main.js'))});
    let out = '', err = '';
    const io = { stdout: (t) => (out += t), stderr: (t) => (err += t) };
    // main's handling of what the command throws, with the command taken from where it is asked.
    const code = await main(['score', ...process.argv.slice(1)], io, {});
    let direct = '';
    try { await score(process.argv.slice(1), { stdout: (t) => (direct += t), stderr: () => {} }); } catch (e) { direct = 'threw ' + e.constructor.name + ': ' + e.message; }
    process.stdout.write(JSON.stringify({ code, out, err, direct }));
  `;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', probe, '--', ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as { code: number; out: string; err: string; direct: string };
}

describe('kalaja score from its bundle', () => {
  it('is made by the build and is fresh, so that main loads it', () => {
    const hint = '`npm run build` makes the bundle after `tsc -b` (npm test builds first)';
    expect(existsSync(bundle), hint).toBe(true);
    const at = statSync(bundle).mtimeMs;
    for (const build of [serverBuild, join(repo, 'packages/engine/tsconfig.tsbuildinfo')])
      expect(statSync(build).mtimeMs, hint).toBeLessThanOrEqual(at);
  });

  it('gives the same output, problems and exit codes as the command’s own modules', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kalaja-bundle-'));
    const broken = join(dir, 'broken.csv');
    writeFileSync(broken, 'organisation,round,question,answer\nA,baseline,governance.nope,x\n');
    const cases = [
      ['--framework', framework, '--answers', answers],
      ['--framework', framework, '--answers', answers, '--format', 'json', '--explain'],
      ['--framework', framework, '--answers', broken],
      ['--framework', join(dir, 'missing.yaml'), '--answers', answers],
      ['--frame', framework],
    ];
    for (const args of cases) {
      const fromBundle = kalaja(args, 'bundle');
      const fromModules = kalaja(args, 'modules');
      expect(fromBundle).toEqual(fromModules);
    }
    const problems = kalaja(['--framework', framework, '--answers', broken], 'bundle');
    expect(problems.code).toBe(1);
    expect(problems.err).toContain(`${broken}:2: unknown question \`governance.nope\``);
    expect(kalaja(['--frame', framework], 'bundle').code).toBe(2);
  });
});
