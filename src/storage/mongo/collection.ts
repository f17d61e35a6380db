import { trusted, Types, type Model, type QueryFilter } from 'mongoose';
import type { LngLat } from '../../shared/geo';
import type { City, GeoRepository } from '../../shared/domain';
import { pageLimit } from '../limits';
import { guardUnique } from './errors';
import { toDomain, toObjectId, toWritable, type Stored } from './mappers';
import { geoNear, type NearbyBase } from './nearby';
import { upsertAll } from './upsert';

type GeoDoc<Input> = Input & { id: string; createdAt: Date; updatedAt: Date };
interface GeoInput {
  externalId: string | null;
  city: City;
  location: LngLat;
}

export interface GeoSpec<Input, Doc, Nearby> {
  fingerprint(d: Input): string;
  /** Fields a new document starts with besides its input. */
  initial(): Partial<Doc>;
  /** Filters pushed into $geoNear's query; operator objects marked with mongoose.trusted(). */
  nearbyFilter(q: Nearby): Record<string, unknown>;
}

export interface GeoCollection<Input, Doc, Nearby> extends GeoRepository<Input, Doc, Nearby> {
  /** Sets the given fields and bumps updatedAt; null when the id is unknown. */
  patch(id: string, fields: Partial<Doc>, now: Date): Promise<Doc | null>;
  /** Documents matching a filter (operators marked with mongoose.trusted()), ids ascending, at most limit. */
  find(filter: Record<string, unknown>, limit: number): Promise<Doc[]>;
}

/** Reads and writes of one collection, always returning domain objects. */
function documents<Input extends GeoInput, Doc extends GeoDoc<Input>>(model: Model<Stored<Doc>>, initial: () => Partial<Doc>) {
  type Filter = QueryFilter<Stored<Doc>>;
  return {
    async find(filter: Record<string, unknown>, limit = 0): Promise<Doc[]> {
      const query = model.find(filter as Filter).sort({ _id: 1 });
      const rows = await (limit > 0 ? query.limit(limit) : query).lean<Array<Stored<Doc>>>();
      return rows.map((r) => toDomain<Doc>(r));
    },
    async insert(input: Input, now: Date): Promise<Doc> {
      const doc = new model({ ...toWritable(input, now), ...initial(), _id: new Types.ObjectId(), createdAt: now });
      await guardUnique(() => doc.save());
      return toDomain<Doc>(doc.toObject());
    },
    async patch(id: string, fields: object, now: Date): Promise<Doc | null> {
      const _id = toObjectId(id);
      if (!_id) return null;
      const options = { returnDocument: 'after', runValidators: true } as const;
      const raw = await guardUnique(() => model.findOneAndUpdate({ _id } as Filter, { $set: toWritable(fields, now) }, options).lean<Stored<Doc>>());
      return raw ? toDomain<Doc>(raw) : null;
    },
    remove: (id: string) => model.deleteOne({ _id: toObjectId(id) } as Filter),
  };
}

/** Repository for one geo-searchable aggregate, shared by stations and merchants. */
export function createGeoCollection<Input extends GeoInput, Doc extends GeoDoc<Input>, Nearby extends NearbyBase>(
  model: Model<Stored<Doc>>, spec: GeoSpec<Input, Doc, Nearby>,
): GeoCollection<Input, Doc, Nearby> {
  const docs = documents<Input, Doc>(model, spec.initial);
  const cityFilter = (city?: City): Record<string, unknown> => (city ? { city } : {});
  return {
    create: (input, now) => docs.insert(input, now),
    find: (filter, limit) => docs.find(filter, pageLimit(limit)),
    async get(id) {
      const _id = toObjectId(id);
      return _id ? (await docs.find({ _id }, 1))[0] ?? null : null;
    },
    getByExternalId: async (externalId) => (await docs.find({ externalId }, 1))[0] ?? null,
    update: (id, changes, now) => docs.patch(id, changes, now),
    patch: (id, fields, now) => docs.patch(id, fields, now),
    delete: async (id) => (toObjectId(id) ? (await docs.remove(id)).deletedCount === 1 : false),
    async list(q) {
      const limit = pageLimit(q.limit); // Mongo reads limit 0 as "no limit": never pass one through
      if (q.after === undefined) return docs.find(cityFilter(q.city), limit);
      const after = toObjectId(q.after);
      // Every id is an ObjectId, so no document sorts after a cursor that is not one.
      return after ? docs.find({ ...cityFilter(q.city), _id: trusted({ $gt: after }) }, limit) : [];
    },
    count: (filter = {}) => model.countDocuments(cityFilter(filter.city) as QueryFilter<Stored<Doc>>),
    nearby: (q) => geoNear<Doc>(model, q, spec.nearbyFilter(q)),
    upsertMany: (items, now) => upsertAll<Input, Doc>(model, items, now, { fingerprint: spec.fingerprint, initial: spec.initial }),
  };
}
