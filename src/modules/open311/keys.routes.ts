import Router from '@koa/router';
import type { City } from '../../shared/domain';
import { UnauthorizedError } from '../../shared/errors';
import { route } from '../../shared/openapi/route';
import { validate, validateQuery } from '../../shared/validate';
import { actorOf } from '../identity/actor';
import { keyNotFound, type KeyService } from './keys.service';
import { keyDocs as docs } from './open311.openapi';
import { allows, authorize } from './open311.policy';
import { keyBody, keyPage } from './open311.schema';
import type { Open311Key } from './open311.types';

/** A key as administrators see it: never the key, nor its hash. */
export function keyView(k: Open311Key) {
  return {
    id: k.id, name: k.name, city: k.city, status: k.revokedAt ? ('revoked' as const) : ('active' as const), riderId: k.riderId,
    createdBy: k.createdBy, createdAt: k.createdAt.toISOString(), revokedAt: k.revokedAt?.toISOString() ?? null,
  };
}

/** City administrators' Open311 keys: issue (shown once), list, revoke. */
export function keyRoutes(keys: KeyService): Router {
  const router = new Router({ prefix: '/api/v1/open311-keys' });
  const cityOf = (p: { city: City | null } | undefined) => ({ city: p?.city ?? null });

  route(router, docs.create, async (ctx) => {
    const p = authorize(ctx.state.principal, 'open311_key.create', cityOf(ctx.state.principal));
    const { name } = validate(keyBody, ctx.request.body, 422);
    const { key, apiKey } = await keys.create(actorOf(ctx), p.city as City, name);
    ctx.status = 201;
    ctx.body = { data: { ...keyView(key), apiKey } };
  });
  route(router, docs.list, async (ctx) => {
    const p = authorize(ctx.state.principal, 'open311_key.read', cityOf(ctx.state.principal));
    ctx.body = { data: (await keys.list(p.city as City, validateQuery(keyPage, ctx.query))).map(keyView) };
  });
  route(router, docs.revoke, async (ctx) => {
    if (!ctx.state.principal) throw new UnauthorizedError();
    const key = await keys.get(ctx.params.id as string);
    if (!allows(ctx.state.principal, 'open311_key.revoke', { city: key.city, id: key.id })) throw keyNotFound();
    ctx.body = { data: keyView(await keys.revoke(actorOf(ctx), key)) };
  });
  return router;
}
