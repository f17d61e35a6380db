import Koa from 'koa';
import type Router from '@koa/router';
import type { Config } from './shared/config';
import { jsonBody } from './shared/body';
import { errorHandler, requestContext } from './shared/http';
import { methodGuard } from './shared/methods';
import type { Logger } from './shared/logger';
import { createMetrics } from './shared/metrics';
import { writeRateLimit } from './shared/rate-limit';
import type { Clock } from './shared/time';
import type { Storage } from './storage/storage';
import { healthRoutes } from './modules/health/health.routes';
import { docsRoutes } from './modules/docs/docs.routes';
import { createIdentity } from './modules/identity/identity';
import { adminRoutes } from './modules/identity/admin.routes';
import { authRoutes } from './modules/identity/auth.routes';
import { botRoutes } from './modules/identity/bot.routes';
import { meRoutes } from './modules/identity/me.routes';
import { createPlaceIndex } from './modules/places/places.service';
import { stationRoutes } from './modules/stations/stations.routes';
import { merchantRoutes } from './modules/merchants/merchants.routes';
import { gbfsRoutes } from './modules/gbfs/gbfs.routes';
import { importRoutes } from './modules/import/import.routes';

export interface AppDeps {
  config: Readonly<Config>;
  storage: Storage;
  clock: Clock;
  log: Logger;
}

// 405, 501 and OPTIONS are answered once for all routers by methodGuard, not per router.
const mount = (app: Koa, routers: Router[]) => {
  for (const r of routers) app.use(r.routes());
};

/** Builds the Koa app from its dependencies; it never listens (server.ts does). */
export function createApp(deps: AppDeps): Koa {
  const { config, log, storage, clock } = deps;
  const app = new Koa({ proxy: config.trustProxy, maxIpsCount: config.trustProxyHops });
  const metrics = createMetrics({ defaultMetrics: config.env !== 'test' });
  const places = createPlaceIndex();
  const identity = createIdentity(deps);

  app.on('error', (err: Error, ctx?: Koa.Context) => {
    (ctx?.state.log ?? log).error({ err }, 'request failed');
  });
  app.use(requestContext(log));
  app.use(metrics.middleware);
  const health = [healthRoutes({ storage, registry: metrics.registry })];
  const rawBody = [importRoutes({ ...deps, identity })];
  const jsonRoutes = [
    authRoutes({ config, identity }),
    meRoutes({ storage, clock, identity }),
    adminRoutes({ config, storage, clock, identity }),
    botRoutes({ storage, clock, botToken: config.botToken, audit: identity.audit }),
    stationRoutes({ ...deps, places, identity }),
    merchantRoutes({ ...deps, places, identity }),
    gbfsRoutes(deps),
  ];
  health.push(docsRoutes([...health, ...rawBody, ...jsonRoutes])); // GET /openapi.json and /docs, public, built from every router mounted
  app.use(errorHandler());
  app.use(methodGuard([...health, ...rawBody, ...jsonRoutes]));
  mount(app, health);
  app.use(identity.authenticate);
  app.use(writeRateLimit(config.rateLimit.writePerMinute));
  // Import reads its own (larger) raw body, so it is mounted before the JSON body parser.
  mount(app, rawBody);
  app.use(jsonBody(config.bodyLimitBytes));
  mount(app, jsonRoutes);
  return app;
}
