import { Schema, type Connection, type Model } from 'mongoose';
import { CITIES } from '../../../shared/domain';
import { ConflictError } from '../../../shared/errors';
import { newId } from '../../../storage/ids';
import { docCollection, fromRecord, type DocRecord } from '../../../storage/mongo/doc-collection';
import { toObjectId } from '../../../storage/mongo/mappers';
import { PLATFORMS } from '../../identity/identity.types';
import type { Attestation, AttestationRepository, NonceRepository, PlatformKey, PlatformKeyRepository, UsedNonce } from '../platforms.types';

type KeyRecord = DocRecord<PlatformKey>;
type AttestationRecord = DocRecord<Attestation>;
type NonceRecord = DocRecord<UsedNonce>;

export interface PlatformModels {
  keys: Model<KeyRecord>;
  attestations: Model<AttestationRecord>;
  nonces: Model<NonceRecord>;
}

const OPTIONS = { versionKey: false, minimize: false, strict: true, id: false } as const;
const req = <T>(type: T) => ({ type, required: true });
const platform = { type: String, enum: PLATFORMS, required: true };

const keySchema = new Schema<KeyRecord>({
  platform, city: { type: String, enum: CITIES, required: true }, sealedSecret: req(String), createdBy: req(String),
  createdAt: req(Date), revokedAt: { type: Date, default: null }, revokedBy: { type: String, default: null },
}, { ...OPTIONS, collection: 'platform_keys' });
keySchema.index({ city: 1, _id: 1 });

const attestationSchema = new Schema<AttestationRecord>({
  riderId: req(String), platform, keyId: req(String), activeSince: req(Date),
  onTimeRate: { type: Number, min: 0, max: 1, required: true },
  atFaultAccidents: { type: Number, min: 0, required: true }, complaints: { type: Number, min: 0, required: true },
  observedAt: req(Date), receivedAt: req(Date),
}, { ...OPTIONS, collection: 'platform_attestations' });
attestationSchema.index({ riderId: 1, observedAt: -1, receivedAt: -1, _id: -1 });

const nonceSchema = new Schema<NonceRecord>({
  keyId: req(String), nonce: req(String), expiresAt: req(Date),
}, { ...OPTIONS, collection: 'platform_nonces' });
nonceSchema.index({ keyId: 1, nonce: 1 }, { unique: true });
// TTL: the server deletes a nonce once expiresAt has passed (its monitor runs about every 60 s), as the embedded
// driver's hourly purge does. Type-checked only: never run against a server here.
nonceSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

/** Registers the platform models on this connection and builds their indexes (autoIndex is off). */
export async function createPlatformModels(conn: Connection): Promise<PlatformModels> {
  const models: PlatformModels = {
    keys: conn.model<KeyRecord>('PlatformKey', keySchema),
    attestations: conn.model<AttestationRecord>('PlatformAttestation', attestationSchema),
    nonces: conn.model<NonceRecord>('PlatformNonce', nonceSchema),
  };
  await Promise.all(Object.values(models).map((m: Model<unknown>) => m.createIndexes()));
  return models;
}

/** Platform keys in MongoDB; revoke matches revokedAt: null in the same update, so the first revocation stays. */
export function createMongoPlatformKeys(model: Model<KeyRecord>): PlatformKeyRepository {
  const docs = docCollection<PlatformKey>(model);
  return {
    create: (key) => docs.insert({ ...key, revokedAt: null, revokedBy: null }),
    get: (id) => docs.get(id),
    list: (q) => docs.list({ city: q.city }, q),
    async revoke(id, by, now) {
      if (!toObjectId(id)) return null;
      return (await docs.update(id, { $set: { revokedAt: now, revokedBy: by } }, { revokedAt: null })) ?? docs.get(id);
    },
  };
}

/** Attestations in MongoDB; the latest per rider is one index seek. */
export function createMongoAttestations(model: Model<AttestationRecord>): AttestationRepository {
  const docs = docCollection<Attestation>(model);
  return {
    create: (input) => docs.insert({ ...input, id: newId() }),
    async latestFor(riderId) {
      const raw = await model.findOne({ riderId }).sort({ observedAt: -1, receivedAt: -1, _id: -1 }).lean();
      return raw ? fromRecord<Attestation>(raw) : null;
    },
  };
}

/** Used nonces in MongoDB: a unique (keyId, nonce) index; a duplicate insert means the nonce was used. */
export function createMongoNonces(model: Model<NonceRecord>): NonceRepository {
  const docs = docCollection<UsedNonce>(model);
  return {
    async claim(keyId, nonce, expiresAt) {
      try {
        await docs.insert({ id: newId(), keyId, nonce, expiresAt });
        return true;
      } catch (err) {
        if (err instanceof ConflictError) return false;
        throw err;
      }
    },
  };
}
