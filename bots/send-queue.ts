import Bottleneck from 'bottleneck';

/** How fast the bot may send: what keeps WeChat from answering 「操作过于频繁」 or banning the account. */
export interface SendLimits {
  /** Minimum gap between the starts of any two sends. */
  minGapMs: number;
  /** Sends to one chat (a contact or a room) per window. */
  perChat: number;
  /** Sends to all chats together per window. */
  global: number;
  /** The window the two counts are per; a minute in production. */
  windowMs?: number;
}

export interface SendQueue {
  /**
   * Runs `send` (a message to the chat `chatId`) once the limits allow it: one send at a time, each chat's sends in
   * the order they were queued. Resolves or rejects with the send; a failed send does not hold up the others.
   */
  enqueue(chatId: string, send: () => Promise<unknown>): Promise<void>;
  /** Resolves when everything queued so far has been sent (or failed). */
  idle(): Promise<void>;
  /** Stops the limiters' timers; call after idle() when the bot stops. */
  close(): Promise<void>;
}

/**
 * A token bucket of `count` sends that refills one send every windowMs / count: a burst of `count` at once, never
 * more than `count` in any window after it. Bottleneck checks its reservoir every heartbeat, so short refills get
 * a finer heartbeat (tests use windows of a few hundred ms).
 */
function bucket(count: number, windowMs: number): Bottleneck.ConstructorOptions {
  const refillMs = Math.max(1, Math.floor(windowMs / count));
  return {
    reservoir: count, reservoirIncreaseAmount: 1, reservoirIncreaseInterval: refillMs, reservoirIncreaseMaximum: count,
    heartbeatInterval: Math.max(5, Math.min(250, Math.floor(refillMs / 4))),
  };
}

/** The bot's outgoing lane: a per-chat limiter (Bottleneck.Group, one per chat id) chained to one global limiter. */
export function createSendQueue(limits: SendLimits): SendQueue {
  const windowMs = limits.windowMs ?? 60_000;
  const global = new Bottleneck({ maxConcurrent: 1, minTime: limits.minGapMs, ...bucket(limits.global, windowMs) });
  // An idle chat's limiter is dropped after a window: by then its bucket would be full again anyway.
  const chats = new Bottleneck.Group({ maxConcurrent: 1, ...bucket(limits.perChat, windowMs), timeout: Math.max(windowMs, 1000) });
  chats.on('created', (limiter) => void limiter.chain(global));
  const pending = new Set<Promise<unknown>>();

  return {
    enqueue(chatId, send) {
      const job = chats.key(chatId).schedule(async () => { await send(); });
      const settled = job.catch(() => undefined).finally(() => pending.delete(settled));
      pending.add(settled);
      return job;
    },
    async idle() {
      while (pending.size > 0) await Promise.all(pending);
    },
    async close() {
      await Promise.all(chats.keys().map((key) => chats.deleteKey(key)));
      await global.disconnect();
    },
  };
}
