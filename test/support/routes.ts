// The app's routes as the router holds them, for tests that must cover every
// route (security walk, hostile input) without a list that could fall behind.
import type { Express } from 'express';

export interface Route {
  method: string;
  path: string;
}

/** Every route registered on the app (Express 5 router stacks). */
export function routesOf(app: Express): Route[] {
  const out: Route[] = [];
  const walk = (
    stack: { route?: { path: string; methods: Record<string, boolean> }; handle?: { stack?: unknown[] } }[],
  ) => {
    for (const layer of stack) {
      if (layer.route)
        for (const m of Object.keys(layer.route.methods)) out.push({ method: m.toUpperCase(), path: layer.route.path });
      else if (layer.handle?.stack) walk(layer.handle.stack as never);
    }
  };
  walk((app as unknown as { router: { stack: never[] } }).router.stack);
  return out;
}

/** A route path with a plausible value for each parameter; the wave slug is left as SLUG. */
export function fillRoute(path: string): string {
  return path
    .replace(':slug', 'SLUG')
    .replace(':n', '1')
    .replace(':org', 'KANS-0001')
    .replace(':id', '1')
    .replace(':index', '0')
    .replace(':page', '0')
    .replace(':question', '0')
    .replace(':key', 'corona-impact')
    .replace(':version', '1')
    .replace(':year', '2019')
    .replace(':format', 'csv')
    .replace(':locale', 'nl');
}

/** A route path with every parameter set to one (URL-encoded) value. */
export function fillRouteWith(path: string, value: string): string {
  return path.replace(/:[a-z]+/gi, encodeURIComponent(value));
}
