import { reportFormat, reportLanguage, type IndicatorRow, type IndicatorSource } from '@kalaja/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { path } from '../../api';
import { ErrorNote, Field, fieldError, formValues, Loading, Page } from '../../components/ui';
import { formatDay, formatScore } from '../../format';
import { LANGUAGES } from '../../i18n';
import { RecommendationsPanel } from '../manager/recommendations-panel';
import { useProgramme } from '../../queries';
import { roleIn, useMe } from '../../session';
import {
  addInstitution,
  downloadPaper,
  opennessKeys,
  publishWave,
  questionnaireLink,
  recordIndicator,
  uploadArchive,
  useInstitutions,
  useSheet,
  useWave,
  validateIndicator,
} from './data';
import './openness.css';

const TYPES = ['parliament', 'government-office', 'ministry', 'agency', 'municipality', 'other'] as const;
const LEVELS = ['national', 'regional', 'local'] as const;
const SOURCES: IndicatorSource[] = ['desk-research', 'questionnaire', 'interview'];

/** An index for its research team: its institutions, its waves, a form to add an institution. */
export function IndexPage() {
  const { t } = useTranslation('openness');
  const { id = '' } = useParams();
  const me = useMe();
  const programme = useProgramme(id);
  const institutions = useInstitutions(id);
  const client = useQueryClient();
  const [error, setError] = useState<unknown>();
  if (programme.isPending || institutions.isPending) return <Loading />;
  if (!programme.data) return <Page title={t('team.notFound')}>{<ErrorNote error={programme.error} />}</Page>;
  const manager = me.data?.isInstanceAdmin || roleIn(me.data, 'programme_manager', id);
  const add = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const v = formValues(e);
    try {
      setError(undefined);
      await addInstitution(id, {
        name: v.name ?? '',
        type: v.type as (typeof TYPES)[number],
        level: v.level as (typeof LEVELS)[number],
        country: (v.country ?? '').toUpperCase(),
      });
      form.reset();
      await client.invalidateQueries({ queryKey: opennessKeys.institutions(id) });
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Page title={programme.data.name} wide>
      <p>
        <Link to={path`/open/${id}`}>{t('team.publicPage')}</Link>
      </p>
      <section aria-labelledby="waves">
        <h2 id="waves">{t('team.waves')}</h2>
        <ul className="cards">
          {programme.data.rounds.map((r) => (
            <li key={r.id}>
              <Link to={path`/indexes/${id}/waves/${r.id}`}>
                <strong>{r.name}</strong>
              </Link>
              <span className="muted">{t(`team.state.${r.state}`)}</span>
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="institutions">
        <h2 id="institutions">{t('team.institutions')}</h2>
        <ErrorNote error={institutions.error} />
        <table className="openness-table">
          <thead>
            <tr>
              <th scope="col">{t('field.name')}</th>
              <th scope="col">{t('field.type')}</th>
              <th scope="col">{t('field.level')}</th>
              <th scope="col">{t('field.country')}</th>
            </tr>
          </thead>
          <tbody>
            {institutions.data?.map((i) => (
              <tr key={i.id}>
                <td>{i.name}</td>
                <td>{t(`type.${i.type}`)}</td>
                <td>{t(`level.${i.level}`)}</td>
                <td>{i.country}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {manager && (
          <form onSubmit={(e) => void add(e)} className="openness-form" aria-labelledby="add-institution">
            <h3 id="add-institution">{t('team.addInstitution')}</h3>
            <ErrorNote error={error} />
            <Field label={t('field.name')} name="name" required error={fieldError(error, 'name')} />
            <label>
              {t('field.type')}
              <select name="type" defaultValue="ministry">
                {TYPES.map((x) => (
                  <option key={x} value={x}>
                    {t(`type.${x}`)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t('field.level')}
              <select name="level" defaultValue="national">
                {LEVELS.map((x) => (
                  <option key={x} value={x}>
                    {t(`level.${x}`)}
                  </option>
                ))}
              </select>
            </label>
            <Field
              label={t('field.country')}
              name="country"
              required
              maxLength={2}
              hint={t('field.countryHint')}
              error={fieldError(error, 'country')}
            />
            <button type="submit">{t('team.add')}</button>
          </form>
        )}
      </section>
    </Page>
  );
}

const PAPER_FORMATS = reportFormat.options;

/**
 * The wave's policy paper for its managers (the same who publish): a format and a language,
 * then the download, made from the wave's answers as they stand beside the previous wave's.
 */
function PaperSection({ id, wave }: { id: string; wave: string }) {
  const { t, i18n } = useTranslation('openness');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const defaultLanguage = LANGUAGES.some((l) => l.code === i18n.language) ? i18n.language : 'en';
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const format = reportFormat.catch('pdf').parse(data.get('format'));
    const language = reportLanguage.catch('en').parse(data.get('language'));
    setError(undefined);
    setBusy(true);
    try {
      await downloadPaper(id, wave, format, language);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="paper">
      <h2 id="paper">{t('team.paper')}</h2>
      <p>{t('team.paperHint')}</p>
      <form onSubmit={(e) => void submit(e)}>
        <div className="form-grid">
          <label>
            {t('team.paperFormat')}
            <select name="format" defaultValue="pdf">
              {PAPER_FORMATS.map((f) => (
                <option key={f} value={f}>
                  {t(`team.paperFormats.${f}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('team.paperLanguage')}
            <select name="language" defaultValue={defaultLanguage}>
              {LANGUAGES.map((l) => (
                <option key={l.code} value={l.code} lang={l.code}>
                  {l.name}
                </option>
              ))}
            </select>
          </label>
        </div>
        <ErrorNote error={error} />
        <button type="submit" disabled={busy}>
          {busy ? t('team.paperMaking') : t('team.paperDownload')}
        </button>
      </form>
      <RecommendationsPanel programmeId={id} paper />
    </section>
  );
}

/** A wave for its research team: each institution's progress, publishing, the policy paper. */
export function WavePage() {
  const { t } = useTranslation('openness');
  const { id = '', wave = '' } = useParams();
  const me = useMe();
  const status = useWave(id, wave);
  const client = useQueryClient();
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<number | undefined>();
  if (status.isPending) return <Loading />;
  if (!status.data) return <Page title={t('team.notFound')}>{<ErrorNote error={status.error} />}</Page>;
  const manager = me.data?.isInstanceAdmin || roleIn(me.data, 'programme_manager', id);
  const publish = async () => {
    try {
      setError(undefined);
      const r = await publishWave(id, wave);
      setDone(r.version);
      await client.invalidateQueries({ queryKey: opennessKeys.wave(id, wave) });
    } catch (err) {
      setError(err);
    }
  };
  const published = status.data.published[0];
  return (
    <Page title={t('team.waveTitle', { wave: status.data.wave.name })} wide>
      <p>
        <Link to={path`/indexes/${id}`}>{t('team.backToIndex')}</Link>
      </p>
      <p>
        {published
          ? t('team.publishedVersion', { version: published.version, when: formatDay(published.publishedAt) })
          : t('team.notPublished')}{' '}
        {published && <Link to={path`/open/${id}/waves/${wave}`}>{t('team.publicPage')}</Link>}
      </p>
      <table className="openness-table">
        <thead>
          <tr>
            <th scope="col">{t('field.name')}</th>
            <th scope="col">{t('field.country')}</th>
            <th scope="col">{t('team.answered')}</th>
            <th scope="col">{t('team.validated')}</th>
            <th scope="col">{t('public.overall')}</th>
          </tr>
        </thead>
        <tbody>
          {status.data.institutions.map((i) => (
            <tr key={i.id}>
              <td>
                <Link to={path`/indexes/${id}/waves/${wave}/institutions/${i.id}`}>{i.name}</Link>
              </td>
              <td>{i.country}</td>
              <td>{i.answered}</td>
              <td>{i.validated}</td>
              <td>{formatScore(i.overall, 1)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {manager && (
        <section aria-labelledby="publish">
          <h2 id="publish">{t('team.publish')}</h2>
          <p>{t('team.publishHint')}</p>
          <ErrorNote error={error} />
          {done !== undefined && <p role="status">{t('team.publishedNow', { version: done })}</p>}
          <button type="button" onClick={() => void publish()}>
            {t('team.publishButton')}
          </button>
        </section>
      )}
      {manager && <PaperSection id={id} wave={wave} />}
    </Page>
  );
}

/** One institution's indicator sheet in one wave: answer, evidence, notes, validation. */
export function SheetPage() {
  const { t } = useTranslation('openness');
  const { id = '', wave = '', institution = '' } = useParams();
  const sheet = useSheet(id, wave, institution);
  const [link, setLink] = useState<string | undefined>();
  const [error, setError] = useState<unknown>();
  if (sheet.isPending) return <Loading />;
  if (!sheet.data) return <Page title={t('team.notFound')}>{<ErrorNote error={sheet.error} />}</Page>;
  const s = sheet.data;
  const sendLink = async () => {
    try {
      setError(undefined);
      const l = await questionnaireLink(id, wave, institution);
      setLink(`${window.location.origin}${l.path}`);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Page title={t('team.sheetTitle', { institution: s.institution.name, wave: s.wave.name })} wide>
      <p>
        <Link to={path`/indexes/${id}/waves/${wave}`}>{t('team.backToWave')}</Link>
      </p>
      <p>
        {t('team.sheetSummary', {
          overall: formatScore(s.overall, 1),
          validated: s.validated,
          total: s.indicators.length,
        })}
      </p>
      <p>
        <button type="button" className="secondary" onClick={() => void sendLink()}>
          {t('team.questionnaireLink')}
        </button>
      </p>
      <ErrorNote error={error} />
      {link && (
        <p role="status">
          {t('team.linkReady')} <code>{link}</code>
        </p>
      )}
      {s.indicators.map((row) => (
        <IndicatorForm key={row.id} row={row} id={id} wave={wave} institution={institution} />
      ))}
    </Page>
  );
}

function IndicatorForm({
  row,
  id,
  wave,
  institution,
}: {
  row: IndicatorRow;
  id: string;
  wave: string;
  institution: string;
}) {
  const { t } = useTranslation('openness');
  const client = useQueryClient();
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState(false);
  const refresh = () => client.invalidateQueries({ queryKey: ['index', id, 'wave', wave] });
  const save = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const v = formValues(e);
    // Read before the first await: the event's form is gone once the handler yields.
    const file = (e.currentTarget.elements.namedItem('archive') as HTMLInputElement | null)?.files?.[0];
    try {
      setError(undefined);
      setSaved(false);
      await recordIndicator(
        id,
        wave,
        institution,
        row.id,
        {
          answer: v.answer ? v.answer : null,
          url: v.url ?? '',
          checkedOn: v.checkedOn ? v.checkedOn : null,
          source: v.source as IndicatorSource,
          notes: v.notes ?? '',
          ...(v.interviewNotes !== undefined && { interviewNotes: v.interviewNotes }),
        },
        row.version,
      );
      if (file) await uploadArchive(id, wave, institution, row.id, file);
      setSaved(true);
      await refresh();
    } catch (err) {
      setError(err);
    }
  };
  const validate = async () => {
    try {
      setError(undefined);
      await validateIndicator(id, wave, institution, row.id, row.version);
      await refresh();
    } catch (err) {
      setError(err);
    }
  };
  const legend = `${row.id}: ${row.text}`;
  return (
    // The server checks the link and the date and says what is wrong, in the reader's language.
    <form className="openness-indicator" noValidate onSubmit={(e) => void save(e)} aria-label={legend}>
      <fieldset>
        <legend>{legend}</legend>
        {row.guidance && <p className="hint">{row.guidance}</p>}
        <p className="muted">
          {t(`source.${row.indicatorSource}`)} ·{' '}
          {row.validatedBy
            ? t('team.validatedBy', { name: row.validatedBy })
            : row.answer
              ? t('team.waiting')
              : t('team.unanswered')}
        </p>
        <ErrorNote error={error} />
        <label>
          {t('field.answer')}
          <select name="answer" defaultValue={row.answer ?? ''}>
            <option value="">{t('field.noAnswer')}</option>
            {row.options.map((o) => (
              <option key={o.id} value={o.id}>
                {t('field.option', { label: o.label, points: o.points, max: row.maxPoints })}
              </option>
            ))}
            {row.na && <option value="na">{t('field.na')}</option>}
          </select>
        </label>
        <Field
          label={t('field.url')}
          name="url"
          type="url"
          defaultValue={row.url ?? ''}
          error={fieldError(error, 'url')}
        />
        <Field
          label={t('field.checkedOn')}
          name="checkedOn"
          type="date"
          defaultValue={row.checkedOn ?? ''}
          error={fieldError(error, 'checkedOn')}
        />
        <label>
          {t('field.source')}
          <select name="source" defaultValue={row.source}>
            {SOURCES.map((x) => (
              <option key={x} value={x}>
                {t(`source.${x}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('field.notes')}
          <textarea name="notes" defaultValue={row.notes} rows={2} />
        </label>
        {row.indicatorSource === 'interview' && (
          <label>
            {t('field.interviewNotes')}
            <textarea name="interviewNotes" defaultValue={row.interviewNotes} rows={3} />
          </label>
        )}
        <label>
          {t('field.archive')}
          <input type="file" name="archive" accept="application/pdf,image/png,image/jpeg,image/webp" />
        </label>
        {row.archives.length > 0 && (
          <ul>
            {row.archives.map((a) => (
              <li key={a.id}>
                <a href={`/api/v1${path`/openness-archives/${a.id}`}`}>{a.name}</a>
              </li>
            ))}
          </ul>
        )}
        <div className="openness-actions">
          <button type="submit">{t('team.save')}</button>
          {row.answer && !row.validatedBy && (
            <button type="button" className="secondary" onClick={() => void validate()}>
              {t('team.validate')}
            </button>
          )}
          {saved && <span role="status">{t('team.saved')}</span>}
        </div>
      </fieldset>
    </form>
  );
}
