/**
 * The threat survey, opened from one of the organisation's assessments: the questions the
 * programme asks beside the assessment, never scored — one choice (radio buttons), several
 * (checkboxes), a number with its unit, a short text. Saved all at once, sealed under the
 * organisation's key; the programme sees the answers only counted together with the others'.
 */
import type { SurveyQuestionView, SurveyResponse } from '@kalaja/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError } from '../../api';
import { ErrorNote, fieldError, Labelled, Loading, Page } from '../../components/ui';
import { useAssessment } from '../../queries';
import { saveSurvey, surveyKeys, useSurveyResponse } from './data';
import '../incidents/incidents.css';

type Value = string | string[] | number;

/** What the form holds for one question, read back into the value the API takes (null: unanswered). */
function valueOf(q: SurveyQuestionView, form: FormData): Value | null {
  if (q.type === 'multiple') {
    const chosen = form.getAll(q.id).map(String);
    return chosen.length > 0 ? chosen : null;
  }
  const raw = String(form.get(q.id) ?? '').trim();
  if (raw === '') return null;
  if (q.type === 'number') {
    const n = Number(raw.replace(',', '.'));
    // Sent as it is when it is not a number, so the server names it.
    return Number.isFinite(n) ? n : raw;
  }
  return raw;
}

function Question({
  q,
  value,
  error,
  disabled,
}: {
  q: SurveyQuestionView;
  value: Value | undefined;
  error: string | undefined;
  disabled: boolean;
}) {
  const { t } = useTranslation('survey');
  const hintId = `${q.id}-hint`;
  const errorId = `${q.id}-error`;
  const described = [q.guidance && hintId, error && errorId].filter(Boolean).join(' ') || undefined;
  if (q.type === 'single' || q.type === 'multiple') {
    const chosen = Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
    return (
      <fieldset className="survey-question" aria-describedby={described} aria-invalid={error ? true : undefined}>
        <legend>{q.text}</legend>
        {q.guidance && (
          <p className="hint" id={hintId}>
            {q.guidance}
          </p>
        )}
        {q.type === 'multiple' && <p className="hint">{t('form.several')}</p>}
        {q.options.map((o) => (
          <label key={o.id} className="survey-option">
            <input
              type={q.type === 'single' ? 'radio' : 'checkbox'}
              name={q.id}
              value={o.id}
              defaultChecked={chosen.includes(o.id)}
              disabled={disabled}
            />{' '}
            {o.label}
          </label>
        ))}
        {error && (
          <p className="field-error" id={errorId}>
            {error}
          </p>
        )}
      </fieldset>
    );
  }
  const label = q.type === 'number' && q.unit ? t('form.numberWithUnit', { text: q.text, unit: q.unit }) : q.text;
  return (
    <div className="survey-question">
      <Labelled
        label={label}
        hint={q.guidance ?? undefined}
        error={error}
        control={(wiring) =>
          q.type === 'number' ? (
            <span className="survey-number">
              <input
                {...wiring}
                name={q.id}
                type="number"
                inputMode={q.integer ? 'numeric' : 'decimal'}
                step={q.integer ? 1 : 'any'}
                {...(q.min !== null && { min: q.min })}
                {...(q.max !== null && { max: q.max })}
                defaultValue={typeof value === 'number' ? value : ''}
                disabled={disabled}
              />
              {q.unit && <span aria-hidden="true"> {q.unit}</span>}
            </span>
          ) : (
            <textarea
              {...wiring}
              name={q.id}
              rows={3}
              maxLength={q.maxLength ?? undefined}
              defaultValue={typeof value === 'string' ? value : ''}
              disabled={disabled}
            />
          )
        }
      />
    </div>
  );
}

function SurveyForm({ response }: { response: SurveyResponse }) {
  const { t, i18n } = useTranslation('survey');
  const queryClient = useQueryClient();
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const questions = response.survey.domains.flatMap((d) => d.questions);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const answers: Record<string, Value | null> = {};
    for (const q of questions) answers[q.id] = valueOf(q, form);
    setBusy(true);
    setSaved(false);
    try {
      const next = await saveSurvey(response, { answers }, i18n.language);
      queryClient.setQueryData(
        surveyKeys.response(response.programmeId, response.roundId, response.organisationId, i18n.language),
        next,
      );
      setError(null);
      setSaved(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const disabled = !response.canAnswer || busy;
  return (
    <form onSubmit={submit} noValidate aria-label={response.survey.title} key={response.version}>
      {response.survey.domains.map((d) => (
        <section key={d.id} aria-labelledby={`survey-${d.id}`} className="survey-domain">
          <h2 id={`survey-${d.id}`}>{d.title}</h2>
          {d.description && <p className="hint">{d.description}</p>}
          {d.questions.map((q) => (
            <Question
              key={q.id}
              q={q}
              value={response.answers[q.id]}
              error={fieldError(error, `answers.${q.id}`)}
              disabled={disabled}
            />
          ))}
        </section>
      ))}
      {error !== null && <ErrorNote error={error} />}
      {saved && <p role="status">{t('form.saved')}</p>}
      {response.canAnswer ? (
        <button type="submit" disabled={busy}>
          {t('form.save')}
        </button>
      ) : (
        <p>{t('form.closed')}</p>
      )}
    </form>
  );
}

export function SurveyPage() {
  const { t } = useTranslation('survey');
  const { id = '' } = useParams();
  const assessment = useAssessment(id);
  const response = useSurveyResponse(
    assessment.data?.programmeId,
    assessment.data?.roundId,
    assessment.data?.organisationId,
  );
  const error = assessment.error ?? response.error;
  if (error instanceof ApiError && error.status === 404)
    return (
      <Page title={t('page.none')}>
        <p>{t('page.noneHint')}</p>
        <Link to={`/assessments/${encodeURIComponent(id)}`}>{t('page.back')}</Link>
      </Page>
    );
  if (error)
    return (
      <Page title={t('page.loadFailed')}>
        <ErrorNote error={error} />
      </Page>
    );
  if (!assessment.data || !response.data) return <Loading />;
  return (
    <Page title={response.data.survey.title}>
      <p className="plan-context">
        <Link to={`/assessments/${encodeURIComponent(id)}`}>{t('page.back')}</Link>
      </p>
      <p className="hint">{t('page.intro')}</p>
      {response.data.survey.description && <p>{response.data.survey.description}</p>}
      <SurveyForm response={response.data} />
    </Page>
  );
}
