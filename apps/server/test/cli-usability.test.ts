import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';

/**
 * What a new user of the `kalaja` command meets first: the version, output piped into a reader
 * that stops early, and flags that would otherwise be silently ignored.
 */

const repo = new URL('../../../', import.meta.url).pathname;
const FRAMEWORK = join(repo, 'content/frameworks/cso-media.yaml');
const SAMPLES = join(repo, 'content/samples/answers.csv');

async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) });
  return { code, stdout, stderr };
}

describe('kalaja --version', () => {
  it('prints the version of the package', async () => {
    const { version } = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V'])
      expect(await run(flag)).toEqual({ code: 0, stdout: `kalaja ${version}\n`, stderr: '' });
  });
});

describe('kalaja score --explain', () => {
  it('says it needs --format json instead of being ignored', async () => {
    for (const format of [[], ['--format', 'table'], ['--format', 'csv']]) {
      const r = await run('score', '--framework', FRAMEWORK, '--answers', SAMPLES, '--explain', ...format);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^kalaja score: --explain .* use it with --format json/);
    }
  });
});

describe('the installed bin piped into a reader that stops early', () => {
  it('exits quietly, without an EPIPE stack trace', async () => {
    const child = spawn(process.execPath, [
      join(repo, 'bin/kalaja.js'),
      'score', '--framework', FRAMEWORK, '--answers', SAMPLES, '--format', 'json', '--explain',
    ]); // prettier-ignore
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    // Like `| head -1`: read the first chunk, then close the pipe.
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.destroy();
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});
