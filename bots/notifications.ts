import path from 'node:path';
import type { BotConfig } from './config';
import type { BotLog } from './log';
import { createNotifier, type Notifier, type NotifierOptions } from './notifier';
import { createOutboxClient } from './outbox-client';
import { openSentNotices } from './sent-notices';

/** Where the ids of sent notices are kept: one file per consumer under BOT_DATA_DIR. */
export const sentNoticesFile = (config: BotConfig): string => path.join(config.BOT_DATA_DIR, `sent-${config.BOT_OUTBOX_CONSUMER}.json`);

/**
 * The notifier the configuration asks for, not yet started; null without BOT_TOKEN (the outbox routes need it).
 * Throws when the sent-notices file cannot be read: starting without it could send every notice again.
 */
export async function notifierFor(config: BotConfig, log: BotLog, deliver: NotifierOptions['deliver']): Promise<Notifier | null> {
  if (!config.BOT_TOKEN) {
    log.warn({ module: 'notifier' }, 'BOT_TOKEN is not set: no notifications');
    return null;
  }
  const outbox = createOutboxClient({
    baseURL: config.API_BASE_URL, timeoutMs: config.API_TIMEOUT_MS, botToken: config.BOT_TOKEN, consumer: config.BOT_OUTBOX_CONSUMER,
  });
  const sent = await openSentNotices({ file: sentNoticesFile(config) });
  return createNotifier({ outbox, sent, deliver, log, pollMs: config.BOT_NOTIFY_POLL_MS });
}
