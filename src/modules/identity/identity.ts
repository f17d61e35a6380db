import type { Config } from '../../shared/config';
import type { Logger } from '../../shared/logger';
import type { Clock } from '../../shared/time';
import type { StorageBase } from '../../storage/types';
import type { IdentityStorage, SubjectType } from './identity.types';
import type { HoldingKind } from './holdings';
import { createWeChatClient } from '../wechat/wechat-client';
import { createAccountService } from './account.service';
import { createAdminService } from './admin.service';
import { createAudit } from './audit';
import { createBotSessionService } from './bot-sessions.service';
import { authenticate } from './authenticate';
import { createAuthService } from './auth.service';
import { createDevLogin } from './dev-login';
import { createSessionService } from './sessions.service';
import { createTokenSigner } from './tokens';
import { riderView, staffView } from './views';

/** Everything identity-related, built once per app from configuration. */
export function createIdentity(deps: { config: Readonly<Config>; storage: IdentityStorage & StorageBase; clock: Clock; log: Logger }, holdings: readonly HoldingKind[] = []) {
  const { config, storage, clock } = deps;
  const signer = createTokenSigner({ secret: config.auth.jwtSecret, ttlSeconds: config.auth.accessTtlSeconds });
  const sessions = createSessionService({ storage, signer, clock, refreshTtlDays: config.auth.refreshTtlDays });
  const wechat = createWeChatClient({ baseURL: config.wechat.baseURL, appId: config.wechat.appId, appSecret: config.wechat.appSecret, clock, log: deps.log });
  const audit = createAudit(storage, clock);
  return {
    signer,
    sessions,
    wechat,
    auth: createAuthService({ storage, clock, sessions, wechat, lockAfter: config.auth.lockAfter, lockMinutes: config.auth.lockMinutes, audit }),
    devLogin: createDevLogin({ storage, clock, sessions, enabled: config.devLogin, holdings }),
    /** What staff can hold, from every feature that has holdable objects. */
    holdings,
    audit,
    admin: createAdminService({ storage, clock, audit, sessions, holdings, invitationTtlHours: config.auth.invitationTtlHours }),
    account: createAccountService({ storage, clock, audit, wechat }),
    /** Sessions for the bot's WeChat contacts: their staff account, or their rider. */
    botSessions: createBotSessionService({ storage, clock, sessions, accessTtlSeconds: config.auth.accessTtlSeconds }),
    authenticate: authenticate({ storage, signer, clock }),
    /** The user a fresh token pair belongs to, as GET /me shows it. */
    async userView(type: SubjectType, id: string) {
      if (type === 'rider') {
        const r = await storage.riders.get(id);
        return r ? { ...riderView(r, { owner: true }), holdings: null } : null;
      }
      const s = await storage.staff.get(id);
      return s ? staffView(s) : null;
    },
  };
}

export type Identity = ReturnType<typeof createIdentity>;
