import { Schema, trusted, Types, type Connection, type Model } from 'mongoose';
import { CITIES } from '../../../shared/domain';
import { createGeoCollection } from '../../../storage/mongo/collection';
import { docCollection, type DocRecord } from '../../../storage/mongo/doc-collection';
import { guardUnique } from '../../../storage/mongo/errors';
import { indexPlaceSchema, OPTIONS, placeFields, registerModel } from '../../../storage/mongo/geo-schema';
import type { Stored } from '../../../storage/mongo/mappers';
import { ConflictError } from '../../../shared/errors';
import {
  ACCESS_MODES, ENTRY_METHODS, ENTRY_REASONS, PASS_STATUSES, REQUEST_STATUSES,
  type AccessRequest, type AccessRequestRepository, type Block, type BlockRepository, type Compound, type CompoundInput,
  type CompoundNearbyQuery, type CompoundRepository, type CompoundsStorage, type EntryEvent, type EntryRepository, type GateDevice,
  type GateDeviceRepository, type Pass, type PassRepository, type TokenUse, type TokenUseRepository,
} from '../compounds.types';
import { compoundFingerprint } from './fingerprint';
import { newCompoundCode } from './codes';

type CompoundRecord = Stored<Compound>;
type RequestRecord = DocRecord<AccessRequest>;
type PassRecord = DocRecord<Pass>;
type EntryRecord = DocRecord<EntryEvent>;
type BlockRecord = DocRecord<Block>;
type TokenUseRecord = TokenUse & { _id: string };
type DeviceRecord = DocRecord<GateDevice>;

const str = { type: String, default: null };
const date = { type: Date, default: null };
const when = { type: Date, required: true };
const city = { type: String, enum: CITIES, required: true };
const { hours: _hours, ...placeWithoutHours } = placeFields;

// A gate's location is a plain WGS-84 { lng, lat } (no geo index: compounds are found by their own location).
const gateSchema = new Schema({ id: { type: String, required: true }, name: String, location: { type: Schema.Types.Mixed, default: null } }, { _id: false });

const compoundSchema = new Schema<CompoundRecord>({
  ...placeWithoutHours,
  code: { type: String, required: true },
  propertyCompany: str,
  // Gates and the policy are read and written whole; their finer shape is checked by the API's schemas.
  gates: { type: [gateSchema], default: () => [] },
  policy: {
    type: new Schema({ mode: { type: String, enum: ACCESS_MODES, required: true }, rules: { type: Schema.Types.Mixed, required: true } }, { _id: false, minimize: false }),
    required: true,
  },
  notes: str,
}, { ...OPTIONS, collection: 'compounds' });
indexPlaceSchema(compoundSchema);
compoundSchema.index({ code: 1 }, { unique: true });
compoundSchema.index({ location: '2dsphere', city: 1 });

const requestSchema = new Schema<RequestRecord>({
  compoundId: { type: String, required: true }, city, riderId: { type: String, required: true }, reason: str,
  durationDays: { type: Number, required: true }, status: { type: String, enum: REQUEST_STATUSES, required: true },
  decidedBy: str, decidedAt: date, decisionNote: str, passId: str, createdAt: when, updatedAt: when,
}, { ...OPTIONS, collection: 'access_requests' });
requestSchema.index({ compoundId: 1, status: 1, _id: 1 });
requestSchema.index({ riderId: 1, compoundId: 1, status: 1 });
requestSchema.index({ city: 1, status: 1, _id: 1 });

const passSchema = new Schema<PassRecord>({
  number: { type: Number, required: true }, compoundId: { type: String, required: true }, city,
  riderId: { type: String, required: true }, requestId: { type: String, required: true },
  validFrom: when, validTo: when, hours: { type: Schema.Types.Mixed, default: null }, secretSealed: { type: String, required: true },
  status: { type: String, enum: PASS_STATUSES, required: true }, revokedAt: date, revokedBy: str, revokeReason: str,
  expiryNoticeAt: date, createdAt: when, updatedAt: when,
}, { ...OPTIONS, collection: 'passes' });
passSchema.index({ compoundId: 1, number: 1 }, { unique: true });
passSchema.index({ riderId: 1, compoundId: 1, status: 1 });
passSchema.index({ status: 1, validTo: 1 });

const entrySchema = new Schema<EntryRecord>({
  compoundId: { type: String, required: true }, city, gateId: String, at: when,
  method: { type: String, enum: ENTRY_METHODS, required: true }, allowed: Boolean,
  reason: { type: String, enum: ENTRY_REASONS, required: true }, passId: str, riderId: str, checkedBy: String,
  checkerKind: { type: String, enum: ['staff', 'device'], required: true },
}, { ...OPTIONS, collection: 'entry_events' });
entrySchema.index({ compoundId: 1, _id: -1 });
entrySchema.index({ compoundId: 1, riderId: 1, _id: -1 });

const blockSchema = new Schema<BlockRecord>({
  compoundId: { type: String, required: true }, city, riderId: { type: String, required: true }, reason: String,
  createdBy: String, createdAt: when, liftedAt: date, liftedBy: str,
}, { ...OPTIONS, collection: 'compound_blocks' });
blockSchema.index({ riderId: 1, compoundId: 1, liftedAt: 1 });
blockSchema.index({ compoundId: 1, _id: 1 });

// _id is compoundId:jti, so a second use of a token at the same compound is a duplicate key.
const tokenUseSchema = new Schema<TokenUseRecord>({
  _id: String, jti: String, compoundId: String, expiresAt: when,
}, { ...OPTIONS, collection: 'token_uses' });
// TTL: the server deletes a use once the token it records has expired (its monitor runs about every 60 s).
tokenUseSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

const deviceSchema = new Schema<DeviceRecord>({
  compoundId: { type: String, required: true }, city, name: String, tokenHash: { type: String, required: true },
  createdBy: String, createdAt: when, revokedAt: date,
}, { ...OPTIONS, collection: 'gate_devices' });
deviceSchema.index({ tokenHash: 1 }, { unique: true });
deviceSchema.index({ compoundId: 1, _id: 1 });

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function createMongoCompounds(model: Model<CompoundRecord>): CompoundRepository {
  const { patch: _patch, find, ...collection } = createGeoCollection<CompoundInput, Compound, CompoundNearbyQuery>(model, {
    fingerprint: compoundFingerprint,
    initial: () => ({ code: newCompoundCode() }),
    nearbyFilter: (q) => (q.city ? { city: q.city } : {}),
  });
  return {
    ...collection,
    search: (q) => {
      const pattern = trusted({ $regex: escapeRegex(q.text), $options: 'i' });
      return find({ ...(q.city ? { city: q.city } : {}), $or: [{ name: pattern }, { address: pattern }] }, q.limit);
    },
    findByCode: async (code) => (await find({ code }, 1))[0] ?? null,
  };
}

function createMongoRequests(model: Model<RequestRecord>): AccessRequestRepository {
  const docs = docCollection<AccessRequest>(model);
  return {
    create: (r) => docs.insert(r),
    get: (id) => docs.get(id),
    findPending: (riderId, compoundId) => docs.findOne({ riderId, compoundId, status: 'pending' }),
    decide: (id, d) => docs.update(id, { $set: { ...d, updatedAt: d.decidedAt } }, { status: 'pending' }),
    list: (q) => {
      const created = { ...(q.createdSince ? { $gte: q.createdSince } : {}), ...(q.createdBefore ? { $lt: q.createdBefore } : {}) };
      return docs.list({
        compoundId: q.compoundIds ? trusted({ $in: [...q.compoundIds] }) : undefined,
        city: q.city, riderId: q.riderId, status: q.status,
        createdAt: Object.keys(created).length ? trusted(created) : undefined,
      }, q);
    },
  };
}

const revokeSet = (by: string, reason: string, at: Date) => ({ $set: { status: 'revoked', revokedAt: at, revokedBy: by, revokeReason: reason, updatedAt: at } });

function createMongoPasses(model: Model<PassRecord>): PassRepository {
  const docs = docCollection<Pass>(model);
  return {
    async create(p) {
      // The next number at the compound; the unique index turns a race into a duplicate key, and the loser retries.
      for (let attempt = 0; ; attempt++) {
        const last = await model.findOne({ compoundId: p.compoundId }).sort({ number: -1 }).select({ number: 1 }).lean();
        try {
          return await docs.insert({ ...p, number: (last?.number ?? 0) + 1 });
        } catch (err) {
          if (!(err instanceof ConflictError) || attempt >= 5) throw err;
        }
      }
    },
    get: (id) => docs.get(id),
    findByNumber: (compoundId, number) => docs.findOne({ compoundId, number }),
    async findCurrent(riderId, compoundId, at) {
      const found = await model.find({ riderId, compoundId, status: 'active', validFrom: trusted({ $lte: at }), validTo: trusted({ $gt: at }) })
        .sort({ validTo: -1 }).limit(1).lean();
      return found[0] ? (await docs.get(found[0]._id.toHexString())) : null;
    },
    listByRider: (riderId, q) => docs.list({ riderId }, q),
    revoke: (id, by, reason, at) => docs.update(id, revokeSet(by, reason, at), { status: 'active' }),
    async revokeAllOf(riderId, compoundId, by, reason, at) {
      const active = await model.find({ riderId, compoundId, status: 'active' }).select({ _id: 1 }).lean();
      const revoked = await Promise.all(active.map((a) => docs.update(a._id.toHexString(), revokeSet(by, reason, at), { status: 'active' })));
      return revoked.filter((p): p is Pass => p !== null);
    },
    countActive: (compoundId, at) => model.countDocuments({ compoundId, status: 'active', validTo: trusted({ $gt: at }) }),
    async expiringWithoutNotice(now, until, limit) {
      const rows = await model.find({ status: 'active', expiryNoticeAt: null, validTo: trusted({ $gt: now, $lte: until }) })
        .sort({ validTo: 1 }).limit(limit).select({ _id: 1 }).lean();
      const found = await Promise.all(rows.map((r) => docs.get(r._id.toHexString())));
      return found.filter((p): p is Pass => p !== null);
    },
    markExpiryNotice: async (id, at) => (await docs.update(id, { $set: { expiryNoticeAt: at } }, { expiryNoticeAt: null })) !== null,
  };
}

function createMongoEntries(model: Model<EntryRecord>): EntryRepository {
  const docs = docCollection<EntryEvent>(model);
  return {
    record: (e) => docs.insert(e),
    async recordMany(es) {
      // ordered: stop at the first failure; ids are ours, so a retry after a partial write is a duplicate key, not a double.
      await model.insertMany(es.map(({ id, ...rest }) => ({ ...rest, _id: new Types.ObjectId(id) })), { ordered: true });
    },
    list: (q) => {
      const at = { ...(q.since ? { $gte: q.since } : {}), ...(q.until ? { $lt: q.until } : {}) };
      return docs.list({ compoundId: q.compoundId, riderId: q.riderId, at: Object.keys(at).length ? trusted(at) : undefined }, { limit: q.limit, before: q.before, newestFirst: true });
    },
  };
}

function createMongoBlocks(model: Model<BlockRecord>): BlockRepository {
  const docs = docCollection<Block>(model);
  const findActive = (riderId: string, compoundId: string) => docs.findOne({ riderId, compoundId, liftedAt: null });
  return {
    // Check then insert: two managers blocking the same rider at once may leave two blocks, which keep the rider out alike.
    async create(b) {
      if (await findActive(b.riderId, b.compoundId)) throw new ConflictError('该骑手已被本小区禁止进入', { field: 'riderId' });
      return docs.insert(b);
    },
    findActive,
    lift: (id, by, at) => docs.update(id, { $set: { liftedAt: at, liftedBy: by } }, { liftedAt: null }),
    list: (q) => docs.list({ compoundId: q.compoundId }, q),
  };
}

function createMongoTokenUses(model: Model<TokenUseRecord>): TokenUseRepository {
  return {
    async claim(u) {
      try {
        await guardUnique(() => model.create([{ _id: `${u.compoundId}:${u.jti}`, ...u }]));
        return true;
      } catch (err) {
        if (err instanceof ConflictError) return false;
        throw err;
      }
    },
  };
}

function createMongoDevices(model: Model<DeviceRecord>): GateDeviceRepository {
  const docs = docCollection<GateDevice>(model);
  return {
    create: (d) => docs.insert(d),
    get: (id) => docs.get(id),
    findByTokenHash: (tokenHash) => docs.findOne({ tokenHash }),
    revoke: (id, at) => docs.update(id, { $set: { revokedAt: at } }, { revokedAt: null }),
    list: (q) => docs.list({ compoundId: q.compoundId }, q),
  };
}

/** The compounds feature's collections on this connection, indexes built. Type-checked only here: no MongoDB runs. */
export async function openMongoCompounds(conn: Connection): Promise<CompoundsStorage> {
  const [compounds, requests, passes, entries, blocks, tokenUses, devices] = await Promise.all([
    registerModel<CompoundRecord>(conn, 'Compound', compoundSchema),
    registerModel<RequestRecord>(conn, 'AccessRequest', requestSchema),
    registerModel<PassRecord>(conn, 'Pass', passSchema),
    registerModel<EntryRecord>(conn, 'EntryEvent', entrySchema),
    registerModel<BlockRecord>(conn, 'CompoundBlock', blockSchema),
    registerModel<TokenUseRecord>(conn, 'TokenUse', tokenUseSchema),
    registerModel<DeviceRecord>(conn, 'GateDevice', deviceSchema),
  ]);
  return {
    compounds: createMongoCompounds(compounds),
    accessRequests: createMongoRequests(requests),
    passes: createMongoPasses(passes),
    entries: createMongoEntries(entries),
    blocks: createMongoBlocks(blocks),
    tokenUses: createMongoTokenUses(tokenUses as Model<TokenUseRecord>),
    gateDevices: createMongoDevices(devices),
  };
}
