import type { RouteObject } from 'react-router';
import { PROGRAMME_SECTIONS } from './sections';

/**
 * The manager pages: a new programme, and a programme with its sections (sections.ts), each a
 * route and a chunk of its own inside the programme's layout.
 */
export const managerRoutes: RouteObject[] = [
  { path: '/programmes/new', lazy: async () => ({ Component: (await import('./new-programme')).NewProgrammePage }) },
  {
    path: '/programmes/:id',
    lazy: async () => ({ Component: (await import('./programme-layout')).ProgrammeLayout }),
    children: PROGRAMME_SECTIONS.flatMap((s) => [
      {
        ...(s.path ? { path: s.path } : { index: true }),
        lazy: async () => ({ Component: (await s.load()).Section }),
      },
      ...(s.children ?? []).map((c) => ({
        path: `${s.path}/${c.path}`,
        lazy: async () => ({ Component: (await c.load()).Section }),
      })),
    ]),
  },
];
