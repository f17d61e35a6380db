import { ConflictError } from '../../src/shared/errors';
import { MAX_PREVIOUS_REFRESH, type AuditEntry, type OneTimeCode, type StaffInput } from '../../src/modules/identity/identity.types';
import { type Storage } from '../../src/features';
import { drivers } from '../helpers/storage';

// Far in the future: sessions and codes expire by wall clock (MongoDB's TTL monitor, the embedded purge), and
// these instants are also their expiresAt values.
const T0 = new Date('2096-11-22T02:00:00Z');
const T1 = new Date('2096-11-22T03:00:00Z');
const T2 = new Date('2096-11-22T04:00:00Z');
const UNKNOWN = '0123456789abcdef01234567';
const ID = /^[0-9a-f]{24}$/;
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);

let seq = 0;
const staffInput = (over: Partial<StaffInput> = {}): StaffInput => ({
  username: `op${++seq}`, displayName: `运营${seq}`, passwordHash: 'hash', role: 'station_operator', city: 'chongqing',
  status: 'active', isDemo: false, stationIds: [], merchantIds: [], compoundIds: [], bodyIds: [], ...over,
});
const codeInput = (over: Partial<OneTimeCode> = {}) => ({
  kind: 'invitation' as const, codeHash: `h${++seq}`, payload: { role: 'gate_guard' }, city: 'chengdu' as const,
  createdBy: null, expiresAt: T2, ...over,
});
const auditInput = (over: Partial<AuditEntry> = {}): Omit<AuditEntry, 'id'> => ({
  at: T0, actorId: 'a1', actorRole: 'city_admin', city: 'chongqing', action: 'station.update', objectType: 'station',
  objectId: 's1', summary: { name: '新名' }, requestId: `req-${++seq}`, ...over,
});

async function conflictField(p: Promise<unknown>): Promise<unknown> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(ConflictError);
  return (err as ConflictError).details;
}

describe.each(drivers())('identity storage contract: $name driver', ({ open }) => {
  let storage: Storage;
  beforeEach(async () => {
    storage = await open();
  });
  afterEach(async () => {
    await storage.close();
  });

  describe('riders', () => {
    it('creates an unverified, active rider with an empty profile on first login and finds it on the next', async () => {
      const first = await storage.riders.findOrCreateByOpenid('o-1', 'u-1', T0);
      expect(first).toEqual({
        created: true,
        rider: {
          id: expect.stringMatching(ID), openid: 'o-1', unionid: 'u-1', botContactId: null, isDemo: false, displayName: null, phone: null,
          platform: null, city: null, plate: null, verification: 'unverified', status: 'active', createdAt: T0, updatedAt: T0,
        },
      });
      const again = await storage.riders.findOrCreateByOpenid('o-1', null, T1, { displayName: '别的' });
      expect(again).toEqual({ created: false, rider: first.rider });
      expect(await storage.riders.get(first.rider.id)).toEqual(first.rider);
    });

    it('applies the extra fields only when it creates the rider', async () => {
      const { rider } = await storage.riders.findOrCreateByOpenid('o-2', null, T0, { isDemo: true, displayName: '小王', city: 'chengdu' });
      expect(rider).toMatchObject({ isDemo: true, displayName: '小王', city: 'chengdu', unionid: null });
    });

    it('makes one rider when ten logins with the same openid race', async () => {
      const results = await Promise.all(Array.from({ length: 10 }, () => storage.riders.findOrCreateByOpenid('o-race', null, T0)));
      expect(new Set(results.map((r) => r.rider.id)).size).toBe(1);
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(await storage.riders.count()).toBe(1);
    });

    it('updates only the given fields, keeps openid and createdAt, and moves updatedAt', async () => {
      const { rider } = await storage.riders.findOrCreateByOpenid('o-3', null, T0);
      const u = await storage.riders.update(rider.id, { phone: '13800000000', platform: '美团', plate: undefined, verification: 'admin_verified' }, T1);
      expect(u).toEqual({ ...rider, phone: '13800000000', platform: '美团', verification: 'admin_verified', updatedAt: T1 });
      expect(await storage.riders.get(rider.id)).toEqual(u);
    });

    it('returns null for unknown and malformed rider ids', async () => {
      await expect(storage.riders.get(UNKNOWN)).resolves.toBeNull();
      await expect(storage.riders.get('not-an-id')).resolves.toBeNull();
      await expect(storage.riders.update(UNKNOWN, { phone: '1' }, T1)).resolves.toBeNull();
      await expect(storage.riders.update('not-an-id', { phone: '1' }, T1)).resolves.toBeNull();
    });

    it('lists riders by id with keyset paging, filters by city and status, and counts by city', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const { rider } = await storage.riders.findOrCreateByOpenid(`o-l${i}`, null, T0, { city: i % 2 ? 'chengdu' : 'chongqing' });
        ids.push(rider.id);
      }
      await storage.riders.update(ids[0] as string, { status: 'suspended' }, T1);
      const first = await storage.riders.list({ limit: 3 });
      const rest = await storage.riders.list({ limit: 3, after: first[2]?.id });
      expect([...first, ...rest].map((r) => r.id)).toEqual([...ids].sort());
      expect((await storage.riders.list({ limit: 10, city: 'chengdu' })).map((r) => r.id)).toEqual([ids[1], ids[3]]);
      expect((await storage.riders.list({ limit: 10, city: 'chongqing', status: 'active' })).map((r) => r.id)).toEqual([ids[2], ids[4]]);
      expect((await storage.riders.list({ limit: 10, status: 'suspended' })).map((r) => r.id)).toEqual([ids[0]]);
      expect(await storage.riders.count({ city: 'chongqing' })).toBe(3);
      expect(await storage.riders.count()).toBe(5);
    });

    it('creates a rider of a bot contact (no openid) on first contact and finds it on the next', async () => {
      const first = await storage.riders.findOrCreateByBotContact('wxid_c1', T0, { displayName: '小李' });
      expect(first).toEqual({
        created: true,
        rider: {
          id: expect.stringMatching(ID), openid: null, unionid: null, botContactId: 'wxid_c1', isDemo: false, displayName: '小李', phone: null,
          platform: null, city: null, plate: null, verification: 'unverified', status: 'active', createdAt: T0, updatedAt: T0,
        },
      });
      const again = await storage.riders.findOrCreateByBotContact('wxid_c1', T1, { displayName: '别的', city: 'chengdu' });
      expect(again).toEqual({ created: false, rider: first.rider });
      expect(await storage.riders.get(first.rider.id)).toEqual(first.rider);
    });

    it('makes one rider when ten first messages of one bot contact race, and one per contact', async () => {
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => storage.riders.findOrCreateByBotContact(i < 8 ? 'wxid_race' : `wxid_other${i}`, T0)));
      expect(new Set(results.slice(0, 8).map((r) => r.rider.id)).size).toBe(1);
      expect(results.slice(0, 8).filter((r) => r.created)).toHaveLength(1);
      expect(await storage.riders.count()).toBe(3);
    });

    it('keeps bot-contact riders and openid riders apart, many without either key', async () => {
      const byOpenid = await storage.riders.findOrCreateByOpenid('wxid_same', null, T0);
      const byContact = await storage.riders.findOrCreateByBotContact('wxid_same', T0);
      expect(byContact.created).toBe(true);
      expect(byContact.rider.id).not.toBe(byOpenid.rider.id);
      expect(byOpenid.rider.botContactId).toBeNull();
      await storage.riders.findOrCreateByOpenid('o-another', null, T0); // a second rider with botContactId null
      await storage.riders.findOrCreateByBotContact('wxid_another', T0); // a second rider with openid null
      expect(await storage.riders.count()).toBe(4);
    });

    it('never changes a rider\'s bot contact through update', async () => {
      const { rider } = await storage.riders.findOrCreateByBotContact('wxid_keep', T0);
      const patch = { displayName: '新名', botContactId: 'wxid_stolen' } as Parameters<Storage['riders']['update']>[1];
      expect(await storage.riders.update(rider.id, patch, T1)).toEqual({ ...rider, displayName: '新名', updatedAt: T1 });
      expect((await storage.riders.findOrCreateByBotContact('wxid_keep', T2)).rider.id).toBe(rider.id);
    });

    it('finds a rider by bound phone, follows rebinding and unbinding, and picks the newest rider when several bound it', async () => {
      const a = (await storage.riders.findOrCreateByOpenid('o-p1', null, T0)).rider;
      const b = (await storage.riders.findOrCreateByOpenid('o-p2', null, T0)).rider;
      await expect(storage.riders.findByPhone('13800000001')).resolves.toBeNull();
      const boundA = await storage.riders.update(a.id, { phone: '13800000001' }, T1);
      expect(await storage.riders.findByPhone('13800000001')).toEqual(boundA);
      const boundB = await storage.riders.update(b.id, { phone: '13800000001' }, T1);
      expect(await storage.riders.findByPhone('13800000001')).toEqual(boundB);
      const moved = await storage.riders.update(b.id, { phone: '13900000002' }, T2);
      expect(await storage.riders.findByPhone('13800000001')).toEqual(boundA);
      expect(await storage.riders.findByPhone('13900000002')).toEqual(moved);
      await storage.riders.update(a.id, { phone: null }, T2);
      await expect(storage.riders.findByPhone('13800000001')).resolves.toBeNull();
      await expect(storage.riders.findByPhone('')).resolves.toBeNull();
    });
  });

  describe('staff', () => {
    it('creates staff with a lower-cased username, no WeChat bindings, no failed logins and no lock', async () => {
      const s = await storage.staff.create(staffInput({ username: 'Zhang.San' }), T0);
      expect(s).toEqual({
        ...staffInput({ username: 'zhang.san', displayName: s.displayName }), id: expect.stringMatching(ID), wechatOpenid: null,
        botContactId: null, failedLogins: 0, lockedUntil: null, lastLoginAt: null, createdAt: T0, updatedAt: T0,
      });
      expect(await storage.staff.get(s.id)).toEqual(s);
    });

    it('finds staff by username whatever its case', async () => {
      const s = await storage.staff.create(staffInput({ username: 'LiSi' }), T0);
      expect(await storage.staff.findByUsername('LISI')).toEqual(s);
      expect(await storage.staff.findByUsername('lisi')).toEqual(s);
      await expect(storage.staff.findByUsername('wangwu')).resolves.toBeNull();
    });

    it('refuses a username that differs only in case as a conflict on username', async () => {
      await storage.staff.create(staffInput({ username: 'guard' }), T0);
      expect(await conflictField(storage.staff.create(staffInput({ username: 'GUARD' }), T0))).toEqual({ field: 'username' });
      expect(await storage.staff.count()).toBe(1);
    });

    it('binds WeChat and bot contacts, finds by them, and refuses one bound to someone else', async () => {
      const a = await storage.staff.create(staffInput(), T0);
      const b = await storage.staff.create(staffInput(), T0);
      const bound = await storage.staff.update(a.id, { wechatOpenid: 'wx-a', botContactId: 'bot-a' }, T1);
      expect(bound).toMatchObject({ wechatOpenid: 'wx-a', botContactId: 'bot-a', updatedAt: T1 });
      expect(await storage.staff.findByOpenid('wx-a')).toEqual(bound);
      expect(await storage.staff.findByBotContact('bot-a')).toEqual(bound);
      await expect(storage.staff.findByOpenid('wx-none')).resolves.toBeNull();
      await expect(storage.staff.findByBotContact('bot-none')).resolves.toBeNull();
      expect(await conflictField(storage.staff.update(b.id, { wechatOpenid: 'wx-a' }, T1))).toEqual({ field: 'wechatOpenid' });
      expect(await conflictField(storage.staff.update(b.id, { botContactId: 'bot-a' }, T1))).toEqual({ field: 'botContactId' });
      expect(await storage.staff.get(b.id)).toEqual(b);
    });

    it('updates login state, holdings, role and password, and never the username', async () => {
      const s = await storage.staff.create(staffInput({ username: 'keeper' }), T0);
      await storage.staff.addFailedLogin(s.id, T0);
      const patch = {
        failedLogins: 0, lockedUntil: T2, lastLoginAt: T1, stationIds: ['st1'], merchantIds: ['m1'], compoundIds: ['c1'], bodyIds: ['b1'],
        status: 'disabled' as const, role: 'city_admin' as const, passwordHash: null, username: 'other',
      };
      const u = await storage.staff.update(s.id, patch, T1);
      const { username: _u, ...applied } = patch;
      expect(u).toEqual({ ...s, ...applied, updatedAt: T1 });
      expect(await storage.staff.get(s.id)).toEqual(u);
      expect(await storage.staff.update(s.id, { lockedUntil: null }, T2)).toMatchObject({ lockedUntil: null, username: 'keeper' });
      await expect(storage.staff.update(UNKNOWN, { status: 'active' }, T1)).resolves.toBeNull();
      await expect(storage.staff.get('not-an-id')).resolves.toBeNull();
    });

    it('counts ten concurrent failed logins as ten', async () => {
      const s = await storage.staff.create(staffInput(), T0);
      const counts = await Promise.all(Array.from({ length: 10 }, () => storage.staff.addFailedLogin(s.id, T1)));
      expect([...counts].sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect((await storage.staff.get(s.id))?.failedLogins).toBe(10);
      await expect(storage.staff.addFailedLogin(UNKNOWN, T1)).resolves.toBe(0);
    });

    it('lists staff by id with keyset paging, filters by city and role, and counts', async () => {
      const a = await storage.staff.create(staffInput({ city: 'chengdu', role: 'gate_guard' }), T0);
      const b = await storage.staff.create(staffInput({ city: 'chengdu' }), T0);
      const c = await storage.staff.create(staffInput({ role: 'gate_guard' }), T0);
      const first = await storage.staff.list({ limit: 2 });
      expect([...first, ...(await storage.staff.list({ limit: 2, after: first[1]?.id }))].map((s) => s.id)).toEqual([a.id, b.id, c.id]);
      expect((await storage.staff.list({ limit: 10, city: 'chengdu' })).map((s) => s.id)).toEqual([a.id, b.id]);
      expect((await storage.staff.list({ limit: 10, role: 'gate_guard' })).map((s) => s.id)).toEqual([a.id, c.id]);
      expect((await storage.staff.list({ limit: 10, city: 'chengdu', role: 'gate_guard' })).map((s) => s.id)).toEqual([a.id]);
      expect(await storage.staff.count({ city: 'chengdu' })).toBe(2);
      expect(await storage.staff.count({ role: 'gate_guard' })).toBe(2);
      expect(await storage.staff.count({ city: 'chongqing', role: 'gate_guard' })).toBe(1);
    });
  });

  describe('one-time codes', () => {
    it('creates an unused code and finds it by hash only under its own kind', async () => {
      const c = await storage.codes.create(codeInput({ codeHash: 'abc' }), T0);
      expect(c).toEqual({ ...codeInput({ codeHash: 'abc' }), id: expect.stringMatching(ID), usedAt: null, usedBy: null, createdAt: T0 });
      expect(await storage.codes.findByHash('invitation', 'abc')).toEqual(c);
      await expect(storage.codes.findByHash('bot_bind', 'abc')).resolves.toBeNull();
      await expect(storage.codes.findByHash('invitation', 'nope')).resolves.toBeNull();
    });

    it('refuses a second code with the same hash as a conflict on codeHash', async () => {
      await storage.codes.create(codeInput({ codeHash: 'dup' }), T0);
      expect(await conflictField(storage.codes.create(codeInput({ codeHash: 'dup', kind: 'bot_bind' }), T0))).toEqual({ field: 'codeHash' });
    });

    it('lets only one of two concurrent consumes win and records who used it', async () => {
      const c = await storage.codes.create(codeInput(), T0);
      const results = await Promise.all([storage.codes.consume(c.id, 'u1', T1), storage.codes.consume(c.id, 'u2', T1)]);
      expect(results.filter(Boolean)).toHaveLength(1);
      const used = await storage.codes.findByHash('invitation', c.codeHash);
      expect(used).toMatchObject({ usedAt: T1, usedBy: results[0] ? 'u1' : 'u2' });
      await expect(storage.codes.consume(c.id, 'u3', T2)).resolves.toBe(false);
    });

    it('can be consumed again after a release', async () => {
      const c = await storage.codes.create(codeInput(), T0);
      await storage.codes.consume(c.id, 'u1', T1);
      await storage.codes.release(c.id);
      expect(await storage.codes.findByHash('invitation', c.codeHash)).toMatchObject({ usedAt: null, usedBy: null });
      await expect(storage.codes.consume(c.id, 'u2', T2)).resolves.toBe(true);
      expect(await storage.codes.findByHash('invitation', c.codeHash)).toMatchObject({ usedAt: T2, usedBy: 'u2' });
    });

    it('does not consume unknown or malformed ids, and releasing them is harmless', async () => {
      await expect(storage.codes.consume(UNKNOWN, 'u1', T1)).resolves.toBe(false);
      await expect(storage.codes.consume('not-an-id', 'u1', T1)).resolves.toBe(false);
      await expect(storage.codes.release('not-an-id')).resolves.toBeUndefined();
    });

    it('lists codes of one kind by id with keyset paging and a city filter, ignoring expiry', async () => {
      const a = await storage.codes.create(codeInput({ expiresAt: T0 }), T0);
      const b = await storage.codes.create(codeInput({ city: 'chongqing' }), T0);
      await storage.codes.create(codeInput({ kind: 'bot_bind' }), T0);
      const c = await storage.codes.create(codeInput({ city: null }), T0);
      const first = await storage.codes.list({ kind: 'invitation', limit: 2 });
      const rest = await storage.codes.list({ kind: 'invitation', limit: 2, after: first[1]?.id });
      expect([...first, ...rest].map((x) => x.id)).toEqual([a.id, b.id, c.id]);
      expect((await storage.codes.list({ kind: 'invitation', city: 'chengdu', limit: 10 })).map((x) => x.id)).toEqual([a.id]);
    });
  });

  describe('sessions', () => {
    const login = (over: { subjectId?: string; refreshHash?: string } = {}) =>
      storage.sessions.create({ subjectType: 'staff', subjectId: 's1', refreshHash: `r${++seq}`, expiresAt: T2, ...over }, T0);

    it('creates an unrevoked session and finds it by id and refresh hash', async () => {
      const s = await login({ refreshHash: 'r-a' });
      expect(s).toEqual({
        id: expect.stringMatching(ID), subjectType: 'staff', subjectId: 's1', refreshHash: 'r-a', previousHashes: [], expiresAt: T2, revokedAt: null,
        createdAt: T0, lastUsedAt: T0,
      });
      expect(await storage.sessions.get(s.id)).toEqual(s);
      expect(await storage.sessions.findByRefreshHash('r-a')).toEqual(s);
      await expect(storage.sessions.findByRefreshHash('r-none')).resolves.toBeNull();
      await expect(storage.sessions.get(UNKNOWN)).resolves.toBeNull();
      await expect(storage.sessions.get('not-an-id')).resolves.toBeNull();
    });

    it('refuses a second session with the same refresh hash as a conflict on refreshHash', async () => {
      await login({ refreshHash: 'r-dup' });
      expect(await conflictField(login({ refreshHash: 'r-dup' }))).toEqual({ field: 'refreshHash' });
    });

    it('rotates only from the current refresh hash, and a stale one is refused', async () => {
      const s = await login({ refreshHash: 'r-1' });
      const later = minutes(600);
      await expect(storage.sessions.rotate(s.id, 'r-1', 'r-2', later, T1)).resolves.toBe(true);
      expect(await storage.sessions.get(s.id)).toEqual({ ...s, refreshHash: 'r-2', previousHashes: ['r-1'], expiresAt: later, lastUsedAt: T1 });
      await expect(storage.sessions.findByRefreshHash('r-1')).resolves.toBeNull();
      await expect(storage.sessions.rotate(s.id, 'r-1', 'r-3', later, T2)).resolves.toBe(false);
      expect((await storage.sessions.get(s.id))?.refreshHash).toBe('r-2');
      await expect(storage.sessions.rotate(UNKNOWN, 'r-2', 'r-3', later, T2)).resolves.toBe(false);
    });

    it('remembers the rotated-away hashes, newest last, up to MAX_PREVIOUS_REFRESH', async () => {
      const s = await login({ refreshHash: 'h-0' });
      expect(s.previousHashes).toEqual([]);
      const n = MAX_PREVIOUS_REFRESH + 3;
      for (let i = 0; i < n; i++) await storage.sessions.rotate(s.id, `h-${i}`, `h-${i + 1}`, T2, T1);
      const got = await storage.sessions.get(s.id);
      expect(got?.refreshHash).toBe(`h-${n}`);
      expect(got?.previousHashes).toHaveLength(MAX_PREVIOUS_REFRESH);
      expect(got?.previousHashes.at(-1)).toBe(`h-${n - 1}`);
      expect(got?.previousHashes[0]).toBe(`h-${n - MAX_PREVIOUS_REFRESH}`);
    });

    it('gives sessions ids that are neither sequential nor share a prefix', async () => {
      const ids = await Promise.all(Array.from({ length: 20 }, () => login().then((x) => x.id)));
      expect(new Set(ids.map((id) => id.slice(0, 8))).size).toBeGreaterThan(15); // ObjectIds share a time prefix
      expect(new Set(ids.map((id) => id.slice(8, 18))).size).toBe(20); // and a per-process random part
    });

    it('refuses to rotate a revoked session', async () => {
      const s = await login({ refreshHash: 'r-x' });
      await storage.sessions.revoke(s.id, T1);
      await expect(storage.sessions.rotate(s.id, 'r-x', 'r-y', T2, T2)).resolves.toBe(false);
      expect(await storage.sessions.get(s.id)).toMatchObject({ refreshHash: 'r-x', revokedAt: T1, lastUsedAt: T0 });
    });

    it('keeps the first revocation time when revoked twice', async () => {
      const s = await login();
      await storage.sessions.revoke(s.id, T1);
      await storage.sessions.revoke(s.id, T2);
      expect((await storage.sessions.get(s.id))?.revokedAt).toEqual(T1);
      await expect(storage.sessions.revoke('not-an-id', T1)).resolves.toBeUndefined();
    });

    it('revokes every live session of one subject and says how many', async () => {
      const [a, b, c] = [await login(), await login(), await login()];
      const other = await login({ subjectId: 's2' });
      const rider = await storage.sessions.create({ subjectType: 'rider', subjectId: 's1', refreshHash: 'r-rider', expiresAt: T2 }, T0);
      await storage.sessions.revoke(a.id, T1);
      await expect(storage.sessions.revokeAllFor('staff', 's1', T2)).resolves.toBe(2);
      expect((await storage.sessions.get(a.id))?.revokedAt).toEqual(T1);
      for (const s of [b, c]) expect((await storage.sessions.get(s.id))?.revokedAt).toEqual(T2);
      for (const s of [other, rider]) expect((await storage.sessions.get(s.id))?.revokedAt).toBeNull();
      await expect(storage.sessions.revokeAllFor('staff', 's1', T2)).resolves.toBe(0);
    });
  });

  describe('audit', () => {
    it('assigns an id on append and lists newest first', async () => {
      const a = await storage.audit.append(auditInput({ at: minutes(1) }));
      const b = await storage.audit.append(auditInput({ at: minutes(2), objectId: null, city: null }));
      expect(a).toEqual({ ...auditInput({ at: minutes(1), requestId: a.requestId }), id: expect.stringMatching(ID) });
      expect(await storage.audit.list({ limit: 10 })).toEqual([b, a]);
    });

    it('pages newest first with before', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push((await storage.audit.append(auditInput({ at: minutes(i) }))).id);
      const first = await storage.audit.list({ limit: 2 });
      const second = await storage.audit.list({ limit: 2, before: first[1]?.id });
      const third = await storage.audit.list({ limit: 2, before: second[1]?.id });
      expect([...first, ...second, ...third].map((e) => e.id)).toEqual([...ids].reverse());
      await expect(storage.audit.list({ limit: 2, before: 'not-an-id' })).resolves.toEqual([]);
    });

    it('filters by city, actor, action, object and time range, each on its own and together', async () => {
      const e1 = await storage.audit.append(auditInput({ at: minutes(1) }));
      const e2 = await storage.audit.append(auditInput({ at: minutes(2), city: 'chengdu', actorId: 'a2' }));
      const e3 = await storage.audit.append(auditInput({ at: minutes(3), action: 'station.occupancy', objectId: 's2' }));
      const e4 = await storage.audit.append(auditInput({ at: minutes(4), objectType: 'merchant', objectId: 's1', actorId: 'a2' }));
      const ids = async (q: Partial<Parameters<Storage['audit']['list']>[0]>) => (await storage.audit.list({ limit: 10, ...q })).map((e) => e.id);
      expect(await ids({ city: 'chengdu' })).toEqual([e2.id]);
      expect(await ids({ actorId: 'a2' })).toEqual([e4.id, e2.id]);
      expect(await ids({ action: 'station.occupancy' })).toEqual([e3.id]);
      expect(await ids({ objectType: 'merchant' })).toEqual([e4.id]);
      expect(await ids({ objectType: 'station', objectId: 's1' })).toEqual([e2.id, e1.id]);
      expect(await ids({ from: minutes(2) })).toEqual([e4.id, e3.id, e2.id]);
      expect(await ids({ to: minutes(2) })).toEqual([e2.id, e1.id]);
      expect(await ids({ from: minutes(2), to: minutes(3), city: 'chongqing' })).toEqual([e3.id]);
      expect(await ids({ limit: 1, actorId: 'a1' })).toEqual([e3.id]);
    });
  });
});
