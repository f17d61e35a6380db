import { randomBytes } from 'node:crypto';
import { createSealer, SealedValueError } from '../../src/shared/sealed';

const KEY = 'k'.repeat(40);
const sealer = createSealer(KEY);

/** The reason open() refuses with; fails the test when it opens. */
function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof SealedValueError) return e.reason;
    throw e;
  }
  throw new Error('expected open() to refuse');
}

/** Flips one bit of the decoded part i (1 iv, 2 tag, 3 ciphertext) and re-encodes it canonically. */
function flip(sealed: string, i: number): string {
  const parts = sealed.split('.');
  const buf = Buffer.from(parts[i] as string, 'base64url');
  buf[0] = (buf[0] as number) ^ 0x01;
  parts[i] = buf.toString('base64url');
  return parts.join('.');
}

describe('sealed secrets', () => {
  it('round-trips text and bytes in the versioned v1.<iv>.<tag>.<ct> format', () => {
    const sealed = sealer.seal('JBSWY3DPEHPK3PXP');
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/);
    expect(sealer.open(sealed).toString('utf8')).toBe('JBSWY3DPEHPK3PXP');
    const bytes = randomBytes(64);
    expect(sealer.open(sealer.seal(bytes)).equals(bytes)).toBe(true);
    expect(sealer.open(sealer.seal('')).length).toBe(0);
  });

  it('never seals the same value twice alike (random IV) and hides the plaintext', () => {
    const a = sealer.seal('same secret');
    const b = sealer.seal('same secret');
    expect(a).not.toBe(b);
    expect(a).not.toContain(Buffer.from('same secret').toString('base64url'));
  });

  it('opens with another sealer built from the same secret (a restart), not with another secret', () => {
    const sealed = sealer.seal('private key');
    expect(createSealer(KEY).open(sealed).toString()).toBe('private key');
    expect(refusal(() => createSealer('another-secret-of-forty-characters-xxxxx').open(sealed))).toBe('authentication');
  });

  it.each([[1, 'iv'], [2, 'tag'], [3, 'ciphertext']])('refuses a value whose %s part (%s) was altered', (i) => {
    expect(refusal(() => sealer.open(flip(sealer.seal('secret value'), i)))).toBe('authentication');
  });

  it('refuses a value bound to another context (a secret copied onto another pass)', () => {
    const sealed = sealer.seal('totp secret', 'pass-1');
    expect(sealer.open(sealed, 'pass-1').toString()).toBe('totp secret');
    expect(refusal(() => sealer.open(sealed, 'pass-2'))).toBe('authentication');
    expect(refusal(() => sealer.open(sealed))).toBe('authentication');
  });

  it('refuses a truncated or extended ciphertext', () => {
    const sealed = sealer.seal('0123456789');
    const [v, iv, tag, ct] = sealed.split('.') as [string, string, string, string];
    const shorter = Buffer.from(ct, 'base64url').subarray(1).toString('base64url');
    const longer = Buffer.concat([Buffer.from(ct, 'base64url'), Buffer.from([0])]).toString('base64url');
    expect(refusal(() => sealer.open([v, iv, tag, shorter].join('.')))).toBe('authentication');
    expect(refusal(() => sealer.open([v, iv, tag, longer].join('.')))).toBe('authentication');
  });

  it.each([
    ['an empty string', '', 'format'],
    ['plain text', 'JBSWY3DPEHPK3PXP', 'format'],
    ['too few parts', 'v1.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA', 'format'],
    ['too many parts', 'v1.a.b.c.d', 'format'],
    ['an unknown version', 'v2.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA.AAAA', 'version'],
    ['a short IV', 'v1.AAAA.AAAAAAAAAAAAAAAAAAAAAA.AAAA', 'format'],
    ['a short tag', 'v1.AAAAAAAAAAAAAAAA.AAAA.AAAA', 'format'],
    ['characters outside base64url', 'v1.AAAAAAAAAAAAAAA+.AAAAAAAAAAAAAAAAAAAAAA.AAAA', 'format'],
    ['padding', 'v1.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA==.AAAA', 'format'],
  ])('refuses %s as %s', (_name, value, reason) => {
    expect(refusal(() => sealer.open(value))).toBe(reason);
  });

  it('refuses a non-canonical spelling of a valid value (stray trailing bits)', () => {
    const sealed = sealer.seal('x');
    const parts = sealed.split('.');
    const tag = parts[2] as string; // 16 bytes in 22 characters: the last one carries 4 unused bits
    const last = tag.at(-1) as string;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    parts[2] = tag.slice(0, -1) + alphabet[alphabet.indexOf(last) ^ 1];
    expect(refusal(() => sealer.open(parts.join('.')))).toBe('format');
  });

  it('says clearly why a value cannot be opened', () => {
    expect(() => sealer.open('nonsense')).toThrow('sealed value cannot be opened (format)');
    expect(() => createSealer('')).toThrow(/must not be empty/);
  });
});
