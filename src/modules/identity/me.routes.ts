import Router from '@koa/router';
import { route } from '../../shared/openapi/route';
import { meDocs } from './me.openapi';
import { z } from 'zod';
import { ForbiddenError, UnauthorizedError, ValidationError } from '../../shared/errors';
import { citySchema, text } from '../../shared/schema';
import type { Clock } from '../../shared/time';
import { validate } from '../../shared/validate';
import { PLATFORMS, type IdentityStorage } from './identity.types';
import type { Identity } from './identity';
import type { Principal } from './principal';
import { requireStaff } from './policy';
import { humanCode, sha256 } from './tokens';
import { meView } from './views';

const riderPatch = z.strictObject({
  displayName: text(30).nullable(),
  platform: z.enum(PLATFORMS, { message: `可选：${PLATFORMS.join('、')}` }).nullable(),
  city: citySchema.nullable(),
  plate: z.string().trim().toUpperCase().regex(/^[\u4e00-\u9fa5A-Z0-9-]{4,12}$/, '车牌格式不正确').nullable(),
}).partial().refine((p) => Object.keys(p).length > 0, '至少提供一个要修改的字段');
const staffPatch = z.strictObject({ displayName: text(50) });
const codeBody = z.strictObject({ code: z.string().trim().min(1, '不能为空').max(256) });

const BIND_CODE_TTL_MS = 10 * 60_000;

function need(p: Principal | undefined): Principal {
  if (!p) throw new UnauthorizedError();
  return p;
}

/** The caller's own account: profile, phone binding (riders), WeChat and bot binding (staff). */
export function meRoutes(deps: { storage: IdentityStorage; clock: Clock; identity: Identity }): Router {
  const { storage, clock, identity } = deps;
  const router = new Router({ prefix: '/api/v1/me' });
  const api = meDocs({ riderPatch, staffPatch, code: codeBody });
  const reload = async (p: Principal) => (await identity.userView(p.kind, p.id))!;

  route(router, api.get, (ctx) => {
    ctx.body = { data: meView(need(ctx.state.principal)) };
  });
  route(router, api.patch, async (ctx) => {
    const p = need(ctx.state.principal);
    if (p.kind === 'rider') await storage.riders.update(p.id, validate(riderPatch, ctx.request.body, 422), clock.now());
    else {
      const patch = validate(staffPatch, ctx.request.body, 422);
      await storage.staff.update(p.id, patch, clock.now());
      await identity.audit.record(ctx, { action: 'staff.update_self', objectType: 'staff', objectId: p.id, city: p.city, summary: patch });
    }
    ctx.body = { data: await reload(p) };
  });
  route(router, api.phone, async (ctx) => {
    const p = need(ctx.state.principal);
    if (p.kind !== 'rider') throw new ForbiddenError('仅骑手可绑定手机号');
    const { code } = validate(codeBody, ctx.request.body);
    const phone = await identity.wechat.getPhoneNumber(code);
    if (phone.countryCode !== '86') throw new ValidationError('暂只支持中国大陆手机号', { field: 'code' }, 422);
    await storage.riders.update(p.id, { phone: phone.purePhoneNumber }, clock.now());
    ctx.body = { data: await reload(p) };
  });
  route(router, api.wechat, async (ctx) => {
    const p = requireStaff(ctx.state.principal);
    const { code } = validate(codeBody, ctx.request.body);
    const { openid } = await identity.wechat.code2Session(code);
    await storage.staff.update(p.id, { wechatOpenid: openid }, clock.now());
    await identity.audit.record(ctx, { action: 'staff.bind_wechat', objectType: 'staff', objectId: p.id, city: p.city, summary: {} });
    ctx.body = { data: await reload(p) };
  });
  route(router, api.botBindCode, async (ctx) => {
    const p = requireStaff(ctx.state.principal);
    const code = humanCode(8);
    const expiresAt = new Date(clock.now().getTime() + BIND_CODE_TTL_MS);
    const made = await storage.codes.create({ kind: 'bot_bind', codeHash: sha256(code), payload: { staffId: p.id }, city: p.city, createdBy: p.id, expiresAt }, clock.now());
    await identity.audit.record(ctx, { action: 'staff.bot_bind_code', objectType: 'code', objectId: made.id, city: p.city, summary: { expiresAt } });
    ctx.status = 201;
    ctx.body = { data: { code, expiresAt: expiresAt.toISOString(), howTo: `在微信里向暖新机器人发送「绑定 ${code}」` } };
  });
  return router;
}
