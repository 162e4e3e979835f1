import { indexCreate, programmeCreateRequest, type Programme } from '@kalaja/contracts';
import { LIMITS } from '@kalaja/contracts/limits';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { api, type ApiError } from '../../api';
import { checked } from '../../components/checked';
import { ErrorNote, Field, fieldError, Loading, Page } from '../../components/ui';
import { keys, useFrameworks } from '../../queries';
import { errorUnder, SelectField } from './fields';
import './manager.css';

interface RoundRow {
  key: number;
  name: string;
  startsOn: string;
  endsOn: string;
}

/** Create a programme: its name, the framework version it pins, and its rounds in order. */
export function NewProgrammePage() {
  const { t } = useTranslation('manager');
  const navigate = useNavigate();
  const client = useQueryClient();
  const frameworks = useFrameworks();
  const nextKey = useRef(2);
  const [rounds, setRounds] = useState<RoundRow[]>(() => [
    { key: 0, name: t('new.defaultRound.baseline'), startsOn: '', endsOn: '' },
    { key: 1, name: t('new.defaultRound.reassessment'), startsOn: '', endsOn: '' },
  ]);
  const [focusRow, setFocusRow] = useState<number | null>(null);
  const [submitted, setSubmitted] = useState(false);
  const [frameworkId, setFrameworkId] = useState('');
  const rowItems = useRef(new Map<number, HTMLLIElement>());
  const addButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (focusRow === null) return;
    if (focusRow < 0) addButton.current?.focus();
    else rowItems.current.get(focusRow)?.querySelector('input')?.focus();
    setFocusRow(null);
  }, [focusRow]);

  const m = useMutation<Programme, ApiError, { name: string; frameworkId: string }>({
    mutationFn: (v) => {
      const list = rounds.map((r) => ({
        name: r.name,
        ...(r.startsOn && { startsOn: r.startsOn }),
        ...(r.endsOn && { endsOn: r.endsOn }),
      }));
      // An institution framework makes an openness index: the same form, its rounds the waves.
      if (frameworks.data?.find((f) => f.id === v.frameworkId)?.subject === 'institution')
        return api<Programme>(
          'POST',
          '/indexes',
          checked(indexCreate, { name: v.name, frameworkId: v.frameworkId, waves: list }),
        );
      return api<Programme>(
        'POST',
        '/programmes',
        checked(programmeCreateRequest, { name: v.name, frameworkId: v.frameworkId, rounds: list }),
      );
    },
    onSuccess: async (p) => {
      client.setQueryData(keys.programme(p.id), p);
      // The creator becomes the programme's manager: their memberships change.
      await Promise.all([
        client.invalidateQueries({ queryKey: keys.programmes }),
        client.invalidateQueries({ queryKey: keys.me }),
      ]);
      await navigate(p.framework.subject === 'institution' ? `/indexes/${p.id}` : `/programmes/${p.id}`);
    },
  });

  // Checked here before sending: the server takes any two dates.
  const datesWrong = (r: RoundRow) => r.startsOn !== '' && r.endsOn !== '' && r.endsOn < r.startsOn;
  const update = (key: number, patch: Partial<RoundRow>) =>
    setRounds((rs) => rs.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const add = () => {
    const key = nextKey.current++;
    setRounds((rs) => [...rs, { key, name: '', startsOn: '', endsOn: '' }]);
    setFocusRow(key);
  };
  const remove = (key: number) => {
    setRounds((rs) => rs.filter((r) => r.key !== key));
    setFocusRow(-1);
  };

  if (frameworks.isPending) return <Loading />;
  const framework = frameworks.data?.find((f) => f.id === frameworkId) ?? frameworks.data?.[0];
  const roundsError = fieldError(m.error, 'rounds');

  return (
    <Page title={t('new.title')}>
      <div className="manager">
        <p>{t('new.intro')}</p>
        <ErrorNote error={frameworks.error} />
        {frameworks.data?.length === 0 && <p className="error-note">{t('new.noFramework')}</p>}
        <form
          className="stack new-programme"
          onSubmit={(e) => {
            e.preventDefault();
            setSubmitted(true);
            if (rounds.some(datesWrong)) return;
            const data = new FormData(e.currentTarget);
            m.mutate({ name: String(data.get('name') ?? ''), frameworkId: String(data.get('frameworkId') ?? '') });
          }}
        >
          <Field
            label={t('new.name')}
            hint={t('new.nameHint')}
            name="name"
            required
            maxLength={LIMITS.name}
            autoComplete="off"
            error={fieldError(m.error, 'name')}
          />
          <SelectField
            label={t('new.framework')}
            hint={t('new.frameworkHint')}
            name="frameworkId"
            required
            value={framework?.id ?? ''}
            onChange={(e) => setFrameworkId(e.target.value)}
            error={fieldError(m.error, 'frameworkId')}
          >
            {frameworks.data?.map((f) => (
              <option key={f.id} value={f.id}>
                {t('new.frameworkOption', { title: f.title, version: f.version })}
              </option>
            ))}
          </SelectField>
          {framework && (
            <p className="muted framework-details">
              {t('new.frameworkDetails', {
                key: framework.key,
                version: framework.version,
                count: framework.questions,
              })}
            </p>
          )}
          {framework?.subject === 'institution' && <p className="hint">{t('new.institutionFramework')}</p>}
          <fieldset className="rounds">
            <legend>{t('new.rounds')}</legend>
            <p className="hint">{t('new.roundsHint')}</p>
            {roundsError && <p className="field-error">{roundsError}</p>}
            <ol className="round-list">
              {rounds.map((r, i) => (
                <li
                  key={r.key}
                  ref={(el) => {
                    if (el) rowItems.current.set(r.key, el);
                    else rowItems.current.delete(r.key);
                  }}
                >
                  <fieldset className="round-row">
                    <legend>{t('new.round', { n: i + 1 })}</legend>
                    <Field
                      label={t('new.roundName')}
                      value={r.name}
                      required
                      maxLength={LIMITS.short}
                      autoComplete="off"
                      onChange={(e) => update(r.key, { name: e.target.value })}
                      error={errorUnder(m.error, `rounds.${i}.name`)}
                    />
                    <Field
                      label={t('new.startsOn')}
                      type="date"
                      value={r.startsOn}
                      onChange={(e) => update(r.key, { startsOn: e.target.value })}
                      error={errorUnder(m.error, `rounds.${i}.startsOn`)}
                    />
                    <Field
                      label={t('new.endsOn')}
                      type="date"
                      value={r.endsOn}
                      min={r.startsOn || undefined}
                      onChange={(e) => update(r.key, { endsOn: e.target.value })}
                      error={
                        submitted && datesWrong(r)
                          ? t('new.endsBeforeStart')
                          : errorUnder(m.error, `rounds.${i}.endsOn`)
                      }
                    />
                    <button
                      type="button"
                      className="secondary remove"
                      disabled={rounds.length === 1}
                      onClick={() => remove(r.key)}
                    >
                      {t('new.remove')}
                      <span className="visually-hidden"> {t('new.round', { n: i + 1 })}</span>
                    </button>
                  </fieldset>
                </li>
              ))}
            </ol>
            <button
              type="button"
              className="secondary"
              ref={addButton}
              onClick={add}
              disabled={rounds.length >= LIMITS.rounds}
            >
              {t('new.addRound')}
            </button>
          </fieldset>
          <ErrorNote error={m.error} />
          <div className="actions">
            <button type="submit" disabled={m.isPending || !frameworks.data?.length}>
              {m.isPending ? t('new.creating') : t('new.create')}
            </button>
            <Link to="/">{t('new.cancel')}</Link>
          </div>
        </form>
      </div>
    </Page>
  );
}
