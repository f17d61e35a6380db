import { type Storage } from '../../src/features';
import type { AttestationInput } from '../../src/modules/platforms/platforms.types';
import { newId } from '../../src/storage/ids';
import { drivers } from '../helpers/storage';

// Far in the future: used nonces expire by wall clock (MongoDB's TTL monitor, the embedded purge).
const T0 = new Date('2096-11-22T02:00:00Z');
const T1 = new Date('2096-11-22T03:00:00Z');
const T2 = new Date('2096-11-22T04:00:00Z');
const UNKNOWN = '0123456789abcdef01234567';
const ID = /^[0-9a-f]{24}$/;

const keyId = () => newId();
const attestation = (over: Partial<AttestationInput> = {}): AttestationInput => ({
  riderId: 'r1', platform: '美团', keyId: 'k1', activeSince: new Date('2096-01-01T00:00:00+08:00'), onTimeRate: 0.97,
  atFaultAccidents: 0, complaints: 1, observedAt: T1, receivedAt: T1, ...over,
});

describe.each(drivers())('platforms storage contract: $name driver', ({ open }) => {
  let storage: Storage;
  beforeEach(async () => {
    storage = await open();
  });
  afterEach(async () => {
    await storage.close();
  });

  describe('platform keys', () => {
    it('stores a key under its own id, unrevoked, and gets it back', async () => {
      const id = keyId();
      const key = await storage.platformKeys.create({ id, platform: '饿了么', city: 'chengdu', sealedSecret: 'v1.a.b.c', createdBy: 'admin-1', createdAt: T0 });
      expect(key).toEqual({ id, platform: '饿了么', city: 'chengdu', sealedSecret: 'v1.a.b.c', createdBy: 'admin-1', createdAt: T0, revokedAt: null, revokedBy: null });
      expect(await storage.platformKeys.get(id)).toEqual(key);
      await expect(storage.platformKeys.get(UNKNOWN)).resolves.toBeNull();
      await expect(storage.platformKeys.get('not-an-id')).resolves.toBeNull();
    });

    it('refuses a second key with the same id as a conflict', async () => {
      const id = keyId();
      const input = { id, platform: '美团' as const, city: 'chongqing' as const, sealedSecret: 's', createdBy: 'a', createdAt: T0 };
      await storage.platformKeys.create(input);
      await expect(storage.platformKeys.create(input)).rejects.toMatchObject({ status: 409 });
    });

    it('revokes once: a second revocation keeps the first time and who; unknown ids give null', async () => {
      const id = keyId();
      await storage.platformKeys.create({ id, platform: '美团', city: 'chongqing', sealedSecret: 's', createdBy: 'a', createdAt: T0 });
      const revoked = await storage.platformKeys.revoke(id, 'admin-2', T1);
      expect(revoked).toMatchObject({ id, revokedAt: T1, revokedBy: 'admin-2' });
      expect(await storage.platformKeys.revoke(id, 'admin-3', T2)).toEqual(revoked);
      expect(await storage.platformKeys.get(id)).toEqual(revoked);
      await expect(storage.platformKeys.revoke(UNKNOWN, 'x', T1)).resolves.toBeNull();
      await expect(storage.platformKeys.revoke('nope', 'x', T1)).resolves.toBeNull();
    });

    it('lists one city\'s keys by id with keyset paging', async () => {
      const ids = [keyId(), keyId(), keyId()];
      for (const id of ids) await storage.platformKeys.create({ id, platform: '京东', city: 'chongqing', sealedSecret: 's', createdBy: 'a', createdAt: T0 });
      await storage.platformKeys.create({ id: keyId(), platform: '京东', city: 'chengdu', sealedSecret: 's', createdBy: 'a', createdAt: T0 });
      const first = await storage.platformKeys.list({ city: 'chongqing', limit: 2 });
      const rest = await storage.platformKeys.list({ city: 'chongqing', limit: 2, after: first[1]?.id });
      expect([...first, ...rest].map((k) => k.id)).toEqual(ids);
    });
  });

  describe('attestations', () => {
    it('stores an attestation with a new id and returns it as the rider\'s latest', async () => {
      await expect(storage.attestations.latestFor('r1')).resolves.toBeNull();
      const made = await storage.attestations.create(attestation());
      expect(made).toEqual({ ...attestation(), id: expect.stringMatching(ID) });
      expect(await storage.attestations.latestFor('r1')).toEqual(made);
      await expect(storage.attestations.latestFor('r2')).resolves.toBeNull();
    });

    it('takes the one observed last as latest, whatever the order received, then the one received last on a tie', async () => {
      const newer = await storage.attestations.create(attestation({ observedAt: T2, receivedAt: T1, platform: '饿了么' }));
      await storage.attestations.create(attestation({ observedAt: T1, receivedAt: T2 }));
      await storage.attestations.create(attestation({ riderId: 'r2', observedAt: T2, receivedAt: T2 }));
      expect(await storage.attestations.latestFor('r1')).toEqual(newer);
      const tie = await storage.attestations.create(attestation({ observedAt: T2, receivedAt: T2, complaints: 3 }));
      expect(await storage.attestations.latestFor('r1')).toEqual(tie);
    });
  });

  describe('used nonces', () => {
    it('lets a key claim a nonce once; another key may use the same nonce', async () => {
      expect(await storage.platformNonces.claim('k1', 'nonce-0123456789ab', T2)).toBe(true);
      expect(await storage.platformNonces.claim('k1', 'nonce-0123456789ab', T2)).toBe(false);
      expect(await storage.platformNonces.claim('k2', 'nonce-0123456789ab', T2)).toBe(true);
      expect(await storage.platformNonces.claim('k1', 'nonce-0123456789ac', T2)).toBe(true);
    });

    it('lets exactly one of ten concurrent claims of the same nonce win', async () => {
      const results = await Promise.all(Array.from({ length: 10 }, () => storage.platformNonces.claim('k1', 'race-0123456789abcd', T2)));
      expect(results.filter(Boolean)).toHaveLength(1);
    });
  });
});
