import type { FastifyInstance, RouteOptions } from 'fastify';

/**
 * Who may call a route, declared on every route (`config: { access }`). Deny by default: a
 * route without a declaration stops the server from starting, and the route-table test
 * walks every declared route.
 *
 * - `public`: anyone (health, sign-in, first-run setup with its token, accepting an invitation).
 * - `password`: a session that has passed the password but still owes its second factor
 *   (the MFA step and TOTP enrolment only).
 * - `member`: a full session — password and second factor. Which objects the member may
 *   touch is decided by the service, on its first line, from the actor's memberships.
 */
export type Access = 'public' | 'password' | 'member';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
}

export interface RouteInfo {
  method: string;
  url: string;
  access: Access;
  /** The largest body the route reads, when it differs from the app's default. */
  bodyLimit?: number;
  /** The route's response may be compressed: it holds no secret (decision 6). */
  compress?: true;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every API route with its declared access, for the route-table tests. */
    routeTable: RouteInfo[];
  }
}

/** Refuses to register any route that does not say who may call it, and records the rest. */
export function requireAccessDeclarations(app: FastifyInstance): void {
  const table: RouteInfo[] = [];
  app.decorate('routeTable', table);
  app.addHook('onRoute', (route: RouteOptions) => {
    if (!route.url.startsWith('/api/')) return;
    const { access, compress } = (route.config as { access?: Access; compress?: boolean } | undefined) ?? {};
    if (access === undefined) throw new Error(`route ${String(route.method)} ${route.url} declares no access policy`);
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD')
        table.push({
          method,
          url: route.url,
          access,
          ...(route.bodyLimit !== undefined && { bodyLimit: route.bodyLimit }),
          ...(compress === true && { compress }),
        });
    }
  });
}
