import type { Logger } from 'pino';

/** The logging the bot needs; a pino logger fits, and `pino({ level: 'silent' })` in tests. */
export type BotLog = Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;
