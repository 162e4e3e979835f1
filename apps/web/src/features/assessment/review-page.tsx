import type { Assessment, EvidenceItem, InterviewNoteCreated, InterviewNoteInput } from '@kalaja/contracts';
import { LIMITS } from '@kalaja/contracts/limits';
import type { Domain, Framework, Question } from '@kalaja/engine/display';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { memo, useId, useMemo, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api } from '../../api';
import { Text } from '../../components/local-text';
import { ErrorNote, Loading, Page } from '../../components/ui';
import { formatMoment } from '../../format';
import { keys } from '../../queries';
import { domainLink, useDomainNavigation, useFilesByQuestion } from './navigation';
import { assessmentPath, useAssessmentBundle, useEvidence, useInterviewNotes } from './data';
import { EMPTY, NA, progress, valueOf, type AnswerValue } from './model';
import {
  ConfirmDialog,
  DomainNav,
  DomainPager,
  Evidence,
  LoadError,
  CarriedAnswer,
  DomainAccounts,
  RoundNotice,
  SaveStatus,
  SaveSummary,
  useAnswerText,
} from './parts';
import {
  change,
  entriesOf,
  flush,
  retryAll,
  saveKey,
  shown,
  summaryOf,
  useSaveQueueVersion,
  type SaveEntry,
} from './save-queue';

/** `/assessments/:id/review`: the assessor's (and manager's) validation of each answer. */
export function ReviewPage() {
  const { id = '' } = useParams();
  const b = useAssessmentBundle(id);
  if (b.error) return <LoadError error={b.error} retry={() => void b.assessment.refetch()} />;
  if (b.pending || !b.me || !b.assessment.data || !b.framework.data) return <Loading />;
  return (
    <Review
      key={id}
      assessment={b.assessment.data}
      framework={b.framework.data}
      userId={b.me.id}
      canValidate={b.canValidate}
      organisation={b.organisationName}
      round={b.roundName}
      programme={b.programmeName}
    />
  );
}

function Review({
  assessment,
  framework,
  userId,
  canValidate,
  organisation,
  round,
  programme,
}: {
  assessment: Assessment;
  framework: Framework;
  userId: string;
  canValidate: boolean;
  organisation: string | undefined;
  round: string | undefined;
  programme: string | undefined;
}) {
  const { t } = useTranslation('assessment');
  const id = assessment.id;
  const editable = canValidate && assessment.status !== 'validated' && assessment.round.state === 'open';
  const queueVersion = useSaveQueueVersion();
  const pending = useMemo(() => entriesOf(id, 'validated'), [id, queueVersion]);
  const summary = useMemo(() => summaryOf(id, 'validated'), [id, queueVersion]);
  const evidence = useEvidence(id);

  const own = useMemo(() => new Map(assessment.answers.map((a) => [a.question, valueOf(a.own)])), [assessment]);
  const rows = useMemo(() => new Map(assessment.answers.map((a) => [a.question, a])), [assessment]);
  const validatedFor = (q: string): AnswerValue => {
    const row = rows.get(q);
    return shown(pending.get(q), valueOf(row?.validated), row?.version ?? 0);
  };
  const reviewed = progress(framework, (q) => validatedFor(q).answer);
  // What the organisation did with the answers carried over from the round before.
  const from = assessment.previousRound;
  const carriedTally = { same: 0, changed: 0, pending: 0 };
  for (const a of assessment.answers)
    if (a.carried)
      carriedTally[a.own?.answer == null ? 'pending' : a.own.answer === a.carried.answer ? 'same' : 'changed']++;

  const {
    current,
    index: domainIndex,
    domain,
    heading,
    pick,
  } = useDomainNavigation(framework, () => framework.domains[0]?.id ?? '');
  const domainProgress = reviewed.domains.get(domain.id) ?? { done: 0, total: domain.questions.length };

  const files = evidence.data ?? [];
  const filesByQuestion = useFilesByQuestion(evidence.data);

  // Answers of the organisation not validated yet in this domain: confirmable in one go.
  const confirmable = domain.questions.filter(
    (q) => (own.get(q.id)?.answer ?? null) !== null && validatedFor(q.id).answer === null,
  );
  const confirmAll = () => {
    for (const q of confirmable) {
      const o = own.get(q.id)!;
      change(
        { assessmentId: id, layer: 'validated', question: q.id, userId },
        { answer: o.answer, note: validatedFor(q.id).note },
      );
    }
  };

  return (
    <Page title={t('review.title', { organisation: organisation ?? t('review.organisation') })} wide>
      <p className="context">{[round, programme].filter(Boolean).join(' · ')}</p>
      <RoundNotice round={assessment.round} />
      <ReviewStatus assessmentId={id} status={assessment.status} canValidate={canValidate} />
      <div className="overall">
        <p id="overall-label">
          {t('review.overall', { done: reviewed.done, total: reviewed.total })}{' '}
          <Link to={`${assessmentPath(id)}/results`}>{t('results')}</Link>
          {' · '}
          <Link to={`${assessmentPath(id)}/findings`}>{t('findings')}</Link>
        </p>
        <progress value={reviewed.done} max={reviewed.total} aria-labelledby="overall-label" />
        {from !== null && assessment.answers.some((a) => a.carried) && (
          <p className="carried-tally">
            {t('carried.tally', {
              round: from,
              same: carriedTally.same,
              changed: carriedTally.changed,
              pending: carriedTally.pending,
            })}
          </p>
        )}
      </div>
      {editable && <SaveSummary unsaved={summary.unsaved} failing={summary.failing} onRetry={retryAll} />}
      <div className="qn-layout">
        <DomainNav
          framework={framework}
          current={current}
          progress={reviewed.domains}
          linkTo={domainLink}
          label={t('nav.label')}
          countLabel={(p) => t('nav.validated', { done: p.done, total: p.total })}
          onPick={pick}
        />
        <div className="qn-main">
          <section aria-labelledby="domain-title" className="domain">
            <h2 id="domain-title" ref={heading} tabIndex={-1}>
              <span className="domain-number">
                {t('nav.domainOf', { n: domainIndex + 1, total: framework.domains.length })}
              </span>
              <Text value={domain.title} />
            </h2>
            <p className="muted">
              {t('nav.validatedLong', { done: domainProgress.done, total: domainProgress.total })}
            </p>
            {editable && confirmable.length > 0 && (
              <p>
                <button type="button" className="secondary" onClick={confirmAll}>
                  {t('review.confirmAll', { count: confirmable.length })}
                </button>
              </p>
            )}
            <ol className="questions">
              {domain.questions.map((q, i) => (
                <li key={q.id}>
                  <ReviewCard
                    assessmentId={id}
                    userId={userId}
                    question={q}
                    number={`${domainIndex + 1}.${i + 1}`}
                    own={own.get(q.id) ?? EMPTY}
                    value={validatedFor(q.id)}
                    entry={pending.get(q.id)}
                    editable={editable}
                    files={filesByQuestion.get(q.id) ?? NO_FILES}
                    carried={rows.get(q.id)?.carried ?? null}
                    from={from}
                  />
                </li>
              ))}
            </ol>
            <Evidence
              assessmentId={id}
              domain={domain.id}
              files={files.filter((f) => f.question === null && f.domain === domain.id)}
              canUpload={false}
              meId={userId}
              label={t('evidence.domainTitle')}
            />
            <InterviewNotes assessmentId={id} domain={domain} canWrite={editable} userId={userId} />
            {from !== null && (
              <DomainAccounts
                key={domain.id}
                assessmentId={id}
                domain={domain.id}
                previousRound={from}
                writeAs={canValidate && assessment.round.state === 'open' ? 'assessor' : null}
              />
            )}
          </section>
          <DomainPager framework={framework} current={current} linkTo={domainLink} onPick={pick} />
          {canValidate && assessment.status === 'submitted' && (
            <ValidatePanel assessmentId={id} unvalidated={reviewed.total - reviewed.done} unsaved={summary.unsaved} />
          )}
        </div>
      </div>
    </Page>
  );
}

const NO_FILES: EvidenceItem[] = [];

function ReviewStatus({
  assessmentId,
  status,
  canValidate,
}: {
  assessmentId: string;
  status: Assessment['status'];
  canValidate: boolean;
}) {
  const { t } = useTranslation('assessment');
  if (status === 'validated')
    return (
      <div className="notice notice-validated" role="status">
        <p>
          <strong>{t('review.validatedTitle')}</strong>
        </p>
        <p>
          {t('review.validatedBody')} <Link to={`${assessmentPath(assessmentId)}/results`}>{t('results')}</Link>
        </p>
      </div>
    );
  if (!canValidate)
    return (
      <div className="notice">
        <p>{t('review.viewOnly')}</p>
      </div>
    );
  if (status === 'draft')
    return (
      <div className="notice">
        <p>
          <strong>{t('review.draftTitle')}</strong>
        </p>
        <p>{t('review.draftBody')}</p>
      </div>
    );
  return (
    <div className="notice notice-submitted">
      <p>
        <strong>{t('review.submittedTitle')}</strong>
      </p>
      <p>{t('review.submittedBody')}</p>
    </div>
  );
}

/** What an answer says, in words: the option's label, "not applicable", or "not answered". */
/** One question: the organisation's answer and note beside the validated answer and the assessor's note. */
const ReviewCard = memo(function ReviewCard({
  assessmentId,
  userId,
  question,
  number,
  own,
  value,
  entry,
  editable,
  files,
  carried,
  from,
}: {
  assessmentId: string;
  userId: string;
  question: Question;
  number: string;
  own: AnswerValue;
  value: AnswerValue;
  entry: SaveEntry | undefined;
  editable: boolean;
  files: EvidenceItem[];
  /** The answer that counted in the round before, and that round's name. */
  carried: { answer: string | null; note: string } | null;
  from: string | null;
}) {
  const { t } = useTranslation('assessment');
  const uid = useId();
  const answerText = useAnswerText(question);
  const target = { assessmentId, layer: 'validated' as const, question: question.id, userId };
  const key = saveKey(assessmentId, 'validated', question.id);
  const choose = (answer: string | null) =>
    // A validated layer without an answer would stand in for the organisation's: clearing clears the note too.
    change(target, answer === null ? EMPTY : { answer, note: value.note });
  const verdict = value.answer === null ? 'pending' : value.answer === own.answer ? 'same' : 'differs';
  const choices = [
    ...question.options.filter((o) => !o.unknown).map((o) => ({ id: o.id, label: <Text value={o.label} /> })),
    ...question.options.filter((o) => o.unknown).map((o) => ({ id: o.id, label: <Text value={o.label} /> })),
    ...(question.na ? [{ id: NA, label: <>{t('question.na')}</> }] : []),
  ];
  return (
    <article className={`question review verdict-${verdict}`} aria-labelledby={`${uid}-title`}>
      <h3 id={`${uid}-title`} className="question-text">
        <span className="q-number">{number}</span> <Text value={question.text} />
      </h3>
      {question.guidance && (
        <details className="guidance">
          <summary>{t('question.guidance')}</summary>
          <Text as="p" value={question.guidance} />
        </details>
      )}
      <p className={`verdict verdict-${verdict}`}>
        <span aria-hidden="true" className="verdict-icon">
          {verdict === 'same' ? '✓' : verdict === 'differs' ? '≠' : '–'}
        </span>
        {verdict === 'same' && t('review.same')}
        {verdict === 'differs' && t('review.differs')}
        {verdict === 'pending' && t('review.pending')}
      </p>
      {carried && from !== null && (
        <CarriedAnswer question={question} carried={carried} from={from} current={own.answer} />
      )}
      <div className="compare">
        <div className="side side-own">
          <h4>{t('review.ownTitle')}</h4>
          <p className="answer-text">{answerText(own.answer)}</p>
          {own.note ? (
            <>
              <h5>{t('review.ownNote')}</h5>
              <p className="note-text">{own.note}</p>
            </>
          ) : (
            <p className="muted">{t('review.noNote')}</p>
          )}
        </div>
        <div className="side side-validated">
          <fieldset className="answer" disabled={!editable}>
            <legend>
              <h4>{t('review.validatedTitle2')}</h4>
            </legend>
            <div className="options options-compact">
              {choices.map((c) => (
                <label className="option" key={c.id}>
                  <input
                    type="radio"
                    name={`${uid}-validated`}
                    value={c.id}
                    checked={value.answer === c.id}
                    onChange={() => choose(c.id)}
                  />
                  <span className="option-label">
                    {c.label}
                    {own.answer === c.id && <span className="tag">{t('review.theirs')}</span>}
                  </span>
                </label>
              ))}
            </div>
            {editable && (
              <div className="review-actions">
                {own.answer !== null && value.answer !== own.answer && (
                  <button type="button" className="secondary" onClick={() => choose(own.answer)}>
                    {t('review.confirm')}
                  </button>
                )}
                {value.answer !== null && (
                  <button type="button" className="link" onClick={() => choose(null)}>
                    {t('review.clear')}
                  </button>
                )}
              </div>
            )}
          </fieldset>
          {editable && <SaveStatus entry={entry} onRetry={() => change(target, value)} />}
          {editable ? (
            <div className="field note">
              <label htmlFor={`${uid}-note`}>{t('review.note')}</label>
              <p className="hint" id={`${uid}-note-hint`}>
                {value.answer === null ? t('review.noteFirst') : t('review.noteHint')}
              </p>
              <textarea
                id={`${uid}-note`}
                aria-describedby={`${uid}-note-hint`}
                value={value.note}
                maxLength={LIMITS.note}
                rows={2}
                disabled={value.answer === null}
                onChange={(e) => change(target, { answer: value.answer, note: e.target.value }, 800)}
                onBlur={() => flush(key)}
              />
            </div>
          ) : (
            value.note && (
              <>
                <h5>{t('review.note')}</h5>
                <p className="note-text">{value.note}</p>
              </>
            )
          )}
        </div>
      </div>
      <Evidence
        assessmentId={assessmentId}
        question={question.id}
        files={files}
        canUpload={editable}
        meId={userId}
        label={t('evidence.title')}
      />
    </article>
  );
});

/**
 * Drafts of interview notes, per assessment and domain, in memory only: kept if the page
 * closes (an expired session sends the user to sign in), never written to the browser's storage.
 */
const drafts = new Map<string, string>();
const draftListeners = new Set<() => void>();
function setDraft(key: string, text: string) {
  if (text) drafts.set(key, text);
  else drafts.delete(key);
  for (const l of draftListeners) l();
}
function useDraft(key: string): string {
  return useSyncExternalStore(
    (l) => {
      draftListeners.add(l);
      return () => draftListeners.delete(l);
    },
    () => drafts.get(key) ?? '',
  );
}

function InterviewNotes({
  assessmentId,
  domain,
  canWrite,
  userId,
}: {
  assessmentId: string;
  domain: Domain;
  canWrite: boolean;
  userId: string;
}) {
  const { t } = useTranslation('assessment');
  const client = useQueryClient();
  const notes = useInterviewNotes(assessmentId);
  const uid = useId();
  const draftKey = `${assessmentId}|${domain.id}`;
  const draft = useDraft(draftKey);
  const add = useMutation({
    mutationFn: (body: string) =>
      api<InterviewNoteCreated>('POST', `${assessmentPath(assessmentId)}/interview-notes`, {
        domain: domain.id,
        body,
      } satisfies InterviewNoteInput),
    onSuccess: async () => {
      setDraft(draftKey, '');
      await client.invalidateQueries({ queryKey: keys.interviewNotes(assessmentId) });
    },
  });
  const mine = (notes.data ?? []).filter((n) => n.domain === domain.id);
  return (
    <section className="interview" aria-labelledby={`${uid}-title`}>
      <h3 id={`${uid}-title`}>{t('interview.title')}</h3>
      {notes.isPending ? (
        <p className="muted">{t('loading')}</p>
      ) : notes.error ? (
        <ErrorNote error={notes.error} />
      ) : mine.length === 0 ? (
        <p className="muted">{t('interview.none')}</p>
      ) : (
        <ul className="interview-list">
          {mine.map((n) => (
            <li key={n.id}>
              <p className="muted">
                {formatMoment(n.at)}
                {n.authorId === userId && ` · ${t('interview.you')}`}
              </p>
              <p className="note-text">{n.body}</p>
            </li>
          ))}
        </ul>
      )}
      {canWrite && (
        <form
          className="interview-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (draft.trim()) add.mutate(draft);
          }}
        >
          <div className="field">
            <label htmlFor={`${uid}-body`}>{t('interview.add')}</label>
            <p className="hint" id={`${uid}-hint`}>
              {t('interview.hint')}
            </p>
            <textarea
              id={`${uid}-body`}
              aria-describedby={`${uid}-hint`}
              value={draft}
              maxLength={LIMITS.interviewNote}
              rows={4}
              onChange={(e) => setDraft(draftKey, e.target.value)}
            />
          </div>
          <ErrorNote error={add.error} />
          <button type="submit" disabled={add.isPending || !draft.trim()}>
            {add.isPending ? t('working') : t('interview.save')}
          </button>
        </form>
      )}
    </section>
  );
}

function ValidatePanel({
  assessmentId,
  unvalidated,
  unsaved,
}: {
  assessmentId: string;
  unvalidated: number;
  unsaved: number;
}) {
  const { t } = useTranslation('assessment');
  const client = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const validate = useMutation({
    mutationFn: () => api<void>('POST', `${assessmentPath(assessmentId)}/validate`),
    onSuccess: async () => {
      setConfirming(false);
      await Promise.all([
        client.invalidateQueries({ queryKey: keys.assessment(assessmentId) }),
        client.invalidateQueries({ queryKey: keys.assessments }),
      ]);
      window.scrollTo({ top: 0 });
      document.getElementById('page-title')?.focus();
    },
  });
  return (
    <section className="submit-panel" aria-labelledby="validate-title">
      <h2 id="validate-title">{t('validate.title')}</h2>
      {unsaved > 0 ? (
        <p>{t('validate.waitForSaves')}</p>
      ) : (
        <>
          <p>{unvalidated > 0 ? t('validate.someOpen', { count: unvalidated }) : t('validate.ready')}</p>
          <button type="button" onClick={() => setConfirming(true)}>
            {t('validate.button')}
          </button>
        </>
      )}
      <ConfirmDialog
        open={confirming}
        title={t('validate.confirmTitle')}
        confirmLabel={t('validate.confirm')}
        pending={validate.isPending}
        error={validate.error}
        onConfirm={() => validate.mutate()}
        onCancel={() => {
          validate.reset();
          setConfirming(false);
        }}
      >
        <p>{t('validate.confirmBody')}</p>
        {unvalidated > 0 && <p>{t('validate.someOpen', { count: unvalidated })}</p>}
      </ConfirmDialog>
    </section>
  );
}
