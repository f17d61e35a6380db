import { ConflictError } from '../../src/shared/errors';
import type { GateKey } from '../../src/modules/gate-keys/gate-keys.types';
import { newId } from '../../src/storage/ids';
import type { Storage } from '../../src/features';
import { drivers } from '../helpers/storage';

const T0 = new Date('2096-11-22T02:00:00Z');
const hours = (n: number) => new Date(T0.getTime() + n * 3_600_000);

const key = (over: Partial<GateKey> = {}): GateKey => ({
  id: newId(),
  publicJwk: { kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' },
  privateKeySealed: 'v1.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA.AAAA',
  createdAt: T0, signFrom: T0, signUntil: hours(24), verifyUntil: hours(24.02),
  ...over,
});
const byId = (a: GateKey, b: GateKey) => (a.id < b.id ? -1 : 1);

describe.each(drivers())('gate keys storage contract: $name driver', ({ open }) => {
  let storage: Storage;
  beforeEach(async () => {
    storage = await open();
  });
  afterEach(async () => {
    await storage.close();
  });

  it('stores a key and gives it back as a plain object with its dates', async () => {
    const k = key();
    expect(await storage.gateKeys.insert(k)).toEqual(k);
    const [back] = await storage.gateKeys.listVerifying(T0);
    expect(back).toEqual(k);
    expect(back?.signUntil).toBeInstanceOf(Date);
    expect(Object.keys(back as object).sort()).toEqual(['createdAt', 'id', 'privateKeySealed', 'publicJwk', 'signFrom', 'signUntil', 'verifyUntil']);
  });

  it('refuses a second key with the same id as a conflict', async () => {
    const k = key();
    await storage.gateKeys.insert(k);
    await expect(storage.gateKeys.insert({ ...k, createdAt: hours(1) })).rejects.toBeInstanceOf(ConflictError);
  });

  it('lists only the keys still verifying after the instant asked', async () => {
    const old = key({ signUntil: hours(1), verifyUntil: hours(2) });
    const current = key({ signFrom: hours(1), signUntil: hours(25), verifyUntil: hours(26) });
    const next = key({ createdAt: hours(24), signFrom: hours(25), signUntil: hours(49), verifyUntil: hours(50) });
    for (const k of [old, current, next]) await storage.gateKeys.insert(k);
    expect((await storage.gateKeys.listVerifying(hours(1))).sort(byId)).toEqual([old, current, next].sort(byId));
    expect((await storage.gateKeys.listVerifying(hours(2))).sort(byId)).toEqual([current, next].sort(byId)); // verifyUntil is exclusive
    expect(await storage.gateKeys.listVerifying(hours(49))).toEqual([next]);
    expect(await storage.gateKeys.listVerifying(hours(50))).toEqual([]);
  });

  it('purges the keys that stopped verifying before the instant given, and only those', async () => {
    const old = key({ verifyUntil: hours(2) });
    const live = key({ verifyUntil: hours(26) });
    await storage.gateKeys.insert(old);
    await storage.gateKeys.insert(live);
    expect(await storage.gateKeys.purgeExpired(hours(2))).toBe(0);
    expect(await storage.gateKeys.purgeExpired(hours(3))).toBe(1);
    expect(await storage.gateKeys.listVerifying(T0)).toEqual([live]);
  });
});
