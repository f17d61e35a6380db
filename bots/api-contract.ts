import { z } from 'zod';
// The service's own enums, imported rather than copied (issue 11 item 7): these files hold constants and types only.
// Hazard categories are configuration (config/hazard-categories.json), so the bot reads them over HTTP instead.
import { AMENITIES, STATION_STATUSES, type Amenity, type StationStatus } from '../src/modules/stations/stations.types';
import { MERCHANT_CATEGORIES, type MerchantCategory } from '../src/modules/merchants/merchants.types';
import { CITIES, CITY_NAMES, type City } from '../src/shared/domain';
import { STAFF_ROLES } from '../src/modules/identity/identity.types';
import { ACCESS_MODES, REQUEST_STATUSES } from '../src/modules/compounds/compounds.types';

export { ACCESS_MODES, AMENITIES, CITIES, CITY_NAMES, MERCHANT_CATEGORIES, REQUEST_STATUSES, STAFF_ROLES, STATION_STATUSES };
export type { Amenity, City, MerchantCategory, StationStatus };

/** Where a search is centred: a GCJ-02 point (WeChat location) or a place name the API's gazetteer resolves. */
export type Center = { lng: number; lat: number } | { place: string };

export interface NearbyQuery {
  center: Center;
  radiusM?: number;
  limit?: number;
  openNow?: boolean;
}

export interface StationQuery extends NearbyQuery {
  amenities?: Amenity[];
  hasSeats?: boolean;
}

export interface MerchantQuery extends NearbyQuery {
  category?: MerchantCategory;
}

// Response schemas are lenient (unknown keys pass, enums stay strings) so that additive API changes do not break the
// bot; the vocabulary test (bots/vocabulary.test.ts) checks the words against the service's enums instead.
const meta = z.object({
  radius: z.number(),
  count: z.number(),
  place: z.object({ name: z.string(), city: z.string() }).nullable().optional(),
});
const point = z.object({ lng: z.number(), lat: z.number() });
const range = z.object({ open: z.string(), close: z.string() });

/** Weekly opening hours as the station detail gives them. */
export const hoursSchema = z.union([
  z.object({ kind: z.literal('24h') }),
  z.object({ kind: z.literal('weekly'), days: z.record(z.string(), z.array(range)) }),
]);
export type Hours = z.infer<typeof hoursSchema>;

export const stationSchema = z.object({
  id: z.string(),
  name: z.string(),
  address: z.string(),
  district: z.string().optional(),
  location: point.optional(),
  distanceM: z.number(),
  openNow: z.boolean(),
  todayHours: z.string().optional(),
  status: z.string(),
  statusNote: z.string().nullable().optional(),
  capacity: z.number(),
  available: z.number().nullable(),
  amenities: z.array(z.string()),
  /** Only in the detail (GET /stations/:id) and after an operator's report. */
  hours: hoursSchema.optional(),
});
export type Station = z.infer<typeof stationSchema>;

/** A station as GET /stations/:id and the operator routes answer: no distance. */
export const stationDetailSchema = stationSchema.extend({ distanceM: z.number().optional() });
export type StationDetail = z.infer<typeof stationDetailSchema>;

export const merchantSchema = z.object({
  id: z.string(),
  name: z.string(),
  address: z.string(),
  location: point.optional(),
  distanceM: z.number(),
  category: z.string(),
  todayHours: z.string().optional(),
  discount: z.object({
    text: z.string(),
    kind: z.string().optional(),
    percentOff: z.number().nullable().optional(),
    amountOff: z.number().nullable().optional(),
    minSpend: z.number().nullable().optional(),
    conditions: z.array(z.string()).default([]),
  }),
  openNow: z.boolean(),
});
export type Merchant = z.infer<typeof merchantSchema>;

export const stationsResponseSchema = z.object({ data: z.array(stationSchema), meta });
export const merchantsResponseSchema = z.object({ data: z.array(merchantSchema), meta });
export type NearbyMeta = z.infer<typeof meta>;
export type StationsResult = z.infer<typeof stationsResponseSchema>;
export type MerchantsResult = z.infer<typeof merchantsResponseSchema>;

const holdingIds = z.array(z.string()).default([]);
const holdings = z.object({ stationIds: holdingIds, merchantIds: holdingIds, compoundIds: holdingIds, bodyIds: holdingIds });
export type Holdings = z.infer<typeof holdings>;

/** A staff account as the bot routes show it; role and city stay strings so a new role does not break the bot. */
export const staffSchema = z.object({
  id: z.string(),
  role: z.string(),
  username: z.string(),
  displayName: z.string(),
  city: z.string().nullable(),
  holdings,
  status: z.string(),
});
export type Staff = z.infer<typeof staffSchema>;

/** POST /api/v1/bot/sessions: the sender's own short-lived access token (a rider is created for a new contact). */
export const sessionSchema = z.object({
  kind: z.enum(['staff', 'rider']),
  accessToken: z.string().min(1),
  expiresIn: z.number().positive(),
  user: z.object({ id: z.string(), displayName: z.string().nullable(), role: z.string(), city: z.string().nullable() }),
});
export type BotSession = z.infer<typeof sessionSchema>;

/** GET /api/v1/me: who the sender is to the API; riders have no holdings. */
export const meSchema = z.object({
  id: z.string(),
  role: z.string(),
  displayName: z.string().nullable(),
  city: z.string().nullable(),
  holdings: holdings.nullable().default(null),
});
export type Me = z.infer<typeof meSchema>;

export const compoundSchema = z.object({
  id: z.string(),
  name: z.string(),
  city: z.string(),
  district: z.string().optional(),
  address: z.string(),
  location: point.optional(),
  accessMode: z.string(),
  ebikeAllowed: z.boolean().optional(),
  notes: z.string().nullable().optional(),
  gates: z.array(z.object({ id: z.string(), name: z.string() })).optional(),
});
export type Compound = z.infer<typeof compoundSchema>;

const maskedRider = z.object({ displayName: z.string().nullable(), platform: z.string().nullable(), maskedPhone: z.string().nullable() });

export const accessRequestSchema = z.object({
  id: z.string(),
  compoundId: z.string(),
  compoundName: z.string().nullable(),
  rider: maskedRider.nullable().optional(),
  reason: z.string().nullable().optional(),
  durationDays: z.number(),
  status: z.string(),
  decisionNote: z.string().nullable().optional(),
  overdue: z.boolean().optional(),
  createdAt: z.string(),
});
export type AccessRequest = z.infer<typeof accessRequestSchema>;

export const passSchema = z.object({
  id: z.string(),
  number: z.number(),
  compoundId: z.string(),
  compoundName: z.string().nullable(),
  validFrom: z.string(),
  validTo: z.string(),
  hours: z.array(range).nullable().optional(),
  status: z.string(),
  current: z.boolean(),
  revokeReason: z.string().nullable().optional(),
});
export type Pass = z.infer<typeof passSchema>;

/** What asking for access answers: the request, the pass when one exists, and the rules the rider does not meet. */
export const accessOutcomeSchema = z.object({ request: accessRequestSchema, pass: passSchema.nullable(), unmet: z.array(z.string()).default([]) });
export type AccessOutcome = z.infer<typeof accessOutcomeSchema>;

export const approvalSchema = z.object({ request: accessRequestSchema, pass: passSchema.nullable().optional() });
export type Approval = z.infer<typeof approvalSchema>;

export const passCodeSchema = z.object({ code: z.string(), display: z.string(), expiresInSeconds: z.number() });
export type PassCode = z.infer<typeof passCodeSchema>;

export const placeScanSchema = z.object({
  compoundId: z.string(),
  compoundName: z.string(),
  gateId: z.string(),
  notes: z.string().nullable().optional(),
  request: accessRequestSchema.nullable(),
  pass: passSchema.nullable(),
  unmet: z.array(z.string()).default([]),
});
export type PlaceScan = z.infer<typeof placeScanSchema>;

export const gateCheckSchema = z.object({
  allowed: z.boolean(),
  reason: z.string(),
  message: z.string(),
  rider: z.object({ displayName: z.string().nullable(), platform: z.string().nullable(), maskedPhone: z.string().nullable() }).nullable(),
  pass: z.object({ id: z.string(), number: z.number(), validTo: z.string() }).nullable(),
});
export type GateCheck = z.infer<typeof gateCheckSchema>;

export const hazardCategorySchema = z.object({
  code: z.string(),
  name: z.string(),
  description: z.string().optional(),
  keywords: z.array(z.string()).default([]),
});
export type HazardCategory = z.infer<typeof hazardCategorySchema>;

export const hazardSchema = z.object({
  id: z.string(),
  category: z.string(),
  categoryName: z.string(),
  description: z.string(),
  address: z.string().nullable().optional(),
  status: z.string(),
  statusName: z.string(),
  supportCount: z.number().default(0),
  distanceM: z.number().optional(),
  route: z.object({ bodyName: z.string().nullable(), why: z.string().optional() }).optional(),
  rejectReason: z.string().nullable().optional(),
  createdAt: z.string(),
  updatedAt: z.string().optional(),
});
export type Hazard = z.infer<typeof hazardSchema>;

/** A new report as the bot sends it: GCJ-02 point from the rider's location message, and at most one photo. */
export interface HazardInput {
  category: string;
  description: string;
  lng: number;
  lat: number;
  address: string | null;
  photo?: { bytes: Uint8Array; mimeType: string };
}

export const dataOf = <S extends z.ZodType>(schema: S) => z.object({ data: schema });
export const listOf = <S extends z.ZodType>(schema: S) => z.object({ data: z.array(schema) });

export const errorBodySchema = z.object({
  error: z.object({
    status: z.number().optional(),
    code: z.string().optional(),
    message: z.string(),
    details: z.unknown().optional(),
  }),
});
