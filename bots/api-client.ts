import axios, { type AxiosInstance, type AxiosRequestConfig } from 'axios';
import type { z } from 'zod';
import { callApi } from './api-call';
import {
  compoundSchema, dataOf, hazardCategorySchema, hazardSchema, listOf, merchantsResponseSchema, staffSchema, stationDetailSchema,
  stationsResponseSchema,
  type BotSession, type Compound, type Hazard, type HazardCategory, type MerchantQuery, type MerchantsResult, type NearbyQuery,
  type Staff, type StationDetail, type StationQuery, type StationsResult,
} from './api-contract';
import { ApiError, NOT_CONFIGURED_MESSAGE } from './api-error';
import { createSessions, type Contact } from './api-sessions';
import { createUserApi, type UserApi } from './api-user';

export type { Contact } from './api-sessions';
export type { UserApi } from './api-user';

export interface ApiClient {
  nearbyStations(q: StationQuery): Promise<StationsResult>;
  nearbyMerchants(q: MerchantQuery): Promise<MerchantsResult>;
  station(id: string): Promise<StationDetail>;
  /** Compounds whose name or address matches the words. */
  findCompounds(q: string): Promise<Compound[]>;
  compound(id: string): Promise<Compound>;
  /** The service's hazard categories, fetched once and kept for `categoriesTtlMs`. */
  hazardCategories(): Promise<HazardCategory[]>;
  /** Open reports of a category within 50 m of a GCJ-02 point. */
  nearbyHazards(category: string, lng: number, lat: number): Promise<Hazard[]>;
  /** Binds a WeChat contact to the staff account that generated the one-time code. */
  bindStaff(code: string, contactId: string): Promise<Staff>;
  /** The staff account bound to a WeChat contact; null when none is (or it is disabled). */
  whoIs(contactId: string): Promise<Staff | null>;
  /** The sender's session: rider or staff, with its own access token. */
  session(contact: Contact): Promise<BotSession>;
  /** The API as this sender, with the sender's own token. */
  as(contact: Contact): UserApi;
}

export interface ApiClientOptions {
  baseURL: string;
  timeoutMs: number;
  /** X-Bot-Token for the /api/v1/bot routes; without it staff binding and every rider or staff action fail with 'not_configured'. */
  botToken?: string;
  clock?: () => Date;
  /** How long the hazard categories are kept before they are read again (default 10 minutes). */
  categoriesTtlMs?: number;
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
    return (await callApi(http, { ...request, headers: { 'X-Bot-Token': botToken } }, dataOf(staffSchema))).data;
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

/** A value read at most once per `ttlMs`; a failed read is not kept. */
function cached<T>(read: () => Promise<T>, ttlMs: number, clock: () => Date): () => Promise<T> {
  let kept: { at: number; value: Promise<T> } | null = null;
  return () => {
    const now = clock().getTime();
    if (kept && now - kept.at < ttlMs) return kept.value;
    const value = read();
    kept = { at: now, value };
    value.catch(() => { kept = null; });
    return value;
  };
}

/** An axios client for the service: public searches, the bot's staff routes, and calls made as the sender. */
export function createApiClient(options: ApiClientOptions): ApiClient {
  const clock = options.clock ?? (() => new Date());
  const http = axios.create({ baseURL: options.baseURL, timeout: options.timeoutMs, headers: { Accept: 'application/json' } });
  const getJson = <S extends z.ZodType>(url: string, params: Record<string, string>, schema: S) => callApi(http, { url, params }, schema);
  const sessions = createSessions(http, { botToken: options.botToken, clock });
  const categories = cached(async () => (await getJson('/api/v1/hazard-categories', {}, listOf(hazardCategorySchema))).data,
    options.categoriesTtlMs ?? 10 * 60_000, clock);
  const staff = staffMethods(http, options.botToken);
  return {
    ...staff,
    // A contact that just became staff must not keep acting with the rider session it had before.
    bindStaff: async (code, contactId) => {
      const bound = await staff.bindStaff(code, contactId);
      sessions.drop(contactId);
      return bound;
    },
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
    station: async (id) => (await getJson(`/api/v1/stations/${encodeURIComponent(id)}`, { coordSys: 'gcj02' }, dataOf(stationDetailSchema))).data,
    findCompounds: async (q) => (await getJson('/api/v1/compounds', { q, limit: '6', coordSys: 'gcj02' }, listOf(compoundSchema))).data,
    compound: async (id) => (await getJson(`/api/v1/compounds/${encodeURIComponent(id)}`, { coordSys: 'gcj02' }, dataOf(compoundSchema))).data,
    hazardCategories: categories,
    nearbyHazards: async (category, lng, lat) =>
      (await getJson('/api/v1/hazards/nearby', { category, lng: String(lng), lat: String(lat), coordSys: 'gcj02' }, listOf(hazardSchema))).data,
    session: (contact) => sessions.get(contact),
    as: (contact) => createUserApi(http, sessions, contact, options.botToken),
  };
}
