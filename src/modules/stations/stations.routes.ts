import type Router from '@koa/router';
import { z } from 'zod';
import { optionalText } from '../../shared/schema';
import type { FeatureContext } from '../../feature';
import { ValidationError } from '../../shared/errors';
import type { CoordSys } from '../../shared/geo';
import { localTime } from '../../shared/time';
import { validate, validateQuery } from '../../shared/validate';
import { STATION_STATUSES, type StationsStorage } from './stations.types';
import { actorOf } from '../identity/actor';
import { authorize } from './stations.policy';
import { coordSysQuery, geoResourceRoutes } from '../nearby/resource-routes';
import { stationInputSchema, stationNearbySchema, stationPatchSchema } from './stations.schema';
import { createStationService } from './stations.service';
import { stationSummary, stationSummaryKey, stationView } from './stations.view';
import { route } from '../../shared/openapi/route';
import { stationDocs, stationReportDocs } from './stations.openapi';

const seats = z.number({ error: '必须是整数，如 3（不要加引号）' }).int('必须是整数').min(0, '不能小于 0').max(10_000, '不能大于 10000');
// One of the two, named; a given field with a bad value is reported as such, not as "give one of them".
const occupancyBody = z.strictObject({ available: seats.optional(), occupied: seats.optional() })
  .refine((b) => (b.available === undefined) !== (b.occupied === undefined), '请给出 available（空座数）或 occupied（已用座数）其中之一（只给一个）');
const statusBody = z.strictObject({ status: z.enum(STATION_STATUSES), note: optionalText(200).default(null) });

/** Public search and read; city administrators create, update and delete; operators report seats and open/closed. */
export function stationRoutes(deps: FeatureContext<StationsStorage>): Router {
  const { config, clock, storage, places, identity } = deps;
  const service = createStationService({ storage, clock, freshnessMs: config.occupancyFreshnessMs });
  const router = geoResourceRoutes({
    prefix: '/api/v1/stations',
    kind: 'station',
    service,
    summary: stationSummary,
    summaryKey: stationSummaryKey,
    view: stationView,
    nearbySchema: stationNearbySchema,
    inputSchema: stationInputSchema,
    patchSchema: stationPatchSchema,
    clock,
    freshnessMs: config.occupancyFreshnessMs,
    places,
    authorize: (ctx, op, city, doc) => authorize(ctx.state.principal, `station.${op}`, { city, id: doc?.id }),
    audit: identity.audit,
    docs: stationDocs,
  });
  const api = stationReportDocs({ occupancy: occupancyBody, status: statusBody, coordSys: coordSysQuery });
  const view = (s: Parameters<typeof stationView>[0], coordSys: CoordSys) => {
    const now = clock.now();
    return stationView(s, { coordSys, now, local: localTime(now), freshnessMs: config.occupancyFreshnessMs });
  };

  route(router, api.occupancy, async (ctx) => {
    const station = await service.get(ctx.params.id as string);
    const p = authorize(ctx.state.principal, 'station.occupancy', { city: station.city, id: station.id });
    const { coordSys } = validateQuery(coordSysQuery, ctx.query);
    const body = validate(occupancyBody, ctx.request.body, 422);
    const field = body.available !== undefined ? 'available' : 'occupied';
    const available = body.available ?? station.capacity - (body.occupied as number);
    if (available < 0 || available > station.capacity) {
      throw new ValidationError(`座位数须在 0 到 ${station.capacity} 之间`, [{ field, capacity: station.capacity }], 422);
    }
    const updated = await identity.audit.within(actorOf(ctx), () => service.reportOccupancy(station.id, available, p.id),
      () => ({ action: 'station.occupancy', objectType: 'station', objectId: station.id, city: station.city, summary: { available, previous: station.occupancy.available } }));
    ctx.body = { data: view(updated, coordSys) };
  });
  route(router, api.status, async (ctx) => {
    const station = await service.get(ctx.params.id as string);
    authorize(ctx.state.principal, 'station.status', { city: station.city, id: station.id });
    const { coordSys } = validateQuery(coordSysQuery, ctx.query);
    const body = validate(statusBody, ctx.request.body, 422);
    const updated = await identity.audit.within(actorOf(ctx), () => service.setStatus(station.id, body.status, body.note),
      () => ({ action: 'station.status', objectType: 'station', objectId: station.id, city: station.city, summary: { ...body, previous: station.status } }));
    ctx.body = { data: view(updated, coordSys) };
  });
  return router;
}
