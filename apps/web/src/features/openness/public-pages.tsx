import { useTranslation } from 'react-i18next';
import { Link, Navigate, useParams } from 'react-router';
import { path } from '../../api';
import { ErrorNote, Loading, Page } from '../../components/ui';
import { displayName, formatDay, formatScore, formatSigned } from '../../format';
import { openDataUrl, usePublicIndex, usePublicInstitution, usePublicWave } from './data';
import './openness.css';

/**
 * The published index, for anyone: no sign-in, same-origin requests only. Percentages show with
 * one decimal; the ranking is on full precision (ties share a rank, unscored last and unranked).
 */
export function PublicIndexPage() {
  const { t } = useTranslation('openness');
  const { id = '' } = useParams();
  const index = usePublicIndex(id);
  if (index.isPending) return <Loading />;
  if (!index.data) return <Page title={t('public.notFound')}>{<ErrorNote error={index.error} />}</Page>;
  const latest = index.data.waves[0];
  return latest ? <Navigate to={path`/open/${id}/waves/${latest.id}`} replace /> : null;
}

export function PublicWavePage() {
  const { t } = useTranslation('openness');
  const { id = '', wave = '' } = useParams();
  const w = usePublicWave(id, wave);
  const index = usePublicIndex(id);
  if (w.isPending) return <Loading />;
  if (!w.data) return <Page title={t('public.notFound')}>{<ErrorNote error={w.error} />}</Page>;
  const d = w.data;
  return (
    <Page title={t('public.title', { index: d.index.name, wave: d.wave.name })} wide>
      <p className="muted">
        {t('public.published', { when: formatDay(d.publishedAt), version: d.version })} · {d.framework.title}
      </p>
      {index.data && index.data.waves.length > 1 && (
        <nav aria-label={t('public.waves')}>
          <ul className="wave-nav">
            {index.data.waves.map((x) => (
              <li key={x.id}>
                <Link to={path`/open/${id}/waves/${x.id}`} aria-current={x.id === wave ? 'page' : undefined}>
                  {x.name}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      )}
      <section aria-labelledby="ranking">
        <h2 id="ranking">{t('public.ranking')}</h2>
        <table className="openness-table">
          <thead>
            <tr>
              <th scope="col">{t('public.rank')}</th>
              <th scope="col">{t('field.name')}</th>
              <th scope="col">{t('field.country')}</th>
              <th scope="col">{t('public.overall')}</th>
              {d.principles.map((p) => (
                <th scope="col" key={p.id}>
                  {p.title}
                </th>
              ))}
              {d.wave.previous && <th scope="col">{t('public.change', { wave: d.wave.previous })}</th>}
            </tr>
          </thead>
          <tbody>
            {d.ranking.map((r) => (
              <tr key={r.id}>
                <td>{r.rank ?? '–'}</td>
                <td>
                  <Link to={path`/open/${id}/waves/${wave}/institutions/${r.id}`}>{r.name}</Link>
                </td>
                <td>{r.country}</td>
                <td>{formatScore(r.overall, 1)}</td>
                {d.principles.map((p) => (
                  <td key={p.id}>{formatScore(r.principles[p.id], 1)}</td>
                ))}
                {d.wave.previous && <td>{r.change ? formatSigned(r.change.overall, 1) : '–'}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {d.countries && (
        <section aria-labelledby="countries">
          <h2 id="countries">{t('public.countries')}</h2>
          <table className="openness-table">
            <thead>
              <tr>
                <th scope="col">{t('field.country')}</th>
                <th scope="col">{t('public.institutions')}</th>
                <th scope="col">{t('public.mean')}</th>
              </tr>
            </thead>
            <tbody>
              {d.countries.map((c) => (
                <tr key={c.country}>
                  <td>{displayName('region', c.country)}</td>
                  <td>{c.institutions}</td>
                  <td>{formatScore(c.mean, 1)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      <section aria-labelledby="open-data">
        <h2 id="open-data">{t('public.openData')}</h2>
        <p>{t('public.licence', { licence: d.licence.name })}</p>
        <ul>
          {(['institutions.csv', 'indicators.csv', 'data.json', 'datapackage.json'] as const).map((f) => (
            <li key={f}>
              <a href={openDataUrl(id, wave, f)}>{f}</a>
            </li>
          ))}
        </ul>
      </section>
    </Page>
  );
}

export function PublicInstitutionPage() {
  const { t } = useTranslation('openness');
  const { id = '', wave = '', institution = '' } = useParams();
  const q = usePublicInstitution(id, wave, institution);
  if (q.isPending) return <Loading />;
  if (!q.data) return <Page title={t('public.notFound')}>{<ErrorNote error={q.error} />}</Page>;
  const d = q.data;
  const i = d.institution;
  return (
    <Page title={`${i.name} — ${d.wave.name}`} wide>
      <p>
        <Link to={path`/open/${id}/waves/${wave}`}>{t('public.backToRanking')}</Link>
      </p>
      <p>
        {t('public.summary', {
          rank: i.rank ?? '–',
          overall: formatScore(i.overall, 1),
          points: formatScore(i.points, 0),
          max: formatScore(i.maxPoints, 0),
        })}
        {i.change && d.wave.previous && (
          <> {t('public.changeSince', { change: formatSigned(i.change.overall, 1), wave: d.wave.previous })}</>
        )}
      </p>
      {d.principles.map((p) => (
        <section key={p.id} aria-labelledby={`p-${p.id}`}>
          <h2 id={`p-${p.id}`}>
            {p.title}: {formatScore(i.principles[p.id], 1)}
            {i.change && d.wave.previous && (
              <span className="muted"> ({formatSigned(i.change.principles[p.id], 1)})</span>
            )}
          </h2>
          <table className="openness-table">
            <thead>
              <tr>
                <th scope="col">{t('public.indicator')}</th>
                <th scope="col">{t('public.points')}</th>
                <th scope="col">{t('field.source')}</th>
                <th scope="col">{t('public.evidence')}</th>
              </tr>
            </thead>
            <tbody>
              {d.indicators
                .filter((x) => x.principle === p.id)
                .map((x) => (
                  <tr key={x.id}>
                    <td>{x.text}</td>
                    <td>
                      {x.answer === 'na'
                        ? t('field.na')
                        : x.points === null
                          ? '–'
                          : `${formatScore(x.points, 0)} / ${formatScore(x.maxPoints, 0)}`}
                    </td>
                    <td>{t(`source.${x.source}`)}</td>
                    <td>
                      {x.url && (
                        <a href={x.url} rel="noopener noreferrer nofollow" target="_blank">
                          {t('public.link')}
                        </a>
                      )}
                      {x.checkedOn && (
                        <span className="muted"> {t('public.checked', { when: formatDay(x.checkedOn) })}</span>
                      )}
                      {x.archives.map((a) => (
                        <span key={a.id}>
                          {' '}
                          <a href={`/api/v1${path`/public/openness-archives/${a.id}`}`}>{t('public.archive')}</a>
                        </span>
                      ))}
                    </td>
                  </tr>
                ))}
            </tbody>
          </table>
        </section>
      ))}
    </Page>
  );
}
