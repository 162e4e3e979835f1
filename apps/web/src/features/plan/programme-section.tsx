/**
 * The programme's plans across its cohort, for its managers: which interventions the
 * organisations' latest results ask for most, what their plans hold and have done, what is
 * overdue, per organisation and per kind; and every plan as one spreadsheet.
 */
import type { ProgrammePlans } from '@kalaja/contracts';
import { DECIMALS } from '@kalaja/engine/display';
import { useTranslation } from 'react-i18next';
import { apiDownload, path } from '../../api';
import { useStepUp } from '../../components/step-up';
import { ErrorNote, Loading } from '../../components/ui';
import { formatDay, formatScore } from '../../format';
import { useProgrammeContext } from '../manager/data';
import { TableWrap } from '../manager/fields';
import { SECTION_TITLE } from '../manager/sections';
import { useProgrammePlans } from './data';
import { useLocalText } from './plan-parts';
import './plan.css';

type Counts = Pick<ProgrammePlans['byKind'][number], 'planned' | 'inProgress' | 'done' | 'dropped' | 'overdue'>;
const COUNTS = ['planned', 'inProgress', 'done', 'dropped', 'overdue'] as const;

function CountHeads() {
  const { t } = useTranslation('plan');
  return (
    <>
      {COUNTS.map((c) => (
        <th key={c} scope="col" className="num">
          {t(c === 'overdue' ? 'programme.overdueCount' : `programme.${c}`)}
        </th>
      ))}
    </>
  );
}

function CountCells({ row }: { row: Counts }) {
  return (
    <>
      {COUNTS.map((c) => (
        <td key={c} className="num">
          {row[c]}
        </td>
      ))}
    </>
  );
}

/** Plan items counted by status, one row per organisation or per kind of intervention. */
function CountTable({
  id,
  title,
  head,
  rows,
}: {
  id: string;
  title: string;
  head: string;
  rows: (Counts & { key: string; name: string; items: number })[];
}) {
  const { t } = useTranslation('plan');
  return (
    <>
      <h3 id={id}>{title}</h3>
      <TableWrap labelledBy={id}>
        <table>
          <thead>
            <tr>
              <th scope="col">{head}</th>
              <th scope="col" className="num">
                {t('programme.items')}
              </th>
              <CountHeads />
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key}>
                <th scope="row">{r.name}</th>
                <td className="num">{r.items}</td>
                <CountCells row={r} />
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </>
  );
}

export function Section() {
  const { t } = useTranslation('plan');
  const { programme } = useProgrammeContext();
  const plans = useProgrammePlans(programme.id);
  const local = useLocalText();
  const stepUp = useStepUp();
  const download = (format: 'csv' | 'xlsx') =>
    void stepUp
      .withStepUp(() =>
        apiDownload(`${path`/programmes/${programme.id}/plans/export`}?format=${format}`, `plans.${format}`),
      )
      .catch(() => undefined);

  return (
    <section aria-labelledby={SECTION_TITLE}>
      <h2 id={SECTION_TITLE} tabIndex={-1}>
        {t('programme.title')}
      </h2>
      <p className="hint">{t('programme.intro')}</p>
      {stepUp.dialog}
      <p className="plan-export">
        <button type="button" className="secondary" onClick={() => download('csv')}>
          {t('programme.export')}
        </button>{' '}
        <button type="button" className="secondary" onClick={() => download('xlsx')}>
          {t('programme.exportXlsx')}
        </button>
      </p>
      {plans.isPending ? (
        <Loading />
      ) : !plans.data ? (
        <ErrorNote error={plans.error} />
      ) : (
        <>
          <h3 id="plans-demand">{t('programme.demandTitle')}</h3>
          {plans.data.organisations === 0 ? (
            <p>{t('programme.demandEmpty')}</p>
          ) : (
            <>
              <p className="hint">{t('programme.demandIntro', { count: plans.data.organisations })}</p>
              <TableWrap labelledBy="plans-demand">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t('programme.intervention')}</th>
                      <th scope="col">{t('programme.kind')}</th>
                      <th scope="col" className="num">
                        {t('programme.needed')}
                      </th>
                      <th scope="col" className="num">
                        {t('programme.topFive')}
                      </th>
                      <th scope="col" className="num">
                        {t('programme.meanGain')}
                      </th>
                      <CountHeads />
                    </tr>
                  </thead>
                  <tbody>
                    {plans.data.demand.map((d) => (
                      <tr key={d.intervention.id}>
                        <th scope="row">{local(d.intervention.title)}</th>
                        <td>{t(`kind.${d.intervention.kind}`)}</td>
                        <td className="num">{d.needed}</td>
                        <td className="num">{d.topFive}</td>
                        <td className="num">{formatScore(d.meanGain, DECIMALS.organisation)}</td>
                        <CountCells row={d} />
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableWrap>
            </>
          )}

          <h3>{t('programme.overdueTitle')}</h3>
          {plans.data.overdue.length === 0 ? (
            <p>{t('programme.overdueEmpty')}</p>
          ) : (
            <ul className="plans-overdue">
              {plans.data.overdue.map((o) => (
                <li key={o.itemId}>
                  {t('programme.overdueItem', {
                    title: local(o.title),
                    organisation: o.organisation,
                    date: formatDay(o.dueOn),
                  })}
                  {o.owner && <span className="muted"> · {o.owner.displayName}</span>}
                </li>
              ))}
            </ul>
          )}

          <CountTable
            id="plans-organisations"
            title={t('programme.byOrganisationTitle')}
            head={t('programme.organisation')}
            rows={plans.data.byOrganisation.map((o) => ({ key: o.organisationId, name: o.organisation, ...o }))}
          />
          <CountTable
            id="plans-kinds"
            title={t('programme.byKindTitle')}
            head={t('programme.kind')}
            rows={plans.data.byKind.map((k) => ({ key: k.kind, name: t(`kind.${k.kind}`), ...k }))}
          />
        </>
      )}
    </section>
  );
}
