import type { Db } from '../../../storage/embedded/database';
import { DocTable } from '../../../storage/embedded/doc-table';
import { OUTBOX_RETENTION_S, type Delivery, type OutboxRepository, type PendingCount } from '../outbox.types';
import { claimedOf, eventOf, heldBy, leased, newDeliveries, whyNot } from './deliveries';

/** The embedded table: one row per event and consumer; acked rows are purged 30 days after their ack. */
export const OUTBOX_EMBEDDED_MIGRATIONS = [
  `CREATE TABLE outbox_deliveries (
     rid INTEGER PRIMARY KEY,
     id TEXT NOT NULL UNIQUE,
     event_id TEXT NOT NULL,
     consumer TEXT NOT NULL,
     dedupe_id TEXT NOT NULL,
     available_at TEXT NOT NULL,
     acked_at TEXT,
     doc TEXT NOT NULL,
     UNIQUE (event_id, consumer),
     UNIQUE (dedupe_id, consumer)
   );
   -- A claim scans only the consumer's unacknowledged rows, in id (creation) order.
   CREATE INDEX outbox_unacked ON outbox_deliveries (consumer, id) WHERE acked_at IS NULL;
   CREATE INDEX outbox_acked_expires ON outbox_deliveries (json_extract(doc, '$.ackedAt'));`,
] as const;

/**
 * The outbox in SQLite. Each method is one IMMEDIATE transaction (or part of the unit of work it is called in), so
 * a claim's read-then-lease cannot interleave with another claim, even from another process.
 */
export function createEmbeddedOutbox(db: Db): OutboxRepository {
  const table = new DocTable<Delivery>(db, {
    table: 'outbox_deliveries',
    columns: ['event_id', 'consumer', 'dedupe_id', 'available_at', 'acked_at'],
    toColumns: (d) => [d.eventId, d.consumer, d.dedupeId, d.availableAt.toISOString(), d.ackedAt?.toISOString() ?? null],
    dates: ['createdAt', 'availableAt', 'claimedAt', 'ackedAt'],
    expiresField: 'ackedAt',
    keepExpiredMs: OUTBOX_RETENTION_S * 1000,
  });
  const pendingSql = db.prepare(`SELECT consumer, sum(available_at <= @now) AS ready, sum(available_at > @now) AS leased
    FROM outbox_deliveries WHERE acked_at IS NULL GROUP BY consumer ORDER BY consumer`);
  const find = (consumer: string, eventId: string) => table.findOne([['event_id = ?', eventId], ['consumer = ?', consumer]]);

  return {
    enqueue: async (events, consumers, now) => table.transaction(() => events.map((input) => {
      const first = table.findOne([['dedupe_id = ?', input.dedupeId]]);
      if (first) return eventOf(first);
      const { event, deliveries } = newDeliveries(input, consumers, now);
      for (const d of deliveries) table.insert(d);
      return event;
    })),
    claim: async (consumer, limit, leaseMs, now) => table.transaction(() => {
      const ready = table.list([['consumer = ?', consumer], ['acked_at IS NULL AND available_at <= ?', now.toISOString()]], { limit });
      return ready.map((d) => {
        const next = leased(d, now, leaseMs);
        table.replace(next);
        return claimedOf(next);
      });
    }),
    ack: async (consumer, eventId, claimToken, now) => table.transaction(() => {
      const d = find(consumer, eventId);
      const held = heldBy(d, claimToken);
      if (!held) return whyNot(d);
      table.replace({ ...held, ackedAt: now });
      return 'acked';
    }),
    release: async (consumer, eventId, claimToken, now, delayMs = 0) => table.transaction(() => {
      const d = find(consumer, eventId);
      const held = heldBy(d, claimToken);
      if (!held) return whyNot(d);
      table.replace({ ...held, claimToken: null, availableAt: new Date(now.getTime() + Math.max(0, delayMs)) });
      return 'released';
    }),
    pending: async (now) => pendingSql.all({ now: now.toISOString() }) as PendingCount[],
  };
}
