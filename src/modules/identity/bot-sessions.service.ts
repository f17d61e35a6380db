import type { City } from '../../shared/domain';
import { ForbiddenError, NotFoundError } from '../../shared/errors';
import type { Clock } from '../../shared/time';
import type { IdentityStorage, Rider, Staff, SubjectType } from './identity.types';
import type { Role } from './principal';
import type { SessionService } from './sessions.service';

/** What POST /api/v1/bot/sessions answers: an access token of the contact's own account, and who that is. */
export interface BotSession {
  kind: SubjectType;
  accessToken: string;
  expiresIn: number;
  user: { id: string; displayName: string | null; role: Role; city: City | null };
}

/**
 * Sessions for the people behind the bot's WeChat contacts. A contact bound to a staff account gets a session of
 * that staff member, exactly as a login gives, so every call the bot makes for them carries their role, city and
 * holdings and the API's authorization decides unchanged; any other contact is a rider, created on first contact.
 * Sessions last as long as their access token and have no refresh token: the bot asks again when one runs out.
 */
export function createBotSessionService(deps: { storage: IdentityStorage; sessions: SessionService; clock: Clock; accessTtlSeconds: number }) {
  const { storage, sessions, clock } = deps;

  async function open(kind: SubjectType, account: Staff | Rider, role: Role): Promise<BotSession> {
    const { accessToken, expiresIn } = await sessions.start(kind, account.id, { sessionTtlSeconds: deps.accessTtlSeconds });
    return { kind, accessToken, expiresIn, user: { id: account.id, displayName: account.displayName, role, city: account.city } };
  }

  return {
    /** The session of the contact's staff account, else of its rider (made now when new); 403 for a disabled or suspended one. */
    async start(contactId: string, name: string | null): Promise<BotSession & { created: boolean }> {
      const staff = await storage.staff.findByBotContact(contactId);
      if (staff) {
        if (staff.status !== 'active') throw new ForbiddenError('账号已被停用', { reason: 'disabled' });
        return { ...(await open('staff', staff, staff.role)), created: false };
      }
      const { rider, created } = await storage.riders.findOrCreateByBotContact(contactId, clock.now(), { displayName: name, isDemo: false });
      if (rider.status !== 'active') throw new ForbiddenError('账号已被停用，请联系社工部', { reason: 'suspended' });
      return { ...(await open('rider', rider, 'rider')), created };
    },

    /**
     * The WeChat contact the bot reaches a rider or staff member at (an outbox event's recipient); null when they
     * have none, or for a disabled staff account (nothing more goes to a former member of staff). 404 when unknown.
     */
    async recipient(kind: SubjectType, id: string): Promise<{ contactId: string | null }> {
      if (kind === 'staff') {
        const staff = await storage.staff.get(id);
        if (!staff) throw new NotFoundError('工作人员不存在');
        return { contactId: staff.status === 'active' ? staff.botContactId : null };
      }
      const rider = await storage.riders.get(id);
      if (!rider) throw new NotFoundError('骑手不存在');
      return { contactId: rider.botContactId ?? null };
    },
  };
}

export type BotSessionService = ReturnType<typeof createBotSessionService>;
