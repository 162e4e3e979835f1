/**
 * An organisation's incident log, opened from one of its assessments: what it met (an attack,
 * a threat, a near miss), in the taxonomy's words and its own, with what was done, the help it
 * had and the handbook sections that help. Its people record and edit (each edit a version the
 * history keeps); its admin deletes an incident and decides whether its assessor may see and
 * record the log. The programme's managers read it.
 */
import { LIMITS } from '@kalaja/contracts/limits';
import type { Incident, IncidentCreate, IncidentTaxonomyView, OrganisationIncidents } from '@kalaja/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError } from '../../api';
import { ErrorNote, Field, fieldError, Labelled, Loading, Page } from '../../components/ui';
import { formatDay } from '../../format';
import { useAssessment } from '../../queries';
import { HandbookSectionLinks } from '../handbook/handbook-links';
import {
  deleteIncident,
  incidentKeys,
  recordIncident,
  setConsent,
  updateIncident,
  useIncidents,
  useTaxonomy,
} from './data';
import './incidents.css';

const today = () => new Date().toISOString().slice(0, 10);

export function IncidentsPage() {
  const { t } = useTranslation('incidents');
  const { id = '' } = useParams();
  const assessment = useAssessment(id);
  const list = useIncidents(assessment.data?.programmeId, assessment.data?.organisationId);
  const taxonomy = useTaxonomy();
  const [adding, setAdding] = useState(false);
  const error = assessment.error ?? list.error ?? taxonomy.error;
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
  if (!assessment.data || !list.data || !taxonomy.data) return <Loading />;
  const data = list.data;
  return (
    <Page
      title={data.organisation ? t('page.title', { organisation: data.organisation }) : t('page.titleUnnamed')}
      wide
    >
      <p className="plan-context">
        <Link to={`/assessments/${encodeURIComponent(id)}/plan`}>{t('page.plan')}</Link>
      </p>
      <p className="hint">{t('page.intro')}</p>
      {data.canConsent && <Consent list={data} />}
      {data.canRecord &&
        (adding ? (
          <IncidentForm list={data} taxonomy={taxonomy.data} onDone={() => setAdding(false)} />
        ) : (
          <button type="button" onClick={() => setAdding(true)}>
            {t('page.add')}
          </button>
        ))}
      {data.incidents.length === 0 ? (
        <p>{t('page.empty')}</p>
      ) : (
        <ul className="incident-list" aria-label={t('page.listLabel')}>
          {data.incidents.map((i) => (
            <li key={i.id}>
              <IncidentCard incident={i} list={data} taxonomy={taxonomy.data} />
            </li>
          ))}
        </ul>
      )}
    </Page>
  );
}

/** The title of an id in one of the taxonomy's lists; the id itself when the list lacks it. */
function titleIn(list: readonly { id: string; title: string }[], id: string) {
  return list.find((e) => e.id === id)?.title ?? id;
}

function Consent({ list }: { list: OrganisationIncidents }) {
  const { t } = useTranslation('incidents');
  const client = useQueryClient();
  const [error, setError] = useState<unknown>(null);
  const toggle = async (assessor: boolean) => {
    setError(null);
    try {
      const next = await setConsent(list.programmeId, list.organisationId, assessor);
      client.setQueryData(incidentKeys.list(list.programmeId, list.organisationId), next);
    } catch (e) {
      setError(e);
    }
  };
  return (
    <fieldset className="incident-consent">
      <legend>{t('consent.title')}</legend>
      <label>
        <input type="checkbox" checked={list.assessorConsent} onChange={(e) => void toggle(e.target.checked)} />{' '}
        {t('consent.label')}
      </label>
      <p className="hint">{t('consent.hint')}</p>
      <ErrorNote error={error} />
    </fieldset>
  );
}

function IncidentCard({
  incident: i,
  list,
  taxonomy,
}: {
  incident: Incident;
  list: OrganisationIncidents;
  taxonomy: IncidentTaxonomyView;
}) {
  const { t } = useTranslation('incidents');
  const client = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const refresh = () =>
    client.invalidateQueries({ queryKey: incidentKeys.list(list.programmeId, list.organisationId) });
  const remove = async () => {
    if (!window.confirm(t('card.confirmDelete'))) return;
    try {
      await deleteIncident(i);
      await refresh();
    } catch (e) {
      setError(e);
    }
  };
  const titles = (l: readonly { id: string; title: string }[], ids: readonly string[]) =>
    ids.length === 0 ? t('card.none') : ids.map((id) => titleIn(l, id)).join(', ');
  if (editing) return <IncidentForm list={list} taxonomy={taxonomy} incident={i} onDone={() => setEditing(false)} />;
  return (
    <article className="incident" aria-labelledby={`incident-${i.id}`}>
      <h2 id={`incident-${i.id}`}>
        {titleIn(taxonomy.categories, i.category)}{' '}
        <span className="muted">
          {i.endedOn
            ? t('card.period', { from: formatDay(i.occurredOn), to: formatDay(i.endedOn) })
            : formatDay(i.occurredOn)}
        </span>
      </h2>
      <p className="incident-tags">
        {[
          titleIn(taxonomy.actors, i.actor),
          titleIn(taxonomy.targeting, i.targeting),
          titleIn(taxonomy.certainty, i.certainty),
        ].join(' · ')}
      </p>
      <p className="incident-text">{i.description}</p>
      <dl>
        <dt>{t('field.effectsPeople')}</dt>
        <dd>{titles(taxonomy.effects.people, i.effectsPeople)}</dd>
        <dt>{t('field.effectsWork')}</dt>
        <dd>{titles(taxonomy.effects.work, i.effectsWork)}</dd>
        <dt>{t('field.actions')}</dt>
        <dd className="incident-text">{i.actions || t('card.none')}</dd>
        <dt>{t('field.responses')}</dt>
        <dd>{titles(taxonomy.responses, i.responses)}</dd>
        {i.handbook.length > 0 && (
          <>
            <dt>{t('card.handbook')}</dt>
            <dd>
              <HandbookSectionLinks ids={i.handbook} />
            </dd>
          </>
        )}
      </dl>
      {i.history.length > 1 && (
        <details>
          <summary>{t('card.history', { count: i.history.length })}</summary>
          <ol className="incident-history">
            {i.history.map((v) => (
              <li key={v.version}>
                {t('card.version', {
                  version: v.version,
                  at: formatDay(v.at.slice(0, 10)),
                  by: v.by?.displayName || t('card.kalaja'),
                })}
                <p className="incident-text">{v.content.description}</p>
              </li>
            ))}
          </ol>
        </details>
      )}
      <div className="actions">
        {list.canRecord && (
          <button type="button" onClick={() => setEditing(true)}>
            {t('card.edit')}
          </button>
        )}
        {list.canDelete && (
          <button type="button" className="danger" onClick={() => void remove()}>
            {t('card.delete')}
          </button>
        )}
      </div>
      <ErrorNote error={error} />
    </article>
  );
}

function Choices({
  name,
  legend,
  options,
  chosen,
}: {
  name: string;
  legend: string;
  options: readonly { id: string; title: string }[];
  chosen: readonly string[];
}) {
  return (
    <fieldset className="incident-choices">
      <legend>{legend}</legend>
      {options.map((o) => (
        <label key={o.id}>
          <input type="checkbox" name={name} value={o.id} defaultChecked={chosen.includes(o.id)} /> {o.title}
        </label>
      ))}
    </fieldset>
  );
}

function Pick({
  name,
  label,
  options,
  value,
  error,
}: {
  name: string;
  label: string;
  options: readonly { id: string; title: string }[];
  value: string | undefined;
  error: string | undefined;
}) {
  return (
    <Labelled
      label={label}
      error={error}
      control={(p) => (
        <select {...p} name={name} defaultValue={value ?? options[0]?.id} required>
          {options.map((o) => (
            <option key={o.id} value={o.id}>
              {o.title}
            </option>
          ))}
        </select>
      )}
    />
  );
}

function IncidentForm({
  list,
  taxonomy,
  incident,
  onDone,
}: {
  list: OrganisationIncidents;
  taxonomy: IncidentTaxonomyView;
  incident?: Incident;
  onDone: () => void;
}) {
  const { t } = useTranslation('incidents');
  const client = useQueryClient();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const one = (k: string) => String(form.get(k) ?? '');
    const body: IncidentCreate = {
      occurredOn: one('occurredOn'),
      endedOn: one('endedOn') || null,
      category: one('category'),
      actor: one('actor'),
      targeting: one('targeting'),
      certainty: one('certainty'),
      description: one('description'),
      effectsPeople: form.getAll('effectsPeople').map(String),
      effectsWork: form.getAll('effectsWork').map(String),
      actions: one('actions'),
      responses: form.getAll('responses').map(String),
    };
    setBusy(true);
    setError(null);
    try {
      if (incident) await updateIncident(incident, body);
      else await recordIncident(list.programmeId, list.organisationId, body);
      await client.invalidateQueries({ queryKey: incidentKeys.list(list.programmeId, list.organisationId) });
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const err = (where: string) => fieldError(error, where);
  return (
    <form
      className="incident-form"
      onSubmit={(e) => void submit(e)}
      aria-label={incident ? t('form.editTitle') : t('form.title')}
    >
      <h2>{incident ? t('form.editTitle') : t('form.title')}</h2>
      <div className="incident-dates">
        <Field
          label={t('field.occurredOn')}
          name="occurredOn"
          type="date"
          required
          max={today()}
          defaultValue={incident?.occurredOn ?? today()}
          error={err('occurredOn')}
        />
        <Field
          label={t('field.endedOn')}
          hint={t('field.endedOnHint')}
          name="endedOn"
          type="date"
          max={today()}
          defaultValue={incident?.endedOn ?? ''}
          error={err('endedOn')}
        />
      </div>
      <Pick
        name="category"
        label={t('field.category')}
        options={taxonomy.categories}
        value={incident?.category}
        error={err('category')}
      />
      <Pick
        name="actor"
        label={t('field.actor')}
        options={taxonomy.actors}
        value={incident?.actor ?? 'unknown'}
        error={err('actor')}
      />
      <Pick
        name="targeting"
        label={t('field.targeting')}
        options={taxonomy.targeting}
        value={incident?.targeting ?? 'unknown'}
        error={err('targeting')}
      />
      <Pick
        name="certainty"
        label={t('field.certainty')}
        options={taxonomy.certainty}
        value={incident?.certainty}
        error={err('certainty')}
      />
      <Labelled
        label={t('field.description')}
        hint={t('field.descriptionHint')}
        error={err('description')}
        control={(p) => (
          <textarea
            {...p}
            name="description"
            required
            rows={4}
            maxLength={LIMITS.note}
            defaultValue={incident?.description ?? ''}
          />
        )}
      />
      <Choices
        name="effectsPeople"
        legend={t('field.effectsPeople')}
        options={taxonomy.effects.people}
        chosen={incident?.effectsPeople ?? []}
      />
      <Choices
        name="effectsWork"
        legend={t('field.effectsWork')}
        options={taxonomy.effects.work}
        chosen={incident?.effectsWork ?? []}
      />
      <Labelled
        label={t('field.actions')}
        error={err('actions')}
        control={(p) => (
          <textarea {...p} name="actions" rows={3} maxLength={LIMITS.note} defaultValue={incident?.actions ?? ''} />
        )}
      />
      <Choices
        name="responses"
        legend={t('field.responses')}
        options={taxonomy.responses}
        chosen={incident?.responses ?? []}
      />
      <ErrorNote error={error} />
      <div className="actions">
        <button type="submit" disabled={busy}>
          {incident ? t('form.saveEdit') : t('form.save')}
        </button>
        <button type="button" onClick={onDone}>
          {t('form.cancel')}
        </button>
      </div>
    </form>
  );
}
