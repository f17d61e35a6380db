// The compounds feature's storage contract (src/modules/compounds/compounds.types.ts), run on every driver.
import type { Storage } from '../../src/features';
import type {
  AccessRequest, Block, CompoundInput, EntryEvent, GateDevice, Pass,
} from '../../src/modules/compounds/compounds.types';
import { COMPOUND_CODE } from '../../src/modules/compounds/storage/codes';
import { ConflictError } from '../../src/shared/errors';
import { newId } from '../../src/storage/ids';
import { drivers } from '../helpers/storage';

// Far in the future, so no housekeeping purge (it runs against the real clock) ever touches these rows.
const T0 = new Date('2096-03-01T02:00:00Z');
const MIN = 60_000;
const DAY = 86_400_000;
const at = (ms: number) => new Date(T0.getTime() + ms);
const JIEFANGBEI = { lng: 106.5775, lat: 29.5594 };
const east = (m: number) => ({ lng: JIEFANGBEI.lng + m / 96_900, lat: JIEFANGBEI.lat });
const UNKNOWN_ID = '0123456789abcdef01234567';
const sortedIds = (xs: Array<{ id: string }>) => xs.map((x) => x.id).sort();

let seq = 0;
function compoundInput(over: Partial<CompoundInput> = {}): CompoundInput {
  seq++;
  return {
    externalId: null,
    name: `测试小区${seq}`,
    city: 'chongqing',
    district: '渝中区',
    address: `渝中区测试路${seq}号`,
    location: JIEFANGBEI,
    propertyCompany: '测试物业',
    gates: [{ id: 'east', name: '东门', location: east(50) }, { id: '2', name: '二号门', location: null }],
    policy: {
      mode: 'manual',
      rules: {
        minLevel: 'phone', hours: [{ open: '07:00', close: '23:00' }], platforms: ['美团', '饿了么'], ebikeAllowed: false, maxPassDays: 30,
        minActiveDays: null, minOnTimeRate: 0.95, maxAtFaultAccidents: 0, maxComplaints: null,
      },
    },
    notes: '走东门',
    isDemo: false,
    ...over,
  };
}

function request(over: Partial<AccessRequest> = {}): AccessRequest {
  return {
    id: newId(), compoundId: 'c1', city: 'chongqing', riderId: 'r1', reason: '送外卖', durationDays: 7, status: 'pending',
    decidedBy: null, decidedAt: null, decisionNote: null, passId: null, createdAt: T0, updatedAt: T0, ...over,
  };
}

function pass(over: Partial<Pass> = {}): Omit<Pass, 'number'> {
  return {
    id: newId(), compoundId: 'c1', city: 'chongqing', riderId: 'r1', requestId: newId(), validFrom: T0, validTo: at(30 * DAY),
    hours: [{ open: '22:00', close: '06:00' }], secretSealed: 'sealed-secret', status: 'active', revokedAt: null, revokedBy: null,
    revokeReason: null, expiryNoticeAt: null, createdAt: T0, updatedAt: T0, ...over,
  };
}

function entry(over: Partial<EntryEvent> = {}): EntryEvent {
  return {
    id: newId(), compoundId: 'c1', city: 'chongqing', gateId: 'east', at: T0, method: 'code', allowed: true, reason: 'ok',
    passId: null, riderId: 'r1', checkedBy: 'guard1', checkerKind: 'staff', ...over,
  };
}

function block(over: Partial<Block> = {}): Block {
  return {
    id: newId(), compoundId: 'c1', city: 'chongqing', riderId: 'r1', reason: '多次违规', createdBy: 'm1', createdAt: T0,
    liftedAt: null, liftedBy: null, ...over,
  };
}

function device(over: Partial<GateDevice> = {}): GateDevice {
  return {
    id: newId(), compoundId: 'c1', city: 'chongqing', name: '东门闸机', tokenHash: `hash-${newId()}`, createdBy: 'm1', createdAt: T0,
    revokedAt: null, ...over,
  };
}

/** Tries to change nested parts of a returned compound; a driver may refuse (frozen parts throw TypeError). */
function scribble(value: unknown): void {
  const c = value as Record<string, unknown> & { gates: Array<{ name: string }>; policy: { mode: string; rules: { hours: unknown[] } } };
  const attempts: Array<() => void> = [
    () => { c.gates.push({ name: '假门' }); },
    () => { (c.gates[0] as { name: string }).name = '改过'; },
    () => { c.policy.rules.hours.push({ open: '00:00', close: '24:00' }); },
    () => { c.policy.mode = 'auto'; },
    () => { (c.location as { lng: number }).lng = 0; },
  ];
  for (const attempt of attempts) {
    try {
      attempt();
    } catch (err) {
      expect(err).toBeInstanceOf(TypeError);
    }
  }
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(() => null, (e: unknown) => e);
}

describe.each(drivers())('compounds storage contract: $name driver', ({ open }) => {
  let storage: Storage;
  beforeEach(async () => {
    storage = await open();
  });
  afterEach(async () => {
    await storage.close();
  });

  describe('compounds', () => {
    it('creates a compound with an id, an 8-character code and timestamps, and reads it back whole', async () => {
      const input = compoundInput();
      const c = await storage.compounds.create(input, T0);
      expect(c.id).toMatch(/^[0-9a-f]{24}$/);
      expect(c.code).toMatch(COMPOUND_CODE);
      expect(c).toMatchObject({ ...input, createdAt: T0, updatedAt: T0 });
      const got = await storage.compounds.get(c.id);
      expect(got).toEqual(c);
      expect(got).not.toHaveProperty('_id');
      await expect(storage.compounds.get(UNKNOWN_ID)).resolves.toBeNull();
      await expect(storage.compounds.get('not-an-id')).resolves.toBeNull();
    });

    it('gives every new compound its own code', async () => {
      const made = await storage.compounds.upsertMany(Array.from({ length: 15 }, (_, i) => compoundInput({ externalId: `u-${i}` })), T0);
      const direct = await Promise.all(Array.from({ length: 15 }, () => storage.compounds.create(compoundInput(), T0)));
      const imported = await Promise.all(made.ids.map((id) => storage.compounds.get(id)));
      const codes = [...imported, ...direct].map((c) => c?.code);
      for (const code of codes) expect(code).toMatch(COMPOUND_CODE);
      expect(new Set(codes).size).toBe(30);
    });

    it('updates only the given fields, keeps id, code and createdAt, and moves updatedAt', async () => {
      const c = await storage.compounds.create(compoundInput(), T0);
      const gates = [{ id: 'north', name: '北门', location: null }];
      const u = await storage.compounds.update(c.id, { gates, notes: '走北门', name: undefined }, at(MIN));
      expect(u).toEqual({ ...c, gates, notes: '走北门', updatedAt: at(MIN) });
      expect(await storage.compounds.get(c.id)).toEqual(u);
      expect((await storage.compounds.findByCode(c.code))?.id).toBe(c.id);
      await expect(storage.compounds.update(UNKNOWN_ID, { notes: 'x' }, at(MIN))).resolves.toBeNull();
    });

    it('finds a compound by its exact code, and nothing for another code', async () => {
      const c = await storage.compounds.create(compoundInput(), T0);
      await storage.compounds.create(compoundInput(), T0);
      expect(await storage.compounds.findByCode(c.code)).toEqual(c);
      const other = c.code.startsWith('0') ? `1${c.code.slice(1)}` : `0${c.code.slice(1)}`;
      await expect(storage.compounds.findByCode(other)).resolves.toBeNull();
      await expect(storage.compounds.findByCode('')).resolves.toBeNull();
    });

    it('searches name or address case-insensitively, filters by city, limits, ids ascending', async () => {
      const a = await storage.compounds.create(compoundInput({ name: 'SUNNY Court 阳光苑', city: 'chengdu' }), T0);
      const b = await storage.compounds.create(compoundInput({ name: '锦绣苑', address: '观音桥 sunny lane 8号' }), T0);
      const c = await storage.compounds.create(compoundInput({ name: 'Sunnyside 翠湖居' }), T0);
      await storage.compounds.create(compoundInput({ name: '和平小区', address: '解放碑路1号' }), T0);
      const ids = (xs: Array<{ id: string }>) => xs.map((x) => x.id);
      expect(ids(await storage.compounds.search({ text: 'sUnNy', limit: 10 }))).toEqual([a.id, b.id, c.id]);
      expect(ids(await storage.compounds.search({ text: 'sunny', city: 'chongqing', limit: 10 }))).toEqual([b.id, c.id]);
      expect(ids(await storage.compounds.search({ text: 'sunny', limit: 2 }))).toEqual([a.id, b.id]);
      expect(ids(await storage.compounds.search({ text: '阳光', limit: 10 }))).toEqual([a.id]);
      expect(ids(await storage.compounds.search({ text: '观音桥', limit: 10 }))).toEqual([b.id]);
      expect(await storage.compounds.search({ text: '无此小区', limit: 10 })).toEqual([]);
    });

    it('reads search text literally, never as a pattern', async () => {
      const c = await storage.compounds.create(compoundInput({ name: 'A区(东)*' }), T0);
      await storage.compounds.create(compoundInput({ name: 'AB区东' }), T0);
      expect((await storage.compounds.search({ text: '(东)*', limit: 10 })).map((x) => x.id)).toEqual([c.id]);
      expect(await storage.compounds.search({ text: '.*', limit: 10 })).toEqual([]);
      expect(await storage.compounds.search({ text: 'A.区', limit: 10 })).toEqual([]);
    });

    it('finds nearby compounds nearest first within the radius, with a city filter and a limit', async () => {
      const near = await storage.compounds.create(compoundInput({ location: east(100) }), T0);
      const mid = await storage.compounds.create(compoundInput({ location: east(400) }), T0);
      const other = await storage.compounds.create(compoundInput({ location: east(200), city: 'chengdu' }), T0);
      await storage.compounds.create(compoundInput({ location: east(3000) }), T0);
      const found = await storage.compounds.nearby({ center: JIEFANGBEI, radiusM: 1000, limit: 10 });
      expect(found.map((f) => f.id)).toEqual([near.id, other.id, mid.id]);
      expect(found[0]?.distanceM).toBeCloseTo(100, -1);
      expect(found[0]).toMatchObject({ code: near.code, gates: near.gates });
      const cq = await storage.compounds.nearby({ center: JIEFANGBEI, radiusM: 1000, limit: 10, city: 'chongqing' });
      expect(cq.map((f) => f.id)).toEqual([near.id, mid.id]);
      expect((await storage.compounds.nearby({ center: JIEFANGBEI, radiusM: 1000, limit: 1 })).map((f) => f.id)).toEqual([near.id]);
    });

    it('lists with keyset paging and a city filter, counts, and deletes once', async () => {
      const made = [];
      for (let i = 0; i < 4; i++) made.push(await storage.compounds.create(compoundInput({ city: i === 3 ? 'chengdu' : 'chongqing' }), T0));
      const first = await storage.compounds.list({ limit: 2 });
      const rest = await storage.compounds.list({ limit: 10, after: first[1]?.id });
      expect([...first, ...rest].map((c) => c.id)).toEqual(sortedIds(made));
      expect((await storage.compounds.list({ limit: 10, city: 'chengdu' })).map((c) => c.id)).toEqual([made[3]?.id]);
      expect(await storage.compounds.count()).toBe(4);
      expect(await storage.compounds.count({ city: 'chongqing' })).toBe(3);
      const gone = made[0] as { id: string; code: string };
      await expect(storage.compounds.delete(gone.id)).resolves.toBe(true);
      await expect(storage.compounds.delete(gone.id)).resolves.toBe(false);
      await expect(storage.compounds.get(gone.id)).resolves.toBeNull();
      await expect(storage.compounds.findByCode(gone.code)).resolves.toBeNull();
    });

    it('upserts by externalId idempotently, and a compound keeps its code through updates and re-imports', async () => {
      const batch = [compoundInput({ externalId: 'x-1' }), compoundInput({ externalId: 'x-2' })];
      const first = await storage.compounds.upsertMany(batch, T0);
      expect(first).toMatchObject({ inserted: 2, updated: 0, unchanged: 0 });
      const before = await storage.compounds.getByExternalId('x-1');
      expect(before?.code).toMatch(COMPOUND_CODE);

      const again = await storage.compounds.upsertMany(batch, at(MIN));
      expect(again).toEqual({ inserted: 0, updated: 0, unchanged: 2, ids: first.ids });
      expect(await storage.compounds.getByExternalId('x-1')).toEqual(before);

      const renamed = [{ ...batch[0] as CompoundInput, name: '改名小区', gates: [{ id: 'west', name: '西门', location: null }] }, batch[1] as CompoundInput];
      expect(await storage.compounds.upsertMany(renamed, at(2 * MIN))).toEqual({ inserted: 0, updated: 1, unchanged: 1, ids: first.ids });
      const after = await storage.compounds.getByExternalId('x-1');
      expect(after).toMatchObject({ id: before?.id, code: before?.code, name: '改名小区', createdAt: T0, updatedAt: at(2 * MIN) });
      expect(after?.gates).toEqual([{ id: 'west', name: '西门', location: null }]);
      expect((await storage.compounds.findByCode(before?.code ?? ''))?.name).toBe('改名小区');
      expect(await storage.compounds.count()).toBe(2);
    });

    it('hands out compounds that do not alias storage: changing nested gates or policy changes no later read', async () => {
      const created = await storage.compounds.create(compoundInput(), T0);
      const snapshot = structuredClone(await storage.compounds.get(created.id));
      scribble(created);
      scribble(await storage.compounds.get(created.id));
      scribble(await storage.compounds.findByCode(snapshot?.code ?? ''));
      scribble((await storage.compounds.search({ text: snapshot?.name ?? '', limit: 1 }))[0]);
      scribble((await storage.compounds.nearby({ center: JIEFANGBEI, radiusM: 100, limit: 1 }))[0]);
      expect(await storage.compounds.get(created.id)).toEqual(snapshot);
      expect((await storage.compounds.findByCode(snapshot?.code ?? ''))?.gates).toEqual(snapshot?.gates);
      expect((await storage.compounds.nearby({ center: JIEFANGBEI, radiusM: 100, limit: 1 }))[0]).toMatchObject({ gates: snapshot?.gates, policy: snapshot?.policy });
    });
  });

  describe('access requests', () => {
    it('creates and reads a request back with its dates, and null for unknown or malformed ids', async () => {
      const r = await storage.accessRequests.create(request());
      expect(await storage.accessRequests.get(r.id)).toEqual(r);
      expect((await storage.accessRequests.get(r.id))?.createdAt).toBeInstanceOf(Date);
      await expect(storage.accessRequests.get(UNKNOWN_ID)).resolves.toBeNull();
      await expect(storage.accessRequests.get('nope')).resolves.toBeNull();
    });

    it("finds only the rider's pending request for that compound", async () => {
      await storage.accessRequests.create(request({ riderId: 'r1', compoundId: 'c1', status: 'denied' }));
      await storage.accessRequests.create(request({ riderId: 'r2', compoundId: 'c1' }));
      await storage.accessRequests.create(request({ riderId: 'r1', compoundId: 'c2' }));
      await expect(storage.accessRequests.findPending('r1', 'c1')).resolves.toBeNull();
      const mine = await storage.accessRequests.create(request({ riderId: 'r1', compoundId: 'c1' }));
      expect(await storage.accessRequests.findPending('r1', 'c1')).toEqual(mine);
      await storage.accessRequests.decide(mine.id, { status: 'approved', decidedBy: 'auto', decidedAt: at(MIN), decisionNote: null, passId: 'p1' });
      await expect(storage.accessRequests.findPending('r1', 'c1')).resolves.toBeNull();
    });

    it('decides a pending request once; a second decision returns null and changes nothing', async () => {
      const r = await storage.accessRequests.create(request());
      const approved = await storage.accessRequests.decide(r.id, { status: 'approved', decidedBy: 'm1', decidedAt: at(MIN), decisionNote: '欢迎', passId: 'p1' });
      expect(approved).toEqual({ ...r, status: 'approved', decidedBy: 'm1', decidedAt: at(MIN), decisionNote: '欢迎', passId: 'p1', updatedAt: at(MIN) });
      expect(await storage.accessRequests.get(r.id)).toEqual(approved);
      const late = await storage.accessRequests.decide(r.id, { status: 'denied', decidedBy: 'm2', decidedAt: at(2 * MIN), decisionNote: '不行', passId: null });
      expect(late).toBeNull();
      expect(await storage.accessRequests.get(r.id)).toEqual(approved);
      await expect(storage.accessRequests.decide(UNKNOWN_ID, { status: 'denied', decidedBy: 'm1', decidedAt: T0, decisionNote: 'x', passId: null })).resolves.toBeNull();
      await expect(storage.accessRequests.decide('nope', { status: 'denied', decidedBy: 'm1', decidedAt: T0, decisionNote: 'x', passId: null })).resolves.toBeNull();
    });

    it('lists by compounds, city, rider, status and creation time, ids ascending, with keyset paging', async () => {
      const all: AccessRequest[] = [];
      const add = async (over: Partial<AccessRequest>) => all.push(await storage.accessRequests.create(request(over)));
      await add({ compoundId: 'c1', riderId: 'r1', createdAt: at(0) });
      await add({ compoundId: 'c2', riderId: 'r2', createdAt: at(1 * MIN), status: 'approved' });
      await add({ compoundId: 'c3', riderId: 'r1', createdAt: at(2 * MIN), city: 'chengdu' });
      await add({ compoundId: 'c1', riderId: 'r3', createdAt: at(3 * MIN), status: 'denied' });
      await add({ compoundId: 'c3', riderId: 'r2', createdAt: at(4 * MIN), city: 'chengdu' });
      await add({ compoundId: 'c2', riderId: 'r1', createdAt: at(5 * MIN) });
      const ids = (xs: AccessRequest[]) => xs.map((x) => x.id);
      const pick = (...n: number[]) => n.map((i) => all[i]?.id);
      const list = (q: Partial<Parameters<Storage['accessRequests']['list']>[0]>) => storage.accessRequests.list({ limit: 50, ...q }).then(ids);

      expect(await list({})).toEqual(pick(0, 1, 2, 3, 4, 5));
      expect(await list({ compoundIds: ['c3', 'c1'] })).toEqual(pick(0, 2, 3, 4));
      expect(await list({ compoundIds: ['c1', 'c2'], status: 'pending' })).toEqual(pick(0, 5));
      expect(await list({ compoundIds: [] })).toEqual([]);
      expect(await list({ city: 'chengdu' })).toEqual(pick(2, 4));
      expect(await list({ riderId: 'r1' })).toEqual(pick(0, 2, 5));
      expect(await list({ status: 'pending' })).toEqual(pick(0, 2, 4, 5));
      expect(await list({ createdSince: at(1 * MIN), createdBefore: at(4 * MIN) })).toEqual(pick(1, 2, 3));
      expect(await list({ createdSince: at(5 * MIN) })).toEqual(pick(5));
      expect(await list({ createdBefore: at(1 * MIN), riderId: 'r1' })).toEqual(pick(0));

      const page1 = await list({ compoundIds: ['c1', 'c2', 'c3'], limit: 4 });
      expect(page1).toEqual(pick(0, 1, 2, 3));
      expect(await list({ compoundIds: ['c1', 'c2', 'c3'], limit: 4, after: page1[3] })).toEqual(pick(4, 5));
      expect(await list({ limit: 2, after: all[1]?.id })).toEqual(pick(2, 3));
      expect(await list({ status: 'pending', after: all[2]?.id })).toEqual(pick(4, 5));
      expect(await list({ after: 'not-an-id' })).toEqual([]);
    });
  });

  describe('passes', () => {
    it('numbers passes 1, 2, 3 at each compound independently, ignoring any number given', async () => {
      const numbered = { ...pass({ compoundId: 'A' }), number: 99 };
      const a1 = await storage.passes.create(numbered);
      const b1 = await storage.passes.create(pass({ compoundId: 'B' }));
      const a2 = await storage.passes.create(pass({ compoundId: 'A' }));
      const a3 = await storage.passes.create(pass({ compoundId: 'A' }));
      const b2 = await storage.passes.create(pass({ compoundId: 'B' }));
      expect([a1, a2, a3, b1, b2].map((p) => p.number)).toEqual([1, 2, 3, 1, 2]);
      expect(await storage.passes.get(a1.id)).toEqual(a1);
      expect(await storage.passes.get(a1.id)).toMatchObject({ number: 1, validTo: at(30 * DAY), hours: [{ open: '22:00', close: '06:00' }] });
      await expect(storage.passes.get(UNKNOWN_ID)).resolves.toBeNull();
    });

    it('finds a pass by its number at its compound only', async () => {
      const a1 = await storage.passes.create(pass({ compoundId: 'A' }));
      const a2 = await storage.passes.create(pass({ compoundId: 'A' }));
      const b1 = await storage.passes.create(pass({ compoundId: 'B' }));
      expect(await storage.passes.findByNumber('A', 2)).toEqual(a2);
      expect(await storage.passes.findByNumber('A', 1)).toEqual(a1);
      expect(await storage.passes.findByNumber('B', 1)).toEqual(b1);
      await expect(storage.passes.findByNumber('B', 2)).resolves.toBeNull();
      await expect(storage.passes.findByNumber('C', 1)).resolves.toBeNull();
    });

    it('finds the current pass: active, inside its validity window, the latest validTo winning', async () => {
      const short = await storage.passes.create(pass({ validFrom: T0, validTo: at(10 * DAY) }));
      const long = await storage.passes.create(pass({ validFrom: T0, validTo: at(20 * DAY) }));
      await storage.passes.create(pass({ validFrom: T0, validTo: at(90 * DAY), status: 'revoked', revokedAt: T0, revokedBy: 'm1', revokeReason: 'x' }));
      const later = await storage.passes.create(pass({ validFrom: at(15 * DAY), validTo: at(40 * DAY) }));
      await storage.passes.create(pass({ riderId: 'r2', validFrom: T0, validTo: at(99 * DAY) }));
      await storage.passes.create(pass({ compoundId: 'c2', validFrom: T0, validTo: at(99 * DAY) }));
      const current = (t: Date) => storage.passes.findCurrent('r1', 'c1', t).then((p) => p?.id ?? null);
      await expect(current(at(-1))).resolves.toBeNull();
      await expect(current(T0)).resolves.toBe(long.id);
      await expect(current(at(14 * DAY))).resolves.toBe(long.id);
      await expect(current(at(16 * DAY))).resolves.toBe(later.id);
      await expect(current(at(40 * DAY - 1))).resolves.toBe(later.id);
      await expect(current(at(40 * DAY))).resolves.toBeNull();
      await storage.passes.revoke(long.id, 'm1', '违规', at(MIN));
      await expect(current(at(2 * MIN))).resolves.toBe(short.id);
      await expect(storage.passes.findCurrent('r1', 'c3', T0)).resolves.toBeNull();
    });

    it("lists a rider's passes across compounds, ids ascending, with keyset paging", async () => {
      const mine = [];
      for (const compoundId of ['c1', 'c2', 'c1', 'c3']) mine.push(await storage.passes.create(pass({ compoundId })));
      await storage.passes.create(pass({ riderId: 'r2' }));
      const first = await storage.passes.listByRider('r1', { limit: 3 });
      const rest = await storage.passes.listByRider('r1', { limit: 3, after: first[2]?.id });
      expect(first).toHaveLength(3);
      expect([...first, ...rest].map((p) => p.id)).toEqual(mine.map((p) => p.id));
      expect(rest[0]).toEqual(mine[3]);
      await expect(storage.passes.listByRider('nobody', { limit: 3 })).resolves.toEqual([]);
    });

    it('revokes an active pass once; a second revoke returns null and keeps the first', async () => {
      const p = await storage.passes.create(pass());
      const revoked = await storage.passes.revoke(p.id, 'm1', '违规停车', at(MIN));
      expect(revoked).toEqual({ ...p, status: 'revoked', revokedAt: at(MIN), revokedBy: 'm1', revokeReason: '违规停车', updatedAt: at(MIN) });
      expect(await storage.passes.get(p.id)).toEqual(revoked);
      await expect(storage.passes.revoke(p.id, 'm2', '再来一次', at(2 * MIN))).resolves.toBeNull();
      expect(await storage.passes.get(p.id)).toEqual(revoked);
      await expect(storage.passes.revoke(UNKNOWN_ID, 'm1', 'x', at(MIN))).resolves.toBeNull();
      await expect(storage.passes.revoke('nope', 'm1', 'x', at(MIN))).resolves.toBeNull();
    });

    it("revokes every active pass of the rider at the compound and nothing else", async () => {
      const a = await storage.passes.create(pass());
      const b = await storage.passes.create(pass({ validTo: at(60 * DAY) }));
      const old = await storage.passes.revoke((await storage.passes.create(pass())).id, 'm0', '早已收回', T0);
      const elsewhere = await storage.passes.create(pass({ compoundId: 'c2' }));
      const other = await storage.passes.create(pass({ riderId: 'r2' }));
      const revoked = await storage.passes.revokeAllOf('r1', 'c1', 'm1', '禁止进入', at(MIN));
      expect(sortedIds(revoked)).toEqual(sortedIds([a, b]));
      for (const p of revoked) expect(p).toMatchObject({ status: 'revoked', revokedBy: 'm1', revokeReason: '禁止进入', revokedAt: at(MIN) });
      expect(await storage.passes.get(a.id)).toMatchObject({ status: 'revoked', revokedBy: 'm1' });
      expect(await storage.passes.get(old?.id ?? '')).toEqual(old);
      expect((await storage.passes.get(elsewhere.id))?.status).toBe('active');
      expect((await storage.passes.get(other.id))?.status).toBe('active');
      await expect(storage.passes.revokeAllOf('r1', 'c1', 'm1', '再来', at(2 * MIN))).resolves.toEqual([]);
    });

    it('lists active passes ending within (now, until] without a notice, and marks a notice only once', async () => {
      const now = at(10 * DAY);
      await storage.passes.create(pass({ validTo: now })); // ended: (now, until] leaves it out
      const soon = await storage.passes.create(pass({ validTo: at(10 * DAY + 60 * MIN) }));
      const edge = await storage.passes.create(pass({ validTo: at(11 * DAY) }));
      await storage.passes.create(pass({ validTo: at(11 * DAY + 1) }));
      const revoked = await storage.passes.create(pass({ validTo: at(10 * DAY + 2 * MIN) }));
      await storage.passes.revoke(revoked.id, 'm1', 'x', T0);
      const until = at(11 * DAY);
      expect(sortedIds(await storage.passes.expiringWithoutNotice(now, until, 10))).toEqual(sortedIds([soon, edge]));
      expect(await storage.passes.expiringWithoutNotice(now, until, 1)).toHaveLength(1);

      await expect(storage.passes.markExpiryNotice(soon.id, now)).resolves.toBe(true);
      await expect(storage.passes.markExpiryNotice(soon.id, at(10 * DAY + MIN))).resolves.toBe(false);
      expect((await storage.passes.get(soon.id))?.expiryNoticeAt).toEqual(now);
      expect((await storage.passes.expiringWithoutNotice(now, until, 10)).map((p) => p.id)).toEqual([edge.id]);
      await expect(storage.passes.markExpiryNotice(UNKNOWN_ID, now)).resolves.toBe(false);
    });

    it('still finds a pass without a notice behind many earlier-ending passes that have one', async () => {
      const now = T0;
      for (let i = 1; i <= 6; i++) {
        const p = await storage.passes.create(pass({ validTo: at(i * MIN) }));
        await storage.passes.markExpiryNotice(p.id, now);
      }
      const waiting = await storage.passes.create(pass({ validTo: at(30 * MIN) }));
      expect((await storage.passes.expiringWithoutNotice(now, at(DAY), 1)).map((p) => p.id)).toEqual([waiting.id]);
    });

    it('hands out passes that do not alias storage', async () => {
      const p = await storage.passes.create(pass());
      const got = await storage.passes.get(p.id);
      got?.hours?.push({ open: '00:00', close: '24:00' });
      p.hours?.push({ open: '01:00', close: '02:00' });
      expect((await storage.passes.get(p.id))?.hours).toEqual([{ open: '22:00', close: '06:00' }]);
    });
  });

  describe('entry events', () => {
    it('records events and lists a compound newest first, by rider and time, with before paging', async () => {
      const all: EntryEvent[] = [];
      for (let i = 0; i < 6; i++) {
        all.push(await storage.entries.record(entry({ at: at(i * MIN), riderId: i % 2 ? 'r2' : 'r1', allowed: i !== 4, reason: i === 4 ? 'expired' : 'ok' })));
      }
      await storage.entries.record(entry({ compoundId: 'c2', at: at(2 * MIN) }));
      const ids = (xs: EntryEvent[]) => xs.map((x) => x.id);
      const pick = (...n: number[]) => n.map((i) => all[i]?.id);
      expect(await storage.entries.list({ compoundId: 'c1', limit: 50 })).toEqual([...all].reverse());
      expect(ids(await storage.entries.list({ compoundId: 'c1', riderId: 'r1', limit: 50 }))).toEqual(pick(4, 2, 0));
      expect(ids(await storage.entries.list({ compoundId: 'c1', since: at(2 * MIN), until: at(5 * MIN), limit: 50 }))).toEqual(pick(4, 3, 2));
      expect(ids(await storage.entries.list({ compoundId: 'c1', since: at(4 * MIN), limit: 50 }))).toEqual(pick(5, 4));
      expect(ids(await storage.entries.list({ compoundId: 'c1', until: at(MIN), limit: 50 }))).toEqual(pick(0));
      const page1 = await storage.entries.list({ compoundId: 'c1', limit: 4 });
      expect(ids(page1)).toEqual(pick(5, 4, 3, 2));
      expect(ids(await storage.entries.list({ compoundId: 'c1', limit: 4, before: page1[3]?.id }))).toEqual(pick(1, 0));
      expect(ids(await storage.entries.list({ compoundId: 'c1', riderId: 'r2', limit: 50, before: all[5]?.id }))).toEqual(pick(3, 1));
      expect(await storage.entries.list({ compoundId: 'c3', limit: 50 })).toEqual([]);
      expect((await storage.entries.list({ compoundId: 'c1', limit: 1, before: all[5]?.id }))[0]).toMatchObject({ allowed: false, reason: 'expired', at: at(4 * MIN) });
    });
  });

  describe('blocks', () => {
    it('creates a block; a second active block of the rider at the compound is a 409', async () => {
      const b = await storage.blocks.create(block());
      expect(await storage.blocks.findActive('r1', 'c1')).toEqual(b);
      const err = await rejection(storage.blocks.create(block({ reason: '又一次' })));
      expect(err).toBeInstanceOf(ConflictError);
      expect((err as ConflictError).status).toBe(409);
      expect(await storage.blocks.list({ compoundId: 'c1', limit: 10 })).toEqual([b]);
      await expect(storage.blocks.create(block({ compoundId: 'c2' }))).resolves.toMatchObject({ compoundId: 'c2' });
      await expect(storage.blocks.create(block({ riderId: 'r2' }))).resolves.toMatchObject({ riderId: 'r2' });
      await expect(storage.blocks.findActive('r3', 'c1')).resolves.toBeNull();
    });

    it('lifts a block once; then the rider is not blocked and may be blocked again', async () => {
      const b = await storage.blocks.create(block());
      const lifted = await storage.blocks.lift(b.id, 'm2', at(MIN));
      expect(lifted).toEqual({ ...b, liftedAt: at(MIN), liftedBy: 'm2' });
      await expect(storage.blocks.lift(b.id, 'm3', at(2 * MIN))).resolves.toBeNull();
      await expect(storage.blocks.lift(UNKNOWN_ID, 'm3', at(2 * MIN))).resolves.toBeNull();
      await expect(storage.blocks.findActive('r1', 'c1')).resolves.toBeNull();
      const again = await storage.blocks.create(block({ createdAt: at(3 * MIN) }));
      expect(await storage.blocks.findActive('r1', 'c1')).toEqual(again);
      expect(await storage.blocks.list({ compoundId: 'c1', limit: 10 })).toEqual([lifted, again]);
    });

    it("lists a compound's blocks, ids ascending, with keyset paging", async () => {
      const made = [];
      for (const riderId of ['r1', 'r2', 'r3']) made.push(await storage.blocks.create(block({ riderId })));
      await storage.blocks.create(block({ compoundId: 'c2' }));
      const first = await storage.blocks.list({ compoundId: 'c1', limit: 2 });
      expect(first).toEqual(made.slice(0, 2));
      expect(await storage.blocks.list({ compoundId: 'c1', limit: 2, after: first[1]?.id })).toEqual(made.slice(2));
    });
  });

  describe('QR token uses', () => {
    it('claims a token once per compound', async () => {
      const use = { jti: 'jti-1', compoundId: 'c1', expiresAt: at(MIN) };
      await expect(storage.tokenUses.claim(use)).resolves.toBe(true);
      await expect(storage.tokenUses.claim(use)).resolves.toBe(false);
      await expect(storage.tokenUses.claim({ ...use, expiresAt: at(2 * MIN) })).resolves.toBe(false);
      await expect(storage.tokenUses.claim({ ...use, compoundId: 'c2' })).resolves.toBe(true);
      await expect(storage.tokenUses.claim({ ...use, jti: 'jti-2' })).resolves.toBe(true);
    });
  });

  describe('gate devices', () => {
    it('creates a device, reads it by id and by token hash, and revokes it once', async () => {
      const d = await storage.gateDevices.create(device());
      expect(await storage.gateDevices.get(d.id)).toEqual(d);
      expect(await storage.gateDevices.findByTokenHash(d.tokenHash)).toEqual(d);
      await expect(storage.gateDevices.findByTokenHash('hash-unknown')).resolves.toBeNull();
      await expect(storage.gateDevices.get(UNKNOWN_ID)).resolves.toBeNull();
      const revoked = await storage.gateDevices.revoke(d.id, at(MIN));
      expect(revoked).toEqual({ ...d, revokedAt: at(MIN) });
      await expect(storage.gateDevices.revoke(d.id, at(2 * MIN))).resolves.toBeNull();
      await expect(storage.gateDevices.revoke(UNKNOWN_ID, at(2 * MIN))).resolves.toBeNull();
      expect(await storage.gateDevices.findByTokenHash(d.tokenHash)).toEqual(revoked);
    });

    it('refuses a second device with the same token hash as a 409', async () => {
      const d = await storage.gateDevices.create(device());
      expect(await rejection(storage.gateDevices.create(device({ tokenHash: d.tokenHash, compoundId: 'c2' })))).toBeInstanceOf(ConflictError);
      expect(await storage.gateDevices.list({ compoundId: 'c2', limit: 10 })).toEqual([]);
    });

    it("lists a compound's devices, ids ascending, with keyset paging", async () => {
      const made = [];
      for (let i = 0; i < 3; i++) made.push(await storage.gateDevices.create(device({ name: `门${i}` })));
      await storage.gateDevices.create(device({ compoundId: 'c2' }));
      const first = await storage.gateDevices.list({ compoundId: 'c1', limit: 2 });
      expect(first).toEqual(made.slice(0, 2));
      expect(await storage.gateDevices.list({ compoundId: 'c1', limit: 2, after: first[1]?.id })).toEqual(made.slice(2));
    });
  });

  describe('atomically', () => {
    it('rolls back requests, decisions, passes, revocations, token uses and compounds written in a failed unit', async () => {
      if (!storage.transactions) return; // MongoDB without a replica set: nothing to roll back with
      const kept = await storage.accessRequests.create(request({ riderId: 'r9' }));
      const keptPass = await storage.passes.create(pass({ compoundId: 'A' }));
      const ids = { request: '', pass: '', compound: '' };
      await expect(storage.atomically(async () => {
        ids.request = (await storage.accessRequests.create(request({ riderId: 'r8' }))).id;
        ids.pass = (await storage.passes.create(pass({ compoundId: 'B', requestId: ids.request }))).id;
        await storage.accessRequests.decide(kept.id, { status: 'approved', decidedBy: 'm1', decidedAt: at(MIN), decisionNote: null, passId: ids.pass });
        await storage.passes.revoke(keptPass.id, 'm1', 'x', at(MIN));
        await storage.tokenUses.claim({ jti: 'tx-jti', compoundId: 'A', expiresAt: at(MIN) });
        ids.compound = (await storage.compounds.create(compoundInput({ externalId: 'tx-compound' }), T0)).id;
        throw new Error('x');
      })).rejects.toThrow('x');

      await expect(storage.accessRequests.get(ids.request)).resolves.toBeNull();
      await expect(storage.accessRequests.findPending('r8', 'c1')).resolves.toBeNull();
      expect(await storage.accessRequests.get(kept.id)).toEqual(kept);
      await expect(storage.passes.get(ids.pass)).resolves.toBeNull();
      await expect(storage.passes.findByNumber('B', 1)).resolves.toBeNull();
      expect(await storage.passes.get(keptPass.id)).toEqual(keptPass);
      await expect(storage.tokenUses.claim({ jti: 'tx-jti', compoundId: 'A', expiresAt: at(MIN) })).resolves.toBe(true);
      await expect(storage.compounds.get(ids.compound)).resolves.toBeNull();
      await expect(storage.compounds.getByExternalId('tx-compound')).resolves.toBeNull();
      expect((await storage.passes.create(pass({ compoundId: 'B' }))).number).toBe(1);
    });

    it('commits everything written in a unit that succeeds', async () => {
      const made = await storage.atomically(async () => {
        const r = await storage.accessRequests.create(request());
        const p = await storage.passes.create(pass({ requestId: r.id }));
        await storage.accessRequests.decide(r.id, { status: 'approved', decidedBy: 'auto', decidedAt: at(MIN), decisionNote: null, passId: p.id });
        return { r, p };
      });
      expect(await storage.accessRequests.get(made.r.id)).toMatchObject({ status: 'approved', passId: made.p.id });
      expect(await storage.passes.findByNumber('c1', 1)).toEqual(made.p);
    });
  });
});
