import type { Assessment, ConfirmationResult, EvidenceItem } from '@kalaja/contracts';
import { LIMITS } from '@kalaja/contracts/limits';
import type { Framework, Question } from '@kalaja/engine/display';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { memo, useCallback, useId, useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api, type ApiError } from '../../api';
import { ErrorNote, Loading, Page } from '../../components/ui';
import { Text } from '../../components/local-text';
import { formatPercent } from '../../format';
import { keys } from '../../queries';
import { domainLink, useDomainNavigation, useFilesByQuestion } from './navigation';
import { assessmentPath, useAssessmentBundle, useEvidence } from './data';
import { NA, progress, resumeDomain, valueOf, type AnswerValue } from './model';
import {
  CarriedAnswer,
  ConfirmDialog,
  DomainAccounts,
  DomainNav,
  DomainPager,
  Evidence,
  LoadError,
  RoundNotice,
  SaveStatus,
  SaveSummary,
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

/** `/assessments/:id`: the organisation's questionnaire, domain by domain. */
export function QuestionnairePage() {
  const { id = '' } = useParams();
  const b = useAssessmentBundle(id);
  if (b.error) return <LoadError error={b.error} retry={() => void b.assessment.refetch()} />;
  if (b.pending || !b.me || !b.assessment.data || !b.framework.data) return <Loading />;
  return (
    <Questionnaire
      key={id}
      assessment={b.assessment.data}
      framework={b.framework.data}
      userId={b.me.id}
      canAnswer={b.canAnswer}
      canValidate={b.canValidate}
      organisation={b.organisationName}
      round={b.roundName}
      programme={b.programmeName}
    />
  );
}

function Questionnaire({
  assessment,
  framework,
  userId,
  canAnswer,
  canValidate,
  organisation,
  round,
  programme,
}: {
  assessment: Assessment;
  framework: Framework;
  userId: string;
  canAnswer: boolean;
  canValidate: boolean;
  organisation: string | undefined;
  round: string | undefined;
  programme: string | undefined;
}) {
  const { t } = useTranslation('assessment');
  const id = assessment.id;
  // A round takes answers only while it is open: before it opens, and once closed, the page reads.
  const editable = canAnswer && assessment.status === 'draft' && assessment.round.state === 'open';
  const queueVersion = useSaveQueueVersion();
  const pending = useMemo(() => entriesOf(id, 'own'), [id, queueVersion]);
  const summary = useMemo(() => summaryOf(id, 'own'), [id, queueVersion]);
  const evidence = useEvidence(id);

  const server = useMemo(() => new Map(assessment.answers.map((a) => [a.question, a])), [assessment]);
  const valueFor = (question: string): AnswerValue => {
    const row = server.get(question);
    return shown(pending.get(question), valueOf(row?.own), row?.version ?? 0);
  };
  const answerOf = (question: string) => valueFor(question).answer;
  const done = progress(framework, answerOf);

  // Answers carried over from the round before, still to confirm or change: confirmed one at a
  // time or a domain at once, each at the version this page shows (If-Match).
  const from = assessment.previousRound;
  const client = useQueryClient();
  const confirmation = useMutation<ConfirmationResult, ApiError, { question: string; version: number }[]>({
    mutationFn: (answers) => api('POST', `${assessmentPath(id)}/confirmations`, { answers }),
    onSettled: async () => {
      await client.invalidateQueries({ queryKey: keys.assessment(id) });
    },
  });
  const confirmMutate = confirmation.mutate;
  const confirmOne = useCallback(
    (question: string, version: number) => confirmMutate([{ question, version }]),
    [confirmMutate],
  );
  const toConfirm = (question: string) => {
    const row = server.get(question);
    return editable &&
      from !== null &&
      row?.carried &&
      row.carried.answer !== null &&
      row.own === null &&
      !pending.get(question)
      ? { question, version: row.version }
      : undefined;
  };
  const waiting = framework.domains.reduce((n, d) => n + d.questions.filter((q) => toConfirm(q.id)).length, 0);

  // Resume where the user left: the first domain with a question still open, chosen once.
  const {
    current,
    index: domainIndex,
    domain,
    heading,
    pick,
  } = useDomainNavigation(framework, () => resumeDomain(framework, answerOf));
  const domainProgress = done.domains.get(domain.id) ?? { done: 0, total: domain.questions.length };
  const filesByQuestion = useFilesByQuestion(evidence.data);
  const domainToConfirm = domain.questions.flatMap((q) => toConfirm(q.id) ?? []);

  const complete = done.done === done.total;
  const firstOpen = framework.domains.find((d) => (done.domains.get(d.id)?.done ?? 0) < d.questions.length);
  // The questions still open, numbered as on the page: named in the confirmation of a submit without them.
  const openQuestions = framework.domains.flatMap((d, di) =>
    d.questions.flatMap((q, qi) =>
      answerOf(q.id) === null ? [{ id: q.id, number: `${di + 1}.${qi + 1}`, text: q.text }] : [],
    ),
  );

  return (
    <Page title={t('questionnaire.title', { organisation: organisation ?? t('questionnaire.yourOrganisation') })} wide>
      <p className="context">{[round, programme].filter(Boolean).join(' · ')}</p>
      <RoundNotice round={assessment.round} />
      <StatusNotice assessmentId={id} status={assessment.status} canAnswer={canAnswer} canValidate={canValidate} />
      <div className="overall">
        <p id="overall-label">
          {t('questionnaire.overall', {
            done: done.done,
            total: done.total,
            percent: formatPercent(done.done / done.total),
          })}
        </p>
        <progress value={done.done} max={done.total} aria-labelledby="overall-label" />
        {from !== null && waiting > 0 && <p>{t('carried.waiting', { count: waiting, round: from })}</p>}
      </div>
      {editable && <SaveSummary unsaved={summary.unsaved} failing={summary.failing} onRetry={retryAll} />}
      <div className="qn-layout">
        <DomainNav
          framework={framework}
          current={current}
          progress={done.domains}
          linkTo={domainLink}
          label={t('nav.label')}
          countLabel={(p) => t('nav.answered', { done: p.done, total: p.total })}
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
            {domain.description && <Text as="p" value={domain.description} />}
            <p className="muted">{t('nav.answeredLong', { done: domainProgress.done, total: domainProgress.total })}</p>
            {from !== null && domainToConfirm.length > 0 && (
              <div className="confirm-domain">
                <p className="hint">{t('carried.domainHint', { round: from })}</p>
                <button
                  type="button"
                  className="secondary"
                  disabled={confirmation.isPending}
                  onClick={() => confirmation.mutate(domainToConfirm)}
                >
                  {t('carried.confirmDomain', { count: domainToConfirm.length, round: from })}
                </button>
              </div>
            )}
            <ErrorNote error={confirmation.error} />
            <ol className="questions">
              {domain.questions.map((q, i) => (
                <li key={q.id}>
                  <QuestionCard
                    assessmentId={id}
                    userId={userId}
                    question={q}
                    number={`${domainIndex + 1}.${i + 1}`}
                    value={valueFor(q.id)}
                    entry={pending.get(q.id)}
                    editable={editable}
                    files={filesByQuestion.get(q.id) ?? NO_FILES}
                    carried={server.get(q.id)?.carried ?? null}
                    from={from}
                    confirmVersion={toConfirm(q.id)?.version}
                    confirming={confirmation.isPending}
                    onConfirm={confirmOne}
                  />
                </li>
              ))}
            </ol>
            {from !== null && (
              <DomainAccounts
                key={domain.id}
                assessmentId={id}
                domain={domain.id}
                previousRound={from}
                writeAs={canAnswer && assessment.round.state === 'open' ? 'organisation' : null}
              />
            )}
          </section>
          <DomainPager framework={framework} current={current} linkTo={domainLink} onPick={pick} />
          {editable && (
            <SubmitPanel
              assessmentId={id}
              complete={complete}
              open={openQuestions}
              unsaved={summary.unsaved}
              firstOpen={firstOpen && firstOpen.id !== current ? firstOpen : undefined}
              linkTo={domainLink}
              onPick={pick}
            />
          )}
        </div>
      </div>
    </Page>
  );
}

const NO_FILES: EvidenceItem[] = [];

function StatusNotice({
  assessmentId,
  status,
  canAnswer,
  canValidate,
}: {
  assessmentId: string;
  status: Assessment['status'];
  canAnswer: boolean;
  canValidate: boolean;
}) {
  const { t } = useTranslation('assessment');
  const review = `${assessmentPath(assessmentId)}/review`;
  if (!canAnswer)
    return (
      <div className="notice">
        <p>{t('questionnaire.viewOnly')}</p>
        {canValidate && (
          <p>
            <Link to={review}>{t('questionnaire.openReview')}</Link>
          </p>
        )}
      </div>
    );
  if (status === 'submitted')
    return (
      <div className="notice notice-submitted" role="status">
        <p>
          <strong>{t('questionnaire.submittedTitle')}</strong>
        </p>
        <p>{t('questionnaire.submittedBody')}</p>
      </div>
    );
  if (status === 'validated')
    return (
      <div className="notice notice-validated" role="status">
        <p>
          <strong>{t('questionnaire.validatedTitle')}</strong>
        </p>
        <p>
          {t('questionnaire.validatedBody')} <Link to={`${assessmentPath(assessmentId)}/results`}>{t('results')}</Link>
        </p>
      </div>
    );
  return null;
}

/** One question: its options as a radio group, guidance on demand, a note, evidence, and the save state. */
const QuestionCard = memo(function QuestionCard({
  assessmentId,
  userId,
  question,
  number,
  value,
  entry,
  editable,
  files,
  carried,
  from,
  confirmVersion,
  confirming,
  onConfirm,
}: {
  assessmentId: string;
  userId: string;
  question: Question;
  number: string;
  value: AnswerValue;
  entry: SaveEntry | undefined;
  editable: boolean;
  files: EvidenceItem[];
  /** The answer that counted in the round before, and that round's name. */
  carried: { answer: string | null; note: string } | null;
  from: string | null;
  /** Set while the carried answer waits to be confirmed: the version the confirmation names. */
  confirmVersion: number | undefined;
  confirming: boolean;
  onConfirm(question: string, version: number): void;
}) {
  const { t } = useTranslation('assessment');
  const uid = useId();
  const target = { assessmentId, layer: 'own' as const, question: question.id, userId };
  const key = saveKey(assessmentId, 'own', question.id);
  const choose = (answer: string | null) => change(target, { answer, note: value.note });
  const known = question.options.filter((o) => !o.unknown);
  const unknown = question.options.filter((o) => o.unknown);
  const radio = (optionId: string, label: ReactNode, className: string) => (
    <label className={`option ${className}`} key={optionId}>
      <input
        type="radio"
        name={`${uid}-answer`}
        value={optionId}
        checked={value.answer === optionId}
        onChange={() => choose(optionId)}
      />
      <span className="option-label">{label}</span>
    </label>
  );
  return (
    <article className="question" aria-labelledby={`${uid}-title`}>
      <fieldset className="answer" disabled={!editable}>
        <legend>
          <h3 id={`${uid}-title`} className="question-text">
            <span className="q-number">{number}</span> <Text value={question.text} />
          </h3>
        </legend>
        {question.guidance && (
          <details className="guidance">
            <summary>{t('question.guidance')}</summary>
            <Text as="p" value={question.guidance} />
          </details>
        )}
        {carried && from !== null && (
          <CarriedAnswer
            question={question}
            carried={carried}
            from={from}
            current={value.answer}
            action={
              confirmVersion !== undefined && (
                <button
                  type="button"
                  className="secondary"
                  disabled={confirming}
                  onClick={() => onConfirm(question.id, confirmVersion)}
                >
                  {t('carried.confirm')}
                  <span className="visually-hidden"> {t('carried.confirmOf', { number })}</span>
                </button>
              )
            }
          />
        )}
        <div className="options">
          {known.map((o) => radio(o.id, <Text value={o.label} />, 'option-known'))}
          {unknown.map((o) => radio(o.id, <Text value={o.label} />, 'option-unknown'))}
          {question.na && radio(NA, t('question.na'), 'option-na')}
        </div>
        {editable && value.answer !== null && (
          <button type="button" className="link clear" onClick={() => choose(null)}>
            {t('question.clear')}
          </button>
        )}
      </fieldset>
      {editable && <SaveStatus entry={entry} onRetry={() => change(target, value)} />}
      {editable ? (
        <div className="field note">
          <label htmlFor={`${uid}-note`}>{t('question.note')}</label>
          <p className="hint" id={`${uid}-note-hint`}>
            {t('question.noteHint')}
          </p>
          <textarea
            id={`${uid}-note`}
            aria-describedby={`${uid}-note-hint`}
            value={value.note}
            maxLength={LIMITS.note}
            rows={2}
            onChange={(e) => change(target, { answer: value.answer, note: e.target.value }, 800)}
            onBlur={() => flush(key)}
          />
        </div>
      ) : (
        value.note && (
          <div className="note-readonly">
            <h4>{t('question.note')}</h4>
            <p>{value.note}</p>
          </div>
        )
      )}
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
 * Submitting for validation. With every question answered, one button and a confirmation. With
 * questions still open — a real organisation cannot always answer everything — the panel points
 * to the first open domain and still offers to submit, after a confirmation that names each
 * question left open: they count as unanswered (not as 0) and the assessor sees them as open.
 */
function SubmitPanel({
  assessmentId,
  complete,
  open,
  unsaved,
  firstOpen,
  linkTo,
  onPick,
}: {
  assessmentId: string;
  complete: boolean;
  open: { id: string; number: string; text: Framework['domains'][number]['questions'][number]['text'] }[];
  unsaved: number;
  firstOpen: Framework['domains'][number] | undefined;
  linkTo: (domain: string) => string;
  onPick: (domain: string) => void;
}) {
  const { t } = useTranslation('assessment');
  const client = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const submit = useMutation({
    mutationFn: () => api<void>('POST', `${assessmentPath(assessmentId)}/submit`),
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
    <section className="submit-panel" aria-labelledby="submit-title">
      <h2 id="submit-title">{t('submit.title')}</h2>
      {!complete ? (
        <>
          <p>{t('submit.open', { count: open.length })}</p>
          {firstOpen && (
            <p>
              <Link to={linkTo(firstOpen.id)} onClick={() => onPick(firstOpen.id)}>
                {t('submit.continueWith')} <Text value={firstOpen.title} />
              </Link>
            </p>
          )}
          {unsaved > 0 ? (
            <p>{t('submit.waitForSavesPartial')}</p>
          ) : (
            <>
              <p>{t('submit.partialHint')}</p>
              <button type="button" className="secondary" onClick={() => setConfirming(true)}>
                {t('submit.partialButton', { count: open.length })}
              </button>
            </>
          )}
        </>
      ) : unsaved > 0 ? (
        <p>{t('submit.waitForSaves')}</p>
      ) : (
        <>
          <p>{t('submit.ready')}</p>
          <button type="button" onClick={() => setConfirming(true)}>
            {t('submit.button')}
          </button>
        </>
      )}
      <ConfirmDialog
        open={confirming}
        title={complete ? t('submit.confirmTitle') : t('submit.confirmPartialTitle', { count: open.length })}
        confirmLabel={complete ? t('submit.confirm') : t('submit.confirmPartial')}
        pending={submit.isPending}
        error={submit.error}
        onConfirm={() => submit.mutate()}
        onCancel={() => {
          submit.reset();
          setConfirming(false);
        }}
      >
        <p>{t('submit.confirmBody')}</p>
        {!complete && (
          <>
            <p>{t('submit.confirmOpen', { count: open.length })}</p>
            {/* A long list scrolls inside the dialog; focusable, so the keyboard can scroll it too. */}
            <ul className="open-questions" tabIndex={0} aria-label={t('submit.openListLabel')}>
              {open.map((q) => (
                <li key={q.id}>
                  <span className="q-number">{q.number}</span> <Text value={q.text} />
                </li>
              ))}
            </ul>
          </>
        )}
      </ConfirmDialog>
    </section>
  );
}
