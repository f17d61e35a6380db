import Router from '@koa/router';
import { route } from '../../shared/openapi/route';
import { adminDocs } from './admin.openapi';
import { z } from 'zod';
import { text } from '../../shared/schema';
import type { Config } from '../../shared/config';
import { NotFoundError, UnauthorizedError, ValidationError } from '../../shared/errors';
import type { Clock } from '../../shared/time';
import { queryInt, validate, validateQuery } from '../../shared/validate';
import { isId } from '../../storage/ids';
import { City } from '../../shared/domain';
import { STAFF_ROLES, VERIFICATION_LEVELS, type IdentityStorage } from './identity.types';
import { checkHoldings } from './holdings';
import type { Identity } from './identity';
import { authorize } from './identity.policy';
import { humanCode, sha256 } from './tokens';
import { riderView, staffView } from './views';

const ids = z.array(z.string().regex(/^[0-9a-f]{24}$/, '不是有效的 id')).max(500).transform((a) => [...new Set(a)]);
const holdings = { stationIds: ids.default([]), merchantIds: ids.default([]), compoundIds: ids.default([]) };
const schemas = {
  invite: z.strictObject({ role: z.enum(STAFF_ROLES), ...holdings, expiresInHours: z.number().int().min(1).max(24 * 30).optional() }),
  staffPatch: z.strictObject({ stationIds: ids, merchantIds: ids, compoundIds: ids, status: z.enum(['active', 'disabled']), displayName: text(50) })
    .partial().refine((p) => Object.keys(p).length > 0, '至少提供一个要修改的字段'),
  riderPatch: z.strictObject({ verification: z.enum(VERIFICATION_LEVELS), status: z.enum(['active', 'suspended']) })
    .partial().refine((p) => Object.keys(p).length > 0, '至少提供一个要修改的字段'),
  page: z.strictObject({ limit: queryInt(1, 200).default(50), after: z.string().regex(/^[0-9a-f]{24}$/).optional() }),
};
const staffList = schemas.page.extend({ role: z.enum(STAFF_ROLES).optional() });
const riderList = schemas.page.extend({ status: z.enum(['active', 'suspended']).optional() });

/** City administrators: invitations, staff, riders. Everything is scoped to the administrator's own city. */
export function adminRoutes(deps: { config: Readonly<Config>; storage: IdentityStorage; clock: Clock; identity: Identity }): Router {
  const { storage, clock, identity } = deps;
  const router = new Router({ prefix: '/api/v1/admin' });
  const api = adminDocs({ ...schemas, staffList, riderList, audit: auditQuery });

  route(router, api.invite, async (ctx) => {
    const p = authorize(ctx.state.principal, 'invitation.create', { city: ctx.state.principal?.city ?? null });
    const body = validate(schemas.invite, ctx.request.body, 422);
    await checkHoldings(identity.holdings, p.city as City, body);
    const code = humanCode(10);
    const hours = body.expiresInHours ?? deps.config.auth.invitationTtlHours;
    const expiresAt = new Date(clock.now().getTime() + hours * 3_600_000);
    const { expiresInHours: _h, ...payload } = body;
    const inv = await storage.codes.create({ kind: 'invitation', codeHash: sha256(code), payload, city: p.city, createdBy: p.id, expiresAt }, clock.now());
    await identity.audit.record(ctx, { action: 'invitation.create', objectType: 'invitation', objectId: inv.id, city: p.city, summary: payload });
    ctx.status = 201;
    ctx.body = { data: { id: inv.id, code, expiresAt: expiresAt.toISOString(), ...payload } };
  });
  route(router, api.invitations, async (ctx) => {
    const p = authorize(ctx.state.principal, 'invitation.read', { city: ctx.state.principal?.city ?? null });
    const q = validateQuery(schemas.page, ctx.query);
    const list = await storage.codes.list({ kind: 'invitation', city: p.city as City, limit: q.limit, after: q.after });
    ctx.body = { data: list.map((c) => ({ id: c.id, ...c.payload, expiresAt: c.expiresAt.toISOString(), usedAt: c.usedAt?.toISOString() ?? null, usedBy: c.usedBy, createdBy: c.createdBy })) };
  });

  route(router, api.staff, async (ctx) => {
    const p = authorize(ctx.state.principal, 'staff.read', { city: ctx.state.principal?.city ?? null });
    const q = validateQuery(staffList, ctx.query);
    ctx.body = { data: (await storage.staff.list({ city: p.city as City, role: q.role, limit: q.limit, after: q.after })).map(staffView) };
  });
  route(router, api.staffPatch, async (ctx) => {
    if (!ctx.state.principal) throw new UnauthorizedError();
    const target = isId(ctx.params.id as string) ? await storage.staff.get(ctx.params.id as string) : null;
    if (!target) throw new NotFoundError();
    const p = authorize(ctx.state.principal, 'staff.update', { city: target.city, id: target.id });
    const patch = validate(schemas.staffPatch, ctx.request.body, 422);
    await checkHoldings(identity.holdings, p.city as City, patch);
    const updated = await storage.staff.update(target.id, patch, clock.now());
    if (patch.status === 'disabled') await identity.sessions.endAll('staff', target.id);
    await identity.audit.record(ctx, { action: 'staff.update', objectType: 'staff', objectId: target.id, city: target.city, summary: patch });
    ctx.body = { data: staffView(updated!) };
  });

  route(router, api.riders, async (ctx) => {
    const p = authorize(ctx.state.principal, 'rider.read', { city: ctx.state.principal?.city ?? null });
    const q = validateQuery(riderList, ctx.query);
    ctx.body = { data: (await storage.riders.list({ city: p.city as City, status: q.status, limit: q.limit, after: q.after })).map((r) => riderView(r)) };
  });
  route(router, api.riderPatch, async (ctx) => {
    if (!ctx.state.principal) throw new UnauthorizedError();
    const rider = isId(ctx.params.id as string) ? await storage.riders.get(ctx.params.id as string) : null;
    if (!rider) throw new NotFoundError();
    const p = authorize(ctx.state.principal, 'rider.update', { city: rider.city, id: rider.id });
    const patch = validate(schemas.riderPatch, ctx.request.body, 422);
    const updated = await storage.riders.update(rider.id, patch, clock.now());
    if (patch.status === 'suspended') await identity.sessions.endAll('rider', rider.id);
    await identity.audit.record(ctx, { action: 'rider.update', objectType: 'rider', objectId: rider.id, city: rider.city ?? p.city, summary: patch });
    ctx.body = { data: riderView(updated!) };
  });
  route(router, api.audit, async (ctx) => {
    const p = authorize(ctx.state.principal, 'audit.read', { city: ctx.state.principal?.city ?? null });
    const q = validateQuery(auditQuery, ctx.query);
    const entries = await storage.audit.list({ ...q, city: p.city as City, limit: q.limit + 1 });
    const page = entries.slice(0, q.limit);
    ctx.body = {
      data: page.map((e) => ({ ...e, at: e.at.toISOString() })),
      meta: { nextBefore: entries.length > q.limit ? page[page.length - 1]?.id : null },
    };
  });
  return router;
}

const isoDate = z.iso.datetime({ offset: true, message: '须为带时区的 ISO 8601 时间' }).transform((v) => new Date(v));
const auditQuery = z.strictObject({
  limit: queryInt(1, 200).default(50),
  before: z.string().regex(/^[0-9a-f]{24}$/, '不是有效的 id').optional(),
  actorId: z.string().regex(/^[0-9a-f]{24}$/, '不是有效的 id').optional(),
  action: z.string().regex(/^[a-z_]+\.[a-z_]+$/, '形如 station.update').optional(),
  objectType: z.string().regex(/^[a-z_]+$/).optional(),
  objectId: z.string().regex(/^[0-9a-f]{24}$/, '不是有效的 id').optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
});
