/**
 * A programme's trainings: the sessions scheduled and held, a form to schedule the next one
 * from the module catalogue, and the training impact across them. Managers and trainers run
 * sessions; an organisation's people see the sessions their colleagues take part in.
 */
import type { TrainingModuleInfo, TrainingSession } from '@kalaja/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useLocalText } from '../../components/local-text';
import { ErrorNote, Field, fieldError, formValues, Loading } from '../../components/ui';
import { formatMoment } from '../../format';
import { LANGUAGES } from '../../i18n';
import { useFramework } from '../../queries';
import { useProgrammeContext } from '../manager/data';
import { SelectField, TableWrap } from '../manager/fields';
import { SECTION_TITLE, sectionPath } from '../manager/sections';
import { scheduleSession, trainingKeys, useImpact, useSessions, useTrainingModules } from './data';
import { ProgrammeImpact } from './impact-parts';
import './training.css';

export const sessionPath = (programmeId: string, sessionId: string) =>
  `${sectionPath(programmeId, 'trainings')}/${encodeURIComponent(sessionId)}`;

export function Section() {
  const { t } = useTranslation('training');
  const { programme } = useProgrammeContext();
  const sessions = useSessions(programme.id);
  const canManage = sessions.data?.canManage ?? false;
  const impact = useImpact(programme.id, canManage && (sessions.data?.sessions.length ?? 0) > 0);
  const framework = useFramework(programme.framework.id);
  const local = useLocalText();
  const domainTitle = (id: string) => local(framework.data?.domains.find((d) => d.id === id)?.title) || id;

  return (
    <section aria-labelledby={SECTION_TITLE}>
      <h2 id={SECTION_TITLE} tabIndex={-1}>
        {t('section.title')}
      </h2>
      <p className="hint">{canManage ? t('section.intro') : t('section.introMember')}</p>
      {sessions.isPending ? (
        <Loading />
      ) : !sessions.data ? (
        <ErrorNote error={sessions.error} />
      ) : (
        <>
          {canManage && <ScheduleForm programmeId={programme.id} />}
          <SessionList programmeId={programme.id} sessions={sessions.data.sessions} />
          {canManage && impact.data && <ProgrammeImpact impact={impact.data} domainTitle={domainTitle} />}
          <ErrorNote error={impact.error} />
        </>
      )}
    </section>
  );
}

function SessionList({ programmeId, sessions }: { programmeId: string; sessions: readonly TrainingSession[] }) {
  const { t } = useTranslation('training');
  if (sessions.length === 0) return <p>{t('section.none')}</p>;
  const sorted = [...sessions].sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  return (
    <>
      <h3 id="sessions-title">{t('section.sessions')}</h3>
      <TableWrap labelledBy="sessions-title">
        <table>
          <thead>
            <tr>
              <th scope="col">{t('session.title')}</th>
              <th scope="col">{t('session.when')}</th>
              <th scope="col">{t('session.where')}</th>
              <th scope="col" className="num">
                {t('session.registered')}
              </th>
              <th scope="col" className="num">
                {t('session.attended')}
              </th>
              <th scope="col">{t('session.check')}</th>
            </tr>
          </thead>
          <tbody>
            {sorted.map((s) => (
              <tr key={s.id}>
                <th scope="row">
                  <Link to={sessionPath(programmeId, s.id)}>{s.title}</Link>
                </th>
                <td>{formatMoment(s.startsAt)}</td>
                <td>{s.online ? t('session.online') : s.place}</td>
                <td className="num">{t('session.ofCapacity', { registered: s.registered, capacity: s.capacity })}</td>
                <td className="num">{s.attended}</td>
                <td>
                  <span className={`badge badge-check-${s.check}`}>{t(`checkState.${s.check}`)}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </>
  );
}

/** The minutes a module's agenda adds up to: the session's length unless the trainer says otherwise. */
const agendaMinutes = (m: TrainingModuleInfo | undefined) => m?.agenda.reduce((a, p) => a + p.minutes, 0) ?? 0;

/** `datetime-local` gives local time without a zone: the server takes an ISO moment with its offset. */
function isoMoment(local: string): string {
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? local : date.toISOString();
}

function ScheduleForm({ programmeId }: { programmeId: string }) {
  const { t } = useTranslation('training');
  const local = useLocalText();
  const client = useQueryClient();
  const navigate = useNavigate();
  const modules = useTrainingModules();
  const [moduleId, setModuleId] = useState('');
  const [online, setOnline] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const chosen = modules.data?.modules.find((m) => m.id === moduleId);

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const v = formValues(e);
    setError(null);
    setBusy(true);
    try {
      const session = await scheduleSession(programmeId, {
        module: v.module ?? '',
        title: v.title ?? '',
        startsAt: v.startsAt ? isoMoment(v.startsAt) : '',
        durationMinutes: Number(v.durationMinutes),
        online,
        place: v.place ?? '',
        onlineLink: online ? (v.onlineLink ?? '') : '',
        trainers: v.trainers ?? '',
        capacity: Number(v.capacity),
        language: (v.language ?? 'en') as TrainingSession['language'],
      });
      await client.invalidateQueries({ queryKey: trainingKeys.sessions(programmeId) });
      await navigate(sessionPath(programmeId, session.id));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <details className="schedule">
      <summary>{t('schedule.open')}</summary>
      {modules.isPending ? (
        <Loading />
      ) : (
        <form onSubmit={(e) => void submit(e)} noValidate>
          <SelectField
            label={t('schedule.module')}
            name="module"
            value={moduleId}
            onChange={(e) => setModuleId(e.target.value)}
            required
            error={fieldError(error, 'module')}
          >
            <option value="">{t('schedule.chooseModule')}</option>
            {modules.data?.modules.map((m) => (
              <option key={m.id} value={m.id}>
                {local(m.title)}
              </option>
            ))}
          </SelectField>
          {chosen && (
            <p className="hint module-summary">
              {local(chosen.summary ?? '')}{' '}
              {t('schedule.moduleFacts', { items: chosen.itemCount, minutes: agendaMinutes(chosen) })}
            </p>
          )}
          <Field
            label={t('schedule.title')}
            hint={t('schedule.titleHint')}
            name="title"
            error={fieldError(error, 'title')}
          />
          <Field
            label={t('schedule.startsAt')}
            name="startsAt"
            type="datetime-local"
            required
            error={fieldError(error, 'startsAt')}
          />
          <Field
            key={`duration-${moduleId}`}
            label={t('schedule.duration')}
            name="durationMinutes"
            type="number"
            min={15}
            step={5}
            defaultValue={agendaMinutes(chosen) || 180}
            required
            error={fieldError(error, 'durationMinutes')}
          />
          <div className="field checkbox">
            <label>
              <input type="checkbox" checked={online} onChange={(e) => setOnline(e.target.checked)} />{' '}
              {t('schedule.online')}
            </label>
          </div>
          {online ? (
            <Field
              label={t('schedule.onlineLink')}
              hint={t('schedule.onlineLinkHint')}
              name="onlineLink"
              error={fieldError(error, 'onlineLink')}
            />
          ) : (
            <Field label={t('schedule.place')} name="place" required error={fieldError(error, 'place')} />
          )}
          <Field
            label={t('schedule.trainers')}
            hint={t('schedule.trainersHint')}
            name="trainers"
            error={fieldError(error, 'trainers')}
          />
          <Field
            label={t('schedule.capacity')}
            name="capacity"
            type="number"
            min={1}
            max={500}
            defaultValue={20}
            required
            error={fieldError(error, 'capacity')}
          />
          <SelectField label={t('schedule.language')} name="language" defaultValue="en">
            {LANGUAGES.map((l) => (
              <option key={l.code} value={l.code} lang={l.code}>
                {l.name}
              </option>
            ))}
          </SelectField>
          <ErrorNote error={error} />
          <button type="submit" disabled={busy}>
            {busy ? t('schedule.saving') : t('schedule.submit')}
          </button>
        </form>
      )}
    </details>
  );
}
