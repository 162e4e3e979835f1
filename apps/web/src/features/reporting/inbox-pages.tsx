/**
 * The reporting team's pages inside the app (issue 17, part 5): `/reporting`, the reports
 * received, newest first, with the channel's settings for instance admins (on or off, how long
 * closed reports are kept, who receives them); `/reporting/:id`, one report with its files and
 * thread, where the team replies, tags it with the incident taxonomy and closes it. The server
 * decides who is the team: anyone else hears so from it.
 */
import type { ReportingSettings, TeamReport, UserSummary } from '@kalaja/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api, apiDownload, type ApiError } from '../../api';
import { ErrorNote, Field, Labelled, Loading, Page } from '../../components/ui';
import { formatMoment, formatSize } from '../../format';
import { useMe } from '../../session';
import {
  addReceiver,
  closeReport,
  removeReceiver,
  replyTo,
  reportingKeys,
  saveSettings,
  tagReport,
  useChannel,
  useInbox,
  useReportingSettings,
  useTeamReport,
} from './data';
import './reporting.css';

/** `/reporting`: the inbox. */
export function InboxPage() {
  const { t, i18n } = useTranslation('reporting');
  const inbox = useInbox();
  const channel = useChannel(i18n.language);
  const me = useMe();
  const label = (id: string | null) => channel.data?.categories.find((c) => c.id === id)?.label ?? id ?? '–';
  if (inbox.isPending) return <Loading />;
  return (
    <Page title={t('inbox.title')} wide>
      <ErrorNote error={inbox.error} />
      {inbox.data &&
        (inbox.data.length === 0 ? (
          <p>{t('inbox.empty')}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">{t('inbox.received')}</th>
                <th scope="col">{t('inbox.category')}</th>
                <th scope="col">{t('inbox.tags')}</th>
                <th scope="col">{t('inbox.status')}</th>
                <th scope="col">{t('inbox.last')}</th>
              </tr>
            </thead>
            <tbody>
              {inbox.data.map((r) => (
                <tr key={r.id}>
                  <td>
                    <Link to={`/reporting/${r.id}`}>{formatMoment(r.receivedAt)}</Link>
                  </td>
                  <td>{label(r.category)}</td>
                  <td>{r.tags.map(label).join(', ')}</td>
                  <td>{t(`status.${r.status}`)}</td>
                  <td>
                    {t(`from.${r.lastFrom}`)} · {formatMoment(r.updatedAt)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
      {me.data?.isInstanceAdmin && <ChannelSettings />}
    </Page>
  );
}

/** The instance admin's settings: the channel on or off, the retention, the receivers. */
function ChannelSettings() {
  const { t } = useTranslation('reporting');
  const client = useQueryClient();
  const settings = useReportingSettings();
  const users = useQuery<UserSummary[], ApiError>({
    queryKey: ['users'],
    queryFn: () => api<UserSummary[]>('GET', '/users'),
  });
  const done = (s: ReportingSettings) => client.setQueryData(reportingKeys.settings, s);
  const save = useMutation<ReportingSettings, ApiError, { enabled: boolean; retentionDays: number }>({
    mutationFn: ({ enabled, retentionDays }) => saveSettings(enabled, retentionDays),
    onSuccess: done,
  });
  const add = useMutation<ReportingSettings, ApiError, string>({ mutationFn: addReceiver, onSuccess: done });
  const remove = useMutation<ReportingSettings, ApiError, string>({ mutationFn: removeReceiver, onSuccess: done });
  if (!settings.data) return <ErrorNote error={settings.error} />;
  const s = settings.data;
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    save.mutate({ enabled: data.get('enabled') === 'on', retentionDays: Number(data.get('retention')) });
  };
  const candidates = (users.data ?? []).filter(
    (u) => !u.isInstanceAdmin && !u.disabled && !s.receivers.some((r) => r.userId === u.id),
  );
  return (
    <section aria-labelledby="channel-settings">
      <h2 id="channel-settings">{t('settings.title')}</h2>
      <p>
        {t('settings.address')} <code>/report</code>
      </p>
      <form onSubmit={submit} key={`${s.enabled}-${s.retentionDays}`}>
        <label>
          <input type="checkbox" name="enabled" defaultChecked={s.enabled} /> {t('settings.enabled')}
        </label>
        <Field
          label={t('settings.retention')}
          hint={t('settings.retentionHint')}
          name="retention"
          type="number"
          min={1}
          max={3650}
          defaultValue={s.retentionDays}
        />
        <ErrorNote error={save.error} />
        <button type="submit" disabled={save.isPending}>
          {t('settings.save')}
        </button>
      </form>
      <h3>{t('settings.receivers')}</h3>
      <p className="hint">{t('settings.receiversHint')}</p>
      {s.receivers.length === 0 ? (
        <p>{t('settings.noReceivers')}</p>
      ) : (
        <ul>
          {s.receivers.map((r) => (
            <li key={r.userId}>
              {r.name} ({r.email}){' '}
              <button type="button" className="secondary" onClick={() => remove.mutate(r.userId)}>
                {t('settings.remove')}
              </button>
            </li>
          ))}
        </ul>
      )}
      {candidates.length > 0 && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            const id = String(new FormData(e.currentTarget).get('user') ?? '');
            if (id) add.mutate(id);
          }}
        >
          <Labelled
            label={t('settings.addReceiver')}
            control={(w) => (
              <select {...w} name="user">
                {candidates.map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.displayName} ({u.email})
                  </option>
                ))}
              </select>
            )}
          />
          <button type="submit">{t('settings.add')}</button>
        </form>
      )}
      <ErrorNote error={add.error ?? remove.error} />
    </section>
  );
}

/** `/reporting/:id`: one report. */
export function ReportDetailPage() {
  const { t } = useTranslation('reporting');
  const id = useParams().id ?? '';
  const report = useTeamReport(id);
  if (report.isPending) return <Loading />;
  if (!report.data)
    return (
      <Page title={t('detail.title')}>
        <ErrorNote error={report.error} />
      </Page>
    );
  return <ReportDetail report={report.data} />;
}

function ReportDetail({ report }: { report: TeamReport }) {
  const { t, i18n } = useTranslation('reporting');
  const client = useQueryClient();
  const channel = useChannel(i18n.language);
  const [downloadError, setDownloadError] = useState<unknown>(null);
  const update = (r: TeamReport) => {
    client.setQueryData(reportingKeys.report(r.id), r);
    void client.invalidateQueries({ queryKey: reportingKeys.inbox, exact: true });
  };
  const reply = useMutation<TeamReport, ApiError, string>({
    mutationFn: (text) => replyTo(report.id, text),
    onSuccess: update,
  });
  const tag = useMutation<TeamReport, ApiError, string[]>({
    mutationFn: (tags) => tagReport(report.id, tags),
    onSuccess: update,
  });
  const close = useMutation<TeamReport, ApiError, boolean>({
    mutationFn: (closed) => closeReport(report.id, closed),
    onSuccess: update,
  });
  const categories = channel.data?.categories ?? [];
  const label = (id: string | null) => categories.find((c) => c.id === id)?.label ?? id ?? '–';
  const download = (fileId: string, name: string) =>
    void apiDownload(`/reporting/files/${encodeURIComponent(fileId)}`, name).catch(setDownloadError);
  const files = [...report.files, ...report.messages.flatMap((m) => m.files)];
  return (
    <Page title={t('detail.title')} wide>
      <p>
        <Link to="/reporting">{t('detail.back')}</Link>
      </p>
      <dl>
        <dt>{t('inbox.received')}</dt>
        <dd>{formatMoment(report.receivedAt)}</dd>
        <dt>{t('inbox.status')}</dt>
        <dd>{t(`status.${report.status}`)}</dd>
        <dt>{t('detail.when')}</dt>
        <dd>{report.when ?? '–'}</dd>
        <dt>{t('detail.where')}</dt>
        <dd>{report.where ?? '–'}</dd>
        <dt>{t('inbox.category')}</dt>
        <dd>{label(report.category)}</dd>
        <dt>{t('detail.contact')}</dt>
        <dd>
          {t(`public.contactOptions.${report.contact}`)}
          {report.contactDetail && `: ${report.contactDetail}`}
        </dd>
      </dl>
      <h2>{t('detail.what')}</h2>
      <p className="report-text">{report.what}</p>
      {files.length > 0 && (
        <>
          <h2>{t('detail.files')}</h2>
          <ul>
            {files.map((f) => (
              <li key={f.id}>
                <button type="button" className="secondary" onClick={() => download(f.id, f.name)}>
                  {f.name}
                </button>{' '}
                {formatSize(f.size)} · {f.stripped ? t('detail.stripped') : t('detail.notStripped')}
              </li>
            ))}
          </ul>
          <ErrorNote error={downloadError} />
        </>
      )}
      <h2>{t('follow.messages')}</h2>
      {report.messages.length === 0 ? (
        <p>{t('detail.noMessages')}</p>
      ) : (
        <ol className="report-thread">
          {report.messages.map((m) => (
            <li key={m.id} className={`report-message report-from-${m.from}`}>
              <p className="report-meta">
                {t(`from.${m.from}`)} · {formatMoment(m.at)}
              </p>
              <p className="report-text">{m.text}</p>
            </li>
          ))}
        </ol>
      )}
      {report.status === 'open' && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            const form = e.currentTarget;
            const text = String(new FormData(form).get('reply') ?? '').trim();
            reply.mutate(text, { onSuccess: () => form.reset() });
          }}
        >
          <Labelled
            label={t('detail.reply')}
            hint={t('detail.replyHint')}
            control={(w) => <textarea {...w} name="reply" rows={5} maxLength={20000} required />}
          />
          <ErrorNote error={reply.error} />
          <button type="submit" disabled={reply.isPending}>
            {t('detail.sendReply')}
          </button>
        </form>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          tag.mutate(new FormData(e.currentTarget).getAll('tag').map(String));
        }}
        key={report.tags.join(',')}
      >
        <fieldset>
          <legend>{t('detail.tags')}</legend>
          <div className="report-tags">
            {categories.map((c) => (
              <label key={c.id}>
                <input type="checkbox" name="tag" value={c.id} defaultChecked={report.tags.includes(c.id)} /> {c.label}
              </label>
            ))}
          </div>
        </fieldset>
        <ErrorNote error={tag.error} />
        <button type="submit" className="secondary" disabled={tag.isPending}>
          {t('detail.saveTags')}
        </button>
      </form>
      <p>
        <button type="button" onClick={() => close.mutate(report.status === 'open')} disabled={close.isPending}>
          {report.status === 'open' ? t('detail.close') : t('detail.reopen')}
        </button>
      </p>
      <p className="hint">{t('detail.closeHint')}</p>
      <ErrorNote error={close.error} />
    </Page>
  );
}
