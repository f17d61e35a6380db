import type { Wechaty } from 'wechaty';
import { createApiClient } from './api-client';
import { sendLimitsOf, type BotConfig } from './config';
import type { BotLog } from './log';
import { notifierFor } from './notifications';
import { createSendQueue } from './send-queue';
import { attachBot, type AttachedBot } from './wechaty-adapter';

export interface BotRuntime {
  bot: AttachedBot;
  /** Stops claiming notices, lets the replies and notices in hand go out, and stops the limiters (not the Wechaty). */
  stop(): Promise<void>;
}

/**
 * The bot on a Wechaty, wired from its configuration: replies and notices share one send queue, so the limits hold
 * for everything the account sends; notices are claimed only while logged in (one claimed while logged out could
 * only be released again). Call before wechaty.start(), so that the first login is seen.
 */
export async function startRuntime(wechaty: Wechaty, config: BotConfig, log: BotLog, startedAt = new Date()): Promise<BotRuntime> {
  const api = createApiClient({ baseURL: config.API_BASE_URL, timeoutMs: config.API_TIMEOUT_MS, botToken: config.BOT_TOKEN });
  const queue = createSendQueue(sendLimitsOf(config));
  const bot = attachBot(wechaty, { api, log, startedAt, queue });
  const notifier = await notifierFor(config, log, bot.sendToContact);
  if (notifier) {
    wechaty.on('login', () => notifier.start());
    wechaty.on('logout', () => void notifier.stop());
  }
  return {
    bot,
    async stop() {
      bot.detach();
      await notifier?.stop();
      await bot.idle();
      await queue.close();
    },
  };
}
