import { Schema, trusted, type Connection, type Model } from 'mongoose';
import { docCollection, type DocRecord } from '../../../storage/mongo/doc-collection';
import type { GateKey, GateKeyRepository } from '../gate-keys.types';

export type GateKeyRecord = DocRecord<GateKey>;

const MAX_KEYS = 100;
const when = { type: Date, required: true };

const gateKeySchema = new Schema<GateKeyRecord>({
  publicJwk: {
    type: new Schema({ kty: { type: String, enum: ['OKP'], required: true }, crv: { type: String, enum: ['Ed25519'], required: true }, x: { type: String, required: true } }, { _id: false, versionKey: false }),
    required: true,
  },
  privateKeySealed: { type: String, required: true },
  createdAt: when, signFrom: when, signUntil: when, verifyUntil: when,
}, { versionKey: false, minimize: false, strict: true, id: false, collection: 'gate_keys' });
// No TTL index: keys are purged by the service with its (injectable) clock, as on the embedded driver.
gateKeySchema.index({ verifyUntil: 1 });

/** Registers the gate key model on this connection and builds its index (autoIndex is off). */
export async function gateKeyModel(conn: Connection): Promise<Model<GateKeyRecord>> {
  const model = conn.model<GateKeyRecord>('GateKey', gateKeySchema);
  await model.createIndexes();
  return model;
}

/** Gate signing keys in MongoDB. Type-checked only: no MongoDB server runs on our machines. */
export function createMongoGateKeys(model: Model<GateKeyRecord>): GateKeyRepository {
  const docs = docCollection<GateKey>(model);
  return {
    insert: (key) => docs.insert(key),
    listVerifying: (at) => docs.list({ verifyUntil: trusted({ $gt: at }) }, { limit: MAX_KEYS }),
    async purgeExpired(before) {
      const res = await model.deleteMany({ verifyUntil: trusted({ $lt: before }) });
      return res.deletedCount;
    },
  };
}
