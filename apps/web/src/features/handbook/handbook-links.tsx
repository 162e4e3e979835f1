/**
 * Links into the handbook from the rest of the app: a plan item's sections by id, and the
 * sections that serve a domain (a critical gap's, a low-scoring domain's). The titles come from
 * the public contents; while they have not arrived (or cannot), a link shows the section's id.
 */
import { Fragment } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { allSections, useHandbookContents } from './data';

export function HandbookSectionLinks({ ids }: { ids: readonly string[] }) {
  const contents = useHandbookContents();
  const titles = new Map(allSections(contents.data).map((s) => [s.id, s.title]));
  return ids.map((id, i) => (
    <Fragment key={id}>
      {i > 0 && ', '}
      <Link to={`/handbook/${encodeURIComponent(id)}`}>{titles.get(id) ?? id}</Link>
    </Fragment>
  ));
}

/** The sections that serve a domain, in the handbook's order (prepare first); nothing when none does. */
export function HandbookForDomain({ domain }: { domain: string }) {
  const { t } = useTranslation('handbook');
  const contents = useHandbookContents();
  const sections = allSections(contents.data).filter((s) => s.domains.includes(domain));
  if (sections.length === 0) return null;
  return (
    <p className="handbook-links">
      {t('links.forDomain')} <HandbookSectionLinks ids={sections.map((s) => s.id)} />
    </p>
  );
}

/**
 * The sections that help with one question: those drawing on the interventions that raise it
 * (the framework names them per question, the sections name theirs), else its domain's.
 */
export function HandbookForQuestion({ interventions, domain }: { interventions: readonly string[]; domain: string }) {
  const { t } = useTranslation('handbook');
  const contents = useHandbookContents();
  const raising = new Set(interventions);
  const sections = allSections(contents.data).filter((s) => s.interventions.some((i) => raising.has(i)));
  if (sections.length === 0) return <HandbookForDomain domain={domain} />;
  return (
    <p className="handbook-links">
      {t('links.forQuestion')} <HandbookSectionLinks ids={sections.map((s) => s.id)} />
    </p>
  );
}

/**
 * The domains that scored lowest (under half the scale, at most three, lowest first), each with
 * the handbook sections that serve it: from a low score straight to what helps.
 */
export function HandbookForLowDomains({
  domains,
  scale,
}: {
  domains: readonly { id: string; title: string; score: number | null }[];
  scale: number;
}) {
  const { t } = useTranslation('handbook');
  const low = domains
    .filter((d): d is { id: string; title: string; score: number } => d.score !== null && d.score < scale / 2)
    .sort((a, b) => a.score - b.score)
    .slice(0, 3);
  if (low.length === 0) return null;
  return (
    <section className="handbook-help" aria-labelledby="handbook-help-title">
      <h2 id="handbook-help-title">{t('links.title')}</h2>
      <p className="muted">{t('links.intro')}</p>
      <ul>
        {low.map((d) => (
          <li key={d.id}>
            <strong>{d.title}</strong>
            <HandbookForDomain domain={d.id} />
          </li>
        ))}
      </ul>
    </section>
  );
}
