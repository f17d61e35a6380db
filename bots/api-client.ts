import axios, { AxiosError, type AxiosInstance } from 'axios';
import type { z } from 'zod';
import {
  errorBodySchema, merchantsResponseSchema, stationsResponseSchema,
  type MerchantQuery, type MerchantsResult, type NearbyQuery, type StationQuery, type StationsResult,
} from './api-contract';
import { ApiError, UNAVAILABLE_MESSAGE } from './api-error';

export interface ApiClient {
  nearbyStations(q: StationQuery): Promise<StationsResult>;
  nearbyMerchants(q: MerchantQuery): Promise<MerchantsResult>;
}

export interface ApiClientOptions {
  baseURL: string;
  timeoutMs: number;
}

/** Query-string parameters shared by both nearby endpoints; WeChat locations are GCJ-02. */
function nearbyParams(q: NearbyQuery): Record<string, string> {
  const p: Record<string, string> = { coordSys: 'gcj02' };
  if ('place' in q.center) p.place = q.center.place;
  else Object.assign(p, { lng: String(q.center.lng), lat: String(q.center.lat) });
  if (q.radiusM !== undefined) p.radius = String(Math.round(q.radiusM));
  if (q.limit !== undefined) p.limit = String(q.limit);
  if (q.openNow) p.openNow = 'true';
  return p;
}

function suggestionsOf(details: unknown): string[] {
  const s = (details as { suggestions?: unknown } | null | undefined)?.suggestions;
  return Array.isArray(s) ? s.filter((x): x is string => typeof x === 'string') : [];
}

/** Any failure as an ApiError: the service's own 4xx message, or a friendly "unavailable" for the rest. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  const res = err instanceof AxiosError ? err.response : undefined;
  if (!res) return new ApiError(UNAVAILABLE_MESSAGE, { status: 0, code: 'unavailable' });
  const body = errorBodySchema.safeParse(res.data);
  if (res.status >= 500 || !body.success) return new ApiError(UNAVAILABLE_MESSAGE, { status: res.status, code: 'unavailable' });
  const { code = 'error', message, details } = body.data.error;
  return new ApiError(message, { status: res.status, code, suggestions: suggestionsOf(details) });
}

async function getJson<S extends z.ZodType>(http: AxiosInstance, url: string, params: Record<string, string>, schema: S): Promise<z.output<S>> {
  try {
    const res = await http.get<unknown>(url, { params });
    const parsed = schema.safeParse(res.data);
    if (!parsed.success) throw new ApiError(UNAVAILABLE_MESSAGE, { status: res.status, code: 'bad_response' });
    return parsed.data;
  } catch (err) {
    throw toApiError(err);
  }
}

/** An axios client for the nearby-station and nearby-merchant endpoints. */
export function createApiClient(options: ApiClientOptions): ApiClient {
  const http = axios.create({ baseURL: options.baseURL, timeout: options.timeoutMs, headers: { Accept: 'application/json' } });
  return {
    nearbyStations: (q) => {
      const params = nearbyParams(q);
      if (q.amenities && q.amenities.length > 0) params.amenities = q.amenities.join(',');
      if (q.hasSeats) params.hasSeats = 'true';
      return getJson(http, '/api/v1/stations/nearby', params, stationsResponseSchema);
    },
    nearbyMerchants: (q) => {
      const params = nearbyParams(q);
      if (q.category) params.category = q.category;
      return getJson(http, '/api/v1/merchants/nearby', params, merchantsResponseSchema);
    },
  };
}
