import Router from '@koa/router';
import { route } from '../../shared/openapi/route';
import { botDocs } from './bot.openapi';
import { z } from 'zod';
import { requireServiceToken } from '../../shared/auth';
import { validate } from '../../shared/validate';
import type { Identity } from './identity';
import { staffView } from './views';

const bindBody = z.strictObject({ code: z.string().trim().min(1).max(32), contactId: z.string().trim().min(1).max(128) });

/** Routes for the bot process (X-Bot-Token): bind a WeChat contact to a staff account, and recognise it later. */
export function botRoutes({ identity, botToken }: { identity: Identity; botToken: string }): Router {
  const { account } = identity;
  const router = new Router({ prefix: '/api/v1/bot' });
  router.use(requireServiceToken(botToken));
  const api = botDocs({ bind: bindBody });

  route(router, api.bind, async (ctx) => {
    const { code, contactId } = validate(bindBody, ctx.request.body);
    ctx.body = { data: staffView(await account.bindBotContact(code, contactId, ctx.state.requestId)) };
  });
  route(router, api.contact, async (ctx) => {
    ctx.body = { data: staffView(await account.staffByBotContact(ctx.params.contactId as string)) };
  });
  return router;
}
