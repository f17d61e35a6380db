import { loadBotConfig, sendLimitsOf } from './config';

describe('bot config', () => {
  it('defaults to a local API and console mode', () => {
    const config = loadBotConfig({});
    expect(config).toEqual({
      API_BASE_URL: 'http://127.0.0.1:3000', API_TIMEOUT_MS: 5000, BOT_SEND_GAP_MS: 1000, LOG_LEVEL: 'info',
      BOT_SEND_PER_CONTACT_PER_MINUTE: 10, BOT_SEND_GLOBAL_PER_MINUTE: 40,
      BOT_DATA_DIR: 'data/bot', BOT_OUTBOX_CONSUMER: 'bot', BOT_NOTIFY_POLL_MS: 5000,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads the puppet and numbers from the environment, treating empty values as unset', () => {
    expect(loadBotConfig({ WECHATY_PUPPET: 'wechaty-puppet-service', BOT_SEND_GAP_MS: '0', API_BASE_URL: '' }))
      .toMatchObject({ WECHATY_PUPPET: 'wechaty-puppet-service', BOT_SEND_GAP_MS: 0, API_BASE_URL: 'http://127.0.0.1:3000' });
  });

  it('keeps its data under DATA_DIR/bot unless BOT_DATA_DIR names a directory', () => {
    expect(loadBotConfig({ DATA_DIR: '/data' }).BOT_DATA_DIR).toBe('/data/bot');
    expect(loadBotConfig({ DATA_DIR: '/data', BOT_DATA_DIR: '/var/lib/bot' }).BOT_DATA_DIR).toBe('/var/lib/bot');
  });

  it('gives the send queue its limits', () => {
    const config = loadBotConfig({ BOT_SEND_GAP_MS: '500', BOT_SEND_PER_CONTACT_PER_MINUTE: '6', BOT_SEND_GLOBAL_PER_MINUTE: '30' });
    expect(sendLimitsOf(config)).toEqual({ minGapMs: 500, perChat: 6, global: 30 });
  });

  it('reads the bot token, and leaves it unset when empty', () => {
    expect(loadBotConfig({ BOT_TOKEN: 's3cret-token' }).BOT_TOKEN).toBe('s3cret-token');
    expect(loadBotConfig({ BOT_TOKEN: '  ' })).not.toHaveProperty('BOT_TOKEN');
  });

  it.each([
    [{ API_BASE_URL: 'ftp://example.com' }, 'API_BASE_URL'],
    [{ API_TIMEOUT_MS: 'soon' }, 'API_TIMEOUT_MS'],
    [{ BOT_SEND_GAP_MS: '-5' }, 'BOT_SEND_GAP_MS'],
    [{ WECHATY_PUPPET: 'padlocal' }, 'WECHATY_PUPPET'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ BOT_SEND_PER_CONTACT_PER_MINUTE: '0' }, 'BOT_SEND_PER_CONTACT_PER_MINUTE'],
    [{ BOT_SEND_GLOBAL_PER_MINUTE: 'lots' }, 'BOT_SEND_GLOBAL_PER_MINUTE'],
    [{ BOT_OUTBOX_CONSUMER: 'Bot One' }, 'BOT_OUTBOX_CONSUMER'],
    [{ BOT_NOTIFY_POLL_MS: '10' }, 'BOT_NOTIFY_POLL_MS'],
    [{ BOT_TOKEN: 'x'.repeat(513) }, 'BOT_TOKEN'],
  ])('refuses %j naming %s', (env, key) => {
    expect(() => loadBotConfig(env)).toThrow(new RegExp(`invalid bot configuration:\\n  ${key}: `));
  });
});
