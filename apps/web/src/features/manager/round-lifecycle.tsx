import type { Round, RoundEvent } from '@kalaja/contracts';
import { LIMITS } from '@kalaja/contracts/limits';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, path, retryTransient, type ApiError } from '../../api';
import { useStepUp } from '../../components/step-up';
import { ErrorNote, fieldError, formValues, Labelled } from '../../components/ui';
import { formatMoment } from '../../format';
import { keys } from '../../queries';

/**
 * What a manager does with a round: open it (after the round before it), close it once its
 * assessments are done (it is read-only then), or reopen it — on purpose, with a reason that
 * the round's history keeps, after confirming it is them.
 */
export function RoundActions({ programmeId, rounds, round }: { programmeId: string; rounds: Round[]; round: Round }) {
  const { t } = useTranslation('manager');
  const client = useQueryClient();
  const stepUp = useStepUp();
  const [reopening, setReopening] = useState(false);
  const act = useMutation<void, ApiError, { action: 'open' | 'close' | 'reopen'; reason?: string }>({
    mutationFn: ({ action, reason }) =>
      stepUp.withStepUp(() =>
        api<void>(
          'POST',
          path`/programmes/${programmeId}/rounds/${round.id}/${action}`,
          action === 'reopen' ? { reason } : {},
        ),
      ),
    onSuccess: async () => {
      setReopening(false);
      await client.invalidateQueries({ queryKey: keys.programme(programmeId) });
      await client.invalidateQueries({ queryKey: keys.programmes });
      await client.invalidateQueries({ queryKey: keys.assessments });
    },
  });
  const before = rounds.find((r) => r.position === round.position - 1);
  const waiting = before !== undefined && before.state === 'scheduled';
  return (
    <div className="round-actions">
      <ErrorNote error={act.error && fieldError(act.error, 'reason') ? undefined : act.error} />
      {round.state === 'scheduled' && (
        <>
          <button
            type="button"
            className="button secondary"
            disabled={waiting || act.isPending}
            aria-describedby={waiting ? `round-waits-${round.id}` : undefined}
            onClick={() => act.mutate({ action: 'open' })}
          >
            {t('rounds.openButton', { name: round.name })}
          </button>
          {waiting && (
            <p className="hint" id={`round-waits-${round.id}`}>
              {t('rounds.waits', { before: before.name })}
            </p>
          )}
        </>
      )}
      {round.state === 'open' && (
        <button
          type="button"
          className="button secondary"
          disabled={act.isPending}
          onClick={() => {
            if (window.confirm(t('rounds.closeConfirm', { name: round.name }))) act.mutate({ action: 'close' });
          }}
        >
          {t('rounds.closeButton', { name: round.name })}
        </button>
      )}
      {round.state === 'closed' && !reopening && (
        <button type="button" className="button secondary" onClick={() => setReopening(true)}>
          {t('rounds.reopenButton', { name: round.name })}
        </button>
      )}
      {round.state === 'closed' && reopening && (
        <form
          className="stack"
          onSubmit={(e) => {
            e.preventDefault();
            act.mutate({ action: 'reopen', reason: formValues(e).reason ?? '' });
          }}
        >
          <Labelled
            label={t('rounds.reason')}
            hint={t('rounds.reasonHint')}
            error={fieldError(act.error, 'reason')}
            control={(wiring) => <textarea {...wiring} name="reason" required maxLength={LIMITS.note} rows={3} />}
          />
          <p className="actions">
            <button type="submit" className="button" disabled={act.isPending}>
              {t('rounds.reopenConfirm', { name: round.name })}
            </button>
            <button type="button" className="button secondary" onClick={() => setReopening(false)}>
              {t('rounds.cancel')}
            </button>
          </p>
        </form>
      )}
      {stepUp.dialog}
    </div>
  );
}

/** Who opened, closed and reopened the rounds, and why each was reopened. */
export function RoundHistory({ programmeId }: { programmeId: string }) {
  const { t } = useTranslation('manager');
  const events = useQuery<RoundEvent[], ApiError>({
    queryKey: [...keys.programme(programmeId), 'round-events'],
    queryFn: () => api('GET', path`/programmes/${programmeId}/round-events`),
    retry: retryTransient,
  });
  if (!events.data || events.data.length === 0) return <ErrorNote error={events.error} />;
  return (
    <details className="round-history">
      <summary>{t('rounds.history')}</summary>
      <ul>
        {events.data.map((e) => (
          <li key={e.id}>
            {t(`rounds.event.${e.action}`, {
              round: e.round,
              by: e.by ?? t('rounds.byStartDate'),
              at: formatMoment(e.at),
            })}
            {e.reason && <q className="round-reason">{e.reason}</q>}
          </li>
        ))}
      </ul>
    </details>
  );
}
