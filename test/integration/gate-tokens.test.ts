import { createHmac, createPrivateKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify, SignJWT } from 'jose';
import { createGateTokens, gateTokensFor, type GateTokens } from '../../src/modules/gate-keys/gate-tokens';
import type { GateKey, GateKeysStorage } from '../../src/modules/gate-keys/gate-keys.types';
import { loadConfig } from '../../src/shared/config';
import { createSealer } from '../../src/shared/sealed';
import { fixedClock } from '../../src/shared/time';
import { newId } from '../../src/storage/ids';
import type { Storage } from '../../src/features';
import { buildTestApp, type TestApp } from '../helpers/app';
import { drivers } from '../helpers/storage';

const T0 = new Date('2096-11-22T02:00:00Z');
const S = 1000;
const MIN = 60 * S;
const HOUR = 60 * MIN;
const config = { gateTokens: { keyRotationHours: 1, ttlSeconds: 60 } };
const sealer = createSealer('gate-tokens-test-secret-0123456789abcdef');
const claims = { passId: 'pass-1', compoundId: 'compound-1' };
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

/** The real private key of a stored gate key, as an attacker who stole it (or a test) would hold it. */
function privateKeyOf(k: GateKey): KeyObject {
  return createPrivateKey({ key: sealer.open(k.privateKeySealed, `gate-key:${k.id}`), format: 'der', type: 'pkcs8' });
}

/** A compact JWS over any header and payload, signed with the given Ed25519 key by node:crypto (no library checks). */
async function signRaw(header: Record<string, unknown>, payload: unknown, key: KeyObject): Promise<string> {
  const input = `${b64({ alg: 'EdDSA', ...header })}.${b64(payload)}`;
  return `${input}.${sign(null, Buffer.from(input), key).toString('base64url')}`;
}

/** Counts storage reads of the key list, passing every call through to the real repository. */
function counting(storage: GateKeysStorage) {
  const seen = { lists: 0 };
  const gateKeys = { ...storage.gateKeys, listVerifying: (at: Date) => { seen.lists++; return storage.gateKeys.listVerifying(at); } };
  return { storage: { gateKeys }, seen };
}

describe.each(drivers())('QR tokens of passes: $name driver', ({ open }) => {
  let storage: Storage;
  let clock: ReturnType<typeof fixedClock>;
  let tokens: GateTokens;
  const stored = async () => storage.gateKeys.listVerifying(new Date(0));
  const payload = (token: string) => decodeJwt(token);

  beforeEach(async () => {
    storage = await open();
    clock = fixedClock(T0);
    tokens = createGateTokens({ storage, clock, sealer, config });
  });
  afterEach(async () => {
    await storage.close();
  });

  it('issues a compact EdDSA JWS of type pass+jwt that verifies to its pass and compound', async () => {
    const { token, expiresInSeconds } = await tokens.issue(claims);
    expect(expiresInSeconds).toBe(60);
    const [key] = await stored();
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'EdDSA', kid: key?.id, typ: 'pass+jwt' });
    const p = payload(token);
    expect(Object.keys(p).sort()).toEqual(['cid', 'exp', 'iat', 'jti', 'pid']);
    expect(p).toMatchObject({ pid: 'pass-1', cid: 'compound-1', iat: T0.getTime() / S, exp: T0.getTime() / S + 60 });
    expect(await tokens.verify(token)).toEqual({
      ok: true, passId: 'pass-1', compoundId: 'compound-1', jti: p.jti, exp: new Date(T0.getTime() + 60 * S),
    });
  });

  it('gives every token a unique random jti', async () => {
    const jtis = new Set<unknown>();
    for (let i = 0; i < 20; i++) jtis.add(payload((await tokens.issue(claims)).token).jti);
    expect(jtis.size).toBe(20);
    for (const jti of jtis) expect(jti).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('lives 60 s, with 5 s of leeway, and no longer', async () => {
    const { token } = await tokens.issue(claims);
    expect((await tokens.verify(token, new Date(T0.getTime() + 65 * S))).ok).toBe(true);
    expect(await tokens.verify(token, new Date(T0.getTime() + 66 * S))).toEqual({ ok: false, reason: 'expired' });
  });

  it('keeps the configured lifetime when it is shorter than 60 s', async () => {
    const short = createGateTokens({ storage, clock, sealer, config: { gateTokens: { keyRotationHours: 1, ttlSeconds: 20 } } });
    const { token, expiresInSeconds } = await short.issue(claims);
    expect(expiresInSeconds).toBe(20);
    expect(await short.verify(token, new Date(T0.getTime() + 26 * S))).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses a token issued more than 5 s in the verifier\'s future as not yet valid', async () => {
    const ahead = await tokens.issue(claims, new Date(T0.getTime() + 6 * S));
    expect(await tokens.verify(ahead.token, T0)).toEqual({ ok: false, reason: 'not_yet_valid' });
    const slightly = await tokens.issue(claims, new Date(T0.getTime() + 5 * S));
    expect((await tokens.verify(slightly.token, T0)).ok).toBe(true);
  });

  it('rotates keys: the next key is published ahead, signs from the end of the last, and old tokens verify until they expire', async () => {
    const first = await tokens.issue(claims);
    const k1 = decodeProtectedHeader(first.token).kid;
    expect((await tokens.jwks()).keys.map((k) => k.kid)).toEqual([k1]);

    clock.set(new Date(T0.getTime() + 30 * MIN)); // within the last half hour of a 1-hour key: the next one is made now
    const stillFirst = await tokens.issue(claims);
    expect(decodeProtectedHeader(stillFirst.token).kid).toBe(k1);
    const published = (await tokens.jwks()).keys.map((k) => k.kid);
    expect(published).toHaveLength(2);
    const k2 = published[0];
    expect(published[1]).toBe(k1);

    clock.set(new Date(T0.getTime() + HOUR - S));
    const lastOfK1 = await tokens.issue(claims);
    expect(decodeProtectedHeader(lastOfK1.token).kid).toBe(k1);
    clock.set(new Date(T0.getTime() + HOUR));
    const firstOfK2 = await tokens.issue(claims);
    expect(decodeProtectedHeader(firstOfK2.token).kid).toBe(k2);

    clock.set(new Date(T0.getTime() + HOUR + 50 * S)); // a new key signs, the old one's last token still verifies
    expect((await tokens.verify(lastOfK1.token)).ok).toBe(true);
    expect((await tokens.verify(firstOfK2.token)).ok).toBe(true);
    expect((await tokens.jwks()).keys.map((k) => k.kid)).toEqual([k2, k1]);

    clock.set(new Date(T0.getTime() + HOUR + 65 * S)); // k1's verifyUntil: gone from the JWKS and from verification
    expect((await tokens.jwks()).keys.map((k) => k.kid)).toEqual([k2]);
    expect(await tokens.verify(lastOfK1.token, new Date(T0.getTime() + HOUR + 64 * S))).toEqual({ ok: false, reason: 'unknown_key' });
  });

  it('makes a new key when every key has stopped signing, and purges the expired ones', async () => {
    const first = await tokens.issue(claims);
    clock.set(new Date(T0.getTime() + 3 * HOUR)); // no token for hours: no next key was made in advance
    const later = await tokens.issue(claims);
    expect(decodeProtectedHeader(later.token).kid).not.toBe(decodeProtectedHeader(first.token).kid);
    expect((await stored()).map((k) => k.id)).toEqual([decodeProtectedHeader(later.token).kid]);
  });

  it('stores the private key only sealed, bound to its key id', async () => {
    await tokens.issue(claims);
    const [k] = await stored();
    expect(k?.privateKeySealed).toMatch(/^v1\./);
    expect(() => sealer.open((k as GateKey).privateKeySealed)).toThrow(/cannot be opened/);
    expect(() => createSealer('another-secret-0123456789abcdef012345').open((k as GateKey).privateKeySealed, `gate-key:${k?.id}`)).toThrow(/cannot be opened/);
  });

  it('signs after a restart with the stored key (a new instance opens the sealed private key)', async () => {
    const before = await tokens.issue(claims);
    const restarted = createGateTokens({ storage, clock, sealer, config });
    const after = await restarted.issue(claims);
    expect(decodeProtectedHeader(after.token).kid).toBe(decodeProtectedHeader(before.token).kid);
    expect((await restarted.verify(before.token)).ok).toBe(true);
    expect((await tokens.verify(after.token)).ok).toBe(true);
  });

  it('refuses a tampered payload as a bad signature', async () => {
    const { token } = await tokens.issue(claims);
    const [h, , sig] = token.split('.');
    const forged = `${h}.${b64({ ...payload(token), pid: 'pass-2' })}.${sig}`;
    expect(await tokens.verify(forged)).toEqual({ ok: false, reason: 'bad_signature' });
    const flipped = `${h}.${token.split('.')[1]}.${(sig as string).slice(0, -2)}${(sig as string).at(-2) === 'A' ? 'B' : 'A'}${(sig as string).at(-1)}`;
    expect(await tokens.verify(flipped)).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('refuses alg none and HS256 tokens as wrong_alg, even an HS256 one keyed with the public key', async () => {
    const { token } = await tokens.issue(claims);
    const { kid } = decodeProtectedHeader(token);
    const body = token.split('.')[1];
    expect(await tokens.verify(`${b64({ alg: 'none', kid, typ: 'pass+jwt' })}.${body}.`)).toEqual({ ok: false, reason: 'wrong_alg' });
    const [jwk] = (await tokens.jwks()).keys;
    const hs = await new SignJWT(payload(token)).setProtectedHeader({ alg: 'HS256', kid, typ: 'pass+jwt' }).sign(Buffer.from(jwk?.x as string));
    expect(await tokens.verify(hs)).toEqual({ ok: false, reason: 'wrong_alg' });
    const input = `${b64({ alg: 'HS256', kid, typ: 'pass+jwt' })}.${body}`;
    const raw = `${input}.${createHmac('sha256', Buffer.from(jwk?.x as string, 'base64url')).update(input).digest('base64url')}`;
    expect(await tokens.verify(raw)).toEqual({ ok: false, reason: 'wrong_alg' });
    for (const alg of ['ES256', 'RS256', 'Ed25519', 'eddsa']) {
      expect(await tokens.verify(`${b64({ alg, kid, typ: 'pass+jwt' })}.${body}.${token.split('.')[2]}`)).toEqual({ ok: false, reason: 'wrong_alg' });
    }
  });

  it('refuses a token signed by a foreign Ed25519 key under a real kid as a bad signature, and under an unknown kid as unknown_key', async () => {
    const { token } = await tokens.issue(claims);
    const { kid } = decodeProtectedHeader(token);
    const foreign = generateKeyPairSync('ed25519').privateKey;
    expect(await tokens.verify(await signRaw({ kid, typ: 'pass+jwt' }, payload(token), foreign))).toEqual({ ok: false, reason: 'bad_signature' });
    expect(await tokens.verify(await signRaw({ kid: newId(), typ: 'pass+jwt' }, payload(token), foreign))).toEqual({ ok: false, reason: 'unknown_key' });
  });

  it.each([
    ['an empty string', ''],
    ['plain text', 'not a token'],
    ['two parts', 'a.b'],
    ['garbage in three parts', 'a.b.c'],
    ['five parts (a JWE)', 'a.b.c.d.e'],
    ['a header that is not JSON', `${Buffer.from('{oops').toString('base64url')}.e30.sig`],
    ['an oversized token', `${b64({ alg: 'EdDSA', kid: 'k', typ: 'pass+jwt' })}.${'A'.repeat(3000)}.sig`],
  ])('refuses %s as malformed', async (_name, value) => {
    expect(await tokens.verify(value)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('refuses a non-string as malformed', async () => {
    expect(await tokens.verify(42 as unknown as string)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('refuses genuinely signed tokens whose header or claims are not what it issues as malformed', async () => {
    const { token } = await tokens.issue(claims);
    const [k] = await stored();
    const key = privateKeyOf(k as GateKey);
    const p = payload(token);
    const header = { kid: k?.id, typ: 'pass+jwt' };
    const cases: Array<[Record<string, unknown>, unknown]> = [
      [{ kid: k?.id, typ: 'JWT' }, p], // another kind of token
      [{ kid: k?.id }, p],
      [{ typ: 'pass+jwt' }, p], // no kid
      [{ ...header, crit: ['exp'], exp: 1 }, p],
      [header, { ...p, pid: undefined }],
      [header, { ...p, cid: 7 }],
      [header, { ...p, jti: '' }],
      [header, { ...p, pid: 'x'.repeat(65) }],
      [header, { ...p, exp: (p.iat as number) + 3600 }], // longer than 60 s
      [header, { ...p, exp: p.iat }],
      [header, { ...p, iat: 'now' }],
      [header, [p]],
      [header, 'text'],
    ];
    for (const [h, body] of cases) expect([h, body, await tokens.verify(await signRaw(h, body, key))]).toEqual([h, body, { ok: false, reason: 'malformed' }]);
  });

  it('serves keys from memory, reloads after a few seconds, and on an unknown kid at most once a second', async () => {
    const { token } = await tokens.issue(claims);
    const spy = counting(storage);
    const gate = createGateTokens({ storage: spy.storage, clock, sealer, config });
    for (let i = 0; i < 50; i++) expect((await gate.verify(token)).ok).toBe(true);
    expect(spy.seen.lists).toBe(1);

    // Another instance makes a key: this one learns of it on the first token signed with it, without waiting.
    const other = generateKeyPairSync('ed25519');
    const id = newId();
    const { x } = other.publicKey.export({ format: 'jwk' });
    await storage.gateKeys.insert({
      id, publicJwk: { kty: 'OKP', crv: 'Ed25519', x: x as string }, createdAt: T0, signFrom: T0,
      signUntil: new Date(T0.getTime() + HOUR), verifyUntil: new Date(T0.getTime() + HOUR + 65 * S),
      privateKeySealed: sealer.seal(other.privateKey.export({ format: 'der', type: 'pkcs8' }), `gate-key:${id}`),
    });
    const fromOther = await signRaw({ kid: id, typ: 'pass+jwt' }, payload(token), other.privateKey);
    expect((await gate.verify(fromOther)).ok).toBe(true);
    expect(spy.seen.lists).toBe(2);

    const unknown = await signRaw({ kid: newId(), typ: 'pass+jwt' }, payload(token), other.privateKey);
    expect(await gate.verify(unknown)).toEqual({ ok: false, reason: 'unknown_key' }); // a miss a second after the last reload: reloads
    for (let i = 0; i < 20; i++) expect(await gate.verify(unknown)).toEqual({ ok: false, reason: 'unknown_key' });
    expect(spy.seen.lists).toBe(2); // the same instant: the miss did not reach storage again

    clock.advance(5 * S);
    expect((await gate.verify(token)).ok).toBe(true);
    expect(spy.seen.lists).toBe(3); // the cache is 5 s old: reloaded once
  });
});

describe('GET /.well-known/jwks.json', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('publishes the signing key before any token exists, public and cacheable', async () => {
    const res = await t.http.get('/.well-known/jwks.json');
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=300');
    expect(res.body).toEqual({ keys: [{ kty: 'OKP', crv: 'Ed25519', x: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), kid: expect.stringMatching(/^[0-9a-f]{24}$/), alg: 'EdDSA', use: 'sig' }] });
    expect(JSON.stringify(res.body)).not.toMatch(/"d"/); // no private part
  });

  it('lets a gate device verify a QR token offline with nothing but the JWKS', async () => {
    const tokens = gateTokensFor(t);
    const { token } = await tokens.issue({ passId: 'p-42', compoundId: 'c-7' });
    const jwks = (await t.http.get('/.well-known/jwks.json')).body;
    const device = createLocalJWKSet(jwks);
    const { payload, protectedHeader } = await jwtVerify(token, device, { algorithms: ['EdDSA'], typ: 'pass+jwt', currentDate: t.clock.now() });
    expect(payload).toMatchObject({ pid: 'p-42', cid: 'c-7' });
    expect(protectedHeader.kid).toBe(jwks.keys[0].kid);
    await expect(jwtVerify(token, device, { algorithms: ['EdDSA'], currentDate: new Date(t.clock.now().getTime() + 61 * S) })).rejects.toThrow(/exp/);
    const forged = generateKeyPairSync('ed25519').privateKey;
    const fake = await new SignJWT({ pid: 'p-42', cid: 'c-7', jti: 'x' }).setProtectedHeader({ alg: 'EdDSA', kid: protectedHeader.kid, typ: 'pass+jwt' })
      .setIssuedAt().setExpirationTime('60s').sign(forged);
    await expect(jwtVerify(fake, device, { algorithms: ['EdDSA'], currentDate: t.clock.now() })).rejects.toThrow(/signature/);
  });

  it('is the same key set the app signs with (one key ring per app)', async () => {
    expect(gateTokensFor(t)).toBe(gateTokensFor({ storage: t.storage, clock: t.clock, config: loadConfig({ NODE_ENV: 'test' }) }));
  });
});
