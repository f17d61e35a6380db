import type { City } from '../../shared/domain';

/** Who a notification is for; the consumer maps the id to a WeChat user or contact itself. */
export interface OutboxRecipient {
  kind: 'rider' | 'staff';
  id: string;
}

/**
 * What a feature writes to the outbox, inside the transaction of the change it reports. `type` names the event
 * ('access.approved', 'access.denied', 'pass.revoked', 'pass.expiring', later 'report.updated'); `payload` holds
 * what a consumer needs to write its message without calling back (names, reasons, times as ISO text).
 */
export interface OutboxEventInput {
  type: string;
  /** Unique per event: enqueueing the same dedupeId again is a no-op that returns the first event. */
  dedupeId: string;
  recipient: OutboxRecipient;
  city: City | null;
  payload: Record<string, unknown>;
}

export interface OutboxEvent extends OutboxEventInput {
  id: string;
  createdAt: Date;
}

/** An event handed to one consumer under a lease: ack or release it with this claimToken before leaseUntil. */
export interface ClaimedEvent extends OutboxEvent {
  claimToken: string;
  leaseUntil: Date;
  /** How many times this consumer has claimed it, this claim included (1 on first delivery). */
  attempts: number;
}

/**
 * acked: done; already: acked before (by this or an earlier claim); stale: the lease was lost (expired and claimed
 * again, or given back) and the token no longer holds it; unknown: no such event for this consumer.
 */
export type AckResult = 'acked' | 'already' | 'stale' | 'unknown';
export type ReleaseResult = 'released' | 'already' | 'stale' | 'unknown';

/** Deliveries one consumer has not acknowledged: claimable now, and under a lease (or held back after a release). */
export interface PendingCount {
  consumer: string;
  ready: number;
  leased: number;
}

/** Acknowledged deliveries are kept this long, then purged (DocTable expiresField, Mongo TTL index). */
export const OUTBOX_RETENTION_S = 30 * 24 * 3600;

/** Consumer names: 'bot', 'wechat', ... (config OUTBOX_CONSUMERS). */
export const CONSUMER_PATTERN = /^[a-z][a-z0-9_-]{0,31}$/;

/**
 * The outbox: one delivery per event and consumer. Every method works inside storage.atomically (it joins the unit
 * of work's transaction), so an enqueue commits or rolls back with the change that caused it.
 */
export interface OutboxRepository {
  /** Writes each event with one delivery per consumer; an event whose dedupeId exists already is returned as stored. */
  enqueue(events: readonly OutboxEventInput[], consumers: readonly string[], now: Date): Promise<OutboxEvent[]>;
  /**
   * Leases up to `limit` of the consumer's deliveries that are neither acknowledged nor under a live lease, oldest
   * first, each with a fresh claimToken until now + leaseMs. Two concurrent claims never get the same delivery.
   */
  claim(consumer: string, limit: number, leaseMs: number, now: Date): Promise<ClaimedEvent[]>;
  ack(consumer: string, eventId: string, claimToken: string, now: Date): Promise<AckResult>;
  /** Gives a claimed delivery back: claimable again after delayMs (default at once). */
  release(consumer: string, eventId: string, claimToken: string, now: Date, delayMs?: number): Promise<ReleaseResult>;
  /** Unacknowledged deliveries per consumer that has any. */
  pending(now: Date): Promise<PendingCount[]>;
}

export interface OutboxStorage {
  outbox: OutboxRepository;
}

/**
 * A delivery as both drivers store it: the event (copied per consumer, so each ages out on its own and no event
 * table needs a "have all consumers acked?" sweep) and this consumer's state. `id` is the delivery's own id.
 */
export interface Delivery extends OutboxEventInput {
  id: string;
  eventId: string;
  createdAt: Date;
  consumer: string;
  /** When it may be claimed (again): createdAt, the end of the current lease, or the end of a release's delay. */
  availableAt: Date;
  claimToken: string | null;
  claimedAt: Date | null;
  attempts: number;
  ackedAt: Date | null;
}
