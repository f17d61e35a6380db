import readline from 'node:readline';
import pino from 'pino';
import { createApiClient } from './api-client';
import { BotConfigError, loadBotConfig, type BotConfig } from './config';
import type { BotInput } from './engine/types';
import { notifierFor } from './notifications';
import type { NotifierOptions } from './notifier';
import { roomSafeText } from './reply';
import { createResponder, type Responder, type Sender } from './responder';

/** Console mode has no WeChat contact: every line comes from this one, in a private chat. */
export const CONSOLE_SENDER: Sender = { contactId: 'console-user', chat: 'private' };

const LOCATION = /^loc\s+(-?\d+(?:\.\d+)?)[\s,]+(-?\d+(?:\.\d+)?)$/i;

/** A console line as a bot message: 'loc 106.57 29.56' (longitude latitude, GCJ-02) is a location, the rest is text. */
export function parseConsoleLine(line: string): BotInput | null {
  const text = line.trim();
  if (!text) return null;
  const m = LOCATION.exec(text);
  return m ? { kind: 'location', lng: Number(m[1]), lat: Number(m[2]) } : { kind: 'text', text };
}

/** Talks to the bot on a terminal until 'exit' or end of input; resolves when done. */
export function runConsole(responder: Responder, input: NodeJS.ReadableStream = process.stdin, output: NodeJS.WritableStream = process.stdout): Promise<void> {
  const rl = readline.createInterface({ input, output, terminal: false });
  output.write('暖新助手 console mode. Type 帮助, 驿站 解放碑, or "loc 106.5775 29.5582" (lng lat, GCJ-02); "exit" quits.\n> ');
  let chain = Promise.resolve();
  let quitting = false;
  rl.on('line', (line) => {
    if (quitting) return;
    if (/^(exit|quit)$/i.test(line.trim())) {
      quitting = true;
      chain = chain.then(() => rl.close());
      return;
    }
    chain = chain
      .then(async () => {
        const message = parseConsoleLine(line);
        const replies = message ? await responder.respond('console', message, CONSOLE_SENDER) : [];
        output.write(replies.map((r) => `${roomSafeText(r, false)}\n`).join('') + '> ');
      })
      .catch((err: unknown) => void output.write(`(bot error: ${String(err)})\n> `));
  });
  return new Promise((resolve) => rl.once('close', () => void chain.then(() => resolve())));
}

/**
 * Notices as console mode shows them: the terminal is the bot's only chat, so a notice for the console's own contact
 * is printed as a message, and one for anybody else is printed with the contact it was for (and counts as sent).
 */
export function consoleDelivery(output: NodeJS.WritableStream): NotifierOptions['deliver'] {
  return async (contactId, text) => {
    const to = contactId === CONSOLE_SENDER.contactId ? '' : ` → ${contactId}`;
    output.write(`\n【通知${to}】${text}\n> `);
    return true;
  };
}

/**
 * Console mode against the configured API, with notifications when BOT_TOKEN is set; logs go to stderr, and only
 * warnings unless LOG_LEVEL asks for more. Resolves at 'exit' or the end of input.
 */
export async function startConsole(config: BotConfig, input: NodeJS.ReadableStream = process.stdin, output: NodeJS.WritableStream = process.stdout): Promise<void> {
  const level = config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL;
  const log = pino({ level, base: { service: 'nuanxin-bot' } }, pino.destination(2));
  const api = createApiClient({ baseURL: config.API_BASE_URL, timeoutMs: config.API_TIMEOUT_MS, botToken: config.BOT_TOKEN });
  const notifier = await notifierFor(config, log, consoleDelivery(output));
  notifier?.start();
  try {
    await runConsole(createResponder({ api, log }), input, output);
  } finally {
    await notifier?.stop();
  }
}

if (require.main === module) {
  let config: BotConfig;
  try {
    config = loadBotConfig();
  } catch (err) {
    console.error(err instanceof BotConfigError ? err.message : err);
    process.exit(78); // EX_CONFIG
  }
  void startConsole(config).then(() => process.exit(0));
}
