import Router from '@koa/router';
import { route } from '../../shared/openapi/route';
import { meDocs } from './me.openapi';
import { z } from 'zod';
import { ForbiddenError, UnauthorizedError } from '../../shared/errors';
import { citySchema, text } from '../../shared/schema';
import { validate } from '../../shared/validate';
import { PLATFORMS } from './identity.types';
import { actorOf } from './actor';
import type { Identity } from './identity';
import type { Principal } from './principal';
import { requireStaff } from './policy';
import { meView } from './views';

const riderPatch = z.strictObject({
  displayName: text(30).nullable(),
  platform: z.enum(PLATFORMS, { message: `可选：${PLATFORMS.join('、')}` }).nullable(),
  city: citySchema.nullable(),
  plate: z.string().trim().toUpperCase().regex(/^[\u4e00-\u9fa5A-Z0-9-]{4,12}$/, '车牌格式不正确').nullable(),
}).partial().refine((p) => Object.keys(p).length > 0, '至少提供一个要修改的字段');
const staffPatch = z.strictObject({ displayName: text(50) });
const codeBody = z.strictObject({ code: z.string().trim().min(1, '不能为空').max(256) });

function need(p: Principal | undefined): Principal {
  if (!p) throw new UnauthorizedError();
  return p;
}

/** The caller's own account: profile, phone binding (riders), WeChat and bot binding (staff). */
export function meRoutes({ identity }: { identity: Identity }): Router {
  const { account } = identity;
  const router = new Router({ prefix: '/api/v1/me' });
  const api = meDocs({ riderPatch, staffPatch, code: codeBody });
  const reload = async (p: Principal) => (await identity.userView(p.kind, p.id))!;

  route(router, api.get, (ctx) => {
    ctx.body = { data: meView(need(ctx.state.principal)) };
  });
  route(router, api.patch, async (ctx) => {
    const p = need(ctx.state.principal);
    if (p.kind === 'rider') await account.updateRider(p.id, validate(riderPatch, ctx.request.body, 422));
    else await account.updateStaff(actorOf(ctx), p, validate(staffPatch, ctx.request.body, 422));
    ctx.body = { data: await reload(p) };
  });
  route(router, api.phone, async (ctx) => {
    const p = need(ctx.state.principal);
    if (p.kind !== 'rider') throw new ForbiddenError('仅骑手可绑定手机号');
    await account.bindPhone(p.id, validate(codeBody, ctx.request.body).code);
    ctx.body = { data: await reload(p) };
  });
  route(router, api.wechat, async (ctx) => {
    const p = requireStaff(ctx.state.principal);
    await account.bindWeChat(actorOf(ctx), p, validate(codeBody, ctx.request.body).code);
    ctx.body = { data: await reload(p) };
  });
  route(router, api.botBindCode, async (ctx) => {
    const p = requireStaff(ctx.state.principal);
    ctx.status = 201;
    ctx.body = { data: await account.botBindCode(actorOf(ctx), p) };
  });
  return router;
}
