import type { RouteObject } from 'react-router';
import i18n from '../../i18n';
import { frameworkQuery, programmeQuery } from '../../queries';
import { queryClient } from '../../query-client';
import { cohortOrganisationsQuery, cohortSummaryQuery, shownRound } from './data';

/**
 * What the cohort results page reads, started as soon as its address is known, beside the page's
 * code rather than after it has rendered: the programme and then its framework, the summary and
 * then the first page of the shown round's organisations (managers: the named view), the page's
 * catalogue, and the chart code. Nothing is awaited (the page shows each part as it arrives) and
 * nothing is read that the page would not read itself, under the same query keys.
 */
function prefetchCohortResults(id: string, url: string): void {
  const quietly = () => {};
  void i18n.loadNamespaces('results').catch(quietly);
  void import('./echarts-cohort').catch(quietly);
  void queryClient
    .fetchQuery(programmeQuery(id))
    .then((p) => queryClient.prefetchQuery(frameworkQuery(p.framework.id, i18n.language)))
    .catch(quietly);
  void queryClient
    .fetchQuery(cohortSummaryQuery(id))
    .then((summary) => {
      const round = shownRound(summary, new URL(url).searchParams.get('round'));
      if (summary.view === 'named' && round !== undefined)
        return queryClient.prefetchQuery(cohortOrganisationsQuery(id, round, 0));
    })
    .catch(quietly);
}

/** The results pages; each page module (and its charts) is loaded when first visited. */
export const resultsRoutes: RouteObject[] = [
  {
    path: '/assessments/:id/results',
    lazy: async () => ({ Component: (await import('./organisation-results')).OrganisationResultsPage }),
  },
  {
    path: '/programmes/:id/results',
    loader: ({ params, request }) => {
      if (params.id) prefetchCohortResults(params.id, request.url);
      return null;
    },
    // A change of round (the address's search) reads nothing again: the page asks for what it needs.
    shouldRevalidate: ({ currentParams, nextParams }) => currentParams.id !== nextParams.id,
    lazy: async () => ({ Component: (await import('./cohort-results')).CohortResultsPage }),
  },
];
