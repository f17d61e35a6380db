import { Schema, trusted, Types, type Connection, type Model } from 'mongoose';
import { CITIES } from '../../../shared/domain';
import { docCollection, type DocRecord } from '../../../storage/mongo/doc-collection';
import { guardUnique } from '../../../storage/mongo/errors';
import { OPTIONS, point, registerModel } from '../../../storage/mongo/geo-schema';
import { toDomain, toObjectId, toPoint, type Stored } from '../../../storage/mongo/mappers';
import { geoNear } from '../../../storage/mongo/nearby';
import { pageLimit } from '../../../storage/limits';
import { HAZARD_CLASSES } from '../categories';
import { HAZARD_STATUSES, OPEN_STATUSES, type HazardQuery, type HazardReport, type HazardRepository, type HazardsStorage, type PointsEntry, type PointsRepository } from '../hazards.types';

type ReportRecord = Stored<HazardReport>;
type PointsRecord = DocRecord<PointsEntry> & { awardKey: string };

const str = { type: String, default: null };
const date = { type: Date, default: null };
const when = { type: Date, required: true };

const photoSchema = new Schema({ key: String, thumbKey: String, contentType: String, width: Number, height: Number, bytes: Number }, { _id: false });
const updateSchema = new Schema({ at: when, status: { type: String, enum: HAZARD_STATUSES }, by: String, byRole: String, note: str }, { _id: false });

const reportSchema = new Schema<ReportRecord>({
  city: { type: String, enum: CITIES, required: true }, district: str, category: { type: String, required: true },
  class: { type: String, enum: HAZARD_CLASSES, required: true }, description: String, address: str,
  location: { type: point, required: true }, photos: { type: [photoSchema], default: () => [] },
  reporterId: { type: String, required: true }, status: { type: String, enum: HAZARD_STATUSES, required: true },
  hidden: { type: Boolean, default: false }, route: { type: Schema.Types.Mixed, required: true }, duplicateOf: str,
  followers: { type: [String], default: () => [] }, supporters: { type: [String], default: () => [] },
  supportCount: { type: Number, default: 0 }, rejectedBy: str, rejectReason: str, fixed: { type: Boolean, default: null },
  updates: { type: [updateSchema], default: () => [] }, statusSince: when, triagedAt: date, resolvedAt: date,
  createdAt: when, updatedAt: when,
}, { ...OPTIONS, collection: 'hazard_reports' });
reportSchema.index({ location: '2dsphere', category: 1, status: 1 });
reportSchema.index({ city: 1, status: 1, _id: 1 });
reportSchema.index({ reporterId: 1, _id: 1 });
reportSchema.index({ followers: 1, _id: 1 });
reportSchema.index({ 'route.bodyId': 1, status: 1, _id: 1 });

const pointsSchema = new Schema<PointsRecord>({
  riderId: { type: String, required: true }, reportId: String, reason: { type: String, enum: ['report', 'support', 'reversal'], required: true },
  points: Number, at: when, awardKey: { type: String, required: true },
}, { ...OPTIONS, collection: 'hazard_points' });
pointsSchema.index({ awardKey: 1 }, { unique: true });
pointsSchema.index({ riderId: 1, _id: 1 });

function filterOf(q: HazardQuery): Record<string, unknown> {
  const f: Record<string, unknown> = {};
  if (q.city) f.city = q.city;
  if (q.status) f.status = Array.isArray(q.status) ? trusted({ $in: [...q.status] }) : q.status;
  if (q.category) f.category = q.category;
  if (q.district) f.district = q.district;
  if (q.class) f.class = q.class;
  if (q.bodyId) f['route.bodyId'] = q.bodyId;
  if (q.bodyIds) f['route.bodyId'] = trusted({ $in: [...q.bodyIds] });
  if (q.compoundIds) f['route.compoundId'] = trusted({ $in: [...q.compoundIds] });
  if (q.reporterId) f.reporterId = q.reporterId;
  if (q.followerId) f.followers = q.followerId;
  const created = { ...(q.createdSince ? { $gte: q.createdSince } : {}), ...(q.createdBefore ? { $lt: q.createdBefore } : {}) };
  if (Object.keys(created).length) f.createdAt = trusted(created);
  return f;
}

function createMongoHazards(model: Model<ReportRecord>): HazardRepository {
  const toRecord = ({ id, location, ...rest }: HazardReport) => ({ ...rest, _id: new Types.ObjectId(id), location: toPoint(location) });
  return {
    async create(r) {
      await guardUnique(() => model.create([toRecord(r)]));
      return r;
    },
    async get(id) {
      const _id = toObjectId(id);
      const raw = _id ? await model.findById(_id).lean() : null;
      return raw ? toDomain<HazardReport>(raw) : null;
    },
    // Optimistic concurrency: the replace matches only while updatedAt is the one the caller read.
    async replace(r, expected) {
      const { _id, ...body } = toRecord(r);
      const raw = await model.findOneAndReplace({ _id, updatedAt: expected }, body, { returnDocument: 'after' }).lean();
      return raw ? toDomain<HazardReport>(raw) : null;
    },
    async list(q) {
      const range = q.after !== undefined ? toObjectId(q.after) : undefined;
      if (range === null) return [];
      const rows = await model.find({ ...filterOf(q), ...(range ? { _id: trusted({ $gt: range }) } : {}) }).sort({ _id: 1 }).limit(pageLimit(q.limit)).lean();
      return rows.map((r) => toDomain<HazardReport>(r));
    },
    nearbyOpen: (q) => geoNear<HazardReport>(model, q, {
      category: q.category, status: trusted({ $in: [...OPEN_STATUSES] }), hidden: false, createdAt: trusted({ $gte: q.since }),
    }),
  };
}

function createMongoPoints(model: Model<PointsRecord>): PointsRepository {
  const docs = docCollection<PointsEntry>(model as unknown as Model<DocRecord<PointsEntry>>);
  return {
    // An upsert, not an insert that may fail: inside a transaction a duplicate-key error aborts the whole
    // transaction (SERVER-34059), and awards are made inside the unit that changes the report. The server retries
    // an upsert that loses a race on the unique awardKey itself (equality on the index's only field).
    async award(e) {
      const { id, ...rest } = e;
      const awardKey = `${e.riderId}:${e.reason}:${e.reportId}`;
      const res = await guardUnique(() => model.updateOne({ awardKey }, { $setOnInsert: { ...rest, _id: new Types.ObjectId(id), awardKey } }, { upsert: true }));
      return res.upsertedCount === 1;
    },
    list: async (riderId, q) => (await docs.list({ riderId }, q)).map((e) => {
      const { awardKey: _k, ...rest } = e as PointsEntry & { awardKey?: string };
      return rest;
    }),
    async total(riderId) {
      const [row] = await model.aggregate<{ total: number }>([{ $match: { riderId } }, { $group: { _id: null, total: { $sum: '$points' } } }]);
      return row?.total ?? 0;
    },
  };
}

/** Hazard reports (2dsphere) and points in MongoDB. Type-checked only here: no MongoDB server runs. */
export async function openMongoHazards(conn: Connection): Promise<HazardsStorage> {
  const [reports, points] = await Promise.all([
    registerModel<ReportRecord>(conn, 'HazardReport', reportSchema),
    registerModel<PointsRecord>(conn, 'HazardPoints', pointsSchema),
  ]);
  return { hazards: createMongoHazards(reports), points: createMongoPoints(points) };
}
