import { writeXlsx } from '@kalaja/engine/sheets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from './support/databases.js';
import { totpCode } from '../src/modules/auth/auth-totp.js';
import { PASSWORD, startHarness, type Client, type Harness } from './support/kalaja.js';

describe.each(DATABASES)('answers CSV in and out of a round on %s', (kind) => {
  let h: Harness;
  let admin: Client;
  let programmeId: string;
  let roundId: string;
  let orgId: string;

  beforeAll(async () => {
    h = await startHarness(kind);
    admin = await h.admin();
    const frameworkId = (await admin.get('/api/v1/frameworks')).json[0].id;
    const p = (
      await admin.post('/api/v1/programmes', {
        name: 'P',
        frameworkId,
        rounds: [{ name: 'baseline' }, { name: 'reassessment' }],
      })
    ).json;
    programmeId = p.id;
    roundId = p.rounds[0].id;
    orgId = (
      await admin.post(`/api/v1/programmes/${programmeId}/organisations`, {
        name: 'Zëri i Lirë',
        kind: 'media',
        sizeBand: '6-10',
        country: 'XK',
      })
    ).json.id;
    await admin.post(`/api/v1/programmes/${programmeId}/organisations`, {
      name: '=Glas',
      kind: 'media',
      sizeBand: '1-5',
      country: 'RS',
    });
  });

  afterAll(async () => {
    await h?.close();
  });

  const url = () => `/api/v1/programmes/${programmeId}/rounds/${roundId}/answers`;

  it('imports nothing when any line is wrong, and names every wrong line', async () => {
    const csv = [
      'organisation,round,question,answer,note',
      'Zëri i Lirë,baseline,access.mfa-email,none,"Only the director, so far"',
      'Zëri i Lirë,reassessment,access.password-manager,none,',
      'Nobody,baseline,access.password-manager,none,',
      'Zëri i Lirë,baseline,access.mfa-email,phishing-resistant,',
      'Zëri i Lirë,baseline,access.nothing,none,',
    ].join('\n');
    const r = await admin.post(url(), { csv });
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe('invalid_answers');
    const lines = r.json.error.details.map((d: { where: string }) => d.where);
    expect([...new Set(lines)]).toEqual(['line 3', 'line 4', 'line 5', 'line 6']);
    expect(r.json.error.details.map((d: { message: string }) => d.message).join('\n')).toMatch(
      /round "reassessment" is not this round/,
    );
    const progress = (await admin.get(`/api/v1/programmes/${programmeId}/progress`)).json;
    expect(progress.every((p: { completeness: number }) => p.completeness === 0)).toBe(true);
  });

  it('imports a valid file whole and exports the same answers back', async () => {
    const csv =
      'organisation,round,question,answer,note\nZëri i Lirë,baseline,access.mfa-email,none,"Only the director, so far"\nZëri i Lirë,baseline,backup.website,na,\n=Glas,baseline,access.mfa-email,phishing-resistant,\n';
    const r = await admin.post(url(), { csv });
    expect(r.json).toEqual({ organisations: 2, answers: 3, validated: 0 });
    // An export needs a sign-in within the last five minutes.
    h.clock.now += 6 * 60_000;
    const stale = await admin.get(`${url()}.csv`);
    expect([stale.status, stale.json.error.code]).toEqual([401, 'reauthentication_required']);
    h.clock.now += 31_000;
    const wrong = await admin.post('/api/v1/session/reauth', {
      password: 'not the password at all!',
      code: totpCode(admin.totpSecret!, h.clock.now),
    });
    expect(wrong.status).toBe(401);
    h.clock.now += 31_000;
    expect(
      (
        await admin.post('/api/v1/session/reauth', {
          password: PASSWORD,
          code: totpCode(admin.totpSecret!, h.clock.now),
        })
      ).status,
    ).toBe(204);
    const exported = await admin.get(`${url()}.csv`);
    expect(exported.headers['content-type']).toMatch(/^text\/csv/);
    const lines = exported.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines).toEqual([
      'organisation,round,question,answer,note',
      "'=Glas,baseline,access.mfa-email,phishing-resistant,",
      'Zëri i Lirë,baseline,access.mfa-email,none,"Only the director, so far"',
      'Zëri i Lirë,baseline,backup.website,na,',
    ]);
    const audit = (await admin.get(`/api/v1/audit?organisationId=${orgId}`)).json;
    expect(audit.map((a: { action: string }) => a.action)).toContain('answers.own.import');
    const all = (await admin.get('/api/v1/audit')).json;
    expect(all.map((a: { action: string }) => a.action)).toContain('answers.export');
  });

  const problemsOf = async (csv: string) => {
    const r = await admin.post(url(), { csv });
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe('invalid_answers');
    return r.json.error.details as { where: string; message: string }[];
  };

  it('imports its own export losslessly, whatever the separator or line ends', async () => {
    const exported = (await admin.get(`${url()}.csv`)).body as string;
    const before = exported.replace(/^\uFEFF/, '');
    for (const csv of [
      exported,
      before.replaceAll('\r\n', '\r'),
      before.replaceAll(',"Only the director, so far"', ';"Only the director, so far"').replaceAll(/,(?=[^ ])/g, ';'),
    ]) {
      const r = await admin.post(url(), { csv });
      expect([r.status, r.json]).toEqual([200, { organisations: 2, answers: 3, validated: 0 }]);
      const again = (await admin.get(`${url()}.csv`)).body;
      expect(again).toBe(exported);
    }
  });

  it('refuses a file with only a header, or none, instead of importing nothing', async () => {
    expect(await problemsOf('organisation,round,question,answer,note\r\n')).toEqual([
      { where: 'line 1', message: expect.stringMatching(/^the file has a header row but no answers/) },
    ]);
    expect(await problemsOf('\r\n')).toEqual([
      { where: 'line 1', message: expect.stringMatching(/^the file is empty/) },
    ]);
  });

  it('refuses text decoded with the wrong encoding, or binary, naming the line', async () => {
    const mangled = 'organisation,round,question,answer\nZ\uFFFDri i Lir\uFFFD,baseline,access.mfa-email,none\n';
    expect(await problemsOf(mangled)).toEqual([
      { where: 'line 2', message: expect.stringMatching(/^the file is not UTF-8: this line holds U\+FFFD/) },
    ]);
    const xlsx = `PK\u0003\u0004\u0014\u0000\u0006\u0000${'\uFFFD,"x'.repeat(200)}`;
    expect(await problemsOf(xlsx)).toEqual([
      { where: 'line 1', message: expect.stringMatching(/^this is not a CSV file \(it looks like an Excel workbook/) },
    ]);
  });

  it('quotes at most 80 characters of the file back in a message', async () => {
    const long = 'x'.repeat(5000);
    const [header] = await problemsOf(`organisation,round,question,${long}\nA,b,c,d\n`);
    expect(header!.message).toMatch(
      /^missing required column `answer` in the header row \(found: organisation, round, question, x+…\)$/,
    );
    expect(header!.message.length).toBeLessThan(200);
    const details = await problemsOf(`organisation,round,question,answer\n${long},${long},access.mfa-email,${long}\n`);
    for (const d of details) expect(d.message.length, d.message).toBeLessThan(250);
    expect(details.map((d) => d.message).join('\n')).toMatch(/organisation "x{79}…" does not take part/);
  });

  it('imports an .xlsx file sent as its bytes, naming each problem by its spreadsheet row', async () => {
    const base64 = (rows: string[][]) => Buffer.from(writeXlsx({ name: 'Answers', rows })).toString('base64');
    const rows = [
      ['organisation', 'round', 'question', 'answer', 'note'],
      [],
      ['Zëri i Lirë', 'baseline', 'access.mfa-email', 'none', 'Only the director, so far'],
      ['Zëri i Lirë', 'baseline', 'backup.website', 'na', ''],
      // The export's apostrophe, as a spreadsheet that opened the exported CSV keeps it.
      ["'=Glas", 'baseline', 'access.mfa-email', 'phishing-resistant', ''],
    ];
    const bad = await admin.post(url(), {
      spreadsheet: base64([...rows, ['Nobody', 'baseline', 'access.mfa-email', 'maybe']]),
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('invalid_answers');
    expect(bad.json.error.details).toEqual([
      { where: 'line 6', message: expect.stringMatching(/^question `access\.mfa-email` has no option `maybe`/) },
      { where: 'line 6', message: 'organisation "Nobody" does not take part in this programme' },
    ]);
    const before = (await admin.get(`${url()}.csv`)).body;
    const ok = await admin.post(url(), { spreadsheet: base64(rows) });
    expect([ok.status, ok.json]).toEqual([200, { organisations: 2, answers: 3, validated: 0 }]);
    expect((await admin.get(`${url()}.csv`)).body).toBe(before);
  });

  it('refuses a damaged spreadsheet plainly, and a body with both a CSV and a spreadsheet', async () => {
    const damaged = await admin.post(url(), {
      spreadsheet: Buffer.from('PK\u0003\u0004 not really').toString('base64'),
    });
    expect([damaged.status, damaged.json.error.details]).toEqual([
      400,
      [
        {
          where: 'file',
          message:
            'the spreadsheet cannot be read: it is not a complete zip archive (its directory at the end is missing)',
        },
      ],
    ]);
    const both = await admin.post(url(), { csv: 'organisation,round,question,answer\n', spreadsheet: 'UEsDBA==' });
    expect(both.status).toBe(400);
    const neither = await admin.post(url(), { layer: 'own' });
    expect(neither.status).toBe(400);
  });

  it('validates the assessments an import of the assessor\u2019s layer covers, so their results are final', async () => {
    const reassessment = (await admin.get(`/api/v1/programmes/${programmeId}`)).json.rounds[1].id;
    const into = `/api/v1/programmes/${programmeId}/rounds/${reassessment}/answers`;
    expect((await admin.post(`/api/v1/programmes/${programmeId}/rounds/${reassessment}/open`)).status).toBe(204);
    const r = await admin.post(into, {
      csv: 'organisation,round,question,answer,note\nZëri i Lirë,reassessment,access.mfa-email,phishing-resistant,Checked\n',
      layer: 'validated',
    });
    expect(r.json).toEqual({ organisations: 1, answers: 1, validated: 1 });
    const row = (await admin.get(`/api/v1/programmes/${programmeId}/progress`)).json.find(
      (x: { organisationId: string; roundId: string }) => x.organisationId === orgId && x.roundId === reassessment,
    );
    expect(row.status).toBe('validated');
    const other = (await admin.get(`/api/v1/programmes/${programmeId}/progress`)).json.find(
      (x: { organisationId: string; roundId: string }) => x.organisationId !== orgId && x.roundId === reassessment,
    );
    expect(other.status).toBe('draft');
    const audit = (await admin.get(`/api/v1/audit?organisationId=${orgId}`)).json.map(
      (a: { action: string }) => a.action,
    );
    expect(audit).toEqual(expect.arrayContaining(['answers.validated.import', 'assessment.validated']));
    // Validated is closed: neither layer can be imported over it again.
    const again = await admin.post(into, {
      csv: 'organisation,round,question,answer\nZëri i Lirë,reassessment,access.mfa-email,none\n',
      layer: 'validated',
    });
    expect(again.json.error.details[0].message).toMatch(
      /is validated; its validated answers can no longer be replaced/,
    );
  });
});
