import type { AxiosInstance, AxiosRequestConfig } from 'axios';
import type { z } from 'zod';
import { callApi } from './api-call';
import {
  accessOutcomeSchema, accessRequestSchema, approvalSchema, dataOf, gateCheckSchema, hazardSchema, listOf, meSchema,
  passCodeSchema, passSchema, placeScanSchema, stationDetailSchema,
  type AccessOutcome, type AccessRequest, type Approval, type GateCheck, type Hazard, type HazardInput, type Me, type Pass,
  type PassCode, type PlaceScan, type StationDetail, type StationStatus,
} from './api-contract';
import { ApiError } from './api-error';
import type { Contact, Sessions } from './api-sessions';

/** The API as one sender: every call carries the sender's own bearer token, so the service's authorization decides. */
export interface UserApi {
  me(): Promise<Me>;
  requestAccess(compoundId: string): Promise<AccessOutcome>;
  myPasses(): Promise<Pass[]>;
  passCode(passId: string): Promise<PassCode>;
  scanPlaceCode(code: string): Promise<PlaceScan>;
  pendingRequests(): Promise<AccessRequest[]>;
  approve(requestId: string): Promise<Approval>;
  deny(requestId: string, reason: string): Promise<AccessRequest>;
  verifyGate(check: { compoundId: string; gateId: string; code: string }): Promise<GateCheck>;
  setOccupancy(stationId: string, available: number): Promise<StationDetail>;
  setStatus(stationId: string, status: StationStatus, note: string | null): Promise<StationDetail>;
  createHazard(report: HazardInput): Promise<Hazard>;
  supportHazard(hazardId: string): Promise<Hazard>;
  myHazards(): Promise<Hazard[]>;
}

const GCJ02 = { coordSys: 'gcj02' };
const path = (id: string) => encodeURIComponent(id);

/** A report with a photo goes as multipart/form-data (field `photos`), as the service's POST /hazards takes it. */
function hazardBody(r: HazardInput): Pick<AxiosRequestConfig, 'data'> {
  const fields = { category: r.category, description: r.description, lng: r.lng, lat: r.lat, coordSys: 'gcj02', ...(r.address ? { address: r.address } : {}) };
  if (!r.photo) return { data: fields };
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, String(v));
  const ext = r.photo.mimeType === 'image/png' ? 'png' : r.photo.mimeType === 'image/webp' ? 'webp' : 'jpg';
  form.append('photos', new Blob([r.photo.bytes], { type: r.photo.mimeType }), `photo.${ext}`);
  return { data: form };
}

/**
 * The user-scoped calls for one contact; a token the service refuses (401) is dropped and the call tried once more.
 * The sender's bearer token is what the service authorizes; X-Bot-Token rides along only so that the service counts
 * the write against the sender's account rather than against the one address every chat user shares (see the
 * service's writeRateLimit). It grants nothing on these routes.
 */
export function createUserApi(http: AxiosInstance, sessions: Sessions, contact: Contact, botToken: string | undefined): UserApi {
  async function call<S extends z.ZodType>(request: AxiosRequestConfig, schema: S, retry = true): Promise<z.output<S>> {
    const session = await sessions.get(contact);
    const headers = { ...request.headers, Authorization: `Bearer ${session.accessToken}`, ...(botToken ? { 'X-Bot-Token': botToken } : {}) };
    try {
      return await callApi(http, { ...request, headers }, schema);
    } catch (err) {
      if (!(retry && err instanceof ApiError && err.status === 401)) throw err;
      sessions.drop(contact.contactId);
      return call(request, schema, false);
    }
  }
  const data = async <S extends z.ZodType>(request: AxiosRequestConfig, schema: S) => ((await call(request, dataOf(schema))) as { data: z.output<S> }).data;
  const list = async <S extends z.ZodType>(request: AxiosRequestConfig, schema: S) => ((await call(request, listOf(schema))) as { data: Array<z.output<S>> }).data;
  return {
    me: () => data({ url: '/api/v1/me' }, meSchema),
    requestAccess: (compoundId) => data({ method: 'POST', url: '/api/v1/access-requests', data: { compoundId } }, accessOutcomeSchema),
    myPasses: () => list({ url: '/api/v1/me/passes', params: { limit: '50' } }, passSchema),
    passCode: (passId) => data({ url: `/api/v1/me/passes/${path(passId)}/code` }, passCodeSchema),
    scanPlaceCode: (code) => data({ method: 'POST', url: '/api/v1/place-codes/scan', data: { code } }, placeScanSchema),
    pendingRequests: () => list({ url: '/api/v1/access-requests', params: { status: 'pending', limit: '20' } }, accessRequestSchema),
    approve: (id) => data({ method: 'POST', url: `/api/v1/access-requests/${path(id)}/approve`, data: {} }, approvalSchema),
    deny: (id, reason) => data({ method: 'POST', url: `/api/v1/access-requests/${path(id)}/deny`, data: { reason } }, accessRequestSchema),
    verifyGate: (check) => data({ method: 'POST', url: '/api/v1/gates/verify', data: check }, gateCheckSchema),
    setOccupancy: (id, available) => data({ method: 'PUT', url: `/api/v1/stations/${path(id)}/occupancy`, params: GCJ02, data: { available } }, stationDetailSchema),
    setStatus: (id, status, note) => data({ method: 'PUT', url: `/api/v1/stations/${path(id)}/status`, params: GCJ02, data: { status, note } }, stationDetailSchema),
    createHazard: (report) => data({ method: 'POST', url: '/api/v1/hazards', params: GCJ02, ...hazardBody(report) }, hazardSchema),
    supportHazard: (id) => data({ method: 'POST', url: `/api/v1/hazards/${path(id)}/support`, params: GCJ02, data: {} }, hazardSchema),
    myHazards: () => list({ url: '/api/v1/me/hazards', params: { limit: '20' } }, hazardSchema),
  };
}
