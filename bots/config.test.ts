import { loadBotConfig } from './config';

describe('bot config', () => {
  it('defaults to a local API and console mode', () => {
    const config = loadBotConfig({});
    expect(config).toEqual({ API_BASE_URL: 'http://127.0.0.1:3000', API_TIMEOUT_MS: 5000, BOT_SEND_GAP_MS: 1000, LOG_LEVEL: 'info' });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads the puppet and numbers from the environment, treating empty values as unset', () => {
    expect(loadBotConfig({ WECHATY_PUPPET: 'wechaty-puppet-service', BOT_SEND_GAP_MS: '0', API_BASE_URL: '' }))
      .toMatchObject({ WECHATY_PUPPET: 'wechaty-puppet-service', BOT_SEND_GAP_MS: 0, API_BASE_URL: 'http://127.0.0.1:3000' });
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
    [{ BOT_TOKEN: 'x'.repeat(513) }, 'BOT_TOKEN'],
  ])('refuses %j naming %s', (env, key) => {
    expect(() => loadBotConfig(env)).toThrow(new RegExp(`invalid bot configuration:\\n  ${key}: `));
  });
});
