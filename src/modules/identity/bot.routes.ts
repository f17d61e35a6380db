import Router from '@koa/router';
import { route } from '../../shared/openapi/route';
import { botDocs } from './bot.openapi';
import { z } from 'zod';
import { requireServiceToken } from '../../shared/auth';
import { createLimiter, type LimiterStore } from '../../shared/rate-limit';
import { optionalText } from '../../shared/schema';
import { validate } from '../../shared/validate';
import type { Identity } from './identity';
import { staffView } from './views';

/** How many sessions one contact may ask for a minute (the bot asks once per access token lifetime). */
export const BOT_SESSIONS_PER_CONTACT_PER_MINUTE = 30;

const contactId = z.string().trim().min(1, '不能为空').max(128, '不能超过 128 个字符');
const bindBody = z.strictObject({ code: z.string().trim().min(1).max(32), contactId });
const sessionBody = z.strictObject({
  contactId: contactId.meta({ description: '微信联系人编号（Wechaty contact id）', examples: ['wxid_a1b2c3d4e5'] }),
  name: optionalText(50).optional().meta({ description: '微信昵称；骑手首次出现时作为其称呼' }),
});
const recipientParams = z.strictObject({
  kind: z.enum(['rider', 'staff'], { message: '可选：rider, staff' }),
  id: z.string(),
});

/**
 * Routes for the bot process (X-Bot-Token): bind a WeChat contact to a staff account and recognise it later, open
 * a session of a contact's own account, and find the contact of an outbox event's recipient.
 */
export function botRoutes({ identity, botToken, limiterStore }: { identity: Identity; botToken: string; limiterStore: LimiterStore }): Router {
  const { account, botSessions } = identity;
  const perContact = createLimiter('bot-session', BOT_SESSIONS_PER_CONTACT_PER_MINUTE, limiterStore);
  const router = new Router({ prefix: '/api/v1/bot' });
  router.use(requireServiceToken(botToken));
  const api = botDocs({ bind: bindBody, session: sessionBody });

  route(router, api.bind, async (ctx) => {
    const { code, contactId } = validate(bindBody, ctx.request.body);
    ctx.body = { data: staffView(await account.bindBotContact(code, contactId, ctx.state.requestId)) };
  });
  route(router, api.contact, async (ctx) => {
    ctx.body = { data: staffView(await account.staffByBotContact(ctx.params.contactId as string)) };
  });
  route(router, api.session, async (ctx) => {
    const body = validate(sessionBody, ctx.request.body, 422);
    await perContact.consume(body.contactId);
    const { created, ...session } = await botSessions.start(body.contactId, body.name ?? null);
    if (created) ctx.state.log.info({ module: 'identity', riderId: session.user.id }, 'rider created from a bot contact');
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { data: session };
  });
  route(router, api.recipient, async (ctx) => {
    const { kind, id } = validate(recipientParams, ctx.params, 422);
    ctx.body = { data: await botSessions.recipient(kind, id) };
  });
  return router;
}
