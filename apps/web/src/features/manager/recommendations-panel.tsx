import type {
  RecommendationAddRequest,
  RecommendationEditRequest,
  RecommendationItem,
  RecommendationReview,
  ReportLanguage,
} from '@kalaja/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, path, type ApiError } from '../../api';
import { ErrorNote, Field, fieldError, Labelled } from '../../components/ui';
import { LANGUAGES } from '../../i18n';
import { keys } from '../../queries';
import { SelectField } from './fields';

const PRIORITIES = ['high', 'medium', 'low'] as const;

/**
 * The programme team's review of the recommendations the rules drafted: before a programme
 * report is made, a manager reads each draft (in one of the report languages), edits its
 * title, text or priority, drops or restores it, or adds a recommendation of the team's own.
 * Reports made afterwards carry the review and mark what the team changed.
 */
export function RecommendationsPanel({
  programmeId,
  paper = false,
}: {
  programmeId: string;
  /** An openness index's: the drafts of its policy paper (docs/contracts.md §11), not a programme report's. */
  paper?: boolean;
}) {
  const { t, i18n } = useTranslation('manager');
  const client = useQueryClient();
  const [language, setLanguage] = useState<ReportLanguage>(
    (LANGUAGES.find((l) => l.code === i18n.language)?.code ?? 'en') as ReportLanguage,
  );
  const queryKey = [...keys.recommendations(programmeId), language];
  const review = useQuery<RecommendationReview, ApiError>({
    queryKey,
    queryFn: () => api('GET', `${path`/programmes/${programmeId}/recommendations`}?language=${language}`),
  });
  const refresh = () => client.invalidateQueries({ queryKey: keys.recommendations(programmeId) });
  const edit = useMutation<void, ApiError, { id: string; body: RecommendationEditRequest }>({
    mutationFn: ({ id, body }) => api('PUT', path`/programmes/${programmeId}/recommendations/${id}`, body),
    onSuccess: refresh,
  });
  const revert = useMutation<void, ApiError, string>({
    mutationFn: (id) => api('DELETE', path`/programmes/${programmeId}/recommendations/${id}`),
    onSuccess: refresh,
  });
  const items = review.data?.items ?? [];
  return (
    <div className="stack recommendations-panel">
      <h3 id="recommendations-title">{t(paper ? 'recommendations.paperTitle' : 'recommendations.title')}</h3>
      <p className="hint">{t(paper ? 'recommendations.paperIntro' : 'recommendations.intro')}</p>
      <SelectField
        label={t('recommendations.language')}
        value={language}
        onChange={(e) => setLanguage(e.target.value as ReportLanguage)}
      >
        {LANGUAGES.map((l) => (
          <option key={l.code} value={l.code}>
            {l.name}
          </option>
        ))}
      </SelectField>
      <ErrorNote error={review.error ?? edit.error ?? revert.error} />
      {review.data && items.length === 0 && <p className="muted">{t('recommendations.none')}</p>}
      {review.data && review.data.stale.length > 0 && (
        <p className="muted">{t('recommendations.stale', { count: review.data.stale.length })}</p>
      )}
      <ol className="recommendation-list" aria-labelledby="recommendations-title">
        {items.map((r) => (
          <RecommendationCard
            key={r.id}
            item={r}
            language={language}
            busy={edit.isPending || revert.isPending}
            onSave={(body) => edit.mutateAsync({ id: r.id, body })}
            onRevert={() => revert.mutate(r.id)}
          />
        ))}
      </ol>
      <AddRecommendation programmeId={programmeId} language={language} onAdded={refresh} paper={paper} />
    </div>
  );
}

function RecommendationCard({
  item,
  language,
  busy,
  onSave,
  onRevert,
}: {
  item: RecommendationItem;
  language: ReportLanguage;
  busy: boolean;
  onSave(body: RecommendationEditRequest): Promise<void>;
  onRevert(): void;
}) {
  const { t } = useTranslation('manager');
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const dropped = item.review === 'dropped';
  return (
    <li className={`recommendation${dropped ? ' recommendation-dropped' : ''}`}>
      <p className="recommendation-meta">
        <span className="badge">{t(`recommendations.priority.${item.priority}`)}</span>{' '}
        {item.review === 'added'
          ? t('recommendations.added')
          : t('recommendations.rule', { rule: item.rule }) +
            (item.review === 'edited' ? ` · ${t('recommendations.edited')}` : '') +
            (dropped ? ` · ${t('recommendations.dropped')}` : '')}
      </p>
      {editing ? (
        <form
          className="stack"
          onSubmit={(e) => {
            e.preventDefault();
            const data = new FormData(e.currentTarget);
            setError(null);
            onSave({
              language,
              title: String(data.get('title') ?? ''),
              text: String(data.get('text') ?? ''),
              priority: String(data.get('priority')) as RecommendationEditRequest['priority'],
            })
              .then(() => setEditing(false))
              .catch(setError);
          }}
        >
          <Field
            label={t('recommendations.titleLabel')}
            name="title"
            defaultValue={item.title}
            required
            maxLength={300}
          />
          <Labelled
            label={t('recommendations.textLabel')}
            error={fieldError(error, 'text')}
            control={(wiring) => (
              <textarea {...wiring} name="text" defaultValue={item.text} required maxLength={4000} rows={5} />
            )}
          />
          <SelectField label={t('recommendations.priorityLabel')} name="priority" defaultValue={item.priority}>
            {PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {t(`recommendations.priority.${p}`)}
              </option>
            ))}
          </SelectField>
          <ErrorNote error={error} />
          <div className="actions">
            <button type="submit" disabled={busy}>
              {t('recommendations.save')}
            </button>
            <button type="button" className="secondary" onClick={() => setEditing(false)}>
              {t('recommendations.cancel')}
            </button>
          </div>
        </form>
      ) : (
        <>
          <p className="recommendation-title">
            <strong>{item.title}</strong>
          </p>
          <p>{item.text}</p>
          <div className="actions">
            {!dropped && (
              <button type="button" className="secondary" onClick={() => setEditing(true)} disabled={busy}>
                {t('recommendations.edit')}
                <span className="visually-hidden"> {item.title}</span>
              </button>
            )}
            {item.review === 'drafted' || item.review === 'edited' ? (
              <button
                type="button"
                className="secondary"
                disabled={busy}
                onClick={() => void onSave({ language, dropped: true }).catch(setError)}
              >
                {t('recommendations.drop')}
                <span className="visually-hidden"> {item.title}</span>
              </button>
            ) : null}
            {item.review !== 'drafted' && (
              <button type="button" className="secondary" disabled={busy} onClick={onRevert}>
                {item.review === 'added'
                  ? t('recommendations.remove')
                  : dropped
                    ? t('recommendations.restore')
                    : t('recommendations.revert')}
                <span className="visually-hidden"> {item.title}</span>
              </button>
            )}
          </div>
        </>
      )}
    </li>
  );
}

function AddRecommendation({
  programmeId,
  language,
  onAdded,
  paper,
}: {
  programmeId: string;
  language: ReportLanguage;
  onAdded(): Promise<void>;
  paper: boolean;
}) {
  const { t } = useTranslation('manager');
  const add = useMutation<{ id: string }, ApiError, RecommendationAddRequest>({
    mutationFn: (body) => api('POST', path`/programmes/${programmeId}/recommendations`, body),
    onSuccess: onAdded,
  });
  return (
    <details className="add-recommendation">
      <summary>{t('recommendations.add')}</summary>
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          const form = e.currentTarget;
          const data = new FormData(form);
          add.mutate(
            {
              language,
              title: String(data.get('title') ?? ''),
              text: String(data.get('text') ?? ''),
              priority: String(data.get('priority')) as RecommendationAddRequest['priority'],
            },
            { onSuccess: () => form.reset() },
          );
        }}
      >
        <Field label={t('recommendations.titleLabel')} name="title" required maxLength={300} />
        <Labelled
          label={t('recommendations.textLabel')}
          control={(wiring) => <textarea {...wiring} name="text" required maxLength={4000} rows={4} />}
        />
        <SelectField label={t('recommendations.priorityLabel')} name="priority" defaultValue="medium">
          {PRIORITIES.map((p) => (
            <option key={p} value={p}>
              {t(`recommendations.priority.${p}`)}
            </option>
          ))}
        </SelectField>
        <ErrorNote error={add.error} />
        {add.isSuccess && (
          <p className="success" role="status">
            {t(paper ? 'recommendations.paperAddedDone' : 'recommendations.addedDone')}
          </p>
        )}
        <div className="actions">
          <button type="submit" disabled={add.isPending}>
            {t('recommendations.addSubmit')}
          </button>
        </div>
      </form>
    </details>
  );
}
