import type { PublicationList, PublicationPreview, PublicationSummary } from '@kalaja/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, path, type ApiError } from '../../api';
import { OpenDataButton } from '../../components/open-data';
import { ErrorNote } from '../../components/ui';
import { formatMoment } from '../../format';
import { keys, usePublications } from '../../queries';
import { useProgrammeContext } from './data';
import { TableWrap } from './fields';
import { SECTION_TITLE } from './sections';

/**
 * Publishing a round's results to the programme's observers (threat model, T9). Observers
 * never see live figures: they see the last version published here. For each round the
 * section says what a publication now would make — or why the server would refuse it (too
 * few organisations changed since the last version, which would let anyone set the two side
 * by side and read those organisations' scores) — and lists every version with its open data.
 */
export function Section() {
  const { programme } = useProgrammeContext();
  const { t } = useTranslation('manager');
  const client = useQueryClient();
  const list = usePublications(programme.id);
  const [done, setDone] = useState<PublicationSummary | null>(null);
  const publish = useMutation<PublicationSummary, ApiError, string>({
    mutationFn: (round) => api('POST', path`/programmes/${programme.id}/publications`, { round }),
    onSuccess: async (p) => {
      setDone(p);
      await client.invalidateQueries({ queryKey: keys.publications(programme.id) });
      await client.invalidateQueries({ queryKey: keys.cohortResults(programme.id) });
    },
  });
  return (
    <section aria-labelledby={SECTION_TITLE}>
      <h2 id={SECTION_TITLE} tabIndex={-1}>
        {t('publication.title')}
      </h2>
      <p className="hint">{t('publication.intro', { k: list.data?.minCell ?? 5 })}</p>
      <ErrorNote error={list.error ?? publish.error} />
      {done && (
        <p role="status" className="success">
          {t('publication.published', { round: done.round, version: done.version })}
        </p>
      )}
      {list.data && (
        <>
          <Rounds
            data={list.data}
            busy={publish.isPending ? publish.variables : undefined}
            onPublish={(round) => {
              setDone(null);
              publish.mutate(round);
            }}
          />
          <Versions programmeId={programme.id} versions={list.data.versions} />
        </>
      )}
    </section>
  );
}

function Rounds({
  data,
  busy,
  onPublish,
}: {
  data: PublicationList;
  busy: string | undefined;
  onPublish(round: string): void;
}) {
  const { t } = useTranslation('manager');
  return (
    <div className="stack">
      <h3 id="publication-rounds">{t('publication.roundsTitle')}</h3>
      <TableWrap labelledBy="publication-rounds">
        <table className="data-table" aria-labelledby="publication-rounds">
          <thead>
            <tr>
              <th scope="col">{t('publication.round')}</th>
              <th scope="col">{t('publication.state')}</th>
              <th scope="col">{t('publication.action')}</th>
            </tr>
          </thead>
          <tbody>
            {data.rounds.map((r) => (
              <tr key={r.round}>
                <th scope="row">{r.round}</th>
                <td>
                  <RoundState r={r} />
                </td>
                <td>
                  {r.status === 'ready' ? (
                    <button type="button" disabled={busy !== undefined} onClick={() => onPublish(r.round)}>
                      {busy === r.round
                        ? t('publication.publishing')
                        : t('publication.publish', { round: r.round, version: r.nextVersion })}
                    </button>
                  ) : (
                    '–'
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </div>
  );
}

/** Where a round stands, in words: what a publication would rest on, or why there is none to make. */
function RoundState({ r }: { r: PublicationPreview }) {
  const { t } = useTranslation('manager');
  const drafts = r.inProgress > 0 ? ` ${t('publication.inProgress', { count: r.inProgress })}` : '';
  const withheld = r.withheld.length > 0 ? ` ${t('publication.withheld', { count: r.withheld.length })}` : '';
  switch (r.status) {
    case 'nothing':
      return <>{t('publication.nothing') + drafts}</>;
    case 'unchanged':
      return <>{t('publication.unchanged', { version: r.nextVersion - 1 }) + drafts}</>;
    case 'too-few-changed':
      return (
        <span className="warning-text">
          {t('publication.tooFew', { count: r.changed ?? 0, version: r.nextVersion - 1, k: r.minCell }) + drafts}
        </span>
      );
    case 'ready':
      return (
        <>
          {(r.changed === null
            ? t('publication.readyFirst', { count: r.organisations })
            : t('publication.readyNext', { count: r.organisations, changed: r.changed })) +
            withheld +
            drafts}
        </>
      );
  }
}

function Versions({ programmeId, versions }: { programmeId: string; versions: PublicationSummary[] }) {
  const { t } = useTranslation('manager');
  const [error, setError] = useState<unknown>(null);
  if (versions.length === 0) return <p>{t('publication.noneYet')}</p>;
  return (
    <div className="stack">
      <h3 id="publication-versions">{t('publication.versionsTitle')}</h3>
      <ErrorNote error={error} />
      <TableWrap labelledBy="publication-versions">
        <table className="data-table" aria-labelledby="publication-versions">
          <thead>
            <tr>
              <th scope="col">{t('publication.round')}</th>
              <th scope="col">{t('publication.version')}</th>
              <th scope="col">{t('publication.when')}</th>
              <th scope="col">{t('publication.organisations')}</th>
              <th scope="col">{t('publication.openData')}</th>
            </tr>
          </thead>
          <tbody>
            {versions.map((v) => (
              <tr key={v.id}>
                <th scope="row">{v.round}</th>
                <td>{v.version}</td>
                <td>{formatMoment(new Date(v.publishedAt).toISOString())}</td>
                <td>{v.organisations}</td>
                <td>
                  <OpenDataButton programmeId={programmeId} version={v} onError={setError} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </div>
  );
}
