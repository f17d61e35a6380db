import type { FakeRequest, FakeResponse } from './fake-types';
import { fakeError, ok, type FakeUser, type FakeWorld } from './fake-world';
import { COMPOUNDS, PASS_CODE, PASS_CODE_DISPLAY, PLACE_CODE } from './fixtures-flows';

const riderOnly = fakeError(403, '权限不足：需要骑手账号');
const strip = <T extends { riderId: string }>({ riderId: _r, ...rest }: T) => rest;

/** A rider's request for a compound: the pass when one is current, a closed compound's refusal, else a pending request. */
function requestFor(world: FakeWorld, riderId: string, compoundId: string): FakeResponse {
  const compound = COMPOUNDS.find((c) => c.id === compoundId);
  if (!compound) return fakeError(404, '小区不存在');
  const pass = world.passes.find((p) => p.riderId === riderId && p.compoundId === compoundId && p.current);
  const existing = world.requests.find((r) => r.riderId === riderId && r.compoundId === compoundId && r.status !== 'denied');
  if (pass || existing) {
    const request = existing ?? { id: `req-${pass?.id}`, compoundId, compoundName: compound.name, riderId, rider: null, reason: null, durationDays: 30, status: 'approved', decisionNote: null, overdue: false, createdAt: '2025-05-01T00:00:00.000Z' };
    return ok({ request: strip(request), pass: pass ? strip(pass) : null, unmet: [] });
  }
  const closed = compound.accessMode === 'closed';
  const request = {
    id: `req-${world.requests.length}`, compoundId, compoundName: compound.name, riderId, rider: { displayName: null, platform: null, maskedPhone: null },
    reason: null, durationDays: 30, status: closed ? 'denied' : 'pending', decisionNote: closed ? '本小区暂不对骑手开放' : null, overdue: false,
    createdAt: '2025-06-01T04:00:00.000Z',
  };
  world.requests.push(request);
  return ok({ request: strip(request), pass: null, unmet: closed ? ['本小区暂不对骑手开放'] : [] }, 201);
}

function riderRoutes(world: FakeWorld, req: FakeRequest, riderId: string): FakeResponse | null {
  const body = (req.body ?? {}) as Record<string, unknown>;
  if (req.method === 'POST' && req.path === '/api/v1/access-requests') return requestFor(world, riderId, String(body.compoundId));
  if (req.method === 'GET' && req.path === '/api/v1/me/passes') return { status: 200, body: { data: world.passes.filter((p) => p.riderId === riderId).map(strip), meta: { next: null } } };
  const code = /^\/api\/v1\/me\/passes\/([^/]+)\/code$/.exec(req.path);
  if (req.method === 'GET' && code) {
    const pass = world.passes.find((p) => p.id === code[1] && p.riderId === riderId);
    return pass ? ok({ code: PASS_CODE, display: PASS_CODE_DISPLAY, expiresInSeconds: 17 }) : fakeError(404, '通行证不存在');
  }
  if (req.method === 'POST' && req.path === '/api/v1/place-codes/scan') {
    if (String(body.code).toUpperCase() !== PLACE_CODE) return fakeError(404, '场所码不存在，请核对门上的码');
    const outcome = requestFor(world, riderId, 'cp-1').body as { data: Record<string, unknown> };
    return ok({ compoundId: 'cp-1', compoundName: COMPOUNDS[0]?.name, gateId: 'east', notes: '走东门', ...outcome.data, request: outcome.data.pass ? null : outcome.data.request });
  }
  return null;
}

function managerRoutes(world: FakeWorld, req: FakeRequest, user: FakeUser): FakeResponse | null {
  const held = user.kind === 'staff' && user.staff.role === 'property_manager' ? user.staff.holdings.compoundIds : null;
  if (req.method === 'GET' && req.path === '/api/v1/access-requests') {
    if (!held) return fakeError(403, '权限不足：需要物业或城市管理员');
    const data = world.requests.filter((r) => r.status === (req.query.status ?? 'pending') && held.includes(r.compoundId)).map(strip);
    return { status: 200, body: { data, meta: { next: null } } };
  }
  const act = /^\/api\/v1\/access-requests\/([^/]+)\/(approve|deny)$/.exec(req.path);
  if (req.method !== 'POST' || !act) return null;
  if (!held) return fakeError(403, '权限不足：需要物业或城市管理员');
  const r = world.requests.find((x) => x.id === act[1] && held.includes(x.compoundId));
  if (!r) return fakeError(404, '申请不存在');
  if (r.status !== 'pending') return fakeError(409, '该申请已处理');
  if (act[2] === 'deny') {
    Object.assign(r, { status: 'denied', decisionNote: String((req.body as { reason?: unknown }).reason) });
    return ok(strip(r));
  }
  r.status = 'approved';
  const pass = { id: `pass-${world.passes.length + 1}`, number: 128 + world.passes.length, compoundId: r.compoundId, compoundName: r.compoundName, riderId: r.riderId, validFrom: '2025-06-01T04:00:00.000Z', validTo: '2025-07-01T04:00:00.000Z', hours: null, status: 'active', current: true, revokeReason: null };
  world.passes.push(pass);
  return ok({ request: strip(r), pass: strip(pass) });
}

function guardRoutes(req: FakeRequest, user: FakeUser): FakeResponse | null {
  if (req.method !== 'POST' || req.path !== '/api/v1/gates/verify') return null;
  const b = (req.body ?? {}) as { compoundId?: string; gateId?: string; code?: string };
  if (user.kind !== 'staff' || user.staff.role !== 'gate_guard' || !user.staff.holdings.compoundIds.includes(String(b.compoundId))) return fakeError(403, '权限不足：需要本小区门岗');
  if (b.code !== PASS_CODE) return ok({ allowed: false, reason: 'wrong_code', message: '动态码不对或已过期，请让骑手刷新后重试', rider: null, pass: null, entryId: 'en-2' });
  return ok({ allowed: true, reason: 'ok', message: '允许进入', rider: { displayName: '小李', platform: '饿了么', maskedPhone: '139****5678', verificationLevel: 'platform' }, pass: { id: 'pass-1', number: 128, validTo: '2025-06-30T16:00:00.000Z' }, entryId: 'en-1' });
}

/** The access routes as the bearer: riders request, read passes and scan; managers list and decide; guards verify. */
export function fakeAccessRoutes(world: FakeWorld, req: FakeRequest, user: FakeUser): FakeResponse | null {
  const forRiders = (req.method === 'POST' && (req.path === '/api/v1/access-requests' || req.path === '/api/v1/place-codes/scan'))
    || req.path.startsWith('/api/v1/me/passes');
  if (forRiders) return user.kind === 'rider' ? riderRoutes(world, req, user.id) : riderOnly;
  return managerRoutes(world, req, user) ?? guardRoutes(req, user);
}

/** GET /api/v1/compounds?q= and /api/v1/compounds/:id, public. */
export function fakeCompoundRoutes(req: FakeRequest): FakeResponse | null {
  if (req.method !== 'GET') return null;
  if (req.path === '/api/v1/compounds') {
    const q = req.query.q ?? '';
    return ok(COMPOUNDS.filter((c) => q && (c.name.includes(q) || c.address.includes(q))).slice(0, Number(req.query.limit ?? 10)).map(({ gates: _g, ...c }) => c));
  }
  const one = /^\/api\/v1\/compounds\/([^/]+)$/.exec(req.path);
  if (!one) return null;
  const c = COMPOUNDS.find((x) => x.id === one[1]);
  return c ? ok(c) : fakeError(404, '小区不存在');
}
