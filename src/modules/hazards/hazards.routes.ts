import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import type { FeatureContext } from '../../feature';
import { readJsonBody } from '../../shared/body';
import { toCsv } from '../../shared/csv-out';
import { ForbiddenError, NotFoundError, UnauthorizedError, UnsupportedMediaTypeError } from '../../shared/errors';
import { COORD_SYSTEMS, toWgs84, type CoordSys } from '../../shared/geo';
import { route } from '../../shared/openapi/route';
import { createLimiter } from '../../shared/rate-limit';
import { optionalText, text } from '../../shared/schema';
import { queryBool, queryInt, queryNumber, validate, validateQuery } from '../../shared/validate';
import { CITIES } from '../../shared/domain';
import type { StorageBase } from '../../storage/types';
import type { IdentityStorage, Rider } from '../identity/identity.types';
import type { Principal } from '../identity/principal';
import { actorOf } from '../identity/actor';
import type { AuditEvent } from '../identity/audit';
import { requireStaff } from '../identity/policy';
import { CATEGORY_CODES, HAZARD_CATEGORIES, HAZARD_CLASSES } from './categories';
import { hazardDocs } from './hazards.openapi';
import { allows, authorize } from './hazards.policy';
import { isOverdue, type HazardService } from './hazards.service';
import { HAZARD_STATUSES, type HazardReport, type HazardsStorage } from './hazards.types';
import { hazardStaffView, hazardView } from './hazards.view';
import { hazardStats, statsCsvRows } from './stats';

type Storage = HazardsStorage & IdentityStorage & Pick<StorageBase, 'atomically' | 'limiterStore'>;

export interface HazardRouteDeps {
  ctx: FeatureContext<Storage>;
  service: HazardService;
  /** Reads a multipart report (fields and up to 3 photos); null when the caller did not send multipart. */
  readMultipart(c: Context): Promise<{ fields: Record<string, string>; photos: Buffer[] } | null>;
  /** A stored photo's bytes. */
  photo(key: string): Promise<{ data: Buffer; contentType: string } | null>;
  /** Whether a staff member may act on reports routed to this body (its staff). */
  holdsBody(p: Principal, bodyId: string): boolean;
}

const coordSys = z.enum(COORD_SYSTEMS, { message: `可选：${COORD_SYSTEMS.join(', ')}` }).default('gcj02');
const category = z.enum(CATEGORY_CODES, { message: `没有这个类别，可选：${CATEGORY_CODES.join(', ')}` });
const lng = z.number({ error: '经度须为数字' }).min(-180).max(180);
const lat = z.number({ error: '纬度须为数字' }).min(-90).max(90);
const objectIdText = z.string().regex(/^[0-9a-f]{24}$/, '须为 24 位 id');
const page = z.strictObject({ limit: queryInt(1, 100).default(20), after: objectIdText.optional() });

const schemas = {
  create: z.strictObject({
    category, description: text(1000, { multiline: true }), lng, lat, coordSys, address: optionalText(200).default(null), district: optionalText(50).default(null),
  }),
  nearby: z.strictObject({ category, lng: queryNumber().pipe(lng), lat: queryNumber().pipe(lat), coordSys }),
  status: z.strictObject({
    status: z.enum(['triaged', 'in_progress', 'resolved', 'rejected'], { message: '可选：triaged, in_progress, resolved, rejected（重复请用 /duplicate）' }),
    note: optionalText(500, { multiline: true }).default(null), class: z.enum(HAZARD_CLASSES).optional(),
  }),
  duplicate: z.strictObject({ originalId: objectIdText, note: optionalText(500).default(null) }),
  feedback: z.strictObject({ fixed: z.boolean({ error: 'fixed 须为 true（修好了）或 false（没修好）' }), note: optionalText(500).default(null) }),
  queue: z.strictObject({
    status: z.enum(HAZARD_STATUSES).optional(), category: category.optional(), district: text(50).optional(), class: z.enum(HAZARD_CLASSES).optional(),
    overdue: queryBool().default(false), coordSys, ...page.shape,
  }),
  stats: z.strictObject({
    city: z.enum(CITIES).optional(), since: z.iso.date({ message: '日期格式应为 YYYY-MM-DD' }).optional(), until: z.iso.date({ message: '日期格式应为 YYYY-MM-DD' }).optional(),
    format: z.enum(['json', 'csv']).default('json'),
  }),
  coordSys: z.strictObject({ coordSys }),
  page,
};

const MULTIPART_NUMBERS = ['lng', 'lat'];

/** The report body of a multipart request as the JSON schema takes it (numbers from text fields). */
function fromFields(fields: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...fields };
  // Decimal text only ('0x6A' and '1e2' stay text, so the schema refuses them as JSON bodies are refused).
  for (const f of MULTIPART_NUMBERS) if (typeof fields[f] === 'string' && /^[+-]?\d+(\.\d+)?$/.test(fields[f].trim())) out[f] = Number(fields[f]);
  return out;
}

/** The audit entry of a staff change of a report. */
const audited = (action: string, r: HazardReport, summary: Record<string, unknown>): AuditEvent => ({
  action, objectType: 'hazard_report', objectId: r.id, city: r.city, summary,
});

const nextOf = <T extends { id: string }>(items: T[], limit: number) => (items.length === limit ? (items[items.length - 1] as T).id : null);

/** 随手拍 routes: riders report, support and answer; staff triage and work queues; anyone reads public reports. */
export function hazardRoutes(deps: HazardRouteDeps): { raw: Router; json: Router } {
  const { ctx: feature, service } = deps;
  const { storage, clock, config, identity } = feature;
  const api = hazardDocs(schemas);
  const limiter = createLimiter('hazard-report', config.hazards.reportsPerMinute, storage.limiterStore());
  const now = () => clock.now();

  const rider = async (c: Context): Promise<Rider> => {
    const p = c.state.principal as Principal | undefined;
    if (!p) throw new UnauthorizedError();
    if (p.kind !== 'rider') throw new ForbiddenError('仅限骑手');
    const r = await storage.riders.get(p.id);
    if (!r) throw new UnauthorizedError('账号不存在');
    if (r.status !== 'active') throw new ForbiddenError('账号已被停用，请联系社工部', { reason: 'suspended' });
    return r;
  };
  /** The report, after checking the caller may work on it: the city's admins, or whoever it was routed to. */
  /** Whether the staff member may work on the report: the city's administrators, or whoever it was routed to. */
  const mayManage = (p: Principal | undefined, r: HazardReport): boolean => {
    if (!p || p.kind !== 'staff') return false;
    const bodyId = r.route.bodyId;
    return (bodyId !== null && deps.holdsBody(p, bodyId)) || allows(p, 'hazard.manage', { city: r.city, id: r.route.compoundId ?? undefined });
  };
  const managed = async (c: Context): Promise<{ report: HazardReport; by: { id: string; role: string } }> => {
    const report = await service.get(c.params.id as string);
    const p = requireStaff(c.state.principal);
    if (!mayManage(p, report)) authorize(p, 'hazard.manage', { city: report.city, id: report.route.compoundId ?? undefined });
    return { report, by: { id: p.id, role: p.role } };
  };
  /** A report held for review is seen only by its reporter and those who may work on it; to anyone else it does not exist. */
  const visible = (r: HazardReport, c: Context) => {
    const p = c.state.principal as Principal | undefined;
    if (r.hidden && !(p?.kind === 'rider' && r.reporterId === p.id) && !mayManage(p, r)) {
      throw new NotFoundError(`上报 ${r.id} 不存在`, { field: 'id' });
    }
    return r;
  };
  const coordSysOf = (c: Context): CoordSys => validateQuery(schemas.coordSys, c.query).coordSys;

  const raw = new Router({ prefix: '/api/v1' });
  route(raw, api.create, async (c) => {
    const r = await rider(c);
    const multipart = await deps.readMultipart(c);
    let body: unknown;
    if (multipart) body = fromFields(multipart.fields);
    else if (!c.request.length && !c.get('transfer-encoding')) body = {};
    else if (c.is('application/json', '+json')) body = await readJsonBody(c, config.bodyLimitBytes);
    else throw new UnsupportedMediaTypeError(['application/json', 'multipart/form-data']);
    const input = validate(schemas.create, body, 422);
    // Counted once a report is well formed: a rider fixing a typo is not locked out (the write limit still applies).
    await limiter.consume(`rider:${r.id}`);
    const location = toWgs84({ lng: input.lng, lat: input.lat }, input.coordSys);
    const report = await service.create(r, { category: input.category, description: input.description, location, address: input.address, district: input.district }, multipart?.photos ?? []);
    c.status = 201;
    c.set('Location', `/api/v1/hazards/${report.id}`);
    c.body = { data: hazardView(report, { coordSys: input.coordSys, now: now() }) };
  });

  const router = new Router({ prefix: '/api/v1' });
  route(router, api.categories, (c) => {
    c.set('Cache-Control', 'public, max-age=3600');
    c.body = { data: HAZARD_CATEGORIES };
  });
  route(router, api.nearby, async (c) => {
    const q = validateQuery(schemas.nearby, c.query);
    const found = await service.nearbyOpen(q.category, toWgs84({ lng: q.lng, lat: q.lat }, q.coordSys));
    c.body = { data: found.map((r) => hazardView(r, { coordSys: q.coordSys, now: now() })) };
  });
  route(router, api.queue, async (c) => {
    const p = requireStaff(c.state.principal);
    const q = validateQuery(schemas.queue, c.query);
    const scope = p.role === 'city_admin' ? {} : p.role === 'property_manager' ? { compoundIds: p.compoundIds } : p.role === 'body_staff' ? { bodyIds: p.bodyIds } : null;
    if (!scope) throw new ForbiddenError('无权查看上报队列', { role: p.role });
    const at = now();
    const filter = { city: p.city, ...scope, status: q.status, category: q.category, district: q.district, class: q.class };
    let found: HazardReport[];
    if (!q.overdue) found = await storage.hazards.list({ ...filter, limit: q.limit, after: q.after });
    else {
      // Overdue depends on each report's category and time in status: page through until enough are found.
      found = [];
      for (let after = q.after; found.length < q.limit;) {
        const page = await storage.hazards.list({ ...filter, limit: 500, after });
        found.push(...page.filter((r) => isOverdue(r, at)));
        if (page.length < 500) break;
        after = page[page.length - 1]?.id;
      }
      found = found.slice(0, q.limit);
    }
    c.body = { data: found.map((r) => hazardStaffView(r, { coordSys: q.coordSys, now: at })), meta: { next: nextOf(found, q.limit) } };
  });
  route(router, api.stats, async (c) => {
    const p = requireStaff(c.state.principal);
    const q = validateQuery(schemas.stats, c.query);
    const city = q.city ?? p.city;
    // A body's staff get the statistics of their bodies' reports; administrators those of their city.
    const bodyIds = p.role === 'body_staff' && city === p.city ? p.bodyIds : undefined;
    if (!bodyIds) authorize(p, 'hazard.stats', { city });
    const stats = await hazardStats(storage, { city, since: q.since, until: q.until, bodyIds });
    if (q.format === 'csv') {
      c.type = 'text/csv; charset=utf-8';
      c.set('Content-Disposition', `attachment; filename="hazards-${city}.csv"`);
      c.body = toCsv(['项目', '分组', '数值'], statsCsvRows(stats));
      return;
    }
    c.body = { data: stats };
  });
  route(router, api.get, async (c) => {
    const r = visible(await service.get(c.params.id as string), c);
    c.body = { data: hazardView(r, { coordSys: coordSysOf(c), now: now() }) };
  });
  const photo = (thumb: boolean) => async (c: Context) => {
    const r = visible(await service.get(c.params.id as string), c);
    const p = r.photos[Number(c.params.n) - 1];
    const file = p && (await deps.photo(thumb ? p.thumbKey : p.key));
    if (!file) throw new NotFoundError('没有这张照片', { field: 'n' });
    // A photo of a report held for review must not be kept by a shared cache.
    c.set('Cache-Control', r.hidden ? 'private, no-store' : 'public, max-age=86400, immutable');
    c.type = file.contentType;
    c.body = file.data;
  };
  route(router, api.photo, photo(false));
  route(router, api.thumb, photo(true));
  route(router, api.mine, async (c) => {
    const r = await rider(c);
    const q = validateQuery(schemas.page, c.query);
    const found = await storage.hazards.list({ followerId: r.id, limit: q.limit, after: q.after });
    c.body = { data: found.map((x) => hazardView(x, { coordSys: 'gcj02', now: now() })), meta: { next: nextOf(found, q.limit) } };
  });
  route(router, api.points, async (c) => {
    const r = await rider(c);
    const q = validateQuery(schemas.page, c.query);
    const [total, entries] = await Promise.all([storage.points.total(r.id), storage.points.list(r.id, { limit: q.limit, after: q.after })]);
    c.body = {
      data: { total, entries: entries.map((e) => ({ reportId: e.reportId, reason: e.reason, points: e.points, at: e.at.toISOString() })) },
      meta: { next: nextOf(entries, q.limit) },
    };
  });
  route(router, api.support, async (c) => {
    const r = await rider(c);
    const report = await service.support(r, c.params.id as string);
    c.body = { data: hazardView(report, { coordSys: coordSysOf(c), now: now() }) };
  });
  route(router, api.feedback, async (c) => {
    const r = await rider(c);
    const body = validate(schemas.feedback, c.request.body, 422);
    const report = await service.feedback(r, c.params.id as string, body.fixed, body.note);
    c.body = { data: hazardView(report, { coordSys: coordSysOf(c), now: now() }) };
  });
  route(router, api.status, async (c) => {
    const { report, by } = await managed(c);
    const body = validate(schemas.status, c.request.body, 422);
    const saved = await identity.audit.within(actorOf(c), () => service.transition(by, report, body.status, body.note, { class: body.class }),
      () => audited('hazard.status', report, { status: body.status, previous: report.status, note: body.note, class: body.class ?? null }));
    c.body = { data: hazardStaffView(saved, { coordSys: coordSysOf(c), now: now() }) };
  });
  route(router, api.duplicate, async (c) => {
    const { report, by } = await managed(c);
    const body = validate(schemas.duplicate, c.request.body, 422);
    // The original changes too (it gains followers), so the caller must be one who may work on it.
    const target = await service.get(body.originalId).catch(() => null);
    if (!target || (target.hidden && !mayManage(c.state.principal, target))) throw new NotFoundError(`原上报 ${body.originalId} 不存在`, { field: 'originalId' });
    if (!mayManage(c.state.principal, target)) throw new ForbiddenError('只能合并到你负责处理的上报', { field: 'originalId' });
    const { report: dup, original } = await identity.audit.within(actorOf(c), () => service.markDuplicate(by, report, body.originalId, body.note),
      () => audited('hazard.duplicate', report, { originalId: body.originalId, previous: report.status, note: body.note }));
    const v = { coordSys: coordSysOf(c), now: now() };
    c.body = { data: { report: hazardStaffView(dup, v), original: hazardStaffView(original, v) } };
  });
  route(router, api.reveal, async (c) => {
    const { report, by } = await managed(c);
    // Revealing a report already shown writes nothing, so it leaves no audit entry either.
    const shown = await identity.audit.within(actorOf(c), () => service.reveal(by, report), () => (report.hidden ? audited('hazard.reveal', report, {}) : null));
    c.body = { data: hazardStaffView(shown, { coordSys: coordSysOf(c), now: now() }) };
  });
  return { raw, json: router };
}
