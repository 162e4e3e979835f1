/**
 * An organisation's technical findings, opened from one of its assessments. Its assessors record
 * what they found (most severe first), edit a draft and submit it; a senior reviewer (a manager
 * of the programme) approves it or asks for changes with a comment; an approved finding becomes
 * an item of the plan and is retested. The organisation's admins and members see their approved
 * findings, what to do about each, and the retest.
 */
import { LIMITS } from '@kalaja/contracts/limits';
import {
  findingSeverity,
  findingTarget,
  retestOutcome,
  type Finding,
  type FindingCreate,
  type OrganisationFindings,
} from '@kalaja/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError, path } from '../../api';
import { EvidenceFileList } from '../../components/evidence-files';
import { ErrorNote, Field, fieldError, Labelled, Loading, Page } from '../../components/ui';
import { formatDay } from '../../format';
import { useAssessment } from '../../queries';
import { useMe } from '../../session';
import {
  findingKeys,
  importScan,
  planFinding,
  recordFinding,
  retestFinding,
  reviewFinding,
  submitFinding,
  discardFinding,
  updateFinding,
  uploadFindingEvidence,
  useFindings,
} from './data';
import '../plan/plan.css';
import './findings.css';

const today = () => new Date().toISOString().slice(0, 10);
const ACCEPT = '.pdf,.png,.jpg,.jpeg,.webp,.docx,.xlsx,.odt,.ods,.txt,.md,.csv';

export function FindingsPage() {
  const { t } = useTranslation('findings');
  const { id = '' } = useParams();
  const assessment = useAssessment(id);
  const list = useFindings(assessment.data?.programmeId, assessment.data?.organisationId);
  const error = assessment.error ?? list.error;
  if (error instanceof ApiError && error.status === 404)
    return (
      <Page title={t('page.notFound')}>
        <Link to="/">{t('page.backHome')}</Link>
      </Page>
    );
  if (error)
    return (
      <Page title={t('page.loadFailed')}>
        <ErrorNote error={error} />
      </Page>
    );
  if (!assessment.data || !list.data) return <Loading />;
  const data = list.data;
  return (
    <Page
      title={data.organisation ? t('page.title', { organisation: data.organisation }) : t('page.titleUnnamed')}
      wide
    >
      <p className="plan-context">
        <Link to={`/assessments/${encodeURIComponent(id)}/plan`}>{t('page.plan')}</Link>
      </p>
      <p className="hint">{data.canRecord ? t('page.introAssessor') : t('page.introOrganisation')}</p>
      {data.canRecord && <FindingForm list={data} roundId={assessment.data.roundId} />}
      {data.canRecord && <ImportForm list={data} roundId={assessment.data.roundId} />}
      {data.findings.length === 0 ? (
        <p>{data.canRecord ? t('page.empty') : t('page.emptyOrganisation')}</p>
      ) : (
        <ul className="finding-list" aria-label={t('page.listLabel')}>
          {data.findings.map((f) => (
            <li key={f.id}>
              <FindingCard finding={f} list={data} />
            </li>
          ))}
        </ul>
      )}
    </Page>
  );
}

function useRefresh(list: Pick<OrganisationFindings, 'programmeId' | 'organisationId'>) {
  const client = useQueryClient();
  return () =>
    Promise.all([
      client.invalidateQueries({ queryKey: findingKeys.list(list.programmeId, list.organisationId) }),
      client.invalidateQueries({ queryKey: ['programme', list.programmeId, 'plan'] }),
    ]);
}

/** A stale version (412) in words, the rest as the server said it. */
function errorText(e: unknown, stale: string) {
  return e instanceof ApiError && e.status === 412 ? stale : undefined;
}

/** Records a new finding, or edits a draft (with `finding`). */
function FindingForm({
  list,
  roundId,
  finding,
  onDone,
}: {
  list: OrganisationFindings;
  roundId: string;
  finding?: Finding;
  onDone?(): void;
}) {
  const { t } = useTranslation('findings');
  const refresh = useRefresh(list);
  const [open, setOpen] = useState(finding !== undefined);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  if (!open)
    return (
      <button type="button" onClick={() => setOpen(true)}>
        {t('form.record')}
      </button>
    );
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const v = Object.fromEntries(new FormData(e.currentTarget)) as Record<string, string>;
    const body = {
      title: v.title ?? '',
      target: v.target as FindingCreate['target'],
      severity: v.severity as FindingCreate['severity'],
      cvss: v.cvss ? v.cvss : null,
      description: v.description ?? '',
      method: v.method ?? '',
      recommendation: v.recommendation ?? '',
      foundOn: v.foundOn ?? today(),
      questions: (v.questions ?? '').split(/[\s,]+/).filter(Boolean),
      interventions: (v.interventions ?? '').split(/[\s,]+/).filter(Boolean),
    };
    setBusy(true);
    setError(null);
    try {
      if (finding) await updateFinding(finding, body);
      else await recordFinding(list.programmeId, list.organisationId, { ...body, roundId });
      await refresh();
      setOpen(false);
      onDone?.();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  const f = finding;
  return (
    <form
      className="finding-form"
      onSubmit={(e) => void submit(e)}
      aria-label={f ? t('form.editLabel') : t('form.recordLabel')}
    >
      <Field
        label={t('form.title')}
        name="title"
        required
        maxLength={LIMITS.name}
        defaultValue={f?.title}
        error={fieldError(error, 'title')}
      />
      <Labelled
        label={t('form.target')}
        error={fieldError(error, 'target')}
        control={(w) => (
          <select {...w} name="target" defaultValue={f?.target ?? 'website'}>
            {findingTarget.options.map((k) => (
              <option key={k} value={k}>
                {t(`target.${k}`)}
              </option>
            ))}
          </select>
        )}
      />
      <Labelled
        label={t('form.severity')}
        error={fieldError(error, 'severity')}
        control={(w) => (
          <select {...w} name="severity" defaultValue={f?.severity ?? 'medium'}>
            {findingSeverity.options.map((k) => (
              <option key={k} value={k}>
                {t(`severity.${k}`)}
              </option>
            ))}
          </select>
        )}
      />
      <Field
        label={t('form.cvss')}
        hint={t('form.cvssHint')}
        name="cvss"
        defaultValue={f?.cvss?.vector ?? ''}
        error={fieldError(error, 'cvss')}
      />
      <Field
        label={t('form.foundOn')}
        name="foundOn"
        type="date"
        required
        defaultValue={f?.foundOn ?? today()}
        error={fieldError(error, 'foundOn')}
      />
      {(['description', 'method', 'recommendation'] as const).map((k) => (
        <Labelled
          key={k}
          label={t(`form.${k}`)}
          error={fieldError(error, k)}
          control={(w) => <textarea {...w} name={k} rows={3} maxLength={LIMITS.note} defaultValue={f?.[k]} />}
        />
      ))}
      <Field
        label={t('form.questions')}
        hint={t('form.questionsHint')}
        name="questions"
        defaultValue={f?.questions.join(', ')}
        error={fieldError(error, 'questions')}
      />
      <Field
        label={t('form.interventions')}
        hint={t('form.interventionsHint')}
        name="interventions"
        defaultValue={f?.interventions.join(', ')}
        error={fieldError(error, 'interventions')}
      />
      {error !== null && (
        <p role="alert">
          {errorText(error, t('card.stale')) ?? (error instanceof ApiError ? error.message : t('card.failed'))}
        </p>
      )}
      <p>
        <button type="submit" disabled={busy}>
          {f ? t('form.save') : t('form.saveDraft')}
        </button>{' '}
        <button
          type="button"
          className="secondary"
          onClick={() => {
            setOpen(false);
            onDone?.();
          }}
        >
          {t('form.cancel')}
        </button>
      </p>
    </form>
  );
}

function FindingCard({ finding: f, list }: { finding: Finding; list: OrganisationFindings }) {
  const { t } = useTranslation('findings');
  const me = useMe();
  const refresh = useRefresh(list);
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
      await refresh();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const mine = me.data?.id === f.author.id;
  const editable = list.canRecord && (f.status === 'draft' || f.status === 'changes_requested');
  const reviewable = list.canReview && f.status === 'in_review' && !mine;
  const approved = !['draft', 'in_review', 'changes_requested'].includes(f.status);
  const lastComment = [...f.history].reverse().find((h) => h.action === 'request_changes')?.comment;

  if (editing) return <FindingForm list={list} roundId={f.roundId} finding={f} onDone={() => setEditing(false)} />;
  return (
    <article className={`finding-card severity-${f.severity}`} aria-labelledby={`finding-${f.id}`}>
      <h3 id={`finding-${f.id}`}>{f.title}</h3>
      <p className="plan-badges">
        <span className="badge">{t(`severity.${f.severity}`)}</span>{' '}
        <span className="badge">{t(`status.${f.status}`)}</span>{' '}
        <span className="badge">{t(`target.${f.target}`)}</span>
        {f.cvss && (
          <>
            {' '}
            <span className="badge" title={f.cvss.vector}>
              {t('card.cvss', { version: f.cvss.version, score: f.cvss.score.toFixed(1) })}
            </span>
          </>
        )}
      </p>
      <p className="muted">
        {/* The demo's findings are Kalaja's own: no person's name to show. */}
        {f.author.displayName
          ? t('card.found', { day: formatDay(f.foundOn), author: f.author.displayName })
          : t('card.foundOn', { day: formatDay(f.foundOn) })}
        {f.reviewer?.displayName && ` · ${t('card.reviewedBy', { reviewer: f.reviewer.displayName })}`}
      </p>
      {f.description && <p>{f.description}</p>}
      {list.canRecord && f.method && (
        <p>
          <strong>{t('card.method')}</strong> {f.method}
        </p>
      )}
      {f.recommendation && (
        <p>
          <strong>{t('card.recommendation')}</strong> {f.recommendation}
        </p>
      )}
      {f.retest && (
        <p>
          <strong>{t('card.retest', { day: formatDay(f.retest.on), outcome: t(`status.${f.retest.outcome}`) })}</strong>{' '}
          {f.retest.notes}
        </p>
      )}
      {list.canRecord && f.status === 'changes_requested' && lastComment && (
        <p className="hint" role="note">
          {t('card.changesAsked', { comment: lastComment })}
        </p>
      )}
      {f.planItemId && (
        <p>
          <a href={`#item-${f.planItemId}`}>{t('card.inPlan')}</a>
        </p>
      )}
      {f.evidence.length > 0 && (
        <EvidenceFileList
          files={f.evidence}
          href={(file) => `/api/v1${path`/finding-evidence/${file.id}`}`}
          canRemove={() => false}
          onRemove={async () => undefined}
        />
      )}
      <div className="finding-actions">
        {editable && (
          <button type="button" className="secondary" onClick={() => setEditing(true)} disabled={busy}>
            {t('card.edit')}
          </button>
        )}
        {editable && mine && (
          <button type="button" onClick={() => void run(() => submitFinding(f))} disabled={busy}>
            {t('card.submit')}
          </button>
        )}
        {list.canRecord && f.status === 'draft' && (
          <button
            type="button"
            className="secondary"
            onClick={() => {
              if (window.confirm(t('card.discardConfirm', { title: f.title }))) void run(() => discardFinding(f));
            }}
            disabled={busy}
          >
            {t('card.discard')}
          </button>
        )}
        {reviewable && <ReviewForm busy={busy} onReview={(body) => run(() => reviewFinding(f, body))} />}
        {list.canRecord && approved && !f.planItemId && (
          <button type="button" className="secondary" onClick={() => void run(() => planFinding(f))} disabled={busy}>
            {t('card.toPlan')}
          </button>
        )}
        {list.canRecord && approved && (
          <RetestForm finding={f} busy={busy} onRetest={(body) => run(() => retestFinding(f, body))} />
        )}
        {list.canRecord && (
          <label className="secondary">
            {t('card.attach')}
            <input
              type="file"
              accept={ACCEPT}
              onChange={(e) => {
                const file = e.currentTarget.files?.[0];
                if (file) void run(() => uploadFindingEvidence(f.id, file));
              }}
            />
          </label>
        )}
      </div>
      {error !== null && (
        <p role="alert">
          {errorText(error, t('card.stale')) ?? (error instanceof ApiError ? error.message : t('card.failed'))}
        </p>
      )}
    </article>
  );
}

function ReviewForm({
  busy,
  onReview,
}: {
  busy: boolean;
  onReview(body: { decision: 'approve' | 'request_changes'; comment?: string }): Promise<void>;
}) {
  const { t } = useTranslation('findings');
  const [comment, setComment] = useState('');
  return (
    <fieldset className="finding-review">
      <legend>{t('review.title')}</legend>
      <Labelled
        label={t('review.comment')}
        hint={t('review.commentHint')}
        control={(w) => (
          <textarea
            {...w}
            rows={2}
            maxLength={LIMITS.note}
            value={comment}
            onChange={(e) => setComment(e.target.value)}
          />
        )}
      />
      <button
        type="button"
        onClick={() => void onReview({ decision: 'approve', ...(comment && { comment }) })}
        disabled={busy}
      >
        {t('review.approve')}
      </button>{' '}
      <button
        type="button"
        className="secondary"
        onClick={() => void onReview({ decision: 'request_changes', comment })}
        disabled={busy || comment.trim() === ''}
      >
        {t('review.requestChanges')}
      </button>
    </fieldset>
  );
}

function RetestForm({
  finding,
  busy,
  onRetest,
}: {
  finding: Finding;
  busy: boolean;
  onRetest(body: { on: string; outcome: 'fixed' | 'partly_fixed' | 'accepted_risk'; notes: string }): Promise<void>;
}) {
  const { t } = useTranslation('findings');
  const [open, setOpen] = useState(false);
  if (!open)
    return (
      <button type="button" className="secondary" onClick={() => setOpen(true)} disabled={busy}>
        {t('retest.open')}
      </button>
    );
  return (
    <form
      className="finding-retest"
      aria-label={t('retest.title')}
      onSubmit={(e) => {
        e.preventDefault();
        const v = Object.fromEntries(new FormData(e.currentTarget)) as Record<string, string>;
        void onRetest({
          on: v.on ?? today(),
          outcome: v.outcome as 'fixed' | 'partly_fixed' | 'accepted_risk',
          notes: v.notes ?? '',
        }).then(() => setOpen(false));
      }}
    >
      <Field
        label={t('retest.on')}
        name="on"
        type="date"
        required
        min={finding.foundOn}
        max={today()}
        defaultValue={today()}
      />
      <Labelled
        label={t('retest.outcome')}
        control={(w) => (
          <select {...w} name="outcome" defaultValue="fixed">
            {retestOutcome.options.map((k) => (
              <option key={k} value={k}>
                {t(`status.${k}`)}
              </option>
            ))}
          </select>
        )}
      />
      <Labelled
        label={t('retest.notes')}
        control={(w) => <textarea {...w} name="notes" rows={2} maxLength={LIMITS.note} />}
      />
      <button type="submit" disabled={busy}>
        {t('retest.save')}
      </button>
    </form>
  );
}

/** Imports a scanner's output as drafts; a broken file's problems listed where they are. */
function ImportForm({ list, roundId }: { list: OrganisationFindings; roundId: string }) {
  const { t } = useTranslation('findings');
  const refresh = useRefresh(list);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<{ created: number; duplicates: number } | null>(null);
  const [busy, setBusy] = useState(false);
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const file = form.get('file');
    if (!(file instanceof File) || file.size === 0) return;
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const r = await importScan(list.programmeId, list.organisationId, {
        roundId,
        format: form.get('format') as 'sarif' | 'zap' | 'nuclei',
        content: await file.text(),
      });
      setDone({ created: r.created.length, duplicates: r.duplicates });
      await refresh();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  return (
    <details className="finding-import">
      <summary>{t('import.open')}</summary>
      <form onSubmit={(e) => void submit(e)} aria-label={t('import.title')}>
        <p className="hint">{t('import.intro')}</p>
        <Labelled
          label={t('import.format')}
          control={(w) => (
            <select {...w} name="format" defaultValue="nuclei">
              {(['sarif', 'zap', 'nuclei'] as const).map((k) => (
                <option key={k} value={k}>
                  {t(`import.formats.${k}`)}
                </option>
              ))}
            </select>
          )}
        />
        <Labelled
          label={t('import.file')}
          control={(w) => <input {...w} type="file" name="file" accept=".json,.jsonl,.sarif,.xml,.txt" required />}
        />
        <button type="submit" disabled={busy}>
          {t('import.submit')}
        </button>
        {done && <p role="status">{t('import.done', { count: done.created, duplicates: done.duplicates })}</p>}
        {error !== null && (
          <div role="alert">
            <p>{error instanceof ApiError ? error.message : t('card.failed')}</p>
            {error instanceof ApiError && error.details.length > 0 && (
              <ul>
                {error.details.map((d) => (
                  <li key={`${d.where}-${d.message}`}>{t('import.problem', { where: d.where, message: d.message })}</li>
                ))}
              </ul>
            )}
          </div>
        )}
      </form>
    </details>
  );
}
