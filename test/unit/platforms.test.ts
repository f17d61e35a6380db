import { deriveFacts, levelAtLeast } from '../../src/modules/platforms';
import type { Attestation } from '../../src/modules/platforms/platforms.types';
import { checkTimestamp, readSignedHeaders, sign, signatureMatches, SIGNATURE_WINDOW_S } from '../../src/modules/platforms/signature';
import { fixedClock } from '../../src/shared/time';
import { createEmbeddedStorage } from '../../src/storage/embedded';
import { thrown } from '../helpers/errors';
import { tempDir } from '../helpers/storage';

const NOW = new Date('2026-11-25T04:00:00Z');
const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(NOW.getTime() - n * DAY);
const MAX_AGE = 90 * DAY;
const rider = { phone: null, platform: null, verification: 'unverified' } as const;
const attested = (over: Partial<Attestation> = {}): Attestation => ({
  id: 'a1', riderId: 'r1', platform: '饿了么', keyId: 'k1', activeSince: daysAgo(40), onTimeRate: 0.96, atFaultAccidents: 0,
  complaints: 1, observedAt: daysAgo(10), receivedAt: daysAgo(10), ...over,
});

describe('rider levels and facts', () => {
  it.each([
    ['no phone, nothing vouched', rider, null, 'none'],
    ['a bound phone', { ...rider, phone: '13800138000' }, null, 'phone'],
    ['a current attestation', { ...rider, phone: '13800138000' }, attested(), 'platform'],
    ['stored platform_verified', { ...rider, verification: 'platform_verified' }, null, 'platform'],
    ['stored admin_verified', { ...rider, verification: 'admin_verified' }, null, 'platform'],
    ['an attestation older than the maximum age', { ...rider, phone: '13800138000' }, attested({ observedAt: daysAgo(91) }), 'phone'],
  ] as const)('derives the level from %s', (_name, r, a, level) => {
    expect(deriveFacts(r, a, NOW, MAX_AGE).level).toBe(level);
  });

  it('takes the facts from a current attestation, activeDays up to when the platform observed them', () => {
    expect(deriveFacts({ ...rider, phone: '13800138000', platform: '美团' }, attested(), NOW, MAX_AGE)).toEqual({
      level: 'platform', platform: '饿了么', phoneBound: true, activeSince: daysAgo(40), activeDays: 30, onTimeRate: 0.96,
      atFaultAccidents: 0, complaints: 1, attestedAt: daysAgo(10),
    });
  });

  it('counts an attestation exactly at the maximum age and not a millisecond after; then only the profile\'s platform is shown', () => {
    expect(deriveFacts(rider, attested({ observedAt: daysAgo(90) }), NOW, MAX_AGE).attestedAt).toEqual(daysAgo(90));
    const stale = deriveFacts({ ...rider, platform: '美团' }, attested({ observedAt: new Date(daysAgo(90).getTime() - 1) }), NOW, MAX_AGE);
    expect(stale).toEqual({
      level: 'none', platform: '美团', phoneBound: false, activeSince: null, activeDays: null, onTimeRate: null,
      atFaultAccidents: null, complaints: null, attestedAt: null,
    });
  });

  it('orders levels none < phone < platform', () => {
    expect([levelAtLeast('platform', 'phone'), levelAtLeast('phone', 'phone'), levelAtLeast('none', 'phone'), levelAtLeast('phone', 'platform')])
      .toEqual([true, true, false, false]);
  });
});

describe('request signatures', () => {
  const SECRET = 'q3Yk2v9XbP0sLr7mWc4tZ8nHf1uJd6eAa5GiKoRyTxE';
  const HEADERS = {
    'x-platform-key': '6650a1b2c3d4e5f601234567', 'x-timestamp': '1795665600', 'x-nonce': 'n0nce-0123456789abcdef',
    'x-signature': '30f2e6a2c2c1252dd529ff844a1fe5c244bf4e522fa256ffe2053c4e0071d452',
  };
  const BODY = Buffer.from('{"riderPhone":"13800138000"}');
  const read = (over: Record<string, string> = {}) => readSignedHeaders((n) => ({ ...HEADERS, ...over } as Record<string, string>)[n] ?? '');

  it('signs like `openssl dgst -sha256 -hmac` over timestamp, nonce and body joined by newlines', () => {
    // The expected hex was computed with: printf '%s\n%s\n%s' 1795665600 n0nce-0123456789abcdef "$BODY" | openssl dgst -sha256 -hmac "$SECRET"
    expect(sign(SECRET, 1795665600, 'n0nce-0123456789abcdef', BODY)).toBe(HEADERS['x-signature']);
    expect(signatureMatches(SECRET, read(), BODY)).toBe(true);
    expect(signatureMatches(SECRET, read({ 'x-signature': HEADERS['x-signature'].toUpperCase() }), BODY)).toBe(true);
  });

  it.each([
    ['another body', SECRET, Buffer.from('{"riderPhone":"13800138001"}'), {}],
    ['another secret', `${SECRET}x`, BODY, {}],
    ['another timestamp', SECRET, BODY, { 'x-timestamp': '1795665601' }],
    ['another nonce', SECRET, BODY, { 'x-nonce': 'n0nce-0123456789abcdeF' }],
  ])('does not match with %s', (_name, secret, body, over) => {
    expect(signatureMatches(secret, read(over), body)).toBe(false);
  });

  it.each([
    ['x-platform-key', '', 'missing_header'],
    ['x-platform-key', 'not-a-key-id', 'malformed_header'],
    ['x-timestamp', '', 'missing_header'],
    ['x-timestamp', '1795665600.5', 'malformed_header'],
    ['x-timestamp', '01795665600', 'malformed_header'],
    ['x-timestamp', '-1', 'malformed_header'],
    ['x-nonce', 'short', 'malformed_header'],
    ['x-nonce', 'n'.repeat(65), 'malformed_header'],
    ['x-nonce', 'nonce with spaces 0123', 'malformed_header'],
    ['x-signature', 'abc', 'malformed_header'],
    ['x-signature', 'z'.repeat(64), 'malformed_header'],
    ['x-signature', '', 'missing_header'],
  ])('refuses %s = %j with 401 %s', (header, value, reason) => {
    const e = thrown(() => read({ [header]: value }));
    expect([e.status, e.details]).toEqual([401, { reason, header }]);
  });

  it(`accepts timestamps up to ${SIGNATURE_WINDOW_S} s either side of now and refuses beyond`, () => {
    const now = new Date(1795665600_000);
    for (const ts of [1795665600 - SIGNATURE_WINDOW_S, 1795665600 + SIGNATURE_WINDOW_S]) expect(() => checkTimestamp(ts, now)).not.toThrow();
    for (const ts of [1795665600 - SIGNATURE_WINDOW_S - 1, 1795665600 + SIGNATURE_WINDOW_S + 1]) {
      expect(thrown(() => checkTimestamp(ts, now)).details).toEqual({ reason: 'timestamp_out_of_window', serverTime: 1795665600 });
    }
  });
});

describe('used nonces on the embedded driver', () => {
  it('are purged once expired, at the next open', async () => {
    const dir = tempDir();
    const first = createEmbeddedStorage({ dataDir: dir, sync: 'normal', clock: fixedClock(NOW) });
    const expiresAt = new Date(NOW.getTime() + 600_000);
    expect(await first.platformNonces.claim('k1', 'nonce-0123456789ab', expiresAt)).toBe(true);
    await first.close();
    const before = createEmbeddedStorage({ dataDir: dir, sync: 'normal', clock: fixedClock(new Date(expiresAt.getTime() - 1)) });
    expect(await before.platformNonces.claim('k1', 'nonce-0123456789ab', expiresAt)).toBe(false);
    await before.close();
    const after = createEmbeddedStorage({ dataDir: dir, sync: 'normal', clock: fixedClock(new Date(expiresAt.getTime() + 1)) });
    expect(await after.platformNonces.claim('k1', 'nonce-0123456789ab', expiresAt)).toBe(true);
    await after.close();
  });
});
