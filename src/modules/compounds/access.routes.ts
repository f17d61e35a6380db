import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import type { FeatureContext } from '../../feature';
import { ConflictError, ForbiddenError, NotFoundError, UnauthorizedError, ValidationError } from '../../shared/errors';
import { route } from '../../shared/openapi/route';
import { optionalText, text } from '../../shared/schema';
import { queryBool, queryInt, validate, validateQuery } from '../../shared/validate';
import { isId, newId } from '../../storage/ids';
import type { StorageBase } from '../../storage/types';
import type { IdentityStorage, Rider, Staff } from '../identity/identity.types';
import { actorOf } from '../identity/actor';
import type { Principal } from '../identity/principal';
import { requireStaff } from '../identity/policy';
import type { Compound, CompoundsStorage, Pass } from './compounds.types';
import { REQUEST_STATUSES } from './compounds.types';
import { authorize } from './compounds.policy';
import { accessDocs } from './access.openapi';
import { blockView, deviceView, entryView, passView, requestView } from './access.view';
import type { AccessService, RequestOutcome } from './access.service';
import type { GateService } from './gate.service';
import { newDeviceToken } from './gate.service';
import { parsePlaceCode } from './place-codes';
import { dailySummary, summaryCsv } from './summary';
import { passCode } from './pass-code';
import type { Sealer } from '../../shared/sealed';
import { MAX_PASS_DAYS } from './compounds.schema';

type Storage = CompoundsStorage & IdentityStorage & Pick<StorageBase, 'atomically'>;

export interface AccessRouteDeps {
  ctx: FeatureContext<Storage>;
  access: AccessService;
  gates: GateService;
  sealer: Sealer;
  issueToken(claims: { passId: string; compoundId: string }, now: Date): Promise<{ token: string; expiresInSeconds: number }>;
}

const objectIdText = z.string().regex(/^[0-9a-f]{24}$/, '须为 24 位 id');
const days = z.number({ error: '必须是整数，如 30' }).int('必须是整数').min(1, '至少 1 天').max(MAX_PASS_DAYS, `最多 ${MAX_PASS_DAYS} 天`);
const page = z.strictObject({ limit: queryInt(1, 100).default(20), after: objectIdText.optional() });

const bodies = {
  request: z.strictObject({ compoundId: objectIdText, reason: optionalText(200).default(null), durationDays: days.default(30) }),
  approve: z.strictObject({ durationDays: days.optional() }),
  deny: z.strictObject({ reason: text(200) }),
  revoke: z.strictObject({ reason: text(200) }),
  block: z.strictObject({ riderId: objectIdText, reason: text(200) }),
  device: z.strictObject({ name: text(50) }),
  verify: z.strictObject({ compoundId: objectIdText, gateId: z.string().min(1).max(8), code: z.string().max(64).optional(), qr: z.string().max(2048).optional() })
    .refine((b) => (b.code === undefined) !== (b.qr === undefined), '请给出 code（通行码）或 qr（二维码内容）其中之一'),
  scan: z.strictObject({ code: z.string().min(1, '不能为空').max(200) }),
};
const queries = {
  list: z.strictObject({
    status: z.enum(REQUEST_STATUSES, { message: `可选：${REQUEST_STATUSES.join(', ')}` }).optional(),
    compoundId: objectIdText.optional(), overdue: queryBool().default(false), ...page.shape,
  }),
  entries: z.strictObject({ riderId: objectIdText.optional(), limit: queryInt(1, 200).default(50), before: objectIdText.optional() }),
  summary: z.strictObject({
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD')
      .refine((d) => d >= '2000-01-01' && d <= '2999-12-31' && !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), '没有这一天（2000 年以后的日期）').optional(),
    format: z.enum(['json', 'csv']).default('json'),
  }),
  page,
};

const nextOf = <T extends { id: string }>(items: T[], limit: number) => (items.length === limit ? (items[items.length - 1] as T).id : null);

/** Requests, passes, codes, gate checks, blocks, devices, entries and summaries of compound access. */
export function accessRoutes(deps: AccessRouteDeps): Router[] {
  const { ctx: feature, access, gates } = deps;
  const { storage, clock, config } = feature;
  const api = accessDocs({ ...bodies, ...queries });
  const overdueMs = config.access.overdueMs;

  const rider = async (c: Context): Promise<Rider> => {
    const p = c.state.principal as Principal | undefined;
    if (!p) throw new UnauthorizedError();
    if (p.kind !== 'rider') throw new ForbiddenError('仅限骑手');
    const r = await storage.riders.get(p.id);
    if (!r) throw new UnauthorizedError('账号不存在');
    return r;
  };
  /** The compound, after checking the caller may run its access. */
  const managed = async (c: Context, id: string): Promise<Compound> => {
    const compound = await access.compoundOf(id);
    authorize(c.state.principal, 'compound.manage', { city: compound.city, id: compound.id });
    return compound;
  };
  /** A page of one compound's records (blocks, gate devices), for those who run its access. */
  const compoundPage = <T extends { id: string }>(list: (q: { compoundId: string; limit: number; after?: string }) => Promise<T[]>, view: (t: T) => unknown) =>
    async (c: Context) => {
      const compound = await managed(c, c.params.id as string);
      const q = validateQuery(queries.page, c.query);
      const found = await list({ compoundId: compound.id, limit: q.limit, after: q.after });
      c.body = { data: found.map(view), meta: { next: nextOf(found, q.limit) } };
    };
  const outcomeView = async (o: Pick<RequestOutcome, 'request' | 'pass'> & { unmet?: string[] }, now: Date) => {
    const compound = await storage.compounds.get(o.request.compoundId);
    return { request: requestView(o.request, { now, overdueMs, compound }), pass: o.pass ? passView(o.pass, now, compound) : null, unmet: o.unmet ?? [] };
  };
  /** A pass its rider may show now; otherwise 409 saying why not. */
  const showable = (p: Pass, now: Date): Pass => {
    if (p.status === 'revoked') throw new ConflictError(`通行证已被撤销：${p.revokeReason ?? ''}`, { reason: 'revoked' });
    if (now >= p.validTo) throw new ConflictError('通行证已过期，请重新申请', { reason: 'expired' });
    if (now < p.validFrom) throw new ConflictError('通行证尚未生效', { reason: 'not_yet_valid' });
    return p;
  };

  const requests = new Router({ prefix: '/api/v1/access-requests' });
  route(requests, api.request, async (c) => {
    const r = await rider(c);
    if (r.status !== 'active') throw new ForbiddenError('账号已被停用，请联系社工部', { reason: 'suspended' });
    const input = validate(bodies.request, c.request.body, 422);
    const outcome = await access.request(r, input);
    c.status = outcome.created ? 201 : 200;
    c.body = { data: await outcomeView(outcome, clock.now()) };
  });
  route(requests, api.list, async (c) => {
    const p = requireStaff(c.state.principal);
    const q = validateQuery(queries.list, c.query);
    let compoundIds: string[] | undefined;
    if (q.compoundId) compoundIds = [(await managed(c, q.compoundId)).id];
    else if (p.role === 'property_manager') compoundIds = p.compoundIds;
    else if (p.role !== 'city_admin') throw new ForbiddenError('无权执行此操作', { action: 'compound.manage', role: p.role });
    const now = clock.now();
    const found = await storage.accessRequests.list({
      compoundIds, city: p.city, status: q.overdue ? 'pending' : q.status, limit: q.limit, after: q.after,
      createdBefore: q.overdue ? new Date(now.getTime() - overdueMs) : undefined,
    });
    const [riders, compounds] = await Promise.all([
      Promise.all(found.map((r) => storage.riders.get(r.riderId))),
      Promise.all(found.map((r) => storage.compounds.get(r.compoundId))),
    ]);
    c.body = { data: found.map((r, i) => requestView(r, { now, overdueMs, compound: compounds[i], rider: riders[i] })), meta: { next: nextOf(found, q.limit) } };
  });
  const decided = async (c: Context) => {
    const r = await access.requestOf(c.params.id as string);
    await managed(c, r.compoundId);
    return r;
  };
  route(requests, api.approve, async (c) => {
    const r = await decided(c);
    const body = validate(bodies.approve, c.request.body ?? {}, 422);
    const result = await access.approve(actorOf(c), r.id, body.durationDays);
    const v = await outcomeView(result, clock.now());
    c.body = { data: { request: v.request, pass: v.pass } };
  });
  route(requests, api.deny, async (c) => {
    const r = await decided(c);
    const body = validate(bodies.deny, c.request.body, 422);
    const result = await access.deny(actorOf(c), r.id, body.reason);
    c.body = { data: requestView(result, { now: clock.now(), overdueMs, compound: await storage.compounds.get(result.compoundId) }) };
  });

  const me = new Router({ prefix: '/api/v1/me' });
  route(me, api.mine, async (c) => {
    const r = await rider(c);
    const q = validateQuery(queries.page, c.query);
    const found = await storage.accessRequests.list({ riderId: r.id, limit: q.limit, after: q.after });
    const now = clock.now();
    const compounds = await Promise.all(found.map((x) => storage.compounds.get(x.compoundId)));
    c.body = { data: found.map((x, i) => requestView(x, { now, overdueMs, compound: compounds[i] })), meta: { next: nextOf(found, q.limit) } };
  });
  route(me, api.passes, async (c) => {
    const r = await rider(c);
    const q = validateQuery(queries.page, c.query);
    const found = await storage.passes.listByRider(r.id, { limit: q.limit, after: q.after });
    const now = clock.now();
    const compounds = await Promise.all(found.map((p) => storage.compounds.get(p.compoundId)));
    c.body = { data: found.map((p, i) => passView(p, now, compounds[i])), meta: { next: nextOf(found, q.limit) } };
  });
  route(me, api.code, async (c) => {
    const r = await rider(c);
    const now = clock.now();
    const p = showable(await access.ownPass(r.id, c.params.id as string), now);
    const secret = deps.sealer.open(p.secretSealed, p.id).toString('utf8');
    const code = passCode(secret, p.number, now);
    // A code shown near the end of the pass lives only as long as the pass.
    const left = Math.max(1, Math.ceil((p.validTo.getTime() - now.getTime()) / 1000));
    c.set('Cache-Control', 'no-store');
    c.body = { data: { ...code, expiresInSeconds: Math.min(code.expiresInSeconds, left) } };
  });
  route(me, api.qr, async (c) => {
    const r = await rider(c);
    const now = clock.now();
    const p = showable(await access.ownPass(r.id, c.params.id as string), now);
    const issued = await deps.issueToken({ passId: p.id, compoundId: p.compoundId }, now);
    c.set('Cache-Control', 'no-store');
    c.body = { data: issued };
  });

  const passes = new Router({ prefix: '/api/v1/passes' });
  route(passes, api.revoke, async (c) => {
    const p = isId(c.params.id as string) ? await storage.passes.get(c.params.id as string) : null;
    if (!p) throw new NotFoundError(`通行证 ${c.params.id as string} 不存在`, { field: 'id' });
    const compound = await managed(c, p.compoundId);
    const body = validate(bodies.revoke, c.request.body, 422);
    c.body = { data: passView(await access.revoke(actorOf(c), p, body.reason), clock.now(), compound) };
  });

  const compounds = new Router({ prefix: '/api/v1/compounds' });
  route(compounds, api.block, async (c) => {
    const compound = await managed(c, c.params.id as string);
    const body = validate(bodies.block, c.request.body, 422);
    const result = await access.block(actorOf(c), compound, body.riderId, body.reason);
    c.status = 201;
    c.body = { data: { block: blockView(result.block), revokedPasses: result.revokedPasses } };
  });
  route(compounds, api.blocks, compoundPage((q) => storage.blocks.list(q), blockView));
  route(compounds, api.lift, async (c) => {
    const compound = await managed(c, c.params.id as string);
    c.body = { data: blockView(await access.lift(actorOf(c), compound, c.params.blockId as string)) };
  });
  route(compounds, api.entries, async (c) => {
    const compound = await managed(c, c.params.id as string);
    const q = validateQuery(queries.entries, c.query);
    const found = await storage.entries.list({ compoundId: compound.id, riderId: q.riderId, limit: q.limit, before: q.before });
    c.body = { data: found.map(entryView), meta: { next: nextOf(found, q.limit) } };
  });
  route(compounds, api.summary, async (c) => {
    const compound = await managed(c, c.params.id as string);
    const q = validateQuery(queries.summary, c.query);
    const summary = await dailySummary(storage, compound, q.date, clock.now());
    if (q.format === 'csv') {
      c.type = 'text/csv; charset=utf-8';
      c.set('Content-Disposition', `attachment; filename="compound-${compound.id}-${summary.date}.csv"`);
      c.body = summaryCsv(compound, summary);
      return;
    }
    c.body = { data: summary };
  });
  route(compounds, api.device, async (c) => {
    const compound = await managed(c, c.params.id as string);
    const body = validate(bodies.device, c.request.body, 422);
    const { token, hash } = newDeviceToken();
    const now = clock.now();
    const staff = requireStaff(c.state.principal);
    const device = await feature.identity.audit.within(actorOf(c), () => storage.gateDevices.create({
      id: newId(), compoundId: compound.id, city: compound.city, name: body.name, tokenHash: hash, createdBy: staff.id, createdAt: now, revokedAt: null,
    }), (d) => ({ action: 'compound.device', objectType: 'compound', objectId: compound.id, city: compound.city, summary: { deviceId: d.id, name: d.name } }));
    c.status = 201;
    c.body = { data: { device: deviceView(device), token } };
  });
  route(compounds, api.devices, compoundPage((q) => storage.gateDevices.list(q), deviceView));
  route(compounds, api.revokeDevice, async (c) => {
    const compound = await managed(c, c.params.id as string);
    const id = c.params.deviceId as string;
    const revoked = await feature.identity.audit.within(actorOf(c), async () => {
      const d = isId(id) ? await storage.gateDevices.get(id) : null;
      if (!d || d.compoundId !== compound.id) throw new NotFoundError(`设备 ${id} 不存在`, { field: 'deviceId' });
      return (await storage.gateDevices.revoke(d.id, clock.now())) ?? d;
    }, (d) => ({ action: 'compound.device.revoke', objectType: 'compound', objectId: compound.id, city: compound.city, summary: { deviceId: d.id } }));
    c.body = { data: deviceView(revoked) };
  });

  const gateRouter = new Router({ prefix: '/api/v1/gates' });
  route(gateRouter, api.verify, async (c) => {
    const deviceToken = c.get('x-gate-device-token');
    const device = deviceToken ? await gates.device(deviceToken) : null;
    if (deviceToken && !device) throw new UnauthorizedError('门禁设备凭证无效或已停用', { reason: 'device' });
    const principal = c.state.principal as Principal | undefined;
    if (!device && !principal) throw new UnauthorizedError();
    const body = validate(bodies.verify, c.request.body, 422);
    const compound = await access.compoundOf(body.compoundId);
    if (device) {
      if (device.compoundId !== compound.id) throw new ForbiddenError('该设备不属于这个小区', { reason: 'device_compound' });
    } else {
      authorize(principal, 'compound.verify', { city: compound.city, id: compound.id });
    }
    const checker = device ? { kind: 'device' as const, id: device.id } : { kind: 'staff' as const, id: (principal as Principal).id };
    const result = await gates.verify(checker, { compound, gateId: body.gateId, code: body.code, qr: body.qr });
    if (result.reason === 'rate_limited') {
      c.set('Retry-After', '60');
      c.status = 429;
      c.body = { error: { status: 429, code: 'rate_limited', message: result.message, details: { reason: 'rate_limited', entryId: result.entryId } } };
      return;
    }
    c.set('Cache-Control', 'no-store');
    c.body = { data: result };
  });

  const placeCodes = new Router({ prefix: '/api/v1/place-codes' });
  route(placeCodes, api.scan, async (c) => {
    const r = await rider(c);
    const body = validate(bodies.scan, c.request.body, 422);
    const parsed = parsePlaceCode(body.code);
    if (!parsed) throw new ValidationError('这不是小区门口的场所码', [{ field: 'code', message: 'not a place code' }], 422);
    const compound = await storage.compounds.findByCode(parsed.compoundCode);
    const gate = compound?.gates.find((g) => g.id === parsed.gateId);
    if (!compound || !gate) throw new NotFoundError('没有找到这个场所码对应的小区门', { field: 'code' });
    if (r.status !== 'active') throw new ForbiddenError('账号已被停用，请联系社工部', { reason: 'suspended' });
    const outcome = await access.request(r, { compoundId: compound.id, reason: `扫码：${gate.name}`, durationDays: compound.policy.rules.maxPassDays });
    const v = await outcomeView(outcome, clock.now());
    c.body = { data: { compoundId: compound.id, compoundName: compound.name, gateId: gate.id, notes: compound.notes, request: v.pass ? null : v.request, pass: v.pass, unmet: v.unmet } };
  });

  return [requests, me, passes, compounds, gateRouter, placeCodes];
}

/** The staff ids of a compound's property managers, to tell them of a new request. */
export async function managersOf(storage: IdentityStorage, compound: Compound): Promise<string[]> {
  const ids: string[] = [];
  let after: string | undefined;
  for (;;) {
    const batch: Staff[] = await storage.staff.list({ city: compound.city, role: 'property_manager', limit: 100, after });
    for (const s of batch) if (s.status === 'active' && s.compoundIds.includes(compound.id)) ids.push(s.id);
    if (batch.length < 100) return ids;
    after = (batch[batch.length - 1] as Staff).id;
  }
}
