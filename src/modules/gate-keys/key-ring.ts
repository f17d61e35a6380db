import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { importJWK, type CryptoKey } from 'jose';
import type { Sealer } from '../../shared/sealed';
import type { Clock } from '../../shared/time';
import { newId } from '../../storage/ids';
import type { Ed25519PublicJwk, GateKey, GateKeysStorage } from './gate-keys.types';

/** A token lives at most this long, whatever the configuration says; keys verify this long past their last signature. */
export const MAX_TOKEN_TTL_S = 60;
/** Clock difference tolerated between the signer and a verifier, on exp and iat. */
export const LEEWAY_S = 5;
/** How long the key list is served from memory; a key made by another instance is seen within this time. */
export const KEY_CACHE_MS = 5_000;
/** An unknown kid reloads the list at most this often (it may be a key another instance has just made). */
const MISS_RELOAD_MS = 1_000;
/** How long before the signing key stops a next one is made and published, so devices know it before it signs. */
const nextKeyLeadMs = (rotationMs: number) => Math.min(3_600_000, rotationMs / 2);

export interface LoadedKey {
  key: GateKey;
  publicKey: CryptoKey;
}

export interface KeyRingDeps {
  storage: GateKeysStorage;
  clock: Clock;
  sealer: Sealer;
  rotationHours: number;
}

const sealContext = (id: string) => `gate-key:${id}`;
const newest = (a: GateKey, b: GateKey) =>
  b.signFrom.getTime() - a.signFrom.getTime() || b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1);

/** Signing and verifying keys of the QR tokens, made and rotated on demand, cached briefly in memory. */
export function createKeyRing(deps: KeyRingDeps) {
  const rotationMs = deps.rotationHours * 3_600_000;
  const loaded = new Map<string, LoadedKey>();
  const privateKeys = new Map<string, KeyObject>();
  let loadedAt = -Infinity;
  let lastMiss = -Infinity;
  let reloading: Promise<void> | null = null;
  let creating: Promise<GateKey> | null = null;

  /** Adds the stored keys not known yet and forgets the expired ones (a key is never removed before verifyUntil). */
  async function reload(): Promise<void> {
    const now = deps.clock.now();
    for (const key of await deps.storage.gateKeys.listVerifying(now)) {
      if (!loaded.has(key.id)) loaded.set(key.id, { key, publicKey: await importPublic(key.publicJwk) });
    }
    for (const [id, k] of loaded) {
      if (k.key.verifyUntil <= now) {
        loaded.delete(id);
        privateKeys.delete(id);
      }
    }
    loadedAt = now.getTime();
  }

  /** Reloads when the cache is older than KEY_CACHE_MS (or when forced); one reload runs at a time. */
  async function refresh(force = false): Promise<void> {
    if (!force && deps.clock.now().getTime() - loadedAt < KEY_CACHE_MS) return;
    reloading ??= reload().finally(() => { reloading = null; });
    await reloading;
  }

  /** Keys still verifying at `now`, newest first. */
  async function verifying(now: Date): Promise<LoadedKey[]> {
    await refresh();
    return [...loaded.values()].filter((k) => k.key.verifyUntil > now).sort((a, b) => newest(a.key, b.key));
  }

  /** The verifying key with this kid, reloading (at most once a second) when it is not known yet. */
  async function byKid(kid: string, now: Date): Promise<LoadedKey | null> {
    await refresh();
    const miss = () => { const k = loaded.get(kid); return !k || k.key.verifyUntil <= now; };
    const clockMs = deps.clock.now().getTime();
    if (miss() && clockMs - lastMiss >= MISS_RELOAD_MS) {
      lastMiss = clockMs;
      await refresh(true);
    }
    return miss() ? null : (loaded.get(kid) as LoadedKey);
  }

  async function create(signFrom: Date, now: Date): Promise<GateKey> {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const id = newId();
    const { kty, crv, x } = publicKey.export({ format: 'jwk' });
    if (kty !== 'OKP' || crv !== 'Ed25519' || !x) throw new Error('gate keys: Node did not export an Ed25519 JWK');
    const publicJwk: Ed25519PublicJwk = { kty, crv, x };
    const signUntil = new Date(signFrom.getTime() + rotationMs);
    const key: GateKey = {
      id, publicJwk, createdAt: now, signFrom, signUntil,
      privateKeySealed: deps.sealer.seal(privateKey.export({ format: 'der', type: 'pkcs8' }), sealContext(id)),
      verifyUntil: new Date(signUntil.getTime() + (MAX_TOKEN_TTL_S + LEEWAY_S) * 1000),
    };
    await deps.storage.gateKeys.insert(key);
    await deps.storage.gateKeys.purgeExpired(now);
    loaded.set(id, { key, publicKey: await importPublic(publicJwk) });
    privateKeys.set(id, privateKey);
    return key;
  }

  /** Makes a key unless one is being made in this process already (two instances may both make one: both stay valid). */
  function createOnce(signFrom: Date, now: Date): Promise<GateKey> {
    creating ??= create(signFrom, now).finally(() => { creating = null; });
    return creating;
  }

  const signsAt = (k: GateKey, now: Date) => k.signFrom <= now && now < k.signUntil;

  const signingAmong = (now: Date): GateKey | undefined =>
    [...loaded.values()].map((k) => k.key).filter((k) => signsAt(k, now)).sort(newest)[0];

  /** The newest key signing at `now`; when none (first start, or every key has stopped), one is made. */
  async function current(now: Date): Promise<GateKey> {
    await refresh();
    const known = signingAmong(now);
    if (known) return known;
    await refresh(true); // another instance may have made one
    const stored = signingAmong(now);
    if (stored) return stored;
    const made = await createOnce(now, now);
    return signsAt(made, now) ? made : create(now, now); // the one in flight was a next key, not one for now
  }

  /** The key that signs at `now`; once it nears its end a next key is made and published ahead of signing. */
  async function signing(now: Date): Promise<{ key: GateKey; privateKey: KeyObject }> {
    const key = await current(now);
    const hasNext = [...loaded.values()].some((k) => k.key.signUntil > key.signUntil);
    if (!hasNext && key.signUntil.getTime() - now.getTime() <= nextKeyLeadMs(rotationMs)) await createOnce(key.signUntil, now);
    return { key, privateKey: privateOf(key) };
  }

  function privateOf(key: GateKey): KeyObject {
    let k = privateKeys.get(key.id);
    if (!k) {
      k = createPrivateKey({ key: deps.sealer.open(key.privateKeySealed, sealContext(key.id)), format: 'der', type: 'pkcs8' });
      privateKeys.set(key.id, k);
    }
    return k;
  }

  return { verifying, byKid, signing };
}

export type KeyRing = ReturnType<typeof createKeyRing>;

async function importPublic(jwk: Ed25519PublicJwk): Promise<CryptoKey> {
  return (await importJWK({ ...jwk, alg: 'EdDSA' }, 'EdDSA')) as CryptoKey;
}
