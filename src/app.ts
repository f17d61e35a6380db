import Koa from 'koa';
import type Router from '@koa/router';
import type { Config } from './shared/config';
import { jsonBody } from './shared/body';
import { errorHandler, requestContext } from './shared/http';
import type { Logger } from './shared/logger';
import { createMetrics } from './shared/metrics';
import type { Clock } from './shared/time';
import type { Storage } from './storage/types';
import { healthRoutes } from './modules/health/health.routes';
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

/** Builds the Koa app from its dependencies; it never listens (server.ts does). */
export function createApp(deps: AppDeps): Koa {
  const { config, log } = deps;
  const app = new Koa({ proxy: config.trustProxy });
  const metrics = createMetrics({ defaultMetrics: config.env !== 'test' });
  const places = createPlaceIndex();

  app.on('error', (err: Error, ctx?: Koa.Context) => {
    (ctx?.state.log ?? log).error({ err }, 'request failed');
  });
  app.use(requestContext(log));
  app.use(metrics.middleware);
  app.use(errorHandler());

  const routers: Router[] = [
    healthRoutes({ storage: deps.storage, registry: metrics.registry }),
    // Import reads its own (larger) raw body, so it is mounted before the JSON body parser.
    importRoutes(deps),
  ];
  for (const r of routers) app.use(r.routes()).use(r.allowedMethods({ throw: true }));

  app.use(jsonBody(config.bodyLimitBytes));
  for (const r of [stationRoutes({ ...deps, places }), merchantRoutes({ ...deps, places }), gbfsRoutes(deps)]) {
    app.use(r.routes()).use(r.allowedMethods({ throw: true }));
  }
  return app;
}
