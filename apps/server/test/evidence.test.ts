import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../src/http/app.js';
import { installSessions } from '../src/http/session.js';
import type { Actor } from '../src/modules/access/access-types.js';
import { contentDisposition, evidenceRoutes } from '../src/modules/evidence/evidence-routes.js';
import { evidenceDirectory } from '../src/modules/evidence/evidence-files.js';
import { evidenceName, startsWithMarkup } from '../src/modules/evidence/evidence-fns.js';
import { evidenceService, type EvidenceService } from '../src/modules/evidence/evidence-service.js';
import type { EvidenceUpload } from '../src/modules/evidence/evidence-types.js';
import { DATABASES } from './support/databases.js';
import { startHarness, type Client, type Harness } from './support/kalaja.js';
import { form } from './support/multipart.js';

const ORG = {
  kind: 'cso',
  sizeBand: '6-10',
  municipality: 'Prishtinë',
  country: 'XK',
  focus: 'election monitoring',
  languages: ['sq', 'en'],
} as const;

const CANARY = 'KALAJA-CONTENT-CANARY-5d1f';
const NAME_CANARY = 'KALAJA-NAME-CANARY-93ab';

/** A tiny but well-formed PDF, with something to look for inside it. */
const pdf = (marker = CANARY) =>
  Buffer.from(
    `%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n% ${marker}\ntrailer << /Root 1 0 R >>\n%%EOF\n`,
  );
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);
const EXE = Buffer.concat([
  Buffer.from('MZ'),
  Buffer.alloc(126),
  Buffer.from('This program cannot be run in DOS mode.'),
]);

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (b: Buffer) => {
  let c = 0xffffffff;
  for (const x of b) c = CRC_TABLE[(c ^ x) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};

/** A stored (uncompressed) ZIP archive: enough to make DOCX and ODT files that file-type recognises. */
function zip(entries: [string, string][]): Buffer {
  const local: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of entries) {
    const data = Buffer.from(text);
    const n = Buffer.from(name);
    const crc = crc32(data);
    const h = Buffer.alloc(30);
    h.writeUInt32LE(0x04034b50, 0);
    h.writeUInt16LE(20, 4);
    h.writeUInt32LE(crc, 14);
    h.writeUInt32LE(data.length, 18);
    h.writeUInt32LE(data.length, 22);
    h.writeUInt16LE(n.length, 26);
    local.push(h, n, data);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(20, 4);
    c.writeUInt16LE(20, 6);
    c.writeUInt32LE(crc, 16);
    c.writeUInt32LE(data.length, 20);
    c.writeUInt32LE(data.length, 24);
    c.writeUInt16LE(n.length, 28);
    c.writeUInt32LE(offset, 42);
    central.push(c, n);
    offset += 30 + n.length + data.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...local, directory, end]);
}

const DOCX = zip([
  [
    '[Content_Types].xml',
    '<Types><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
  ],
  ['word/document.xml', '<w:document/>'],
]);
const ODT = zip([
  ['mimetype', 'application/vnd.oasis.opendocument.text'],
  ['content.xml', '<office:document-content/>'],
]);

interface Reply {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  raw: Buffer;
}

describe.each(DATABASES)('evidence files on %s', (kind) => {
  let h: Harness;
  let admin: Client;
  let memberA: Client & { userId: string };
  let colleagueA: Client & { userId: string };
  let memberB: Client & { userId: string };
  let assessor: Client & { userId: string };
  let programmeId: string;
  let assessmentA: string;
  let assessmentA2: string;
  let assessmentB: string;
  let dir: string;
  let service: EvidenceService;
  let app: FastifyInstance;
  const logs: string[] = [];

  const actor = (c: { userId: string }): Promise<Actor> =>
    h.kalaja.services.signIn.loadActor(
      { id: 'test', userId: c.userId, isInstanceAdmin: false, reauthAt: h.clock.now },
      'req',
    );

  /** The evidence service's stores and services, as the composition root gives them, with files in `dir`. */
  const evidenceDeps = () => ({
    evidence: h.kalaja.stores.evidence,
    files: evidenceDirectory(dir),
    assessments: h.kalaja.stores.assessments,
    programmes: h.kalaja.stores.programmes,
    frameworks: h.kalaja.services.frameworks,
    audit: h.kalaja.stores.audit,
    rounds: h.kalaja.services.rounds,
  });

  /** A request to the evidence app, with the client's session cookie. */
  async function call(
    c: Client | undefined,
    method: 'GET' | 'POST' | 'DELETE',
    url: string,
    body: { payload?: Buffer | string; headers?: Record<string, string> } = {},
  ): Promise<Reply> {
    const res = await app.inject({
      method,
      url,
      headers: { ...(c?.cookie ? { cookie: c.cookie } : {}), ...body.headers },
      ...(body.payload !== undefined && { payload: body.payload }),
    });
    let json: unknown;
    try {
      json = JSON.parse(res.body);
    } catch {
      json = undefined;
    }
    return { status: res.statusCode, headers: res.headers, json, raw: res.rawPayload };
  }

  const upload = (
    c: Client,
    assessmentId: string,
    file: { filename: string; type?: string; bytes: Buffer },
    fields: Record<string, string> = {},
  ) =>
    call(
      c,
      'POST',
      `/api/v1/assessments/${assessmentId}/evidence`,
      form([...Object.entries(fields).map(([name, value]) => ({ name, value })), { name: 'file', ...file }]),
    );

  /** How many evidence rows and files (temporary ones included) exist. */
  async function stored() {
    const rows = await h.kalaja.database.db.selectFrom('evidence').select('id').execute();
    return { rows: rows.length, files: readdirSync(dir).length };
  }

  beforeAll(async () => {
    h = await startHarness(kind);
    admin = await h.admin();
    const frameworks = await admin.get('/api/v1/frameworks');
    const created = await admin.post('/api/v1/programmes', {
      name: 'KnowCyber 2026',
      frameworkId: frameworks.json[0].id,
      rounds: [{ name: 'baseline' }, { name: 'reassessment' }],
    });
    programmeId = created.json.id;
    const roundIds = created.json.rounds.map((r: { id: string }) => r.id);
    const orgA = (await admin.post(`/api/v1/programmes/${programmeId}/organisations`, { ...ORG, name: 'Zëri i Lirë' }))
      .json.id;
    const orgB = (
      await admin.post(`/api/v1/programmes/${programmeId}/organisations`, {
        ...ORG,
        name: 'Glas Severa',
        kind: 'media',
      })
    ).json.id;
    memberA = await h.join(admin, {
      email: 'director@zeri.test',
      role: 'org_admin',
      programmeId,
      organisationId: orgA,
    });
    colleagueA = await h.join(admin, {
      email: 'staff@zeri.test',
      role: 'org_member',
      programmeId,
      organisationId: orgA,
    });
    memberB = await h.join(admin, { email: 'editor@glas.test', role: 'org_member', programmeId, organisationId: orgB });
    assessor = await h.join(admin, { email: 'assessor@arcus.test', role: 'assessor', programmeId });
    await admin.post(`/api/v1/programmes/${programmeId}/assessors`, { userId: assessor.userId, organisationId: orgA });
    // The reassessment takes files too once it is open.
    await admin.post(`/api/v1/programmes/${programmeId}/rounds/${roundIds[1]}/open`);
    const progress = (await admin.get(`/api/v1/programmes/${programmeId}/progress`)).json as {
      organisationId: string;
      roundId: string;
      assessmentId: string;
    }[];
    const find = (org: string, round: string) =>
      progress.find((r) => r.organisationId === org && r.roundId === round)!.assessmentId;
    assessmentA = find(orgA, roundIds[0]);
    assessmentA2 = find(orgA, roundIds[1]);
    assessmentB = find(orgB, roundIds[0]);

    dir = mkdtempSync(join(tmpdir(), 'kalaja-evidence-'));
    service = evidenceService(h.kalaja.context, evidenceDeps());
    const auth = h.kalaja.services.signIn;
    app = await buildApp({
      config: { logLevel: 'info', publicUrl: h.config.publicUrl },
      ping: async () => undefined,
      logStream: new Writable({
        write(chunk, _enc, done) {
          logs.push(String(chunk));
          done();
        },
      }),
      routes: [
        (a) => installSessions(a, auth, { secureCookies: false, publicUrl: h.config.publicUrl }),
        evidenceRoutes(service),
      ],
    });
  });

  afterAll(async () => {
    await app?.close();
    await h?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('stores a PDF and gives back the same bytes under its name, with headers that keep it a download', async () => {
    const bytes = pdf();
    const r = await upload(
      memberA,
      assessmentA,
      { filename: 'Politika e sigurisë (2026).pdf', type: 'application/pdf', bytes },
      { question: 'access.mfa-email' },
    );
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({
      question: 'access.mfa-email',
      domain: 'access',
      name: 'Politika e sigurisë (2026).pdf',
      mediaType: 'application/pdf',
      size: bytes.length,
      uploadedBy: memberA.userId,
    });

    const list = await call(assessor, 'GET', `/api/v1/assessments/${assessmentA}/evidence`);
    expect(list.status).toBe(200);
    expect(list.json).toEqual([r.json]);

    const down = await call(assessor, 'GET', `/api/v1/evidence/${r.json.id}`);
    expect(down.status).toBe(200);
    expect(down.raw.equals(bytes)).toBe(true);
    expect(down.headers['content-type']).toBe('application/pdf');
    expect(down.headers['content-disposition']).toBe(
      "attachment; filename*=UTF-8''Politika%20e%20siguris%C3%AB%20%282026%29.pdf",
    );
    expect(down.headers['x-content-type-options']).toBe('nosniff');
    expect(down.headers['cache-control']).toBe('no-store');
    // Each download leaves a trace in the audit log, naming who took the file.
    const audited = await h.kalaja.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'evidence.download')
      .where('object_id', '=', r.json.id)
      .execute();
    expect(audited).toHaveLength(1);
    expect(audited[0]).toMatchObject({ actor_id: assessor.userId });
  });

  it('keeps neither the content nor the name in clear on disk, in the database or in the log', async () => {
    const r = await upload(memberA, assessmentA, {
      filename: `${NAME_CANARY}.pdf`,
      type: 'application/pdf',
      bytes: pdf(CANARY),
    });
    expect(r.status).toBe(201);
    const path = join(dir, r.json.id);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    for (const file of readdirSync(dir)) {
      const content = readFileSync(join(dir, file));
      expect(content.includes(Buffer.from(CANARY))).toBe(false);
      expect(content.includes(Buffer.from(NAME_CANARY))).toBe(false);
      expect(content.includes(Buffer.from('%PDF'))).toBe(false);
    }
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const row = await h.kalaja.database.db
      .selectFrom('evidence')
      .selectAll()
      .where('id', '=', r.json.id)
      .executeTakeFirstOrThrow();
    expect(Buffer.from(row.name_sealed).includes(Buffer.from(NAME_CANARY))).toBe(false);
    expect(row).toMatchObject({ media_type: 'application/pdf', question_id: null, domain_id: null });
    expect((await call(memberA, 'GET', `/api/v1/evidence/${r.json.id}`)).raw.includes(Buffer.from(CANARY))).toBe(true);
    expect(logs.join('\n')).not.toContain(NAME_CANARY);
    expect(h.logs.join('\n')).not.toContain(NAME_CANARY);
  });

  it('refuses a PDF declared as PNG, an executable and an HTML page declared as text, and writes nothing', async () => {
    const before = await stored();
    const cases = [
      { filename: 'photo.png', type: 'image/png', bytes: pdf() },
      { filename: 'report.pdf', type: 'application/pdf', bytes: EXE },
      { filename: 'setup.exe', type: 'application/octet-stream', bytes: EXE },
      {
        filename: 'notes.txt',
        type: 'text/plain',
        bytes: Buffer.from('<!DOCTYPE html>\n<html><body><script>fetch("/api/v1/me")</script></body></html>\n'),
      },
      { filename: 'drawing.svg', type: 'text/plain', bytes: Buffer.from('  <svg onload="alert(1)"></svg>') },
      { filename: 'archive.zip', type: 'application/zip', bytes: zip([['a.txt', 'hello']]) },
      { filename: 'latin1.txt', type: 'text/plain', bytes: Buffer.from('Zëri', 'latin1') },
      { filename: 'nul.txt', type: 'text/plain', bytes: Buffer.from('a\u0000b') },
      { filename: 'data.json', type: 'application/json', bytes: Buffer.from('{"a":1}') },
    ];
    for (const file of cases) {
      const r = await upload(memberA, assessmentA, file);
      expect(r.status, file.filename).toBe(415);
      expect(r.json.error.code).toBe('unsupported_media_type');
      expect(r.json.error.message).toMatch(/^[A-Z][^{}<>]+\.$/);
    }
    expect(await stored()).toEqual(before);
  });

  it('accepts images, office documents and UTF-8 text by their content, and serves text as plain text', async () => {
    const accepted = [
      { filename: 'screenshot.png', type: 'image/png', bytes: PNG, mediaType: 'image/png' },
      {
        filename: 'policy.docx',
        type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        bytes: DOCX,
        mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      },
      {
        filename: 'plan.odt',
        type: 'application/octet-stream',
        bytes: ODT,
        mediaType: 'application/vnd.oasis.opendocument.text',
      },
      {
        filename: 'inventory.csv',
        type: 'application/vnd.ms-excel',
        bytes: Buffer.from('device,owner\nlaptop,Arta\n'),
        mediaType: 'text/plain',
      },
    ];
    for (const file of accepted) {
      const r = await upload(memberA, assessmentA, file);
      expect(r.status, file.filename).toBe(201);
      expect(r.json).toMatchObject({ name: file.filename, mediaType: file.mediaType });
    }
    // A report that quotes markup is text, not a page: it is served as plain text, as an attachment.
    const report = Buffer.from('# Findings\n\nThe contact form reflects `<script>alert(1)</script>` unescaped.\n');
    const r = await upload(assessor, assessmentA, { filename: 'findings.md', type: 'text/markdown', bytes: report });
    expect(r.status).toBe(201);
    const down = await call(memberA, 'GET', `/api/v1/evidence/${r.json.id}`);
    expect(down.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(down.headers['content-disposition']).toBe("attachment; filename*=UTF-8''findings.md");
    expect(down.raw.equals(report)).toBe(true);
  });

  it('gives a file whose name hides its type an extension that matches its content', async () => {
    const r = await upload(memberA, assessmentA, {
      filename: 'invoice\u202Efdp.html',
      type: 'application/pdf',
      bytes: pdf(),
    });
    expect(r.status).toBe(201);
    expect(r.json.name).toBe('invoicefdp.html.pdf');
  });

  it('refuses a 21 MiB file with 413 and writes nothing', async () => {
    const before = await stored();
    const big = Buffer.alloc(21 * 1024 * 1024, 0x20);
    pdf().copy(big);
    const r = await upload(memberA, assessmentA, { filename: 'scan.pdf', type: 'application/pdf', bytes: big });
    expect(r.status).toBe(413);
    expect(r.json.error).toMatchObject({ code: 'payload_too_large', message: 'The file is larger than 20 MiB.' });
    expect(await stored()).toEqual(before);
  });

  it('answers another organisation\u2019s member with the same 404 as a missing id, on upload, list, download and delete', async () => {
    const mine = await upload(memberA, assessmentA, { filename: 'a.pdf', type: 'application/pdf', bytes: pdf() });
    const before = await stored();
    const missing = 'AAAAAAAAAAAAAAAAAAAAAA';
    const pairs: [Reply, Reply][] = [
      [
        await upload(memberB, assessmentA, { filename: 'b.pdf', type: 'application/pdf', bytes: pdf() }),
        await upload(memberB, missing, { filename: 'b.pdf', type: 'application/pdf', bytes: pdf() }),
      ],
      [
        await call(memberB, 'GET', `/api/v1/assessments/${assessmentA}/evidence`),
        await call(memberB, 'GET', `/api/v1/assessments/${missing}/evidence`),
      ],
      [
        await call(memberB, 'GET', `/api/v1/evidence/${mine.json.id}`),
        await call(memberB, 'GET', `/api/v1/evidence/${missing}`),
      ],
      [
        await call(memberB, 'DELETE', `/api/v1/evidence/${mine.json.id}`),
        await call(memberB, 'DELETE', `/api/v1/evidence/${missing}`),
      ],
      [
        await upload(assessor, assessmentB, { filename: 'c.pdf', type: 'application/pdf', bytes: pdf() }),
        await upload(assessor, missing, { filename: 'c.pdf', type: 'application/pdf', bytes: pdf() }),
      ],
    ];
    for (const [foreign, absent] of pairs) {
      expect(foreign.status).toBe(404);
      expect(foreign.json.error.code).toBe(absent.json.error.code);
      expect(foreign.json.error.message).toBe(absent.json.error.message);
    }
    expect(await stored()).toEqual(before);
    expect((await call(memberA, 'GET', `/api/v1/evidence/${mine.json.id}`)).status).toBe(200);
  });

  it('refuses an unknown question or domain with 400, and places a file on a domain', async () => {
    const before = await stored();
    const file = { filename: 'a.pdf', type: 'application/pdf', bytes: pdf() };
    const unknown = await upload(memberA, assessmentA, file, { question: 'access.carrier-pigeons' });
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.code).toBe('invalid_request');
    expect(unknown.json.error.details).toEqual([{ where: 'question', message: 'unknown question' }]);
    expect((await upload(memberA, assessmentA, file, { domain: 'astrology' })).status).toBe(400);
    expect((await upload(memberA, assessmentA, file, { question: 'access.mfa-email', domain: 'backup' })).status).toBe(
      400,
    );
    const extra = await upload(memberA, assessmentA, file, { owner: 'me' });
    expect(extra.status).toBe(400);
    expect(extra.json.error.details[0].where).toBe('owner');
    expect(await stored()).toEqual(before);
    const onDomain = await upload(assessor, assessmentA, file, { domain: 'backup' });
    expect(onDomain.status).toBe(201);
    expect(onDomain.json).toMatchObject({ question: null, domain: 'backup', uploadedBy: assessor.userId });
  });

  it('refuses a body that is not multipart, carries two files or no file, without writing anything', async () => {
    const before = await stored();
    const json = await call(memberA, 'POST', `/api/v1/assessments/${assessmentA}/evidence`, {
      payload: '{"file":"JVBERi0="}',
      headers: { 'content-type': 'application/json' },
    });
    expect(json.status).toBe(415);
    expect(json.json.error.message).toBe('Send the file as multipart/form-data.');
    const two = form([
      { name: 'file', filename: 'a.pdf', type: 'application/pdf', bytes: pdf() },
      { name: 'file', filename: 'b.pdf', type: 'application/pdf', bytes: pdf() },
    ]);
    const twoFiles = await call(memberA, 'POST', `/api/v1/assessments/${assessmentA}/evidence`, two);
    expect(twoFiles.status).toBe(400);
    expect(twoFiles.json.error.message).toBe('Send one file, with at most a question or a domain.');
    const none = form([{ name: 'domain', value: 'backup' }]);
    const noFile = await call(memberA, 'POST', `/api/v1/assessments/${assessmentA}/evidence`, none);
    expect(noFile.status).toBe(400);
    expect(noFile.json.error.details).toEqual([{ where: 'file', message: 'is missing' }]);
    expect(
      (await upload(memberA, assessmentA, { filename: 'e.pdf', type: 'application/pdf', bytes: Buffer.alloc(0) }))
        .status,
    ).toBe(400);
    expect((await call(undefined, 'GET', `/api/v1/assessments/${assessmentA}/evidence`)).status).toBe(401);
    expect(await stored()).toEqual(before);
  });

  it('lets the uploader or a manager delete a file, removes it from disk, and audits every change', async () => {
    const mine = await upload(memberA, assessmentA, { filename: 'old.pdf', type: 'application/pdf', bytes: pdf() });
    const assessors = await upload(assessor, assessmentA, { filename: 'n.pdf', type: 'application/pdf', bytes: pdf() });
    const byColleague = await call(colleagueA, 'DELETE', `/api/v1/evidence/${mine.json.id}`);
    expect(byColleague.status).toBe(403);
    expect(byColleague.json.error.code).toBe('forbidden');
    expect((await call(memberA, 'DELETE', `/api/v1/evidence/${mine.json.id}`)).status).toBe(204);
    expect(readdirSync(dir)).not.toContain(mine.json.id);
    expect((await call(memberA, 'GET', `/api/v1/evidence/${mine.json.id}`)).status).toBe(404);
    expect((await call(admin, 'DELETE', `/api/v1/evidence/${assessors.json.id}`)).status).toBe(204);
    expect(readdirSync(dir)).not.toContain(assessors.json.id);

    const audit = await h.kalaja.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('object_type', '=', 'evidence')
      .orderBy('seq')
      .execute();
    const uploads = await h.kalaja.database.db.selectFrom('evidence').select('id').execute();
    expect(audit.filter((a) => a.action === 'evidence.delete').map((a) => a.object_id)).toEqual([
      mine.json.id,
      assessors.json.id,
    ]);
    expect(audit.filter((a) => a.action === 'evidence.upload')).toHaveLength(uploads.length + 2);
    expect(audit.find((a) => a.object_id === mine.json.id && a.action === 'evidence.upload')).toMatchObject({
      actor_id: memberA.userId,
      actor_role: 'org_admin',
    });
  });

  it('closes an assessment to new files once it is validated, leaving deletion to managers', async () => {
    const kept = await upload(memberA, assessmentA2, { filename: 'kept.pdf', type: 'application/pdf', bytes: pdf() });
    expect(kept.status).toBe(201);
    expect((await memberA.post(`/api/v1/assessments/${assessmentA2}/submit`)).status).toBe(204);
    expect(
      (await upload(memberA, assessmentA2, { filename: 'late.pdf', type: 'application/pdf', bytes: pdf() })).status,
    ).toBe(201);
    expect((await assessor.post(`/api/v1/assessments/${assessmentA2}/validate`)).status).toBe(204);
    expect(
      (await upload(assessor, assessmentA2, { filename: 'x.pdf', type: 'application/pdf', bytes: pdf() })).status,
    ).toBe(409);
    expect((await call(memberA, 'DELETE', `/api/v1/evidence/${kept.json.id}`)).status).toBe(409);
    expect((await call(admin, 'DELETE', `/api/v1/evidence/${kept.json.id}`)).status).toBe(204);
  });

  it('decides who may upload before it reads the upload', async () => {
    const read = vi.fn(async (): Promise<EvidenceUpload> => ({
      file: { name: 'a.pdf', declaredType: 'application/pdf', bytes: pdf() },
    }));
    await expect(service.upload(await actor(memberB), assessmentA, read)).rejects.toMatchObject({ code: 'not_found' });
    expect(read).not.toHaveBeenCalled();
    const view = await service.upload(await actor(memberA), assessmentA, read);
    expect(read).toHaveBeenCalledOnce();
    expect((await service.download(await actor(assessor), view.id)).bytes.equals(pdf())).toBe(true);
    await expect(service.download(await actor(memberB), view.id)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('removes the written file when the row and its audit entry cannot be committed', async () => {
    const failingAudit: KyselyPlugin = {
      transformQuery(args) {
        const node = args.node;
        // On PostgreSQL the audit rows go as one statement of arrays (raw SQL), on SQLite as an insert.
        if (
          (node.kind === 'InsertQueryNode' && node.into?.table.identifier.name === 'audit_log') ||
          (node.kind === 'RawNode' && node.sqlFragments.join('').includes('audit_log'))
        )
          throw new Error('simulated failure writing the audit row');
        return node;
      },
      transformResult: async (args) => args.result,
    };
    // The transaction comes from the plugged database, and every store writes through it.
    const broken = evidenceService(
      { ...h.kalaja.context, db: h.kalaja.context.db.withPlugin(failingAudit), batcher: undefined },
      evidenceDeps(),
    );
    const before = await stored();
    await expect(
      broken.upload(await actor(memberA), assessmentA, async () => ({
        file: { name: 'a.pdf', declaredType: 'application/pdf', bytes: pdf() },
      })),
    ).rejects.toThrow('simulated failure');
    expect(await stored()).toEqual(before);
  });

  it('documents the evidence routes in the OpenAPI document', async () => {
    const doc = (await call(undefined, 'GET', '/api/v1/openapi.json')).json;
    expect(Object.keys(doc.paths['/api/v1/assessments/{id}/evidence'])).toEqual(['post', 'get']);
    expect(Object.keys(doc.paths['/api/v1/evidence/{id}'])).toEqual(['get', 'delete']);
  });
});

describe('evidence names and headers', () => {
  it('keeps a name that matches its content and fixes one that does not', () => {
    expect(evidenceName('Politika e sigurisë.pdf', 'application/pdf')).toBe('Politika e sigurisë.pdf');
    expect(evidenceName('photo.JPEG', 'image/jpeg')).toBe('photo.JPEG');
    expect(evidenceName('report.html', 'application/pdf')).toBe('report.html.pdf');
    expect(evidenceName('notes', 'text/plain')).toBe('notes.txt');
    expect(evidenceName('C:\\Users\\arta\\scan.png', 'image/png')).toBe('scan.png');
    expect(evidenceName('  \u0007 ', 'image/png')).toBe('evidence.png');
    const long = evidenceName(`${'ë'.repeat(300)}.pdf`, 'application/pdf');
    expect([...long]).toHaveLength(200);
    expect(long.endsWith('ë.pdf')).toBe(true);
  });

  it('encodes the download name so that it cannot break the header', () => {
    expect(contentDisposition('a"; filename="evil.html')).toBe(
      "attachment; filename*=UTF-8''a%22%3B%20filename%3D%22evil.html",
    );
    expect(contentDisposition("it's (final)*.pdf")).toBe("attachment; filename*=UTF-8''it%27s%20%28final%29%2A.pdf");
  });

  it('treats text that opens with markup as a page, and text that quotes it as text', () => {
    expect(startsWithMarkup(Buffer.from('\uFEFF\n  <html>'))).toBe(true);
    expect(startsWithMarkup(Buffer.from('<?xml version="1.0"?>'))).toBe(true);
    expect(startsWithMarkup(Buffer.from(`${' '.repeat(100_000)}<svg/>`))).toBe(true);
    expect(startsWithMarkup(Buffer.from('Findings: <script> was reflected'))).toBe(false);
    expect(startsWithMarkup(Buffer.alloc(0))).toBe(false);
  });
});
