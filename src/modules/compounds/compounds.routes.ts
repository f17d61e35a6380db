import type Router from '@koa/router';
import type { FeatureContext } from '../../feature';
import { NotFoundError } from '../../shared/errors';
import { validateQuery } from '../../shared/validate';
import { route } from '../../shared/openapi/route';
import { geoResourceRoutes, holderEditsAuthorize } from '../nearby/resource-routes';
import type { CompoundsStorage } from './compounds.types';
import { allows, authorize } from './compounds.policy';
import { compoundInputSchema, compoundNearbySchema, compoundPatchSchema, compoundSearchSchema, MANAGER_FIELDS } from './compounds.schema';
import { createCompoundService } from './compounds.service';
import { compoundSummary, compoundView } from './compounds.view';
import { compoundDocs, compoundSearchDoc } from './compounds.openapi';
import { placeCodeDoc } from './access.openapi';
import { placeCodeOf } from './place-codes';

/** Public search and read; city administrators write; a compound's managers edit its access policy and notes. */
export function compoundRoutes(deps: FeatureContext<CompoundsStorage>): Router {
  const { config, clock, storage, places, identity } = deps;
  const service = createCompoundService({ storage, clock });
  const router = geoResourceRoutes({
    prefix: '/api/v1/compounds',
    kind: 'compound',
    service,
    summary: compoundSummary,
    view: compoundView,
    nearbySchema: compoundNearbySchema,
    inputSchema: compoundInputSchema,
    patchSchema: compoundPatchSchema,
    clock,
    freshnessMs: config.occupancyFreshnessMs,
    places,
    authorize: holderEditsAuthorize({
      holderRole: 'property_manager',
      fields: MANAGER_FIELDS,
      mayUpdate: (p, t) => allows(p, 'compound.update', t),
      authorizeHolder: (p, t) => authorize(p, 'compound.manage', t),
      authorizeOp: (p, op, t) => authorize(p, `compound.${op}`, t),
      refusal: (other) => `物业只能修改进入规则（policy）和提示（notes），不能修改：${other.join(', ')}`,
    }),
    audit: identity.audit,
    docs: compoundDocs,
  });

  route(router, compoundSearchDoc(compoundSearchSchema), async (ctx) => {
    const q = validateQuery(compoundSearchSchema, ctx.query);
    const found = await service.search(q.q, q.city, q.limit);
    ctx.body = { data: found.map((c) => compoundSummary(c, { coordSys: q.coordSys })) };
  });
  route(router, placeCodeDoc, async (ctx) => {
    const c = await service.get(ctx.params.id as string);
    authorize(ctx.state.principal, 'compound.placeCode', { city: c.city, id: c.id });
    const gate = c.gates.find((g) => g.id === ctx.params.gateId);
    if (!gate) throw new NotFoundError(`本小区没有门 ${ctx.params.gateId as string}`, { field: 'gateId' });
    ctx.body = { data: { compoundId: c.id, gateId: gate.id, gateName: gate.name, ...placeCodeOf(c.code, gate.id, config.publicBaseUrl) } };
  });
  return router;
}
