import Router from '@koa/router';
import { route } from '../../shared/openapi/route';
import { adminDocs } from './admin.openapi';
import { z } from 'zod';
import { text } from '../../shared/schema';
import { UnauthorizedError } from '../../shared/errors';
import { queryInt, validate, validateQuery } from '../../shared/validate';
import { City } from '../../shared/domain';
import { HOLDING_KEYS, STAFF_ROLES, VERIFICATION_LEVELS } from './identity.types';
import { actorOf } from './actor';
import type { Identity } from './identity';
import { authorize } from './identity.policy';
import { riderView, staffView } from './views';

const ids = z.array(z.string().regex(/^[0-9a-f]{24}$/, '不是有效的 id')).max(500).transform((a) => [...new Set(a)]);
type HoldingIds<T> = Record<(typeof HOLDING_KEYS)[number], T>;
const holdingIds = Object.fromEntries(HOLDING_KEYS.map((k) => [k, ids])) as HoldingIds<typeof ids>;
const holdings = Object.fromEntries(HOLDING_KEYS.map((k) => [k, ids.default([])])) as HoldingIds<ReturnType<typeof ids.default>>;
const schemas = {
  invite: z.strictObject({ role: z.enum(STAFF_ROLES), ...holdings, expiresInHours: z.number().int().min(1).max(24 * 30).optional() }),
  staffPatch: z.strictObject({ ...holdingIds, status: z.enum(['active', 'disabled']), displayName: text(50) })
    .partial().refine((p) => Object.keys(p).length > 0, '至少提供一个要修改的字段'),
  riderPatch: z.strictObject({ verification: z.enum(VERIFICATION_LEVELS), status: z.enum(['active', 'suspended']) })
    .partial().refine((p) => Object.keys(p).length > 0, '至少提供一个要修改的字段'),
  page: z.strictObject({ limit: queryInt(1, 200).default(50), after: z.string().regex(/^[0-9a-f]{24}$/).optional() }),
};
const staffList = schemas.page.extend({ role: z.enum(STAFF_ROLES).optional() });
const riderList = schemas.page.extend({ status: z.enum(['active', 'suspended']).optional() });

/** City administrators: invitations, staff, riders. Everything is scoped to the administrator's own city. */
export function adminRoutes({ identity }: { identity: Identity }): Router {
  const { admin } = identity;
  const router = new Router({ prefix: '/api/v1/admin' });
  const api = adminDocs({ ...schemas, staffList, riderList, audit: auditQuery });

  route(router, api.invite, async (ctx) => {
    const p = authorize(ctx.state.principal, 'invitation.create', { city: ctx.state.principal?.city ?? null });
    const body = validate(schemas.invite, ctx.request.body, 422);
    ctx.status = 201;
    ctx.body = { data: await admin.invite(actorOf(ctx), p.city as City, body) };
  });
  route(router, api.invitations, async (ctx) => {
    const p = authorize(ctx.state.principal, 'invitation.read', { city: ctx.state.principal?.city ?? null });
    ctx.body = { data: await admin.invitations(p.city as City, validateQuery(schemas.page, ctx.query)) };
  });

  route(router, api.staff, async (ctx) => {
    const p = authorize(ctx.state.principal, 'staff.read', { city: ctx.state.principal?.city ?? null });
    ctx.body = { data: (await admin.listStaff(p.city as City, validateQuery(staffList, ctx.query))).map(staffView) };
  });
  route(router, api.staffPatch, async (ctx) => {
    if (!ctx.state.principal) throw new UnauthorizedError();
    const target = await admin.getStaff(ctx.params.id as string);
    authorize(ctx.state.principal, 'staff.update', { city: target.city, id: target.id });
    const patch = validate(schemas.staffPatch, ctx.request.body, 422);
    ctx.body = { data: staffView(await admin.updateStaff(actorOf(ctx), target, patch)) };
  });

  route(router, api.riders, async (ctx) => {
    const p = authorize(ctx.state.principal, 'rider.read', { city: ctx.state.principal?.city ?? null });
    ctx.body = { data: (await admin.listRiders(p.city as City, validateQuery(riderList, ctx.query))).map((r) => riderView(r)) };
  });
  route(router, api.riderPatch, async (ctx) => {
    if (!ctx.state.principal) throw new UnauthorizedError();
    const rider = await admin.getRider(ctx.params.id as string);
    const p = authorize(ctx.state.principal, 'rider.update', { city: rider.city, id: rider.id });
    const patch = validate(schemas.riderPatch, ctx.request.body, 422);
    ctx.body = { data: riderView(await admin.updateRider(actorOf(ctx), p.city as City, rider, patch)) };
  });
  route(router, api.audit, async (ctx) => {
    const p = authorize(ctx.state.principal, 'audit.read', { city: ctx.state.principal?.city ?? null });
    const { entries, nextBefore } = await admin.auditLog(p.city as City, validateQuery(auditQuery, ctx.query));
    ctx.body = { data: entries.map((e) => ({ ...e, at: e.at.toISOString() })), meta: { nextBefore } };
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
