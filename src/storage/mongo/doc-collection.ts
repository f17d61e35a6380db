import { trusted, Types, type Model, type QueryFilter, type UpdateQuery } from 'mongoose';
import { pickDefined } from '../canonical';
import { pageLimit } from '../limits';
import { guardUnique } from './errors';
import { toObjectId } from './mappers';

/** A domain document as MongoDB holds it: `_id` instead of `id`. */
export type DocRecord<Doc extends { id: string }> = Omit<Doc, 'id'> & { _id: Types.ObjectId };

export interface Page {
  limit: number;
  after?: string;
  before?: string;
  newestFirst?: boolean;
}

/** Turns a lean document into the domain shape: `id` as hex, and no `_id` or `__v`. */
export function fromRecord<Doc>(raw: object): Doc {
  const { _id, __v: _v, ...rest } = raw as { _id: Types.ObjectId; __v?: number };
  return { ...rest, id: _id.toHexString() } as Doc;
}

/** A $set body from a patch: defined fields only, never id, createdAt or the frozen keys; updatedAt when given. */
export function toSet(patch: object, frozen: readonly string[], now?: Date): Record<string, unknown> {
  const set: Record<string, unknown> = pickDefined(patch as Record<string, unknown>);
  for (const key of ['id', '_id', 'createdAt', ...frozen]) delete set[key];
  return now ? { ...set, updatedAt: now } : set;
}

/** Reads and writes of one non-geo collection, always returning domain objects. */
export function docCollection<Doc extends { id: string }>(model: Model<DocRecord<Doc>>) {
  type Filter = QueryFilter<DocRecord<Doc>>;
  const findOne = async (filter: Record<string, unknown>): Promise<Doc | null> => {
    const raw = await model.findOne(pickDefined(filter) as Filter).lean();
    return raw ? fromRecord<Doc>(raw) : null;
  };
  return {
    findOne,
    get: async (id: string): Promise<Doc | null> => {
      const _id = toObjectId(id);
      return _id ? findOne({ _id }) : null;
    },
    /** Inserts a new document under its own id; a duplicate key becomes a 409. */
    async insert(doc: Doc): Promise<Doc> {
      const { id, ...rest } = doc;
      const created = new model({ ...rest, _id: new Types.ObjectId(id) });
      await guardUnique(() => created.save());
      return fromRecord<Doc>(created.toObject());
    },
    /** Applies update to the document with this id that also matches `where`; null when none does. */
    async update(id: string, update: UpdateQuery<DocRecord<Doc>>, where: Record<string, unknown> = {}): Promise<Doc | null> {
      const _id = toObjectId(id);
      if (!_id) return null;
      const options = { returnDocument: 'after', runValidators: true } as const;
      const raw = await guardUnique(() => model.findOneAndUpdate({ ...where, _id } as Filter, update, options).lean());
      return raw ? fromRecord<Doc>(raw) : null;
    },
    /** Ids ascending, or descending with newestFirst; a cursor that is not an ObjectId matches nothing. */
    async list(filter: Record<string, unknown>, page: Page): Promise<Doc[]> {
      const limit = pageLimit(page.limit); // Mongo reads limit 0 as "no limit": never pass one through
      const range: Record<string, Types.ObjectId> = {};
      for (const [op, cursor] of [['$gt', page.after], ['$lt', page.before]] as const) {
        if (cursor === undefined) continue;
        const at = toObjectId(cursor);
        if (!at) return [];
        range[op] = at;
      }
      const query = { ...pickDefined(filter), ...(Object.keys(range).length ? { _id: trusted(range) } : {}) } as Filter;
      const rows = await model.find(query).sort({ _id: page.newestFirst ? -1 : 1 }).limit(limit).lean();
      return rows.map((r) => fromRecord<Doc>(r));
    },
    count: (filter: Record<string, unknown>): Promise<number> => model.countDocuments(pickDefined(filter) as Filter),
  };
}
