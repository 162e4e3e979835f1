/**
 * Training impact as the programme team reads it (docs/contracts.md, trainings): knowledge
 * before → after with the paired change and its interval, in plain words and in tables, per
 * session, per module and per organisation beside the organisation's own change in the domains
 * the module serves — an association, never shown as a cause.
 */
import type { FollowUpSummary, KnowledgeSummary, ModuleImpact, TrainingImpact } from '@kalaja/contracts';
import { DECIMALS } from '@kalaja/engine/display';
import { useTranslation } from 'react-i18next';
import { useLocalText } from '../../components/local-text';
import { formatPercent, formatScore, formatSigned } from '../../format';
import { TableWrap } from '../manager/fields';

const points = (x: number | null | undefined) => formatScore(x, 0);
const signedPoints = (x: number | null | undefined) => formatSigned(x, 1);
const rating = (x: number | null | undefined) => formatScore(x, 1);

/** "Knowledge rose from 48 to 71 (+23 points, 95% interval +15 to +31) over 12 participants." */
export function KnowledgeWords({ knowledge }: { knowledge: KnowledgeSummary }) {
  const { t } = useTranslation('training');
  const c = knowledge.change;
  if (c.n === 0 || c.mean === null) return <p>{t('impact.noPairs')}</p>;
  return (
    <p className="plain-words">
      {t('impact.knowledgeWords', {
        count: c.n,
        pre: points(knowledge.preMean),
        post: points(knowledge.postMean),
        change: signedPoints(c.mean),
        improved: c.improved,
        interval: c.ci95
          ? t('impact.interval', { low: signedPoints(c.ci95[0]), high: signedPoints(c.ci95[1]) })
          : t('impact.noInterval'),
      })}
    </p>
  );
}

/** The cells of one knowledge summary: before, after, change with interval, pairs. */
export function KnowledgeCells({ knowledge }: { knowledge: KnowledgeSummary }) {
  const c = knowledge.change;
  return (
    <>
      <td className="num">{points(knowledge.preMean)}</td>
      <td className="num">{points(knowledge.postMean)}</td>
      <td className="num">
        {signedPoints(c.mean)}
        {c.ci95 && (
          <span className="muted interval">
            {' '}
            [{signedPoints(c.ci95[0])}, {signedPoints(c.ci95[1])}]
          </span>
        )}
      </td>
      <td className="num">{c.n}</td>
    </>
  );
}

export function KnowledgeHeads() {
  const { t } = useTranslation('training');
  return (
    <>
      <th scope="col" className="num">
        {t('impact.before')}
      </th>
      <th scope="col" className="num">
        {t('impact.after')}
      </th>
      <th scope="col" className="num">
        {t('impact.change')}
      </th>
      <th scope="col" className="num">
        {t('impact.pairs')}
      </th>
    </>
  );
}

/** Confidence and reaction in one short line. */
export function ReactionLine({ impact }: { impact: Pick<ModuleImpact, 'confidence' | 'reaction'> }) {
  const { t } = useTranslation('training');
  const { confidence: c, reaction: r } = impact;
  return (
    <p className="muted">
      {c.n > 0 && t('impact.confidenceLine', { count: c.n, pre: rating(c.pre), post: rating(c.post) })}{' '}
      {r.n > 0 &&
        t('impact.reactionLine', {
          count: r.n,
          usefulness: rating(r.usefulness),
          relevance: rating(r.relevance),
          right: r.pace.right,
        })}
    </p>
  );
}

/** What participants said weeks later they have put into practice. */
export function FollowUps({ followUps, idPrefix }: { followUps: readonly FollowUpSummary[]; idPrefix: string }) {
  const { t } = useTranslation('training');
  const local = useLocalText();
  return (
    <>
      {followUps.map((f) => {
        const id = `${idPrefix}-follow-up-${f.days}`;
        const share = (n: number) => (f.responded > 0 ? formatPercent(n / f.responded) : '–');
        return (
          <div key={f.days} className="follow-up">
            <h4 id={id}>{t('impact.followUpTitle', { days: f.days, responded: f.responded, asked: f.asked })}</h4>
            {f.responded > 0 && (
              <TableWrap labelledBy={id}>
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t('impact.practice')}</th>
                      <th scope="col" className="num">
                        {t('check.practice.yes')}
                      </th>
                      <th scope="col" className="num">
                        {t('check.practice.partly')}
                      </th>
                      <th scope="col" className="num">
                        {t('check.practice.no')}
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {f.practices.map((p) => (
                      <tr key={p.id}>
                        <th scope="row">{local(p.text)}</th>
                        <td className="num">{share(p.yes)}</td>
                        <td className="num">{share(p.partly)}</td>
                        <td className="num">{share(p.no)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableWrap>
            )}
          </div>
        );
      })}
    </>
  );
}

/** The programme's training impact: per module, then per organisation beside its domain change. */
export function ProgrammeImpact({ impact, domainTitle }: { impact: TrainingImpact; domainTitle(id: string): string }) {
  const { t } = useTranslation('training');
  const local = useLocalText();
  if (impact.sessions.length === 0) return null;
  return (
    <section className="training-impact" aria-labelledby="impact-title">
      <h3 id="impact-title">{t('impact.title')}</h3>
      <p className="hint">{t('impact.intro')}</p>
      <h4 id="impact-modules">{t('impact.byModule')}</h4>
      <TableWrap labelledBy="impact-modules">
        <table>
          <thead>
            <tr>
              <th scope="col">{t('impact.module')}</th>
              <th scope="col" className="num">
                {t('impact.sessions')}
              </th>
              <th scope="col" className="num">
                {t('impact.attended')}
              </th>
              <KnowledgeHeads />
            </tr>
          </thead>
          <tbody>
            {impact.modules.map((m) => (
              <tr key={m.module.id}>
                <th scope="row">{local(m.module.title)}</th>
                <td className="num">{m.sessions}</td>
                <td className="num">{t('impact.ofRegistered', { attended: m.attended, registered: m.registered })}</td>
                <KnowledgeCells knowledge={m.knowledge} />
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      {impact.modules.map((m) => (
        <div key={m.module.id} className="module-impact">
          <h4>{local(m.module.title)}</h4>
          <KnowledgeWords knowledge={m.knowledge} />
          <ReactionLine impact={m} />
          <FollowUps followUps={m.followUps} idPrefix={`module-${m.module.id}`} />
        </div>
      ))}
      {impact.organisations.length > 0 && (
        <>
          <h4 id="impact-organisations">{t('impact.byOrganisation')}</h4>
          <p className="hint">{t('impact.association')}</p>
          <TableWrap labelledBy="impact-organisations">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('impact.organisation')}</th>
                  <th scope="col">{t('impact.module')}</th>
                  <th scope="col" className="num">
                    {t('impact.attended')}
                  </th>
                  <th scope="col" className="num">
                    {t('impact.knowledgeChange')}
                  </th>
                  <th scope="col">{t('impact.domainChange')}</th>
                </tr>
              </thead>
              <tbody>
                {impact.organisations.flatMap((o) =>
                  o.modules.map((m, i) => (
                    <tr key={`${o.organisationId}-${m.module.id}`}>
                      {i === 0 && (
                        <th scope="rowgroup" rowSpan={o.modules.length}>
                          {o.organisation}
                        </th>
                      )}
                      <td>{local(m.module.title)}</td>
                      <td className="num">{t('impact.ofRegistered', { attended: m.attended, registered: m.sent })}</td>
                      <td className="num">
                        {m.knowledge.n > 0 ? signedPoints(m.knowledge.mean) : '–'}
                        {m.knowledge.n > 0 && <span className="muted"> (n={m.knowledge.n})</span>}
                      </td>
                      <td>
                        {o.rounds === null
                          ? t('impact.noRounds')
                          : m.domains.map((d) => (
                              <span key={d.domain} className="domain-change">
                                {domainTitle(d.domain)}:{' '}
                                {t('impact.domainMove', {
                                  before: formatScore(d.before, DECIMALS.organisation),
                                  after: formatScore(d.after, DECIMALS.organisation),
                                  change: formatSigned(d.change, DECIMALS.organisation),
                                })}
                              </span>
                            ))}
                      </td>
                    </tr>
                  )),
                )}
              </tbody>
            </table>
          </TableWrap>
        </>
      )}
    </section>
  );
}
