import type { QuestionnaireView } from '@kalaja/contracts';
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { api, path, type ApiError } from '../../api';
import { ErrorNote, Field, fieldError, Loading, Page } from '../../components/ui';
import './openness.css';

/**
 * The questionnaire an institution's contact answers through a one-time link (`/questionnaire/<token>`):
 * no account, no cookie; the answers go to the research team, who validate them.
 */
export function QuestionnairePage() {
  const { t, i18n } = useTranslation('openness');
  const { token = '' } = useParams();
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState<number | undefined>();
  // The indicators of the last answers sent, in the order the server numbers its field problems.
  const [sent, setSent] = useState<string[]>([]);
  const q = useQuery<QuestionnaireView, ApiError>({
    queryKey: ['questionnaire', token, i18n.language],
    queryFn: () => api('GET', `${path`/questionnaires/${token}`}?lang=${encodeURIComponent(i18n.language)}`),
    retry: false,
    enabled: saved === undefined,
  });
  if (saved !== undefined)
    return (
      <Page title={t('questionnaire.thanks')}>
        <p role="status">{t('questionnaire.saved', { count: saved })}</p>
      </Page>
    );
  if (q.isPending) return <Loading />;
  if (!q.data) return <Page title={t('questionnaire.notFound')}>{null}</Page>;
  const d = q.data;
  const send = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const answers = d.indicators
      .map((x) => ({
        indicator: x.id,
        answer: String(form.get(`answer-${x.id}`) ?? ''),
        url: String(form.get(`url-${x.id}`) ?? ''),
      }))
      .filter((a) => a.answer !== '');
    setSent(answers.map((a) => a.indicator));
    try {
      setError(undefined);
      const r = await api<{ saved: number }>('POST', path`/questionnaires/${token}`, { answers });
      setSaved(r.saved);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Page title={t('questionnaire.title', { institution: d.institution })}>
      <p>{t('questionnaire.intro', { index: d.index, wave: d.wave })}</p>
      <form noValidate onSubmit={(e) => void send(e)} className="openness-form">
        <ErrorNote error={error} />
        {d.indicators.map((x) => (
          <fieldset key={x.id}>
            <legend>{x.text}</legend>
            {x.guidance && <p className="hint">{x.guidance}</p>}
            <label>
              {t('field.answer')}
              <select name={`answer-${x.id}`} defaultValue={x.answer ?? ''}>
                <option value="">{t('field.noAnswer')}</option>
                {x.options.map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.label}
                  </option>
                ))}
                {x.na && <option value="na">{t('field.na')}</option>}
              </select>
            </label>
            <Field
              label={t('questionnaire.where')}
              name={`url-${x.id}`}
              type="url"
              error={fieldError(error, `answers.${sent.indexOf(x.id)}.url`)}
            />
          </fieldset>
        ))}
        <button type="submit">{t('questionnaire.send')}</button>
      </form>
    </Page>
  );
}
