import type { RouteObject } from 'react-router';

/** The instance admin's pages; each page module is loaded when first visited. */
export const adminRoutes: RouteObject[] = [
  { path: '/admin/users', lazy: async () => ({ Component: (await import('./people-page')).PeoplePage }) },
  {
    path: '/admin/frameworks',
    lazy: async () => ({ Component: (await import('./frameworks-page')).FrameworksPage }),
  },
];
