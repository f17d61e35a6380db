import Router from '@koa/router';
import type { Middleware } from 'koa';
import { z } from 'zod';
import { COORD_SYSTEMS, CoordSys } from '../../shared/geo';
import { Clock, localTime } from '../../shared/time';
import { validate, validateQuery } from '../../shared/validate';
import type { Located } from '../../storage/types';
import { Center, NearbyBase, PlaceLookup, resolveCenter } from './nearby';
import type { ViewContext } from '../stations/stations.view';

export const coordSysQuery = z.strictObject({
  coordSys: z.enum(COORD_SYSTEMS, { message: `可选：${COORD_SYSTEMS.join(', ')}` }).default('gcj02'),
});

interface GeoService<Doc, Q, In, Patch> {
  nearby(q: Q, c: Center): Promise<Array<Located<Doc>>>;
  get(id: string): Promise<Doc>;
  create(input: In, coordSys: CoordSys): Promise<Doc>;
  update(id: string, patch: Patch, coordSys: CoordSys): Promise<Doc>;
  remove(id: string): Promise<void>;
}

export interface GeoResource<Doc extends { id: string }, Q extends NearbyBase, In, Patch> {
  prefix: string;
  service: GeoService<Doc, Q, In, Patch>;
  /** Compact shape for nearby lists. */
  summary(doc: Located<Doc>, v: ViewContext): unknown;
  /** Full shape for one object. */
  view(doc: Doc, v: ViewContext): unknown;
  nearbySchema: z.ZodType<Q>;
  inputSchema: z.ZodType<In>;
  patchSchema: z.ZodType<Patch>;
  clock: Clock;
  freshnessMs: number;
  places: PlaceLookup;
  /** Guards writes (create/update/delete). */
  guard: Middleware;
}

/** Nearby search, read, and guarded create/update/delete for one located resource. */
export function geoResourceRoutes<Doc extends { id: string }, Q extends NearbyBase, In, Patch>(r: GeoResource<Doc, Q, In, Patch>): Router {
  const router = new Router({ prefix: r.prefix });
  const ctxFor = (coordSys: CoordSys): ViewContext => {
    const now = r.clock.now();
    return { coordSys, now, local: localTime(now), freshnessMs: r.freshnessMs };
  };
  const coordSysOf = (query: Parameters<typeof validateQuery>[1]) => validateQuery(coordSysQuery, query).coordSys;

  router.get('/nearby', async (ctx) => {
    const q = validateQuery(r.nearbySchema, ctx.query);
    const center = resolveCenter(q, r.places);
    const found = await r.service.nearby(q, center);
    const v = ctxFor(q.coordSys);
    ctx.body = {
      data: found.map((d) => r.summary(d, v)),
      meta: { coordSys: q.coordSys, radius: center.radiusM, count: found.length, place: center.place },
    };
  });
  router.get('/:id', async (ctx) => {
    const coordSys = coordSysOf(ctx.query);
    ctx.body = { data: r.view(await r.service.get(ctx.params.id as string), ctxFor(coordSys)) };
  });
  router.post('/', r.guard, async (ctx) => {
    const coordSys = coordSysOf(ctx.query);
    const created = await r.service.create(validate(r.inputSchema, ctx.request.body, 422), coordSys);
    ctx.status = 201;
    ctx.set('Location', `${r.prefix}/${created.id}`);
    ctx.body = { data: r.view(created, ctxFor(coordSys)) };
  });
  router.patch('/:id', r.guard, async (ctx) => {
    const coordSys = coordSysOf(ctx.query);
    const patch = validate(r.patchSchema, ctx.request.body, 422);
    ctx.body = { data: r.view(await r.service.update(ctx.params.id as string, patch, coordSys), ctxFor(coordSys)) };
  });
  router.delete('/:id', r.guard, async (ctx) => {
    await r.service.remove(ctx.params.id as string);
    ctx.status = 204;
  });
  return router;
}
