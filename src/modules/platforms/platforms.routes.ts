import Router from '@koa/router';
import type { FeatureContext } from '../../feature';
import type { City } from '../../shared/domain';
import { ForbiddenError, UnauthorizedError } from '../../shared/errors';
import { route } from '../../shared/openapi/route';
import { createSealer } from '../../shared/sealed';
import { validate, validateQuery } from '../../shared/validate';
import { actorOf } from '../identity/actor';
import type { IdentityStorage } from '../identity/identity.types';
import { createKeyService, keyNotFound } from './keys.service';
import { platformDocs as docs } from './platforms.openapi';
import { allows, authorize } from './platforms.policy';
import { keyBody, keyPage } from './platforms.schema';
import { createPlatformService } from './platforms.service';
import type { PlatformsStorage } from './platforms.types';
import { keyView, verificationView } from './platforms.view';

/** City administrators' platform keys: register (secret shown once), list, revoke. */
export function keyRoutes(deps: FeatureContext<PlatformsStorage & IdentityStorage>): Router {
  const { storage, clock, config, identity } = deps;
  const keys = createKeyService({ storage, clock, audit: identity.audit, sealer: createSealer(config.secretsKey) });
  const router = new Router({ prefix: '/api/v1/platform/keys' });
  const cityOf = (p: { city: City | null } | undefined) => ({ city: p?.city ?? null });

  route(router, docs.createKey, async (ctx) => {
    const p = authorize(ctx.state.principal, 'platform_key.create', cityOf(ctx.state.principal));
    const { platform } = validate(keyBody, ctx.request.body, 422);
    const { key, secret } = await keys.create(actorOf(ctx), p.city as City, platform);
    ctx.status = 201;
    ctx.body = { data: { id: key.id, platform: key.platform, city: key.city, secret, createdAt: key.createdAt.toISOString() } };
  });
  route(router, docs.listKeys, async (ctx) => {
    const p = authorize(ctx.state.principal, 'platform_key.read', cityOf(ctx.state.principal));
    ctx.body = { data: (await keys.list(p.city as City, validateQuery(keyPage, ctx.query))).map(keyView) };
  });
  route(router, docs.revokeKey, async (ctx) => {
    if (!ctx.state.principal) throw new UnauthorizedError();
    const key = await keys.get(ctx.params.id as string);
    if (!allows(ctx.state.principal, 'platform_key.revoke', { city: key.city, id: key.id })) throw keyNotFound();
    ctx.body = { data: keyView(await keys.revoke(actorOf(ctx), key)) };
  });
  return router;
}

/** GET /api/v1/me/verification: the rider's own level, platform and last attestation time. */
export function verificationRoutes(deps: FeatureContext<PlatformsStorage & IdentityStorage>): Router {
  const facts = createPlatformService(deps);
  const router = new Router({ prefix: '/api/v1/me' });
  route(router, docs.verification, async (ctx) => {
    const p = ctx.state.principal;
    if (!p) throw new UnauthorizedError();
    if (p.kind !== 'rider') throw new ForbiddenError('仅骑手有认证等级', { role: p.role });
    ctx.body = { data: verificationView(await facts.factsFor(p.rider)) };
  });
  return router;
}
