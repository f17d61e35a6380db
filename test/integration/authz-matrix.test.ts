/**
 * Authorization matrix: every mutating route, every role, the role's own object and someone else's.
 * Each row sends one real request and checks the status; a refusal must leave storage and the audit trail
 * exactly as they were, an allowed write must land and leave one audit entry naming actor, role, action, object
 * and request id.
 */
import type { Response } from 'supertest';
import { normalizeCode } from '../../src/modules/identity/codes';
import { sha256 } from '../../src/modules/identity/tokens';
import type { City } from '../../src/shared/domain';
import type { StaffRole } from '../../src/modules/identity/identity.types';
import { buildTestApp, type TestApp } from '../helpers/app';
import { startFakeWeChat, type FakeWeChat } from '../helpers/fake-wechat';
import { merchantInput, stationInput } from '../helpers/fixtures';
import { rulesSchema } from '../../src/modules/compounds/compounds.schema';
import type { Compound, CompoundInput } from '../../src/modules/compounds/compounds.types';
import type { BodyInput } from '../../src/modules/bodies/bodies.types';
import type { HazardReport } from '../../src/modules/hazards/hazards.types';
import { newId } from '../../src/storage/ids';

type Role = 'rider' | StaffRole;
type Actor = 'anonymous' | Role;
/** mine: held by the actor (the holding role) or simply in the actor's city; unheld: in its city, not held; other-city: Chengdu. */
type Relation = 'mine' | 'unheld' | 'other-city';
type Method = 'post' | 'put' | 'patch' | 'delete';
type Headers = Record<string, string>;
interface Session { headers: { Authorization: string }; user: { id: string } & Record<string, unknown>; refreshToken: string }

const ROLES: Role[] = ['rider', 'city_admin', 'station_operator', 'merchant_owner', 'property_manager', 'gate_guard', 'body_staff'];
const STAFF: StaffRole[] = ['city_admin', 'station_operator', 'merchant_owner', 'property_manager', 'gate_guard', 'body_staff'];
/** Every actor lives in Chongqing; Chengdu is "another city". */
const HOME: City = 'chongqing';
const AWAY: City = 'chengdu';
const cityOf = (rel: Relation): City => (rel === 'other-city' ? AWAY : HOME);
const PLACE: Record<City, { district: string; location: { lng: number; lat: number } }> = {
  chongqing: { district: '渝中区', location: { lng: 106.5775, lat: 29.5594 } },
  chengdu: { district: '锦江区', location: { lng: 104.0776, lat: 30.6546 } },
};
const stationAt = (city: City) => stationInput({ city, ...PLACE[city] });
const merchantAt = (city: City) => merchantInput({ city, ...PLACE[city] });

let seq = 0;
const next = () => ++seq;

function send(t: TestApp, method: Method, path: string, headers: Headers, body?: unknown, type?: string) {
  const req = t.http[method](path).set(headers);
  if (type) req.set('Content-Type', type);
  return body === undefined ? req : req.send(body as string | object);
}

/** The audit entries a request left behind, found by its X-Request-Id. */
async function auditOf(t: TestApp, requestId: string) {
  return (await t.storage.audit.list({ limit: 10_000 })).filter((e) => e.requestId === requestId);
}

// ---------------------------------------------------------------------------------------------------------------
// Routes that act on an object (stations, merchants, imports, invitations, staff, riders)
// ---------------------------------------------------------------------------------------------------------------

/** What a row touches: a station, merchant, staff member, rider, platform key or compound, or just a city (create, import, invitation). */
type ObjectKind = 'station' | 'merchant' | 'staff' | 'rider' | 'platform_key' | 'open311_key' | 'compound' | 'hazard_body' | 'hazard' | 'city';
/**
 * tag is unique per row, for names and external ids. Compound rows also name what inside the compound they act on
 * (ref: an access request, pass, block, device or place code) and a rider of the compound's city (riderId).
 */
interface Target { kind: ObjectKind; id: string; city: City; tag: string; ref?: string; riderId?: string }
interface Request { method: Method; path: string; body?: unknown; type?: string }

interface RouteCase {
  /** "METHOD /path", with a note on the body where one route has several cases. */
  route: string;
  kind: ObjectKind;
  /** The role (or roles) that can hold objects of this kind, when the rule depends on holding them. */
  holder?: Role | readonly Role[];
  /** Which relations the matrix tries; by default mine and other-city, plus unheld for the holding role. */
  relations?: Relation[];
  request(target: Target): Request;
  allowed(role: Role, rel: Relation): boolean;
  /** 403, or 404 where even the object's existence must not leak. */
  refused: 403 | 404;
  ok: number;
  audit: { action: string; objectId(target: Target, res: Response): string | null };
  /** Checks that an allowed write really landed. */
  landed(target: Target, res: Response, actorId: string): Promise<void>;
}

/** What matrix() needs of a case: the rows of read-only routes have no audit entry or landing check. */
type CaseShape = Pick<RouteCase, 'route' | 'kind' | 'holder' | 'relations' | 'allowed' | 'refused' | 'ok'>;
interface Row<C extends CaseShape = RouteCase> { title: string; rc: C; actor: Actor; rel: Relation; allowed: boolean; expected: number }

const NOUN: Record<ObjectKind, string> = {
  station: 'station', merchant: 'merchant', staff: 'staff member', rider: 'rider', platform_key: 'platform key', open311_key: 'Open311 key', compound: 'compound', hazard_body: 'responsible body', hazard: 'hazard report', city: '',
};

/** A hazard report is a rider's own when it filed it, a property manager's when it was routed to a compound it holds. */
const HAZARD_HELD = { rider: ['it filed', 'in its city another rider filed'], staff: ['routed to a compound it holds', 'in its city routed to a compound it does not hold'] };

const holds = (rc: Pick<CaseShape, 'holder'>, role: Actor): boolean => ([] as Role[]).concat(rc.holder ?? []).some((r) => r === role);

function objectPhrase(rc: CaseShape, role: Role, rel: Relation): string {
  if (rc.kind === 'city') return rel === 'other-city' ? 'for another city' : 'for its city';
  const noun = NOUN[rc.kind];
  if (rel === 'other-city') return `of a ${noun} in another city`;
  if (rc.kind === 'hazard' && rel !== 'mine') return `of a ${noun} ${HAZARD_HELD[role === 'rider' ? 'rider' : 'staff'][1]}`;
  if (rc.kind === 'hazard' && holds(rc, role)) return `of a ${noun} ${HAZARD_HELD[role === 'rider' ? 'rider' : 'staff'][0]}`;
  if (rel === 'unheld') return `of a ${noun} in its city it does not hold`;
  return holds(rc, role) ? `of a ${noun} it holds` : `of a ${noun} in its city`;
}

function matrix<C extends CaseShape>(cases: C[]): Array<Row<C>> {
  const rows: Array<Row<C>> = [];
  for (const rc of cases) {
    rows.push({ title: `anonymous may not ${rc.route} (401)`, rc, actor: 'anonymous', rel: 'mine', allowed: false, expected: 401 });
    for (const role of ROLES) {
      const rels = rc.relations ?? (holds(rc, role) ? ['mine', 'unheld', 'other-city'] : ['mine', 'other-city']);
      for (const rel of rels) {
        const allowed = rc.allowed(role, rel);
        const expected = allowed ? rc.ok : rc.refused;
        rows.push({ title: `${role} ${allowed ? 'may' : 'may not'} ${rc.route} ${objectPhrase(rc, role, rel)} (${expected})`, rc, actor: role, rel, allowed, expected });
      }
    }
  }
  return rows;
}

describe('authorization matrix: routes that act on stations, merchants, imports, staff and riders', () => {
  let t: TestApp;
  const as = {} as Record<Role, Session>;
  const held = { station: '', merchant: '' };

  beforeAll(async () => {
    t = await buildTestApp();
    const now = t.clock.now();
    const seeded: Record<City, { stations: string[]; merchants: string[] }> = { chongqing: { stations: [], merchants: [] }, chengdu: { stations: [], merchants: [] } };
    for (const city of [HOME, AWAY]) {
      for (let i = 0; i < 4; i++) seeded[city].stations.push((await t.storage.stations.create(stationAt(city), now)).id);
      for (let i = 0; i < 4; i++) seeded[city].merchants.push((await t.storage.merchants.create(merchantAt(city), now)).id);
    }
    for (const role of ROLES) as[role] = await t.login(role, HOME);
    // Dev login hands out the city's first three objects; the fourth, everything created later and all of Chengdu are someone else's.
    expect(as.station_operator.user.holdings).toMatchObject({ stationIds: seeded.chongqing.stations.slice(0, 3), merchantIds: [] });
    expect(as.merchant_owner.user.holdings).toMatchObject({ merchantIds: seeded.chongqing.merchants.slice(0, 3), stationIds: [] });
    held.station = seeded.chongqing.stations[0]!;
    held.merchant = seeded.chongqing.merchants[0]!;
  });
  afterAll(() => t.close());

  /** The object a row acts on: the held one for the holding role's "mine", otherwise a fresh one, so writes never collide. */
  async function prepare(rc: RouteCase, actor: Actor, rel: Relation): Promise<Target> {
    const city = cityOf(rel);
    const now = t.clock.now();
    const kind = rc.kind;
    const tag = `M${next()}`;
    if (kind === 'station') {
      if (rel === 'mine' && actor === 'station_operator' && rc.holder === actor) return { kind, id: held.station, city, tag };
      return { kind, id: (await t.storage.stations.create(stationAt(city), now)).id, city, tag };
    }
    if (kind === 'merchant') {
      if (rel === 'mine' && actor === 'merchant_owner' && rc.holder === actor) return { kind, id: held.merchant, city, tag };
      return { kind, id: (await t.storage.merchants.create(merchantAt(city), now)).id, city, tag };
    }
    if (kind === 'staff') {
      const staff = await t.storage.staff.create({
        username: `matrix-staff-${next()}`, displayName: '被管理的门岗', passwordHash: null, role: 'gate_guard', city,
        stationIds: [], merchantIds: [], compoundIds: [], bodyIds: [], status: 'active', isDemo: false,
      }, now);
      return { kind, id: staff.id, city, tag };
    }
    if (kind === 'rider') {
      const { rider } = await t.storage.riders.findOrCreateByOpenid(`matrix-rider-${next()}`, null, now, { city });
      return { kind, id: rider.id, city, tag };
    }
    return { kind, id: '', city, tag };
  }

  async function docOf(target: Target): Promise<unknown> {
    if (target.kind === 'station') return t.storage.stations.get(target.id);
    if (target.kind === 'merchant') return t.storage.merchants.get(target.id);
    if (target.kind === 'staff') return t.storage.staff.get(target.id);
    if (target.kind === 'rider') return t.storage.riders.get(target.id);
    return null;
  }

  /** Everything a refused write could have touched. */
  async function world(target: Target) {
    const s = t.storage;
    return {
      target: await docOf(target),
      stations: { chongqing: await s.stations.count({ city: HOME }), chengdu: await s.stations.count({ city: AWAY }) },
      merchants: { chongqing: await s.merchants.count({ city: HOME }), chengdu: await s.merchants.count({ city: AWAY }) },
      staff: await s.staff.count(),
      invitations: (await s.codes.list({ kind: 'invitation', limit: 10_000 })).length,
      audit: (await s.audit.list({ limit: 10_000 })).length,
    };
  }

  const OFFER = {
    discount: { text: '骑手九折', kind: 'percent', percentOff: 10 },
    hours: { kind: 'weekly', days: { mon: [{ open: '09:00', close: '21:00' }] } },
    validTo: '2026-12-31T23:59:59+08:00',
  };
  const stationBody = (city: City) => ({
    name: '矩阵新驿站', city, ...PLACE[city], address: '矩阵路1号', hours: { kind: '24h' }, amenities: ['seating'], capacity: 6,
  });
  const merchantBody = (city: City) => ({
    name: '矩阵新商户', city, ...PLACE[city], address: '矩阵街2号', category: '餐饮',
    discount: { text: '满30减5', kind: 'amount', amountOff: 5, minSpend: 30 }, hours: { kind: '24h' },
  });
  const csv = (kind: 'stations' | 'merchants', city: City, externalId: string) => {
    const { district, location } = PLACE[city];
    return kind === 'stations'
      ? `externalId,name,city,district,address,lng,lat,hours,amenities,capacity\n${externalId},矩阵导入驿站,${city},${district},导入路1号,${location.lng},${location.lat},08:00-22:00,hot_water,4\n`
      : `externalId,name,city,district,address,lng,lat,category,discountText,hours\n${externalId},矩阵导入商户,${city},${district},导入街1号,${location.lng},${location.lat},餐饮,满30减5,10:00-22:00\n`;
  };

  const admin = (role: Role, rel: Relation) => role === 'city_admin' && rel === 'mine';
  const operatorOrAdmin = (role: Role, rel: Relation) => admin(role, rel) || (role === 'station_operator' && rel === 'mine');
  const ownerOrAdmin = (role: Role, rel: Relation) => admin(role, rel) || (role === 'merchant_owner' && rel === 'mine');
  const created = (_x: Target, res: Response) => res.body.data.id as string;
  const sameId = (x: Target) => x.id;

  const importCase = (kind: 'stations' | 'merchants'): RouteCase => ({
    route: `POST /api/v1/admin/import/${kind}`, kind: 'city', relations: ['mine'], refused: 403, ok: 200, allowed: admin,
    request: (x) => ({ method: 'post', path: `/api/v1/admin/import/${kind}`, type: 'text/csv', body: csv(kind, x.city, x.tag) }),
    audit: { action: `import.${kind}`, objectId: () => null },
    landed: async (x, res) => {
      expect(res.body.data).toMatchObject({ accepted: 1, inserted: 1, rejected: [] });
      const repo = kind === 'stations' ? t.storage.stations : t.storage.merchants;
      const all = await repo.list({ city: x.city, limit: 10_000 });
      expect(all.filter((d) => d.externalId === x.tag)).toHaveLength(1);
    },
  });

  const CASES: RouteCase[] = [
    {
      route: 'POST /api/v1/stations', kind: 'city', refused: 403, ok: 201, allowed: admin,
      request: (x) => ({ method: 'post', path: '/api/v1/stations', body: stationBody(x.city) }),
      audit: { action: 'station.create', objectId: created },
      landed: async (x, res) => expect(await t.storage.stations.get(res.body.data.id)).toMatchObject({ name: '矩阵新驿站', city: x.city }),
    },
    {
      route: 'PATCH /api/v1/stations/:id', kind: 'station', holder: 'station_operator', refused: 403, ok: 200, allowed: admin,
      request: (x) => ({ method: 'patch', path: `/api/v1/stations/${x.id}`, body: { name: '改名驿站', capacity: 12 } }),
      audit: { action: 'station.update', objectId: sameId },
      landed: async (x) => expect(await t.storage.stations.get(x.id)).toMatchObject({ name: '改名驿站', capacity: 12 }),
    },
    {
      route: 'DELETE /api/v1/stations/:id', kind: 'station', holder: 'station_operator', refused: 403, ok: 204, allowed: admin,
      request: (x) => ({ method: 'delete', path: `/api/v1/stations/${x.id}` }),
      audit: { action: 'station.delete', objectId: sameId },
      landed: async (x) => expect(await t.storage.stations.get(x.id)).toBeNull(),
    },
    {
      route: 'PUT /api/v1/stations/:id/occupancy', kind: 'station', holder: 'station_operator', refused: 403, ok: 200, allowed: operatorOrAdmin,
      request: (x) => ({ method: 'put', path: `/api/v1/stations/${x.id}/occupancy`, body: { available: 2 } }),
      audit: { action: 'station.occupancy', objectId: sameId },
      landed: async (x, _res, actorId) =>
        expect((await t.storage.stations.get(x.id))?.occupancy).toMatchObject({ available: 2, reportedBy: actorId }),
    },
    {
      route: 'PUT /api/v1/stations/:id/status', kind: 'station', holder: 'station_operator', refused: 403, ok: 200, allowed: operatorOrAdmin,
      request: (x) => ({ method: 'put', path: `/api/v1/stations/${x.id}/status`, body: { status: 'temporarily_closed', note: '设备检修' } }),
      audit: { action: 'station.status', objectId: sameId },
      landed: async (x) => expect(await t.storage.stations.get(x.id)).toMatchObject({ status: 'temporarily_closed', statusNote: '设备检修' }),
    },
    {
      route: 'POST /api/v1/merchants', kind: 'city', refused: 403, ok: 201, allowed: admin,
      request: (x) => ({ method: 'post', path: '/api/v1/merchants', body: merchantBody(x.city) }),
      audit: { action: 'merchant.create', objectId: created },
      landed: async (x, res) => expect(await t.storage.merchants.get(res.body.data.id)).toMatchObject({ name: '矩阵新商户', city: x.city }),
    },
    {
      route: 'PATCH /api/v1/merchants/:id {name}', kind: 'merchant', holder: 'merchant_owner', refused: 403, ok: 200, allowed: admin,
      request: (x) => ({ method: 'patch', path: `/api/v1/merchants/${x.id}`, body: { name: '改名商户' } }),
      audit: { action: 'merchant.update', objectId: sameId },
      landed: async (x) => expect(await t.storage.merchants.get(x.id)).toMatchObject({ name: '改名商户' }),
    },
    {
      route: 'PATCH /api/v1/merchants/:id {hours, discount, validTo}', kind: 'merchant', holder: 'merchant_owner', refused: 403, ok: 200, allowed: ownerOrAdmin,
      request: (x) => ({ method: 'patch', path: `/api/v1/merchants/${x.id}`, body: OFFER }),
      audit: { action: 'merchant.update', objectId: sameId },
      landed: async (x) => expect(await t.storage.merchants.get(x.id)).toMatchObject({
        discount: { text: '骑手九折', percentOff: 10 }, hours: OFFER.hours, validTo: new Date(OFFER.validTo),
      }),
    },
    {
      route: 'PATCH /api/v1/merchants/:id {discount, name}', kind: 'merchant', holder: 'merchant_owner', refused: 403, ok: 200, allowed: admin,
      request: (x) => ({ method: 'patch', path: `/api/v1/merchants/${x.id}`, body: { discount: OFFER.discount, name: '顺手改名' } }),
      audit: { action: 'merchant.update', objectId: sameId },
      landed: async (x) => expect(await t.storage.merchants.get(x.id)).toMatchObject({ name: '顺手改名', discount: { text: '骑手九折' } }),
    },
    {
      route: 'DELETE /api/v1/merchants/:id', kind: 'merchant', holder: 'merchant_owner', refused: 403, ok: 204, allowed: admin,
      request: (x) => ({ method: 'delete', path: `/api/v1/merchants/${x.id}` }),
      audit: { action: 'merchant.delete', objectId: sameId },
      landed: async (x) => expect(await t.storage.merchants.get(x.id)).toBeNull(),
    },
    importCase('stations'),
    importCase('merchants'),
    {
      route: 'POST /api/v1/admin/invitations', kind: 'city', relations: ['mine'], refused: 403, ok: 201, allowed: admin,
      request: () => ({ method: 'post', path: '/api/v1/admin/invitations', body: { role: 'station_operator', stationIds: [held.station] } }),
      audit: { action: 'invitation.create', objectId: created },
      landed: async (x, res) => {
        const list = await t.storage.codes.list({ kind: 'invitation', limit: 10_000 });
        expect(list.find((c) => c.id === res.body.data.id)).toMatchObject({ city: x.city, payload: { role: 'station_operator', stationIds: [held.station] } });
      },
    },
    {
      route: 'PATCH /api/v1/admin/staff/:id', kind: 'staff', refused: 404, ok: 200, allowed: admin,
      request: (x) => ({ method: 'patch', path: `/api/v1/admin/staff/${x.id}`, body: { displayName: '改过名的门岗' } }),
      audit: { action: 'staff.update', objectId: sameId },
      landed: async (x) => expect(await t.storage.staff.get(x.id)).toMatchObject({ displayName: '改过名的门岗' }),
    },
    {
      route: 'PATCH /api/v1/admin/riders/:id', kind: 'rider', refused: 404, ok: 200, allowed: admin,
      request: (x) => ({ method: 'patch', path: `/api/v1/admin/riders/${x.id}`, body: { verification: 'admin_verified' } }),
      audit: { action: 'rider.update', objectId: sameId },
      landed: async (x) => expect(await t.storage.riders.get(x.id)).toMatchObject({ verification: 'admin_verified' }),
    },
  ];

  it.each(matrix(CASES))('$title', async ({ rc, actor, rel, allowed, expected }) => {
    const target = await prepare(rc, actor, rel);
    const { method, path, body, type } = rc.request(target);
    const requestId = `authz-${next()}`;
    const before = await world(target);
    const auth = actor === 'anonymous' ? {} : as[actor].headers;
    const res = await send(t, method, path, { ...auth, 'X-Request-Id': requestId }, body, type);
    expect({ status: res.status, error: res.body?.error?.message }).toMatchObject({ status: expected });
    if (!allowed) {
      expect(res.body.error.status).toBe(expected);
      expect(await world(target)).toEqual(before);
      return;
    }
    const actorId = as[actor as Role].user.id;
    expect(await auditOf(t, requestId)).toEqual([expect.objectContaining({
      actorId, actorRole: actor, action: rc.audit.action, objectId: rc.audit.objectId(target, res), city: target.city, requestId,
    })]);
    await rc.landed(target, res, actorId);
  });

  describe('a city administrator stays inside its city', () => {
    it.each([
      ['station', '/api/v1/stations'],
      ['merchant', '/api/v1/merchants'],
    ] as const)('may not move a %s of its city into another city (403)', async (kind, prefix) => {
      const repo = kind === 'station' ? t.storage.stations : t.storage.merchants;
      const doc = kind === 'station' ? await t.storage.stations.create(stationAt(HOME), t.clock.now()) : await t.storage.merchants.create(merchantAt(HOME), t.clock.now());
      const before = await world({ kind, id: doc.id, city: HOME, tag: '' });
      const res = await t.http.patch(`${prefix}/${doc.id}`).set(as.city_admin.headers).send({ city: AWAY, ...PLACE[AWAY] });
      expect(await repo.get(doc.id)).toEqual(doc);
      expect(res.status).toBe(403);
      expect(await world({ kind, id: doc.id, city: HOME, tag: '' })).toEqual(before);
    });

    it.each(['stations', 'merchants'] as const)('rejects %s rows of another city row by row and writes nothing', async (kind) => {
      const before = await world({ kind: 'city', id: '', city: HOME, tag: '' });
      const res = await t.http.post(`/api/v1/admin/import/${kind}`).set(as.city_admin.headers).set('Content-Type', 'text/csv')
        .send(csv(kind, AWAY, `AWAY-${next()}`));
      expect(res.status).toBe(200);
      expect(res.body.data).toMatchObject({ accepted: 0, inserted: 0, updated: 0, rejected: [expect.objectContaining({ fields: [expect.objectContaining({ field: 'city' })] })] });
      const after = await world({ kind: 'city', id: '', city: HOME, tag: '' });
      expect({ ...after, audit: before.audit }).toEqual(before); // only the import's own audit entry may be new
    });

    it.each(['stations', 'merchants'] as const)('may not overwrite another city\'s %s by importing a row with its externalId', async (kind) => {
      const externalId = `CD-OWNED-${next()}`;
      const doc = kind === 'stations'
        ? await t.storage.stations.create({ ...stationAt(AWAY), externalId }, t.clock.now())
        : await t.storage.merchants.create({ ...merchantAt(AWAY), externalId }, t.clock.now());
      const res = await t.http.post(`/api/v1/admin/import/${kind}`).set(as.city_admin.headers).set('Content-Type', 'text/csv')
        .send(csv(kind, HOME, externalId));
      const repo = kind === 'stations' ? t.storage.stations : t.storage.merchants;
      expect(await repo.get(doc.id)).toEqual(doc);
      expect(res.body.data?.updated ?? 0).toBe(0);
    });

    it('may not invite staff holding another city\'s stations (422) and creates no invitation', async () => {
      const away = await t.storage.stations.create(stationAt(AWAY), t.clock.now());
      const before = await world({ kind: 'city', id: '', city: HOME, tag: '' });
      const res = await t.http.post('/api/v1/admin/invitations').set(as.city_admin.headers).send({ role: 'station_operator', stationIds: [away.id] });
      expect(res.status).toBe(422);
      expect(await world({ kind: 'city', id: '', city: HOME, tag: '' })).toEqual(before);
    });

    it('may not hand a staff member of its city another city\'s merchants (422)', async () => {
      const away = await t.storage.merchants.create(merchantAt(AWAY), t.clock.now());
      const target = await prepare({ kind: 'staff' } as RouteCase, 'city_admin', 'mine');
      const before = await world(target);
      const res = await t.http.patch(`/api/v1/admin/staff/${target.id}`).set(as.city_admin.headers).send({ merchantIds: [away.id] });
      expect(res.status).toBe(422);
      expect(await world(target)).toEqual(before);
    });

    it.each([['staff member', 'staff'], ['rider', 'rider']] as const)('answers a %s of another city exactly like one that does not exist (404)', async (_noun, kind) => {
      const target = await prepare({ kind } as RouteCase, 'city_admin', 'other-city');
      const path = kind === 'staff' ? '/api/v1/admin/staff/' : '/api/v1/admin/riders/';
      const body = kind === 'staff' ? { displayName: '试探' } : { status: 'suspended' };
      const other = await t.http.patch(path + target.id).set(as.city_admin.headers).send(body);
      const missing = await t.http.patch(path + 'ffffffffffffffffffffffff').set(as.city_admin.headers).send(body);
      expect(other.status).toBe(404);
      expect(other.body).toEqual(missing.body);
    });
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Holdings are read on every request
// ---------------------------------------------------------------------------------------------------------------

describe('holdings granted by invitation', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  it('lets an invited operator report its station only while it holds it, and not once disabled', async () => {
    const mine = await t.storage.stations.create(stationAt(HOME), t.clock.now());
    const other = await t.storage.stations.create(stationAt(HOME), t.clock.now());
    const inv = await t.http.post('/api/v1/admin/invitations').set(t.admin).send({ role: 'station_operator', stationIds: [mine.id] });
    expect(inv.status).toBe(201);
    const accept = { code: inv.body.data.code, username: `matrix-op-${next()}`, displayName: '受邀运营方', password: 'Matrix-pass-2026' };
    expect((await t.http.post('/api/v1/auth/invitations/accept').send({ ...accept, code: 'NOSUCHCODE' })).status).toBe(404);
    const joined = await t.http.post('/api/v1/auth/invitations/accept').send(accept);
    expect(joined.status).toBe(201);
    expect(joined.body.user).toMatchObject({ role: 'station_operator', city: HOME, holdings: { stationIds: [mine.id], merchantIds: [] } });
    expect((await t.http.post('/api/v1/auth/invitations/accept').send({ ...accept, username: `matrix-op-${next()}` })).status).toBe(410);
    const op = { Authorization: `Bearer ${joined.body.accessToken}` };
    const report = (id: string) => t.http.put(`/api/v1/stations/${id}/occupancy`).set(op).send({ available: 1 });

    expect((await report(mine.id)).status).toBe(200);
    expect((await report(other.id)).status).toBe(403);
    const moved = await t.http.patch(`/api/v1/admin/staff/${joined.body.user.id}`).set(t.admin).send({ stationIds: [other.id] });
    expect(moved.status).toBe(200);
    expect((await report(mine.id)).status).toBe(403);
    expect((await report(other.id)).status).toBe(200);
    expect((await t.http.patch(`/api/v1/admin/staff/${joined.body.user.id}`).set(t.admin).send({ status: 'disabled' })).status).toBe(200);
    const after = await report(other.id);
    expect(after.status).toBe(401); // disabling ends every session of the account
    expect((await t.storage.stations.get(other.id))?.occupancy.available).toBe(1);
  });

  it('does not let a Chengdu administrator re-assign a Chongqing operator (404)', async () => {
    const op = await t.login('station_operator', HOME);
    const before = await t.storage.staff.get(op.user.id);
    const res = await t.http.patch(`/api/v1/admin/staff/${op.user.id}`).set(t.adminCd).send({ status: 'disabled' });
    expect(res.status).toBe(404);
    expect(await t.storage.staff.get(op.user.id)).toEqual(before);
    expect((await t.http.get('/api/v1/me').set(op.headers)).status).toBe(200);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Routes that act only on the caller: /api/v1/me, logout, refresh; and the bot's service-token route
// ---------------------------------------------------------------------------------------------------------------

describe('authorization matrix: routes that act on the caller\'s own account', () => {
  let t: TestApp;
  let fake: FakeWeChat;
  const as = {} as Record<Role, Session>;

  beforeAll(async () => {
    fake = await startFakeWeChat();
    t = await buildTestApp({ WECHAT_API_BASE: fake.baseURL, WECHAT_APPID: fake.state.appId, WECHAT_SECRET: fake.state.appSecret });
    for (const role of ROLES) as[role] = await t.login(role, HOME);
  });
  afterAll(async () => {
    await t.close();
    await fake.close();
  });

  const accountOf = (role: Role, id: string): Promise<unknown> => (role === 'rider' ? t.storage.riders.get(id) : t.storage.staff.get(id));

  interface SelfCase {
    route: string;
    allowed(role: Role): boolean;
    ok: number;
    /** The request; `role` is undefined for the anonymous caller. */
    request(role?: Role): { method: Method; path: string; body?: unknown };
    /** Sends with a throw-away session instead of the shared one (logout ends it). */
    ownSession?: boolean;
    audit?: string;
    landed(role: Role, id: string, res: Response, session: Session): Promise<void>;
  }

  const PHONE = '13800138000';
  const CASES: SelfCase[] = [
    {
      route: 'PATCH /api/v1/me', allowed: () => true, ok: 200,
      request: () => ({ method: 'patch', path: '/api/v1/me', body: { displayName: '改个名字' } }),
      landed: async (role, id) => expect(await accountOf(role, id)).toMatchObject({ displayName: '改个名字' }),
    },
    {
      route: 'POST /api/v1/me/phone', allowed: (role) => role === 'rider', ok: 200,
      request: () => {
        const code = `phone-${next()}`;
        fake.state.phoneCodes.set(code, PHONE);
        return { method: 'post', path: '/api/v1/me/phone', body: { code } };
      },
      landed: async (role, id) => expect(await accountOf(role, id)).toMatchObject({ phone: PHONE }),
    },
    {
      route: 'POST /api/v1/me/wechat', allowed: (role) => role !== 'rider', ok: 200, audit: 'staff.bind_wechat',
      request: (role) => {
        const code = `js-${next()}`;
        fake.state.jsCodes.set(code, { openid: `openid-${role ?? 'anonymous'}-${code}` });
        return { method: 'post', path: '/api/v1/me/wechat', body: { code } };
      },
      landed: async (role, id) => expect(await accountOf(role, id)).toMatchObject({ wechatOpenid: expect.stringMatching(new RegExp(`^openid-${role}-js-`)) }),
    },
    {
      route: 'POST /api/v1/me/bot-bind-code', allowed: (role) => role !== 'rider', ok: 201,
      request: () => ({ method: 'post', path: '/api/v1/me/bot-bind-code', body: {} }),
      landed: async (_role, id, res) => {
        const code = await t.storage.codes.findByHash('bot_bind', sha256(normalizeCode(res.body.data.code)));
        expect(code).toMatchObject({ payload: { staffId: id }, createdBy: id, usedAt: null });
      },
    },
    {
      route: 'POST /api/v1/auth/logout', allowed: () => true, ok: 204, ownSession: true,
      request: () => ({ method: 'post', path: '/api/v1/auth/logout' }),
      landed: async (role, _id, _res, session) => {
        expect((await t.http.get('/api/v1/me').set(session.headers)).status).toBe(401);
        expect((await t.http.get('/api/v1/me').set(as[role].headers)).status).toBe(200); // only that login ended
      },
    },
  ];

  const rows = CASES.flatMap((rc) => [
    { title: `anonymous may not ${rc.route} (401)`, rc, actor: 'anonymous' as Actor, allowed: false, expected: 401 },
    ...ROLES.map((role) => {
      const allowed = rc.allowed(role);
      const expected = allowed ? rc.ok : 403;
      return { title: `${role} ${allowed ? 'may' : 'may not'} ${rc.route} for its own account (${expected})`, rc, actor: role as Actor, allowed, expected };
    }),
  ]);

  /** What a refused self-service call could have touched: the account, codes, WeChat, the audit trail. */
  async function world(role?: Role) {
    return {
      account: role ? await accountOf(role, as[role].user.id) : null,
      staff: await t.storage.staff.count(),
      botCodes: (await t.storage.codes.list({ kind: 'bot_bind', limit: 10_000 })).length,
      wechatCalls: fake.state.requests.filter((r) => r.endpoint !== 'stable_token').length,
      audit: (await t.storage.audit.list({ limit: 10_000 })).length,
    };
  }

  it.each(rows)('$title', async ({ rc, actor, allowed, expected }) => {
    const role = actor === 'anonymous' ? undefined : actor;
    const session = role && rc.ownSession ? await t.login(role, HOME) : role ? as[role] : undefined;
    const { method, path, body } = rc.request(role);
    const requestId = `self-${next()}`;
    const before = await world(role);
    const res = await send(t, method, path, { ...(session?.headers ?? {}), 'X-Request-Id': requestId }, body);
    expect({ status: res.status, error: res.body?.error?.message }).toMatchObject({ status: expected });
    if (!allowed || !role || !session) {
      expect(await world(role)).toEqual(before);
      return;
    }
    const id = session.user.id;
    if (rc.audit) {
      expect(await auditOf(t, requestId)).toEqual([expect.objectContaining({ actorId: id, actorRole: role, action: rc.audit, objectId: id, city: HOME, requestId })]);
    }
    await rc.landed(role, id, res, session);
  });

  describe('PATCH /api/v1/me cannot raise the caller\'s own rights', () => {
    it.each([
      ...STAFF.flatMap((role) => [
        [role, { role: 'city_admin' }],
        [role, { city: AWAY }],
        [role, { stationIds: ['aaaaaaaaaaaaaaaaaaaaaaaa'] }],
        [role, { merchantIds: ['aaaaaaaaaaaaaaaaaaaaaaaa'] }],
        [role, { bodyIds: ['aaaaaaaaaaaaaaaaaaaaaaaa'] }],
        [role, { status: 'active' }],
      ] as Array<[Role, Record<string, unknown>]>),
      ['rider', { verification: 'admin_verified' }],
      ['rider', { status: 'active' }],
      ['rider', { role: 'city_admin' }],
    ] as Array<[Role, Record<string, unknown>]>)('%s may not set %j on itself (422)', async (role, body) => {
      const before = await world(role);
      const res = await t.http.patch('/api/v1/me').set(as[role].headers).send(body);
      expect(res.status).toBe(422);
      expect(await world(role)).toEqual(before);
    });
  });

  describe('POST /api/v1/bot/bind (the bot process, by X-Bot-Token)', () => {
    /** Each case binds its own staff account, so an allowed bind never spoils a refused one. */
    const bind = async (role: StaffRole, headers: Headers) => {
      const staff = await t.login(role, AWAY);
      const made = await t.http.post('/api/v1/me/bot-bind-code').set(staff.headers).send({});
      expect(made.status).toBe(201);
      const code: string = made.body.data.code;
      const res = await t.http.post('/api/v1/bot/bind').set(headers).send({ code, contactId: `wxid_matrix_${next()}` });
      const stored = await t.storage.codes.findByHash('bot_bind', sha256(normalizeCode(code)));
      return { res, staff: await t.storage.staff.get(staff.user.id), stored };
    };

    it.each<[string, StaffRole, () => Headers]>([
      ['without X-Bot-Token', 'gate_guard', () => ({})],
      ['with a user\'s bearer token instead', 'property_manager', () => as.city_admin.headers],
      ['with a user\'s access token as X-Bot-Token', 'merchant_owner', () => ({ 'X-Bot-Token': as.city_admin.headers.Authorization.slice('Bearer '.length) })],
      ['with a wrong X-Bot-Token', 'station_operator', () => ({ 'X-Bot-Token': `${t.config.botToken}x` })],
    ])('refuses a bind %s (401) and leaves the code unused and the account unbound', async (_name, role, headers) => {
      const { res, staff, stored } = await bind(role, headers());
      expect(res.status).toBe(401);
      expect(staff?.botContactId).toBeNull();
      expect(stored?.usedAt).toBeNull();
    });

    it('binds with the configured X-Bot-Token (200)', async () => {
      const { res, staff, stored } = await bind('city_admin', { 'X-Bot-Token': t.config.botToken });
      expect(res.status).toBe(200);
      expect(staff?.botContactId).toMatch(/^wxid_matrix_/);
      expect(stored?.usedAt).not.toBeNull();
    });
  });

  describe('POST /api/v1/auth/refresh', () => {
    it.each<[string, () => string]>([
      ['an unknown refresh token', () => 'not-a-real-refresh-token'],
      ['an access token in place of a refresh token', () => as.rider.headers.Authorization.slice('Bearer '.length)],
    ])('refuses %s (401)', async (_name, token) => {
      const res = await t.http.post('/api/v1/auth/refresh').send({ refreshToken: token() });
      expect(res.status).toBe(401);
    });

    it('issues a new pair for the account the refresh token belongs to (200)', async () => {
      const s = await t.login('merchant_owner', HOME);
      const res = await t.http.post('/api/v1/auth/refresh').send({ refreshToken: s.refreshToken });
      expect(res.status).toBe(200);
      expect(res.body.user).toMatchObject({ id: s.user.id, role: 'merchant_owner' });
    });
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Platform keys (a city's administrators) and signed attestations (platforms' servers, never a user's token)
// ---------------------------------------------------------------------------------------------------------------

describe('authorization matrix: platform keys and attestations', () => {
  let t: TestApp;
  const as = {} as Record<Role, Session>;

  beforeAll(async () => {
    t = await buildTestApp();
    for (const role of ROLES) as[role] = await t.login(role, HOME);
  });
  afterAll(() => t.close());

  /** A fresh key of the relation's city for rows that act on one, registered by that city's administrator. */
  async function prepare(rc: RouteCase, rel: Relation): Promise<Target> {
    const city = cityOf(rel);
    const tag = `P${next()}`;
    if (rc.kind !== 'platform_key') return { kind: rc.kind, id: '', city, tag };
    const res = await t.http.post('/api/v1/platform/keys').set(city === HOME ? t.admin : t.adminCd).send({ platform: '美团' });
    expect(res.status).toBe(201);
    return { kind: rc.kind, id: res.body.data.id as string, city, tag };
  }

  async function world(target: Target) {
    const keys = (city: City) => t.storage.platformKeys.list({ city, limit: 10_000 });
    return {
      key: target.id ? await t.storage.platformKeys.get(target.id) : null,
      keys: { chongqing: await keys(HOME), chengdu: await keys(AWAY) },
      audit: (await t.storage.audit.list({ limit: 10_000 })).length,
    };
  }

  const admin = (role: Role, rel: Relation) => role === 'city_admin' && rel === 'mine';
  const CASES: RouteCase[] = [
    {
      route: 'POST /api/v1/platform/keys', kind: 'city', relations: ['mine'], refused: 403, ok: 201, allowed: admin,
      request: () => ({ method: 'post', path: '/api/v1/platform/keys', body: { platform: '饿了么' } }),
      audit: { action: 'platform_key.create', objectId: (_x, res) => res.body.data.id as string },
      landed: async (x, res, actorId) => expect(await t.storage.platformKeys.get(res.body.data.id)).toMatchObject({
        platform: '饿了么', city: x.city, createdBy: actorId, revokedAt: null,
      }),
    },
    {
      route: 'POST /api/v1/platform/keys/:id/revoke', kind: 'platform_key', refused: 404, ok: 200, allowed: admin,
      request: (x) => ({ method: 'post', path: `/api/v1/platform/keys/${x.id}/revoke` }),
      audit: { action: 'platform_key.revoke', objectId: (x) => x.id },
      landed: async (x, _res, actorId) => expect(await t.storage.platformKeys.get(x.id)).toMatchObject({ revokedAt: t.clock.now(), revokedBy: actorId }),
    },
  ];

  it.each(matrix(CASES))('$title', async ({ rc, actor, rel, allowed, expected }) => {
    const target = await prepare(rc, rel);
    const { method, path, body } = rc.request(target);
    const requestId = `authz-platform-${next()}`;
    const before = await world(target);
    const res = await send(t, method, path, { ...(actor === 'anonymous' ? {} : as[actor].headers), 'X-Request-Id': requestId }, body);
    expect({ status: res.status, error: res.body?.error?.message }).toMatchObject({ status: expected });
    if (!allowed) {
      expect(res.body.error.status).toBe(expected);
      expect(await world(target)).toEqual(before);
      return;
    }
    const actorId = as[actor as Role].user.id;
    expect(await auditOf(t, requestId)).toEqual([expect.objectContaining({
      actorId, actorRole: actor, action: rc.audit.action, objectId: rc.audit.objectId(target, res), city: target.city, requestId,
    })]);
    await rc.landed(target, res, actorId);
  });

  it.each<Actor>(['anonymous', ...ROLES])('%s may not POST /api/v1/platform/attestations without a signature, whatever bearer token it sends (401)', async (actor) => {
    const { rider } = await t.storage.riders.findOrCreateByOpenid(`matrix-attested-${next()}`, null, t.clock.now(), { city: HOME });
    await t.storage.riders.update(rider.id, { phone: '13800138000' }, t.clock.now());
    const res = await send(t, 'post', '/api/v1/platform/attestations', actor === 'anonymous' ? {} : as[actor].headers,
      JSON.stringify({ riderPhone: '13800138000', activeSince: '2026-01-01', onTimeRate: 1, atFaultAccidents: 0, complaints: 0 }), 'application/json');
    expect([res.status, res.body.error.details.reason]).toEqual([401, 'missing_header']);
    await expect(t.storage.attestations.latestFor(rider.id)).resolves.toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Compounds (小哥进小区): city administrators write compounds; a compound's managers (and its city's administrators)
// run its access; its guards and gate devices check riders at its gates; riders ask for access and show their passes
// ---------------------------------------------------------------------------------------------------------------

describe('authorization matrix: compounds, access requests, passes, blocks, devices and gate checks', () => {
  let t: TestApp;
  const as = {} as Record<Role, Session>;
  /** A Chongqing compound the property_manager and the gate_guard hold (the dev login hands out the city's first three). */
  let held = '';
  const HOLDERS: Role[] = ['property_manager', 'gate_guard'];
  /** A syntactically valid entry code of a pass number no compound has issued: the check runs and is refused. */
  const UNKNOWN_CODE = '9999999 000 0000';
  const adminOf = (city: City) => (city === HOME ? t.admin : t.adminCd);

  const compoundAt = (city: City): CompoundInput => ({
    externalId: null, name: `矩阵小区${next()}`, city, ...PLACE[city], address: '矩阵巷3号', propertyCompany: null,
    gates: [{ id: 'east', name: '东门', location: null }], policy: { mode: 'manual', rules: rulesSchema.parse({}) }, notes: null, isDemo: false,
  });

  beforeAll(async () => {
    t = await buildTestApp();
    const seeded: Record<City, string[]> = { chongqing: [], chengdu: [] };
    for (const city of [HOME, AWAY]) for (let i = 0; i < 4; i++) seeded[city].push((await t.storage.compounds.create(compoundAt(city), t.clock.now())).id);
    for (const role of ROLES) as[role] = await t.login(role, HOME);
    for (const role of HOLDERS) expect(as[role].user.holdings).toMatchObject({ compoundIds: seeded.chongqing.slice(0, 3) });
    held = seeded.chongqing[0]!;
  });
  afterAll(() => t.close());

  /** What a row needs inside its compound, made before the row's request (by storage or the city's administrator). */
  type Given = 'request' | 'pass' | 'block' | 'device' | 'place_code';
  type CompoundCase = Omit<RouteCase, 'audit'> & { given?: Given; audit: RouteCase['audit'] | null };

  const freshRider = async (city: City) =>
    (await t.storage.riders.findOrCreateByOpenid(`matrix-compound-rider-${next()}`, null, t.clock.now(), { city })).rider.id;

  async function pendingRequest(compound: Compound, riderId: string): Promise<string> {
    const now = t.clock.now();
    return (await t.storage.accessRequests.create({
      id: newId(), compoundId: compound.id, city: compound.city, riderId, reason: '矩阵申请', durationDays: 7, status: 'pending',
      decidedBy: null, decidedAt: null, decisionNote: null, passId: null, createdAt: now, updatedAt: now,
    })).id;
  }

  /** A pass of the rider at the compound, approved over HTTP by the compound's city administrator. */
  async function passOf(compound: Compound, riderId: string): Promise<string> {
    const res = await t.http.post(`/api/v1/access-requests/${await pendingRequest(compound, riderId)}/approve`).set(adminOf(compound.city)).send({});
    expect(res.status).toBe(200);
    return res.body.data.pass.id as string;
  }

  async function given(what: Given | undefined, c: Compound, riderId: string): Promise<string | undefined> {
    const admin = adminOf(c.city);
    if (what === 'request') return pendingRequest(c, riderId);
    if (what === 'pass') return passOf(c, riderId);
    if (what === 'block') {
      const res = await t.http.post(`/api/v1/compounds/${c.id}/blocks`).set(admin).send({ riderId, reason: '矩阵禁止' });
      expect(res.status).toBe(201);
      return res.body.data.block.id as string;
    }
    if (what === 'device') {
      const res = await t.http.post(`/api/v1/compounds/${c.id}/devices`).set(admin).send({ name: '矩阵门禁' });
      expect(res.status).toBe(201);
      return res.body.data.device.id as string;
    }
    if (what === 'place_code') {
      const res = await t.http.get(`/api/v1/compounds/${c.id}/gates/east/place-code`).set(admin);
      expect(res.status).toBe(200);
      return res.body.data.code as string;
    }
    return undefined;
  }

  /** The compound a row acts on: the held one for its holders' "mine", otherwise a fresh one; then what the row needs in it. */
  async function prepare(rc: Pick<CompoundCase, 'kind' | 'holder' | 'given'>, actor: Actor, rel: Relation): Promise<Target> {
    const city = cityOf(rel);
    const tag = `C${next()}`;
    if (rc.kind !== 'compound') return { kind: rc.kind, id: '', city, tag };
    const id = rel === 'mine' && holds(rc, actor) ? held : (await t.storage.compounds.create(compoundAt(city), t.clock.now())).id;
    const compound = (await t.storage.compounds.get(id))!;
    const riderId = await freshRider(city);
    return { kind: rc.kind, id, city, tag, riderId, ref: await given(rc.given, compound, riderId) };
  }

  /** Everything a refused call could have touched: the compound and what is in it, the rider actor's requests, the outbox, the audit trail. */
  async function world(x: Target) {
    const s = t.storage;
    const at = (compoundId: string) => Promise.all([
      s.accessRequests.list({ compoundIds: [compoundId], limit: 10_000 }),
      s.blocks.list({ compoundId, limit: 10_000 }),
      s.gateDevices.list({ compoundId, limit: 10_000 }),
      s.entries.list({ compoundId, limit: 10_000 }),
    ]);
    return {
      compound: x.id ? await s.compounds.get(x.id) : null,
      inside: x.id ? await at(x.id) : null,
      held: await at(held),
      compounds: { chongqing: await s.compounds.count({ city: HOME }), chengdu: await s.compounds.count({ city: AWAY }) },
      passes: x.riderId ? await s.passes.listByRider(x.riderId, { limit: 10_000 }) : null,
      riderRequests: await s.accessRequests.list({ riderId: as.rider.user.id, limit: 10_000 }),
      outbox: await s.outbox.pending(t.clock.now()),
      audit: (await s.audit.list({ limit: 10_000 })).length,
    };
  }

  const admin = (role: Role, rel: Relation) => role === 'city_admin' && rel === 'mine';
  const manager = (role: Role, rel: Relation) => admin(role, rel) || (role === 'property_manager' && rel === 'mine');
  const guard = (role: Role, rel: Relation) => role === 'gate_guard' && rel === 'mine';
  const riderOnly = (role: Role) => role === 'rider';
  const sameId = (x: Target) => x.id;
  const theRef = (x: Target) => x.ref!;
  const compoundBody = (city: City) => ({ name: '矩阵新小区', city, ...PLACE[city], address: '矩阵巷9号', gates: [{ id: 'east', name: '东门' }] });
  const POLICY = { mode: 'manual', rules: { hours: [{ open: '07:00', close: '23:00' }], maxPassDays: 20 } };
  const csv = (city: City, externalId: string) => {
    const { district, location } = PLACE[city];
    return `externalId,name,city,district,address,lng,lat,gates\n${externalId},矩阵导入小区,${city},${district},导入巷1号,${location.lng},${location.lat},east:东门\n`;
  };
  const pendingOf = (x: Target, res: Response, actorId: string, id: string) =>
    t.storage.accessRequests.get(id).then((r) => expect(r).toMatchObject({ riderId: actorId, compoundId: x.id, status: 'pending' }));

  const CASES: CompoundCase[] = [
    {
      route: 'POST /api/v1/compounds', kind: 'city', refused: 403, ok: 201, allowed: admin,
      request: (x) => ({ method: 'post', path: '/api/v1/compounds', body: compoundBody(x.city) }),
      audit: { action: 'compound.create', objectId: (_x, res) => res.body.data.id as string },
      landed: async (x, res) => expect(await t.storage.compounds.get(res.body.data.id)).toMatchObject({ name: '矩阵新小区', city: x.city }),
    },
    {
      route: 'POST /api/v1/admin/import/compounds', kind: 'city', relations: ['mine'], refused: 403, ok: 200, allowed: admin,
      request: (x) => ({ method: 'post', path: '/api/v1/admin/import/compounds', type: 'text/csv', body: csv(x.city, x.tag) }),
      audit: { action: 'import.compounds', objectId: () => null },
      landed: async (x, res) => {
        expect(res.body.data).toMatchObject({ accepted: 1, inserted: 1, rejected: [] });
        expect((await t.storage.compounds.list({ city: x.city, limit: 10_000 })).filter((c) => c.externalId === x.tag)).toHaveLength(1);
      },
    },
    {
      route: 'PATCH /api/v1/compounds/:id {name}', kind: 'compound', holder: HOLDERS, refused: 403, ok: 200, allowed: admin,
      request: (x) => ({ method: 'patch', path: `/api/v1/compounds/${x.id}`, body: { name: '改名小区' } }),
      audit: { action: 'compound.update', objectId: sameId },
      landed: async (x) => expect(await t.storage.compounds.get(x.id)).toMatchObject({ name: '改名小区' }),
    },
    {
      route: 'PATCH /api/v1/compounds/:id {policy, notes}', kind: 'compound', holder: HOLDERS, refused: 403, ok: 200, allowed: manager,
      request: (x) => ({ method: 'patch', path: `/api/v1/compounds/${x.id}`, body: { policy: POLICY, notes: `走东门 ${x.tag}` } }),
      audit: { action: 'compound.update', objectId: sameId },
      landed: async (x) => expect(await t.storage.compounds.get(x.id)).toMatchObject({
        notes: `走东门 ${x.tag}`, policy: { mode: 'manual', rules: { hours: POLICY.rules.hours, maxPassDays: 20 } },
      }),
    },
    {
      route: 'PATCH /api/v1/compounds/:id {notes, gates}', kind: 'compound', holder: HOLDERS, refused: 403, ok: 200, allowed: admin,
      request: (x) => ({ method: 'patch', path: `/api/v1/compounds/${x.id}`, body: { notes: '顺手改门', gates: [{ id: 'east', name: '东门' }, { id: 'west', name: '西门' }] } }),
      audit: { action: 'compound.update', objectId: sameId },
      landed: async (x) => expect((await t.storage.compounds.get(x.id))?.gates.map((g) => g.id)).toEqual(['east', 'west']),
    },
    {
      route: 'DELETE /api/v1/compounds/:id', kind: 'compound', holder: HOLDERS, refused: 403, ok: 204, allowed: admin,
      request: (x) => ({ method: 'delete', path: `/api/v1/compounds/${x.id}` }),
      audit: { action: 'compound.delete', objectId: sameId },
      landed: async (x) => expect(await t.storage.compounds.get(x.id)).toBeNull(),
    },
    {
      route: 'POST /api/v1/access-requests/:id/approve', kind: 'compound', holder: HOLDERS, given: 'request', refused: 403, ok: 200, allowed: manager,
      request: (x) => ({ method: 'post', path: `/api/v1/access-requests/${x.ref}/approve`, body: { durationDays: 3 } }),
      audit: { action: 'access.approve', objectId: theRef },
      landed: async (x, res, actorId) => {
        expect(await t.storage.accessRequests.get(x.ref!)).toMatchObject({ status: 'approved', decidedBy: actorId, passId: res.body.data.pass.id });
        expect(await t.storage.passes.get(res.body.data.pass.id)).toMatchObject({ riderId: x.riderId, compoundId: x.id, status: 'active' });
      },
    },
    {
      route: 'POST /api/v1/access-requests/:id/deny', kind: 'compound', holder: HOLDERS, given: 'request', refused: 403, ok: 200, allowed: manager,
      request: (x) => ({ method: 'post', path: `/api/v1/access-requests/${x.ref}/deny`, body: { reason: '不在配送范围' } }),
      audit: { action: 'access.deny', objectId: theRef },
      landed: async (x, _res, actorId) =>
        expect(await t.storage.accessRequests.get(x.ref!)).toMatchObject({ status: 'denied', decidedBy: actorId, decisionNote: '不在配送范围', passId: null }),
    },
    {
      route: 'POST /api/v1/passes/:id/revoke', kind: 'compound', holder: HOLDERS, given: 'pass', refused: 403, ok: 200, allowed: manager,
      request: (x) => ({ method: 'post', path: `/api/v1/passes/${x.ref}/revoke`, body: { reason: '在小区内骑快车' } }),
      audit: { action: 'pass.revoke', objectId: theRef },
      landed: async (x, _res, actorId) =>
        expect(await t.storage.passes.get(x.ref!)).toMatchObject({ status: 'revoked', revokedBy: actorId, revokeReason: '在小区内骑快车' }),
    },
    {
      route: 'POST /api/v1/compounds/:id/blocks', kind: 'compound', holder: HOLDERS, refused: 403, ok: 201, allowed: manager,
      request: (x) => ({ method: 'post', path: `/api/v1/compounds/${x.id}/blocks`, body: { riderId: x.riderId, reason: '多次逆行' } }),
      audit: { action: 'compound.block', objectId: sameId },
      landed: async (x, res, actorId) =>
        expect(await t.storage.blocks.findActive(x.riderId!, x.id)).toMatchObject({ id: res.body.data.block.id, createdBy: actorId, reason: '多次逆行' }),
    },
    {
      route: 'POST /api/v1/compounds/:id/blocks/:blockId/lift', kind: 'compound', holder: HOLDERS, given: 'block', refused: 403, ok: 200, allowed: manager,
      request: (x) => ({ method: 'post', path: `/api/v1/compounds/${x.id}/blocks/${x.ref}/lift` }),
      audit: { action: 'compound.unblock', objectId: sameId },
      landed: async (x, _res, actorId) => {
        expect(await t.storage.blocks.findActive(x.riderId!, x.id)).toBeNull();
        const [block] = (await t.storage.blocks.list({ compoundId: x.id, limit: 10_000 })).filter((b) => b.id === x.ref);
        expect(block).toMatchObject({ liftedBy: actorId, liftedAt: t.clock.now() });
      },
    },
    {
      route: 'POST /api/v1/compounds/:id/devices', kind: 'compound', holder: HOLDERS, refused: 403, ok: 201, allowed: manager,
      request: (x) => ({ method: 'post', path: `/api/v1/compounds/${x.id}/devices`, body: { name: '东门平板' } }),
      audit: { action: 'compound.device', objectId: sameId },
      landed: async (x, res, actorId) => {
        expect(res.body.data.token).toMatch(/^gd_/);
        expect(await t.storage.gateDevices.get(res.body.data.device.id)).toMatchObject({ compoundId: x.id, name: '东门平板', createdBy: actorId, revokedAt: null });
      },
    },
    {
      route: 'POST /api/v1/compounds/:id/devices/:deviceId/revoke', kind: 'compound', holder: HOLDERS, given: 'device', refused: 403, ok: 200, allowed: manager,
      request: (x) => ({ method: 'post', path: `/api/v1/compounds/${x.id}/devices/${x.ref}/revoke` }),
      audit: { action: 'compound.device.revoke', objectId: sameId },
      landed: async (x) => expect(await t.storage.gateDevices.get(x.ref!)).toMatchObject({ compoundId: x.id, revokedAt: t.clock.now() }),
    },
    {
      // A gate check writes an entry event, not a staff audit entry.
      route: 'POST /api/v1/gates/verify', kind: 'compound', holder: HOLDERS, refused: 403, ok: 200, allowed: guard,
      request: (x) => ({ method: 'post', path: '/api/v1/gates/verify', body: { compoundId: x.id, gateId: 'east', code: UNKNOWN_CODE } }),
      audit: null,
      landed: async (x, res, actorId) => {
        expect(res.body.data).toMatchObject({ allowed: false, reason: 'unknown_pass' });
        const [entry] = await t.storage.entries.list({ compoundId: x.id, limit: 1 });
        expect(entry).toMatchObject({ id: res.body.data.entryId, checkedBy: actorId, checkerKind: 'staff', gateId: 'east', reason: 'unknown_pass' });
      },
    },
    {
      // Riders act for themselves: no staff audit entry. Any compound, in either city (川渝通办).
      route: 'POST /api/v1/access-requests', kind: 'compound', refused: 403, ok: 201, allowed: riderOnly,
      request: (x) => ({ method: 'post', path: '/api/v1/access-requests', body: { compoundId: x.id, reason: '送外卖', durationDays: 7 } }),
      audit: null,
      landed: (x, res, actorId) => pendingOf(x, res, actorId, res.body.data.request.id as string),
    },
    {
      route: 'POST /api/v1/place-codes/scan', kind: 'compound', given: 'place_code', refused: 403, ok: 200, allowed: riderOnly,
      request: (x) => ({ method: 'post', path: '/api/v1/place-codes/scan', body: { code: x.ref } }),
      audit: null,
      landed: async (x, res, actorId) => {
        expect(res.body.data).toMatchObject({ compoundId: x.id, gateId: 'east', pass: null });
        await pendingOf(x, res, actorId, res.body.data.request.id as string);
      },
    },
  ];

  it.each(matrix(CASES))('$title', async ({ rc, actor, rel, allowed, expected }) => {
    const target = await prepare(rc, actor, rel);
    const { method, path, body, type } = rc.request(target);
    const requestId = `authz-compound-${next()}`;
    const before = await world(target);
    const res = await send(t, method, path, { ...(actor === 'anonymous' ? {} : as[actor].headers), 'X-Request-Id': requestId }, body, type);
    expect({ status: res.status, error: res.body?.error?.message }).toMatchObject({ status: expected });
    if (!allowed) {
      expect(res.body.error.status).toBe(expected);
      expect(await world(target)).toEqual(before);
      return;
    }
    const actorId = as[actor as Role].user.id;
    expect(await auditOf(t, requestId)).toEqual(rc.audit ? [expect.objectContaining({
      actorId, actorRole: actor, action: rc.audit.action, objectId: rc.audit.objectId(target, res), city: target.city, requestId,
    })] : []);
    await rc.landed(target, res, actorId);
  });

  describe('a manager stays inside the compounds it holds', () => {
    /** A block or device of a compound it does not hold, addressed through the path of the compound it holds. */
    it.each(['block', 'device'] as const)('may not reach another compound\'s %s through its own compound\'s path (404)', async (what) => {
      const other = await prepare({ kind: 'compound', given: what }, 'property_manager', 'unheld');
      const before = await world(other);
      const path = what === 'block' ? `/api/v1/compounds/${held}/blocks/${other.ref}/lift` : `/api/v1/compounds/${held}/devices/${other.ref}/revoke`;
      const res = await t.http.post(path).set(as.property_manager.headers).send({});
      expect(res.status).toBe(404);
      expect(await world(other)).toEqual(before);
    });

    it.each<[string, Record<string, unknown>]>([
      ['move it to another city', { policy: POLICY, city: AWAY, ...PLACE[AWAY] }],
      ['rename it along with its notes', { notes: '顺手', name: '物业改名' }],
      ['change its gates', { gates: [{ id: 'west', name: '西门' }] }],
    ])('may not %s (403), naming the fields', async (_what, body) => {
      const x: Target = { kind: 'compound', id: held, city: HOME, tag: '' };
      const before = await world(x);
      const res = await t.http.patch(`/api/v1/compounds/${held}`).set(as.property_manager.headers).send(body);
      expect(res.status).toBe(403);
      expect(res.body.error.details.fields).toEqual(Object.keys(body).filter((k) => k !== 'policy' && k !== 'notes'));
      expect(await world(x)).toEqual(before);
    });
  });

  describe('a city administrator stays inside its city', () => {
    it('may not move a compound of its city into another city (403)', async () => {
      const x = await prepare({ kind: 'compound' }, 'city_admin', 'mine');
      const before = await world(x);
      const res = await t.http.patch(`/api/v1/compounds/${x.id}`).set(as.city_admin.headers).send({ city: AWAY, ...PLACE[AWAY] });
      expect(res.status).toBe(403);
      expect(await world(x)).toEqual(before);
    });

    it('rejects compound rows of another city row by row and writes nothing', async () => {
      const x: Target = { kind: 'city', id: '', city: HOME, tag: '' };
      const before = await world(x);
      const res = await t.http.post('/api/v1/admin/import/compounds').set(as.city_admin.headers).set('Content-Type', 'text/csv').send(csv(AWAY, `AWAY-${next()}`));
      expect(res.status).toBe(200);
      expect(res.body.data).toMatchObject({ accepted: 0, inserted: 0, updated: 0, rejected: [expect.objectContaining({ fields: [expect.objectContaining({ field: 'city' })] })] });
      expect({ ...(await world(x)), audit: before.audit }).toEqual(before); // only the import's own audit entry may be new
    });

    it('may not overwrite another city\'s compound by importing a row with its externalId', async () => {
      const externalId = `CD-OWNED-${next()}`;
      const doc = await t.storage.compounds.create({ ...compoundAt(AWAY), externalId }, t.clock.now());
      const res = await t.http.post('/api/v1/admin/import/compounds').set(as.city_admin.headers).set('Content-Type', 'text/csv').send(csv(HOME, externalId));
      expect(await t.storage.compounds.get(doc.id)).toEqual(doc);
      expect(res.body.data?.updated ?? 0).toBe(0);
    });
  });

  describe('POST /api/v1/gates/verify by a gate device credential (X-Gate-Device-Token)', () => {
    /** A device issued for the compound by its city's administrator; the token is shown once. */
    async function deviceOf(compoundId: string, city: City, revoked = false): Promise<{ id: string; token: string }> {
      const res = await t.http.post(`/api/v1/compounds/${compoundId}/devices`).set(adminOf(city)).send({ name: '门口扫码机' });
      expect(res.status).toBe(201);
      const id = res.body.data.device.id as string;
      if (revoked) expect((await t.http.post(`/api/v1/compounds/${compoundId}/devices/${id}/revoke`).set(adminOf(city)).send({})).status).toBe(200);
      return { id, token: res.body.data.token as string };
    }
    const fresh = async (city: City) => (await t.storage.compounds.create(compoundAt(city), t.clock.now())).id;

    it.each<[string, number, () => Promise<Headers>]>([
      ['a device of another compound of the city', 403, async () => ({ 'X-Gate-Device-Token': (await deviceOf(await fresh(HOME), HOME)).token })],
      ['a device of a compound in another city', 403, async () => ({ 'X-Gate-Device-Token': (await deviceOf(await fresh(AWAY), AWAY)).token })],
      ['a revoked device of the compound', 401, async () => ({ 'X-Gate-Device-Token': (await deviceOf(held, HOME, true)).token })],
      ['a token no device was issued', 401, async () => ({ 'X-Gate-Device-Token': `gd_${'x'.repeat(32)}` })],
      ['a bad device token beside the bearer token of the compound\'s own guard', 401, async () => ({ ...as.gate_guard.headers, 'X-Gate-Device-Token': 'gd_forged' })],
      ['a rider\'s bearer token in place of a device token', 401, async () => ({ 'X-Gate-Device-Token': as.rider.headers.Authorization.slice('Bearer '.length) })],
    ])('refuses %s (%i) and records no entry', async (_who, status, headers) => {
      const h = await headers();
      const x: Target = { kind: 'compound', id: held, city: HOME, tag: '' };
      const before = await world(x);
      const res = await t.http.post('/api/v1/gates/verify').set(h).send({ compoundId: held, gateId: 'east', code: UNKNOWN_CODE });
      expect([res.status, res.body.error?.status]).toEqual([status, status]);
      expect(await world(x)).toEqual(before);
    });

    it('lets a device of the compound check at its gates (200) and records the entry under the device', async () => {
      const device = await deviceOf(held, HOME);
      const requestId = `authz-device-${next()}`;
      const res = await t.http.post('/api/v1/gates/verify').set({ 'X-Gate-Device-Token': device.token, 'X-Request-Id': requestId })
        .send({ compoundId: held, gateId: 'east', code: UNKNOWN_CODE });
      expect(res.status).toBe(200);
      const [entry] = await t.storage.entries.list({ compoundId: held, limit: 1 });
      expect(entry).toMatchObject({ id: res.body.data.entryId, checkedBy: device.id, checkerKind: 'device', reason: 'unknown_pass' });
      expect(await auditOf(t, requestId)).toEqual([]);
    });
  });

  describe('read routes of a compound\'s access (its managers, its city\'s administrators; place codes also its guards)', () => {
    interface ReadCase extends CaseShape { given?: Given; path(x: Target): string; check?(x: Target, res: Response): void }
    const READS: ReadCase[] = [
      {
        route: 'GET /api/v1/compounds/:id/gates/:gateId/place-code', kind: 'compound', holder: HOLDERS, refused: 403, ok: 200,
        allowed: (role, rel) => manager(role, rel) || guard(role, rel),
        path: (x) => `/api/v1/compounds/${x.id}/gates/east/place-code`,
        check: (x, res) => expect(res.body.data).toMatchObject({ compoundId: x.id, gateId: 'east', code: expect.stringMatching(/-EAST$/) }),
      },
      {
        route: 'GET /api/v1/access-requests?compoundId=', kind: 'compound', holder: HOLDERS, given: 'request', refused: 403, ok: 200, allowed: manager,
        path: (x) => `/api/v1/access-requests?compoundId=${x.id}`,
        check: (x, res) => expect(res.body.data.map((r: { id: string }) => r.id)).toContain(x.ref),
      },
      { route: 'GET /api/v1/compounds/:id/blocks', kind: 'compound', holder: HOLDERS, refused: 403, ok: 200, allowed: manager, path: (x) => `/api/v1/compounds/${x.id}/blocks` },
      { route: 'GET /api/v1/compounds/:id/entries', kind: 'compound', holder: HOLDERS, refused: 403, ok: 200, allowed: manager, path: (x) => `/api/v1/compounds/${x.id}/entries` },
      { route: 'GET /api/v1/compounds/:id/summary', kind: 'compound', holder: HOLDERS, refused: 403, ok: 200, allowed: manager, path: (x) => `/api/v1/compounds/${x.id}/summary` },
      {
        route: 'GET /api/v1/compounds/:id/summary?format=csv', kind: 'compound', holder: HOLDERS, refused: 403, ok: 200, allowed: manager,
        path: (x) => `/api/v1/compounds/${x.id}/summary?format=csv`,
      },
      {
        route: 'GET /api/v1/compounds/:id/devices', kind: 'compound', holder: HOLDERS, given: 'device', refused: 403, ok: 200, allowed: manager,
        path: (x) => `/api/v1/compounds/${x.id}/devices`,
        check: (x, res) => {
          expect(res.body.data.map((d: { id: string }) => d.id)).toContain(x.ref);
          expect(JSON.stringify(res.body)).not.toMatch(/tokenHash|gd_/); // a device's credential is shown once, at creation
        },
      },
    ];

    it.each(matrix(READS))('$title', async ({ rc, actor, rel, allowed, expected }) => {
      const target = await prepare(rc, actor, rel);
      const res = await t.http.get(rc.path(target)).set(actor === 'anonymous' ? {} : as[actor].headers);
      expect({ status: res.status, error: res.body?.error?.message }).toMatchObject({ status: expected });
      if (allowed) rc.check?.(target, res);
      else expect(JSON.stringify(res.body)).not.toContain(target.ref ?? target.id);
    });

    /** Every page of the pending requests the caller may see. */
    async function listed(headers: Headers): Promise<{ status: number; ids: string[] }> {
      const ids: string[] = [];
      for (let after = ''; ;) {
        const res = await t.http.get(`/api/v1/access-requests?status=pending&limit=100${after ? `&after=${after}` : ''}`).set(headers);
        if (res.status !== 200) return { status: res.status, ids };
        ids.push(...res.body.data.map((r: { id: string }) => r.id));
        if (!res.body.meta.next) return { status: 200, ids };
        after = res.body.meta.next as string;
      }
    }

    it.each<[Actor, number, string[]]>([
      ['anonymous', 401, []],
      ['rider', 403, []],
      ['station_operator', 403, []],
      ['merchant_owner', 403, []],
      ['gate_guard', 403, []],
      ['property_manager', 200, ['held']],
      ['city_admin', 200, ['held', 'unheld']],
    ])('GET /api/v1/access-requests as %s answers %i and lists only its own compounds\' requests', async (actor, status, seen) => {
      const rider = await freshRider(HOME);
      const made = {
        held: await pendingRequest((await t.storage.compounds.get(held))!, rider),
        unheld: (await prepare({ kind: 'compound', given: 'request' }, 'city_admin', 'mine')).ref!,
        away: (await prepare({ kind: 'compound', given: 'request' }, 'city_admin', 'other-city')).ref!,
      };
      const res = await listed(actor === 'anonymous' ? {} : as[actor].headers);
      expect(res.status).toBe(status);
      const { ids } = res;
      for (const [name, id] of Object.entries(made)) expect([name, ids.includes(id)]).toEqual([name, seen.includes(name)]);
    });
  });

  describe('a rider\'s own passes and requests', () => {
    /** A pass of the rider actor, and one of another rider of each city, at fresh compounds. */
    async function passes() {
      const at = async (city: City) => (await t.storage.compounds.get((await prepare({ kind: 'compound' }, 'city_admin', city === HOME ? 'mine' : 'other-city')).id))!;
      return {
        own: await passOf(await at(HOME), as.rider.user.id),
        other: await passOf(await at(HOME), await freshRider(HOME)),
        otherCity: await passOf(await at(AWAY), await freshRider(AWAY)),
      };
    }

    it.each(['code', 'qr'] as const)('GET /api/v1/me/passes/:id/%s: the rider\'s own pass 200; another rider\'s, in either city, 404 like a pass that does not exist', async (what) => {
      const p = await passes();
      const get = (id: string) => t.http.get(`/api/v1/me/passes/${id}/${what}`).set(as.rider.headers);
      const own = await get(p.own);
      expect(own.status).toBe(200);
      expect(own.body.data).toMatchObject(what === 'code' ? { code: expect.any(String) } : { token: expect.any(String) });
      const missing = await get('ffffffffffffffffffffffff');
      expect(missing.status).toBe(404);
      for (const id of [p.other, p.otherCity]) {
        const res = await get(id);
        expect(res.status).toBe(404);
        expect(res.body).toEqual({ ...missing.body, error: { ...missing.body.error, message: missing.body.error.message.replace('ffffffffffffffffffffffff', id) } });
      }
    });

    it.each<[Actor, number]>([['anonymous', 401], ...STAFF.map((role): [Actor, number] => [role, 403])])(
      'GET /api/v1/me/passes/:id/code, /qr, /me/passes and /me/access-requests as %s: %i', async (actor, status) => {
        const p = await passes();
        for (const path of [`/api/v1/me/passes/${p.own}/code`, `/api/v1/me/passes/${p.own}/qr`, '/api/v1/me/passes', '/api/v1/me/access-requests']) {
          const res = await t.http.get(path).set(actor === 'anonymous' ? {} : as[actor as Role].headers);
          expect([path, res.status]).toEqual([path, status]);
        }
      },
    );

    it('GET /api/v1/me/passes and /me/access-requests list only the rider\'s own', async () => {
      const p = await passes();
      const passIds = (await t.http.get('/api/v1/me/passes?limit=100').set(as.rider.headers)).body.data.map((x: { id: string }) => x.id);
      expect(passIds).toContain(p.own);
      expect(passIds).not.toContain(p.other);
      expect(passIds).not.toContain(p.otherCity);
      const mine = (await t.http.get('/api/v1/me/access-requests?limit=100').set(as.rider.headers)).body.data as Array<{ id: string }>;
      const own = await t.storage.accessRequests.list({ riderId: as.rider.user.id, limit: 10_000 });
      expect(mine.map((r) => r.id).sort()).toEqual(own.map((r) => r.id).sort().slice(0, 100));
    });
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The outbox: consumers (the bot process) by the service credential X-Bot-Token; no user token stands in for it
// ---------------------------------------------------------------------------------------------------------------

describe('authorization matrix: the outbox (X-Bot-Token)', () => {
  let t: TestApp;
  const as = {} as Record<Role, Session>;
  beforeAll(async () => {
    t = await buildTestApp();
    for (const role of ROLES) as[role] = await t.login(role, HOME);
  });
  afterAll(() => t.close());

  type Claimed = { id: string; claimToken: string };
  /** One fresh event for the bot, claimed first where the route needs a claim token. */
  async function prepare(claimed: boolean): Promise<Claimed | null> {
    const rider = (await t.storage.riders.findOrCreateByOpenid(`matrix-outbox-${next()}`, null, t.clock.now())).rider;
    await t.storage.outbox.enqueue([{ type: 'access.approved', dedupeId: `matrix:${next()}`, recipient: { kind: 'rider', id: rider.id }, city: HOME, payload: {} }], ['bot'], t.clock.now());
    if (!claimed) return null;
    const [e] = await t.storage.outbox.claim('bot', 100, 60_000, t.clock.now());
    return e ? { id: e.id, claimToken: e.claimToken } : null;
  }
  const world = () => t.storage.outbox.pending(t.clock.now());
  const ROUTES: Array<{ route: string; claimed: boolean; body(c: Claimed | null): object; result: string | null }> = [
    { route: 'claim', claimed: false, body: () => ({ limit: 1 }), result: null },
    { route: 'ack', claimed: true, body: (c) => ({ acks: [c] }), result: 'acked' },
    { route: 'release', claimed: true, body: (c) => ({ releases: [c] }), result: 'released' },
  ];
  const CALLERS: Array<[string, () => Headers]> = [
    ['anonymous', () => ({})],
    ['a wrong X-Bot-Token', () => ({ 'X-Bot-Token': `${t.config.botToken}x` })],
    ...ROLES.map((role): [string, () => Headers] => [`${role} with its bearer token`, () => as[role].headers]),
  ];

  it.each(ROUTES.flatMap((r) => CALLERS.map(([who, headers]) => ({ ...r, who, headers }))))(
    '$who may not POST /api/v1/outbox/$route (401), and the outbox is left as it was',
    async ({ route, claimed, body, headers }) => {
      const c = await prepare(claimed);
      const before = await world();
      const res = await send(t, 'post', `/api/v1/outbox/${route}`, headers(), body(c));
      expect(res.status).toBe(401);
      expect(await world()).toEqual(before);
    },
  );

  it.each(ROUTES)('the bot may POST /api/v1/outbox/$route with its X-Bot-Token (200)', async ({ route, claimed, body, result }) => {
    const c = await prepare(claimed);
    const res = await send(t, 'post', `/api/v1/outbox/${route}`, { 'X-Bot-Token': t.config.botToken }, body(c));
    expect(res.status).toBe(200);
    if (result) expect(res.body.data).toEqual([{ id: c?.id, result }]);
    else expect(res.body.data).toEqual([expect.objectContaining({ claimToken: expect.any(String), attempts: 1 })]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Hazard reports (随手拍): riders report and support, and answer for their own reports; the report's city
// administrators, or the property managers of the compound it was routed to, change it; queues and statistics
// are staff views; the public view never names who reported or supported a report
// ---------------------------------------------------------------------------------------------------------------

describe('authorization matrix: hazard reports (随手拍)', () => {
  let t: TestApp;
  const as = {} as Record<Role, Session>;
  /** Chongqing's first compound is held by the property_manager (and the gate_guard), its fourth by neither; one of Chengdu's. */
  const compounds = { held: '', unheld: '', away: '' };

  const compoundFor = (city: City): CompoundInput => ({
    externalId: null, name: `矩阵隐患小区${next()}`, city, ...PLACE[city], address: '矩阵巷7号', propertyCompany: null,
    gates: [{ id: 'east', name: '东门', location: null }], policy: { mode: 'manual', rules: rulesSchema.parse({}) }, notes: null, isDemo: false,
  });

  beforeAll(async () => {
    t = await buildTestApp();
    const seeded: Record<City, string[]> = { chongqing: [], chengdu: [] };
    for (const city of [HOME, AWAY]) for (let i = 0; i < 4; i++) seeded[city].push((await t.storage.compounds.create(compoundFor(city), t.clock.now())).id);
    for (const role of ROLES) as[role] = await t.login(role, HOME);
    expect(as.property_manager.user.holdings).toMatchObject({ compoundIds: seeded.chongqing.slice(0, 3) });
    Object.assign(compounds, { held: seeded.chongqing[0], unheld: seeded.chongqing[3], away: seeded.chengdu[0] });
  });
  afterAll(() => t.close());

  const freshRider = async (city: City) =>
    (await t.storage.riders.findOrCreateByOpenid(`matrix-hazard-rider-${next()}`, null, t.clock.now(), { city })).rider.id;

  /** A report stored as the service stores one, routed to a compound (or to nobody, for the city's administrators). */
  async function reportIn(city: City, compoundId: string | null, over: Partial<HazardReport> = {}): Promise<HazardReport> {
    const now = t.clock.now();
    const reporterId = over.reporterId ?? await freshRider(city);
    const route: HazardReport['route'] = compoundId
      ? { bodyId: null, bodyName: null, kind: 'compound', compoundId, why: '位于小区内，由物业处理' }
      : { bodyId: null, bodyName: null, kind: 'unrouted', compoundId: null, why: '暂无责任单位，由市级管理员分派' };
    return t.storage.hazards.create({
      id: newId(), city, district: PLACE[city].district, category: 'manhole', class: '大事', description: '井盖破裂', address: '矩阵路5号',
      location: PLACE[city].location, photos: [], reporterId, status: 'submitted', hidden: false, route, duplicateOf: null,
      followers: [reporterId], supporters: [], supportCount: 0, rejectedBy: null, rejectReason: null, fixed: null,
      updates: [{ at: now, status: 'submitted', by: reporterId, byRole: 'rider', note: route.why }],
      statusSince: now, triagedAt: null, resolvedAt: null, createdAt: now, updatedAt: now, ...over,
    });
  }

  /** What a row needs of its report: resolved (for feedback), hidden (for reveal), or an open original beside it (for duplicate). */
  type Given = 'resolved' | 'hidden' | 'original';
  type HazardCase = Omit<RouteCase, 'audit'> & { given?: Given; audit: RouteCase['audit'] | null };

  /** The report a row acts on, fresh every time: routed to the held compound for "mine", an unheld one, or one in Chengdu. */
  async function prepare(rc: Pick<HazardCase, 'kind' | 'holder' | 'given'>, actor: Actor, rel: Relation): Promise<Target> {
    const city = cityOf(rel);
    const tag = `H${next()}`;
    if (rc.kind !== 'hazard') return { kind: rc.kind, id: '', city, tag };
    const compoundId = rel === 'other-city' ? compounds.away : rel === 'unheld' ? compounds.unheld : compounds.held;
    const reporterId = rel === 'mine' && actor === 'rider' && holds(rc, 'rider') ? as.rider.user.id : await freshRider(city);
    const status = rc.given === 'resolved' ? 'resolved' : 'submitted';
    const r = await reportIn(city, compoundId, { reporterId, status, hidden: rc.given === 'hidden', resolvedAt: status === 'resolved' ? t.clock.now() : null });
    const ref = rc.given === 'original' ? (await reportIn(city, compoundId)).id : undefined;
    return { kind: rc.kind, id: r.id, city, tag, riderId: reporterId, ref };
  }

  /** Everything a refused call could have touched: the report (and its original), the reports of each city, points, the outbox, the audit trail. */
  async function world(x: Target) {
    const s = t.storage;
    const count = async (city: City) => (await s.hazards.list({ city, limit: 10_000 })).length;
    return {
      report: x.id ? await s.hazards.get(x.id) : null,
      original: x.ref ? await s.hazards.get(x.ref) : null,
      reports: { chongqing: await count(HOME), chengdu: await count(AWAY) },
      riderFollows: await s.hazards.list({ followerId: as.rider.user.id, limit: 10_000 }),
      points: x.riderId ? await s.points.list(x.riderId, { limit: 10_000 }) : null,
      outbox: await s.outbox.pending(t.clock.now()),
      audit: (await s.audit.list({ limit: 10_000 })).length,
    };
  }

  const admin = (role: Role, rel: Relation) => role === 'city_admin' && rel === 'mine';
  const manager = (role: Role, rel: Relation) => admin(role, rel) || (role === 'property_manager' && rel === 'mine');
  const riderOnly = (role: Role) => role === 'rider';
  const sameId = (x: Target) => x.id;
  const stored = (id: string) => t.storage.hazards.get(id);

  const CASES: HazardCase[] = [
    {
      // Riders act for themselves: no staff audit entry. A point in either city (川渝通办).
      route: 'POST /api/v1/hazards', kind: 'city', refused: 403, ok: 201, allowed: riderOnly,
      request: (x) => ({ method: 'post', path: '/api/v1/hazards', body: { category: 'manhole', description: `井盖破裂 ${x.tag}`, ...PLACE[x.city].location, coordSys: 'wgs84' } }),
      audit: null,
      landed: async (x, res, actorId) =>
        expect(await stored(res.body.data.id)).toMatchObject({ reporterId: actorId, city: x.city, status: 'submitted', followers: [actorId], description: `井盖破裂 ${x.tag}` }),
    },
    {
      route: 'POST /api/v1/hazards/:id/support', kind: 'hazard', refused: 403, ok: 200, allowed: riderOnly,
      request: (x) => ({ method: 'post', path: `/api/v1/hazards/${x.id}/support` }),
      audit: null,
      landed: async (x, _res, actorId) => expect(await stored(x.id)).toMatchObject({ supporters: [actorId], supportCount: 1, followers: [x.riderId, actorId] }),
    },
    {
      route: 'POST /api/v1/hazards/:id/feedback', kind: 'hazard', holder: 'rider', given: 'resolved', refused: 403, ok: 200,
      allowed: (role, rel) => role === 'rider' && rel === 'mine',
      request: (x) => ({ method: 'post', path: `/api/v1/hazards/${x.id}/feedback`, body: { fixed: false, note: '还是坏的' } }),
      audit: null,
      landed: async (x) => expect(await stored(x.id)).toMatchObject({ status: 'in_progress', fixed: false }),
    },
    {
      route: 'POST /api/v1/hazards/:id/status', kind: 'hazard', holder: 'property_manager', refused: 403, ok: 200, allowed: manager,
      request: (x) => ({ method: 'post', path: `/api/v1/hazards/${x.id}/status`, body: { status: 'triaged', note: `已派人查看 ${x.tag}` } }),
      audit: { action: 'hazard.status', objectId: sameId },
      landed: async (x, _res, actorId) => {
        const r = await stored(x.id);
        expect(r).toMatchObject({ status: 'triaged', triagedAt: t.clock.now() });
        expect(r?.updates.at(-1)).toMatchObject({ status: 'triaged', by: actorId, note: `已派人查看 ${x.tag}` });
        expect(await t.storage.points.total(x.riderId!)).toBe(10);
      },
    },
    {
      route: 'POST /api/v1/hazards/:id/duplicate', kind: 'hazard', holder: 'property_manager', given: 'original', refused: 403, ok: 200, allowed: manager,
      request: (x) => ({ method: 'post', path: `/api/v1/hazards/${x.id}/duplicate`, body: { originalId: x.ref } }),
      audit: { action: 'hazard.duplicate', objectId: sameId },
      landed: async (x) => {
        expect(await stored(x.id)).toMatchObject({ status: 'duplicate', duplicateOf: x.ref });
        expect((await stored(x.ref!))?.followers).toContain(x.riderId);
      },
    },
    {
      route: 'POST /api/v1/hazards/:id/reveal', kind: 'hazard', holder: 'property_manager', given: 'hidden', refused: 403, ok: 200, allowed: manager,
      request: (x) => ({ method: 'post', path: `/api/v1/hazards/${x.id}/reveal` }),
      audit: { action: 'hazard.reveal', objectId: sameId },
      landed: async (x) => {
        expect(await stored(x.id)).toMatchObject({ hidden: false });
        expect((await t.http.get(`/api/v1/hazards/${x.id}`)).status).toBe(200);
      },
    },
  ];

  it.each(matrix(CASES))('$title', async ({ rc, actor, rel, allowed, expected }) => {
    const target = await prepare(rc, actor, rel);
    const { method, path, body } = rc.request(target);
    const requestId = `authz-hazard-${next()}`;
    const before = await world(target);
    const res = await send(t, method, path, { ...(actor === 'anonymous' ? {} : as[actor].headers), 'X-Request-Id': requestId }, body);
    expect({ status: res.status, error: res.body?.error?.message }).toMatchObject({ status: expected });
    if (!allowed) {
      expect(res.body.error.status).toBe(expected);
      expect(await world(target)).toEqual(before);
      return;
    }
    const actorId = as[actor as Role].user.id;
    expect(await auditOf(t, requestId)).toEqual(rc.audit ? [expect.objectContaining({
      actorId, actorRole: actor, action: rc.audit.action, objectId: rc.audit.objectId(target, res), city: target.city, requestId,
    })] : []);
    await rc.landed(target, res, actorId);
  });

  it('leaves no audit entry when a report already shown is revealed again (nothing was written)', async () => {
    const r = await reportIn(HOME, compounds.held);
    const requestId = `authz-hazard-${next()}`;
    const res = await t.http.post(`/api/v1/hazards/${r.id}/reveal`).set({ ...as.city_admin.headers, 'X-Request-Id': requestId });
    expect(res.status).toBe(200);
    expect(await stored(r.id)).toEqual(r);
    expect(await auditOf(t, requestId)).toEqual([]);
  });

  describe('staff views: the queue and the statistics', () => {
    /** Every page of the queue the caller may see. */
    async function queued(headers: Headers): Promise<{ status: number; ids: string[] }> {
      const ids: string[] = [];
      for (let after = ''; ;) {
        const res = await t.http.get(`/api/v1/hazards?limit=100${after ? `&after=${after}` : ''}`).set(headers);
        if (res.status !== 200) return { status: res.status, ids };
        ids.push(...res.body.data.map((r: { id: string }) => r.id));
        if (!res.body.meta.next) return { status: 200, ids };
        after = res.body.meta.next as string;
      }
    }

    it.each<[Actor, number, string[]]>([
      ['anonymous', 401, []],
      ['rider', 403, []],
      ['station_operator', 403, []],
      ['merchant_owner', 403, []],
      ['gate_guard', 403, []],
      ['property_manager', 200, ['held']],
      ['city_admin', 200, ['held', 'unheld', 'unrouted']],
    ])('GET /api/v1/hazards as %s answers %i and lists only the reports in its scope', async (actor, status, seen) => {
      const made = {
        held: (await reportIn(HOME, compounds.held)).id,
        unheld: (await reportIn(HOME, compounds.unheld)).id,
        unrouted: (await reportIn(HOME, null)).id,
        away: (await reportIn(AWAY, compounds.away)).id,
      };
      const res = await queued(actor === 'anonymous' ? {} : as[actor].headers);
      expect(res.status).toBe(status);
      for (const [name, id] of Object.entries(made)) expect([name, res.ids.includes(id)]).toEqual([name, seen.includes(name)]);
    });

    it.each<[string, Actor, number]>([
      ['', 'anonymous', 401],
      ['', 'rider', 403],
      ['', 'station_operator', 403],
      ['', 'merchant_owner', 403],
      ['', 'property_manager', 403],
      ['', 'gate_guard', 403],
      ['', 'city_admin', 200],
      ['?format=csv', 'city_admin', 200],
      ['?city=chongqing', 'city_admin', 200],
      ['?city=chengdu', 'city_admin', 403],
      ['?city=chengdu&format=csv', 'city_admin', 403],
    ])('GET /api/v1/hazards/stats%s as %s answers %i', async (query, actor, status) => {
      await reportIn(AWAY, compounds.away, { description: '成都的隐患' });
      const res = await t.http.get(`/api/v1/hazards/stats${query}`).set(actor === 'anonymous' ? {} : as[actor].headers);
      expect(res.status).toBe(status);
      if (status !== 200) return void expect(res.body.error.status).toBe(status);
      // Only its own city is counted: the Chengdu district never shows up.
      const own = (await t.storage.hazards.list({ city: HOME, limit: 10_000 })).length;
      if (query.includes('csv')) expect(res.text).not.toContain(PLACE[AWAY].district);
      else expect(res.body.data).toMatchObject({ total: own, byDistrict: { [PLACE[HOME].district]: own } });
    });
  });

  describe('the public view of a report never names who reported or supported it', () => {
    // Each case's report stands alone about 300 m from the others, so nearby (at most 10, nearest first) finds it.
    let spot = 0;
    it.each<Actor>(['anonymous', ...ROLES])('GET /api/v1/hazards/:id and /hazards/nearby as %s', async (actor) => {
      const supporter = await freshRider(HOME);
      // The rider actor is the reporter itself: even it sees the public view here.
      const reporterId = actor === 'rider' ? as.rider.user.id : await freshRider(HOME);
      const location = { lng: PLACE[HOME].location.lng + 0.003 * ++spot, lat: PLACE[HOME].location.lat + 0.003 };
      const r = await reportIn(HOME, compounds.held, { reporterId, location, supporters: [supporter], supportCount: 1, followers: [reporterId, supporter] });
      const headers = actor === 'anonymous' ? {} : as[actor].headers;
      const res = await t.http.get(`/api/v1/hazards/${r.id}`).set(headers);
      expect(res.status).toBe(200);
      expect(res.body.data).toMatchObject({ id: r.id, supportCount: 1 });
      for (const key of ['reporterId', 'supporters', 'followers', 'routing', 'hidden']) expect(res.body.data).not.toHaveProperty(key);
      const near = await t.http.get('/api/v1/hazards/nearby').query({ category: 'manhole', ...location, coordSys: 'wgs84' }).set(headers);
      expect(near.status).toBe(200);
      expect(near.body.data.map((x: { id: string }) => x.id)).toContain(r.id);
      for (const body of [res.body, near.body]) {
        const text = JSON.stringify(body);
        expect(text).not.toContain(reporterId);
        expect(text).not.toContain(supporter);
      }
    });
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Responsible bodies (三事分流): a city's administrators register, change and delete them and preview routing; a
// body's staff read the bodies they hold; another city's body (or one not held) answers 404 like a missing one
// ---------------------------------------------------------------------------------------------------------------

describe('authorization matrix: responsible bodies (责任单位)', () => {
  let t: TestApp;
  const as = {} as Record<Role, Session>;
  /** A Chongqing body the body_staff holds (the dev login hands out the city's first three). */
  let held = '';
  const HOLDER: Role = 'body_staff';
  const bodyAt = (city: City): BodyInput => ({
    city, districts: [], name: `矩阵责任单位${next()}`, type: '城管', categories: [], contact: { channel: 'staff', value: '本系统处理' }, active: true, isDemo: false,
  });

  beforeAll(async () => {
    t = await buildTestApp();
    const seeded: Record<City, string[]> = { chongqing: [], chengdu: [] };
    for (const city of [HOME, AWAY]) for (let i = 0; i < 4; i++) seeded[city].push((await t.storage.bodies.create(bodyAt(city), t.clock.now())).id);
    for (const role of ROLES) as[role] = await t.login(role, HOME);
    expect(as.body_staff.user.holdings).toMatchObject({ bodyIds: seeded.chongqing.slice(0, 3), compoundIds: [] });
    held = seeded.chongqing[0]!;
  });
  afterAll(() => t.close());

  /** The held body for its holder's "mine", otherwise a fresh body of the relation's city. */
  async function prepare(rc: Pick<CaseShape, 'kind' | 'holder'>, actor: Actor, rel: Relation): Promise<Target> {
    const city = cityOf(rel);
    const tag = `B${next()}`;
    if (rc.kind !== 'hazard_body') return { kind: rc.kind, id: '', city, tag };
    const id = rel === 'mine' && holds(rc, actor) ? held : (await t.storage.bodies.create(bodyAt(city), t.clock.now())).id;
    return { kind: rc.kind, id, city, tag };
  }

  async function world(x: Target) {
    const all = (city: City) => t.storage.bodies.list({ city, limit: 10_000 });
    return {
      body: x.id ? await t.storage.bodies.get(x.id) : null,
      bodies: { chongqing: await all(HOME), chengdu: await all(AWAY) },
      audit: (await t.storage.audit.list({ limit: 10_000 })).length,
    };
  }

  const admin = (role: Role, rel: Relation) => role === 'city_admin' && rel === 'mine';
  const CASES: RouteCase[] = [
    {
      route: 'POST /api/v1/hazard-bodies', kind: 'city', relations: ['mine'], refused: 403, ok: 201, allowed: admin,
      request: (x) => ({ method: 'post', path: '/api/v1/hazard-bodies', body: { name: `矩阵新单位${x.tag}`, type: '水务', contact: { channel: 'email', value: 'water@example.org' } } }),
      audit: { action: 'hazard_body.create', objectId: (_x, res) => res.body.data.id as string },
      landed: async (x, res) => expect(await t.storage.bodies.get(res.body.data.id)).toMatchObject({ name: `矩阵新单位${x.tag}`, city: x.city, type: '水务' }),
    },
    {
      route: 'PATCH /api/v1/hazard-bodies/:id', kind: 'hazard_body', holder: HOLDER, refused: 404, ok: 200, allowed: admin,
      request: (x) => ({ method: 'patch', path: `/api/v1/hazard-bodies/${x.id}`, body: { name: `改名单位${x.tag}`, active: false } }),
      audit: { action: 'hazard_body.update', objectId: (x) => x.id },
      landed: async (x) => expect(await t.storage.bodies.get(x.id)).toMatchObject({ name: `改名单位${x.tag}`, active: false }),
    },
    {
      route: 'DELETE /api/v1/hazard-bodies/:id', kind: 'hazard_body', holder: HOLDER, refused: 404, ok: 204, allowed: admin,
      request: (x) => ({ method: 'delete', path: `/api/v1/hazard-bodies/${x.id}` }),
      audit: { action: 'hazard_body.delete', objectId: (x) => x.id },
      landed: async (x) => expect(await t.storage.bodies.get(x.id)).toBeNull(),
    },
  ];

  it.each(matrix(CASES))('$title', async ({ rc, actor, rel, allowed, expected }) => {
    const target = await prepare(rc, actor, rel);
    const { method, path, body } = rc.request(target);
    const requestId = `authz-body-${next()}`;
    const before = await world(target);
    const res = await send(t, method, path, { ...(actor === 'anonymous' ? {} : as[actor].headers), 'X-Request-Id': requestId }, body);
    expect({ status: res.status, error: res.body?.error?.message }).toMatchObject({ status: expected });
    if (!allowed) {
      expect(res.body.error.status).toBe(expected);
      expect(await world(target)).toEqual(before);
      return;
    }
    const actorId = as[actor as Role].user.id;
    expect(await auditOf(t, requestId)).toEqual([expect.objectContaining({
      actorId, actorRole: actor, action: rc.audit.action, objectId: rc.audit.objectId(target, res), city: target.city, requestId,
    })]);
    await rc.landed(target, res, actorId);
  });

  describe('read routes (the city\'s administrators; a body also its own staff)', () => {
    interface ReadCase extends CaseShape { path(x: Target): string; check?(x: Target, res: Response): void }
    const READS: ReadCase[] = [
      {
        route: 'GET /api/v1/hazard-bodies/:id', kind: 'hazard_body', holder: HOLDER, refused: 404, ok: 200,
        allowed: (role, rel) => admin(role, rel) || (role === HOLDER && rel === 'mine'),
        path: (x) => `/api/v1/hazard-bodies/${x.id}`,
        check: (x, res) => expect(res.body.data).toMatchObject({ id: x.id, city: x.city }),
      },
      {
        route: 'GET /api/v1/hazard-bodies/preview', kind: 'city', relations: ['mine'], refused: 403, ok: 200, allowed: admin,
        path: () => `/api/v1/hazard-bodies/preview?category=manhole&lng=${PLACE[HOME].location.lng}&lat=${PLACE[HOME].location.lat}&coordSys=wgs84`,
        check: (_x, res) => expect(res.body.data).toMatchObject({ district: '渝中区', route: { kind: 'body' } }),
      },
    ];

    it.each(matrix(READS))('$title', async ({ rc, actor, rel, allowed, expected }) => {
      const target = await prepare(rc, actor, rel);
      const res = await t.http.get(rc.path(target)).set(actor === 'anonymous' ? {} : as[actor].headers);
      expect({ status: res.status, error: res.body?.error?.message }).toMatchObject({ status: expected });
      if (allowed) rc.check?.(target, res);
      else if (target.id) expect(JSON.stringify(res.body)).not.toContain(target.id);
    });

    it.each<[Actor, number, Array<'held' | 'unheld' | 'away'>]>([
      ['anonymous', 401, []],
      ['rider', 403, []],
      ['station_operator', 403, []],
      ['merchant_owner', 403, []],
      ['property_manager', 403, []],
      ['gate_guard', 403, []],
      ['body_staff', 200, ['held']],
      ['city_admin', 200, ['held', 'unheld']],
    ])('GET /api/v1/hazard-bodies as %s answers %i and lists only the bodies it may read', async (actor, status, seen) => {
      const made = {
        held,
        unheld: (await prepare({ kind: 'hazard_body' }, 'city_admin', 'mine')).id,
        away: (await prepare({ kind: 'hazard_body' }, 'city_admin', 'other-city')).id,
      };
      const res = await t.http.get('/api/v1/hazard-bodies?limit=200').set(actor === 'anonymous' ? {} : as[actor as Role].headers);
      expect(res.status).toBe(status);
      const ids: string[] = status === 200 ? res.body.data.map((b: { id: string }) => b.id) : [];
      for (const [name, id] of Object.entries(made)) expect([name, ids.includes(id)]).toEqual([name, seen.includes(name as 'held')]);
    });
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Open311: a city's administrators issue and revoke client keys; a report over Open311 takes an api_key, never a
// bearer token, and is refused in Open311's shape (403)
// ---------------------------------------------------------------------------------------------------------------

describe('authorization matrix: Open311 keys and reports', () => {
  let t: TestApp;
  const as = {} as Record<Role, Session>;

  beforeAll(async () => {
    t = await buildTestApp();
    for (const role of ROLES) as[role] = await t.login(role, HOME);
  });
  afterAll(() => t.close());

  /** A fresh key of the relation's city for rows that act on one, issued by that city's administrator. */
  async function prepare(rc: RouteCase, rel: Relation): Promise<Target> {
    const city = cityOf(rel);
    const tag = `O${next()}`;
    if (rc.kind !== 'open311_key') return { kind: rc.kind, id: '', city, tag };
    const res = await t.http.post('/api/v1/open311-keys').set(city === HOME ? t.admin : t.adminCd).send({ name: `接入方${tag}` });
    expect(res.status).toBe(201);
    return { kind: rc.kind, id: res.body.data.id as string, city, tag };
  }

  async function world(target: Target) {
    const keys = (city: City) => t.storage.open311Keys.list({ city, limit: 10_000 });
    return {
      key: target.id ? await t.storage.open311Keys.get(target.id) : null,
      keys: { chongqing: await keys(HOME), chengdu: await keys(AWAY) },
      riders: await t.storage.riders.count(),
      audit: (await t.storage.audit.list({ limit: 10_000 })).length,
    };
  }

  const admin = (role: Role, rel: Relation) => role === 'city_admin' && rel === 'mine';
  const CASES: RouteCase[] = [
    {
      route: 'POST /api/v1/open311-keys', kind: 'city', relations: ['mine'], refused: 403, ok: 201, allowed: admin,
      request: (x) => ({ method: 'post', path: '/api/v1/open311-keys', body: { name: `接入方${x.tag}` } }),
      audit: { action: 'open311_key.create', objectId: (_x, res) => res.body.data.id as string },
      landed: async (x, res, actorId) => {
        const key = await t.storage.open311Keys.get(res.body.data.id);
        expect(key).toMatchObject({ name: `接入方${x.tag}`, city: x.city, createdBy: actorId, revokedAt: null });
        expect(await t.storage.riders.get(key!.riderId)).toMatchObject({ openid: `open311:${key!.id}`, city: x.city });
      },
    },
    {
      route: 'POST /api/v1/open311-keys/:id/revoke', kind: 'open311_key', refused: 404, ok: 200, allowed: admin,
      request: (x) => ({ method: 'post', path: `/api/v1/open311-keys/${x.id}/revoke` }),
      audit: { action: 'open311_key.revoke', objectId: (x) => x.id },
      landed: async (x, _res, actorId) => expect(await t.storage.open311Keys.get(x.id)).toMatchObject({ revokedAt: t.clock.now(), revokedBy: actorId }),
    },
  ];

  it.each(matrix(CASES))('$title', async ({ rc, actor, rel, allowed, expected }) => {
    const target = await prepare(rc, rel);
    const { method, path, body } = rc.request(target);
    const requestId = `authz-open311-${next()}`;
    const before = await world(target);
    const res = await send(t, method, path, { ...(actor === 'anonymous' ? {} : as[actor].headers), 'X-Request-Id': requestId }, body);
    expect({ status: res.status, error: res.body?.error?.message }).toMatchObject({ status: expected });
    if (!allowed) {
      expect(res.body.error.status).toBe(expected);
      expect(await world(target)).toEqual(before);
      return;
    }
    const actorId = as[actor as Role].user.id;
    expect(await auditOf(t, requestId)).toEqual([expect.objectContaining({
      actorId, actorRole: actor, action: rc.audit.action, objectId: rc.audit.objectId(target, res), city: target.city, requestId,
    })]);
    await rc.landed(target, res, actorId);
  });

  it.each<[Actor, number]>([['anonymous', 401], ...ROLES.map((r): [Actor, number] => [r, r === 'city_admin' ? 200 : 403])])(
    'GET /api/v1/open311-keys as %s answers %i, and only with its own city\'s keys',
    async (actor, status) => {
      await prepare({ kind: 'open311_key' } as RouteCase, 'other-city');
      const res = await t.http.get('/api/v1/open311-keys?limit=200').set(actor === 'anonymous' ? {} : as[actor as Role].headers);
      expect(res.status).toBe(status);
      if (status === 200) expect((res.body.data as Array<{ city: City }>).every((k) => k.city === HOME)).toBe(true);
    },
  );

  it.each<Actor>(['anonymous', ...ROLES])('%s may not POST /open311/v2/requests.json without an api_key, whatever bearer token it sends (403 in Open311\'s shape)', async (actor) => {
    const before = (await t.storage.hazards.list({ limit: 10_000 })).length;
    const res = await send(t, 'post', '/open311/v2/requests.json', actor === 'anonymous' ? {} : as[actor].headers,
      'jurisdiction_id=chongqing&service_code=manhole&lat=29.5594&long=106.5775', 'application/x-www-form-urlencoded');
    expect([res.status, res.body]).toEqual([403, [{ code: 403, description: expect.stringMatching(/缺少 api_key/) }]]);
    expect((await t.storage.hazards.list({ limit: 10_000 })).length).toBe(before);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The bot's sessions (X-Bot-Token): only the bot opens a session for a contact, and the session carries exactly
// the rights of the contact's own account, so every later call is decided by the same policy table
// ---------------------------------------------------------------------------------------------------------------

describe('authorization matrix: bot sessions and recipients (X-Bot-Token)', () => {
  let t: TestApp;
  const as = {} as Record<Role, Session>;
  const stations: string[] = [];
  beforeAll(async () => {
    t = await buildTestApp();
    for (let i = 0; i < 4; i++) stations.push((await t.storage.stations.create(stationAt(HOME), t.clock.now())).id);
    for (const role of ROLES) as[role] = await t.login(role, HOME);
  });
  afterAll(() => t.close());

  const bot = (): Headers => ({ 'X-Bot-Token': t.config.botToken });
  const botSession = (contactId: string, headers: Headers = bot()) => send(t, 'post', '/api/v1/bot/sessions', headers, { contactId });
  const world = async (contactId: string) => ({
    riders: await t.storage.riders.count(),
    contact: (await t.storage.riders.list({ limit: 10_000 })).filter((r) => r.botContactId === contactId),
  });
  /** Binds the demo staff member of the role to a new contact (a bind code sent to the bot, as staff do). */
  async function bound(role: StaffRole): Promise<{ contactId: string; staff: Session }> {
    const staff = await t.login(role, HOME);
    const code = (await t.http.post('/api/v1/me/bot-bind-code').set(staff.headers).send({})).body.data.code;
    const contactId = `wxid_matrix_session_${next()}`;
    expect((await t.http.post('/api/v1/bot/bind').set(bot()).send({ code, contactId })).status).toBe(200);
    return { contactId, staff };
  }

  const CALLERS: Array<[string, () => Headers]> = [
    ['anonymous', () => ({})],
    ['a wrong X-Bot-Token', () => ({ 'X-Bot-Token': `${t.config.botToken}x` })],
    ...ROLES.map((role): [string, () => Headers] => [`${role} with its bearer token`, () => as[role].headers]),
    ['a user\'s access token as X-Bot-Token', () => ({ 'X-Bot-Token': as.city_admin.headers.Authorization.slice('Bearer '.length) })],
  ];

  it.each(CALLERS)('%s may not POST /api/v1/bot/sessions (401), and no rider is made', async (_who, headers) => {
    const contactId = `wxid_matrix_refused_${next()}`;
    const before = await world(contactId);
    const res = await botSession(contactId, headers());
    expect(res.status).toBe(401);
    expect(await world(contactId)).toEqual(before);
  });

  it.each(CALLERS)('%s may not GET /api/v1/bot/recipients/:kind/:id (401)', async (_who, headers) => {
    const res = await t.http.get(`/api/v1/bot/recipients/staff/${as.gate_guard.user.id}`).set(headers());
    expect(res.status).toBe(401);
  });

  it('the bot may POST /api/v1/bot/sessions with its X-Bot-Token (200): an unknown contact becomes one rider', async () => {
    const contactId = `wxid_matrix_rider_${next()}`;
    const res = await botSession(contactId);
    expect(res.status).toBe(200);
    expect((await world(contactId)).contact).toEqual([expect.objectContaining({ id: res.body.data.user.id, isDemo: false })]);
  });

  it.each(STAFF)('a bound %s\'s bot session has exactly the rights of its login (GET /me alike)', async (role) => {
    const { contactId, staff } = await bound(role);
    const res = await botSession(contactId);
    expect(res.body.data).toMatchObject({ kind: 'staff', user: { id: staff.user.id, role, city: HOME } });
    const viaBot = await t.http.get('/api/v1/me').set({ Authorization: `Bearer ${res.body.data.accessToken}` });
    expect(viaBot.body).toEqual((await t.http.get('/api/v1/me').set(staff.headers)).body);
  });

  it.each<[string, () => Promise<Headers>, number[]]>([
    ['a bound station_operator', async () => ({ Authorization: `Bearer ${(await botSession((await bound('station_operator')).contactId)).body.data.accessToken}` }), [200, 403]],
    ['a bound gate_guard', async () => ({ Authorization: `Bearer ${(await botSession((await bound('gate_guard')).contactId)).body.data.accessToken}` }), [403, 403]],
    ['a rider', async () => ({ Authorization: `Bearer ${(await botSession(`wxid_matrix_r_${next()}`)).body.data.accessToken}` }), [403, 403]],
  ])('%s acting through the bot is decided by the policy table: held station, unheld station', async (_who, headers, expected) => {
    const h = await headers();
    const held = await t.http.put(`/api/v1/stations/${stations[0]}/occupancy`).set(h).send({ available: 1 });
    const unheld = await t.http.put(`/api/v1/stations/${stations[3]}/occupancy`).set(h).send({ available: 1 });
    expect([held.status, unheld.status]).toEqual(expected);
  });
});
