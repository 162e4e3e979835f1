import {
  frameworkImportFormat,
  frameworkImportScale,
  type FrameworkConversionPreview,
  type FrameworkConversionRequest,
  type FrameworkSummary,
} from '@kalaja/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api';
import { ErrorNote, Labelled, Loading, Page } from '../../components/ui';
import { keys, useFrameworks } from '../../queries';
import { useMe } from '../../session';
import './admin.css';

type Format = FrameworkConversionRequest['from'];

/** The upload's problems, each at its line, under the error that names them. */
function Problems({ error }: { error: unknown }) {
  const { t } = useTranslation('admin');
  if (!(error instanceof ApiError) || error.details.length === 0) return null;
  return (
    <ul className="import-problems">
      {error.details.map((d) => (
        <li key={`${d.where}-${d.message}`}>{t('frameworks.problem', { where: d.where, message: d.message })}</li>
      ))}
    </ul>
  );
}
type Scale = NonNullable<FrameworkConversionRequest['scale']>;
const FORMATS = frameworkImportFormat.options;
const SCALES = frameworkImportScale.options;

/**
 * Frameworks (instance admins): the versions stored, and bringing one in from NIST CSF 2.0 or
 * another OSCAL catalog, a CISO Assistant library or the OWASP SAMM model. The upload is first
 * shown as what it becomes — its domains, its questions, what it leaves out — and saved as a new
 * framework version only when the admin says so. The server converts both times; the same file
 * with the same choices gives the same framework.
 */
export function FrameworksPage() {
  const { t } = useTranslation('admin');
  const me = useMe();
  const client = useQueryClient();
  const frameworks = useFrameworks();
  const [from, setFrom] = useState<Format>('oscal');
  const [scale, setScale] = useState<Scale | ''>('');
  const [depth, setDepth] = useState('');
  const [upload, setUpload] = useState<{ name: string; text: string } | null>(null);
  const [said, setSaid] = useState('');

  const request = (): FrameworkConversionRequest | null =>
    upload && {
      from,
      source: upload.text,
      fileName: upload.name,
      ...(scale && from !== 'samm' && { scale }),
      ...(depth && from === 'ciso-assistant' && { depth: Number(depth) }),
    };
  const preview = useMutation<FrameworkConversionPreview, ApiError, FrameworkConversionRequest>({
    mutationFn: (body) => api('POST', '/frameworks/conversions/preview', body),
  });
  const save = useMutation<FrameworkSummary, ApiError, FrameworkConversionRequest>({
    mutationFn: (body) => api('POST', '/frameworks/conversions', body),
    onSuccess: async (f) => {
      preview.reset();
      setSaid(t('frameworks.saved', { title: f.title, version: f.version }));
      await client.invalidateQueries({ queryKey: keys.frameworks });
    },
  });
  /** Any change to the upload or its choices makes the preview shown stale: it goes. */
  const changed = () => {
    preview.reset();
    save.reset();
    setSaid('');
  };

  if (me.data && !me.data.isInstanceAdmin)
    return (
      <Page title={t('frameworks.title')}>
        <p>{t('people.notAllowed')}</p>
      </Page>
    );
  if (frameworks.isPending) return <Loading />;

  const onPreview = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const body = request();
    if (body) preview.mutate(body);
  };
  const p = preview.data;
  return (
    <Page title={t('frameworks.title')} wide>
      <div className="people frameworks">
        <p>{t('frameworks.intro')}</p>
        <ErrorNote error={frameworks.error} />
        {frameworks.data && (
          <div className="table-wrap">
            <table>
              <caption>{t('frameworks.stored')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('frameworks.name')}</th>
                  <th scope="col">{t('frameworks.id')}</th>
                  <th scope="col">{t('frameworks.version')}</th>
                  <th scope="col">{t('frameworks.questionsColumn')}</th>
                </tr>
              </thead>
              <tbody>
                {frameworks.data.map((f) => (
                  <tr key={f.id}>
                    <th scope="row">{f.title}</th>
                    <td>
                      <code>{f.key}</code>
                    </td>
                    <td>{f.version}</td>
                    <td>{f.questions}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}

        <h2>{t('frameworks.importTitle')}</h2>
        <p>{t('frameworks.importIntro')}</p>
        <form onSubmit={onPreview} className="framework-import">
          <Labelled
            label={t('frameworks.format')}
            hint={t(`frameworks.formatHint.${from}`)}
            control={(w) => (
              <select
                {...w}
                value={from}
                onChange={(e) => {
                  setFrom(e.target.value as Format);
                  changed();
                }}
              >
                {FORMATS.map((f) => (
                  <option key={f} value={f}>
                    {t(`frameworks.formats.${f}`)}
                  </option>
                ))}
              </select>
            )}
          />
          <Labelled
            label={t('frameworks.file')}
            control={(w) => (
              <input
                {...w}
                type="file"
                accept=".xml,.json,.yaml,.yml"
                onChange={async (e) => {
                  const file = e.target.files?.[0];
                  changed();
                  setUpload(file ? { name: file.name, text: await file.text() } : null);
                }}
              />
            )}
          />
          {from !== 'samm' && (
            <Labelled
              label={t('frameworks.scale')}
              hint={t('frameworks.scaleHint')}
              control={(w) => (
                <select
                  {...w}
                  value={scale}
                  onChange={(e) => {
                    setScale(e.target.value as Scale | '');
                    changed();
                  }}
                >
                  <option value="">{t(`frameworks.scaleDefault.${from}`)}</option>
                  {SCALES.map((s) => (
                    <option key={s} value={s}>
                      {t(`frameworks.scales.${s}`)}
                    </option>
                  ))}
                </select>
              )}
            />
          )}
          {from === 'ciso-assistant' && (
            <Labelled
              label={t('frameworks.depth')}
              hint={t('frameworks.depthHint')}
              control={(w) => (
                <input
                  {...w}
                  type="number"
                  min={1}
                  max={20}
                  inputMode="numeric"
                  value={depth}
                  onChange={(e) => {
                    setDepth(e.target.value);
                    changed();
                  }}
                />
              )}
            />
          )}
          <button type="submit" disabled={!upload || preview.isPending}>
            {t('frameworks.preview')}
          </button>
        </form>
        <ErrorNote error={preview.error} />
        <Problems error={preview.error} />

        {p && (
          <section className="framework-preview" aria-labelledby="framework-preview-title">
            <h2 id="framework-preview-title" tabIndex={-1}>
              {t('frameworks.previewTitle', { title: p.title })}
            </h2>
            <dl>
              <dt>{t('frameworks.id')}</dt>
              <dd>
                <code>{p.key}</code> {p.version}
              </dd>
              <dt>{t('frameworks.size')}</dt>
              <dd>
                {t('frameworks.domains', { count: p.domains.length })},{' '}
                {t('frameworks.questions', { count: p.questions })}
              </dd>
              <dt>{t('frameworks.language')}</dt>
              <dd>
                <code>{p.language}</code>
              </dd>
              {p.source && (
                <>
                  <dt>{t('frameworks.source')}</dt>
                  <dd>{p.source}</dd>
                </>
              )}
              {p.licence && (
                <>
                  <dt>{t('frameworks.licence')}</dt>
                  <dd>{p.licence}</dd>
                </>
              )}
            </dl>
            <h3>{t('frameworks.notesTitle')}</h3>
            {p.notes.length === 0 ? (
              <p>{t('frameworks.noNotes')}</p>
            ) : (
              <ul className="import-notes">
                {p.notes.map((n) => (
                  <li key={n.code}>
                    {t(`frameworks.note.${n.code}`, { count: n.count })}
                    {n.examples.length > 0 && (
                      <>
                        {' '}
                        <span className="hint">
                          ({n.examples.map((x, i) => [i > 0 && ', ', <code key={x}>{x}</code>])}
                          {n.count > n.examples.length && ', …'})
                        </span>
                      </>
                    )}
                  </li>
                ))}
              </ul>
            )}
            <div className="table-wrap">
              <table>
                <caption>{t('frameworks.domainsTitle')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('frameworks.domain')}</th>
                    <th scope="col">{t('frameworks.questionsColumn')}</th>
                  </tr>
                </thead>
                <tbody>
                  {p.domains.map((d) => (
                    <tr key={d.id}>
                      <th scope="row" lang={p.language}>
                        {d.title}
                      </th>
                      <td>{d.questions}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {p.existing === 'different' && <p className="warning">{t('frameworks.existingDifferent')}</p>}
            {p.existing === 'same' && <p>{t('frameworks.existingSame')}</p>}
            <ErrorNote error={save.error} />
            <Problems error={save.error} />
            <button
              type="button"
              disabled={save.isPending || p.existing !== null}
              onClick={() => {
                const body = request();
                if (body) save.mutate(body);
              }}
            >
              {t('frameworks.save', { title: p.title, version: p.version })}
            </button>
          </section>
        )}
        <p role="status">{said}</p>
      </div>
    </Page>
  );
}
