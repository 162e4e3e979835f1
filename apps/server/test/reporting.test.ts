import { existsSync, readFileSync } from 'node:fs';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymousRoute } from '../src/http/app.js';
import { systemActor } from '../src/modules/access/access-types.js';
import { newReceipt, normaliseReceipt } from '../src/modules/reporting/reporting-service.js';
import { officeProperties, stripMetadata } from '../src/modules/reporting/reporting-strip.js';
import { DATABASES } from './support/databases.js';
import { startHarness, storedFiles, type Client, type Harness } from './support/kalaja.js';
import { form, type Part } from './support/multipart.js';

const WHAT = 'CANARY-report-what-8e1f: my phone showed a login from Skopje at 03:00';
const REPLY = 'CANARY-team-reply-3b7d: change your password and call us on Signal';
const MORE = 'CANARY-reporter-more-c42a: it happened again on Monday';
const ARTIST = 'CANARY-exif-artist-71d0';

/** A small JPEG that carries EXIF: an artist, a camera and a GPS position. */
async function jpegWithExif(): Promise<Buffer> {
  return sharp({ create: { width: 16, height: 16, channels: 3, background: '#c33' } })
    .jpeg()
    .withExif({
      IFD0: { Artist: ARTIST, Make: 'CanaryCam', Model: 'X100' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '42/1 39/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '21/1 9/1 0/1' },
    })
    .toBuffer();
}

describe('metadata stripping', () => {
  it('re-encodes a JPEG without its EXIF', async () => {
    const photo = await jpegWithExif();
    expect((await sharp(photo).metadata()).exif).toBeDefined();
    expect(photo.includes(Buffer.from(ARTIST))).toBe(true);
    const clean = await stripMetadata(photo, 'image/jpeg');
    const meta = await sharp(clean).metadata();
    expect(meta.exif).toBeUndefined();
    expect(meta.width).toBe(16);
    expect(Buffer.from(clean).includes(Buffer.from(ARTIST))).toBe(false);
  });

  it("removes a PDF's Info dictionary and XMP", async () => {
    const doc = await PDFDocument.create();
    doc.addPage([100, 100]);
    doc.setAuthor('CANARY-pdf-author');
    doc.setProducer('CANARY-pdf-producer');
    const clean = await stripMetadata(await doc.save(), 'application/pdf');
    expect(Buffer.from(clean).includes(Buffer.from('CANARY-pdf'))).toBe(false);
    const back = await PDFDocument.load(clean, { updateMetadata: false });
    expect(back.getAuthor()).toBeUndefined();
    expect(back.getPageCount()).toBe(1);
  });

  it("empties an Office file's document properties", async () => {
    const docx = zipSync({
      '[Content_Types].xml': strToU8('<Types/>'),
      'word/document.xml': strToU8('<w:document>the text stays</w:document>'),
      'docProps/core.xml': strToU8(
        '<cp:coreProperties><dc:creator>CANARY-docx-author</dc:creator></cp:coreProperties>',
      ),
      'docProps/app.xml': strToU8('<Properties><Company>CANARY-docx-company</Company></Properties>'),
    });
    const clean = await stripMetadata(docx, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(officeProperties(clean)).not.toContain('CANARY');
  });

  it('names nobody inside an Office or OpenDocument file: tracked changes, comments, people and revision ids', async () => {
    const docx = zipSync({
      '[Content_Types].xml': strToU8('<Types/>'),
      'word/document.xml': strToU8(
        '<w:document><w:body><w:p w:rsidR="00A1CANARY" w:rsidRDefault="00B2CANARY"><w:ins w:id="1" w:author="CANARY Reporter" w:date="2026-11-30T21:14:00+01:00"><w:r><w:t>the text stays</w:t></w:r></w:ins>' +
          '<w:del w:id="2" w:author=\'CANARY Reporter\' w:date="2026-11-30T21:15:00Z"><w:r><w:delText>cut</w:delText></w:r></w:del></w:p></w:body></w:document>',
      ),
      'word/comments.xml': strToU8(
        '<w:comments><w:comment w:id="0" w:author="CANARY Reporter" w:initials="CR" w:date="2026-11-30T21:16:00Z"><w:p><w:r><w:t>a comment stays</w:t></w:r></w:p></w:comment></w:comments>',
      ),
      'word/people.xml': strToU8(
        '<w15:people><w15:person w15:author="CANARY Reporter"><w15:presenceInfo w15:providerId="AD" w15:userId="S-1-5-21-CANARY"/></w15:person></w15:people>',
      ),
      'word/settings.xml': strToU8('<w:settings><w:rsids><w:rsidRoot w:val="00CANARY"/></w:rsids></w:settings>'),
    });
    const cleanDocx = await stripMetadata(
      docx,
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    );
    const xlsx = zipSync({
      'xl/comments1.xml': strToU8('<comments><authors><author>CANARY Reporter</author></authors></comments>'),
      'xl/persons/person.xml': strToU8(
        '<personList><person displayName="CANARY Reporter" userId="CANARY@org.example" providerId="AD"/></personList>',
      ),
    });
    const cleanXlsx = await stripMetadata(xlsx, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const odt = zipSync({
      mimetype: [strToU8('application/vnd.oasis.opendocument.text'), { level: 0 }],
      'content.xml': strToU8(
        '<office:text><text:tracked-changes><text:changed-region><text:insertion><office:change-info><dc:creator>CANARY Reporter</dc:creator><dc:date>2026-11-30T21:14:00</dc:date></office:change-info></text:insertion></text:changed-region></text:tracked-changes>' +
          '<text:p>the text stays<office:annotation><dc:creator>CANARY Reporter</dc:creator><text:p>a note stays</text:p></office:annotation></text:p></office:text>',
      ),
    });
    const cleanOdt = await stripMetadata(odt, 'application/vnd.oasis.opendocument.text');
    for (const clean of [cleanDocx, cleanXlsx, cleanOdt]) {
      const parts = Object.values(unzipSync(clean)).map((b) => strFromU8(b));
      expect(parts.join('\n')).not.toMatch(/CANARY|2026-11-30/);
    }
    const word = unzipSync(cleanDocx);
    expect(strFromU8(word['word/document.xml']!)).toContain('<w:t>the text stays</w:t>');
    expect(strFromU8(word['word/document.xml']!)).toContain('w:author=""');
    expect(strFromU8(word['word/comments.xml']!)).toContain('a comment stays');
    expect(strFromU8(unzipSync(cleanOdt)['content.xml']!)).toContain('a note stays');
  });

  it('makes receipt codes of 100 bits that survive being typed by hand', () => {
    const codes = new Set(Array.from({ length: 200 }, newReceipt));
    expect(codes.size).toBe(200);
    for (const c of codes) expect(c).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){3}$/);
    expect(normaliseReceipt(' 7k3qm xr2pa-9tnvd 4hwef ')).toBe('7K3QM-XR2PA-9TNVD-4HWEF');
    expect(normaliseReceipt('OOOOO-IIIII-LLLLL-00000')).toBe('00000-11111-11111-00000');
  });

  it('names the routes whose callers are never logged', () => {
    expect(anonymousRoute('/report')).toBe(true);
    expect(anonymousRoute('/report/follow')).toBe(true);
    expect(anonymousRoute('/api/v1/report-channel/reports')).toBe(true);
    // The page's own script chunk would say who opened it: no static file is logged with its caller.
    expect(anonymousRoute('/assets/report-pages-Ab12.js')).toBe(true);
    expect(anonymousRoute('/api/v1/reports')).toBe(false);
    expect(anonymousRoute('/api/v1/session')).toBe(false);
  });
});

describe.each(DATABASES)('the secure reporting channel (%s)', (kind) => {
  let h: Harness;
  let admin: Client;
  let receipt: string;
  let reportId: string;

  const submit = async (report: unknown, files: Part[] = [], address = '203.0.113.9') => {
    const body = form([{ name: 'report', value: JSON.stringify(report) }, ...files]);
    const res = await h.kalaja.app.inject({
      method: 'POST',
      url: '/api/v1/report-channel/reports',
      payload: body.payload,
      headers: { ...body.headers, 'user-agent': 'CANARY-UA-Firefox/1.0' },
      remoteAddress: address,
    });
    return { status: res.statusCode, json: res.json(), headers: res.headers };
  };
  const follow = async (code: string, address = '203.0.113.9', path = 'receipt', extra: object = {}) => {
    const res = await h.kalaja.app.inject({
      method: 'POST',
      url: `/api/v1/report-channel/${path}`,
      payload: { code, ...extra },
      headers: { 'user-agent': 'CANARY-UA-Firefox/1.0' },
      remoteAddress: address,
    });
    return { status: res.statusCode, json: res.json(), headers: res.headers, body: res.body };
  };

  beforeAll(async () => {
    h = await startHarness(kind);
    admin = await h.admin();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('is closed until an instance admin switches it on', async () => {
    expect((await h.client().get('/api/v1/report-channel')).json.enabled).toBe(false);
    expect((await submit({ what: 'x' })).status).toBe(404);
    const on = await admin.put('/api/v1/reporting/settings', { enabled: true, retentionDays: 30 });
    expect(on.status).toBe(200);
    const status = await h.client().get('/api/v1/report-channel?lang=sq');
    expect(status.json.enabled).toBe(true);
    expect(status.json.categories.length).toBeGreaterThan(10);
    expect(status.headers['set-cookie']).toBeUndefined();
  });

  it('takes a report with a photo, sets no cookie, and keeps no EXIF', async () => {
    const photo = await jpegWithExif();
    const r = await submit(
      { what: WHAT, when: 'last night', where: 'Prishtina', category: 'account-takeover', contact: 'receipt' },
      [{ name: 'file', filename: 'IMG_0001.jpg', type: 'image/jpeg', bytes: photo }],
    );
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    expect(r.headers['set-cookie']).toBeUndefined();
    expect(r.json.receipt).toMatch(/^[0-9A-Z]{5}(-[0-9A-Z]{5}){3}$/);
    expect(r.json.files).toEqual([expect.objectContaining({ name: 'IMG_0001.jpg', stripped: true })]);
    receipt = r.json.receipt;

    const list = await admin.get('/api/v1/reporting/reports');
    expect(list.status).toBe(200);
    expect(list.json).toHaveLength(1);
    reportId = list.json[0].id;
    const report = await admin.get(`/api/v1/reporting/reports/${reportId}`);
    expect(report.json).toMatchObject({ what: WHAT, where: 'Prishtina', category: 'account-takeover', status: 'open' });
    const download = await h.kalaja.app.inject({
      method: 'GET',
      url: `/api/v1/reporting/files/${report.json.files[0].id}`,
      headers: { cookie: admin.cookie! },
    });
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('image/jpeg');
    const meta = await sharp(download.rawPayload).metadata();
    expect(meta.exif).toBeUndefined();
    expect(meta.width).toBe(16);
    expect(download.rawPayload.includes(Buffer.from(ARTIST))).toBe(false);
  });

  it('lets the team reply and tag, and the reporter read it and add more with the code', async () => {
    expect((await admin.post(`/api/v1/reporting/reports/${reportId}/replies`, { text: REPLY })).status).toBe(201);
    const tagged = await admin.put(`/api/v1/reporting/reports/${reportId}/tags`, {
      tags: ['account-takeover', 'phishing'],
    });
    expect(tagged.json.tags).toEqual(['account-takeover', 'phishing']);
    const read = await follow(receipt.toLowerCase().replace(/-/g, ' '));
    expect(read.status).toBe(200);
    expect(read.headers['set-cookie']).toBeUndefined();
    expect(read.json).toMatchObject({ status: 'open', what: WHAT, messages: [{ from: 'team', text: REPLY }] });
    h.clock.now += 60_000;
    const body = form([
      { name: 'message', value: JSON.stringify({ code: receipt, text: MORE }) },
      { name: 'file', filename: 'second.jpg', type: 'image/jpeg', bytes: await jpegWithExif() },
    ]);
    const res = await h.kalaja.app.inject({
      method: 'POST',
      url: '/api/v1/report-channel/receipt/messages',
      payload: body.payload,
      headers: body.headers,
      remoteAddress: '203.0.113.9',
    });
    const more = { status: res.statusCode, json: res.json() };
    expect(more.status, res.body).toBe(201);
    expect(more.json.messages[1].files).toEqual([expect.objectContaining({ name: 'second.jpg', stripped: true })]);
    expect(more.json.messages.map((m: { from: string }) => m.from)).toEqual(['team', 'reporter']);
    const team = await admin.get(`/api/v1/reporting/reports/${reportId}`);
    expect(team.json.messages[1].text).toBe(MORE);
    const second = await h.kalaja.app.inject({
      method: 'GET',
      url: `/api/v1/reporting/files/${team.json.messages[1].files[0].id}`,
      headers: { cookie: admin.cookie! },
    });
    expect((await sharp(second.rawPayload).metadata()).exif).toBeUndefined();
    // A closed report takes nothing more; a wrong code in the form is answered as any wrong code.
    const wrong = form([{ name: 'message', value: JSON.stringify({ code: 'AAAAA-AAAAA-AAAAA-AAAAA', text: 'x' }) }]);
    const refused = await h.kalaja.app.inject({
      method: 'POST',
      url: '/api/v1/report-channel/receipt/messages',
      payload: wrong.payload,
      headers: wrong.headers,
      remoteAddress: '203.0.113.77',
    });
    expect(refused.statusCode).toBe(404);
  });

  it('never looks at the session of a reporter who is signed in: its last use is not moved', async () => {
    const seen = async () =>
      (await h.kalaja.database.db.selectFrom('sessions').select('last_seen_at').execute()).map((r) =>
        Number(r.last_seen_at),
      );
    const before = await seen();
    const ids = async () =>
      (await h.kalaja.database.db.selectFrom('incident_reports').select('id').execute()).map((r) => r.id);
    const had = await ids();
    h.clock.now += 10 * 60_000;
    const body = form([{ name: 'report', value: JSON.stringify({ what: 'from a signed-in browser' }) }]);
    const res = await h.kalaja.app.inject({
      method: 'POST',
      url: '/api/v1/report-channel/reports',
      payload: body.payload,
      headers: { ...body.headers, cookie: admin.cookie! },
      remoteAddress: '203.0.113.200',
    });
    expect(res.statusCode).toBe(201);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(await seen()).toEqual(before);
    // Out of the way of the tests below, which count the reports.
    for (const id of (await ids()).filter((x) => !had.includes(x))) await h.kalaja.stores.reporting.remove(id);
  });

  it('refuses an unknown category, a refused type and an oversized file, storing nothing', async () => {
    const before = (await admin.get('/api/v1/reporting/reports')).json.length;
    const filesBefore = (await storedFiles(h, 'incident-reports')).size;
    const bad = await submit({ what: 'x', category: 'alien-abduction' }, [], '198.51.100.1');
    expect(bad.status).toBe(400);
    expect(bad.json.error.details).toEqual([{ where: 'category', message: 'no such category: alien-abduction' }]);
    const exe = await submit(
      { what: 'x' },
      [
        {
          name: 'file',
          filename: 'a.exe',
          type: 'application/octet-stream',
          bytes: Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff', 'latin1'),
        },
      ],
      '198.51.100.1',
    );
    expect(exe.status).toBe(415);
    const big = await submit(
      { what: 'x' },
      [{ name: 'file', filename: 'big.txt', type: 'text/plain', bytes: Buffer.alloc(10 * 1024 * 1024 + 1, 'a') }],
      '198.51.100.1',
    );
    expect(big.status).toBe(413);
    expect((await admin.get('/api/v1/reporting/reports')).json.length).toBe(before);
    expect((await storedFiles(h, 'incident-reports')).size).toBe(filesBefore);
  });

  it('answers a guessed code as an unknown one, no sooner than the floor, and throttles from memory', async () => {
    const started = performance.now();
    const wrong = await follow('7K3QM-XR2PA-9TNVD-4HWEF', '192.0.2.50');
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    const garbage = await follow('hello', '192.0.2.50');
    expect(wrong.status).toBe(404);
    expect(garbage.status).toBe(404);
    expect(garbage.json.error.message).toBe(wrong.json.error.message);
    for (let i = 0; i < 3; i++) await follow(`AAAAA-AAAAA-AAAAA-AAAA${i}`, '192.0.2.50');
    const blocked = await follow(receipt, '192.0.2.50');
    expect(blocked.status).toBe(429);
    // Another address is not held back; the count lives in memory, not in the database.
    expect((await follow(receipt, '192.0.2.51')).status).toBe(200);
  });

  it('lets only the team read, and audits what it does without the content', async () => {
    const programme = (
      await admin.post('/api/v1/programmes', {
        name: 'P',
        frameworkId: (await admin.get('/api/v1/frameworks')).json[0].id,
        rounds: [{ name: 'baseline' }],
      })
    ).json.id;
    const manager = await h.join(admin, { email: 'pm@x.test', role: 'programme_manager', programmeId: programme });
    expect((await manager.get('/api/v1/reporting/membership')).json).toEqual({ team: false, admin: false });
    expect((await manager.get('/api/v1/reporting/reports')).status).toBe(403);
    expect((await manager.get(`/api/v1/reporting/reports/${reportId}`)).status).toBe(403);
    expect((await manager.put('/api/v1/reporting/settings', { enabled: false, retentionDays: 1 })).status).toBe(403);
    expect((await admin.post('/api/v1/reporting/receivers', { userId: manager.userId })).status).toBe(200);
    expect((await manager.get('/api/v1/reporting/membership')).json).toEqual({ team: true, admin: false });
    expect((await manager.get('/api/v1/reporting/reports')).json).toHaveLength(1);
    expect((await manager.put('/api/v1/reporting/settings', { enabled: false, retentionDays: 1 })).status).toBe(403);
    const audit = await h.kalaja.database.db
      .selectFrom('audit_log')
      .select(['action', 'object_id'])
      .where('action', 'like', 'reporting.%')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining([
        'reporting.settings',
        'reporting.report.read',
        'reporting.report.reply',
        'reporting.report.tag',
        'reporting.file.read',
        'reporting.receiver.add',
      ]),
    );
  });

  it('keeps no report text, reply or receipt code in clear in the database, the files or the logs', async () => {
    const canaries = [WHAT, REPLY, MORE, receipt, receipt.replace(/-/g, ''), ARTIST, 'Prishtina'];
    const dump: Buffer[] = [];
    for (const table of [
      'incident_reports',
      'incident_report_messages',
      'incident_report_files',
      'instance',
      'audit_log',
    ] as const) {
      const rows = await h.kalaja.database.db.selectFrom(table).selectAll().execute();
      dump.push(
        Buffer.from(
          JSON.stringify(rows, (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v)),
          'latin1',
        ),
      );
    }
    for (const body of (await storedFiles(h, 'incident-reports')).values()) dump.push(body);
    // On SQLite, the database file and its write-ahead log byte by byte, as canary.test.ts reads them.
    if (kind === 'sqlite') {
      const file = (h.test.config as { file: string }).file;
      for (const f of [file, `${file}-wal`]) if (existsSync(f)) dump.push(readFileSync(f));
    }
    const logs = h.logs.join('');
    for (const c of canaries) {
      for (const d of dump) expect(d.includes(Buffer.from(c)), c).toBe(false);
      expect(logs, c).not.toContain(c);
    }
  });

  it('logs no client address or browser for the channel, and still does for other routes', () => {
    const lines = h.logs
      .join('')
      .split('\n')
      .filter((l) => l.includes('/api/v1/report-channel'));
    expect(lines.length).toBeGreaterThan(3);
    for (const l of lines) {
      expect(l).not.toMatch(/203\.0\.113|198\.51\.100|192\.0\.2/);
      expect(l).not.toContain('remoteAddress');
      expect(l).not.toContain('remotePort');
    }
    expect(h.logs.join('')).not.toContain('CANARY-UA');
    expect(
      h.logs
        .join('')
        .split('\n')
        .some((l) => l.includes('/api/v1/setup') && l.includes('remoteAddress')),
    ).toBe(true);
  });

  it('deletes closed reports past the retention with their keys and files', async () => {
    expect((await admin.post(`/api/v1/reporting/reports/${reportId}/close`)).json.status).toBe('closed');
    expect((await follow(receipt, '192.0.2.99')).json.status).toBe('closed');
    expect(await h.kalaja.services.reporting.sweep(systemActor('test'))).toBe(0);
    h.clock.now += 31 * 86_400_000;
    expect(await h.kalaja.services.reporting.sweep(systemActor('test'))).toBe(1);
    // The admin's session has expired by now: the database says what is left.
    const db = h.kalaja.database.db;
    expect(await db.selectFrom('incident_reports').selectAll().execute()).toHaveLength(0);
    expect(await db.selectFrom('incident_report_messages').selectAll().execute()).toHaveLength(0);
    expect((await storedFiles(h, 'incident-reports')).size).toBe(0);
    expect((await follow(receipt, '192.0.2.99')).status).toBe(404);
  });
});
