import type { IdentityStorage } from './identity.types';
import type { Context, Next } from 'koa';
import { bearerToken } from '../../shared/auth';
import { ForbiddenError, UnauthorizedError } from '../../shared/errors';
import type { Clock } from '../../shared/time';
import { Principal, riderPrincipal, staffPrincipal } from './principal';
import type { TokenSigner } from './tokens';

/** Resolves an access token to a live principal: token valid, session not revoked or expired, account active. */
export async function resolvePrincipal(token: string, deps: { storage: IdentityStorage; signer: TokenSigner; clock: Clock }): Promise<Principal> {
  const now = deps.clock.now();
  const claims = await deps.signer.verify(token, now);
  const session = await deps.storage.sessions.get(claims.sid);
  if (!session || session.revokedAt || session.expiresAt <= now || session.subjectId !== claims.sub || session.subjectType !== claims.typ) {
    throw new UnauthorizedError('登录已失效，请重新登录', { reason: 'session_ended' });
  }
  if (claims.typ === 'rider') {
    const rider = await deps.storage.riders.get(claims.sub);
    if (!rider) throw new UnauthorizedError('账号不存在');
    if (rider.status !== 'active') throw new ForbiddenError('账号已被停用，请联系社工部', { reason: 'suspended' });
    return riderPrincipal(rider, session.id);
  }
  const staff = await deps.storage.staff.get(claims.sub);
  if (!staff) throw new UnauthorizedError('账号不存在');
  if (staff.status !== 'active') throw new ForbiddenError('账号已被停用', { reason: 'disabled' });
  return staffPrincipal(staff, session.id);
}

/** Sets ctx.state.principal when a bearer token is sent; a bad token is a 401 even on public routes. */
export function authenticate(deps: { storage: IdentityStorage; signer: TokenSigner; clock: Clock }) {
  return async function authenticateRequest(ctx: Context, next: Next): Promise<void> {
    const header = ctx.get('authorization');
    if (header) {
      const token = bearerToken(ctx);
      if (!token) throw new UnauthorizedError('Authorization 头应为 "Bearer <令牌>"');
      ctx.state.principal = await resolvePrincipal(token, deps);
    }
    await next();
  };
}
