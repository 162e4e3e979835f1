/**
 * The programme's technical findings across its cohort, for its managers: how many by severity,
 * by what was tested and by where they stand, the median days from a finding to its fix, and
 * who found, reviewed and retested what — how the programme follows its ethical hackers' own
 * development. An organisation's findings themselves are on its findings page.
 */
import type { FindingsSummary } from '@kalaja/contracts';
import { useTranslation } from 'react-i18next';
import { ErrorNote, Loading } from '../../components/ui';
import { useProgrammeContext } from '../manager/data';
import { TableWrap } from '../manager/fields';
import { SECTION_TITLE } from '../manager/sections';
import { useFindingsSummary } from './data';

type Counts = FindingsSummary['bySeverity'] | FindingsSummary['byTarget'] | FindingsSummary['byStatus'];

function CountList({
  id,
  title,
  counts,
  label,
}: {
  id: string;
  title: string;
  counts: Counts;
  label(key: string): string;
}) {
  const { t } = useTranslation('findings');
  return (
    <>
      <h3 id={id}>{title}</h3>
      <TableWrap labelledBy={id}>
        <table>
          <thead>
            <tr>
              <th scope="col">{title}</th>
              <th scope="col" className="num">
                {t('programme.count')}
              </th>
            </tr>
          </thead>
          <tbody>
            {Object.entries(counts).map(([key, n]) => (
              <tr key={key}>
                <th scope="row">{label(key)}</th>
                <td className="num">{n ?? t('programme.withheld')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </>
  );
}

export function Section() {
  const { t } = useTranslation('findings');
  const { programme } = useProgrammeContext();
  const summary = useFindingsSummary(programme.id);
  return (
    <section aria-labelledby={SECTION_TITLE}>
      <h2 id={SECTION_TITLE} tabIndex={-1}>
        {t('programme.title')}
      </h2>
      <p className="hint">{t('programme.intro')}</p>
      {summary.isPending ? (
        <Loading />
      ) : !summary.data ? (
        <ErrorNote error={summary.error} />
      ) : (
        <>
          <p>
            {t('programme.organisations', { count: summary.data.organisations })}{' '}
            {summary.data.medianDaysToFix === null
              ? t('programme.noFixYet')
              : t('programme.medianDays', { count: Math.round(summary.data.medianDaysToFix) })}
          </p>
          <CountList
            id="findings-severity"
            title={t('programme.bySeverity')}
            counts={summary.data.bySeverity}
            label={(k) => t(`severity.${k}`)}
          />
          <CountList
            id="findings-target"
            title={t('programme.byTarget')}
            counts={summary.data.byTarget}
            label={(k) => t(`target.${k}`)}
          />
          <CountList
            id="findings-status"
            title={t('programme.byStatus')}
            counts={summary.data.byStatus}
            label={(k) => t(`status.${k}`)}
          />
          {summary.data.people && <People people={summary.data.people} />}
        </>
      )}
    </section>
  );
}

function People({ people }: { people: NonNullable<FindingsSummary['people']> }) {
  const { t } = useTranslation('findings');
  const heads = ['found', 'approved', 'sentBack', 'inReview', 'approvals', 'changesAsked', 'retests'] as const;
  return (
    <>
      <h3 id="findings-people">{t('programme.peopleTitle')}</h3>
      <p className="hint">{t('programme.peopleIntro')}</p>
      {people.length === 0 ? (
        <p>{t('programme.peopleNone')}</p>
      ) : (
        <TableWrap labelledBy="findings-people">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('programme.person')}</th>
                {heads.map((h) => (
                  <th key={h} scope="col" className="num">
                    {t(`programme.people.${h}`)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {people.map((p) => (
                <tr key={p.person.id}>
                  <th scope="row">{p.person.displayName || t('programme.kalaja')}</th>
                  {heads.map((h) => (
                    <td key={h} className="num">
                      {p[h]}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </>
  );
}
