/**
 * The secure reporting channel's public pages (issue 17, part 5): `/report`, a form for
 * anyone — no account — to report surveillance, censorship or an attack, with what the channel
 * protects and what it does not said first; and `/report/follow`, where the receipt code reads
 * the team's replies and adds more. Nothing is kept in the browser: no cookie, no storage; the
 * code is shown once and is the only key.
 */
import type { ReporterView, SubmittedReport } from '@kalaja/contracts';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet } from 'react-router';
import { ApiError } from '../../api';
import { ErrorNote, Field, fieldError, Labelled, Loading, Page } from '../../components/ui';
import { formatMoment } from '../../format';
import { addWithCode, readWithCode, submitReport, useChannel } from './data';
import './reporting.css';

/** The channel's own frame: the name and nothing that asks who the reader is. */
export function ReportLayout() {
  const { t } = useTranslation('reporting');
  return (
    <>
      <header className="top check-top">
        <span className="brand">
          <img src="/favicon.svg" alt="" width="28" height="28" />
          {t('common:app.name')}
        </span>
      </header>
      <main id="main" className="report-main">
        <Outlet />
      </main>
    </>
  );
}

/** What the channel protects against and what it cannot, said before anything is asked. */
function Protections() {
  const { t } = useTranslation('reporting');
  return (
    <section className="report-protections" aria-labelledby="protects">
      <h2 id="protects">{t('public.protects.title')}</h2>
      <ul>
        <li>{t('public.protects.sealed')}</li>
        <li>{t('public.protects.noLog')}</li>
        <li>{t('public.protects.noCookie')}</li>
        <li>{t('public.protects.metadata')}</li>
        <li>{t('public.protects.deletion')}</li>
      </ul>
      <h2 id="not-protects">{t('public.notProtects.title')}</h2>
      <ul>
        <li>{t('public.notProtects.traffic')}</li>
        <li>{t('public.notProtects.device')}</li>
        <li>{t('public.notProtects.history')}</li>
        <li>{t('public.notProtects.content')}</li>
      </ul>
      <p>{t('public.notProtects.advice')}</p>
    </section>
  );
}

/** `/report`: the form, then the receipt code, shown once. */
export function ReportPage() {
  const { t, i18n } = useTranslation('reporting');
  const channel = useChannel(i18n.language);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState<SubmittedReport | null>(null);
  const [contact, setContact] = useState('receipt');

  if (channel.isPending) return <Loading />;
  if (!channel.data?.enabled)
    return (
      <Page title={t('public.title')}>
        {channel.error ? <ErrorNote error={channel.error} /> : <p>{t('public.closed')}</p>}
      </Page>
    );
  if (sent) return <Receipt sent={sent} />;
  const limits = channel.data.limits;

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const text = (name: string) => String(data.get(name) ?? '').trim();
    const files = data.getAll('file').filter((f): f is File => f instanceof File && f.size > 0);
    const tooBig = files.find((f) => f.size > limits.fileBytes);
    if (tooBig) {
      setError(new ApiError(413, 'payload_too_large', t('public.fileTooBig', { name: tooBig.name }), undefined));
      return;
    }
    setError(null);
    setBusy(true);
    try {
      const category = text('category');
      const detail = text('contactDetail');
      setSent(
        await submitReport(
          {
            what: text('what'),
            ...(text('when') && { when: text('when') }),
            ...(text('where') && { where: text('where') }),
            ...(category && { category }),
            contact,
            ...(detail && { contactDetail: detail }),
            stripMetadata: data.get('strip') === 'on',
          },
          files,
        ),
      );
      window.scrollTo(0, 0);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const whatError = fieldError(error, 'what');
  return (
    <Page title={t('public.title')}>
      <p className="report-lead">{t('public.intro')}</p>
      <Protections />
      <form className="report-form" onSubmit={(e) => void submit(e)} noValidate>
        <h2>{t('public.formTitle')}</h2>
        <Labelled
          label={t('public.what')}
          hint={t('public.whatHint')}
          error={whatError}
          control={(w) => <textarea {...w} name="what" rows={8} maxLength={limits.text} required />}
        />
        <Field label={t('public.when')} hint={t('public.whenHint')} name="when" maxLength={500} autoComplete="off" />
        <Field label={t('public.where')} hint={t('public.whereHint')} name="where" maxLength={500} autoComplete="off" />
        <Labelled
          label={t('public.category')}
          error={fieldError(error, 'category')}
          control={(w) => (
            <select {...w} name="category" defaultValue="">
              <option value="">{t('public.categoryNone')}</option>
              {channel.data.categories.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.label}
                </option>
              ))}
            </select>
          )}
        />
        <fieldset className="report-contact">
          <legend>{t('public.contact')}</legend>
          {(['receipt', 'email', 'signal', 'phone', 'none'] as const).map((c) => (
            <label key={c}>
              <input type="radio" name="contact" value={c} checked={contact === c} onChange={() => setContact(c)} />{' '}
              {t(`public.contactOptions.${c}`)}
            </label>
          ))}
        </fieldset>
        {contact !== 'receipt' && contact !== 'none' && (
          <Field
            label={t('public.contactDetail')}
            hint={t('public.contactDetailHint')}
            name="contactDetail"
            maxLength={500}
            autoComplete="off"
            error={fieldError(error, 'contactDetail')}
          />
        )}
        <Labelled
          label={t('public.files')}
          hint={t('public.filesHint', { count: limits.files, size: Math.round(limits.fileBytes / 1048576) })}
          control={(w) => (
            <input
              {...w}
              type="file"
              name="file"
              multiple
              accept=".jpg,.jpeg,.png,.webp,.pdf,.docx,.xlsx,.odt,.ods,.txt"
            />
          )}
        />
        <label className="report-strip">
          <input type="checkbox" name="strip" defaultChecked /> {t('public.strip')}
        </label>
        <p className="hint">{t('public.stripHint')}</p>
        {!whatError && <ErrorNote error={error} />}
        <button type="submit" disabled={busy}>
          {busy ? t('public.sending') : t('public.send')}
        </button>
      </form>
      <p>
        <Link to="/report/follow">{t('public.haveCode')}</Link>
      </p>
    </Page>
  );
}

/** The receipt code, once, with what to do with it. */
function Receipt({ sent }: { sent: SubmittedReport }) {
  const { t } = useTranslation('reporting');
  return (
    <Page title={t('receipt.title')}>
      <p>{t('receipt.intro')}</p>
      <p className="report-receipt" data-testid="receipt">
        {sent.receipt}
      </p>
      <ul>
        <li>{t('receipt.keep')}</li>
        <li>{t('receipt.once')}</li>
        <li>{t('receipt.lost')}</li>
      </ul>
      {sent.files.length > 0 && (
        <p>{t('receipt.files', { count: sent.files.length, stripped: sent.files.filter((f) => f.stripped).length })}</p>
      )}
      <p>
        <Link to="/report/follow">{t('receipt.follow')}</Link>
      </p>
    </Page>
  );
}

/** `/report/follow`: the code typed in, the team's replies read, more added. */
export function FollowPage() {
  const { t } = useTranslation('reporting');
  const [code, setCode] = useState('');
  const [view, setView] = useState<ReporterView | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const run = async (work: () => Promise<ReporterView>) => {
    setError(null);
    setBusy(true);
    try {
      setView(await work());
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const open = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const typed = String(new FormData(e.currentTarget).get('code') ?? '');
    setCode(typed);
    void run(() => readWithCode(typed));
  };
  const add = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const data = new FormData(form);
    const text = String(data.get('text') ?? '').trim();
    const files = data.getAll('file').filter((f): f is File => f instanceof File && f.size > 0);
    void run(async () => {
      const next = await addWithCode(code, text, files, data.get('strip') === 'on');
      form.reset();
      return next;
    });
  };

  if (!view)
    return (
      <Page title={t('follow.title')}>
        <p>{t('follow.intro')}</p>
        <form onSubmit={open} noValidate>
          <Field
            label={t('follow.code')}
            hint={t('follow.codeHint')}
            name="code"
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            maxLength={40}
            required
          />
          <ErrorNote error={error} />
          <button type="submit" disabled={busy}>
            {busy ? t('follow.opening') : t('follow.open')}
          </button>
        </form>
        <p>
          <Link to="/report">{t('follow.newReport')}</Link>
        </p>
      </Page>
    );
  return (
    <Page title={t('follow.readTitle')}>
      <p>
        {t('follow.received', { date: formatMoment(view.receivedAt) })} <strong>{t(`status.${view.status}`)}</strong>
      </p>
      <h2>{t('follow.yourReport')}</h2>
      <p className="report-text">{view.what}</p>
      <h2>{t('follow.messages')}</h2>
      {view.messages.length === 0 ? (
        <p>{t('follow.noReplies')}</p>
      ) : (
        <ol className="report-thread">
          {view.messages.map((m) => (
            <li key={m.id} className={`report-message report-from-${m.from}`}>
              <p className="report-meta">
                {t(`from.${m.from}`)} · {formatMoment(m.at)}
              </p>
              <p className="report-text">{m.text}</p>
              {m.files.length > 0 && <p className="report-meta">{m.files.map((f) => f.name).join(', ')}</p>}
            </li>
          ))}
        </ol>
      )}
      {view.status === 'open' ? (
        <form onSubmit={add} noValidate>
          <Labelled
            label={t('follow.add')}
            control={(w) => <textarea {...w} name="text" rows={5} maxLength={20000} required />}
          />
          <Labelled
            label={t('public.files')}
            control={(w) => (
              <input
                {...w}
                type="file"
                name="file"
                multiple
                accept=".jpg,.jpeg,.png,.webp,.pdf,.docx,.xlsx,.odt,.ods,.txt"
              />
            )}
          />
          <label className="report-strip">
            <input type="checkbox" name="strip" defaultChecked /> {t('public.strip')}
          </label>
          <ErrorNote error={error} />
          <button type="submit" disabled={busy}>
            {t('follow.send')}
          </button>
        </form>
      ) : (
        <p>{t('follow.closed')}</p>
      )}
      <button type="button" className="secondary" onClick={() => (setView(null), setCode(''))}>
        {t('follow.leave')}
      </button>
    </Page>
  );
}
