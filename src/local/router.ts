/**
 * Matches a method and path to a route, as API Gateway does for the deployed API: a path that no
 * route has is a 404, a known path with another method a 405 that lists the allowed ones.
 */
import type { ProxyHandler } from '../lib/http/httpHandler.js';
import type { Route } from '../lib/http/route.js';

export interface ServedRoute {
  readonly route: Route;
  readonly handler: ProxyHandler;
}

type RouteMatch =
  | { kind: 'found'; served: ServedRoute; pathParameters: Record<string, string> }
  | { kind: 'method-not-allowed'; allow: string[] }
  | { kind: 'not-found' };

export type Router = (method: string, pathname: string) => RouteMatch;

export const createRouter = (served: readonly ServedRoute[]): Router => {
  // Patterns are compiled once, when the server is made.
  const compiled = served.map((s) => ({
    served: s,
    pattern: new RegExp(`^${s.route.resource.replaceAll(/\{(\w+)\}/g, '(?<$1>[^/]+)')}$`),
  }));
  return (method, pathname) => {
    const matching = compiled.flatMap(({ served: s, pattern }) => {
      const m = pattern.exec(pathname);
      return m ? [{ served: s, pathParameters: { ...m.groups } }] : [];
    });
    const hit = matching.find((m) => m.served.route.method === method);
    if (hit) return { kind: 'found', ...hit };
    if (matching.length > 0) {
      return { kind: 'method-not-allowed', allow: matching.map((m) => m.served.route.method) };
    }
    return { kind: 'not-found' };
  };
};
