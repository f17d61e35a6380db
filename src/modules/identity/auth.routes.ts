import Router from '@koa/router';
import { route } from '../../shared/openapi/route';
import { authDocs } from './auth.openapi';
import type { Context } from 'koa';
import { z } from 'zod';
import type { Config } from '../../shared/config';
import { UnauthorizedError } from '../../shared/errors';
import { createLimiter, type LimiterStore } from '../../shared/rate-limit';
import { citySchema, text } from '../../shared/schema';
import { validate } from '../../shared/validate';
import { STAFF_ROLES, SubjectType } from './identity.types';
import type { Identity } from './identity';
import { PASSWORD_RULE } from './passwords';
import type { TokenPair } from './sessions.service';

const code = z.string().trim().min(1, '不能为空').max(256);
const username = z.string().trim().toLowerCase().regex(/^[a-z0-9][a-z0-9_.-]{2,31}$/, '用户名为 3-32 位字母、数字、_ . -');
const schemas = {
  wechat: z.strictObject({ code, as: z.enum(['rider', 'staff']).default('rider') }),
  refresh: z.strictObject({ refreshToken: z.string().min(10).max(512) }),
  login: z.strictObject({ username: z.string().trim().min(1).max(64), password: z.string().min(1).max(128) }),
  accept: z.strictObject({
    code, username, displayName: text(50),
    password: z.string().regex(PASSWORD_RULE, '密码至少 10 位，须同时包含字母和数字'),
  }),
  dev: z.strictObject({
    role: z.enum(['rider', ...STAFF_ROLES]), city: citySchema.default('chongqing'),
    key: z.string().regex(/^[a-z0-9]{1,8}$/, 'key 须为 1-8 位小写字母或数字，如 "2"').optional(),
  }),
};

/** Login, token refresh, logout, invitation acceptance and the development login. */
export function authRoutes(deps: { config: Readonly<Config>; identity: Identity; limiterStore: LimiterStore }): Router {
  // Counted in the store's limiter store: several API instances on one MongoDB share one budget.
  const store = deps.limiterStore;
  const { identity } = deps;
  const perIp = createLimiter('login-ip', deps.config.rateLimit.loginPerMinute, store);
  const perAccount = createLimiter('login-account', deps.config.rateLimit.loginPerMinute, store);
  const router = new Router({ prefix: '/api/v1/auth' });
  const api = authDocs(schemas);
  const respond = async (ctx: Context, type: SubjectType, tokens: TokenPair & { userId: string }, status = 200) => {
    const { userId, ...pair } = tokens;
    ctx.status = status;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { ...pair, user: await identity.userView(type, userId) };
  };

  route(router, api.wechat, async (ctx) => {
    await perIp.consume(ctx.ip);
    const body = validate(schemas.wechat, ctx.request.body);
    const tokens = body.as === 'staff' ? await identity.auth.staffWeChatLogin(body.code) : await identity.auth.riderLogin(body.code);
    await respond(ctx, body.as, tokens);
  });
  route(router, api.login, async (ctx) => {
    const body = validate(schemas.login, ctx.request.body);
    await perIp.consume(ctx.ip);
    await perAccount.consume(body.username.toLowerCase());
    await respond(ctx, 'staff', await identity.auth.staffPasswordLogin(body.username, body.password));
  });
  route(router, api.accept, async (ctx) => {
    await perIp.consume(ctx.ip);
    const tokens = await identity.auth.acceptInvitation(validate(schemas.accept, ctx.request.body, 422), ctx.state.requestId);
    await respond(ctx, 'staff', tokens, 201);
  });
  route(router, api.refresh, async (ctx) => {
    await perIp.consume(ctx.ip);
    const { refreshToken } = validate(schemas.refresh, ctx.request.body);
    const { subjectType, ...tokens } = await identity.sessions.refresh(refreshToken);
    await respond(ctx, subjectType, tokens);
  });
  route(router, api.logout, async (ctx) => {
    const p = ctx.state.principal;
    if (!p) throw new UnauthorizedError();
    await identity.sessions.end(p.sessionId);
    ctx.status = 204;
  });
  route(router, api.dev, async (ctx) => {
    const { role, city, key } = validate(schemas.dev, ctx.request.body);
    await respond(ctx, role === 'rider' ? 'rider' : 'staff', await identity.devLogin(role, city, key));
  });
  return router;
}
