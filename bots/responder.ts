import { LRUCache } from 'lru-cache';
import type { ApiClient } from './api-client';
import { UNAVAILABLE_MESSAGE } from './api-error';
import { step, type EngineOptions } from './engine/conversation';
import type { BotInput, ChatKind, ConversationState, Op, Outcome, Step } from './engine/types';
import type { BotLog } from './log';
import { perform } from './perform';
import type { AnyReply } from './reply';

/** Who sent a message and where: the WeChat contact id (what a session and a staff binding belong to) and the chat. */
export interface Sender {
  contactId: string;
  chat: ChatKind;
  /** The contact's WeChat name, passed to the service when it opens the contact's session. */
  name?: string;
}

export interface Responder {
  /**
   * The replies to one message in one conversation (a contact, or a contact within a room) from `sender`: text, or
   * text marked private-only (passes, codes, staff lists), which the runtime never sends to a room.
   */
  respond(conversationId: string, input: BotInput, sender: Sender): Promise<AnyReply[]>;
}

export interface ResponderOptions {
  api: ApiClient;
  log: BotLog;
  clock?: () => Date;
  engine?: Partial<EngineOptions>;
  /** Conversations whose state is kept; the least recently active are forgotten first. */
  maxConversations?: number;
}

/** A flow never needs more calls than this for one message; more would be an engine bug looping. */
const MAX_CALLS_PER_TURN = 8;

/** The bot's runtime: runs the pure engine, makes the API calls it asks for, and keeps each conversation's state. */
export function createResponder(options: ResponderOptions): Responder {
  const { api, log, clock = () => new Date() } = options;
  const states = new LRUCache<string, ConversationState>({ max: options.maxConversations ?? 10_000 });
  const tails = new Map<string, Promise<unknown>>();

  async function turn(conversationId: string, input: BotInput, sender: Sender): Promise<AnyReply[]> {
    const contact = { contactId: sender.contactId, ...(sender.name ? { name: sender.name } : {}) };
    let s: Step = step(input, states.get(conversationId) ?? {}, clock(), options.engine, sender.chat);
    for (let calls = 0; s.action.kind === 'call'; calls += 1) {
      if (calls >= MAX_CALLS_PER_TURN) {
        log.error({ module: 'bot', op: s.action.request.op }, 'too many calls for one message');
        return [UNAVAILABLE_MESSAGE];
      }
      const outcome = await perform(api, s.action.request, contact, log);
      // `next` belongs to this request's op, and perform answered that op.
      s = (s.action.next as (o: Outcome<Op>) => Step)(outcome);
    }
    states.set(conversationId, s.state);
    return [s.action.privateOnly ? { text: s.action.text, privateOnly: true } : s.action.text];
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
