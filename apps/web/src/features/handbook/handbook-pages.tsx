/**
 * The Digital Security Handbook in the app (issue 15), readable without an account: the
 * contents in three parts with a search over every section's title and text, each prepare and
 * recover section as one page, and each respond path as numbered steps shown one at a time,
 * with "when to call for help" always one tap away. Once a page has been opened, the service
 * worker keeps it and its data, so a respond path still reads offline — the moment someone
 * needs "I lost access to my account" may be the moment they cannot sign in.
 */
import type { HandbookBlockNode, HandbookEntry, HandbookSectionView } from '@kalaja/contracts';
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation, useParams, useSearchParams } from 'react-router';
import { ErrorNote, Loading, Page } from '../../components/ui';
import { formatDay } from '../../format';
import { Blocks, Inline } from './blocks';
import { allSections, searchHandbook, useHandbookContents, useHandbookSection } from './data';
import { useOfflineCopy } from './offline';
import './handbook.css';

/** The handbook's own frame: the name, a way back into Kalaja, and nothing that needs a session. */
export function HandbookLayout() {
  const { t } = useTranslation('handbook');
  const saved = useOfflineCopy();
  const { pathname } = useLocation();
  // Each page starts at its title, as in the rest of the app.
  useEffect(() => {
    document.getElementById('page-title')?.focus();
  }, [pathname]);
  return (
    <>
      <a className="skip" href="#main">
        {t('common:app.skip')}
      </a>
      <header className="top handbook-top">
        <Link to="/handbook" className="brand">
          <img src="/favicon.svg" alt="" width="28" height="28" />
          {t('frame.name')}
        </Link>
        <nav aria-label={t('frame.nav')}>
          <Link to="/">{t('frame.app')}</Link>
        </nav>
      </header>
      <main id="main" className="handbook-main">
        <Outlet />
      </main>
      <footer className="handbook-footer">
        <p className="muted" role="status" data-offline={saved}>
          {saved === 'saved' ? t('offline.saved') : saved === 'unsupported' ? t('offline.unsupported') : ''}
        </p>
      </footer>
    </>
  );
}

const PHASES = ['prepare', 'respond', 'recover'] as const;

/** `/handbook`: the three parts, and a search over every section. */
export function HandbookHome() {
  const { t } = useTranslation('handbook');
  const contents = useHandbookContents();
  const [query, setQuery] = useState('');
  const searchId = useId();
  const sections = useMemo(() => allSections(contents.data), [contents.data]);
  const hits = useMemo(() => searchHandbook(sections, query), [sections, query]);
  if (contents.isPending) return <Loading />;
  if (contents.error) return <ErrorNote error={contents.error} />;
  return (
    <Page title={t('home.title')} wide>
      <p className="handbook-lead">{t('home.intro')}</p>
      <form role="search" className="handbook-search" onSubmit={(e) => e.preventDefault()}>
        <label htmlFor={searchId}>{t('search.label')}</label>
        <input
          id={searchId}
          type="search"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          placeholder={t('search.placeholder')}
          autoComplete="off"
        />
      </form>
      {query.trim() !== '' ? (
        <section aria-labelledby="handbook-results">
          <h2 id="handbook-results">{t('search.results', { count: hits.length })}</h2>
          {hits.length === 0 ? (
            <p>{t('search.none')}</p>
          ) : (
            <ul className="handbook-list">
              {hits.map(({ section, extract }) => (
                <li key={section.id}>
                  <Link to={`/handbook/${section.id}`}>{section.title}</Link>
                  <span className="badge badge-plain">{t(`part.${section.phase}.name`)}</span>
                  <p className="muted">{extract}</p>
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : (
        <div className="handbook-parts">
          {PHASES.map((phase) => (
            <Part
              key={phase}
              phase={phase}
              sections={contents.data.parts.find((p) => p.phase === phase)?.sections ?? []}
            />
          ))}
        </div>
      )}
      <p className="handbook-export">
        <a href={`/api/v1/handbook/export.pdf?lang=${encodeURIComponent(contents.data.lang)}`} download>
          {t('home.pdf')}
        </a>
      </p>
    </Page>
  );
}

function Part({ phase, sections }: { phase: (typeof PHASES)[number]; sections: HandbookEntry[] }) {
  const { t } = useTranslation('handbook');
  return (
    <section className={`handbook-part handbook-part-${phase}`} aria-labelledby={`part-${phase}`}>
      <h2 id={`part-${phase}`}>{t(`part.${phase}.name`)}</h2>
      <p className="muted">{t(`part.${phase}.intro`)}</p>
      <ul className="handbook-list">
        {sections.map((s) => (
          // A section not translated yet is the English one: marked, for screen readers.
          <li key={s.id} lang={s.lang}>
            <Link to={`/handbook/${s.id}`}>{s.title}</Link>
            <p className="muted">{s.summary}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** One part of a respond path: the text under one `##` heading. */
interface Step {
  anchor: string;
  title: HandbookBlockNode['children'];
  blocks: HandbookBlockNode[];
  help: boolean;
}

/** Parts of a path that are not steps: shown under every step. */
const APPENDIX = /^(related|further-reading)$/;

/**
 * A section's blocks as its introduction, its steps (one per `##` heading) and what follows the
 * steps ("Related", "Further reading").
 */
export function stepsOf(blocks: readonly HandbookBlockNode[]): {
  intro: HandbookBlockNode[];
  steps: Step[];
  after: HandbookBlockNode[];
} {
  const intro: HandbookBlockNode[] = [];
  const steps: Step[] = [];
  const after: HandbookBlockNode[] = [];
  let target = intro;
  for (const b of blocks) {
    if (b.t === 'heading' && b.level === 2) {
      const anchor = b.anchor ?? '';
      if (APPENDIX.test(anchor)) {
        target = after;
        after.push(b);
        continue;
      }
      const step: Step = { anchor, title: b.children, blocks: [], help: /call-for-help|when-and-who/.test(anchor) };
      steps.push(step);
      target = step.blocks;
    } else target.push(b);
  }
  return { intro, steps, after };
}

/** `/handbook/:id`: a section; a respond path as steps. */
export function HandbookSectionPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation('handbook');
  const section = useHandbookSection(id);
  if (section.isPending) return <Loading />;
  if (section.error) {
    return (
      <Page title={section.error.status === 404 ? t('section.notFound') : t('section.unavailable')}>
        {section.error.status !== 404 && <ErrorNote error={section.error} />}
        <Link to="/handbook">{t('section.back')}</Link>
      </Page>
    );
  }
  const s = section.data;
  return (
    <Page title={s.title} wide>
      <p className="handbook-meta">
        <Link to="/handbook">{t('section.back')}</Link>
        {' · '}
        <span className="badge badge-plain">{t(`part.${s.phase}.name`)}</span>{' '}
        <span className="muted">{t('section.reviewed', { date: formatDay(s.reviewed) })}</span>
      </p>
      <div lang={s.lang}>{s.phase === 'respond' ? <RespondPath section={s} /> : <Blocks blocks={s.blocks} />}</div>
      {s.linkedFrom.length > 0 && (
        <aside className="handbook-linked" aria-labelledby="linked-title">
          <h2 id="linked-title">{t('section.linkedFrom')}</h2>
          <ul>
            {s.linkedFrom.map((l) => (
              <li key={l.id}>
                <Link to={`/handbook/${l.id}`}>{l.title}</Link>
              </li>
            ))}
          </ul>
        </aside>
      )}
    </Page>
  );
}

/** A respond path: what it is for, then one numbered step at a time, the step in the address. */
function RespondPath({ section }: { section: HandbookSectionView }) {
  const { t } = useTranslation('handbook');
  const [params, setParams] = useSearchParams();
  const { intro, steps, after } = useMemo(() => stepsOf(section.blocks), [section.blocks]);
  const wanted = Number(params.get('step') ?? '1');
  const current = Number.isInteger(wanted) && wanted >= 1 && wanted <= steps.length ? wanted : 1;
  const step = steps[current - 1];
  const help = steps.findIndex((s) => s.help) + 1;
  const go = (n: number) => setParams(n === 1 ? {} : { step: String(n) });
  // Moving to another step takes the reader to it; opening the path starts at its title.
  const shown = useRef(current);
  useEffect(() => {
    if (shown.current === current) return;
    shown.current = current;
    document.getElementById('step-title')?.focus();
  }, [current]);
  if (!step) return <Blocks blocks={section.blocks} />;
  return (
    <div className="respond-path">
      <Blocks blocks={intro} />
      {help > 0 && help !== current && (
        <p className="respond-help-link">
          <Link to={{ search: `?step=${help}` }}>{t('respond.callForHelp')}</Link>
        </p>
      )}
      <nav aria-label={t('respond.steps')} className="respond-steps">
        <ol>
          {steps.map((s, i) => (
            <li key={s.anchor} className={s.help ? 'respond-step-help' : undefined}>
              <Link
                to={{ search: i === 0 ? '' : `?step=${i + 1}` }}
                aria-current={i + 1 === current ? 'step' : undefined}
              >
                <Inline nodes={s.title} />
              </Link>
            </li>
          ))}
        </ol>
      </nav>
      <section className={step.help ? 'respond-step respond-step-help' : 'respond-step'} aria-labelledby="step-title">
        <p className="respond-step-count">{t('respond.stepOf', { step: current, steps: steps.length })}</p>
        <h2 id="step-title" tabIndex={-1}>
          <Inline nodes={step.title} />
        </h2>
        <Blocks blocks={step.blocks} />
      </section>
      <div className="respond-buttons">
        {current > 1 && (
          <button type="button" className="secondary" onClick={() => go(current - 1)}>
            {t('respond.previous')}
          </button>
        )}
        {current < steps.length && (
          <button type="button" onClick={() => go(current + 1)}>
            {t('respond.next')}
          </button>
        )}
      </div>
      <Blocks blocks={after} />
    </div>
  );
}
