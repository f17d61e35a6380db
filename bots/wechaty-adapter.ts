import { LRUCache } from 'lru-cache';
import type { Contact, Message, Room, Wechaty } from 'wechaty';
import type { ApiClient } from './api-client';
import { UNAVAILABLE_MESSAGE } from './api-error';
import type { EngineOptions } from './engine/conversation';
import type { BotLog } from './log';
import { roomSafeText, type AnyReply } from './reply';
import { createResponder, type Responder, type Sender } from './responder';
import { createSendQueue, type SendQueue } from './send-queue';
import { skipReason, toInput } from './wechaty-input';

export interface AttachOptions {
  api: ApiClient;
  log: BotLog;
  /** Messages stamped before this are history replayed by the puppet, not questions to answer now. */
  startedAt: Date;
  /** The outgoing lane, shared with the notifier so one set of limits covers every send; default: production limits. */
  queue?: SendQueue;
  /** How many recent message ids are remembered to drop duplicates. */
  recentIds?: number;
  clock?: () => Date;
  engine?: Partial<EngineOptions>;
  /** Default: createResponder over `api`. */
  responder?: Responder;
}

export interface AttachedBot {
  /** Stops listening; replies already queued are still sent. */
  detach(): void;
  /** Resolves when every message received so far has been handled and its replies sent. */
  idle(): Promise<void>;
  /** Sends `text` to the contact with this id through the send queue; false when the bot has no such contact. */
  sendToContact(contactId: string, text: string): Promise<boolean>;
}

/**
 * The contact with this id, or undefined when the account has none. Throws while logged out, so that a notice waits
 * for the login instead of being dropped. (Contact.find({ id }) reports a missing id as a wechaty 'error' event.)
 */
async function findContact(wechaty: Wechaty, id: string): Promise<Contact | undefined> {
  if (!wechaty.isLoggedIn) throw new Error('the bot is not logged in to WeChat');
  try {
    await wechaty.puppet.contactPayload(id);
  } catch {
    return undefined;
  }
  return wechaty.Contact.find({ id });
}

/** Connects the bot to a Wechaty: answers riders in private chats, and in rooms when @-mentioned. */
export function attachBot(wechaty: Wechaty, options: AttachOptions): AttachedBot {
  const { log } = options;
  const responder = options.responder ?? createResponder({ api: options.api, log, clock: options.clock, engine: options.engine });
  const queue = options.queue ?? createSendQueue({ minGapMs: 1000, perChat: 10, global: 40 });
  const seen = new LRUCache<string, true>({ max: options.recentIds ?? 2000 });
  // Some puppets stamp messages in whole seconds: compare with the start's second, or a message just after start is lost.
  const startedMs = Math.floor(options.startedAt.getTime() / 1000) * 1000;

  const say = (room: Room | undefined, talker: Contact, text: string) =>
    room ? queue.enqueue(room.id, () => room.say(text, talker)) : queue.enqueue(talker.id, () => talker.say(text));

  async function replies(message: Message, room: Room | undefined, talker: Contact): Promise<readonly AnyReply[]> {
    const input = await toInput(message, Boolean(room));
    if (!input) return [];
    log.debug({ module: 'bot', messageId: message.id, input: input.kind, room: Boolean(room) }, 'message');
    // The name becomes a new rider's display name at the service; the id is what sessions and bindings belong to.
    const sender: Sender = { contactId: talker.id, chat: room ? 'room' : 'private', ...(talker.name() ? { name: talker.name() } : {}) };
    try {
      return await responder.respond(room ? `${room.id}/${talker.id}` : talker.id, input, sender);
    } catch (err) {
      // The responder answers API failures itself; anything else still gets an answer rather than silence.
      log.error({ module: 'bot', err, messageId: message.id }, 'responder failed');
      return [UNAVAILABLE_MESSAGE];
    }
  }

  async function onMessage(message: Message): Promise<void> {
    const skip = skipReason(message, startedMs, seen);
    if (skip) return void log.debug({ module: 'bot', messageId: message.id, skip }, 'message skipped');
    seen.set(message.id, true);
    const room = message.room();
    if (room && !(await message.mentionSelf())) return;
    const talker = message.talker();
    for (const reply of await replies(message, room, talker)) await say(room, talker, roomSafeText(reply, Boolean(room)));
  }

  const inFlight = new Set<Promise<void>>();
  const listener = (message: Message) => {
    const handling = onMessage(message)
      .catch((err: unknown) => log.error({ module: 'bot', err, messageId: message.id }, 'message handling failed'))
      .finally(() => inFlight.delete(handling));
    inFlight.add(handling);
  };
  wechaty.on('message', listener);
  return {
    detach: () => wechaty.off('message', listener),
    idle: async () => {
      while (inFlight.size > 0) await Promise.all(inFlight);
      await queue.idle();
    },
    async sendToContact(contactId, text) {
      const contact = await findContact(wechaty, contactId);
      if (!contact) return false;
      await queue.enqueue(contact.id, () => contact.say(text));
      return true;
    },
  };
}
