import { Types } from 'mongoose';
import type { LngLat } from '../../shared/geo';
import { pickDefined } from '../canonical';
import { isId } from '../ids';

/** GeoJSON point, WGS-84, longitude first. */
export interface GeoPoint {
  type: 'Point';
  coordinates: [number, number];
}

/** A domain document as MongoDB holds it: `_id` instead of `id`, GeoJSON instead of { lng, lat }. */
export type Stored<Doc extends { id: string; location: LngLat }> = Omit<Doc, 'id' | 'location'> & {
  _id: Types.ObjectId;
  location: GeoPoint;
};

/** Converts { lng, lat } to the GeoJSON point the 2dsphere index reads. */
export const toPoint = (p: LngLat): GeoPoint => ({ type: 'Point', coordinates: [p.lng, p.lat] });

/** Parses an id from outside; null for anything that is not a 24-hex ObjectId, so lookups miss instead of throwing. */
export function toObjectId(id: unknown): Types.ObjectId | null {
  return typeof id === 'string' && isId(id) ? new Types.ObjectId(id) : null;
}

/** Turns a lean document into the domain shape: `id` as hex, { lng, lat }, and no `_id` or `__v`. */
export function toDomain<Doc>(raw: object): Doc {
  const { _id, __v: _v, location, ...rest } = raw as { _id: Types.ObjectId; __v?: number; location: GeoPoint };
  const [lng, lat] = location.coordinates;
  return { ...rest, id: _id.toHexString(), location: { lng, lat } } as Doc;
}

/** The whole stored form of a domain document, used to put a previous version back. */
export function toStored<Doc extends { id: string; location: LngLat }>(doc: Doc): Stored<Doc> {
  const { id, location, ...rest } = doc;
  return { ...rest, _id: new Types.ObjectId(id), location: toPoint(location) };
}

/** Fields to write (a $set, or a new document's body): defined ones only, location as GeoJSON, never id or createdAt. */
export function toWritable(fields: object, now: Date): Record<string, unknown> {
  const set: Record<string, unknown> = pickDefined(fields as Record<string, unknown>);
  delete set.id;
  delete set._id;
  delete set.createdAt;
  if (set.location) set.location = toPoint(set.location as LngLat);
  return { ...set, updatedAt: now };
}
