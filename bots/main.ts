import pino from 'pino';
import { qrcodeValueToImageUrl, ScanStatus, WechatyBuilder, type OfficialPuppetNpmName, type Wechaty } from 'wechaty';
import { startConsole } from './cli';
import { BotConfigError, loadBotConfig, type BotConfig } from './config';
import type { BotLog } from './log';
import { startRuntime } from './runtime';

const STOP_TIMEOUT_MS = 10_000;

function logWechatyEvents(wechaty: Wechaty, log: BotLog): void {
  wechaty.on('scan', (qrcode, status) => {
    if (status === ScanStatus.Waiting || status === ScanStatus.Timeout) {
      log.info({ module: 'wechaty', status: ScanStatus[status], url: qrcodeValueToImageUrl(qrcode) }, 'scan the QR code to log in');
    } else log.info({ module: 'wechaty', status: ScanStatus[status] }, 'scan status');
  });
  wechaty.on('login', (user) => log.info({ module: 'wechaty', user: user.name() }, 'logged in'));
  wechaty.on('logout', (user) => log.warn({ module: 'wechaty', user: user.name() }, 'logged out'));
  wechaty.on('error', (err) => log.error({ module: 'wechaty', err }, 'wechaty error'));
}

/** Logs in with the configured puppet, answers riders, delivers notices, and stops cleanly on SIGTERM/SIGINT. */
async function runWechaty(config: BotConfig & { WECHATY_PUPPET: string }, log: BotLog): Promise<void> {
  // Wechaty's type lists only its official puppets; config has already checked the name's shape.
  const wechaty = WechatyBuilder.build({ name: 'nuanxin-bot', puppet: config.WECHATY_PUPPET as OfficialPuppetNpmName });
  logWechatyEvents(wechaty, log);
  const runtime = await startRuntime(wechaty, config, log);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ module: 'bot', signal }, 'stopping');
    setTimeout(() => process.exit(1), STOP_TIMEOUT_MS).unref();
    await runtime.stop();
    await wechaty.stop();
    log.info({ module: 'bot' }, 'stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));

  await wechaty.start();
  log.info({ module: 'bot', puppet: config.WECHATY_PUPPET, api: config.API_BASE_URL, staffBinding: Boolean(config.BOT_TOKEN) }, 'bot started');
}

/** The bot process: console mode with --console or without WECHATY_PUPPET, otherwise a WeChat bot. */
async function main(argv: readonly string[]): Promise<void> {
  let config: BotConfig;
  try {
    config = loadBotConfig();
  } catch (err) {
    if (!(err instanceof BotConfigError)) throw err;
    console.error(err.message);
    process.exit(78); // EX_CONFIG
  }
  if (argv.includes('--console') || !config.WECHATY_PUPPET) {
    await startConsole(config);
    process.exit(0);
  }
  const log = pino({ level: config.LOG_LEVEL, base: { service: 'nuanxin-bot' } });
  await runWechaty({ ...config, WECHATY_PUPPET: config.WECHATY_PUPPET }, log);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error('bot failed to start:', err);
  process.exit(1);
});
