import type { AxiosInstance } from 'axios';
import { LRUCache } from 'lru-cache';
import { callApi } from './api-call';
import { dataOf, sessionSchema, type BotSession } from './api-contract';
import { ApiError, NO_SESSIONS_MESSAGE } from './api-error';

/** The WeChat contact a message came from, as the service knows it. */
export interface Contact {
  contactId: string;
  /** The contact's WeChat name; the service may use it for a new rider's display name. */
  name?: string;
}

export interface Sessions {
  /** The contact's session, from the cache until shortly before it expires, else a new one from the service. */
  get(contact: Contact): Promise<BotSession>;
  /** Forgets a contact's session (the service refused its token). */
  drop(contactId: string): void;
}

export interface SessionOptions {
  botToken?: string;
  clock: () => Date;
  /** How many contacts' sessions are kept; the least recently used are dropped first. */
  maxContacts?: number;
}

/** Seconds before expiry at which a cached token is renewed: a minute, or a tenth of a short lifetime. */
export const renewBeforeS = (expiresIn: number): number => Math.min(60, expiresIn / 10);

/**
 * Per-contact sessions from POST /api/v1/bot/sessions (X-Bot-Token). Rider and staff calls then carry the sender's own
 * bearer token, so the API's authorization decides what each sender may do; the bot token never does.
 */
export function createSessions(http: AxiosInstance, options: SessionOptions): Sessions {
  const cache = new LRUCache<string, { session: BotSession; renewAt: number }>({ max: options.maxContacts ?? 10_000 });
  const pending = new Map<string, Promise<BotSession>>();

  async function open(contact: Contact): Promise<BotSession> {
    if (!options.botToken) throw new ApiError(NO_SESSIONS_MESSAGE, { status: 0, code: 'not_configured' });
    const requestedAt = options.clock().getTime();
    const data = { contactId: contact.contactId, ...(contact.name ? { name: contact.name } : {}) };
    const { data: session } = await callApi(http, {
      method: 'POST', url: '/api/v1/bot/sessions', data, headers: { 'X-Bot-Token': options.botToken },
    }, dataOf(sessionSchema));
    cache.set(contact.contactId, { session, renewAt: requestedAt + (session.expiresIn - renewBeforeS(session.expiresIn)) * 1000 });
    return session;
  }

  return {
    get(contact) {
      const cached = cache.get(contact.contactId);
      if (cached && options.clock().getTime() < cached.renewAt) return Promise.resolve(cached.session);
      // One request per contact at a time: two messages at once share the session the first one asked for.
      let p = pending.get(contact.contactId);
      if (!p) {
        p = open(contact).finally(() => pending.delete(contact.contactId));
        pending.set(contact.contactId, p);
      }
      return p;
    },
    drop: (contactId) => void cache.delete(contactId),
  };
}
