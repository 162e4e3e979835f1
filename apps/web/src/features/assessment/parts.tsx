import type { Assessment, DomainAccount, DomainAccountSaved, EvidenceItem } from '@kalaja/contracts';
import { LIMITS } from '@kalaja/contracts/limits';
import type { Framework, Question } from '@kalaja/engine/display';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, ApiError } from '../../api';
import { useLocalText } from '../../components/local-text';
import { ErrorNote, Page } from '../../components/ui';
import { EvidenceFileList } from '../../components/evidence-files';
import { useStepUp } from '../../components/step-up';
import { formatDay } from '../../format';
import { keys } from '../../queries';
import { assessmentPath } from './data';
import { NA, type DomainProgress } from './model';
import type { SaveEntry } from './save-queue';
import './assessment.css';

/** What a failed load looks like: "not found" for a 404 (missing or not yours), else the error. */
export function LoadError({ error, retry }: { error: ApiError; retry: () => void }) {
  const { t } = useTranslation('assessment');
  if (error.status === 404)
    return (
      <Page title={t('notFound')}>
        <Link to="/">{t('backHome')}</Link>
      </Page>
    );
  return (
    <Page title={t('loadFailed')}>
      <ErrorNote error={error} />
      <p>
        <button type="button" onClick={retry}>
          {t('tryAgain')}
        </button>
      </p>
    </Page>
  );
}

/** The per-question save state, announced politely; a failure never reads as saved. */
export function SaveStatus({ entry, onRetry }: { entry: SaveEntry | undefined; onRetry: () => void }) {
  const { t } = useTranslation('assessment');
  const state = entry?.state;
  return (
    <div className={`save-status${state ? ` save-${state}` : ''}`}>
      <p aria-live="polite" aria-atomic="true" className="save-text">
        {state === 'saving' && (
          <>
            <span aria-hidden="true" className="save-icon">
              ⋯
            </span>
            {t('save.saving')}
          </>
        )}
        {state === 'saved' && (
          <>
            <span aria-hidden="true" className="save-icon">
              ✓
            </span>
            {t('save.saved')}
          </>
        )}
        {state === 'retrying' && (
          <>
            <span aria-hidden="true" className="save-icon">
              !
            </span>
            {t('save.retrying')}
          </>
        )}
        {state === 'signin' && (
          <>
            <span aria-hidden="true" className="save-icon">
              !
            </span>
            {t('save.signin')}
          </>
        )}
        {state === 'error' && (
          <>
            <span aria-hidden="true" className="save-icon">
              ✕
            </span>
            {t('save.refused', { message: entry?.error?.message ?? '' })}
          </>
        )}
      </p>
      {state === 'error' && entry?.error?.requestId && (
        <p className="request-id">{t('save.requestId', { id: entry.error.requestId })}</p>
      )}
      {(state === 'error' || state === 'retrying') && (
        <button type="button" className="link" onClick={onRetry}>
          {t('save.retryNow')}
        </button>
      )}
    </div>
  );
}

/** "All changes saved" / "Saving…" / "N changes not saved — will retry", for the whole page. */
export function SaveSummary({ unsaved, failing, onRetry }: { unsaved: number; failing: number; onRetry: () => void }) {
  const { t } = useTranslation('assessment');
  const [online, setOnline] = useState(() => navigator.onLine);
  useEffect(() => {
    const up = () => setOnline(true);
    const down = () => setOnline(false);
    window.addEventListener('online', up);
    window.addEventListener('offline', down);
    return () => {
      window.removeEventListener('online', up);
      window.removeEventListener('offline', down);
    };
  }, []);
  return (
    <div className={`save-summary${failing > 0 || !online ? ' save-summary-failing' : ''}`}>
      {!online && <p className="offline">{t('save.offline')}</p>}
      <p>
        {failing > 0 ? (
          <>
            <span aria-hidden="true" className="save-icon">
              !
            </span>
            {t('save.summaryFailing', { count: failing })}{' '}
            <button type="button" className="link" onClick={onRetry}>
              {t('save.retryNow')}
            </button>
          </>
        ) : unsaved > 0 ? (
          t('save.summarySaving')
        ) : (
          <>
            <span aria-hidden="true" className="save-icon">
              ✓
            </span>
            {t('save.summarySaved')}
          </>
        )}
      </p>
    </div>
  );
}

/**
 * The domains as steps with their progress. A list beside the questions on wide screens; on
 * a phone, a menu that opens above them.
 */
export function DomainNav({
  framework,
  current,
  progress,
  linkTo,
  label,
  countLabel,
  onPick,
}: {
  framework: Framework;
  current: string;
  progress: Map<string, DomainProgress>;
  linkTo: (domain: string) => string;
  label: string;
  countLabel: (p: DomainProgress) => string;
  onPick: (domain: string) => void;
}) {
  const { t } = useTranslation('assessment');
  const text = useLocalText();
  const menu = useRef<HTMLDetailsElement>(null);
  const index = framework.domains.findIndex((d) => d.id === current);
  const list = () => (
    <ol className="domain-steps">
      {framework.domains.map((d, i) => {
        const p = progress.get(d.id) ?? { done: 0, total: d.questions.length };
        const complete = p.done === p.total;
        return (
          <li key={d.id} className={complete ? 'step-complete' : undefined}>
            <Link
              to={linkTo(d.id)}
              aria-current={d.id === current ? 'step' : undefined}
              onClick={() => {
                if (menu.current) menu.current.open = false;
                onPick(d.id);
              }}
            >
              <span className="step-number" aria-hidden="true">
                {complete ? '✓' : i + 1}
              </span>
              <span className="step-title">{text(d.title)}</span>
              <span className="step-count">
                {countLabel(p)}
                {complete && <span className="visually-hidden"> — {t('nav.complete')}</span>}
              </span>
              <progress className="step-bar" value={p.done} max={p.total} aria-hidden="true" />
            </Link>
          </li>
        );
      })}
    </ol>
  );
  return (
    <>
      <nav className="domain-nav domain-nav-wide" aria-label={label}>
        {list()}
      </nav>
      <details className="domain-nav domain-nav-narrow" ref={menu}>
        <summary>
          <span className="summary-action">{t('nav.allDomains')}</span>{' '}
          <span className="summary-label">{t('nav.domainOf', { n: index + 1, total: framework.domains.length })}</span>
        </summary>
        <nav aria-label={label}>{list()}</nav>
      </details>
    </>
  );
}

/** Previous and next domain, under the questions. */
export function DomainPager({
  framework,
  current,
  linkTo,
  onPick,
}: {
  framework: Framework;
  current: string;
  linkTo: (domain: string) => string;
  onPick: (domain: string) => void;
}) {
  const { t } = useTranslation('assessment');
  const text = useLocalText();
  const i = framework.domains.findIndex((d) => d.id === current);
  const prev = framework.domains[i - 1];
  const next = framework.domains[i + 1];
  return (
    <nav className="pager" aria-label={t('nav.pager')}>
      {prev && (
        <Link className="button secondary pager-prev" to={linkTo(prev.id)} onClick={() => onPick(prev.id)}>
          <span aria-hidden="true">←</span>
          <span className="visually-hidden">{t('nav.previous')}: </span>
          {text(prev.title)}
        </Link>
      )}
      {next && (
        <Link className="button pager-next" to={linkTo(next.id)} onClick={() => onPick(next.id)}>
          <span className="visually-hidden">{t('nav.next')}: </span>
          {text(next.title)}
          <span aria-hidden="true">→</span>
        </Link>
      )}
    </nav>
  );
}

/** A modal confirmation on the native <dialog>: focus kept inside, Escape cancels. */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  pending,
  error,
  onConfirm,
  onCancel,
}: {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  pending: boolean;
  error: unknown;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation('assessment');
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      className="confirm"
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        if (!pending) onCancel();
      }}
    >
      <h2 id={titleId}>{title}</h2>
      {children}
      <ErrorNote error={error} />
      <div className="actions">
        <button type="button" onClick={onConfirm} disabled={pending}>
          {pending ? t('working') : confirmLabel}
        </button>
        <button type="button" className="secondary" onClick={onCancel} disabled={pending}>
          {t('cancel')}
        </button>
      </div>
    </dialog>
  );
}

const ACCEPT = '.pdf,.png,.jpg,.jpeg,.webp,.docx,.xlsx,.odt,.ods,.txt,.md,.csv';

/** A multipart upload through the one API client: it fails as an ApiError like every other call. */
function upload(assessmentId: string, where: { question?: string; domain?: string }, file: File) {
  const body = new FormData();
  if (where.question) body.append('question', where.question);
  if (where.domain) body.append('domain', where.domain);
  body.append('file', file);
  return api<EvidenceItem>('POST', `${assessmentPath(assessmentId)}/evidence`, body);
}

/** A failed upload in plain words: what was wrong with the file, or with the connection. */
function uploadMessage(t: (key: string, o?: Record<string, unknown>) => string, error: unknown, name: string) {
  const e = error instanceof ApiError ? error : undefined;
  if (!e || e.status === 0) return t('evidence.offline', { name });
  if (e.status === 413) return t('evidence.tooLarge', { name });
  if (e.status === 415)
    return e.message ? `${t('evidence.failed', { name })} ${e.message}` : t('evidence.unsupported', { name });
  if (e.status === 401) return t('evidence.signedOut', { name });
  return e.message ? `${t('evidence.failed', { name })} ${e.message}` : t('evidence.failedUnknown', { name });
}

/**
 * The evidence files of one question (or domain): download links, and an upload that
 * starts as soon as a file is chosen. Failures are said next to the upload, in plain words.
 */
export function Evidence({
  assessmentId,
  question,
  domain,
  files,
  canUpload,
  meId,
  label,
}: {
  assessmentId: string;
  question?: string;
  domain?: string;
  files: EvidenceItem[];
  canUpload: boolean;
  meId: string | undefined;
  label: string;
}) {
  const { t } = useTranslation('assessment');
  const client = useQueryClient();
  const inputId = useId();
  const hintId = useId();
  const errorId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [uploaded, setUploaded] = useState<string | null>(null);
  const [failure, setFailure] = useState<{ message: string; requestId?: string | undefined; file?: File } | null>(null);
  // Deleting evidence cannot be undone, so the server asks for a recent sign-in (step-up,
  // docs/ARCHITECTURE.md): the dialog asks for it, then deletes.
  const stepUp = useStepUp();

  const send = async (file: File) => {
    setFailure(null);
    setUploaded(null);
    if (file.size > LIMITS.evidenceFile) {
      setFailure({ message: t('evidence.tooLarge', { name: file.name }) });
      return;
    }
    if (file.size === 0) {
      setFailure({ message: t('evidence.empty', { name: file.name }) });
      return;
    }
    setBusy(file.name);
    try {
      await upload(assessmentId, { ...(question && { question }), ...(domain && { domain }) }, file);
      if (input.current) input.current.value = '';
      await client.invalidateQueries({ queryKey: keys.evidence(assessmentId) });
      setUploaded(file.name);
    } catch (e) {
      const retryable = e instanceof ApiError && (e.status === 0 || e.status >= 500 || e.status === 401);
      setFailure({
        message: uploadMessage(t, e, file.name),
        requestId: e instanceof ApiError ? e.requestId : undefined,
        ...(retryable && { file }),
      });
    } finally {
      setBusy(null);
    }
  };

  const remove = async (id: string) => {
    await stepUp.withStepUp(() => api('DELETE', `/evidence/${encodeURIComponent(id)}`));
    await client.invalidateQueries({ queryKey: keys.evidence(assessmentId) });
  };

  if (!canUpload && files.length === 0) return null;
  return (
    <div className="evidence">
      {files.length > 0 && (
        <>
          <h4 className="evidence-title">{label}</h4>
          <EvidenceFileList
            files={files}
            href={(f) => `/api/v1/evidence/${encodeURIComponent(f.id)}`}
            canRemove={(f) => canUpload && f.uploadedBy === meId}
            onRemove={(f) => remove(f.id)}
          />
        </>
      )}
      {stepUp.dialog}
      {canUpload && (
        <details className="upload">
          <summary>{files.length > 0 ? t('evidence.addAnother') : t('evidence.addFirst')}</summary>
          <label htmlFor={inputId}>{t('evidence.add')}</label>
          <p className="hint" id={hintId}>
            {t('evidence.hint')}
          </p>
          <input
            ref={input}
            id={inputId}
            type="file"
            accept={ACCEPT}
            disabled={busy !== null}
            aria-describedby={failure ? `${hintId} ${errorId}` : hintId}
            aria-invalid={failure ? true : undefined}
            onChange={(e) => {
              const file = e.currentTarget.files?.[0];
              if (file) void send(file);
            }}
          />
          <p className="upload-state" aria-live="polite">
            {busy !== null
              ? t('evidence.uploading', { name: busy })
              : uploaded !== null && t('evidence.uploaded', { name: uploaded })}
          </p>
          {failure && (
            <div className="field-error upload-error" id={errorId} role="alert">
              <p>{failure.message}</p>
              {failure.requestId && <p className="request-id">{t('save.requestId', { id: failure.requestId })}</p>}
              {failure.file && (
                <button type="button" className="secondary" onClick={() => void send(failure.file!)}>
                  {t('tryAgain')}
                </button>
              )}
            </div>
          )}
        </details>
      )}
    </div>
  );
}

/** A round that does not take answers now, said plainly: not open yet, or closed. */
export function RoundNotice({ round }: { round: Assessment['round'] }) {
  const { t } = useTranslation('assessment');
  if (round.state === 'open')
    return round.endsOn ? <p className="muted">{t('round.openUntil', { date: formatDay(round.endsOn) })}</p> : null;
  return (
    <div className="notice notice-round" role="status">
      <p>
        <strong>
          {t(round.state === 'closed' ? 'round.closedTitle' : 'round.scheduledTitle', { name: round.name })}
        </strong>
      </p>
      <p>
        {round.state === 'closed'
          ? t('round.closedBody')
          : round.startsOn
            ? t('round.scheduledOn', { date: formatDay(round.startsOn) })
            : t('round.scheduledBody')}
      </p>
    </div>
  );
}

/** An answer as a person reads it: the option's label, "not applicable", or "not answered". */
export function useAnswerText(question: Question) {
  const { t } = useTranslation('assessment');
  const text = useLocalText();
  return (answer: string | null) => {
    if (answer === null) return t('review.notAnswered');
    if (answer === NA) return t('question.na');
    const option = question.options.find((o) => o.id === answer);
    return option ? text(option.label) : answer;
  };
}

/**
 * The answer carried over from the round before, beside a question: what it was (with its
 * note), and whether this round's answer confirms it, changes it, or is still to come — "from
 * the baseline — confirm or change". `current` is this round's answer of the organisation;
 * `action` is what the reader can do about it (confirm), if anything.
 */
export function CarriedAnswer({
  question,
  carried,
  from,
  current,
  action,
}: {
  question: Question;
  carried: { answer: string | null; note: string };
  from: string;
  current: string | null;
  action?: ReactNode;
}) {
  const { t } = useTranslation('assessment');
  const answerText = useAnswerText(question);
  const state = current === null ? 'pending' : current === carried.answer ? 'same' : 'changed';
  return (
    <div className={`carried carried-${state}`}>
      <p className="carried-state">
        <strong>{t(`carried.${state}`, { round: from })}</strong>
      </p>
      <p>
        <span className="muted">{t('carried.was', { round: from })}</span> {answerText(carried.answer)}
      </p>
      {carried.note && <p className="note-text">{carried.note}</p>}
      {action}
    </div>
  );
}

/**
 * The qualitative reassessment of one domain: what changed since the round before, and why. The
 * assessor writes theirs (what was said, what was seen), the organisation its own; each reads the
 * other's. Both go into the organisation's report beside the numbers. Saved on request, at the
 * version shown (a change made meanwhile is not overwritten).
 */
export function DomainAccounts({
  assessmentId,
  domain,
  previousRound,
  writeAs,
}: {
  assessmentId: string;
  domain: string;
  previousRound: string;
  /** Whose account this reader writes here; null to read only. */
  writeAs: 'assessor' | 'organisation' | null;
}) {
  const { t } = useTranslation('assessment');
  const uid = useId();
  const client = useQueryClient();
  const key = [...keys.assessment(assessmentId), 'accounts'];
  const accounts = useQuery<DomainAccount[], ApiError>({
    queryKey: key,
    queryFn: () => api('GET', `${assessmentPath(assessmentId)}/accounts`),
  });
  const mine = accounts.data?.find((a) => a.domain === domain && a.by === writeAs);
  const others = (accounts.data ?? []).filter((a) => a.domain === domain && a.by !== writeAs);
  const [draft, setDraft] = useState<string | undefined>(undefined);
  const save = useMutation<DomainAccountSaved, ApiError, string>({
    mutationFn: (text) =>
      api('PUT', `${assessmentPath(assessmentId)}/accounts/${encodeURIComponent(domain)}/${writeAs}`, {
        text,
        version: mine?.version ?? 0,
      }),
    onSuccess: async () => {
      setDraft(undefined);
      await client.invalidateQueries({ queryKey: key });
    },
  });
  const text = draft ?? mine?.text ?? '';
  return (
    <section className="domain-accounts" aria-labelledby={`${uid}-title`}>
      <h3 id={`${uid}-title`}>{t('accounts.title', { round: previousRound })}</h3>
      {others.map((a) => (
        <div className="account-readonly" key={a.by}>
          <h4>{t(a.by === 'assessor' ? 'accounts.assessor' : 'accounts.organisation')}</h4>
          <p className="note-text">{a.text}</p>
        </div>
      ))}
      {writeAs && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate(text);
          }}
        >
          <div className="field">
            <label htmlFor={`${uid}-text`}>
              {t(writeAs === 'assessor' ? 'accounts.writeAssessor' : 'accounts.writeOrganisation', {
                round: previousRound,
              })}
            </label>
            <p className="hint" id={`${uid}-hint`}>
              {t(writeAs === 'assessor' ? 'accounts.hintAssessor' : 'accounts.hintOrganisation')}
            </p>
            <textarea
              id={`${uid}-text`}
              aria-describedby={`${uid}-hint`}
              value={text}
              maxLength={LIMITS.interviewNote}
              rows={3}
              onChange={(e) => setDraft(e.target.value)}
            />
          </div>
          <ErrorNote error={save.error} />
          <p className="actions">
            <button type="submit" className="secondary" disabled={save.isPending || draft === undefined}>
              {t('accounts.save')}
            </button>
            {save.isSuccess && draft === undefined && (
              <span role="status" className="muted">
                {t('accounts.saved')}
              </span>
            )}
          </p>
        </form>
      )}
      {!writeAs && others.length === 0 && <p className="muted">{t('accounts.none')}</p>}
    </section>
  );
}
