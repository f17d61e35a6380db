import type { Feature } from '../../feature';
import { outboxRoutes } from './outbox.routes';
import { createOutboxConsumer } from './outbox.service';
import type { OutboxStorage } from './outbox.types';
import type { IdentityStorage } from '../identity/identity.types';
import { outboxStore } from './storage';
import { startWeChatWorker } from './wechat-worker';

/**
 * The transactional outbox: features write notification events in the transaction of the change they report
 * (createOutbox in outbox.service.ts); consumers claim, acknowledge and release them under leases, the bot over
 * /api/v1/outbox (X-Bot-Token), the WeChat subscribe-message worker in-process (wechat-worker.ts).
 */
export const outboxFeature: Feature<OutboxStorage, OutboxStorage & Pick<IdentityStorage, 'riders'>> = {
  name: 'outbox',
  store: outboxStore,
  routes: (ctx) => ({ json: [outboxRoutes({ consumer: createOutboxConsumer(ctx), config: ctx.config })] }),
  // Sends outbox events to riders as WeChat subscribe messages; only with WeChat configured and 'wechat' a consumer.
  workers: (deps) => {
    const worker = startWeChatWorker(deps);
    return worker ? [worker] : [];
  },
};
