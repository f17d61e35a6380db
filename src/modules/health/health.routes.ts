import Router from '@koa/router';
import type { Registry } from 'prom-client';
import type { Storage } from '../../storage/storage';

/** Liveness, readiness (storage reachable) and Prometheus metrics. */
export function healthRoutes(deps: { storage: Storage; registry: Registry }): Router {
  const router = new Router();
  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async (ctx) => {
    try {
      await deps.storage.ping();
      ctx.body = { status: 'ready', storage: deps.storage.driver };
    } catch (err) {
      ctx.state.log.warn({ module: 'health', err }, 'storage not reachable');
      ctx.status = 503;
      ctx.body = { status: 'unavailable', storage: deps.storage.driver };
    }
  });
  router.get('/metrics', async (ctx) => {
    ctx.type = deps.registry.contentType;
    ctx.body = await deps.registry.metrics();
  });
  return router;
}
