import { ConfigError, loadConfig } from '../../src/shared/config';

describe('outbox configuration', () => {
  it('defaults to the bot and the WeChat worker, a 60 s lease and a 5 s poll, and no templates', () => {
    const c = loadConfig({ NODE_ENV: 'test' });
    expect(c.outbox).toEqual({ consumers: ['bot', 'wechat'], leaseSeconds: 60, pollMs: 5000 });
    expect(c.wechat).toMatchObject({ templates: { access: '', pass: '' }, miniprogramState: 'formal' });
    expect(Object.isFrozen(c.outbox.consumers)).toBe(true);
  });

  it('reads a comma list of consumers, spaces allowed', () => {
    expect(loadConfig({ NODE_ENV: 'test', OUTBOX_CONSUMERS: ' bot , sms_gateway ' }).outbox.consumers).toEqual(['bot', 'sms_gateway']);
  });

  it.each([
    [{ OUTBOX_CONSUMERS: ',' }, 'OUTBOX_CONSUMERS'],
    [{ OUTBOX_CONSUMERS: 'bot,bot' }, 'OUTBOX_CONSUMERS'],
    [{ OUTBOX_CONSUMERS: 'Bot' }, 'OUTBOX_CONSUMERS'],
    [{ OUTBOX_LEASE_SECONDS: '4' }, 'OUTBOX_LEASE_SECONDS'],
    [{ OUTBOX_LEASE_SECONDS: '601' }, 'OUTBOX_LEASE_SECONDS'],
    [{ OUTBOX_POLL_MS: '99' }, 'OUTBOX_POLL_MS'],
    [{ WECHAT_MINIPROGRAM_STATE: 'beta' }, 'WECHAT_MINIPROGRAM_STATE'],
  ])('names the bad key in %j', (env, key) => {
    expect(() => loadConfig({ NODE_ENV: 'test', ...env })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'test', ...env })).toThrow(new RegExp(`${key}[.:\\d]`));
  });
});
