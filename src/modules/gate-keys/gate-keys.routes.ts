import Router from '@koa/router';
import type { AppDeps } from '../../feature';
import { route } from '../../shared/openapi/route';
import { gateKeysDocs, JWKS_MAX_AGE_S } from './gate-keys.openapi';
import type { GateKeysStorage } from './gate-keys.types';
import { gateTokensFor } from './gate-tokens';

/** The public keys of the QR tokens, for gate devices that verify offline. */
export function gateKeysRoutes(deps: AppDeps<GateKeysStorage>): Router {
  const router = new Router();
  const tokens = gateTokensFor(deps);
  route(router, gateKeysDocs.jwks, async (ctx) => {
    ctx.set('Cache-Control', `public, max-age=${JWKS_MAX_AGE_S}`);
    ctx.body = await tokens.jwks();
  });
  return router;
}
