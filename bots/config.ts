import { z } from 'zod';

const intString = (min: number, max: number) =>
  z.string().trim().regex(/^\d+$/, 'must be a whole number').transform(Number).pipe(z.number().min(min).max(max));

const schema = z.object({
  API_BASE_URL: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).default('http://127.0.0.1:3000'),
  API_TIMEOUT_MS: intString(100, 60_000).default(5_000),
  BOT_SEND_GAP_MS: intString(0, 60_000).default(1_000),
  // The service's shared secret for its /api/v1/bot routes (staff binding); unset turns those features off. Never logged.
  BOT_TOKEN: z.string().max(512, 'must be at most 512 characters').optional(),
  // Read by wechaty itself as well; unset means console mode. WECHATY_PUPPET_SERVICE_TOKEN is read only by the puppet.
  WECHATY_PUPPET: z.string().regex(/^(@[\w.-]+\/)?wechaty-puppet-[\w.-]+$/, 'must name a wechaty puppet package').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type BotConfig = Readonly<z.output<typeof schema>>;

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
  return Object.freeze(result.data);
}
