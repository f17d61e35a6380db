import type { ApiClient } from './api-client';
import { ApiError, UNAVAILABLE_MESSAGE } from './api-error';
import { step, type EngineOptions } from './engine/conversation';
import { formatError } from './engine/format-error';
import { formatMerchants } from './engine/format-merchants';
import { formatStations } from './engine/format-stations';
import type { BotInput, ChatKind, ConversationState, ResolvedSearch } from './engine/types';
import type { BotLog } from './log';
import { LRUCache } from 'lru-cache';
import { runStaffAction } from './staff-actions';

/** Who sent a message and where: the WeChat contact id (what a staff account is bound to) and the kind of chat. */
export interface Sender {
  contactId: string;
  chat: ChatKind;
}

export interface Responder {
  /** The replies to one message in one conversation (a contact, or a contact within a room) from `sender`. */
  respond(conversationId: string, input: BotInput, sender: Sender): Promise<string[]>;
}

export interface ResponderOptions {
  api: ApiClient;
  log: BotLog;
  clock?: () => Date;
  engine?: Partial<EngineOptions>;
  /** Conversations whose state is kept; the least recently active are forgotten first. */
  maxConversations?: number;
}

async function runSearch(api: ApiClient, s: ResolvedSearch): Promise<string> {
  const base = { center: s.center, limit: s.limit, openNow: s.openNow, ...(s.radiusM !== undefined ? { radiusM: s.radiusM } : {}) };
  if (s.target === 'stations') {
    return formatStations(await api.nearbyStations({ ...base, amenities: s.amenities, hasSeats: s.hasSeats }), s);
  }
  return formatMerchants(await api.nearbyMerchants({ ...base, ...(s.category ? { category: s.category } : {}) }), s);
}

/** The bot's runtime: runs the pure engine, executes its search against the API and formats the outcome. */
export function createResponder(options: ResponderOptions): Responder {
  const { api, log, clock = () => new Date() } = options;
  const states = new LRUCache<string, ConversationState>({ max: options.maxConversations ?? 10_000 });
  const tails = new Map<string, Promise<unknown>>();

  async function turn(conversationId: string, input: BotInput, sender: Sender): Promise<string[]> {
    const { action, state } = step(input, states.get(conversationId) ?? {}, clock(), options.engine, sender.chat);
    if (action.kind !== 'search') {
      states.set(conversationId, state);
      return [action.kind === 'reply' ? action.text : await runStaffAction(api, log, action, sender.contactId)];
    }
    try {
      const text = await runSearch(api, action.search);
      // Only a search that worked is remembered, so a mistyped place is not searched again by a bare '商户'.
      states.set(conversationId, state);
      return [text];
    } catch (err) {
      if (err instanceof ApiError && err.status >= 400 && err.status < 500) return [formatError(err, action.search)];
      log.warn({ module: 'bot', err, target: action.search.target }, 'search failed');
      return [err instanceof ApiError ? err.message : UNAVAILABLE_MESSAGE];
    }
  }

  return {
    // One turn at a time per conversation: a '商户' sent while the location search is still running must see its state.
    respond(conversationId, input, sender) {
      const result = (tails.get(conversationId) ?? Promise.resolve()).then(() => turn(conversationId, input, sender));
      const tail = result.catch(() => undefined);
      tails.set(conversationId, tail);
      void tail.then(() => {
        if (tails.get(conversationId) === tail) tails.delete(conversationId);
      });
      return result;
    },
  };
}
