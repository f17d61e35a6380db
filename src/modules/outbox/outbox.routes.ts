import Router from '@koa/router';
import { z } from 'zod';
import type { Config } from '../../shared/config';
import { requireServiceToken } from '../../shared/auth';
import { route } from '../../shared/openapi/route';
import { validate } from '../../shared/validate';
import { ID_PATTERN } from '../../storage/ids';
import { outboxDocs } from './outbox.openapi';
import type { OutboxConsumer } from './outbox.service';

const BATCH = { min: 1, max: 100 };
/** The consumer the service itself runs (wechat-worker.ts). */
const IN_PROCESS = 'wechat';

/** The request bodies; consumer defaults to 'bot' only where 'bot' is configured (never to someone else's name). */
export function outboxBodies(config: Pick<Config, 'outbox'>) {
  const { consumers, leaseSeconds } = config.outbox;
  // The WeChat sender runs inside the service; over HTTP the bot's credential must not claim (and swallow) its events.
  const remote = consumers.filter((c) => c !== IN_PROCESS);
  const names = z.string({ error: `必须是消费方名称，可选：${remote.join('、')}` }).min(1).max(32)
    .refine((c) => c !== IN_PROCESS, `「${IN_PROCESS}」由服务内部发送，不能通过接口领取`)
    .meta({ description: `消费方，可选：${remote.join('、')}`, examples: [...remote] });
  const consumer = consumers.includes('bot') ? names.default('bot') : names;
  const handle = z.strictObject({
    id: z.string().regex(ID_PATTERN, '必须是事件编号（24 位十六进制）'),
    claimToken: z.string().min(1).max(64),
  });
  const handles = z.array(handle).min(BATCH.min, `至少 ${BATCH.min} 条`).max(BATCH.max, `最多 ${BATCH.max} 条`);
  return {
    claim: z.strictObject({
      consumer,
      limit: z.number().int().min(1).max(100).default(20),
      leaseSeconds: z.number().int().min(5).max(600).default(leaseSeconds).meta({ description: `租约秒数，默认 ${leaseSeconds}` }),
    }),
    ack: z.strictObject({ consumer, acks: handles }),
    release: z.strictObject({ consumer, releases: handles, retryAfterSeconds: z.number().int().min(0).max(3600).default(0) }),
  };
}

/** Routes for the outbox's consumers over HTTP (the bot process), by the service credential X-Bot-Token. */
export function outboxRoutes(deps: { consumer: OutboxConsumer; config: Pick<Config, 'outbox' | 'botToken'> }): Router {
  const { consumer: outbox, config } = deps;
  const router = new Router({ prefix: '/api/v1/outbox' });
  router.use(requireServiceToken(config.botToken));
  const bodies = outboxBodies(config);
  const api = outboxDocs(bodies);

  route(router, api.claim, async (ctx) => {
    const { consumer, limit, leaseSeconds } = validate(bodies.claim, ctx.request.body, 422);
    const events = await outbox.claim(consumer, limit, leaseSeconds);
    if (events.length) ctx.state.log.info({ module: 'outbox', consumer, claimed: events.length }, 'outbox events claimed');
    ctx.body = { data: events };
  });
  route(router, api.ack, async (ctx) => {
    const { consumer, acks } = validate(bodies.ack, ctx.request.body, 422);
    ctx.body = { data: await outbox.ack(consumer, acks) };
  });
  route(router, api.release, async (ctx) => {
    const { consumer, releases, retryAfterSeconds } = validate(bodies.release, ctx.request.body, 422);
    const data = await outbox.release(consumer, releases, retryAfterSeconds);
    ctx.state.log.info({ module: 'outbox', consumer, released: data.filter((r) => r.result === 'released').length }, 'outbox events released');
    ctx.body = { data };
  });
  route(router, api.stats, async (ctx) => {
    ctx.body = { data: await outbox.pending() };
  });
  return router;
}
