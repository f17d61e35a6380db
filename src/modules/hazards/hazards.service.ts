import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../shared/errors';
import type { LngLat } from '../../shared/geo';
import { cityAt } from '../../shared/service-area';
import type { Clock } from '../../shared/time';
import { isId, newId } from '../../storage/ids';
import type { StorageBase } from '../../storage/types';
import type { Rider } from '../identity/identity.types';
import { categoryOf, TIMED_STATES, type HazardClass, type TimedState } from './categories';
import type { HazardPhoto, HazardReport, HazardsStorage, HazardStatus, HazardUpdate, RouteDecision } from './hazards.types';
import { OPEN_STATUSES } from './hazards.types';

const HOUR_MS = 3_600_000;
export const DUPLICATE_RADIUS_M = 50;
export const DUPLICATE_WINDOW_MS = 7 * 24 * HOUR_MS;
export const REPORT_POINTS = 10;
export const SUPPORT_POINTS = 3;
/** How often a reporter may answer "not fixed" and reopen one report. */
export const MAX_REOPENS = 3;

const reopenedByReporter = (r: HazardReport): number =>
  r.updates.filter((u) => u.status === 'in_progress' && u.by === r.reporterId && u.byRole === 'rider').length;

/** Which staff changes may follow which status; 'duplicate' and 'rejected' end a report. */
const NEXT: Record<HazardStatus, readonly HazardStatus[]> = {
  submitted: ['triaged', 'rejected', 'duplicate'],
  triaged: ['in_progress', 'resolved', 'rejected', 'duplicate'],
  in_progress: ['resolved', 'rejected', 'duplicate'],
  resolved: ['in_progress'],
  rejected: [],
  duplicate: [],
};

export const STATUS_NAMES: Record<HazardStatus, string> = {
  submitted: '已提交', triaged: '已分派', in_progress: '处理中', resolved: '已解决', rejected: '未受理', duplicate: '重复上报',
};

/** A notice for the outbox (src/modules/outbox), one per follower. */
export interface HazardNotice {
  type: 'hazard.updated';
  dedupeId: string;
  recipient: { kind: 'rider'; id: string };
  city: HazardReport['city'];
  payload: Record<string, unknown>;
}

export interface HazardDeps {
  storage: HazardsStorage & Pick<StorageBase, 'atomically'>;
  clock: Clock;
  /** Routing by category and location (src/modules/bodies). */
  route(input: { city: HazardReport['city']; district: string | null; category: string; location: LngLat }): Promise<RouteDecision>;
  /** The district a point lies in, when the reporter named none. */
  districtAt(city: HazardReport['city'], location: LngLat): string | null;
  /** A named district's full name in the city (渝中 → 渝中区), or null when the city has no such district. */
  canonicalDistrict(city: HazardReport['city'], name: string): string | null;
  /** WeChat's content check of user text; 'pass' when WeChat is not configured. */
  checkText(text: string, rider: Rider): Promise<{ suggest: 'pass' | 'review' | 'risky'; label?: number }>;
  /** Re-encodes and stores the photos of a report; removes stored files when told to. */
  photos: { save(reportId: string, photos: Buffer[]): Promise<HazardPhoto[]>; remove(photos: HazardPhoto[]): Promise<void> };
  emit(notices: HazardNotice[]): Promise<void>;
}

export interface ReportInput {
  category: string;
  description: string;
  location: LngLat; // WGS-84
  address: string | null;
  district: string | null;
}

/** Who changes a report: a staff member (with role) or the reporter. */
export interface Changer {
  id: string;
  role: string;
}

/** Whether the report has waited longer in its status than its category allows. */
export function isOverdue(r: HazardReport, now: Date): boolean {
  if (!(TIMED_STATES as readonly string[]).includes(r.status)) return false;
  const hours = categoryOf(r.category)?.hours[r.status as TimedState];
  return hours !== undefined && now.getTime() - r.statusSince.getTime() > hours * HOUR_MS;
}

/** 随手拍: reports, their routing, support and duplicates, the lifecycle and its notices, and points. */
export function createHazardService(deps: HazardDeps) {
  const { storage, clock } = deps;

  async function mustGet(id: string): Promise<HazardReport> {
    const r = isId(id) ? await storage.hazards.get(id) : null;
    if (!r) throw new NotFoundError(`上报 ${id} 不存在`, { field: 'id' });
    return r;
  }

  const noticesOf = (r: HazardReport, u: HazardUpdate): HazardNotice[] => r.followers.map((riderId) => ({
    type: 'hazard.updated',
    dedupeId: `hazard.updated:${r.id}:${u.at.getTime()}:${u.status}:${riderId}`,
    recipient: { kind: 'rider', id: riderId },
    city: r.city,
    payload: {
      reportId: r.id, category: r.category, categoryName: categoryOf(r.category)?.name ?? r.category, status: r.status,
      statusName: STATUS_NAMES[r.status], note: u.note, address: r.address, duplicateOf: r.duplicateOf, mine: riderId === r.reporterId,
    },
  }));

  /** Writes a changed report if nobody changed it since it was read, with its notices and points, in one transaction. */
  async function commit(before: HazardReport, after: HazardReport, u: HazardUpdate | null, extra?: () => Promise<void>): Promise<HazardReport> {
    return storage.atomically(async () => {
      const saved = await storage.hazards.replace(after, before.updatedAt);
      if (!saved) throw new ConflictError('该上报刚被他人更新，请刷新后重试', { reason: 'changed' });
      if (u) await deps.emit(noticesOf(saved, u));
      await awardPoints(before, saved);
      if (extra) await extra();
      return saved;
    });
  }

  /** A valid report earns its reporter points once triaged; supporters earn fewer once it is resolved. */
  async function awardPoints(before: HazardReport, after: HazardReport): Promise<void> {
    const at = after.updatedAt;
    if (before.status === 'submitted' && (after.status === 'triaged' || after.status === 'in_progress' || after.status === 'resolved')) {
      await storage.points.award({ id: newId(), riderId: after.reporterId, reportId: after.id, reason: 'report', points: REPORT_POINTS, at });
    }
    if (after.status === 'resolved' && before.status !== 'resolved') {
      for (const s of after.supporters) await storage.points.award({ id: newId(), riderId: s, reportId: after.id, reason: 'support', points: SUPPORT_POINTS, at });
    }
    // Not a valid report after all (rejected, or a duplicate after it was taken up): its report points are taken back.
    if ((after.status === 'rejected' || after.status === 'duplicate') && before.triagedAt !== null) {
      await storage.points.award({ id: newId(), riderId: after.reporterId, reportId: after.id, reason: 'reversal', points: -REPORT_POINTS, at });
    }
  }

  function changed(r: HazardReport, to: HazardStatus, by: Changer, note: string | null, now: Date, patch: Partial<HazardReport> = {}): { next: HazardReport; u: HazardUpdate } {
    const u: HazardUpdate = { at: now, status: to, by: by.id, byRole: by.role, note };
    return {
      u,
      next: {
        ...r, ...patch, status: to, statusSince: to === r.status ? r.statusSince : now, updates: [...r.updates, u],
        triagedAt: r.triagedAt ?? (to === 'triaged' ? now : null), resolvedAt: to === 'resolved' ? now : r.resolvedAt, updatedAt: now,
      },
    };
  }

  return {
    get: mustGet,

    /** A rider's report: text checked, routed, photos re-encoded and stored, then the report; nothing half-stored. */
    async create(rider: Rider, input: ReportInput, photos: Buffer[]): Promise<HazardReport> {
      const category = categoryOf(input.category);
      if (!category) throw new ValidationError(`没有这个类别：${input.category}`, [{ field: 'category' }], 422);
      const city = cityAt(input.location);
      if (!city) throw new ValidationError('这个位置不在服务范围内：随手拍只受理重庆市和成都市的隐患', [{ field: 'location' }], 422);
      const verdict = await deps.checkText([input.description, input.address ?? ''].join('\n'), rider);
      if (verdict.suggest === 'risky') throw new ValidationError('描述含有不适合发布的内容，请修改后再提交', [{ field: 'description', label: verdict.label ?? null }], 422);
      const now = clock.now();
      // A named district must be one of the city's (full name stored, as routing and the queues use it).
      let district = deps.districtAt(city, input.location);
      if (input.district) {
        district = deps.canonicalDistrict(city, input.district);
        if (!district) throw new ValidationError(`${city === 'chongqing' ? '重庆市' : '成都市'}没有「${input.district}」这个区县`, [{ field: 'district' }], 422);
      }
      const route = await deps.route({ city, district, category: category.code, location: input.location });
      const id = newId();
      const stored = await deps.photos.save(id, photos);
      const report: HazardReport = {
        id, city, district, category: category.code, class: category.class as HazardClass, description: input.description,
        address: input.address, location: input.location, photos: stored, reporterId: rider.id, status: 'submitted',
        hidden: verdict.suggest === 'review', route, duplicateOf: null, followers: [rider.id], supporters: [], supportCount: 0,
        rejectedBy: null, rejectReason: null, fixed: null,
        updates: [{ at: now, status: 'submitted', by: rider.id, byRole: 'rider', note: route.why }],
        statusSince: now, triagedAt: null, resolvedAt: null, createdAt: now, updatedAt: now,
      };
      try {
        return await storage.hazards.create(report);
      } catch (err) {
        await deps.photos.remove(stored); // no file left behind by a report that was not stored
        throw err;
      }
    },

    /** Open reports of the category within 50 m in the last 7 days, nearest first: offer these before a new one. */
    nearbyOpen: (category: string, center: LngLat) => storage.hazards.nearbyOpen({
      center, radiusM: DUPLICATE_RADIUS_M, category, since: new Date(clock.now().getTime() - DUPLICATE_WINDOW_MS), limit: 10,
    }),

    /** A rider supports a report: counted once, and the rider follows it from now on. */
    async support(rider: Rider, id: string): Promise<HazardReport> {
      const r = await mustGet(id);
      if (r.hidden) throw new NotFoundError(`上报 ${id} 不存在`, { field: 'id' });
      if (!OPEN_STATUSES.includes(r.status)) throw new ConflictError(`该上报${STATUS_NAMES[r.status]}，不能再支持`, { status: r.status });
      if (r.reporterId === rider.id || r.supporters.includes(rider.id)) return r;
      const now = clock.now();
      const supporters = [...r.supporters, rider.id];
      const next = { ...r, supporters, supportCount: supporters.length, followers: [...new Set([...r.followers, rider.id])], updatedAt: now };
      return commit(r, next, null);
    },

    /** A staff change of status; rejecting needs a reason, triage may set the class. */
    async transition(by: Changer, r: HazardReport, to: HazardStatus, note: string | null, opts: { class?: HazardClass } = {}): Promise<HazardReport> {
      if (to === 'duplicate') throw new ValidationError('标记重复请用 /duplicate 并给出原上报', [{ field: 'status' }], 422);
      if (!NEXT[r.status].includes(to)) {
        throw new ConflictError(`不能从「${STATUS_NAMES[r.status]}」改为「${STATUS_NAMES[to]}」`, { from: r.status, to, allowed: NEXT[r.status] });
      }
      if (to === 'rejected' && !note) throw new ValidationError('不受理须写明原因', [{ field: 'note' }], 422);
      const now = clock.now();
      const patch: Partial<HazardReport> = to === 'rejected' ? { rejectedBy: by.id, rejectReason: note } : {};
      if (opts.class) patch.class = opts.class;
      // Each resolution asks the reporter again.
      if (to === 'resolved' || (to === 'in_progress' && r.status === 'resolved')) patch.fixed = null;
      const { next, u } = changed(r, to, by, note, now, patch);
      return commit(r, next, u);
    },

    /** Marks a report a duplicate of an open original: its reporter and followers follow the original from now on. */
    async markDuplicate(by: Changer, r: HazardReport, originalId: string, note: string | null): Promise<{ report: HazardReport; original: HazardReport }> {
      if (originalId === r.id) throw new ValidationError('不能标记为自己的重复', [{ field: 'originalId' }], 422);
      if (!NEXT[r.status].includes('duplicate')) throw new ConflictError(`「${STATUS_NAMES[r.status]}」的上报不能标记为重复`, { from: r.status });
      const original = await mustGet(originalId);
      if (original.city !== r.city) throw new ValidationError('原上报须在同一城市', [{ field: 'originalId' }], 422);
      if (original.category !== r.category) throw new ValidationError('原上报须是同一类别的隐患', [{ field: 'originalId' }], 422);
      if (original.hidden) throw new ValidationError('原上报尚在审核，不能合并到它', [{ field: 'originalId' }], 422);
      if (!OPEN_STATUSES.includes(original.status)) throw new ConflictError(`原上报${STATUS_NAMES[original.status]}，请选择未办结的上报`, { status: original.status });
      const now = clock.now();
      const { next, u } = changed(r, 'duplicate', by, note ?? `与上报 ${original.id} 重复`, now, { duplicateOf: original.id });
      const movers = r.followers.filter((f) => !original.followers.includes(f));
      const supporters = [...new Set([...original.supporters, ...movers.filter((f) => f !== original.reporterId)])];
      const merged = { ...original, followers: [...original.followers, ...movers], supporters, supportCount: supporters.length, updatedAt: now };
      let savedOriginal = original;
      const report = await commit(r, next, u, async () => {
        const saved = await storage.hazards.replace(merged, original.updatedAt);
        if (!saved) throw new ConflictError('原上报刚被他人更新，请刷新后重试', { reason: 'changed' });
        savedOriginal = saved;
      });
      return { report, original: savedOriginal };
    },

    /** The reporter's answer after resolution: fixed stays resolved; not fixed reopens it (in progress again). */
    async feedback(rider: Rider, id: string, fixed: boolean, note: string | null): Promise<HazardReport> {
      const r = await mustGet(id);
      if (r.reporterId !== rider.id) throw new ForbiddenError('只有上报人可以反馈处理结果');
      if (r.status !== 'resolved') throw new ConflictError('只有已解决的上报可以反馈', { status: r.status });
      if (r.fixed === true && fixed) return r;
      if (!fixed && reopenedByReporter(r) >= MAX_REOPENS) {
        throw new ConflictError(`已经重新打开过 ${MAX_REOPENS} 次，请联系处理单位`, { reason: 'reopen_limit' });
      }
      const now = clock.now();
      const by = { id: rider.id, role: 'rider' };
      if (fixed) return commit(r, { ...r, fixed: true, updatedAt: now, updates: [...r.updates, { at: now, status: 'resolved', by: by.id, byRole: 'rider', note: note ?? '上报人确认已修好' }] }, null);
      const { next, u } = changed(r, 'in_progress', by, note ?? '上报人反馈未修好，重新处理', now, { fixed: false });
      return commit(r, next, u);
    },

    /** A hidden report (content check said review) shown after staff looked at it. */
    async reveal(by: Changer, r: HazardReport): Promise<HazardReport> {
      if (!r.hidden) return r;
      const now = clock.now();
      return commit(r, { ...r, hidden: false, updatedAt: now, updates: [...r.updates, { at: now, status: r.status, by: by.id, byRole: by.role, note: '内容已审核，公开显示' }] }, null);
    },
  };
}

export type HazardService = ReturnType<typeof createHazardService>;
