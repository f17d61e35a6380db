import type { Feature } from '../../feature';
import { outboxRoutes } from './outbox.routes';
import { createOutboxConsumer } from './outbox.service';
import type { OutboxStorage } from './outbox.types';
import { outboxStore } from './storage';

/**
 * The transactional outbox: features write notification events in the transaction of the change they report
 * (createOutbox in outbox.service.ts); consumers claim, acknowledge and release them under leases, the bot over
 * /api/v1/outbox (X-Bot-Token), the WeChat subscribe-message worker in-process (wechat-worker.ts).
 */
export const outboxFeature: Feature<OutboxStorage> = {
  name: 'outbox',
  store: outboxStore,
  routes: (ctx) => ({ json: [outboxRoutes({ consumer: createOutboxConsumer(ctx), config: ctx.config })] }),
};
