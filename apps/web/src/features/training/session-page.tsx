/**
 * One training session, as its trainer runs it: the facts, the participants with their
 * attendance and where each stands in the knowledge check, the links and short codes to hand
 * out (shown once), the check moved from before to after the session, answers from paper, a
 * responses file, a follow-up weeks later, and the session's impact. An organisation's people
 * see their own colleagues' part only, without the controls.
 */
import type {
  CheckLinksIssued,
  TrainingModuleInfo,
  TrainingParticipant,
  TrainingSessionDetail,
} from '@kalaja/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError } from '../../api';
import { useLocalText } from '../../components/local-text';
import { ErrorNote, Field, fieldError, formValues, Loading } from '../../components/ui';
import { formatMoment, formatScore } from '../../format';
import { displayName } from '../../format';
import { useProgrammeContext } from '../manager/data';
import { isNotFound, SelectField, TableWrap } from '../manager/fields';
import { SECTION_TITLE, sectionPath } from '../manager/sections';
import {
  addParticipant,
  deleteSession,
  enterPaper,
  importResponses,
  issueFollowUp,
  issueLinks,
  movePhase,
  removeParticipant,
  trainingKeys,
  updateParticipant,
  useImpact,
  useSession,
  useSessions,
  useTrainingModules,
} from './data';
import { FollowUps, KnowledgeWords, ReactionLine } from './impact-parts';
import './training.css';

export function Section() {
  const { t } = useTranslation('training');
  const { programme } = useProgrammeContext();
  const sessionId = useParams().session ?? '';
  const session = useSession(sessionId);
  if (session.isPending) return <Loading />;
  if (!session.data) {
    return (
      <section aria-labelledby={SECTION_TITLE}>
        <h2 id={SECTION_TITLE} tabIndex={-1}>
          {isNotFound(session.error) ? t('common:app.notFound') : t('section.title')}
        </h2>
        {!isNotFound(session.error) && <ErrorNote error={session.error} />}
        <Link to={sectionPath(programme.id, 'trainings')}>{t('session.back')}</Link>
      </section>
    );
  }
  return <SessionView session={session.data} />;
}

function SessionView({ session }: { session: TrainingSessionDetail }) {
  const { t } = useTranslation('training');
  const { programme } = useProgrammeContext();
  const modules = useTrainingModules();
  const module = modules.data?.modules.find((m) => m.id === session.module.id);
  const [links, setLinks] = useState<CheckLinksIssued | null>(null);
  const impact = useImpact(programme.id, session.canManage);
  const sessionImpact = impact.data?.sessions.find((s) => s.sessionId === session.id);

  return (
    <section aria-labelledby={SECTION_TITLE} className="training-session">
      <p className="breadcrumb">
        <Link to={sectionPath(programme.id, 'trainings')}>{t('section.title')}</Link>
      </p>
      <h2 id={SECTION_TITLE} tabIndex={-1}>
        {session.title}
      </h2>
      <Facts session={session} />
      {session.canManage && <CheckControls session={session} onLinks={setLinks} />}
      {links && <LinksIssued issued={links} onClose={() => setLinks(null)} />}
      <Participants session={session} module={module} />
      {session.canManage && <AddParticipant session={session} />}
      {session.canManage && <ImportResponses session={session} />}
      {sessionImpact && (
        <section aria-labelledby="session-impact" className="training-impact">
          <h3 id="session-impact">{t('impact.sessionTitle')}</h3>
          <KnowledgeWords knowledge={sessionImpact.knowledge} />
          <ReactionLine impact={sessionImpact} />
          <FollowUps followUps={sessionImpact.followUps} idPrefix={`session-${session.id}`} />
        </section>
      )}
      {session.canManage && <DeleteSession session={session} />}
    </section>
  );
}

function Facts({ session }: { session: TrainingSessionDetail }) {
  const { t } = useTranslation('training');
  const local = useLocalText();
  return (
    <dl className="facts">
      <dt>{t('session.module')}</dt>
      <dd>{local(session.module.title)}</dd>
      <dt>{t('session.when')}</dt>
      <dd>
        {formatMoment(session.startsAt)} · {t('session.minutes', { count: session.durationMinutes })}
      </dd>
      <dt>{t('session.where')}</dt>
      <dd>{session.online ? `${t('session.online')} ${session.onlineLink}`.trim() : session.place}</dd>
      {session.trainers && (
        <>
          <dt>{t('session.trainers')}</dt>
          <dd>{session.trainers}</dd>
        </>
      )}
      <dt>{t('session.places')}</dt>
      <dd>
        {t('session.ofCapacity', { registered: session.registered, capacity: session.capacity })} ·{' '}
        {t('session.attendedCount', { count: session.attended })}
      </dd>
      <dt>{t('session.language')}</dt>
      <dd>{displayName('language', session.language)}</dd>
      <dt>{t('session.check')}</dt>
      <dd>
        <span className={`badge badge-check-${session.check}`}>{t(`checkState.${session.check}`)}</span>
        {session.linksExpireAt && (
          <span className="muted"> {t('session.linksExpire', { when: formatMoment(session.linksExpireAt) })}</span>
        )}
      </dd>
    </dl>
  );
}

/** A change to the session that refreshes it (and the programme's figures) when it is done. */
function useSessionChange(session: Pick<TrainingSessionDetail, 'id' | 'programmeId'>) {
  const client = useQueryClient();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const run = async <T,>(action: () => Promise<T>): Promise<T | undefined> => {
    setError(null);
    setBusy(true);
    try {
      return await action();
    } catch (e) {
      setError(e);
      return undefined;
    } finally {
      setBusy(false);
      await Promise.all([
        client.invalidateQueries({ queryKey: trainingKeys.session(session.id) }),
        client.invalidateQueries({ queryKey: trainingKeys.sessions(session.programmeId) }),
      ]);
    }
  };
  return { run, error, busy };
}

/** Sending the links, opening the check after the session, closing it, and the follow-ups. */
function CheckControls({
  session,
  onLinks,
}: {
  session: TrainingSessionDetail;
  onLinks(links: CheckLinksIssued): void;
}) {
  const { t } = useTranslation('training');
  const change = useSessionChange(session);
  const [confirmReissue, setConfirmReissue] = useState(false);
  const none = session.participants.length === 0;
  const send = async () => {
    const issued = await change.run(() => issueLinks(session.id));
    setConfirmReissue(false);
    if (issued) onLinks(issued);
  };
  const followUp = async (days: 30 | 90) => {
    const issued = await change.run(() => issueFollowUp(session.id, days));
    if (issued) onLinks(issued);
  };
  return (
    <section aria-labelledby="check-controls" className="check-controls">
      <h3 id="check-controls">{t('controls.title')}</h3>
      <p className="hint">{t(`controls.hint.${session.check}`)}</p>
      <div className="actions">
        {session.check === 'none' && (
          <button type="button" disabled={change.busy || none} onClick={() => void send()}>
            {t('controls.sendLinks')}
          </button>
        )}
        {session.check === 'pre' && (
          <button
            type="button"
            disabled={change.busy}
            onClick={() => void change.run(() => movePhase(session.id, 'post'))}
          >
            {t('controls.openPost')}
          </button>
        )}
        {session.check === 'post' && (
          <button
            type="button"
            className="secondary"
            disabled={change.busy}
            onClick={() => void change.run(() => movePhase(session.id, 'closed'))}
          >
            {t('controls.close')}
          </button>
        )}
        {(session.check === 'pre' || session.check === 'post') &&
          (confirmReissue ? (
            <span className="confirm">
              <button type="button" className="danger" disabled={change.busy} onClick={() => void send()}>
                {t('controls.reissueConfirm')}
              </button>{' '}
              <button type="button" className="link" onClick={() => setConfirmReissue(false)}>
                {t('controls.cancel')}
              </button>
            </span>
          ) : (
            <button type="button" className="secondary" onClick={() => setConfirmReissue(true)}>
              {t('controls.reissue')}
            </button>
          ))}
        {(session.check === 'post' || session.check === 'closed') && (
          <>
            <button type="button" className="secondary" disabled={change.busy} onClick={() => void followUp(30)}>
              {t('controls.followUp', { days: 30 })}
            </button>
            <button type="button" className="secondary" disabled={change.busy} onClick={() => void followUp(90)}>
              {t('controls.followUp', { days: 90 })}
            </button>
          </>
        )}
      </div>
      {confirmReissue && <p className="hint">{t('controls.reissueHint')}</p>}
      {session.followUps.length > 0 && (
        <ul className="follow-up-list">
          {session.followUps.map((f) => (
            <li key={`${f.days}-${f.issuedAt}`}>
              {t('controls.followUpIssued', {
                days: f.days,
                when: formatMoment(f.issuedAt),
                responded: f.responded,
                asked: f.asked,
              })}
            </li>
          ))}
        </ul>
      )}
      <ErrorNote error={change.error} />
    </section>
  );
}

/** The links and codes just issued: shown once, to copy into messages or print for the room. */
function LinksIssued({ issued, onClose }: { issued: CheckLinksIssued; onClose(): void }) {
  const { t } = useTranslation('training');
  const origin = window.location.origin;
  return (
    <section aria-labelledby="links-title" className="links-issued">
      <h3 id="links-title" tabIndex={-1}>
        {issued.kind === 'follow-up' ? t('links.followUpTitle', { days: issued.days }) : t('links.title')}
      </h3>
      <p>{t('links.intro', { when: formatMoment(issued.expiresAt), address: `${origin}/check` })}</p>
      <TableWrap labelledBy="links-title">
        <table>
          <thead>
            <tr>
              <th scope="col">{t('participants.name')}</th>
              <th scope="col">{t('participants.organisation')}</th>
              <th scope="col">{t('links.code')}</th>
              <th scope="col">{t('links.link')}</th>
            </tr>
          </thead>
          <tbody>
            {issued.links.map((l) => (
              <tr key={l.participantId}>
                <th scope="row">{l.displayName}</th>
                <td>{l.organisation}</td>
                <td className="code">{l.code}</td>
                <td>
                  <a href={l.path} className="check-link">
                    {`${origin}${l.path}`}
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      <p className="actions">
        <button type="button" className="secondary" onClick={() => window.print()}>
          {t('links.print')}
        </button>{' '}
        <button type="button" className="link" onClick={onClose}>
          {t('links.done')}
        </button>
      </p>
    </section>
  );
}

function PhaseCell({ phase }: { phase: TrainingParticipant['pre'] }) {
  const { t } = useTranslation('training');
  return (
    <td>
      {phase.state === 'taken' ? (
        <>
          <strong>{formatScore(phase.score, 0)}</strong>
          {phase.via && phase.via !== 'link' && <span className="muted"> · {t(`participants.via.${phase.via}`)}</span>}
        </>
      ) : (
        <span className="muted">{t(`participants.state.${phase.state}`)}</span>
      )}
    </td>
  );
}

function Participants({ session, module }: { session: TrainingSessionDetail; module: TrainingModuleInfo | undefined }) {
  const { t } = useTranslation('training');
  const change = useSessionChange(session);
  const [paper, setPaper] = useState<{ participant: TrainingParticipant; phase: 'pre' | 'post' } | null>(null);
  const [removing, setRemoving] = useState<string | null>(null);
  if (session.participants.length === 0) {
    return (
      <>
        <h3 id="participants-title">{t('participants.title')}</h3>
        <p>{session.canManage ? t('participants.noneYet') : t('participants.noneOwn')}</p>
      </>
    );
  }
  return (
    <>
      <h3 id="participants-title">{t('participants.title')}</h3>
      <TableWrap labelledBy="participants-title">
        <table className="participants">
          <thead>
            <tr>
              <th scope="col">{t('participants.name')}</th>
              <th scope="col">{t('participants.organisation')}</th>
              <th scope="col">{t('participants.role')}</th>
              <th scope="col">{t('participants.attended')}</th>
              <th scope="col">{t('participants.pre')}</th>
              <th scope="col">{t('participants.post')}</th>
              {session.followUps.length > 0 && <th scope="col">{t('participants.followUp')}</th>}
              {session.canManage && <th scope="col">{t('participants.actions')}</th>}
            </tr>
          </thead>
          <tbody>
            {session.participants.map((p) => (
              <tr key={p.id}>
                <th scope="row">{p.displayName}</th>
                <td>{p.organisation}</td>
                <td>{p.role}</td>
                <td>
                  {session.canManage ? (
                    <Attended
                      participant={p}
                      label={t('participants.attendedOf', { name: p.displayName })}
                      onChange={(attended) => change.run(() => updateParticipant(session.id, p, { attended }))}
                    />
                  ) : p.attended ? (
                    t('participants.yes')
                  ) : (
                    t('participants.no')
                  )}
                </td>
                <PhaseCell phase={p.pre} />
                <PhaseCell phase={p.post} />
                {session.followUps.length > 0 && (
                  <td>{p.followUp ? t(`participants.state.${p.followUp.state}`) : '–'}</td>
                )}
                {session.canManage && (
                  <td>
                    <div className="row-actions">
                      {module?.items && (
                        <>
                          <button
                            type="button"
                            className="link"
                            onClick={() => setPaper({ participant: p, phase: 'pre' })}
                            aria-label={t('participants.paperOf', {
                              name: p.displayName,
                              phase: t('participants.pre'),
                            })}
                          >
                            {t('participants.paperPre')}
                          </button>
                          <button
                            type="button"
                            className="link"
                            onClick={() => setPaper({ participant: p, phase: 'post' })}
                            aria-label={t('participants.paperOf', {
                              name: p.displayName,
                              phase: t('participants.post'),
                            })}
                          >
                            {t('participants.paperPost')}
                          </button>
                        </>
                      )}
                      {removing === p.id ? (
                        <span className="confirm">
                          <button
                            type="button"
                            className="link danger"
                            onClick={() =>
                              void change.run(() => removeParticipant(session.id, p)).then(() => setRemoving(null))
                            }
                          >
                            {t('participants.removeConfirm', { name: p.displayName })}
                          </button>{' '}
                          <button type="button" className="link" onClick={() => setRemoving(null)}>
                            {t('controls.cancel')}
                          </button>
                        </span>
                      ) : (
                        <button
                          type="button"
                          className="link"
                          onClick={() => setRemoving(p.id)}
                          aria-label={t('participants.removeOf', { name: p.displayName })}
                        >
                          {t('participants.remove')}
                        </button>
                      )}
                    </div>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      <ErrorNote error={change.error} />
      {paper && module?.items && (
        <PaperForm
          key={`${paper.participant.id}-${paper.phase}`}
          session={session}
          module={module}
          participant={paper.participant}
          phase={paper.phase}
          onDone={() => setPaper(null)}
        />
      )}
    </>
  );
}

/**
 * Attendance, ticked in the room: the box shows the tick at once and goes back if the server
 * refuses it (the error is said under the table).
 */
function Attended({
  participant,
  label,
  onChange,
}: {
  participant: TrainingParticipant;
  label: string;
  onChange(attended: boolean): Promise<unknown>;
}) {
  const [shown, setShown] = useState<boolean | null>(null);
  const checked = shown ?? participant.attended;
  return (
    <label>
      <input
        type="checkbox"
        checked={checked}
        onChange={(e) => {
          const attended = e.target.checked;
          setShown(attended);
          // The session is read again before the change resolves: from then on it says what was kept.
          void onChange(attended).then(() => setShown(null));
        }}
      />
      <span className="visually-hidden">{label}</span>
    </label>
  );
}

/** Answers from a paper sheet, item by item, entered by the trainer. */
function PaperForm({
  session,
  module,
  participant,
  phase,
  onDone,
}: {
  session: TrainingSessionDetail;
  module: TrainingModuleInfo;
  participant: TrainingParticipant;
  phase: 'pre' | 'post';
  onDone(): void;
}) {
  const { t } = useTranslation('training');
  const local = useLocalText();
  const uid = useId();
  const change = useSessionChange(session);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const v = formValues(e);
    const answers = Object.fromEntries((module.items ?? []).map((i) => [i.id, v[`item-${i.id}`] ?? '']));
    const confidence = v.confidence ? Number(v.confidence) : undefined;
    const done = await change.run(() =>
      enterPaper(session.id, participant.id, phase, { answers, ...(confidence !== undefined && { confidence }) }),
    );
    if (done) onDone();
  };
  return (
    <form className="paper-form" onSubmit={(e) => void submit(e)} aria-labelledby={`${uid}-title`}>
      <h4 id={`${uid}-title`}>
        {t('paper.title', {
          name: participant.displayName,
          phase: t(phase === 'pre' ? 'participants.pre' : 'participants.post'),
        })}
      </h4>
      <p className="hint">{t('paper.hint')}</p>
      <SelectField label={t('paper.confidence')} name="confidence" defaultValue="">
        <option value="">{t('paper.notGiven')}</option>
        {[1, 2, 3, 4, 5].map((n) => (
          <option key={n} value={n}>
            {n}
          </option>
        ))}
      </SelectField>
      {(module.items ?? []).map((item, i) => (
        <SelectField
          key={item.id}
          label={`${i + 1}. ${local(item.text)}`}
          name={`item-${item.id}`}
          defaultValue=""
          error={fieldError(change.error, `answers.${item.id}`)}
        >
          <option value="">{t('paper.blank')}</option>
          {item.options.map((o) => (
            <option key={o.id} value={o.id}>
              {local(o.label)}
            </option>
          ))}
        </SelectField>
      ))}
      <ErrorNote error={change.error} />
      <p className="actions">
        <button type="submit" disabled={change.busy}>
          {t('paper.save')}
        </button>{' '}
        <button type="button" className="link" onClick={onDone}>
          {t('controls.cancel')}
        </button>
      </p>
    </form>
  );
}

function AddParticipant({ session }: { session: TrainingSessionDetail }) {
  const { t } = useTranslation('training');
  // The organisations that may send participants: every one of the programme for its team.
  const organisations = useSessions(session.programmeId).data?.organisations ?? [];
  const change = useSessionChange(session);
  const full = session.registered >= session.capacity;
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const v = formValues(e);
    // The form is cleared as soon as the participant is added, before the session is read again,
    // so that the next name typed meanwhile is not cleared with it.
    await change.run(async () => {
      await addParticipant(session.id, {
        displayName: v.displayName ?? '',
        organisationId: v.organisationId ?? '',
        role: v.role ?? '',
      });
      form.reset();
      form.querySelector<HTMLInputElement>('input[name="displayName"]')?.focus();
    });
  };
  return (
    <section className="add-participant" aria-labelledby="add-participant-title">
      <h3 id="add-participant-title">{t('participants.add')}</h3>
      <p className="hint">{t('participants.privacy')}</p>
      {full ? (
        <p>{t('participants.full', { capacity: session.capacity })}</p>
      ) : (
        <form onSubmit={(e) => void submit(e)} noValidate>
          <Field
            label={t('participants.name')}
            hint={t('participants.nameHint')}
            name="displayName"
            required
            autoComplete="off"
            error={fieldError(change.error, 'displayName')}
          />
          <SelectField
            label={t('participants.organisation')}
            name="organisationId"
            defaultValue=""
            required
            error={fieldError(change.error, 'organisationId')}
          >
            <option value="">{t('participants.chooseOrganisation')}</option>
            {organisations.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </SelectField>
          <Field
            label={t('participants.role')}
            hint={t('participants.roleHint')}
            name="role"
            autoComplete="off"
            error={fieldError(change.error, 'role')}
          />
          <ErrorNote
            error={change.error instanceof ApiError && change.error.details.length > 0 ? null : change.error}
          />
          <button type="submit" disabled={change.busy}>
            {t('participants.addSubmit')}
          </button>
        </form>
      )}
    </section>
  );
}

/** A responses file (`participant,phase,item,answer`), all or nothing, its problems by line. */
function ImportResponses({ session }: { session: TrainingSessionDetail }) {
  const { t } = useTranslation('training');
  const uid = useId();
  const change = useSessionChange(session);
  const [done, setDone] = useState<string | null>(null);
  const send = async (file: File) => {
    setDone(null);
    const csv = await file.text();
    const result = await change.run(() => importResponses(session.id, csv));
    if (result)
      setDone(t('responses.done', { participants: result.participants, phases: result.phases, name: file.name }));
  };
  const problems = change.error instanceof ApiError ? change.error.details : [];
  return (
    <details className="import-responses">
      <summary>{t('responses.open')}</summary>
      <p className="hint" id={`${uid}-hint`}>
        {t('responses.hint')}
      </p>
      <label htmlFor={`${uid}-file`}>{t('responses.file')}</label>
      <input
        id={`${uid}-file`}
        type="file"
        accept=".csv,text/csv"
        aria-describedby={`${uid}-hint`}
        disabled={change.busy}
        onChange={(e) => {
          const file = e.currentTarget.files?.[0];
          if (file) void send(file);
          e.currentTarget.value = '';
        }}
      />
      <p aria-live="polite" className="upload-state">
        {done}
      </p>
      <ErrorNote error={change.error} />
      {problems.length > 0 && (
        <ul className="problems">
          {problems.map((p, i) => (
            <li key={i}>
              <strong>{p.where}</strong>: {p.message}
            </li>
          ))}
        </ul>
      )}
    </details>
  );
}

function DeleteSession({ session }: { session: TrainingSessionDetail }) {
  const { t } = useTranslation('training');
  const navigate = useNavigate();
  const client = useQueryClient();
  const [confirm, setConfirm] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const remove = async () => {
    setError(null);
    try {
      await deleteSession(session);
      await client.invalidateQueries({ queryKey: trainingKeys.sessions(session.programmeId) });
      await navigate(sectionPath(session.programmeId, 'trainings'));
    } catch (e) {
      setError(e);
    }
  };
  return (
    <div className="delete-session">
      {confirm ? (
        <p>
          <button type="button" className="danger" onClick={() => void remove()}>
            {t('session.deleteConfirm', { title: session.title })}
          </button>{' '}
          <button type="button" className="link" onClick={() => setConfirm(false)}>
            {t('controls.cancel')}
          </button>
        </p>
      ) : (
        <button type="button" className="link danger" onClick={() => setConfirm(true)}>
          {t('session.delete')}
        </button>
      )}
      <ErrorNote error={error} />
    </div>
  );
}
