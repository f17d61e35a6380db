import type { FeatureStore } from '../../../feature';
import type { OutboxStorage } from '../outbox.types';
import { createEmbeddedOutbox, OUTBOX_EMBEDDED_MIGRATIONS } from './embedded';
import { createMongoOutbox, outboxModel } from './mongo';

/** The outbox in either driver: one table or collection of deliveries (an event per consumer). */
export const outboxStore: FeatureStore<OutboxStorage> = {
  embedded: {
    migrations: OUTBOX_EMBEDDED_MIGRATIONS,
    open: (db) => ({ outbox: createEmbeddedOutbox(db) }),
  },
  mongo: { open: async (conn) => ({ outbox: createMongoOutbox(await outboxModel(conn)) }) },
};
