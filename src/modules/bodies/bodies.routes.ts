import type { HazardsStorage } from '../hazards/hazards.types';
import Router from '@koa/router';
import type { Context } from 'koa';
import type { FeatureContext } from '../../feature';
import type { City } from '../../shared/domain';
import { ForbiddenError, UnauthorizedError } from '../../shared/errors';
import { toWgs84 } from '../../shared/geo';
import { route } from '../../shared/openapi/route';
import { assertInServiceArea } from '../../shared/service-area';
import { validate, validateQuery } from '../../shared/validate';
import { actorOf } from '../identity/actor';
import type { Principal } from '../identity/principal';
import { requireStaff } from '../identity/policy';
import type { CompoundsStorage } from '../compounds/compounds.types';
import { bodyDocs } from './bodies.openapi';
import { allows, authorize } from './bodies.policy';
import { bodyInputSchema, bodyListSchema, bodyPatchSchema, routePreviewSchema } from './bodies.schema';
import { bodyNotFound, checkDistricts, createBodyService, type BodyService } from './bodies.service';
import type { BodiesStorage, ResponsibleBody } from './bodies.types';
import { bodyView } from './bodies.view';
import { districtOf } from './districts';
import { createRouter } from './routing';
import type { z } from 'zod';

export type BodyNeeds = BodiesStorage & Pick<CompoundsStorage, 'compounds'> & Pick<HazardsStorage, 'hazards'>;
type Staff = Extract<Principal, { kind: 'staff' }>;
type ListQuery = z.output<typeof bodyListSchema>;

const nextOf = (items: ResponsibleBody[], limit: number) => (items.length === limit ? (items[items.length - 1] as ResponsibleBody).id : null);

/** The bodies a body's staff member holds, filtered and paged like the administrators' list. */
async function heldBodies(service: BodyService, p: Staff, q: ListQuery): Promise<ResponsibleBody[]> {
  const found = await Promise.all(p.bodyIds.map((id) => service.get(id).catch(() => null)));
  return found
    .filter((b): b is ResponsibleBody => !!b && allows(p, 'hazard_body.read', { city: b.city, id: b.id }))
    .filter((b) => (!q.type || b.type === q.type) && (q.active === undefined || b.active === q.active) && (!q.after || b.id > q.after))
    .sort((a, b) => (a.id < b.id ? -1 : 1))
    .slice(0, q.limit);
}

/** City administrators register and change responsible bodies and preview routing; body staff read their own. */
export function bodyRoutes(deps: FeatureContext<BodyNeeds>): Router {
  const { storage, clock, identity, config } = deps;
  const service = createBodyService({ storage, clock, audit: identity.audit });
  const routing = createRouter({ storage, nearCompoundM: config.hazardRouting.compoundDistanceM });
  const router = new Router({ prefix: '/api/v1/hazard-bodies' });
  const api = bodyDocs({ input: bodyInputSchema, patch: bodyPatchSchema, list: bodyListSchema, preview: routePreviewSchema });

  /** The body of the path, when the caller may do the action to it; 404 otherwise, as for one that does not exist. */
  const reachable = async (ctx: Context, action: 'read' | 'update' | 'delete'): Promise<ResponsibleBody> => {
    if (!ctx.state.principal) throw new UnauthorizedError();
    const b = await service.get(ctx.params.id as string);
    if (!allows(ctx.state.principal, `hazard_body.${action}`, { city: b.city, id: b.id })) throw bodyNotFound();
    return b;
  };

  route(router, api.create, async (ctx) => {
    const p = authorize(ctx.state.principal, 'hazard_body.create', { city: ctx.state.principal?.city ?? null });
    const input = validate(bodyInputSchema, ctx.request.body, 422);
    ctx.status = 201;
    ctx.body = { data: bodyView(await service.create(actorOf(ctx), p.city as City, input)) };
  });
  route(router, api.list, async (ctx) => {
    const p = requireStaff(ctx.state.principal);
    if (p.role !== 'city_admin' && p.role !== 'body_staff') throw new ForbiddenError('无权执行此操作', { action: 'hazard_body.read', role: p.role });
    const q = validateQuery(bodyListSchema, ctx.query);
    const found = p.role === 'city_admin' ? await service.list({ ...q, city: p.city }) : await heldBodies(service, p, q);
    ctx.body = { data: found.map(bodyView), meta: { next: nextOf(found, q.limit) } };
  });
  route(router, api.preview, async (ctx) => {
    const p = authorize(ctx.state.principal, 'hazard_body.preview', { city: ctx.state.principal?.city ?? null });
    const q = validateQuery(routePreviewSchema, ctx.query);
    const city = p.city as City;
    const shown = { lng: q.lng, lat: q.lat };
    const location = toWgs84(shown, q.coordSys);
    assertInServiceArea(city, location, shown);
    const district = q.district ? (checkDistricts(city, [q.district])[0] as string) : districtOf(city, location);
    const decision = await routing.route({ city, district, category: q.category, location });
    ctx.body = { data: { district, districtSource: q.district ? 'given' : 'estimated', route: decision } };
  });
  route(router, api.get, async (ctx) => {
    ctx.body = { data: bodyView(await reachable(ctx, 'read')) };
  });
  route(router, api.update, async (ctx) => {
    const current = await reachable(ctx, 'update');
    const patch = validate(bodyPatchSchema, ctx.request.body, 422);
    ctx.body = { data: bodyView(await service.update(actorOf(ctx), current, patch)) };
  });
  route(router, api.remove, async (ctx) => {
    const current = await reachable(ctx, 'delete');
    await service.remove(actorOf(ctx), current);
    ctx.status = 204;
  });
  return router;
}
