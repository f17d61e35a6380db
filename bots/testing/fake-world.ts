import type { AccessRequest, Hazard, Pass, Staff } from '../api-contract';
import type { FakeRequest, FakeResponse } from './fake-types';
import { BOT_TOKEN, OTHER_CONTACT_ID, OTHER_STAFF, STAFF } from './fixtures';
import {
  GUARD, GUARD_CONTACT, NEARBY_HAZARD, ONE_STATION_CONTACT, ONE_STATION_STAFF, OPERATOR_CONTACT, PASS_HOLDER_CONTACT,
  TWO_COMPOUND_GUARD, TWO_COMPOUND_GUARD_CONTACT,
} from './fixtures-flows';

const CODES: Record<number, string> = { 400: 'invalid_request', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 409: 'conflict', 410: 'gone', 422: 'invalid_request' };

export const fakeError = (status: number, message: string, details: unknown = null): FakeResponse =>
  ({ status, body: { error: { status, code: CODES[status] ?? 'error', message, details } } });
export const ok = (data: unknown, status = 200): FakeResponse => ({ status, body: { data } });

/** Who a session token belongs to: a rider (by contact) or a staff account. */
export type FakeUser = { kind: 'rider'; id: string; contactId: string; displayName: string | null } | { kind: 'staff'; staff: Staff; contactId: string };

/** The fake service's state: staff bound to contacts, sessions, requests, passes and reports, all in memory. */
export interface FakeWorld {
  bound: Map<string, Staff>;
  tokens: Map<string, FakeUser>;
  /** Session lifetime the fake hands out, seconds. */
  sessionTtlS: number;
  requests: Array<AccessRequest & { riderId: string }>;
  passes: Array<Pass & { riderId: string }>;
  hazards: Array<Hazard & { reporterId: string; supporters: string[] }>;
  /** Makes every session token invalid, as after a restart of the service. */
  expireTokens(): void;
  /** The user behind a request's bearer token, or the 401 to answer. */
  userOf(req: FakeRequest): FakeUser | FakeResponse;
  sessionFor(contactId: string, name?: string): FakeResponse;
}

export const riderIdOf = (contactId: string) => `rider-${contactId}`;

/** A fresh world: the fixtures' staff bound to their contacts, the pass holder with a current pass, one open report. */
export function createFakeWorld(): FakeWorld {
  const bound = new Map<string, Staff>([
    [OTHER_CONTACT_ID, OTHER_STAFF], [OPERATOR_CONTACT, STAFF], [ONE_STATION_CONTACT, ONE_STATION_STAFF],
    [GUARD_CONTACT, GUARD], [TWO_COMPOUND_GUARD_CONTACT, TWO_COMPOUND_GUARD],
  ]);
  const tokens = new Map<string, FakeUser>();
  let issued = 0;
  const world: FakeWorld = {
    bound,
    tokens,
    sessionTtlS: 900,
    requests: [{
      id: 'req-0', compoundId: 'cp-1', compoundName: '【演示】渝中区幸福里', riderId: riderIdOf('wxid_wang'),
      rider: { displayName: '小王', platform: '美团', maskedPhone: '138****1234' }, reason: '每天午高峰送餐', durationDays: 30,
      status: 'pending', decisionNote: null, overdue: false, createdAt: '2025-06-01T03:00:00.000Z',
    }],
    passes: [{
      id: 'pass-1', number: 128, compoundId: 'cp-1', compoundName: '【演示】渝中区幸福里', riderId: riderIdOf(PASS_HOLDER_CONTACT),
      validFrom: '2025-05-01T00:00:00.000Z', validTo: '2025-06-30T16:00:00.000Z', hours: null, status: 'active', current: true, revokeReason: null,
    }],
    hazards: [{ ...NEARBY_HAZARD, reporterId: riderIdOf('wxid_other'), supporters: [] }],
    expireTokens: () => tokens.clear(),
    userOf(req) {
      const token = /^Bearer (.+)$/.exec(req.authorization ?? '')?.[1];
      const user = token ? tokens.get(token) : undefined;
      return user ?? fakeError(401, '登录已过期，请重新登录');
    },
    sessionFor(contactId, name) {
      if (!contactId) return fakeError(400, '参数 contactId 有误：不能为空');
      const staff = bound.get(contactId);
      const user: FakeUser = staff ? { kind: 'staff', staff, contactId } : { kind: 'rider', id: riderIdOf(contactId), contactId, displayName: name ?? null };
      const accessToken = `tok-${contactId}-${(issued += 1)}`;
      tokens.set(accessToken, user);
      const view = user.kind === 'staff'
        ? { id: user.staff.id, displayName: user.staff.displayName, role: user.staff.role, city: user.staff.city }
        : { id: user.id, displayName: user.displayName, role: 'rider', city: null };
      return ok({ kind: user.kind, accessToken, expiresIn: world.sessionTtlS, user: view });
    },
  };
  return world;
}

/** POST /api/v1/bot/sessions behind X-Bot-Token. */
export function fakeSessions(world: FakeWorld, req: FakeRequest): FakeResponse {
  if (req.botToken !== BOT_TOKEN) return fakeError(401, '需要服务凭证（x-bot-token）');
  const b = req.body as { contactId?: unknown; name?: unknown } | undefined;
  return world.sessionFor(typeof b?.contactId === 'string' ? b.contactId : '', typeof b?.name === 'string' ? b.name : undefined);
}

/** GET /api/v1/me for the bearer's account. */
export function fakeMe(user: FakeUser): FakeResponse {
  if (user.kind === 'staff') return ok({ ...user.staff });
  return ok({ id: user.id, role: 'rider', displayName: user.displayName, city: null, holdings: null });
}
