import path from 'node:path';
import { z } from 'zod';
import type { SendLimits } from './send-queue';

const intString = (min: number, max: number) =>
  z.string().trim().regex(/^\d+$/, 'must be a whole number').transform(Number).pipe(z.number().min(min).max(max));

const schema = z.object({
  API_BASE_URL: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).default('http://127.0.0.1:3000'),
  API_TIMEOUT_MS: intString(100, 60_000).default(5_000),
  BOT_SEND_GAP_MS: intString(0, 60_000).default(1_000),
  // Token buckets against 「操作过于频繁」 and bans: a burst of this many, refilled evenly over a minute.
  BOT_SEND_PER_CONTACT_PER_MINUTE: intString(1, 600).default(10),
  BOT_SEND_GLOBAL_PER_MINUTE: intString(1, 6_000).default(40),
  // Where the bot keeps the ids of notifications it has sent (so a restart repeats none); default DATA_DIR/bot.
  BOT_DATA_DIR: z.string().min(1).optional(),
  DATA_DIR: z.string().min(1).default('data'),
  // The outbox consumer the bot claims as (the service's OUTBOX_CONSUMERS must name it) and how often it asks.
  BOT_OUTBOX_CONSUMER: z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, 'must be a consumer name like bot').default('bot'),
  BOT_NOTIFY_POLL_MS: intString(100, 600_000).default(5_000),
  // The service's shared secret for its /api/v1/bot routes (staff binding); unset turns those features off. Never logged.
  BOT_TOKEN: z.string().max(512, 'must be at most 512 characters').optional(),
  // Read by wechaty itself as well; unset means console mode. WECHATY_PUPPET_SERVICE_TOKEN is read only by the puppet.
  WECHATY_PUPPET: z.string().regex(/^(@[\w.-]+\/)?wechaty-puppet-[\w.-]+$/, 'must name a wechaty puppet package').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type BotConfig = Readonly<Omit<z.output<typeof schema>, 'DATA_DIR'> & { BOT_DATA_DIR: string }>;

/** The send queue's limits from the configuration. */
export function sendLimitsOf(config: BotConfig): SendLimits {
  return { minGapMs: config.BOT_SEND_GAP_MS, perChat: config.BOT_SEND_PER_CONTACT_PER_MINUTE, global: config.BOT_SEND_GLOBAL_PER_MINUTE };
}

export class BotConfigError extends Error {}

/** The bot's settings from environment variables, validated and frozen; throws naming every bad key. */
export function loadBotConfig(env: NodeJS.ProcessEnv = process.env): BotConfig {
  // An empty variable (FOO=) means "not set", as in most shells' and compose files' intent.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const result = schema.safeParse(present);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new BotConfigError(`invalid bot configuration:\n  ${lines.join('\n  ')}`);
  }
  // The service's DATA_DIR (the Docker image sets /data, a volume) holds the bot's file too, unless BOT_DATA_DIR says otherwise.
  const { DATA_DIR, BOT_DATA_DIR, ...rest } = result.data;
  return Object.freeze({ ...rest, BOT_DATA_DIR: BOT_DATA_DIR ?? path.join(DATA_DIR, 'bot') });
}
