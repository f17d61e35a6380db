import { z } from 'zod';
import { AMENITIES, STATION_STATUSES } from './stations.types';
import { hoursSchema, optionalText, phoneSchema, placeFields } from '../../shared/schema';
import { queryBool, queryList } from '../../shared/validate';
import { nearbyShape } from '../nearby/nearby';

const stationFields = {
  ...placeFields,
  hours: hoursSchema,
  amenities: z.array(z.enum(AMENITIES, { message: `未知设施；可选：${AMENITIES.join(', ')}` })).max(AMENITIES.length)
    .transform((a) => [...new Set(a)]),
  capacity: z.number().int().min(0).max(10_000),
  operator: z.strictObject({ name: optionalText(100).default(null), phone: phoneSchema.nullable().default(null) }),
  status: z.enum(STATION_STATUSES),
  statusNote: optionalText(200),
};

/** A station as an administrator or importer writes it; location in the request's coordSys. */
export const stationInputSchema = z.strictObject({
  ...stationFields,
  externalId: stationFields.externalId.default(null),
  operator: stationFields.operator.default({ name: null, phone: null }),
  status: stationFields.status.default('open'),
  statusNote: stationFields.statusNote.default(null),
});

/** A partial update: absent fields stay as they are (no defaults here, unlike create). */
export const stationPatchSchema = z.strictObject(stationFields).partial()
  .refine((p) => Object.keys(p).length > 0, '至少提供一个要修改的字段');

export const stationNearbySchema = z.strictObject({
  ...nearbyShape,
  amenities: queryList(AMENITIES).optional(),
  hasSeats: queryBool().default(false),
});
