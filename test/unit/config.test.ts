import { ConfigError, loadConfig } from '../../src/shared/config';

describe('loadConfig', () => {
  it('layers defaults < environment file < environment variables', () => {
    const c = loadConfig({ NODE_ENV: 'test', PORT: '4567' });
    expect(c.port).toBe(4567); // env var
    expect(c.logLevel).toBe('silent'); // config/test.json
    expect(c.occupancyFreshnessMs).toBe(30 * 60_000); // config/default.json
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('picks the embedded driver unless a MongoDB URI is given', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).storage.driver).toBe('embedded');
    expect(loadConfig({ NODE_ENV: 'test', MONGODB_URI: 'mongodb://db:27017/x' }).storage.driver).toBe('mongo');
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ STORAGE_DRIVER: 'postgres' }, 'STORAGE_DRIVER'],
    [{ STORAGE_DRIVER: 'mongo' }, 'MONGODB_URI'],
    [{ MONGODB_URI: 'http://x' }, 'MONGODB_URI'],
    [{ DEMO_DATA: 'maybe' }, 'DEMO_DATA'],
    [{ OCCUPANCY_FRESHNESS_MINUTES: '0' }, 'OCCUPANCY_FRESHNESS_MINUTES'],
  ])('names the bad key in %j', (env, key) => {
    expect(() => loadConfig({ NODE_ENV: 'test', ...env })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'test', ...env })).toThrow(new RegExp(`${key}:`));
  });

  it('demands a real JWT secret and no development login in production', () => {
    const prod = { NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32), SECRETS_KEY: 's'.repeat(32), PUBLIC_BASE_URL: 'https://nuanxin.example.cn' };
    expect(() => loadConfig({ ...prod, JWT_SECRET: 'short-secret-1234' })).toThrow(/JWT_SECRET: must be a secret/);
    expect(() => loadConfig({ ...prod, DEV_LOGIN: 'true' })).toThrow(/DEV_LOGIN: must be false in production/);
    expect(loadConfig(prod)).toMatchObject({ demoData: false, devLogin: false });
  });

  it('demands PUBLIC_BASE_URL in production, so no link is taken from a request\'s Host header', () => {
    const prod = { NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32), SECRETS_KEY: 's'.repeat(32) };
    expect(() => loadConfig(prod)).toThrow(/PUBLIC_BASE_URL: is required in production/);
    expect(loadConfig({ ...prod, PUBLIC_BASE_URL: 'https://nuanxin.example.cn/' }).publicBaseUrl).toBe('https://nuanxin.example.cn');
    expect(loadConfig({ NODE_ENV: 'development' }).publicBaseUrl).toBe('');
  });

  it('demands a real SECRETS_KEY in production, other than JWT_SECRET', () => {
    const prod = { NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32), PUBLIC_BASE_URL: 'https://nuanxin.example.cn' };
    expect(() => loadConfig(prod)).toThrow(/SECRETS_KEY: must be a secret/);
    expect(() => loadConfig({ ...prod, SECRETS_KEY: 's'.repeat(31) })).toThrow(/SECRETS_KEY: must be a secret/);
    expect(() => loadConfig({ ...prod, SECRETS_KEY: 'change-me-change-me-change-me-change-me' })).toThrow(/SECRETS_KEY/);
    expect(() => loadConfig({ ...prod, SECRETS_KEY: 'x'.repeat(32) })).toThrow(/SECRETS_KEY/);
    expect(loadConfig({ ...prod, SECRETS_KEY: 's'.repeat(32) }).secretsKey).toBe('s'.repeat(32));
  });

  it('derives a secrets key from JWT_SECRET outside production when SECRETS_KEY is empty', () => {
    const c = loadConfig({ NODE_ENV: 'test' });
    expect(c.secretsKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(c.secretsKey).not.toContain(c.auth.jwtSecret);
    expect(loadConfig({ NODE_ENV: 'test' }).secretsKey).toBe(c.secretsKey); // stable across restarts
    expect(loadConfig({ NODE_ENV: 'test', JWT_SECRET: 'another-jwt-secret-0123' }).secretsKey).not.toBe(c.secretsKey);
    expect(loadConfig({ NODE_ENV: 'test', SECRETS_KEY: 'explicit-key' }).secretsKey).toBe('explicit-key');
  });

  it('bounds the QR token lifetime to 60 s and defaults the gate key rotation to a day', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).gateTokens).toEqual({ keyRotationHours: 24, ttlSeconds: 60 });
    expect(() => loadConfig({ NODE_ENV: 'test', QR_TOKEN_TTL_SECONDS: '61' })).toThrow(/QR_TOKEN_TTL_SECONDS:/);
    expect(() => loadConfig({ NODE_ENV: 'test', GATE_KEY_ROTATION_HOURS: '0' })).toThrow(/GATE_KEY_ROTATION_HOURS:/);
  });

  it('requires a city and a strong password for a bootstrap administrator', () => {
    expect(() => loadConfig({ NODE_ENV: 'test', BOOTSTRAP_ADMIN_USERNAME: 'root', BOOTSTRAP_ADMIN_PASSWORD: 'short' })).toThrow(/BOOTSTRAP_ADMIN_PASSWORD/);
  });
});
