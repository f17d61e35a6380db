import { Schema, trusted, Types, type Connection, type Model } from 'mongoose';
import { CITIES } from '../../../shared/domain';
import { fromRecord, type DocRecord } from '../../../storage/mongo/doc-collection';
import { insideTransaction } from '../../../storage/mongo/transactions';
import { OUTBOX_RETENTION_S, type Delivery, type OutboxEvent, type OutboxEventInput, type OutboxRepository, type PendingCount } from '../outbox.types';
import { claimedOf, eventOf, newClaimToken, newDeliveries, whyNot } from './deliveries';

export type DeliveryRecord = DocRecord<Delivery>;

const recipientSchema = new Schema({
  kind: { type: String, enum: ['rider', 'staff'], required: true },
  id: { type: String, required: true },
}, { _id: false, id: false, versionKey: false });

// minimize off: an empty payload must come back as {}, as it does from the embedded driver.
const deliverySchema = new Schema<DeliveryRecord>({
  eventId: { type: String, required: true },
  consumer: { type: String, required: true },
  type: { type: String, required: true },
  dedupeId: { type: String, required: true },
  recipient: { type: recipientSchema, required: true },
  city: { type: String, enum: CITIES, default: null },
  payload: { type: Schema.Types.Mixed, default: () => ({}) },
  createdAt: { type: Date, required: true },
  availableAt: { type: Date, required: true },
  claimToken: { type: String, default: null },
  claimedAt: { type: Date, default: null },
  attempts: { type: Number, default: 0 },
  ackedAt: { type: Date, default: null },
}, { versionKey: false, minimize: false, strict: true, id: false, collection: 'outbox_deliveries' });
deliverySchema.index({ eventId: 1, consumer: 1 }, { unique: true });
deliverySchema.index({ dedupeId: 1, consumer: 1 }, { unique: true });
// A claim: the consumer's unacknowledged deliveries (ackedAt null) in _id (creation) order.
deliverySchema.index({ consumer: 1, ackedAt: 1, _id: 1 });
// TTL: acknowledged deliveries go 30 days after their ack (null ackedAt never expires). Type-checked only here.
deliverySchema.index({ ackedAt: 1 }, { expireAfterSeconds: OUTBOX_RETENTION_S });

/** Registers the outbox model on this connection and builds its indexes (autoIndex is off). */
export async function outboxModel(conn: Connection): Promise<Model<DeliveryRecord>> {
  const model = conn.model<DeliveryRecord>('OutboxDelivery', deliverySchema);
  await model.createIndexes();
  return model;
}

const toRecord = ({ id, ...rest }: Delivery) => ({ ...rest, _id: new Types.ObjectId(id) });

/**
 * The outbox in MongoDB. Inside storage.atomically every call runs in its transaction (mongoose's
 * transactionAsyncLocalStorage), so an enqueue commits with the caller's change. A claim leases one delivery per
 * findOneAndUpdate whose filter holds the lease condition: the server re-checks it on the document it writes, so
 * two claims never lease the same delivery. Never executed here (no MongoDB server on our machines).
 */
export function createMongoOutbox(model: Model<DeliveryRecord>): OutboxRepository {
  const find = async (consumer: string, eventId: string): Promise<Delivery | null> => {
    const raw = await model.findOne({ eventId, consumer }).lean();
    return raw ? fromRecord<Delivery>(raw) : null;
  };
  /** Applies update if the token still holds the delivery; otherwise says why not. */
  async function settle<R extends string>(consumer: string, eventId: string, claimToken: string, done: R, update: object) {
    const raw = await model.findOneAndUpdate({ eventId, consumer, claimToken, ackedAt: null }, update).lean();
    if (raw) return done;
    return whyNot(await find(consumer, eventId));
  }

  async function enqueueOne(input: OutboxEventInput, consumers: readonly string[], now: Date): Promise<OutboxEvent> {
    const first = await model.findOne({ dedupeId: input.dedupeId }).lean();
    if (first) return eventOf(fromRecord<Delivery>(first));
    const { event, deliveries } = newDeliveries(input, consumers, now);
    try {
      await model.insertMany(deliveries.map(toRecord), { ordered: true });
      return event;
    } catch (err) {
      // Outside a transaction a concurrent enqueue of the same dedupeId may win the unique index: return its event.
      // Inside one the error has aborted the transaction (a write conflict is retried whole by withTransaction).
      if ((err as { code?: number }).code !== 11000 || insideTransaction()) throw err;
      const winner = await model.findOne({ dedupeId: input.dedupeId }).lean();
      if (!winner) throw err;
      return eventOf(fromRecord<Delivery>(winner));
    }
  }

  return {
    async enqueue(events, consumers, now) {
      const out: OutboxEvent[] = [];
      for (const input of events) out.push(await enqueueOne(input, consumers, now));
      return out;
    },
    async claim(consumer, limit, leaseMs, now) {
      const out = [];
      const leaseUntil = new Date(now.getTime() + leaseMs);
      while (out.length < limit) {
        const raw = await model.findOneAndUpdate(
          { consumer, ackedAt: null, availableAt: trusted({ $lte: now }) },
          { $set: { claimToken: newClaimToken(), claimedAt: now, availableAt: leaseUntil }, $inc: { attempts: 1 } },
          { sort: { _id: 1 }, returnDocument: 'after' },
        ).lean();
        if (!raw) break;
        out.push(claimedOf(fromRecord<Delivery>(raw)));
      }
      return out;
    },
    ack: (consumer, eventId, claimToken, now) => settle(consumer, eventId, claimToken, 'acked' as const, { $set: { ackedAt: now } }),
    release: (consumer, eventId, claimToken, now, delayMs = 0) => settle(consumer, eventId, claimToken, 'released' as const,
      { $set: { claimToken: null, availableAt: new Date(now.getTime() + Math.max(0, delayMs)) } }),
    async pending(now) {
      const rows = await model.aggregate<{ _id: string; ready: number; leased: number }>([
        { $match: { ackedAt: null } },
        { $group: {
          _id: '$consumer',
          ready: { $sum: { $cond: [{ $lte: ['$availableAt', now] }, 1, 0] } },
          leased: { $sum: { $cond: [{ $gt: ['$availableAt', now] }, 1, 0] } },
        } },
        { $sort: { _id: 1 } },
      ]);
      return rows.map((r): PendingCount => ({ consumer: r._id, ready: r.ready, leased: r.leased }));
    },
  };
}
