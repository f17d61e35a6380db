// The hazards feature's storage contract (src/modules/hazards/hazards.types.ts), run on every driver.
import type { Storage } from '../../src/features';
import type { HazardReport, HazardStatus, PointsEntry } from '../../src/modules/hazards/hazards.types';
import { ConflictError } from '../../src/shared/errors';
import { haversineM } from '../../src/shared/geo';
import { newId } from '../../src/storage/ids';
import { drivers } from '../helpers/storage';

const T0 = new Date('2096-03-01T02:00:00Z');
const MIN = 60_000;
const DAY = 86_400_000;
const at = (ms: number) => new Date(T0.getTime() + ms);
const JIEFANGBEI = { lng: 106.5775, lat: 29.5594 };
const east = (m: number) => ({ lng: JIEFANGBEI.lng + m / 96_900, lat: JIEFANGBEI.lat });
const UNKNOWN_ID = '0123456789abcdef01234567';
const ids = (xs: Array<{ id: string }>) => xs.map((x) => x.id);
const sorted = (xs: string[]) => [...xs].sort();

function report(over: Partial<HazardReport> = {}): HazardReport {
  const reporterId = over.reporterId ?? 'r1';
  return {
    id: newId(), city: 'chongqing', district: '渝中区', category: 'manhole', class: '大事', description: '井盖破裂',
    address: '民族路 188 号', location: JIEFANGBEI,
    photos: [{ key: 'hazards/a.jpg', thumbKey: 'hazards/a.thumb.jpg', contentType: 'image/jpeg', width: 2048, height: 1536, bytes: 345_678 }],
    reporterId, status: 'submitted', hidden: false,
    route: { bodyId: 'b1', bodyName: '渝中区城管', kind: 'body', compoundId: null, why: '井盖归城管' },
    duplicateOf: null, followers: [reporterId], supporters: [], supportCount: 0, rejectedBy: null, rejectReason: null, fixed: null,
    updates: [{ at: T0, status: 'submitted', by: reporterId, byRole: 'rider', note: '井盖归城管' }],
    statusSince: T0, triagedAt: null, resolvedAt: null, createdAt: T0, updatedAt: T0,
    ...over,
  };
}

/** The report moved to a status at a later moment, as the service writes it. */
function moved(r: HazardReport, status: HazardStatus, when: Date, over: Partial<HazardReport> = {}): HazardReport {
  return {
    ...r, status, statusSince: when, updatedAt: when, updates: [...r.updates, { at: when, status, by: 'admin1', byRole: 'city_admin', note: null }],
    triagedAt: r.triagedAt ?? (status === 'triaged' ? when : null), ...over,
  };
}

function points(over: Partial<PointsEntry> = {}): PointsEntry {
  return { id: newId(), riderId: 'r1', reportId: newId(), reason: 'report', points: 10, at: T0, ...over };
}

/** Tries to change nested parts of a returned report; a driver may refuse (frozen parts throw TypeError). */
function scribble(value: HazardReport): void {
  const attempts: Array<() => void> = [
    () => { value.updates.push({ at: T0, status: 'resolved', by: 'x', byRole: 'x', note: '假的' }); },
    () => { (value.updates[0] as { note: string | null }).note = '改过'; },
    () => { value.followers.push('intruder'); },
    () => { value.supporters.push('intruder'); },
    () => { (value.route as { why: string }).why = '改过'; },
    () => { (value.photos[0] as { key: string }).key = 'evil'; },
    () => { (value.location as { lng: number }).lng = 0; },
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

describe.each(drivers())('hazards storage contract: $name driver', ({ open }) => {
  let storage: Storage;
  beforeEach(async () => {
    storage = await open();
  });
  afterEach(async () => {
    await storage.close();
  });

  const all = (q: Parameters<Storage['hazards']['list']>[0]) => storage.hazards.list(q);

  describe('reports: create and get', () => {
    it('stores a report whole and reads it back equal, with no _id; unknown and malformed ids read as null', async () => {
      const r = report({ photos: [], address: null, district: null });
      const made = await storage.hazards.create(r);
      expect(made).toEqual(r);
      const got = await storage.hazards.get(r.id);
      expect(got).toEqual(r);
      expect(got).not.toHaveProperty('_id');
      expect(got?.createdAt).toBeInstanceOf(Date);
      expect(got?.updates[0]?.at).toBeInstanceOf(Date);
      const full = report({ triagedAt: at(MIN), resolvedAt: at(2 * MIN), rejectedBy: 'a1', rejectReason: '不属于公共区域', fixed: false, hidden: true });
      await storage.hazards.create(full);
      expect(await storage.hazards.get(full.id)).toEqual(full);
      await expect(storage.hazards.get(UNKNOWN_ID)).resolves.toBeNull();
      await expect(storage.hazards.get('not-an-id')).resolves.toBeNull();
    });

    it('refuses a second report with the same id (409) and keeps the first', async () => {
      const r = await storage.hazards.create(report());
      const err = await rejection(storage.hazards.create(report({ id: r.id, description: '另一份' })));
      expect(err).toBeInstanceOf(ConflictError);
      expect(await storage.hazards.get(r.id)).toEqual(r);
    });

    it('hands out reports that do not share objects with storage or with the caller\'s input', async () => {
      const input = report();
      const made = await storage.hazards.create(input);
      input.followers.push('after-create');
      (input.route as { why: string }).why = '调用方改了输入';
      scribble(made);
      const got = (await storage.hazards.get(input.id))!;
      scribble(got);
      const [listed] = await all({ limit: 10 });
      scribble(listed!);
      const [near] = await storage.hazards.nearbyOpen({ center: JIEFANGBEI, radiusM: 50, category: 'manhole', since: T0, limit: 5 });
      scribble(near!);
      const fresh = await storage.hazards.get(input.id);
      expect(fresh?.followers).toEqual(['r1']);
      expect(fresh?.supporters).toEqual([]);
      expect(fresh?.updates).toEqual([{ at: T0, status: 'submitted', by: 'r1', byRole: 'rider', note: '井盖归城管' }]);
      expect(fresh?.route.why).toBe('井盖归城管');
      expect(fresh?.photos[0]?.key).toBe('hazards/a.jpg');
      expect(fresh?.location).toEqual(JIEFANGBEI);
    });
  });

  describe('reports: replace with optimistic concurrency', () => {
    it('replaces a report whose updatedAt is the one the caller read, and returns the stored form', async () => {
      const r = await storage.hazards.create(report());
      const next = moved(r, 'triaged', at(MIN), { supporters: ['r2'], supportCount: 1, followers: ['r1', 'r2'], class: '小事' });
      const saved = await storage.hazards.replace(next, r.updatedAt);
      expect(saved).toEqual(next);
      expect(await storage.hazards.get(r.id)).toEqual(next);
      // The indexed fields follow the new document.
      expect(ids(await all({ status: 'triaged', limit: 10 }))).toEqual([r.id]);
      expect(ids(await all({ status: 'submitted', limit: 10 }))).toEqual([]);
      expect(ids(await all({ followerId: 'r2', limit: 10 }))).toEqual([r.id]);
    });

    it('refuses a stale updatedAt: null, and nothing changed', async () => {
      const r = await storage.hazards.create(report());
      const first = await storage.hazards.replace(moved(r, 'triaged', at(MIN)), r.updatedAt);
      expect(first).not.toBeNull();
      const stale = await storage.hazards.replace(moved(r, 'rejected', at(2 * MIN), { rejectReason: '晚到的改动' }), r.updatedAt);
      expect(stale).toBeNull();
      expect(await storage.hazards.get(r.id)).toEqual(first);
      expect(await storage.hazards.replace(moved(r, 'rejected', at(2 * MIN)), at(30 * MIN))).toBeNull(); // a time nobody wrote
      expect(await storage.hazards.get(r.id)).toEqual(first);
    });

    it('answers null for a report that does not exist, and creates nothing', async () => {
      const ghost = report();
      expect(await storage.hazards.replace(ghost, ghost.updatedAt)).toBeNull();
      expect(await storage.hazards.get(ghost.id)).toBeNull();
      expect(await all({ limit: 10 })).toEqual([]);
    });

    it('lets exactly one of two writers that read the same version win', async () => {
      const r = await storage.hazards.create(report());
      const [a, b] = await Promise.all([
        storage.hazards.replace(moved(r, 'triaged', at(MIN)), r.updatedAt),
        storage.hazards.replace(moved(r, 'rejected', at(MIN + 1), { rejectReason: '重复' }), r.updatedAt),
      ]);
      expect([a, b].filter(Boolean)).toHaveLength(1);
      expect(await storage.hazards.get(r.id)).toEqual(a ?? b);
    });
  });

  describe('reports: list', () => {
    /** A spread of reports, each differing from the base in one field. */
    async function spread() {
      const base = { createdAt: at(DAY), updatedAt: at(DAY), statusSince: at(DAY) };
      const mk = (over: Partial<HazardReport>) => storage.hazards.create(report({ ...base, ...over }));
      return {
        base: await mk({}),
        chengdu: await mk({ city: 'chengdu', district: '锦江区', location: { lng: 104.0776, lat: 30.6546 } }),
        triaged: await mk({ status: 'triaged' }),
        resolved: await mk({ status: 'resolved' }),
        pothole: await mk({ category: 'pothole', class: '小事' }),
        jiangbei: await mk({ district: '江北区' }),
        private: await mk({ class: '私事' }),
        otherBody: await mk({ route: { bodyId: 'b2', bodyName: '渝中区水务', kind: 'body', compoundId: null, why: '水务' } }),
        compound: await mk({ route: { bodyId: null, bodyName: null, kind: 'compound', compoundId: 'c1', why: '小区内，物业处理' } }),
        compound2: await mk({ route: { bodyId: null, bodyName: null, kind: 'compound', compoundId: 'c2', why: '小区内，物业处理' } }),
        r2: await mk({ reporterId: 'r2' }),
        followed: await mk({ followers: ['r1', 'r3'], supporters: ['r3'], supportCount: 1 }),
        early: await mk({ createdAt: T0, updatedAt: T0, statusSince: T0 }),
        late: await mk({ createdAt: at(2 * DAY), updatedAt: at(2 * DAY), statusSince: at(2 * DAY) }),
      };
    }

    it('filters by each field on its own', async () => {
      const s = await spread();
      const every = Object.values(s).map((r) => r.id);
      const without = (...xs: HazardReport[]) => sorted(every.filter((id) => !xs.some((x) => x.id === id)));
      const found = async (q: Omit<Parameters<Storage['hazards']['list']>[0], 'limit'>) => sorted(ids(await all({ ...q, limit: 100 })));

      expect(await found({})).toEqual(sorted(every));
      expect(await found({ city: 'chengdu' })).toEqual([s.chengdu.id]);
      expect(await found({ city: 'chongqing' })).toEqual(without(s.chengdu));
      expect(await found({ status: 'triaged' })).toEqual([s.triaged.id]);
      expect(await found({ status: ['triaged', 'resolved'] })).toEqual(sorted([s.triaged.id, s.resolved.id]));
      expect(await found({ status: [] })).toEqual([]);
      expect(await found({ category: 'pothole' })).toEqual([s.pothole.id]);
      expect(await found({ district: '江北区' })).toEqual([s.jiangbei.id]);
      expect(await found({ class: '私事' })).toEqual([s.private.id]);
      expect(await found({ class: '小事' })).toEqual([s.pothole.id]);
      expect(await found({ bodyId: 'b2' })).toEqual([s.otherBody.id]);
      expect(await found({ compoundIds: ['c1'] })).toEqual([s.compound.id]);
      expect(await found({ compoundIds: ['c1', 'c2', 'c9'] })).toEqual(sorted([s.compound.id, s.compound2.id]));
      expect(await found({ compoundIds: [] })).toEqual([]);
      expect(await found({ reporterId: 'r2' })).toEqual([s.r2.id]);
      expect(await found({ followerId: 'r3' })).toEqual([s.followed.id]);
      expect(await found({ followerId: 'r2' })).toEqual([s.r2.id]);
      expect(await found({ followerId: 'nobody' })).toEqual([]);
      expect(await found({ createdSince: at(DAY) })).toEqual(without(s.early)); // inclusive
      expect(await found({ createdSince: at(DAY + 1) })).toEqual([s.late.id]);
      expect(await found({ createdBefore: at(DAY) })).toEqual([s.early.id]); // exclusive
      expect(await found({ createdBefore: at(2 * DAY) })).toEqual(without(s.late));
    });

    it('combines filters (all must hold)', async () => {
      const s = await spread();
      const found = async (q: Omit<Parameters<Storage['hazards']['list']>[0], 'limit'>) => sorted(ids(await all({ ...q, limit: 100 })));
      const more = await storage.hazards.create(report({ status: 'triaged', category: 'pothole', class: '小事', district: '江北区', createdAt: at(DAY), updatedAt: at(DAY) }));
      expect(await found({ city: 'chongqing', status: ['triaged', 'submitted'], category: 'pothole', district: '江北区' })).toEqual([more.id]);
      expect(await found({ city: 'chongqing', status: 'submitted', category: 'pothole' })).toEqual([s.pothole.id]);
      expect(await found({ city: 'chengdu', status: 'triaged' })).toEqual([]);
      expect(await found({ reporterId: 'r1', followerId: 'r3' })).toEqual([s.followed.id]);
      expect(await found({ reporterId: 'r2', followerId: 'r3' })).toEqual([]);
      expect(await found({ city: 'chongqing', compoundIds: ['c1', 'c2'], status: 'submitted' })).toEqual(sorted([s.compound.id, s.compound2.id]));
      expect(await found({ createdSince: at(DAY), createdBefore: at(DAY + 1), category: 'pothole' })).toEqual(sorted([s.pothole.id, more.id]));
      expect(await found({ class: '大事', bodyId: 'b1', district: '渝中区', createdBefore: at(DAY) })).toEqual([s.early.id]);
    });

    it('pages by id ascending with limit and after, with filters kept across pages', async () => {
      const made = [];
      for (let i = 0; i < 7; i++) made.push(await storage.hazards.create(report({ status: i % 2 ? 'triaged' : 'submitted' })));
      const every = sorted(ids(made));
      const seen: string[] = [];
      for (let after: string | undefined; ;) {
        const page = await all({ limit: 3, after });
        seen.push(...ids(page));
        if (page.length < 3) break;
        after = page.at(-1)!.id;
      }
      expect(seen).toEqual(every);
      const submitted = sorted(ids(made.filter((r) => r.status === 'submitted')));
      const first = await all({ status: 'submitted', limit: 2 });
      expect(ids(first)).toEqual(submitted.slice(0, 2));
      expect(ids(await all({ status: 'submitted', limit: 2, after: first[1]!.id }))).toEqual(submitted.slice(2));
      expect(ids(await all({ limit: 100, after: every[4] }))).toEqual(every.slice(5));
      expect(ids(await all({ limit: 100, after: UNKNOWN_ID }))).toEqual(every.filter((id) => id > UNKNOWN_ID));
      expect(await all({ limit: 100, after: 'ffffffffffffffffffffffff' })).toEqual([]);
    });

    it('matches nothing for a cursor that is not an id', async () => {
      await storage.hazards.create(report());
      for (const after of ['not-an-id', '', '0123', 'zzzzzzzzzzzzzzzzzzzzzzzz', '{"$gt":""}']) {
        expect([after, await all({ limit: 10, after })]).toEqual([after, []]);
      }
    });

    it('refuses a limit below 1 as the caller\'s bug', async () => {
      await expect(all({ limit: 0 })).rejects.toThrow(RangeError);
    });
  });

  describe('reports: nearbyOpen', () => {
    const near = (over: Partial<Parameters<Storage['hazards']['nearbyOpen']>[0]> = {}) =>
      storage.hazards.nearbyOpen({ center: JIEFANGBEI, radiusM: 50, category: 'manhole', since: at(DAY), limit: 10, ...over });
    const day = { createdAt: at(DAY), updatedAt: at(DAY), statusSince: at(DAY) };

    it('finds only open, shown reports of the category within the radius since the given time, nearest first', async () => {
      const mk = (over: Partial<HazardReport>) => storage.hazards.create(report({ ...day, ...over }));
      const at30 = await mk({ location: east(30) });
      const at10 = await mk({ location: east(10), status: 'triaged' });
      const at20 = await mk({ location: east(20), status: 'in_progress' });
      const sinceEdge = await mk({ location: east(40), createdAt: at(DAY), updatedAt: at(3 * DAY) });
      // Each of these fails exactly one condition.
      await mk({ location: east(5), status: 'resolved' });
      await mk({ location: east(5), status: 'rejected' });
      await mk({ location: east(5), status: 'duplicate', duplicateOf: at10.id });
      await mk({ location: east(5), hidden: true });
      await mk({ location: east(5), category: 'pothole' });
      await mk({ location: east(60) });
      await mk({ location: east(5), createdAt: at(DAY - 1), updatedAt: at(2 * DAY) });
      const found = await near();
      expect(ids(found)).toEqual([at10.id, at20.id, at30.id, sinceEdge.id]);
      for (const f of found) {
        expect(f.distanceM).toBeCloseTo(haversineM(JIEFANGBEI, f.location), 3);
        expect(f.distanceM).toBeLessThanOrEqual(50);
      }
      expect(found[0]).toEqual({ ...at10, distanceM: found[0]!.distanceM });
      expect(found[0]).not.toHaveProperty('_id');
      expect(ids(await near({ limit: 2 }))).toEqual([at10.id, at20.id]);
      expect(ids(await near({ radiusM: 25 }))).toEqual([at10.id, at20.id]);
      expect(ids(await near({ since: at(DAY + 1) }))).toEqual([]);
      expect(await near({ category: 'streetlight' })).toEqual([]);
      expect(await near({ center: { lng: 104.0776, lat: 30.6546 } })).toEqual([]);
    });

    it('follows a replace: a report resolved, hidden or moved leaves the answer; one reopened comes back', async () => {
      const r = await storage.hazards.create(report({ ...day, location: east(10) }));
      expect(ids(await near())).toEqual([r.id]);
      const resolved = (await storage.hazards.replace(moved(r, 'resolved', at(DAY + MIN)), r.updatedAt))!;
      expect(await near()).toEqual([]);
      const reopened = (await storage.hazards.replace(moved(resolved, 'in_progress', at(DAY + 2 * MIN)), resolved.updatedAt))!;
      expect(ids(await near())).toEqual([r.id]);
      const hidden = (await storage.hazards.replace({ ...reopened, hidden: true, updatedAt: at(DAY + 3 * MIN) }, reopened.updatedAt))!;
      expect(await near()).toEqual([]);
      const shown = (await storage.hazards.replace({ ...hidden, hidden: false, updatedAt: at(DAY + 4 * MIN) }, hidden.updatedAt))!;
      expect(ids(await near())).toEqual([r.id]);
      await storage.hazards.replace({ ...shown, location: east(200), updatedAt: at(DAY + 5 * MIN) }, shown.updatedAt);
      expect(await near()).toEqual([]);
      expect(ids(await near({ center: east(200) }))).toEqual([r.id]);
    });
  });

  describe('points', () => {
    it('awards once per rider, reason and report: a second award is false and changes nothing', async () => {
      const reportId = newId();
      const first = points({ reportId });
      expect(await storage.points.award(first)).toBe(true);
      expect(await storage.points.award(points({ reportId, points: 99 }))).toBe(false);
      expect(await storage.points.total('r1')).toBe(10);
      expect(await storage.points.list('r1', { limit: 10 })).toEqual([first]);
      // Each other reason, report or rider is another award.
      expect(await storage.points.award(points({ reportId, reason: 'support', points: 3 }))).toBe(true);
      expect(await storage.points.award(points({ points: 10 }))).toBe(true);
      expect(await storage.points.award(points({ reportId, riderId: 'r2', points: 3, reason: 'support' }))).toBe(true);
      expect(await storage.points.total('r1')).toBe(23);
      expect(await storage.points.total('r2')).toBe(3);
      expect(await storage.points.total('nobody')).toBe(0);
    });

    it('lists a rider\'s entries by id ascending with keyset paging, only the rider\'s, in the shape they were awarded', async () => {
      const mine: PointsEntry[] = [];
      for (let i = 0; i < 5; i++) {
        const e = points({ points: i + 1, at: at(i * MIN), reason: i % 2 ? 'support' : 'report' });
        await storage.points.award(e);
        mine.push(e);
      }
      await storage.points.award(points({ riderId: 'r2' }));
      const all5 = await storage.points.list('r1', { limit: 10 });
      expect(all5).toEqual([...mine].sort((a, b) => (a.id < b.id ? -1 : 1)));
      expect(all5[0]?.at).toBeInstanceOf(Date);
      expect(all5[0]).not.toHaveProperty('awardKey');
      expect(all5[0]).not.toHaveProperty('_id');
      const page1 = await storage.points.list('r1', { limit: 2 });
      const page2 = await storage.points.list('r1', { limit: 2, after: page1[1]!.id });
      const page3 = await storage.points.list('r1', { limit: 2, after: page2[1]!.id });
      expect([...page1, ...page2, ...page3]).toEqual(all5);
      expect(page3).toHaveLength(1);
      expect(await storage.points.list('r1', { limit: 10, after: 'not-an-id' })).toEqual([]);
      expect(await storage.points.list('nobody', { limit: 10 })).toEqual([]);
      expect(await storage.points.total('r1')).toBe(15);
    });
  });

  describe('atomically', () => {
    it('rolls back reports created and replaced and points awarded in a failed unit', async () => {
      if (!storage.transactions) return; // MongoDB without a replica set: nothing to roll back with
      const kept = await storage.hazards.create(report({ location: east(10) }));
      const made = report({ location: east(5) });
      const awarded = points({ reportId: kept.id });
      await expect(storage.atomically(async () => {
        await storage.hazards.create(made);
        expect(await storage.hazards.replace(moved(kept, 'resolved', at(MIN)), kept.updatedAt)).not.toBeNull();
        expect(await storage.points.award(awarded)).toBe(true);
        throw new Error('x');
      })).rejects.toThrow('x');
      expect(await storage.hazards.get(made.id)).toBeNull();
      expect(await storage.hazards.get(kept.id)).toEqual(kept);
      expect(ids(await all({ limit: 10 }))).toEqual([kept.id]);
      expect(ids(await all({ status: 'resolved', limit: 10 }))).toEqual([]);
      expect(ids(await storage.hazards.nearbyOpen({ center: JIEFANGBEI, radiusM: 50, category: 'manhole', since: T0, limit: 10 }))).toEqual([kept.id]);
      expect(await storage.points.total('r1')).toBe(0);
      expect(await storage.points.list('r1', { limit: 10 })).toEqual([]);
      // The replace and the award were undone, so both can be made again.
      expect(await storage.hazards.replace(moved(kept, 'triaged', at(2 * MIN)), kept.updatedAt)).not.toBeNull();
      expect(await storage.points.award(awarded)).toBe(true);
    });

    it('commits a unit in which an award was already made (false) along with its other writes', async () => {
      const r = await storage.hazards.create(report());
      const reportId = r.id;
      await storage.points.award(points({ reportId, reason: 'support', riderId: 'r2', points: 3 }));
      const saved = await storage.atomically(async () => {
        const s = await storage.hazards.replace(moved(r, 'resolved', at(MIN)), r.updatedAt);
        expect(await storage.points.award(points({ reportId, reason: 'support', riderId: 'r2', points: 3 }))).toBe(false);
        expect(await storage.points.award(points({ reportId, reason: 'support', riderId: 'r3', points: 3 }))).toBe(true);
        return s;
      });
      expect(saved).not.toBeNull();
      expect(await storage.hazards.get(r.id)).toEqual(saved);
      expect(await storage.points.total('r2')).toBe(3);
      expect(await storage.points.total('r3')).toBe(3);
    });

    it('sees its own replace inside a unit: a second replace expecting the first\'s updatedAt succeeds, a stale one does not', async () => {
      const r = await storage.hazards.create(report());
      const final = await storage.atomically(async () => {
        const triaged = await storage.hazards.replace(moved(r, 'triaged', at(MIN)), r.updatedAt);
        expect(triaged).not.toBeNull();
        expect(await storage.hazards.replace(moved(r, 'rejected', at(2 * MIN)), r.updatedAt)).toBeNull();
        return storage.hazards.replace(moved(triaged!, 'in_progress', at(3 * MIN)), triaged!.updatedAt);
      });
      expect(final).toMatchObject({ status: 'in_progress', updatedAt: at(3 * MIN) });
      expect(await storage.hazards.get(r.id)).toEqual(final);
    });
  });
});
