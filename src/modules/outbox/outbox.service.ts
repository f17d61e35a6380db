import type { Config } from '../../shared/config';
import { ValidationError } from '../../shared/errors';
import type { Clock } from '../../shared/time';
import { outboxEventInputSchema } from './outbox.schema';
import type { AckResult, ClaimedEvent, OutboxEvent, OutboxEventInput, OutboxStorage, PendingCount, ReleaseResult } from './outbox.types';

export interface Outbox {
  /**
   * Writes events for every configured consumer. Call it inside the storage.atomically of the change the events
   * report, so both commit together or not at all. A dedupeId already written returns the first event unchanged.
   */
  emit(events: readonly OutboxEventInput[]): Promise<OutboxEvent[]>;
}

/** The outbox as other features write to it: `outbox.emit([...])` inside their `storage.atomically`. */
export function createOutbox(deps: { storage: OutboxStorage; config: Pick<Config, 'outbox'>; clock: Clock }): Outbox {
  const { storage, config, clock } = deps;
  return {
    async emit(events) {
      for (const [i, e] of events.entries()) {
        const parsed = outboxEventInputSchema.safeParse(e);
        if (!parsed.success) throw new TypeError(`outbox event ${i} (${String(e?.type)}): ${parsed.error.issues.map((x) => `${x.path.join('.')} ${x.message}`).join('; ')}`);
      }
      if (events.length === 0) return [];
      return storage.outbox.enqueue(events, config.outbox.consumers, clock.now());
    },
  };
}

/** A claimed event handed back: its id and the token of the claim that holds it. */
export interface Handle {
  id: string;
  claimToken: string;
}

export interface OutboxConsumer {
  /** The consumer names configured (OUTBOX_CONSUMERS). */
  consumers: readonly string[];
  claim(consumer: string, limit: number, leaseSeconds: number): Promise<ClaimedEvent[]>;
  ack(consumer: string, handles: readonly Handle[]): Promise<Array<{ id: string; result: AckResult }>>;
  /** Gives claimed events back, claimable again after retryAfterSeconds. */
  release(consumer: string, handles: readonly Handle[], retryAfterSeconds?: number): Promise<Array<{ id: string; result: ReleaseResult }>>;
  /** Unacknowledged deliveries of every configured consumer (zeros included). */
  pending(): Promise<PendingCount[]>;
}

/** The reading side, for the HTTP consumers (the bot) and the in-service worker; refuses an unconfigured consumer (422). */
export function createOutboxConsumer(deps: { storage: OutboxStorage; config: Pick<Config, 'outbox'>; clock: Clock }): OutboxConsumer {
  const { storage, config, clock } = deps;
  const { consumers } = config.outbox;
  const known = (consumer: string): string => {
    if (consumers.includes(consumer)) return consumer;
    const message = `未知的消费方 ${consumer}，可选：${consumers.join('、')}`;
    throw new ValidationError(`参数 consumer 有误：${message}`, [{ field: 'consumer', message, allowed: [...consumers] }], 422);
  };
  return {
    consumers,
    claim: (consumer, limit, leaseSeconds) => storage.outbox.claim(known(consumer), limit, leaseSeconds * 1000, clock.now()),
    async ack(consumer, handles) {
      known(consumer);
      const out = [];
      for (const h of handles) out.push({ id: h.id, result: await storage.outbox.ack(consumer, h.id, h.claimToken, clock.now()) });
      return out;
    },
    async release(consumer, handles, retryAfterSeconds = 0) {
      known(consumer);
      const out = [];
      for (const h of handles) out.push({ id: h.id, result: await storage.outbox.release(consumer, h.id, h.claimToken, clock.now(), retryAfterSeconds * 1000) });
      return out;
    },
    async pending() {
      const counts = new Map((await storage.outbox.pending(clock.now())).map((p) => [p.consumer, p]));
      return consumers.map((consumer) => counts.get(consumer) ?? { consumer, ready: 0, leased: 0 });
    },
  };
}
