import { z } from 'zod';
import { CITIES } from '../domain';

/** Shapes the documentation of several modules shares; they describe responses, requests keep their own schemas. */
export const objectId = z.string().regex(/^[0-9a-f]{24}$/).meta({ examples: ['6650a1b2c3d4e5f601234567'] });

/** A time as the service writes it (Date#toISOString, UTC). */
export const isoTime = z.iso.datetime();

export const lngLatOut = z.object({ lng: z.number(), lat: z.number() });

/** The `{ data }` envelope of most answers. */
export const dataOf = <T extends z.ZodType>(schema: T) => z.object({ data: schema });

/** Path parameter `:id` of a stored object (any other string is a 404). */
export const idParams = z.object({ id: objectId });

export const EXAMPLE_ID = '6650a1b2c3d4e5f601234567';
export const EXAMPLE_TIME = '2026-11-25T04:00:00.000Z';

/** The fields every located summary (station, merchant) answers with, as their views write them. */
export const placeSummaryFields = {
  id: objectId,
  name: z.string(),
  city: z.enum(CITIES),
  district: z.string(),
  address: z.string(),
  location: lngLatOut,
  distanceM: z.number().int().min(0).optional().meta({ description: '到查询中心的球面距离（米），仅附近查询返回' }),
};
