import type { IdentityStorage } from './identity.types';
import Router from '@koa/router';
import { route } from '../../shared/openapi/route';
import { botDocs } from './bot.openapi';
import { z } from 'zod';
import { requireServiceToken } from '../../shared/auth';
import { GoneError, NotFoundError } from '../../shared/errors';
import type { Clock } from '../../shared/time';
import { validate } from '../../shared/validate';
import { normalizeCode } from './auth.service';
import { sha256 } from './tokens';
import { staffView } from './views';
import type { Audit } from './audit';

const bindBody = z.strictObject({ code: z.string().trim().min(1).max(32), contactId: z.string().trim().min(1).max(128) });

/** Routes for the bot process (X-Bot-Token): bind a WeChat contact to a staff account, and recognise it later. */
export function botRoutes(deps: { storage: IdentityStorage; clock: Clock; botToken: string; audit: Audit }): Router {
  const { storage, clock } = deps;
  const router = new Router({ prefix: '/api/v1/bot' });
  router.use(requireServiceToken(deps.botToken));
  const api = botDocs({ bind: bindBody });

  route(router, api.bind, async (ctx) => {
    const { code, contactId } = validate(bindBody, ctx.request.body);
    const now = clock.now();
    const found = await storage.codes.findByHash('bot_bind', sha256(normalizeCode(code)));
    if (!found) throw new NotFoundError('绑定码不存在', { field: 'code' });
    if (found.usedAt || found.expiresAt <= now) throw new GoneError('绑定码已使用或已过期，请重新生成', { field: 'code' });
    const staffId = String(found.payload.staffId);
    if (!(await storage.codes.consume(found.id, contactId, now))) throw new GoneError('绑定码已被使用', { field: 'code' });
    try {
      const staff = await storage.staff.update(staffId, { botContactId: contactId }, now);
      if (!staff) throw new NotFoundError('账号不存在');
      await deps.audit.record(ctx, { action: 'staff.bind_bot', objectType: 'staff', objectId: staff.id, city: staff.city, summary: { contactId } }, staff);
      ctx.body = { data: staffView(staff) };
    } catch (err) {
      await storage.codes.release(found.id);
      throw err;
    }
  });
  route(router, api.contact, async (ctx) => {
    const staff = await storage.staff.findByBotContact(ctx.params.contactId as string);
    if (!staff || staff.status !== 'active') throw new NotFoundError('该联系人未绑定工作人员账号');
    ctx.body = { data: staffView(staff) };
  });
  return router;
}
