import { types, type Message, type Wechaty } from 'wechaty';
import type { ApiClient } from './api-client';
import type { EngineOptions } from './engine/conversation';
import type { BotInput } from './engine/types';
import type { BotLog } from './log';
import { LRUCache } from 'lru-cache';
import { createResponder, type Sender } from './responder';
import { createSendQueue } from './send-queue';

export interface AttachOptions {
  api: ApiClient;
  log: BotLog;
  /** Messages stamped before this are history replayed by the puppet, not questions to answer now. */
  startedAt: Date;
  /** Minimum gap between outgoing messages; 1000 ms in production, 0 in tests. */
  sendGapMs?: number;
  /** How many recent message ids are remembered to drop duplicates. */
  recentIds?: number;
  clock?: () => Date;
  engine?: Partial<EngineOptions>;
}

export interface AttachedBot {
  /** Stops listening; replies already queued are still sent. */
  detach(): void;
  /** Resolves when every message received so far has been handled and its replies sent. */
  idle(): Promise<void>;
}

const UNSUPPORTED = new Set([types.Message.Audio, types.Message.Image, types.Message.Video, types.Message.Emoticon]);

/** A WeChat message as engine input; null for what the bot should stay silent about (system notices, cards...). */
async function toInput(message: Message, inRoom: boolean): Promise<BotInput | null> {
  const type = message.type();
  if (type === types.Message.Text) return { kind: 'text', text: inRoom ? await message.mentionText() : message.text() };
  if (type === types.Message.Location) {
    // Not message.toLocation(): in wechaty 1.20 it builds the unbound LocationImpl and always throws "Wechaty User
    // Class (WUC) can not be instantiated directly" (toUrlLink had the same bug, wechaty#2358). Same payload, read directly.
    const loc = await message.wechaty.puppet.messageLocation(message.id);
    return { kind: 'location', lng: loc.longitude, lat: loc.latitude, name: loc.name };
  }
  return UNSUPPORTED.has(type) && !inRoom ? { kind: 'unsupported' } : null;
}

/** Connects the bot to a Wechaty: answers riders in private chats, and in rooms when @-mentioned. */
export function attachBot(wechaty: Wechaty, options: AttachOptions): AttachedBot {
  const { log } = options;
  const responder = createResponder({ api: options.api, log, clock: options.clock, engine: options.engine });
  const queue = createSendQueue({ minGapMs: options.sendGapMs ?? 1000 });
  const seen = new LRUCache<string, true>({ max: options.recentIds ?? 2000 });
  // Some puppets stamp messages in whole seconds: compare with the start's second, or a message just after start is lost.
  const startedMs = Math.floor(options.startedAt.getTime() / 1000) * 1000;

  async function onMessage(message: Message): Promise<void> {
    if (message.self() || message.date().getTime() < startedMs || seen.has(message.id)) return;
    seen.set(message.id, true);
    const talker = message.talker();
    if (talker.type() === types.Contact.Official) return;
    const room = message.room();
    if (room && !(await message.mentionSelf())) return;
    const input = await toInput(message, Boolean(room));
    if (!input) return;
    log.debug({ module: 'bot', messageId: message.id, input: input.kind, room: Boolean(room) }, 'message');
    const sender: Sender = { contactId: talker.id, chat: room ? 'room' : 'private' };
    const replies = await responder.respond(room ? `${room.id}/${talker.id}` : talker.id, input, sender);
    for (const text of replies) {
      await queue.enqueue(() => (room ? room.say(text, talker) : talker.say(text)));
    }
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
  };
}
