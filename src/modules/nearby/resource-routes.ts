import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { COORD_SYSTEMS, CoordSys, type LngLat } from '../../shared/geo';
import { listEntries } from './list-entries';
import { Clock, localTime } from '../../shared/time';
import { validate, validateQuery } from '../../shared/validate';
import { CITIES, type City, type Located } from '../../shared/domain';
import type { Audit } from '../identity/audit';
import { route } from '../../shared/openapi/route';
import { geoRouteDocs, type GeoResourceDocs } from './resource-docs';
import { actorOf } from '../identity/actor';
import { requireStaff, type Target } from '../identity/policy';
import type { Principal } from '../identity/principal';
import type { Role } from '../../shared/openapi/route';
import { ForbiddenError } from '../../shared/errors';
import { Center, NearbyBase, PlaceLookup, resolveCenter } from './nearby';
import type { ViewContext } from '../../shared/view';

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

export type WriteOp = 'create' | 'update' | 'delete';

export interface GeoResource<Doc extends { id: string; city: City; name: string; location: LngLat; updatedAt: Date }, Q extends NearbyBase, In, Patch> {
  prefix: string;
  /** Audit object type, e.g. 'station'. */
  kind: string;
  service: GeoService<Doc, Q, In, Patch>;
  /** Compact shape for nearby lists; distanceM, when the document has one, is its last field. */
  summary(doc: Located<Doc>, v: ViewContext): unknown;
  /**
   * What a summary depends on besides the stored document and the minute (the coordinate system...). Given, nearby
   * lists keep each document's rendered entry per version, minute and key (listEntries); without, they render each time.
   */
  summaryKey?(doc: Doc, v: ViewContext): string;
  /** Full shape for one object. */
  view(doc: Doc, v: ViewContext): unknown;
  nearbySchema: z.ZodType<Q>;
  inputSchema: z.ZodType<In>;
  patchSchema: z.ZodType<Patch>;
  clock: Clock;
  freshnessMs: number;
  places: PlaceLookup;
  /** Throws unless the caller may do this write to an object of this city (the existing doc for update/delete). */
  authorize(ctx: Context, op: WriteOp, city: City, doc?: NoInfer<Doc>, patch?: NoInfer<Patch>): void;
  audit: Audit;
  /** What the OpenAPI document says about these routes. */
  docs: GeoResourceDocs;
}

/**
 * The authorize of a resource whose holders (merchant owners, property managers) may change some fields of their own
 * objects: city administrators as the policy says; a holder the policy would refuse an update is let through on the
 * holder action for the fields named, and refused (403, naming them) for any other field.
 */
export function holderEditsAuthorize(o: {
  holderRole: Role;
  fields: ReadonlySet<string>;
  /** The full update is allowed (administrators): then the field limit does not apply. */
  mayUpdate(p: Principal | undefined, t: Target): boolean;
  /** Throws unless the caller may make the holder's edits to this object. */
  authorizeHolder(p: Principal | undefined, t: Target): void;
  /** Throws unless the caller may do this write at all. */
  authorizeOp(p: Principal | undefined, op: WriteOp, t: Target): void;
  refusal(fields: string[]): string;
}): (ctx: Context, op: WriteOp, city: City, doc?: { id: string }, patch?: object) => void {
  return (ctx, op, city, doc, patch) => {
    const p = ctx.state.principal;
    const target = { city, id: doc?.id };
    if (op === 'update' && p?.role === o.holderRole && !o.mayUpdate(p, target)) {
      o.authorizeHolder(p, target);
      const other = Object.keys(patch ?? {}).filter((k) => !o.fields.has(k));
      if (other.length) throw new ForbiddenError(o.refusal(other), { fields: other });
      return;
    }
    o.authorizeOp(p, op, target);
  };
}

/** The city a raw request body names, if it names a real one; authorisation reads it before validation. */
function claimedCity(body: unknown): City | null {
  const city = (body as { city?: unknown } | null)?.city;
  return (CITIES as readonly unknown[]).includes(city) ? (city as City) : null;
}

/** Nearby search, read, and guarded create/update/delete for one located resource. */
export function geoResourceRoutes<Doc extends { id: string; city: City; name: string; location: LngLat; updatedAt: Date }, Q extends NearbyBase, In extends { city: City }, Patch extends object>(
  r: GeoResource<Doc, Q, In, Patch>,
): Router {
  const router = new Router({ prefix: r.prefix });
  const ctxFor = (coordSys: CoordSys): ViewContext => {
    const now = r.clock.now();
    return { coordSys, now, local: localTime(now), freshnessMs: r.freshnessMs };
  };
  const coordSysOf = (query: Parameters<typeof validateQuery>[1]) => validateQuery(coordSysQuery, query).coordSys;
  const api = geoRouteDocs(r.docs, { nearby: r.nearbySchema, input: r.inputSchema, patch: r.patchSchema, coordSys: coordSysQuery });

  const { summaryKey } = r;
  const entry = summaryKey
    ? listEntries(r.summary, summaryKey)
    : (d: Located<Doc>, v: ViewContext) => JSON.stringify(r.summary(d, v));
  route(router, api.nearby, async (ctx) => {
    const q = validateQuery(r.nearbySchema, ctx.query);
    const center = resolveCenter(q, r.places);
    const found = await r.service.nearby(q, center);
    const v = ctxFor(q.coordSys);
    const meta = { coordSys: q.coordSys, radius: center.radiusM, count: found.length, place: center.place };
    // Assembled from the entries' JSON (see listEntries): { data: [...], meta }.
    ctx.type = 'application/json';
    ctx.body = `{"data":[${found.map((d) => entry(d, v)).join(',')}],"meta":${JSON.stringify(meta)}}`;
  });
  route(router, api.get, async (ctx) => {
    const coordSys = coordSysOf(ctx.query);
    ctx.body = { data: r.view(await r.service.get(ctx.params.id as string), ctxFor(coordSys)) };
  });
  // The write and its audit entry commit together.
  const audited = <T extends Doc | null>(ctx: Context, op: WriteOp, write: () => Promise<T>, about: (result: T) => { doc: Doc; summary: Record<string, unknown> }) =>
    r.audit.within(actorOf(ctx), write, (result) => {
      const { doc, summary } = about(result);
      return { action: `${r.kind}.${op}`, objectType: r.kind, objectId: doc.id, city: doc.city, summary };
    });

  route(router, api.create, async (ctx) => {
    // Authorised on the city the body names (or the caller's own when it names none) before anything is validated.
    const p = requireStaff(ctx.state.principal);
    r.authorize(ctx, 'create', claimedCity(ctx.request.body) ?? p.city);
    const coordSys = coordSysOf(ctx.query);
    const input = validate(r.inputSchema, ctx.request.body, 422);
    const created = await audited(ctx, 'create', () => r.service.create(input, coordSys), (doc) => ({ doc, summary: { name: doc.name } }));
    ctx.status = 201;
    ctx.set('Location', `${r.prefix}/${created.id}`);
    ctx.body = { data: r.view(created, ctxFor(coordSys)) };
  });
  route(router, api.update, async (ctx) => {
    const current = await r.service.get(ctx.params.id as string);
    // Authorised on the fields asked for, before validating their values.
    r.authorize(ctx, 'update', current.city, current, (ctx.request.body ?? {}) as Patch);
    const to = claimedCity(ctx.request.body);
    if (to !== null && to !== current.city) r.authorize(ctx, 'create', to); // moving it: the new city must be ours too
    const coordSys = coordSysOf(ctx.query);
    const patch = validate(r.patchSchema, ctx.request.body, 422);
    const updated = await audited(ctx, 'update', () => r.service.update(current.id, patch, coordSys), (doc) => ({ doc, summary: patch as Record<string, unknown> }));
    ctx.body = { data: r.view(updated, ctxFor(coordSys)) };
  });
  route(router, api.delete, async (ctx) => {
    const current = await r.service.get(ctx.params.id as string);
    r.authorize(ctx, 'delete', current.city, current);
    await audited(ctx, 'delete', () => r.service.remove(current.id).then(() => null), () => ({ doc: current, summary: { name: current.name } }));
    ctx.status = 204;
  });
  return router;
}
