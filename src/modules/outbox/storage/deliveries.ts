import { randomBytes } from 'node:crypto';
import { newId } from '../../../storage/ids';
import type { ClaimedEvent, Delivery, OutboxEvent, OutboxEventInput } from '../outbox.types';

/** A fresh lease handle: random, so a consumer cannot ack what another instance holds by guessing. */
export const newClaimToken = (): string => randomBytes(12).toString('base64url');

/** The event and one delivery per consumer, all sharing the event's id; refuses an empty or repeated consumer list. */
export function newDeliveries(input: OutboxEventInput, consumers: readonly string[], now: Date): { event: OutboxEvent; deliveries: Delivery[] } {
  if (consumers.length === 0 || new Set(consumers).size !== consumers.length) {
    throw new RangeError(`outbox consumers must be distinct and at least one, got [${consumers.join(', ')}]`);
  }
  const { type, dedupeId, recipient, city, payload } = input;
  const event: OutboxEvent = { id: newId(), type, dedupeId, recipient: { kind: recipient.kind, id: recipient.id }, city, payload, createdAt: now };
  const deliveries = consumers.map((consumer): Delivery => ({
    ...event, id: newId(), eventId: event.id, consumer,
    availableAt: now, claimToken: null, claimedAt: null, attempts: 0, ackedAt: null,
  }));
  return { event, deliveries };
}

/** The event a delivery carries. */
export function eventOf(d: Delivery): OutboxEvent {
  return { id: d.eventId, type: d.type, dedupeId: d.dedupeId, recipient: d.recipient, city: d.city, payload: d.payload, createdAt: d.createdAt };
}

/** A delivery just leased, as its consumer sees it. */
export function claimedOf(d: Delivery): ClaimedEvent {
  return { ...eventOf(d), claimToken: d.claimToken as string, leaseUntil: d.availableAt, attempts: d.attempts };
}

/** The delivery leased to a new claim until now + leaseMs. */
export function leased(d: Delivery, now: Date, leaseMs: number): Delivery {
  return { ...d, claimToken: newClaimToken(), claimedAt: now, availableAt: new Date(now.getTime() + leaseMs), attempts: d.attempts + 1 };
}

/**
 * The delivery when this token holds it (not acked, and no claim or release since the one that issued the token;
 * an expired lease still counts), else null.
 */
export function heldBy(d: Delivery | null, claimToken: string): Delivery | null {
  return d !== null && d.ackedAt === null && d.claimToken !== null && d.claimToken === claimToken ? d : null;
}

/** Why an ack or release whose token does not hold the delivery does nothing. */
export function whyNot(d: Delivery | null): 'already' | 'stale' | 'unknown' {
  if (!d) return 'unknown';
  return d.ackedAt ? 'already' : 'stale';
}
