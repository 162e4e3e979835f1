/**
 * A participant's knowledge check, on their own phone, without an account: a one-time link
 * (`/check/<token>`) or a short code typed at `/check` from the projector. The same items
 * before and after the session in the module's order, a confidence rating (1–5) each time, a
 * short reaction survey after, and a follow-up weeks later asking what they put into practice.
 * Nothing is kept in the browser: no cookie, no storage; the link's token is the only key, and
 * each phase is taken once.
 */
import type { CheckResult, CheckSubmission, CheckView } from '@kalaja/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useNavigate, useParams } from 'react-router';
import { ApiError } from '../../api';
import { ErrorNote, Field, fieldError, Loading, Page } from '../../components/ui';
import { formatScore } from '../../format';
import i18next from '../../i18n';
import { submitCheck, tokenForCode, trainingKeys, useCheck } from './data';
import './training.css';

/** The reaction's comment, as long as the server takes (TRAINING_LIMITS.comment). */
const COMMENT_MAX = 1000;

/** The check's own frame: the name and nothing that asks who the reader is (no session, no account menu). */
export function CheckLayout() {
  const { t } = useTranslation('training');
  return (
    <>
      <header className="top check-top">
        <span className="brand">
          <img src="/favicon.svg" alt="" width="28" height="28" />
          {t('common:app.name')}
        </span>
      </header>
      <main id="main" className="check-main">
        <Outlet />
      </main>
    </>
  );
}

/** `/check`: the short code from the projector, for whoever has no link. */
export function CheckCodePage() {
  const { t } = useTranslation('training');
  const navigate = useNavigate();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const code = String(new FormData(e.currentTarget).get('code') ?? '');
    setError(null);
    setBusy(true);
    try {
      const { token } = await tokenForCode(code);
      await navigate(`/check/${encodeURIComponent(token)}`, { replace: true });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const codeError =
    error instanceof ApiError
      ? (fieldError(error, 'code') ?? (error.status === 404 ? t('check.codeUnknown') : undefined))
      : undefined;
  return (
    <Page title={t('check.codeTitle')}>
      <p>{t('check.codeIntro')}</p>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Field
          label={t('check.code')}
          hint={t('check.codeHint')}
          name="code"
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          inputMode="text"
          maxLength={12}
          required
          error={codeError}
        />
        {!codeError && <ErrorNote error={error} />}
        <button type="submit" disabled={busy}>
          {busy ? t('check.opening') : t('check.open')}
        </button>
      </form>
    </Page>
  );
}

/** `/check/:token`: the phase open now for this participant, or why none is. */
export function CheckPage() {
  const { t } = useTranslation('training');
  const token = useParams().token ?? '';
  const check = useCheck(token);
  const language = check.data?.language;
  // The check speaks the session's language; the participant can still switch below.
  useEffect(() => {
    if (language && i18next.language !== language) void i18next.changeLanguage(language);
  }, [language]);

  if (check.isPending) return <Loading />;
  if (!check.data) {
    const gone = check.error instanceof ApiError && [400, 404, 410].includes(check.error.status);
    return (
      <Page title={t('check.unavailableTitle')}>
        {gone ? <p>{t('check.unavailable')}</p> : <ErrorNote error={check.error} />}
        <p>
          <Link to="/check">{t('check.typeCode')}</Link>
        </p>
      </Page>
    );
  }
  return <CheckBody token={token} view={check.data} />;
}

function CheckBody({ token, view }: { token: string; view: CheckView }) {
  const { t } = useTranslation('training');
  const heading = view.title === view.module ? view.title : `${view.title} — ${view.module}`;
  const results = view.results;
  let body: ReactNode;
  switch (view.phase) {
    case 'pre':
    case 'post':
      body = <KnowledgeForm token={token} view={view} phase={view.phase} />;
      break;
    case 'follow-up':
      body = <FollowUpForm token={token} view={view} />;
      break;
    case 'waiting':
      body = (
        <>
          <p className="check-state">{t('check.waiting')}</p>
          <ReloadButton token={token} label="check.reload" />
        </>
      );
      break;
    case 'done':
      body = <p className="check-state">{t('check.done')}</p>;
      break;
    case 'expired':
      body = <p className="check-state">{t('check.expired')}</p>;
      break;
  }
  return (
    <Page title={heading}>
      {body}
      {results.length > 0 && view.phase !== 'pre' && view.phase !== 'post' && (
        <Results results={results} items={view.items} />
      )}
    </Page>
  );
}

/** Reads the link again: the phase open now, or what is left to take. */
function ReloadButton({ token, label }: { token: string; label: 'check.reload' | 'check.finish' }) {
  const { t } = useTranslation('training');
  const client = useQueryClient();
  return (
    <button
      type="button"
      className="secondary"
      onClick={() => void client.invalidateQueries({ queryKey: trainingKeys.check(token) })}
    >
      {t(label)}
    </button>
  );
}

/** A 1–5 scale as a row of radio buttons, its ends named. */
function Scale({
  name,
  legend,
  low,
  high,
  value,
  onChange,
}: {
  name: string;
  legend: string;
  low: string;
  high: string;
  value: number | undefined;
  onChange(v: number): void;
}) {
  const uid = useId();
  return (
    <fieldset className="check-scale">
      <legend>{legend}</legend>
      <div className="scale-row">
        {[1, 2, 3, 4, 5].map((n) => (
          <label key={n} className="scale-point">
            <input
              type="radio"
              name={`${uid}-${name}`}
              value={n}
              checked={value === n}
              onChange={() => onChange(n)}
              aria-describedby={n === 1 ? `${uid}-low` : n === 5 ? `${uid}-high` : undefined}
            />
            <span>{n}</span>
          </label>
        ))}
      </div>
      <p className="scale-ends">
        <span id={`${uid}-low`}>{low}</span>
        <span id={`${uid}-high`}>{high}</span>
      </p>
    </fieldset>
  );
}

/** The items before or after the session, the confidence rating, and after it the reaction survey. */
function KnowledgeForm({ token, view, phase }: { token: string; view: CheckView; phase: 'pre' | 'post' }) {
  const { t } = useTranslation('training');
  const uid = useId();
  const [answers, setAnswers] = useState<Record<string, string>>({});
  const [confidence, setConfidence] = useState<number | undefined>();
  const [usefulness, setUsefulness] = useState<number | undefined>();
  const [relevance, setRelevance] = useState<number | undefined>();
  const [pace, setPace] = useState<'slow' | 'right' | 'fast' | undefined>();
  const [comment, setComment] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<CheckResult | null>(null);
  const unanswered = view.items.filter((i) => !answers[i.id]).length;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setBusy(true);
    const body: CheckSubmission = {
      answers: Object.fromEntries(view.items.map((i) => [i.id, answers[i.id] ?? ''])),
      ...(confidence !== undefined && { confidence }),
      ...(phase === 'post' &&
        usefulness !== undefined &&
        relevance !== undefined &&
        pace !== undefined && { reaction: { usefulness, relevance, pace, comment } }),
    };
    try {
      setResult(await submitCheck(token, phase, body));
      window.scrollTo?.(0, 0);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  if (result) {
    return (
      <>
        <Results results={[...view.results.filter((r) => r.phase !== phase), result]} items={view.items} />
        {phase === 'pre' && <p className="check-state">{t('check.afterPre')}</p>}
        <ReloadButton token={token} label="check.finish" />
      </>
    );
  }

  return (
    <form className="check-form" onSubmit={(e) => void submit(e)} aria-describedby={`${uid}-intro`}>
      <p id={`${uid}-intro`}>
        {t(phase === 'pre' ? 'check.introPre' : 'check.introPost', { count: view.items.length })}
      </p>
      <Scale
        name="confidence"
        legend={t(phase === 'pre' ? 'check.confidencePre' : 'check.confidencePost', { module: view.module })}
        low={t('check.confidenceLow')}
        high={t('check.confidenceHigh')}
        value={confidence}
        onChange={setConfidence}
      />
      <ol className="check-items">
        {view.items.map((item, index) => (
          <li key={item.id}>
            <fieldset className="check-item">
              <legend>
                <span className="visually-hidden">
                  {t('check.itemOf', { number: index + 1, count: view.items.length })}
                </span>
                {item.text}
              </legend>
              <div className="options">
                {item.options.map((o) => (
                  <label className="option" key={o.id}>
                    <input
                      type="radio"
                      name={`${uid}-${item.id}`}
                      value={o.id}
                      checked={answers[item.id] === o.id}
                      onChange={() => setAnswers((a) => ({ ...a, [item.id]: o.id }))}
                    />
                    <span className="option-label">{o.label}</span>
                  </label>
                ))}
              </div>
            </fieldset>
          </li>
        ))}
      </ol>
      {phase === 'post' && (
        <section className="check-reaction" aria-labelledby={`${uid}-reaction`}>
          <h2 id={`${uid}-reaction`}>{t('check.reactionTitle')}</h2>
          <Scale
            name="usefulness"
            legend={t('check.usefulness')}
            low={t('check.scaleLow')}
            high={t('check.scaleHigh')}
            value={usefulness}
            onChange={setUsefulness}
          />
          <Scale
            name="relevance"
            legend={t('check.relevance')}
            low={t('check.scaleLow')}
            high={t('check.scaleHigh')}
            value={relevance}
            onChange={setRelevance}
          />
          <fieldset className="check-scale">
            <legend>{t('check.pace')}</legend>
            <div className="options">
              {(['slow', 'right', 'fast'] as const).map((p) => (
                <label className="option" key={p}>
                  <input type="radio" name={`${uid}-pace`} value={p} checked={pace === p} onChange={() => setPace(p)} />
                  <span className="option-label">{t(`check.paceOption.${p}`)}</span>
                </label>
              ))}
            </div>
          </fieldset>
          <div className="field">
            <label htmlFor={`${uid}-comment`}>{t('check.comment')}</label>
            <p className="hint" id={`${uid}-comment-hint`}>
              {t('check.commentHint')}
            </p>
            <textarea
              id={`${uid}-comment`}
              aria-describedby={`${uid}-comment-hint`}
              maxLength={COMMENT_MAX}
              rows={3}
              value={comment}
              onChange={(e) => setComment(e.target.value)}
            />
          </div>
        </section>
      )}
      {unanswered > 0 && (
        <p className="hint" aria-live="polite">
          {t('check.unanswered', { count: unanswered })}
        </p>
      )}
      <ErrorNote error={error} />
      <button type="submit" disabled={busy}>
        {busy ? t('check.sending') : t('check.send')}
      </button>
    </form>
  );
}

/** A follow-up weeks after the session: for each practice, whether the participant now does it. */
function FollowUpForm({ token, view }: { token: string; view: CheckView }) {
  const { t } = useTranslation('training');
  const uid = useId();
  const [practices, setPractices] = useState<Record<string, 'yes' | 'partly' | 'no'>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      await submitCheck(token, 'follow-up', { answers: {}, practices });
      setSent(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  if (sent) {
    return (
      <>
        <p className="check-state">{t('check.followUpThanks')}</p>
        <ReloadButton token={token} label="check.finish" />
      </>
    );
  }
  return (
    <form className="check-form" onSubmit={(e) => void submit(e)}>
      <p>{t('check.introFollowUp')}</p>
      <ol className="check-items">
        {view.practices.map((p) => (
          <li key={p.id}>
            <fieldset className="check-item">
              <legend>{p.text}</legend>
              <div className="options">
                {(['yes', 'partly', 'no'] as const).map((a) => (
                  <label className="option" key={a}>
                    <input
                      type="radio"
                      name={`${uid}-${p.id}`}
                      value={a}
                      checked={practices[p.id] === a}
                      onChange={() => setPractices((x) => ({ ...x, [p.id]: a }))}
                    />
                    <span className="option-label">{t(`check.practice.${a}`)}</span>
                  </label>
                ))}
              </div>
            </fieldset>
          </li>
        ))}
      </ol>
      <ErrorNote error={error} />
      <button type="submit" disabled={busy}>
        {busy ? t('check.sending') : t('check.send')}
      </button>
    </form>
  );
}

/** The participant's own results: each phase's score, and after the session each item explained. */
function Results({ results, items }: { results: readonly CheckResult[]; items: CheckView['items'] }) {
  const { t } = useTranslation('training');
  const byId = new Map(items.map((i) => [i.id, i]));
  const label = (item: string, option: string) => byId.get(item)?.options.find((o) => o.id === option)?.label ?? option;
  const pre = results.find((r) => r.phase === 'pre');
  const post = results.find((r) => r.phase === 'post');
  const explained = post?.explanations ?? [];
  return (
    <section className="check-results" aria-labelledby="check-results-title">
      <h2 id="check-results-title">{t('check.resultsTitle')}</h2>
      <ul>
        {[pre, post].map(
          (r) =>
            r && (
              <li key={r.phase}>
                {t(r.phase === 'pre' ? 'check.resultPre' : 'check.resultPost', {
                  correct: r.correct,
                  count: r.items,
                  score: formatScore(r.score, 0),
                })}
              </li>
            ),
        )}
      </ul>
      {explained.length > 0 && (
        <>
          <h3>{t('check.explanationsTitle')}</h3>
          <ol className="check-explanations">
            {explained.map((x) => (
              <li key={x.item} className={x.right ? 'right' : 'wrong'}>
                <p className="check-question">{byId.get(x.item)?.text ?? x.item}</p>
                <p>
                  <strong>{x.right ? t('check.right') : t('check.wrong')}</strong> {label(x.item, x.correct)}
                </p>
                {!x.right && (
                  <p className="muted">
                    {x.chosen ? t('check.youChose', { answer: label(x.item, x.chosen) }) : t('check.youSkipped')}
                  </p>
                )}
                {x.explanation && <p>{x.explanation}</p>}
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}
