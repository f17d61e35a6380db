import Router from '@koa/router';
import type { Registry } from 'prom-client';
import { z } from 'zod';
import { route } from '../../shared/openapi/route';
import { pingWithin } from './readiness';
import type { StorageBase } from '../../storage/types';

const status = (values: [string, ...string[]]) => z.object({ status: z.enum(values), storage: z.enum(['embedded', 'mongo']) });
const doc = { tags: ['health'], access: 'none' } as const;

/** Liveness, readiness (storage reachable) and Prometheus metrics. */
export function healthRoutes(deps: { storage: StorageBase; registry: Registry }): Router {
  const router = new Router();
  route(router, { ...doc, method: 'get', path: '/healthz', summary: '存活检查',
    responses: { 200: { description: '进程在运行', schema: z.object({ status: z.literal('ok') }), example: { status: 'ok' } } } }, (ctx) => {
    ctx.body = { status: 'ok' };
  });
  route(router, { ...doc, method: 'get', path: '/readyz', summary: '就绪检查（存储可达）', responses: {
    200: { description: '存储可达', schema: status(['ready']), example: { status: 'ready', storage: 'embedded' } },
    503: { description: '存储不可达', schema: status(['unavailable']), example: { status: 'unavailable', storage: 'embedded' } },
  } }, async (ctx) => {
    try {
      await pingWithin(() => deps.storage.ping());
      ctx.body = { status: 'ready', storage: deps.storage.driver };
    } catch (err) {
      ctx.state.log.warn({ module: 'health', err }, 'storage not reachable');
      ctx.status = 503;
      ctx.body = { status: 'unavailable', storage: deps.storage.driver };
    }
  });
  route(router, { ...doc, method: 'get', path: '/metrics', summary: 'Prometheus 指标', responses: {
    200: { description: 'Prometheus 文本格式：http_requests_total、http_request_duration_seconds 等', contentType: 'text/plain', schema: { type: 'string' } },
  } }, async (ctx) => {
    ctx.type = deps.registry.contentType;
    ctx.body = await deps.registry.metrics();
  });
  return router;
}
