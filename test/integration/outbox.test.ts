import { createOutbox } from '../../src/modules/outbox/outbox.service';
import type { OutboxEventInput } from '../../src/modules/outbox/outbox.types';
import { buildTestApp, type TestApp } from '../helpers/app';

const RIDER = '6650a1b2c3d4e5f601234568';
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

let t: TestApp;
let bot: { 'X-Bot-Token': string };
let seq = 0;
const event = (over: Partial<OutboxEventInput> = {}): OutboxEventInput => ({
  type: 'access.approved', dedupeId: `access.approved:http-${++seq}`, recipient: { kind: 'rider', id: RIDER }, city: 'chongqing',
  payload: { compoundName: '龙湖春森彼岸', validTo: '2026-12-25T04:00:00.000Z' }, ...over,
});
const emit = (events: OutboxEventInput[]) => createOutbox({ storage: t.storage, config: t.config, clock: t.clock }).emit(events);
const claim = (body: object = {}) => t.http.post('/api/v1/outbox/claim').set(bot).send(body);

beforeEach(async () => {
  t = await buildTestApp();
  bot = { 'X-Bot-Token': t.config.botToken };
});
afterEach(() => t.close());

describe('POST /api/v1/outbox/claim', () => {
  it('answers an empty batch when nothing is waiting', async () => {
    const res = await claim();
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: [] });
  });

  it('hands the bot the events written for it, with a claim token and lease, oldest first, limit respected', async () => {
    const [first, second] = await emit([event(), event({ type: 'pass.revoked', payload: { compoundName: '龙湖春森彼岸', reason: '多次违规停车' } }), event()]);
    const res = await claim({ limit: 2 });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([
      {
        id: first?.id, type: 'access.approved', dedupeId: first?.dedupeId, recipient: { kind: 'rider', id: RIDER }, city: 'chongqing',
        payload: { compoundName: '龙湖春森彼岸', validTo: '2026-12-25T04:00:00.000Z' },
        createdAt: t.clock.now().toISOString(), claimToken: expect.any(String), leaseUntil: new Date(t.clock.now().getTime() + 60_000).toISOString(), attempts: 1,
      },
      expect.objectContaining({ id: second?.id, type: 'pass.revoked', payload: { compoundName: '龙湖春森彼岸', reason: '多次违规停车' }, createdAt: expect.stringMatching(ISO) }),
    ]);
    expect((await claim()).body.data).toHaveLength(1);
    expect((await claim()).body.data).toEqual([]);
  });

  it('takes the lease asked for, and hands an unacknowledged event out again after it', async () => {
    const [e] = await emit([event()]);
    const first = await claim({ leaseSeconds: 5 });
    expect(first.body.data[0].leaseUntil).toBe(new Date(t.clock.now().getTime() + 5000).toISOString());
    t.clock.advance(4999);
    expect((await claim()).body.data).toEqual([]);
    t.clock.advance(1);
    const again = await claim();
    expect(again.body.data).toEqual([expect.objectContaining({ id: e?.id, attempts: 2 })]);
    expect(again.body.data[0].claimToken).not.toBe(first.body.data[0].claimToken);
  });

  it('keeps the consumers apart: the wechat delivery of an event is the wechat worker\'s, never claimed over HTTP', async () => {
    const [e] = await emit([event()]);
    const wechat = await claim({ consumer: 'wechat' });
    expect(wechat.status).toBe(422);
    expect(wechat.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'consumer' })]));
    expect((await claim({ consumer: 'bot' })).body.data.map((x: { id: string }) => x.id)).toEqual([e?.id]);
    expect(await t.storage.outbox.pending(t.clock.now())).toEqual(expect.arrayContaining([{ consumer: 'wechat', ready: 1, leased: 0 }]));
  });

  it.each<[string, object, string]>([
    ['an unknown consumer', { consumer: 'sms' }, 'consumer'],
    ['a consumer name that is not text', { consumer: 7 }, 'consumer'],
    ['a limit of 0', { limit: 0 }, 'limit'],
    ['a limit over 100', { limit: 101 }, 'limit'],
    ['a limit in quotes', { limit: '20' }, 'limit'],
    ['a lease under 5 s', { leaseSeconds: 4 }, 'leaseSeconds'],
    ['a lease over 600 s', { leaseSeconds: 601 }, 'leaseSeconds'],
    ['a field it does not know', { consumers: 'bot' }, 'consumers'],
  ])('refuses %s with 422 naming the field, and leases nothing', async (_name, body, field) => {
    await emit([event()]);
    const res = await claim(body);
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'unprocessable', message: expect.stringContaining(field) });
    expect(res.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    expect(await t.storage.outbox.pending(t.clock.now())).toEqual(expect.arrayContaining([{ consumer: 'bot', ready: 1, leased: 0 }]));
  });

  it.each<[string, () => Record<string, string>]>([
    ['without X-Bot-Token', () => ({})],
    ['with a wrong X-Bot-Token', () => ({ 'X-Bot-Token': `${t.config.botToken}x` })],
    ['with a city administrator\'s bearer token', () => t.admin],
  ])('refuses a claim %s (401) and leases nothing', async (_name, headers) => {
    await emit([event()]);
    const res = await t.http.post('/api/v1/outbox/claim').set(headers()).send({});
    expect(res.status).toBe(401);
    expect(await t.storage.outbox.pending(t.clock.now())).toEqual(expect.arrayContaining([{ consumer: 'bot', ready: 1, leased: 0 }]));
  });
});

describe('POST /api/v1/outbox/ack and /release', () => {
  const handleOf = (x: { id: string; claimToken: string }) => ({ id: x.id, claimToken: x.claimToken });

  it('acknowledges each event once and says what became of each one', async () => {
    await emit([event(), event()]);
    const [a, b] = (await claim()).body.data;
    const res = await t.http.post('/api/v1/outbox/ack').set(bot).send({ acks: [handleOf(a), { id: b.id, claimToken: 'not-the-token' }, { id: '0123456789abcdef01234567', claimToken: 'x' }] });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: [{ id: a.id, result: 'acked' }, { id: b.id, result: 'stale' }, { id: '0123456789abcdef01234567', result: 'unknown' }] });
    const again = await t.http.post('/api/v1/outbox/ack').set(bot).send({ consumer: 'bot', acks: [handleOf(a), handleOf(b)] });
    expect(again.body.data).toEqual([{ id: a.id, result: 'already' }, { id: b.id, result: 'acked' }]);
    t.clock.advance(3600_000);
    expect((await claim()).body.data).toEqual([]);
    expect((await t.http.get('/api/v1/outbox/stats').set(bot)).body).toEqual({ data: [
      { consumer: 'bot', ready: 0, leased: 0 }, { consumer: 'wechat', ready: 2, leased: 0 },
    ] });
  });

  it('answers "stale" to an ack whose lease ran out and was claimed again', async () => {
    await emit([event()]);
    const [first] = (await claim({ leaseSeconds: 5 })).body.data;
    t.clock.advance(5000);
    const [second] = (await claim()).body.data;
    const res = await t.http.post('/api/v1/outbox/ack').set(bot).send({ acks: [handleOf(first), handleOf(second)] });
    expect(res.body.data.map((r: { result: string }) => r.result)).toEqual(['stale', 'acked']);
  });

  it('gives events back for another claim, after the wait asked for', async () => {
    await emit([event()]);
    const [e] = (await claim()).body.data;
    const res = await t.http.post('/api/v1/outbox/release').set(bot).send({ releases: [handleOf(e)], retryAfterSeconds: 30 });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: [{ id: e.id, result: 'released' }] });
    expect((await t.http.get('/api/v1/outbox/stats').set(bot)).body.data[0]).toEqual({ consumer: 'bot', ready: 0, leased: 1 });
    t.clock.advance(29_999);
    expect((await claim()).body.data).toEqual([]);
    t.clock.advance(1);
    expect((await claim()).body.data).toEqual([expect.objectContaining({ id: e.id, attempts: 2 })]);
  });

  it.each<[string, string, object, string]>([
    ['no acks', 'ack', { acks: [] }, 'acks'],
    ['no acks field', 'ack', {}, 'acks'],
    ['over 100 acks', 'ack', { acks: Array.from({ length: 101 }, () => ({ id: '0123456789abcdef01234567', claimToken: 'x' })) }, 'acks'],
    ['an id that is not an event id', 'ack', { acks: [{ id: 'abc', claimToken: 'x' }] }, 'acks.0.id'],
    ['a missing claimToken', 'ack', { acks: [{ id: '0123456789abcdef01234567' }] }, 'acks.0.claimToken'],
    ['an unknown consumer', 'ack', { consumer: 'sms', acks: [{ id: '0123456789abcdef01234567', claimToken: 'x' }] }, 'consumer'],
    ['no releases', 'release', { releases: [] }, 'releases'],
    ['a negative wait', 'release', { releases: [{ id: '0123456789abcdef01234567', claimToken: 'x' }], retryAfterSeconds: -1 }, 'retryAfterSeconds'],
    ['a wait over an hour', 'release', { releases: [{ id: '0123456789abcdef01234567', claimToken: 'x' }], retryAfterSeconds: 3601 }, 'retryAfterSeconds'],
  ])('refuses %s with 422 naming the field', async (_name, path, body, field) => {
    const res = await t.http.post(`/api/v1/outbox/${path}`).set(bot).send(body);
    expect(res.status).toBe(422);
    expect(res.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
  });
});

describe('an outbox without a bot consumer', () => {
  it('does not let a claim without consumer fall back to another consumer\'s deliveries (422)', async () => {
    await t.close();
    t = await buildTestApp({ OUTBOX_CONSUMERS: 'wechat' });
    bot = { 'X-Bot-Token': t.config.botToken };
    await emit([event()]);
    const res = await claim();
    expect(res.status).toBe(422);
    expect(res.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'consumer' })]));
    expect((await claim({ consumer: 'bot' })).status).toBe(422);
    expect((await claim({ consumer: 'wechat' })).status).toBe(422); // the in-process sender's, never the bot credential's
    expect(await t.storage.outbox.pending(t.clock.now())).toEqual([{ consumer: 'wechat', ready: 1, leased: 0 }]);
  });
});
