import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { csvLine, loadFramework, parseAnswersCsv, parseCsv, textFor } from '@kalaja/engine';
import { writeXlsx } from '@kalaja/engine/sheets';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { loadConfig } from '../src/config.js';
import { systemActor } from '../src/modules/access/access-types.js';
import { createKalaja, DEFAULT_FRAMEWORK } from '../src/server.js';

/**
 * `kalaja import-answers` on the mistakes a whole file makes at once — two rounds in one file,
 * option labels for ids, a programme id mistyped: each said once, not once per line.
 */

const repo = new URL('../../../', import.meta.url).pathname;
const SAMPLES = join(repo, 'content/samples/answers.csv');
let env: Record<string, string>;
let programmeId: string;

async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) }, env);
  return { code, stdout, stderr };
}

const write = (name: string, text: string | Uint8Array) => {
  const path = join(env.KALAJA_DATA_DIR!, name);
  writeFileSync(path, text);
  return path;
};

beforeAll(async () => {
  env = { KALAJA_DATA_DIR: mkdtempSync(join(tmpdir(), 'kalaja-import-')) };
  const kalaja = await createKalaja({ ...loadConfig(env), logLevel: 'silent' });
  try {
    const system = systemActor('test');
    const fw = (await kalaja.services.frameworks.list(system)).find((f) => f.key === 'cso-media')!;
    const programme = await kalaja.services.programmes.create(system, {
      name: 'Newsroom security 2027',
      frameworkId: fw.id,
      rounds: [{ name: 'baseline' }, { name: 'reassessment' }],
    });
    programmeId = programme.id;
    const names = new Set(parseAnswersCsv(readFileSync(SAMPLES, 'utf8'), 'a.csv').records.map((r) => r.organisation));
    for (const name of names)
      await kalaja.services.programmes.addOrganisation(system, programmeId, {
        name,
        kind: 'media',
        sizeBand: '1-5',
        municipality: '',
        country: 'XK',
        focus: '',
        languages: [],
      });
    await kalaja.services.rounds.open(system, programmeId, programme.rounds[1]!.id);
  } finally {
    await kalaja.close();
  }
});

describe('kalaja import-answers', () => {
  it('says once that a file holds two rounds, and imports the round --round names', async () => {
    const all = await run('import-answers', '--programme', programmeId, '--answers', SAMPLES);
    expect(all.code).toBe(1);
    expect(all.stderr).toBe(
      `kalaja import-answers: ${SAMPLES} holds rounds "baseline" and "reassessment"; pass --round to import one of them (e.g. --round baseline), or split the file by round\n`,
    );
    const baseline = await run(
      'import-answers',
      '--programme',
      programmeId,
      '--answers',
      SAMPLES,
      '--round',
      'baseline',
    );
    expect(baseline.stderr).toBe('');
    expect(baseline.code).toBe(0);
    expect(baseline.stdout).toMatch(/^Imported \d+ answers for 10 organisations into round "baseline"\.\n/);
    expect(baseline.stdout).toMatch(/Left out \d+ rows of round "reassessment": import it with --round\.\n$/);
  });

  it('imports an .xlsx file, one round of several, naming problems by their spreadsheet row', async () => {
    const rows = parseCsv(readFileSync(SAMPLES, 'utf8'), 'a.csv').records.map((r) => r.fields);
    // Two blank rows above the header: every row number below it moves down by two.
    const sheet = (edit: (rows: string[][]) => void = () => {}) => {
      const copy = [[], [], ...rows.map((r) => [...r])];
      edit(copy);
      return writeXlsx({ name: 'Odgovori', rows: copy });
    };
    const book = write('answers.xlsx', sheet());
    const r = await run('import-answers', '--programme', programmeId, '--answers', book, '--round', 'reassessment');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Imported \d+ answers for 10 organisations into round "reassessment"\.\n/);
    expect(r.stdout).toMatch(/Left out \d+ rows of round "baseline": import it with --round\.\n$/);

    const last = rows.length + 2;
    const bad = write(
      'bad.xlsx',
      sheet((copy) => {
        copy[last - 1]![0] = 'Nobody Newsroom';
        copy[last - 1]![1] = 'reassessment';
      }),
    );
    const wrong = await run('import-answers', '--programme', programmeId, '--answers', bad, '--round', 'reassessment');
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain(
      `${bad}:${last}: organisation "Nobody Newsroom" does not take part in this programme\n`,
    );
  });

  it('names the programmes there are for an id that is none of them', async () => {
    const r = await run('import-answers', '--programme', 'nosuch', '--answers', SAMPLES, '--round', 'baseline');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no such programme "nosuch"');
    expect(r.stderr).toContain(programmeId);
    expect(r.stderr).toContain('Newsroom security 2027');
    const listed = await run('programmes');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(
      new RegExp(`${programmeId}\\s+Newsroom security 2027\\s+cso-media 2\\.0\\.0\\s+baseline, reassessment`),
    );
    const round = await run('import-answers', '--programme', programmeId, '--answers', SAMPLES, '--round', 'final');
    expect(round.stderr).toContain('has no round "final"; its rounds: "baseline" and "reassessment"');
  });

  it('explains option labels written for ids once, not on every line', async () => {
    const loaded = loadFramework(readFileSync(DEFAULT_FRAMEWORK, 'utf8'), { file: 'fw.yaml' });
    if (!loaded.ok) throw new Error('framework');
    const options = new Map(loaded.value.domains.flatMap((d) => d.questions).map((q) => [q.id, q.options]));
    const rows = parseAnswersCsv(readFileSync(SAMPLES, 'utf8'), 'a.csv').records.filter(
      (r) => r.round === 'reassessment',
    );
    const lines = [csvLine(['organisation', 'round', 'question', 'answer'])];
    for (const r of rows) {
      const option = options.get(r.question)?.find((o) => o.id === r.answer);
      lines.push(csvLine([r.organisation, r.round, r.question, option ? textFor(option.label) : r.answer]));
    }
    const labelled = write('labels.csv', `${lines.join('\n')}\n`);
    const r = await run('import-answers', '--programme', programmeId, '--answers', labelled);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(
      /: \d+ answers are option labels, not option ids \(line 2: ".+" is option `[a-z-]+` of `[a-z.-]+`\)/,
    );
  });

  it('prints a problem repeated on many lines once, with its lines', async () => {
    const rows = ['organisation,round,question,answer'];
    for (const q of ['governance.security-lead', 'governance.leadership', 'access.mfa-email', 'devices.inventory'])
      rows.push(`Nobody Newsroom,baseline,${q},`);
    const bad = write('nobody.csv', `${rows.join('\n')}\n`);
    const r = await run('import-answers', '--programme', programmeId, '--answers', bad);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `${bad}: lines 2, 3, 4, 5: organisation "Nobody Newsroom" does not take part in this programme\n`,
    );
    expect(r.stderr.match(/does not take part/g)).toHaveLength(1);
  });
});

describe('kalaja demo', () => {
  it('loads the demo once; run again, it says where the demo is', async () => {
    const first = await run('demo');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^Loaded the demo programme \(([\w-]+)\): 10 organisations/);
    const id = /\(([\w-]+)\)/.exec(first.stdout)![1]!;
    const again = await run('demo');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(
      `The demo programme is already in this instance (SQLite at ${env.KALAJA_DATA_DIR}/kalaja.sqlite)`,
    );
    expect(again.stdout).toContain(`id ${id}`);
    expect(again.stdout).toContain(`/programmes/${id}`);
    const listed = await run('programmes');
    expect(listed.stdout.match(/Demo programme/g)).toHaveLength(1);
  });
});

describe('links printed by instance commands', () => {
  it('name the address of the server running on the data directory, not the default port', async () => {
    // A server started with PORT=8123 marks the data directory with its address; this shell has no PORT.
    const { holdDataDir } = await import('../src/ops/server-lock.js');
    const kalaja = await createKalaja({ ...loadConfig(env), logLevel: 'silent' });
    try {
      const token = kalaja.setupToken!;
      await kalaja.services.signIn.setup(
        { token, email: 'admin@x.test', displayName: 'Admin', password: 'correct horse battery staple' },
        'test',
        'req-1',
      );
    } finally {
      await kalaja.close();
    }
    const release = holdDataDir(env.KALAJA_DATA_DIR!, 'http://127.0.0.1:8123');
    try {
      const reset = await run('users', 'reset-second-factor', '--email', 'admin@x.test');
      expect(reset.code).toBe(0);
      expect(reset.stdout).toMatch(/\nhttp:\/\/127\.0\.0\.1:8123\/recover#\S+\n/);
      await run('demo'); // loaded here, or already by the test before
      const r = await run('demo');
      expect(r.stdout).toContain('Open it at http://127.0.0.1:8123/programmes/');
      const named = await main(
        ['demo'],
        { stdout: (t) => void (r.stdout = t), stderr: () => undefined },
        { ...env, KALAJA_PUBLIC_URL: 'https://kalaja.example.org' },
      );
      expect(named).toBe(0);
      expect(r.stdout).toContain('Open it at https://kalaja.example.org/programmes/');
    } finally {
      release();
    }
  });
});
