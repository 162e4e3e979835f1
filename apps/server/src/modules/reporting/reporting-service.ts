import { REPORTING_KEY_SETTING } from '../../crypto/rotate.js';
import { evenly, memoryCounter } from '../../http/unseen.js';
import { createHmac, randomBytes, randomInt } from 'node:crypto';
import {
  RECEIPT_PATTERN,
  REPORTING_LIMITS,
  type ChannelStatus,
  type ReportFileView,
  type ReporterView,
  type ReportingSettings,
  type ReportSubmission,
  type SubmittedReport,
  type TeamReport,
  type TeamReportSummary,
} from '@kalaja/contracts';
import { inTaxonomy, textFor, type IncidentTaxonomy } from '@kalaja/engine';
import { transaction, type Context } from '../../context.js';
import { open, openText, seal } from '../../crypto/seal.js';
import type { SettingsStore } from '../../db/settings-store.js';
import { AppError, invalid, notFound } from '../../errors.js';
import { newId } from '../../ids.js';
import type { Actor } from '../access/access-types.js';
import type { AuditStore } from '../audit/audit-store.js';
import type { EvidenceFiles } from '../evidence/evidence-files.js';
import { detectMediaType, evidenceName } from '../evidence/evidence-fns.js';
import type { UserStore } from '../users/user-store.js';
import type { FileRow, ReportingStore, ReportRow } from './reporting-store.js';
import { stripMetadata } from './reporting-strip.js';

/** The settings the channel keeps in `instance`. */
const SETTING = { key: REPORTING_KEY_SETTING, enabled: 'reporting_enabled', retention: 'reporting_retention_days' };
export const DEFAULT_RETENTION_DAYS = 180;
const DAY = 86_400_000;
const HOUR = 3_600_000;
const RECEIPT_MAC = 'report-receipt';
/** Crockford's base32: no I, L, O, U, so a code read aloud or copied by hand is not misread. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export const REPORTING_RULES = {
  /** Every answer to a receipt code takes at least this long, found or not. */
  floorMs: 300,
  /** Codes that open nothing, per client, before it must wait. */
  codeAttempts: 5,
  codeWindowMs: 10 * 60_000,
  /** Reports per client per hour. */
  submissions: 5,
  submissionWindowMs: HOUR,
};

/** A fresh receipt code: 20 characters of 5 bits each (100 bits), in four groups. */
export function newReceipt(): string {
  const chars = Array.from({ length: 20 }, () => ALPHABET[randomInt(32)]!);
  return [0, 5, 10, 15].map((i) => chars.slice(i, i + 5).join('')).join('-');
}

/** What a person typed, as a code: upper case, without spaces, O read as 0 and I or L as 1. */
export function normaliseReceipt(typed: string): string {
  const bare = typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  return bare.length === 20 ? [0, 5, 10, 15].map((i) => bare.slice(i, i + 5)).join('-') : bare;
}

/** An uploaded file as the routes read it. */
export interface ReportUpload {
  name: string;
  declaredType: string;
  bytes: Buffer;
}

interface Body {
  what: string;
  when: string | null;
  where: string | null;
  category: string | null;
  contact: ReportSubmission['contact'];
  contactDetail: string | null;
}

const unknownCode = () =>
  new AppError(
    'not_found',
    'That receipt code does not open a report. Check it again: it has 20 letters and digits in four groups, like 7K3QM-XR2PA-9TNVD-4HWEF.',
  );
const tooManyCodes = () =>
  new AppError('too_many_requests', 'Too many receipt codes that did not work. Wait ten minutes and try again.', [], {
    'retry-after': String(REPORTING_RULES.codeWindowMs / 1000),
  });
const tooManyReports = () =>
  new AppError('too_many_requests', 'Too many reports from here in the last hour. Wait a while and try again.', [], {
    'retry-after': String(REPORTING_RULES.submissionWindowMs / 1000),
  });
const channelClosed = () => new AppError('not_found', 'This instance does not receive reports.');
const teamOnly = () =>
  new AppError('forbidden', 'Only the reporting team (instance admins and the receivers they name) can do this.');
const adminOnly = () => new AppError('forbidden', 'Only an instance admin can change the reporting channel.');

/**
 * The secure reporting channel (issue 17, part 5). A reporter, with no account, sends what
 * happened with files; the server seals it at once under a data key of the report's own,
 * wrapped by the team's key, and answers with a receipt code it keeps only as a keyed hash. With
 * the code the reporter reads the team's replies and adds more. The team — instance admins and
 * the receivers they name — reads, replies, tags with the incident taxonomy and closes; closed
 * reports older than the instance's retention are deleted with their keys. Clients are counted
 * only in memory, by a keyed hash of their address that changes at every start.
 */
export function reportingService(
  ctx: Pick<Context, 'db' | 'batcher' | 'vault' | 'now'>,
  deps: {
    reports: ReportingStore;
    settings: SettingsStore;
    users: Pick<UserStore, 'byId'>;
    audit: Pick<AuditStore, 'append'>;
    files: EvidenceFiles;
    taxonomy: IncidentTaxonomy;
    floorMs?: number;
  },
) {
  const { reports: store, settings, taxonomy } = deps;
  const floorMs = deps.floorMs ?? REPORTING_RULES.floorMs;
  const clientKey = randomBytes(32);
  const clientOf = (address: string) => createHmac('sha256', clientKey).update(address).digest('base64url');
  const codeFailures = memoryCounter(ctx.now, REPORTING_RULES.codeWindowMs, REPORTING_RULES.codeAttempts);
  const submissions = memoryCounter(ctx.now, REPORTING_RULES.submissionWindowMs, REPORTING_RULES.submissions);
  let teamKey: Buffer | undefined;

  /** The team's key, created at first use and kept wrapped under the instance key. */
  async function team(): Promise<Buffer> {
    if (teamKey) return teamKey;
    let stored = await settings.get(SETTING.key);
    if (stored === undefined) {
      const wrapped = ctx.vault.sealInstance('instance.reporting_team_key', REPORTING_KEY_SETTING, randomBytes(32));
      await settings.add(SETTING.key, Buffer.from(wrapped).toString('base64'));
      stored = (await settings.get(SETTING.key))!;
    }
    teamKey = ctx.vault.openInstance(
      'instance.reporting_team_key',
      REPORTING_KEY_SETTING,
      Buffer.from(stored, 'base64'),
    );
    return teamKey;
  }
  const reportKey = async (r: Pick<ReportRow, 'id' | 'wrapped_key'>) =>
    open(await team(), r.wrapped_key, `reportkey:${r.id}`);
  const aad = (reportId: string, field: string, rowId: string) => `report:${reportId}|${field}|${rowId}`;

  async function isTeam(actor: Actor): Promise<boolean> {
    return actor.isInstanceAdmin || (await store.isReceiver(actor.userId));
  }
  async function requireTeam(actor: Actor): Promise<void> {
    if (!(await isTeam(actor))) throw teamOnly();
  }
  const enabled = async () => (await settings.get(SETTING.enabled)) === '1';
  const retentionDays = async () => Number((await settings.get(SETTING.retention)) ?? DEFAULT_RETENTION_DAYS);

  /** Checks and cleans every file before anything is stored; any refusal stores nothing. */
  async function prepareFiles(uploads: readonly ReportUpload[], strip: boolean) {
    if (uploads.length > REPORTING_LIMITS.files)
      throw invalid(`Send at most ${REPORTING_LIMITS.files} files with a report.`, [
        { where: 'file', message: `${uploads.length} files` },
      ]);
    const out: { id: string; name: string; mediaType: string; bytes: Uint8Array; stripped: boolean }[] = [];
    for (const [i, u] of uploads.entries()) {
      if (u.bytes.length > REPORTING_LIMITS.fileBytes)
        throw new AppError('payload_too_large', 'A file is larger than 10 MiB.', [
          { where: `file ${i + 1}`, message: 'larger than 10 MiB' },
        ]);
      if (u.bytes.length === 0) throw invalid('A file is empty.', [{ where: `file ${i + 1}`, message: 'empty' }]);
      const mediaType = await detectMediaType(u.bytes, u.declaredType, u.name);
      const bytes = strip ? await stripMetadata(u.bytes, mediaType) : u.bytes;
      out.push({ id: newId(), name: evidenceName(u.name, mediaType), mediaType, bytes, stripped: strip });
    }
    return out;
  }

  function bodyOf(input: ReportSubmission): Body {
    if (input.category !== undefined && !inTaxonomy(taxonomy, 'categories', input.category))
      throw invalid('That kind of incident is not in the list.', [
        { where: 'category', message: `no such category: ${input.category.slice(0, 100)}` },
      ]);
    if (input.contact !== 'none' && input.contact !== 'receipt' && !input.contactDetail)
      throw invalid('Say how the team can reach you, or choose to read replies with your receipt code.', [
        { where: 'contactDetail', message: 'needed for this contact preference' },
      ]);
    return {
      what: input.what,
      when: input.when || null,
      where: input.where || null,
      category: input.category ?? null,
      contact: input.contact,
      contactDetail: input.contact === 'none' || input.contact === 'receipt' ? null : (input.contactDetail ?? null),
    };
  }

  async function fileViews(
    key: Buffer,
    rows: readonly FileRow[],
  ): Promise<(ReportFileView & { messageId: string | null })[]> {
    return rows.map((f) => ({
      id: f.id,
      name: openText(key, f.name_sealed, aad(f.report_id, 'file-name', f.id)),
      mediaType: f.media_type,
      size: Number(f.size),
      stripped: Number(f.stripped) === 1,
      messageId: f.message_id,
    }));
  }

  /** A report opened: its body, tags, messages and files, in clear, for whoever may read them. */
  async function read(r: ReportRow) {
    const key = await reportKey(r);
    const body = JSON.parse(openText(key, r.body_sealed, aad(r.id, 'body', r.id))) as Body;
    const tags = r.tags_sealed ? (JSON.parse(openText(key, r.tags_sealed, aad(r.id, 'tags', r.id))) as string[]) : [];
    const files = await fileViews(key, await store.files(r.id));
    const messages = (await store.messages([r.id])).map((m) => ({
      id: m.id,
      from: m.author,
      text: openText(key, m.body_sealed, aad(r.id, 'message', m.id)),
      at: new Date(Number(m.at)).toISOString(),
      files: files.filter((f) => f.messageId === m.id).map(({ messageId: _m, ...f }) => f),
    }));
    const own = files.filter((f) => f.messageId === null).map(({ messageId: _m, ...f }) => f);
    return { key, body, tags, files: own, messages };
  }

  async function byCode(code: string, client: string): Promise<ReportRow> {
    const c = clientOf(client);
    if (codeFailures.full(c)) throw tooManyCodes();
    const normal = normaliseReceipt(code);
    const r = RECEIPT_PATTERN.test(normal)
      ? await store.byReceipt(ctx.vault.instanceMac(RECEIPT_MAC, normal))
      : undefined;
    if (!r) {
      codeFailures.add(c);
      throw unknownCode();
    }
    return r;
  }

  async function reporterView(r: ReportRow): Promise<ReporterView> {
    const { body, messages } = await read(r);
    return { status: r.status, receivedAt: new Date(Number(r.received_at)).toISOString(), what: body.what, messages };
  }

  async function teamView(r: ReportRow): Promise<TeamReport> {
    const { body, tags, files, messages } = await read(r);
    return {
      id: r.id,
      status: r.status,
      receivedAt: new Date(Number(r.received_at)).toISOString(),
      closedAt: r.closed_at === null ? null : new Date(Number(r.closed_at)).toISOString(),
      what: body.what,
      when: body.when,
      where: body.where,
      category: body.category,
      contact: body.contact,
      contactDetail: body.contactDetail,
      tags,
      files,
      messages,
    };
  }

  async function teamReport(actor: Actor, id: string): Promise<ReportRow> {
    await requireTeam(actor);
    const r = await store.byId(id);
    if (!r) throw notFound('that report');
    return r;
  }

  async function receive(
    input: ReportSubmission,
    uploads: readonly ReportUpload[],
    client: string,
  ): Promise<{ id: string; submitted: SubmittedReport }> {
    if (!(await enabled())) throw channelClosed();
    const c = clientOf(client);
    if (submissions.full(c)) throw tooManyReports();
    const body = bodyOf(input);
    const prepared = await prepareFiles(uploads, input.stripMetadata);
    const id = newId();
    const key = randomBytes(32);
    const receipt = newReceipt();
    const receivedAt = Math.floor(ctx.now() / HOUR) * HOUR;
    const row: ReportRow = {
      id,
      receipt_mac: ctx.vault.instanceMac(RECEIPT_MAC, receipt),
      wrapped_key: seal(await team(), key, `reportkey:${id}`),
      body_sealed: seal(key, JSON.stringify(body), aad(id, 'body', id)),
      tags_sealed: null,
      status: 'open',
      received_at: receivedAt,
      updated_at: receivedAt,
      closed_at: null,
    };
    // Files first, under ids nobody knows yet: a failure leaves at worst sealed bytes no row names.
    for (const f of prepared) await deps.files.put(f.id, seal(key, f.bytes, aad(id, 'file', f.id)));
    try {
      await transaction(ctx, async (tx) => {
        await store.insertReport(row, tx);
        for (const f of prepared)
          await store.insertFile(
            {
              id: f.id,
              report_id: id,
              message_id: null,
              name_sealed: seal(key, f.name, aad(id, 'file-name', f.id)),
              media_type: f.mediaType,
              size: f.bytes.byteLength,
              stripped: f.stripped ? 1 : 0,
              created_at: receivedAt,
            },
            tx,
          );
      });
    } catch (error) {
      for (const f of prepared) await deps.files.remove(f.id);
      throw error;
    }
    submissions.add(c);
    const submitted: SubmittedReport = {
      receipt,
      receivedAt: new Date(receivedAt).toISOString(),
      files: prepared.map((f) => ({
        id: f.id,
        name: f.name,
        mediaType: f.mediaType,
        size: f.bytes.byteLength,
        stripped: f.stripped,
      })),
    };
    return { id, submitted };
  }

  const audit = (actor: Actor, action: string, id: string | null, tx: Parameters<AuditStore['append']>[3]) =>
    deps.audit.append(
      actor,
      { action, objectType: 'incident_report', objectId: id, organisationId: null },
      ctx.now(),
      tx,
    );

  return {
    /** Whether the channel is open, its limits and the categories a reporter may choose. */
    async status(locale: string): Promise<ChannelStatus> {
      return {
        enabled: await enabled(),
        limits: { files: REPORTING_LIMITS.files, fileBytes: REPORTING_LIMITS.fileBytes, text: REPORTING_LIMITS.text },
        categories: taxonomy.categories.map((c) => ({ id: c.id, label: textFor(c.title, locale) })),
      };
    },

    /** A report, sealed at once; its receipt code is returned once and kept only as a keyed hash. */
    async submit(input: ReportSubmission, uploads: readonly ReportUpload[], client: string): Promise<SubmittedReport> {
      return (await receive(input, uploads, client)).submitted;
    },

    /** `submit`, with the new report's id: for the demo, which answers the report it made. */
    submitWithId: (input: ReportSubmission, uploads: readonly ReportUpload[], client: string) =>
      receive(input, uploads, client),

    /** What the reporter reads with their code; an unknown code and a wrong one are answered alike. */
    async follow(code: string, client: string): Promise<ReporterView> {
      return evenly(floorMs, async () => reporterView(await byCode(code, client)));
    },

    /** More from the reporter, with their code; refused once the report is closed. */
    async addInformation(
      input: { code: string; text: string; stripMetadata: boolean },
      uploads: readonly ReportUpload[],
      client: string,
    ): Promise<ReporterView> {
      return evenly(floorMs, async () => {
        const r = await byCode(input.code, client);
        if (r.status === 'closed')
          throw new AppError(
            'conflict',
            'The team has closed this report. Send a new report if something else happened.',
          );
        const prepared = await prepareFiles(uploads, input.stripMetadata);
        const key = await reportKey(r);
        const id = newId();
        const at = ctx.now();
        for (const f of prepared) await deps.files.put(f.id, seal(key, f.bytes, aad(r.id, 'file', f.id)));
        try {
          await transaction(ctx, async (tx) => {
            await store.insertMessage(
              {
                id,
                report_id: r.id,
                author: 'reporter',
                body_sealed: seal(key, input.text, aad(r.id, 'message', id)),
                at,
              },
              tx,
            );
            for (const f of prepared)
              await store.insertFile(
                {
                  id: f.id,
                  report_id: r.id,
                  message_id: id,
                  name_sealed: seal(key, f.name, aad(r.id, 'file-name', f.id)),
                  media_type: f.mediaType,
                  size: f.bytes.byteLength,
                  stripped: f.stripped ? 1 : 0,
                  created_at: at,
                },
                tx,
              );
            await store.update(r.id, { updated_at: at }, tx);
          });
        } catch (error) {
          for (const f of prepared) await deps.files.remove(f.id);
          throw error;
        }
        return reporterView((await store.byId(r.id))!);
      });
    },

    /** Whether this person is in the team: any member may ask about themselves. */
    async membership(actor: Actor): Promise<{ team: boolean; admin: boolean }> {
      return { team: await isTeam(actor), admin: actor.isInstanceAdmin };
    },

    /** The team's inbox, newest first. */
    async list(actor: Actor): Promise<TeamReportSummary[]> {
      await requireTeam(actor);
      const rows = await store.list();
      const messages = await store.messages(rows.map((r) => r.id));
      const out: TeamReportSummary[] = [];
      for (const r of rows) {
        const key = await reportKey(r);
        const body = JSON.parse(openText(key, r.body_sealed, aad(r.id, 'body', r.id))) as Body;
        const tags = r.tags_sealed
          ? (JSON.parse(openText(key, r.tags_sealed, aad(r.id, 'tags', r.id))) as string[])
          : [];
        const mine = messages.filter((m) => m.report_id === r.id);
        out.push({
          id: r.id,
          status: r.status,
          receivedAt: new Date(Number(r.received_at)).toISOString(),
          category: body.category,
          tags,
          messages: mine.length,
          lastFrom: mine.at(-1)?.author ?? 'reporter',
          updatedAt: new Date(Number(r.updated_at)).toISOString(),
        });
      }
      return out;
    },

    /** One report, opened for the team; reading it is audited. */
    async get(actor: Actor, id: string): Promise<TeamReport> {
      const r = await teamReport(actor, id);
      const view = await teamView(r);
      await transaction(ctx, (tx) => audit(actor, 'reporting.report.read', id, tx));
      return view;
    },

    async reply(actor: Actor, id: string, text: string): Promise<TeamReport> {
      const r = await teamReport(actor, id);
      if (r.status === 'closed') throw new AppError('conflict', 'This report is closed; reopen it to reply.');
      const key = await reportKey(r);
      const messageId = newId();
      const at = ctx.now();
      await transaction(ctx, async (tx) => {
        await store.insertMessage(
          {
            id: messageId,
            report_id: id,
            author: 'team',
            body_sealed: seal(key, text, aad(id, 'message', messageId)),
            at,
          },
          tx,
        );
        await store.update(id, { updated_at: at }, tx);
        await audit(actor, 'reporting.report.reply', id, tx);
      });
      return teamView((await store.byId(id))!);
    },

    /** The team's tags, every one a category of the incident taxonomy. */
    async tag(actor: Actor, id: string, tags: readonly string[]): Promise<TeamReport> {
      const r = await teamReport(actor, id);
      const unknown = tags.filter((t) => !inTaxonomy(taxonomy, 'categories', t));
      if (unknown.length > 0)
        throw invalid('Tag reports with categories of the incident taxonomy.', [
          { where: 'tags', message: `no such category: ${unknown.map((t) => t.slice(0, 100)).join(', ')}` },
        ]);
      const key = await reportKey(r);
      const unique = [...new Set(tags)];
      await transaction(ctx, async (tx) => {
        await store.update(
          id,
          { tags_sealed: seal(key, JSON.stringify(unique), aad(id, 'tags', id)), updated_at: ctx.now() },
          tx,
        );
        await audit(actor, 'reporting.report.tag', id, tx);
      });
      return teamView((await store.byId(id))!);
    },

    async close(actor: Actor, id: string, closed: boolean): Promise<TeamReport> {
      await teamReport(actor, id);
      const at = ctx.now();
      await transaction(ctx, async (tx) => {
        await store.update(
          id,
          { status: closed ? 'closed' : 'open', closed_at: closed ? at : null, updated_at: at },
          tx,
        );
        await audit(actor, closed ? 'reporting.report.close' : 'reporting.report.reopen', id, tx);
      });
      return teamView((await store.byId(id))!);
    },

    /** A file of a report, opened for the team. */
    async download(actor: Actor, fileId: string): Promise<{ name: string; mediaType: string; bytes: Buffer }> {
      await requireTeam(actor);
      const f = await store.file(fileId);
      const r = f && (await store.byId(f.report_id));
      if (!f || !r) throw notFound('that file');
      const key = await reportKey(r);
      const bytes = open(key, await deps.files.get(f.id), aad(r.id, 'file', f.id));
      await transaction(ctx, (tx) => audit(actor, 'reporting.file.read', r.id, tx));
      return { name: openText(key, f.name_sealed, aad(r.id, 'file-name', f.id)), mediaType: f.media_type, bytes };
    },

    async settings(actor: Actor): Promise<ReportingSettings> {
      await requireTeam(actor);
      return {
        enabled: await enabled(),
        retentionDays: await retentionDays(),
        receivers: await store.receivers(),
      };
    },

    async configure(actor: Actor, input: { enabled: boolean; retentionDays: number }): Promise<ReportingSettings> {
      if (!actor.isInstanceAdmin) throw adminOnly();
      await transaction(ctx, async (tx) => {
        await settings.put(SETTING.enabled, input.enabled ? '1' : '0', tx);
        await settings.put(SETTING.retention, String(input.retentionDays), tx);
        await audit(actor, 'reporting.settings', null, tx);
      });
      return this.settings(actor);
    },

    async addReceiver(actor: Actor, userId: string): Promise<ReportingSettings> {
      if (!actor.isInstanceAdmin) throw adminOnly();
      const user = await deps.users.byId(userId);
      if (!user) throw notFound('that person');
      await transaction(ctx, async (tx) => {
        await store.addReceiver(userId, actor.userId, ctx.now(), tx);
        await deps.audit.append(
          actor,
          { action: 'reporting.receiver.add', objectType: 'user', objectId: userId, organisationId: null },
          ctx.now(),
          tx,
        );
      });
      return this.settings(actor);
    },

    async removeReceiver(actor: Actor, userId: string): Promise<ReportingSettings> {
      if (!actor.isInstanceAdmin) throw adminOnly();
      await transaction(ctx, async (tx) => {
        if (!(await store.removeReceiver(userId, tx))) throw notFound('that receiver');
        await deps.audit.append(
          actor,
          { action: 'reporting.receiver.remove', objectType: 'user', objectId: userId, organisationId: null },
          ctx.now(),
          tx,
        );
      });
      return this.settings(actor);
    },

    /**
     * Deletes closed reports older than the retention, with their keys (crypto-shredding them)
     * and their stored files; returns how many. Audited as the system, one row per report.
     */
    async sweep(actor: Actor): Promise<number> {
      const before = ctx.now() - (await retentionDays()) * DAY;
      const expired = await store.expired(before);
      for (const { id } of expired) {
        const files = await store.files(id);
        await transaction(ctx, async (tx) => {
          await store.remove(id, tx);
          await audit(actor, 'reporting.report.delete', id, tx);
        });
        for (const f of files) await deps.files.remove(f.id);
      }
      return expired.length;
    },

    /** Turns the channel on or off and sets the retention, as the system (the demo, the CLI). */
    async switchOn(tx?: Parameters<SettingsStore['put']>[2]): Promise<void> {
      await settings.put(SETTING.enabled, '1', tx);
    },
  };
}

export type ReportingService = ReturnType<typeof reportingService>;
