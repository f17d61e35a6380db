import type { Storage } from '../../src/features';
import type { ClaimedEvent, OutboxEventInput } from '../../src/modules/outbox/outbox.types';
import { drivers } from '../helpers/storage';

// Far in the future: acknowledged deliveries are purged 30 days after ackedAt by wall clock (MongoDB's TTL
// monitor, the embedded purge at open), and these instants are their ackedAt values.
const T0 = new Date('2096-11-25T04:00:00Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const LEASE = 60_000;
const CONSUMERS = ['bot', 'wechat'] as const;
const RIDER = '6650a1b2c3d4e5f601234568';
const UNKNOWN = '0123456789abcdef01234567';

let seq = 0;
const event = (over: Partial<OutboxEventInput> = {}): OutboxEventInput => ({
  type: 'access.approved', dedupeId: `access.approved:${++seq}`, recipient: { kind: 'rider', id: RIDER }, city: 'chongqing',
  payload: { compoundName: '龙湖春森彼岸', seq }, ...over,
});
const ids = (events: ReadonlyArray<{ id: string }>) => events.map((e) => e.id);

describe.each(drivers())('outbox storage contract: $name driver', ({ open }) => {
  let storage: Storage;
  beforeEach(async () => {
    storage = await open();
  });
  afterEach(() => storage.close());

  const enqueue = (events: OutboxEventInput[], now = T0) => storage.outbox.enqueue(events, CONSUMERS, now);

  describe('enqueue', () => {
    it('stores each event once with an id and its time, and hands it to every consumer under the same id', async () => {
      const input = event({ payload: { compoundName: '龙湖春森彼岸', nested: { gates: ['北门'] }, empty: {} }, city: null });
      const [stored] = await enqueue([input]);
      expect(stored).toEqual({ ...input, id: expect.stringMatching(/^[0-9a-f]{24}$/), createdAt: T0 });
      const bot = await storage.outbox.claim('bot', 10, LEASE, T0);
      const wechat = await storage.outbox.claim('wechat', 10, LEASE, T0);
      expect(bot).toEqual([{ ...stored, claimToken: expect.any(String), leaseUntil: at(60), attempts: 1 }]);
      expect(ids(wechat)).toEqual([stored?.id]);
      expect(wechat[0]?.claimToken).not.toBe(bot[0]?.claimToken);
      expect(await storage.outbox.claim('someone_else', 10, LEASE, T0)).toEqual([]);
    });

    it('treats a dedupeId written before as a no-op and returns the first event, within one batch too', async () => {
      const [first] = await enqueue([event({ dedupeId: 'pass.revoked:p1', payload: { reason: '第一次' } })]);
      const again = await enqueue([event({ dedupeId: 'pass.revoked:p1', payload: { reason: '第二次' } }), event({ dedupeId: 'x:1' }), event({ dedupeId: 'x:1' })], at(5));
      expect(again[0]).toEqual(first);
      expect(again[2]).toEqual(again[1]);
      const claimed = await storage.outbox.claim('bot', 10, LEASE, at(5));
      expect(claimed.map((e) => [e.dedupeId, e.payload])).toEqual([['pass.revoked:p1', { reason: '第一次' }], ['x:1', expect.any(Object)]]);
    });

    it('keeps a dedupeId once its deliveries are acknowledged', async () => {
      const [first] = await enqueue([event({ dedupeId: 'd-acked' })]);
      for (const c of CONSUMERS) {
        const [e] = await storage.outbox.claim(c, 1, LEASE, T0);
        await storage.outbox.ack(c, e?.id as string, e?.claimToken as string, T0);
      }
      expect((await enqueue([event({ dedupeId: 'd-acked' })], at(10)))[0]?.id).toBe(first?.id);
      expect(await storage.outbox.claim('bot', 10, LEASE, at(10))).toEqual([]);
    });

    it('refuses an empty or repeated consumer list, writing nothing', async () => {
      await expect(storage.outbox.enqueue([event()], [], T0)).rejects.toThrow(RangeError);
      await expect(storage.outbox.enqueue([event()], ['bot', 'bot'], T0)).rejects.toThrow(RangeError);
      expect(await storage.outbox.claim('bot', 10, LEASE, T0)).toEqual([]);
    });
  });

  describe('with the unit of work', () => {
    it('leaves nothing when the unit fails after the enqueue, and the same dedupeId can be written afterwards', async () => {
      if (!storage.transactions) return; // MongoDB without a replica set: documented, nothing to roll back with
      await expect(storage.atomically(async () => {
        await enqueue([event({ dedupeId: 'rolled-back' })]);
        throw new Error('the approval failed');
      })).rejects.toThrow('the approval failed');
      expect(await storage.outbox.claim('bot', 10, LEASE, T0)).toEqual([]);
      expect(await storage.outbox.pending(T0)).toEqual([]);
      const [later] = await enqueue([event({ dedupeId: 'rolled-back' })]);
      expect(ids(await storage.outbox.claim('bot', 10, LEASE, T0))).toEqual([later?.id]);
    });

    it('commits the events with the change that caused them', async () => {
      const [e] = await storage.atomically(async () => {
        await storage.audit.append({
          at: T0, actorId: 'a1', actorRole: 'property_manager', city: 'chongqing', action: 'access.approve',
          objectType: 'access_request', objectId: 'r1', summary: {}, requestId: 'req-outbox',
        });
        return enqueue([event()]);
      });
      expect(await storage.audit.list({ objectId: 'r1', limit: 5 })).toHaveLength(1);
      expect(ids(await storage.outbox.claim('bot', 10, LEASE, T0))).toEqual([e?.id]);
    });
  });

  describe('claim', () => {
    it('hands out the oldest first, at most limit, and nothing under a live lease', async () => {
      const made = await enqueue([event(), event(), event()]);
      const first = await storage.outbox.claim('bot', 2, LEASE, T0);
      expect(ids(first)).toEqual(ids(made.slice(0, 2)));
      expect(ids(await storage.outbox.claim('bot', 2, LEASE, at(1)))).toEqual([made[2]?.id]);
      expect(await storage.outbox.claim('bot', 2, LEASE, at(59))).toEqual([]);
    });

    it('hands an unacknowledged event out again once its lease has run out, with a new token', async () => {
      const [made] = await enqueue([event()]);
      const [first] = await storage.outbox.claim('bot', 5, LEASE, T0);
      expect(await storage.outbox.claim('bot', 5, LEASE, new Date(at(60).getTime() - 1))).toEqual([]);
      const [second] = await storage.outbox.claim('bot', 5, 30_000, at(60));
      expect(second).toMatchObject({ id: made?.id, attempts: 2, leaseUntil: at(90) });
      expect(second?.claimToken).not.toBe(first?.claimToken);
    });

    it('never gives one delivery to two claims running at once', async () => {
      const made = await enqueue(Array.from({ length: 30 }, () => event()));
      const batches = await Promise.all([1, 2, 3].map(() => storage.outbox.claim('bot', 15, LEASE, T0)));
      const claimed = batches.flatMap(ids);
      expect(new Set(claimed).size).toBe(claimed.length);
      expect([...claimed].sort()).toEqual(ids(made).sort());
    });

    it('leaves the other consumer\'s delivery of the same event alone', async () => {
      await enqueue([event()]);
      const [bot] = await storage.outbox.claim('bot', 5, LEASE, T0);
      await storage.outbox.ack('bot', bot?.id as string, bot?.claimToken as string, T0);
      expect(ids(await storage.outbox.claim('wechat', 5, LEASE, T0))).toEqual([bot?.id]);
    });
  });

  describe('ack', () => {
    let claimed: ClaimedEvent;
    beforeEach(async () => {
      await enqueue([event()]);
      [claimed] = (await storage.outbox.claim('bot', 1, LEASE, T0)) as [ClaimedEvent];
    });

    it('acknowledges once; again is "already", and the event is not handed out again', async () => {
      expect(await storage.outbox.ack('bot', claimed.id, claimed.claimToken, at(1))).toBe('acked');
      expect(await storage.outbox.ack('bot', claimed.id, claimed.claimToken, at(2))).toBe('already');
      expect(await storage.outbox.claim('bot', 5, LEASE, at(120))).toEqual([]);
    });

    it('answers "stale" to the token of a lease that ran out and was claimed again, and takes the new one', async () => {
      const [again] = (await storage.outbox.claim('bot', 1, LEASE, at(61))) as [ClaimedEvent];
      expect(await storage.outbox.ack('bot', claimed.id, claimed.claimToken, at(62))).toBe('stale');
      expect(await storage.outbox.ack('bot', again.id, again.claimToken, at(62))).toBe('acked');
      expect(await storage.outbox.ack('bot', claimed.id, claimed.claimToken, at(63))).toBe('already');
    });

    it('still takes the token of a lease that ran out when nobody claimed it since', async () => {
      expect(await storage.outbox.ack('bot', claimed.id, claimed.claimToken, at(600))).toBe('acked');
    });

    it('answers "unknown" for an event it does not hold for that consumer, and "stale" for a wrong token', async () => {
      expect(await storage.outbox.ack('bot', UNKNOWN, claimed.claimToken, at(1))).toBe('unknown');
      expect(await storage.outbox.ack('nobody', claimed.id, claimed.claimToken, at(1))).toBe('unknown');
      expect(await storage.outbox.ack('bot', claimed.id, 'not-the-token', at(1))).toBe('stale');
      expect(await storage.outbox.ack('wechat', claimed.id, claimed.claimToken, at(1))).toBe('stale'); // never claimed by wechat
    });
  });

  describe('release', () => {
    let claimed: ClaimedEvent;
    beforeEach(async () => {
      await enqueue([event()]);
      [claimed] = (await storage.outbox.claim('bot', 1, LEASE, T0)) as [ClaimedEvent];
    });

    it('gives a claimed event back at once, and its old token no longer acknowledges it', async () => {
      expect(await storage.outbox.release('bot', claimed.id, claimed.claimToken, at(1))).toBe('released');
      expect(await storage.outbox.release('bot', claimed.id, claimed.claimToken, at(1))).toBe('stale');
      const [again] = (await storage.outbox.claim('bot', 1, LEASE, at(1))) as [ClaimedEvent];
      expect(again).toMatchObject({ id: claimed.id, attempts: 2 });
      expect(await storage.outbox.ack('bot', claimed.id, claimed.claimToken, at(2))).toBe('stale');
      expect(await storage.outbox.ack('bot', again.id, again.claimToken, at(2))).toBe('acked');
      expect(await storage.outbox.release('bot', again.id, again.claimToken, at(3))).toBe('already');
      expect(await storage.outbox.release('bot', UNKNOWN, again.claimToken, at(3))).toBe('unknown');
    });

    it('holds a released event back for the delay it was given', async () => {
      await storage.outbox.release('bot', claimed.id, claimed.claimToken, at(1), 30_000);
      expect(await storage.outbox.claim('bot', 1, LEASE, at(30))).toEqual([]);
      expect(ids(await storage.outbox.claim('bot', 1, LEASE, at(31)))).toEqual([claimed.id]);
    });
  });

  it('counts what each consumer has not acknowledged: ready now, and leased', async () => {
    expect(await storage.outbox.pending(T0)).toEqual([]);
    await enqueue([event(), event(), event()]);
    const [a, b] = await storage.outbox.claim('bot', 2, LEASE, T0);
    await storage.outbox.ack('bot', a?.id as string, a?.claimToken as string, T0);
    expect(b).toBeDefined();
    expect(await storage.outbox.pending(at(1))).toEqual([
      { consumer: 'bot', ready: 1, leased: 1 },
      { consumer: 'wechat', ready: 3, leased: 0 },
    ]);
    expect(await storage.outbox.pending(at(60))).toEqual([
      { consumer: 'bot', ready: 2, leased: 0 },
      { consumer: 'wechat', ready: 3, leased: 0 },
    ]);
  });
});
