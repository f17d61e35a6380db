import type { Feature } from '../../feature';
import { adminRoutes } from './admin.routes';
import { authRoutes } from './auth.routes';
import { botRoutes } from './bot.routes';
import { identityRules } from './identity.policy';
import type { IdentityStorage } from './identity.types';
import { meRoutes } from './me.routes';
import { identityStore } from './storage';

/** Riders, staff, logins and sessions, roles, invitations, the bot's staff binding and sessions, and the audit log. */
export const identityFeature: Feature<IdentityStorage> = {
  name: 'identity',
  store: identityStore,
  rules: identityRules,
  routes: (ctx) => ({
    json: [
      authRoutes({ ...ctx, limiterStore: ctx.storage.limiterStore() }),
      meRoutes(ctx),
      adminRoutes(ctx),
      botRoutes({ identity: ctx.identity, botToken: ctx.config.botToken, limiterStore: ctx.storage.limiterStore() }),
    ],
  }),
};
