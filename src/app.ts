import Koa from 'koa';
import type Router from '@koa/router';
import type { AppDeps, FeatureContext, FeatureRouters } from './feature';
import { features, type Storage } from './features';
import { jsonBody } from './shared/body';
import { errorHandler, requestContext } from './shared/http';
import { httpConventions } from './shared/http-conventions';
import { methodGuard } from './shared/methods';
import { createMetrics } from './shared/metrics';
import { writeRateLimit } from './shared/rate-limit';
import { serviceTokenCheck } from './shared/auth';
import { healthRoutes } from './modules/health/health.routes';
import { docsRoutes } from './modules/docs/docs.routes';
import { createIdentity } from './modules/identity/identity';
import { createPlaceIndex } from './modules/places/places.service';

export type { AppDeps } from './feature';

/**
 * Where a router's paths can begin: the literal start of each layer's path, up to its first parameter, group or
 * escape (path-to-regexp syntax). A layer whose path is a regular expression (router.use) gives the router's
 * prefix, and '' (always run) without one. Lower case unless the router matches case-sensitively, as @koa/router
 * does by default. A conservative filter: a path that starts with none of them cannot match any of its layers.
 */
export function pathHeads(router: Router): string[] {
  const prefix = router.opts.prefix ?? '';
  const heads = router.stack.map((l) => (typeof l.path === 'string' && !l.opts.pathAsRegExp ? (l.path.split(/[:*{(?\\]/, 1)[0] ?? '') : prefix));
  const cased = router.opts.sensitive ? heads : heads.map((h) => h.toLowerCase());
  return cased.includes('') ? [''] : [...new Set(cased)];
}

/**
 * Mounts routers as one middleware; a router runs only for paths that start where one of its layers does. Every
 * router used to be its own middleware: each request paid a promise and a bound dispatch per router, and each
 * router matched the path against all its layers' regexes (the health, docs and JWKS routers have no prefix, so
 * they did it for every request). Here the routers that cannot match are skipped with a few startsWith checks.
 * 405, 501 and OPTIONS are answered once for all routers by methodGuard, not per router.
 */
const mount = (app: Koa, routers: Router[]) => {
  const entries = routers.map((r) => ({ heads: pathHeads(r), sensitive: Boolean(r.opts.sensitive), routes: r.routes() }));
  const mayMatch = (path: string, heads: string[]) => {
    for (const h of heads) if (path.startsWith(h)) return true;
    return false;
  };
  // ctx.path re-parses the URL on every read: it is read once per request and passed along.
  const run = (ctx: Koa.Context, next: Koa.Next, path: string, lower: string, from: number): Promise<void> => {
    for (let i = from; i < entries.length; i++) {
      const e = entries[i] as (typeof entries)[number];
      if (mayMatch(e.sensitive ? path : lower, e.heads)) return e.routes(ctx as never, () => run(ctx, next, path, lower, i + 1)) as Promise<void>;
    }
    return next();
  };
  const routes: Koa.Middleware = (ctx, next) => {
    const path = ctx.path;
    return run(ctx, next, path, path.toLowerCase(), 0);
  };
  app.use(Object.assign(routes, { routers })); // the routers stay findable (the OpenAPI test lists what is mounted)
};

/** Builds the Koa app from its dependencies and the feature list; it never listens (server.ts does). */
export function createApp(deps: AppDeps<Storage> & { storage: Storage }): Koa {
  const { config, log, storage } = deps;
  const app = new Koa({ proxy: config.trustProxy, maxIpsCount: config.trustProxyHops });
  const metrics = createMetrics({ defaultMetrics: config.env !== 'test' });
  const identity = createIdentity(deps, features.flatMap((f) => (f.holdings ? [f.holdings(storage)] : [])));
  const ctx: FeatureContext<Storage> = {
    ...deps, identity, places: createPlaceIndex(),
    importKinds: features.flatMap((f) => f.importKinds?.(storage) ?? []),
  };
  const routers: FeatureRouters[] = features.map((f) => f.routes?.(ctx) ?? {});
  const early = [healthRoutes({ storage, registry: metrics.registry }), ...routers.flatMap((r) => r.early ?? [])];
  const raw = routers.flatMap((r) => r.raw ?? []);
  const json = routers.flatMap((r) => r.json ?? []);
  early.push(docsRoutes([...early, ...raw, ...json])); // GET /openapi.json and /docs, public, built from every router mounted

  app.on('error', (err: Error & { code?: string }, c?: Koa.Context) => {
    // A client that hangs up mid-answer is not a fault of ours.
    if (err.code === 'ERR_STREAM_PREMATURE_CLOSE' || err.code === 'ECONNRESET') return;
    (c?.state.log ?? log).error({ err }, 'request failed');
  });
  app.use(requestContext(log));
  // Metrics see the final status (a 304 included). The inner error boundary shapes errors where the conventions
  // (headers, compression) still apply to them; the outer one catches what the conventions themselves throw.
  app.use(metrics.middleware);
  app.use(errorHandler());
  app.use(httpConventions(config)); // security headers, gzip/br over 1 KB, ETag + 304 on /gbfs/* and station detail
  app.use(errorHandler());
  app.use(methodGuard([...early, ...raw, ...json]));
  mount(app, early);
  app.use(identity.authenticate);
  // The bot (a valid X-Bot-Token) is one address for every chat user and the outbox's consumer: not limited per IP.
  app.use(writeRateLimit(config.rateLimit.writePerMinute, storage.limiterStore(), { fromTrustedService: serviceTokenCheck(config.botToken) }));
  // Raw routers (imports) read their own, larger bodies, so they mount before the JSON body parser.
  mount(app, raw);
  app.use(jsonBody(config.bodyLimitBytes));
  mount(app, json);
  return app;
}
