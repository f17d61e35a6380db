import { z } from 'zod';

/** Amenity codes the stations API understands. */
export const AMENITIES = [
  'drinking_water', 'hot_water', 'microwave', 'fridge', 'phone_charging', 'ebike_charging', 'battery_swap',
  'toilet', 'seating', 'air_conditioning', 'wifi', 'first_aid', 'rain_gear', 'repair_tools',
] as const;
export type Amenity = (typeof AMENITIES)[number];

export const MERCHANT_CATEGORIES = ['餐饮', '便利店', '维修', '理发', '洗衣', '药店', '其他'] as const;
export type MerchantCategory = (typeof MERCHANT_CATEGORIES)[number];

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

// Response schemas are lenient (unknown keys pass, enums stay strings) so that additive API changes do not break the bot.
const meta = z.object({
  radius: z.number(),
  count: z.number(),
  place: z.object({ name: z.string(), city: z.string() }).nullable().optional(),
});

export const stationSchema = z.object({
  id: z.string(),
  name: z.string(),
  address: z.string(),
  district: z.string().optional(),
  distanceM: z.number(),
  openNow: z.boolean(),
  status: z.string(),
  statusNote: z.string().nullable().optional(),
  capacity: z.number(),
  available: z.number().nullable(),
  amenities: z.array(z.string()),
});
export type Station = z.infer<typeof stationSchema>;

export const merchantSchema = z.object({
  id: z.string(),
  name: z.string(),
  address: z.string(),
  distanceM: z.number(),
  category: z.string(),
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

/** A staff account as the bot routes show it; role and city stay strings so a new role does not break the bot. */
export const staffSchema = z.object({
  id: z.string(),
  role: z.string(),
  username: z.string(),
  displayName: z.string(),
  city: z.string().nullable(),
  holdings: z.object({
    stationIds: z.array(z.string()).default([]),
    merchantIds: z.array(z.string()).default([]),
    compoundIds: z.array(z.string()).default([]),
  }),
  status: z.string(),
});
export type Staff = z.infer<typeof staffSchema>;
export const staffResponseSchema = z.object({ data: staffSchema });

export const errorBodySchema = z.object({
  error: z.object({
    status: z.number().optional(),
    code: z.string().optional(),
    message: z.string(),
    details: z.unknown().optional(),
  }),
});
