import axios, { type AxiosInstance, type AxiosRequestConfig } from 'axios';
import type { z } from 'zod';
import { callApi } from './api-call';
import {
  merchantsResponseSchema, staffResponseSchema, stationsResponseSchema,
  type MerchantQuery, type MerchantsResult, type NearbyQuery, type Staff, type StationQuery, type StationsResult,
} from './api-contract';
import { ApiError, NOT_CONFIGURED_MESSAGE } from './api-error';

export interface ApiClient {
  nearbyStations(q: StationQuery): Promise<StationsResult>;
  nearbyMerchants(q: MerchantQuery): Promise<MerchantsResult>;
  /** Binds a WeChat contact to the staff account that generated the one-time code. */
  bindStaff(code: string, contactId: string): Promise<Staff>;
  /** The staff account bound to a WeChat contact; null when none is (or it is disabled). */
  whoIs(contactId: string): Promise<Staff | null>;
}

export interface ApiClientOptions {
  baseURL: string;
  timeoutMs: number;
  /** X-Bot-Token for the /api/v1/bot routes; without it the staff methods fail with code 'not_configured'. */
  botToken?: string;
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

/** The bot-only routes, authenticated by the shared X-Bot-Token. */
function staffMethods(http: AxiosInstance, botToken: string | undefined): Pick<ApiClient, 'bindStaff' | 'whoIs'> {
  const botCall = async (request: AxiosRequestConfig): Promise<Staff> => {
    if (!botToken) throw new ApiError(NOT_CONFIGURED_MESSAGE, { status: 0, code: 'not_configured' });
    return (await callApi(http, { ...request, headers: { 'X-Bot-Token': botToken } }, staffResponseSchema)).data;
  };
  return {
    bindStaff: (code, contactId) => botCall({ method: 'POST', url: '/api/v1/bot/bind', data: { code, contactId } }),
    whoIs: (contactId) => botCall({ url: `/api/v1/bot/contacts/${encodeURIComponent(contactId)}` })
      .catch((err: unknown) => {
        if (err instanceof ApiError && err.status === 404) return null;
        throw err;
      }),
  };
}

/** An axios client for the nearby-station and nearby-merchant endpoints and the bot's staff routes. */
export function createApiClient(options: ApiClientOptions): ApiClient {
  const http = axios.create({ baseURL: options.baseURL, timeout: options.timeoutMs, headers: { Accept: 'application/json' } });
  const getJson = <S extends z.ZodType>(url: string, params: Record<string, string>, schema: S) => callApi(http, { url, params }, schema);
  return {
    ...staffMethods(http, options.botToken),
    nearbyStations: (q) => {
      const params = nearbyParams(q);
      if (q.amenities && q.amenities.length > 0) params.amenities = q.amenities.join(',');
      if (q.hasSeats) params.hasSeats = 'true';
      return getJson('/api/v1/stations/nearby', params, stationsResponseSchema);
    },
    nearbyMerchants: (q) => {
      const params = nearbyParams(q);
      if (q.category) params.category = q.category;
      return getJson('/api/v1/merchants/nearby', params, merchantsResponseSchema);
    },
  };
}
