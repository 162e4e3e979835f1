import { LIMITS } from '@kalaja/contracts/limits';
import {
  interventionKind,
  PLAN_TRANSITIONS,
  type OrganisationPlan,
  type PlanEvent,
  type PlanItem,
  type PlanStatus,
  type RankedIntervention,
} from '@kalaja/contracts';
import { DECIMALS, pickText, type Framework, type LocalText } from '@kalaja/engine/display';
import { useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, path } from '../../api';
import { EvidenceFileList } from '../../components/evidence-files';
import { useStepUp } from '../../components/step-up';
import { ErrorNote, Field, fieldError, Labelled } from '../../components/ui';
import { formatDay, formatMoment, formatSigned } from '../../format';
import { useMe } from '../../session';
import { HandbookSectionLinks } from '../handbook/handbook-links';
import { changeStatus, createItem, planKeys, updateItem, uploadEvidence } from './data';

const ACCEPT = '.pdf,.png,.jpg,.jpeg,.webp,.docx,.xlsx,.odt,.ods,.txt,.md,.csv';
const signed1 = (x: number) => formatSigned(x, DECIMALS.organisation);

/** A content text (the catalogue's, the framework's) in the reader's language. */
export function useLocalText() {
  const { i18n } = useTranslation();
  return (text: LocalText) => pickText(text, i18n.language).text;
}

/** An item's title: the catalogue's for an intervention, the team's own otherwise. */
export function useItemTitle() {
  const local = useLocalText();
  return (item: Pick<PlanItem, 'intervention' | 'title'>) =>
    item.intervention ? local(item.intervention.title) : (item.title ?? '');
}

/** After a change, the plan, the ranking and the programme's view read again. */
function useRefresh(programmeId: string, organisationId: string) {
  const client = useQueryClient();
  return async () => {
    await Promise.all([
      client.invalidateQueries({ queryKey: planKeys.plan(programmeId, organisationId) }),
      client.invalidateQueries({ queryKey: ['assessment'] }),
      client.invalidateQueries({ queryKey: planKeys.programme(programmeId) }),
    ]);
  };
}

/** A stale version (412) in words, the rest as the server said it. */
function useErrorText() {
  const { t } = useTranslation('plan');
  return (e: unknown) => (e instanceof ApiError && e.status === 412 ? t('item.stale') : undefined);
}

function Badges({ item }: { item: Pick<PlanItem, 'intervention' | 'kind'> }) {
  const { t } = useTranslation('plan');
  return (
    <span className="plan-badges">
      <span className="badge">{t(`kind.${item.kind}`)}</span>
      {item.intervention && (
        <>
          <span className={`badge effort-${item.intervention.effort}`}>{t(`effort.${item.intervention.effort}`)}</span>
          <span className="badge badge-plain">{t(`cost.${item.intervention.cost}`)}</span>
        </>
      )}
    </span>
  );
}

/** What an intervention changes and how, in order, with the handbook sections it draws on. */
function HowTo({ intervention }: { intervention: NonNullable<PlanItem['intervention']> }) {
  const { t } = useTranslation('plan');
  const local = useLocalText();
  return (
    <div className="plan-howto">
      <p>{local(intervention.summary)}</p>
      {intervention.steps.length > 0 && (
        <>
          <h4>{t('item.steps')}</h4>
          <ol className="plan-steps">
            {intervention.steps.map((s, i) => (
              <li key={i}>{local(s)}</li>
            ))}
          </ol>
        </>
      )}
      {intervention.handbook.length > 0 && (
        <p className="muted">
          {t('item.handbook')} <HandbookSectionLinks ids={intervention.handbook} />
        </p>
      )}
    </div>
  );
}

/** The buttons that move an item along, the allowed moves only; dropping asks why. */
function StatusActions({ item, onDone, title }: { item: PlanItem; onDone(): Promise<void>; title: string }) {
  const { t } = useTranslation('plan');
  const stale = useErrorText();
  const [dropping, setDropping] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const reasonId = useId();
  const move = async (status: PlanStatus, reason?: string) => {
    setBusy(true);
    setError(null);
    try {
      await changeStatus(item, { status, ...(reason !== undefined && { reason }) });
      setDropping(false);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
      await onDone();
    }
  };
  const label = (to: PlanStatus) =>
    to === 'planned' && item.status === 'dropped'
      ? t('move.plannedFromDropped')
      : to === 'in_progress' && item.status === 'done'
        ? t('move.reopen')
        : t(`move.${to}`);
  return (
    <div className="plan-actions">
      {!dropping &&
        PLAN_TRANSITIONS[item.status].map((to) => (
          <button
            key={to}
            type="button"
            className={to === 'done' || (to === 'in_progress' && item.status === 'planned') ? '' : 'secondary'}
            disabled={busy}
            aria-label={t('move.label', { action: label(to).replace('…', ''), title })}
            onClick={() => (to === 'dropped' ? setDropping(true) : void move(to))}
          >
            {label(to)}
          </button>
        ))}
      {dropping && (
        <form
          className="stack"
          onSubmit={(e) => {
            e.preventDefault();
            void move('dropped', String(new FormData(e.currentTarget).get('reason') ?? ''));
          }}
        >
          <Labelled
            label={t('move.reason')}
            hint={t('move.reasonHint')}
            error={fieldError(error, 'reason')}
            control={(w) => <textarea {...w} id={reasonId} name="reason" required maxLength={LIMITS.note} />}
          />
          <div className="dialog-actions">
            <button type="submit" disabled={busy}>
              {t('move.confirmDrop')}
            </button>
            <button type="button" className="secondary" onClick={() => setDropping(false)}>
              {t('move.cancel')}
            </button>
          </div>
        </form>
      )}
      {error !== null && (stale(error) ? <p role="alert">{stale(error)}</p> : <ErrorNote error={error} />)}
    </div>
  );
}

function Notes({ item, onDone }: { item: PlanItem; onDone(): Promise<void> }) {
  const { t } = useTranslation('plan');
  const stale = useErrorText();
  const [state, setState] = useState<'idle' | 'busy' | 'saved'>('idle');
  const [error, setError] = useState<unknown>(null);
  // What is typed stays on the page when the item changes underneath (someone else's change, a
  // refused save): only notes not being edited follow the server's.
  const [text, setText] = useState(item.notes);
  const [base, setBase] = useState(item.notes);
  if (item.notes !== base) {
    if (text === base) setText(item.notes);
    setBase(item.notes);
  }
  const save = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setState('busy');
    setError(null);
    try {
      await updateItem(item, { notes: text });
      setState('saved');
    } catch (err) {
      setError(err);
      setState('idle');
    }
    await onDone();
  };
  return (
    <form className="plan-notes" onSubmit={(e) => void save(e)}>
      <Labelled
        label={t('item.notes')}
        hint={t('item.notesHint')}
        error={fieldError(error, 'notes')}
        control={(w) => (
          <textarea
            {...w}
            name="notes"
            value={text}
            onChange={(e) => {
              setText(e.currentTarget.value);
              setState('idle');
            }}
            maxLength={LIMITS.note}
          />
        )}
      />
      <button type="submit" className="secondary" disabled={state === 'busy' || text === item.notes}>
        {t('item.saveNotes')}
      </button>{' '}
      <span aria-live="polite" className="muted">
        {state === 'saved' && t('item.saved')}
      </span>
      {error !== null && (stale(error) ? <p role="alert">{stale(error)}</p> : <ErrorNote error={error} />)}
    </form>
  );
}

/** The owner and due date, for the planners. */
function PlanDetails({
  item,
  people,
  onDone,
}: {
  item: PlanItem;
  people: OrganisationPlan['people'];
  onDone(): Promise<void>;
}) {
  const { t } = useTranslation('plan');
  const stale = useErrorText();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const save = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    try {
      const owner = String(form.get('ownerId') ?? '');
      const due = String(form.get('dueOn') ?? '');
      await updateItem(item, { ownerId: owner === '' ? null : owner, dueOn: due === '' ? null : due });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
    await onDone();
  };
  return (
    <form className="plan-details" onSubmit={(e) => void save(e)} key={item.version}>
      <OwnerAndDue people={people} error={error} owner={item.owner?.id ?? ''} due={item.dueOn ?? ''} />
      <button type="submit" className="secondary" disabled={busy}>
        {t('item.saveDetails')}
      </button>
      {error !== null && (stale(error) ? <p role="alert">{stale(error)}</p> : <ErrorNote error={error} />)}
    </form>
  );
}

function OwnerAndDue({
  people,
  error,
  owner = '',
  due = '',
}: {
  people: OrganisationPlan['people'];
  error: unknown;
  owner?: string;
  due?: string;
}) {
  const { t } = useTranslation('plan');
  return (
    <div className="plan-fields">
      <Labelled
        label={t('item.owner')}
        error={fieldError(error, 'ownerId')}
        control={(w) => (
          <select {...w} name="ownerId" defaultValue={owner}>
            <option value="">{t('item.ownerNone')}</option>
            {people.map((p) => (
              <option key={p.id} value={p.id}>
                {p.displayName}
              </option>
            ))}
          </select>
        )}
      />
      <Field label={t('item.due')} type="date" name="dueOn" defaultValue={due} error={fieldError(error, 'dueOn')} />
    </div>
  );
}

/**
 * Evidence files of an item: download links, removal for whoever uploaded a file (and the
 * planners) after a recent sign-in, and an upload that starts when a file is chosen.
 */
function Evidence({ item, onDone, canPlan }: { item: PlanItem; onDone(): Promise<void>; canPlan: boolean }) {
  const { t } = useTranslation('plan');
  const me = useMe();
  const stepUp = useStepUp();
  const remove = async (id: string) => {
    try {
      await stepUp.withStepUp(() => api('DELETE', path`/plan-evidence/${id}`));
    } finally {
      await onDone();
    }
  };
  const inputId = useId();
  const hintId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const send = async (file: File) => {
    setMessage(null);
    if (file.size > LIMITS.evidenceFile)
      return setMessage({ text: t('evidence.tooLarge', { name: file.name }), error: true });
    if (file.size === 0) return setMessage({ text: t('evidence.empty', { name: file.name }), error: true });
    setBusy(file.name);
    try {
      await uploadEvidence(item.id, file);
      if (input.current) input.current.value = '';
      setMessage({ text: t('evidence.uploaded', { name: file.name }), error: false });
    } catch (e) {
      setMessage({
        text: `${t('evidence.failed', { name: file.name })} ${e instanceof ApiError ? e.message : ''}`,
        error: true,
      });
    } finally {
      setBusy(null);
    }
    await onDone();
  };
  return (
    <div className="plan-evidence">
      {item.evidence.length > 0 && (
        <>
          <h4>{t('evidence.title')}</h4>
          <EvidenceFileList
            files={item.evidence}
            href={(f) => `/api/v1${path`/plan-evidence/${f.id}`}`}
            canRemove={(f) => canPlan || f.uploadedBy === me.data?.id}
            onRemove={(f) => remove(f.id)}
          />
        </>
      )}
      {stepUp.dialog}
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
        aria-describedby={hintId}
        onChange={(e) => {
          const file = e.currentTarget.files?.[0];
          if (file) void send(file);
        }}
      />
      <p
        className={message?.error ? 'field-error' : 'upload-state'}
        aria-live="polite"
        role={message?.error ? 'alert' : undefined}
      >
        {busy !== null ? t('evidence.uploading', { name: busy }) : message?.text}
      </p>
    </div>
  );
}

function History({ events }: { events: PlanEvent[] }) {
  const { t } = useTranslation('plan');
  const status = (s: string | null) => (s ? t(`status.${s}`) : '–');
  const line = (c: PlanEvent['changes'][number], action: PlanEvent['action']) => {
    if (action === 'create' && c.field === 'status') return t('change.create');
    switch (c.field) {
      case 'status':
        return t('change.status', { from: status(c.from), to: status(c.to) });
      case 'dueOn':
        return t('change.dueOn', { from: formatDay(c.from), to: formatDay(c.to) });
      case 'evidence':
        return c.to === 'removed' ? t('change.evidenceRemoved') : t('change.evidenceAdded');
      default:
        return t(`change.${c.field}`);
    }
  };
  return (
    <details className="plan-history">
      <summary>{t('item.history')}</summary>
      <ol>
        {events.map((e, i) => (
          <li key={i}>
            <span className="muted">
              {t('item.changed', { who: e.by?.displayName ?? t('item.someone'), when: formatMoment(e.at) })}
            </span>
            : {e.changes.map((c) => line(c, e.action)).join('; ')}
          </li>
        ))}
      </ol>
    </details>
  );
}

/**
 * One plan item: what it is, who owns it and by when, where it stands, and — opened — how to do
 * it, the notes, the evidence and the history. The organisation moves it along; the planners
 * also set its owner and due date.
 */
export function ItemCard({
  item,
  plan,
}: {
  item: PlanItem;
  plan: Pick<OrganisationPlan, 'programmeId' | 'organisationId' | 'canPlan' | 'people'>;
}) {
  const { t } = useTranslation('plan');
  const title = useItemTitle()(item);
  const refresh = useRefresh(plan.programmeId, plan.organisationId);
  const headingId = useId();
  return (
    <article className={`plan-item status-${item.status}`} id={`item-${item.id}`} aria-labelledby={headingId}>
      <h3 id={headingId}>{title}</h3>
      <p className="plan-meta">
        <span className={`badge badge-status-${item.status}`}>{t(`status.${item.status}`)}</span>
        <Badges item={item} />
      </p>
      <p className="plan-when">
        {item.status === 'done' && item.doneAt ? (
          t('item.doneOn', { date: formatDay(item.doneAt) })
        ) : item.overdue ? (
          <strong className="overdue">{t('item.overdue', { date: formatDay(item.dueOn) })}</strong>
        ) : item.dueOn ? (
          t('item.dueOn', { date: formatDay(item.dueOn) })
        ) : (
          t('item.noDue')
        )}
        {' · '}
        {item.owner ? t('item.ownedBy', { name: item.owner.displayName }) : t('item.noOwner')}
        {' · '}
        <span className="muted">{t('item.forRound', { round: item.round })}</span>
      </p>
      {item.status === 'dropped' && item.dropReason && <p>{t('item.dropReason', { reason: item.dropReason })}</p>}
      <StatusActions item={item} onDone={refresh} title={title} />
      <details className="plan-open">
        <summary>{item.intervention ? t('item.steps') : t('item.notes')}</summary>
        {item.intervention && <HowTo intervention={item.intervention} />}
        {plan.canPlan && <PlanDetails item={item} people={plan.people} onDone={refresh} />}
        <Notes item={item} onDone={refresh} />
        <Evidence item={item} onDone={refresh} canPlan={plan.canPlan} />
        <History events={item.history} />
      </details>
    </article>
  );
}

/** One intervention of the ranking with its explanation, and the form that picks it into the plan. */
export function RankedCard({
  entry,
  fw,
  plan,
  roundId,
}: {
  entry: RankedIntervention;
  fw: Framework;
  plan: OrganisationPlan;
  roundId: string;
}) {
  const { t } = useTranslation('plan');
  const local = useLocalText();
  const refresh = useRefresh(plan.programmeId, plan.organisationId);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const headingId = useId();
  const title = local(entry.intervention.title);
  const question = (id: string) => fw.domains.flatMap((d) => d.questions).find((q) => q.id === id);
  const option = (qid: string, oid: string) => {
    const o = question(qid)?.options.find((x) => x.id === oid);
    return o ? local(o.label) : oid;
  };
  const domain = (id: string) => {
    const d = fw.domains.find((x) => x.id === id);
    return d ? local(d.title) : id;
  };
  const add = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const owner = String(form.get('ownerId') ?? '');
    const due = String(form.get('dueOn') ?? '');
    setBusy(true);
    setError(null);
    try {
      await createItem(plan.programmeId, plan.organisationId, {
        roundId,
        intervention: entry.intervention.id,
        ownerId: owner === '' ? null : owner,
        dueOn: due === '' ? null : due,
      });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
    await refresh();
  };
  return (
    <li className="ranked" aria-labelledby={headingId}>
      <h3 id={headingId}>
        <span className="muted">{t('ranking.rank', { rank: entry.rank })}</span> {title}
      </h3>
      <p className="plan-meta">
        <strong>{t('ranking.gain', { gain: signed1(entry.gain) })}</strong>{' '}
        <Badges item={{ intervention: entry.intervention, kind: entry.intervention.kind }} />
      </p>
      <ul className="ranked-why">
        {entry.moves.map((m) => (
          <li key={m.question}>
            {t('ranking.raises', {
              question: question(m.question) ? local(question(m.question)!.text) : m.question,
              from: option(m.question, m.from),
              to: option(m.question, m.to),
            })}
          </li>
        ))}
        <li className="muted">
          {Object.entries(entry.domains)
            .map(([d, g]) => t('ranking.domainGain', { gain: signed1(g), domain: domain(d) }))
            .join(', ')}
        </li>
      </ul>
      <details>
        <summary>{t('ranking.more')}</summary>
        <HowTo intervention={entry.intervention} />
      </details>
      {entry.planItem ? (
        <p>
          <a href={`#item-${entry.planItem}`} className="badge badge-validated">
            {t('ranking.inPlan')}
          </a>
        </p>
      ) : (
        <form className="ranked-add" onSubmit={(e) => void add(e)}>
          <OwnerAndDue people={plan.people} error={error} />
          <button type="submit" disabled={busy} aria-label={t('ranking.addLabel', { title })}>
            {busy ? t('ranking.adding') : t('ranking.add')}
          </button>
          {error !== null && !fieldError(error, 'ownerId') && !fieldError(error, 'dueOn') && (
            <ErrorNote error={error} />
          )}
        </form>
      )}
    </li>
  );
}

/** The planners' own item: a title, a kind, an owner, a due date, notes. */
export function OwnItemForm({ plan, roundId }: { plan: OrganisationPlan; roundId: string }) {
  const { t } = useTranslation('plan');
  const refresh = useRefresh(plan.programmeId, plan.organisationId);
  const [error, setError] = useState<unknown>(null);
  const [added, setAdded] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const formEl = e.currentTarget;
    const form = new FormData(formEl);
    const title = String(form.get('title') ?? '');
    const owner = String(form.get('ownerId') ?? '');
    const due = String(form.get('dueOn') ?? '');
    setBusy(true);
    setError(null);
    setAdded(null);
    try {
      await createItem(plan.programmeId, plan.organisationId, {
        roundId,
        title,
        kind: form.get('kind') as (typeof interventionKind.options)[number],
        ownerId: owner === '' ? null : owner,
        dueOn: due === '' ? null : due,
        notes: String(form.get('notes') ?? ''),
      });
      formEl.reset();
      setAdded(title);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
    await refresh();
  };
  return (
    <details className="plan-own">
      <summary>{t('own.title')}</summary>
      <p className="hint">{t('own.intro')}</p>
      <form className="stack" onSubmit={(e) => void submit(e)}>
        <Field label={t('own.name')} name="title" required maxLength={LIMITS.name} error={fieldError(error, 'title')} />
        <Labelled
          label={t('own.kind')}
          error={fieldError(error, 'kind')}
          control={(w) => (
            <select {...w} name="kind" defaultValue="technical">
              {interventionKind.options.map((k) => (
                <option key={k} value={k}>
                  {t(`kind.${k}`)}
                </option>
              ))}
            </select>
          )}
        />
        <OwnerAndDue people={plan.people} error={error} />
        <Labelled
          label={t('own.notes')}
          hint={t('own.notesHint')}
          error={fieldError(error, 'notes')}
          control={(w) => <textarea {...w} name="notes" maxLength={LIMITS.note} />}
        />
        <button type="submit" disabled={busy}>
          {t('own.add')}
        </button>
        <p aria-live="polite" className="muted">
          {added && t('own.added', { title: added })}
        </p>
        {error !== null && !fieldError(error, 'title') && <ErrorNote error={error} />}
      </form>
    </details>
  );
}
