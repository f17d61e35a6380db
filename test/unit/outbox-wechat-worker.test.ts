import { Writable } from 'node:stream';
import pino from 'pino';
import type { Storage } from '../../src/features';
import { createOutbox } from '../../src/modules/outbox/outbox.service';
import type { OutboxEventInput } from '../../src/modules/outbox/outbox.types';
import { createWeChatWorker, startWeChatWorker, type WeChatWorker } from '../../src/modules/outbox/wechat-worker';
import { createWeChatClient } from '../../src/modules/wechat/wechat-client';
import type { WeChatClient } from '../../src/modules/wechat/wechat.types';
import { loadConfig, type Config } from '../../src/shared/config';
import { createLogger, type Logger } from '../../src/shared/logger';
import { fixedClock } from '../../src/shared/time';
import { createEmbeddedStorage } from '../../src/storage/embedded';
import { startFakeWeChat, type FakeWeChat } from '../helpers/fake-wechat';
import { tempDir } from '../helpers/storage';

const T0 = '2026-11-25T04:00:00Z'; // 12:00 in Chongqing
const OPENID = 'o-rider-outbox';
const STAFF_ID = '6650a1b2c3d4e5f601234599';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let fake: FakeWeChat;
let storage: Storage;
let clock: ReturnType<typeof fixedClock>;
let riderId: string;
let lines: string[];
let log: Logger;
const workers: WeChatWorker[] = [];

beforeEach(async () => {
  fake = await startFakeWeChat();
  storage = createEmbeddedStorage({ dataDir: tempDir(), sync: 'normal' });
  clock = fixedClock(T0);
  riderId = (await storage.riders.findOrCreateByOpenid(OPENID, null, clock.now())).rider.id;
  lines = [];
  log = pino({ level: 'debug' }, new Writable({ write: (chunk, _enc, done) => { lines.push(String(chunk)); done(); } })) as Logger;
});
afterEach(async () => {
  for (const w of workers.splice(0)) await w.stop();
  await storage.close();
  await fake.close();
});

function configWith(env: Record<string, string> = {}): Readonly<Config> {
  return loadConfig({
    NODE_ENV: 'test', WECHAT_API_BASE: fake.baseURL, WECHAT_APPID: fake.state.appId, WECHAT_SECRET: fake.state.appSecret,
    WECHAT_TEMPLATE_ACCESS: 'tpl-access', WECHAT_TEMPLATE_PASS: 'tpl-pass', OUTBOX_POLL_MS: '1000', ...env,
  });
}

function setUp(opts: { env?: Record<string, string>; baseURL?: string; wrap?: (wx: WeChatClient) => WeChatClient } = {}) {
  const config = configWith(opts.env);
  const real = createWeChatClient({
    baseURL: opts.baseURL ?? fake.baseURL, appId: fake.state.appId, appSecret: fake.state.appSecret, clock,
    log: createLogger('silent'), retry: { attempts: 1, baseDelayMs: 1 }, timeoutMs: 1000,
  });
  const worker = createWeChatWorker({ storage, wechat: opts.wrap ? opts.wrap(real) : real, config, clock, log });
  workers.push(worker);
  const outbox = createOutbox({ storage, config, clock });
  return { worker, outbox, config };
}

const approved = (over: Partial<OutboxEventInput> = {}): OutboxEventInput => ({
  type: 'access.approved', dedupeId: `access.approved:${Math.random()}`, recipient: { kind: 'rider', id: riderId }, city: 'chongqing',
  payload: { compoundName: '龙湖春森彼岸', validTo: '2026-12-25T04:00:00.000Z', page: 'pages/pass/detail?id=p1', passId: 'p1' }, ...over,
});
const wechatPending = async () => {
  const p = (await storage.outbox.pending(clock.now())).find((c) => c.consumer === 'wechat');
  return { ready: p?.ready ?? 0, leased: p?.leased ?? 0 };
};
const logged = (msg: string) => lines.map((l) => JSON.parse(l) as { level: number; msg: string }).filter((l) => l.msg === msg);

describe('the WeChat outbox worker', () => {
  it('sends a rider who accepted the template the approval, with the template layout, and acks it for wechat only', async () => {
    const { worker, outbox } = setUp();
    fake.state.acceptSubscription(OPENID, 'tpl-access');
    await outbox.emit([approved()]);
    expect(await worker.runOnce()).toMatchObject({ claimed: 1, sent: 1 });
    expect(fake.state.sentMessages).toEqual([{
      touser: OPENID, template_id: 'tpl-access', page: 'pages/pass/detail?id=p1', miniprogram_state: 'formal',
      data: { thing1: { value: '龙湖春森彼岸' }, phrase2: { value: '已通过' }, thing3: { value: '通行证有效至12月25日' }, time4: { value: '2026年11月25日 12:00' } },
    }]);
    expect(await wechatPending()).toEqual({ ready: 0, leased: 0 });
    expect(await storage.outbox.pending(clock.now())).toEqual([{ consumer: 'bot', ready: 1, leased: 0 }]);
    expect(await worker.runOnce()).toMatchObject({ claimed: 0 });
  });

  it('fills each known type from its payload, clipping a long name to WeChat\'s 20 characters', async () => {
    const { worker, outbox } = setUp();
    fake.state.acceptSubscription(OPENID, 'tpl-access');
    fake.state.acceptSubscription(OPENID, 'tpl-pass', 2);
    await outbox.emit([
      approved({ type: 'access.denied', payload: { compoundName: '重庆市渝中区解放碑街道民族路社区第一住宅小区东区', reason: '本小区暂不对外卖骑手开放' } }),
      approved({ type: 'pass.revoked', payload: { compoundName: '龙湖春森彼岸', reason: '多次在消防通道停车' } }),
      approved({ type: 'pass.expiring', payload: { compoundName: '龙湖春森彼岸', validTo: '2026-11-26T04:00:00.000Z' } }),
    ]);
    expect(await worker.runOnce()).toMatchObject({ claimed: 3, sent: 3 });
    const sent = fake.state.sentMessages.map((m) => [m.template_id, m.data]);
    expect(sent).toEqual([
      ['tpl-access', { thing1: { value: '重庆市渝中区解放碑街道民族路社区第一住…' }, phrase2: { value: '未通过' }, thing3: { value: '本小区暂不对外卖骑手开放' }, time4: { value: '2026年11月25日 12:00' } }],
      ['tpl-pass', { thing1: { value: '龙湖春森彼岸' }, phrase2: { value: '已撤销' }, thing3: { value: '多次在消防通道停车' }, time4: { value: '2026年11月25日 12:00' } }],
      ['tpl-pass', { thing1: { value: '龙湖春森彼岸' }, phrase2: { value: '即将到期' }, thing3: { value: '如需继续进出请重新申请' }, time4: { value: '2026年11月26日 12:00' } }],
    ]);
    expect([...(sent[0]?.[1] as { thing1: { value: string } }).thing1.value]).toHaveLength(20);
  });

  it('acks a send WeChat refuses with 43101 (no subscription left), logs it at info and never retries it', async () => {
    const { worker, outbox } = setUp();
    await outbox.emit([approved()]);
    expect(await worker.runOnce()).toMatchObject({ claimed: 1, no_quota: 1, retry: 0 });
    expect(fake.state.requestsTo('subscribe')).toHaveLength(1);
    expect(logged('rider has no subscription left for this template')).toEqual([expect.objectContaining({ level: 30 })]);
    clock.advance(3600_000);
    expect(await worker.runOnce()).toMatchObject({ claimed: 0 });
    expect(fake.state.requestsTo('subscribe')).toHaveLength(1);
  });

  it('gives an event back when WeChat is busy (-1) and sends it on a later round, after the backoff', async () => {
    const { worker, outbox } = setUp();
    fake.state.acceptSubscription(OPENID, 'tpl-access');
    fake.state.failNext('subscribe', -1);
    await outbox.emit([approved()]);
    expect(await worker.runOnce()).toMatchObject({ claimed: 1, retry: 1, sent: 0 });
    expect(await wechatPending()).toEqual({ ready: 0, leased: 1 }); // held back for the backoff (1 poll interval)
    expect(await worker.runOnce()).toMatchObject({ claimed: 0 });
    clock.advance(1000);
    expect(await worker.runOnce()).toMatchObject({ claimed: 1, sent: 1 });
    expect(fake.state.sentMessages).toHaveLength(1);
  });

  it('gives an event back when WeChat cannot be reached, doubling the wait with each attempt', async () => {
    const { worker, outbox } = setUp({ baseURL: 'http://127.0.0.1:9' }); // discard port: connection refused
    await outbox.emit([approved()]);
    expect(await worker.runOnce()).toMatchObject({ claimed: 1, retry: 1 });
    clock.advance(1000);
    expect(await worker.runOnce()).toMatchObject({ claimed: 1, retry: 1 });
    clock.advance(1000);
    expect(await worker.runOnce()).toMatchObject({ claimed: 0 }); // second wait is 2 s
    clock.advance(1000);
    expect(await worker.runOnce()).toMatchObject({ claimed: 1, retry: 1 });
    expect(await wechatPending()).toEqual({ ready: 0, leased: 1 });
  });

  it.each([[40003, 'an invalid openid'], [47003, 'a bad data value'], [40037, 'an unknown template']])(
    'acks a message WeChat refuses with %i (%s) without retrying it',
    async (errcode) => {
      const { worker, outbox } = setUp();
      fake.state.acceptSubscription(OPENID, 'tpl-access');
      fake.state.failNext('subscribe', errcode);
      await outbox.emit([approved()]);
      expect(await worker.runOnce()).toMatchObject({ claimed: 1, failed: 1 });
      clock.advance(3600_000);
      expect(await worker.runOnce()).toMatchObject({ claimed: 0 });
      expect(fake.state.sentMessages).toEqual([]);
    },
  );

  it('never sends to an openid WeChat did not give: an API client\'s service rider, a demo rider', async () => {
    const { worker, outbox } = setUp();
    const service = (await storage.riders.findOrCreateByOpenid('open311:6650a1b2c3d4e5f601234567', null, clock.now())).rider;
    const demo = (await storage.riders.findOrCreateByOpenid('demo-rider-chongqing', null, clock.now(), { isDemo: true })).rider;
    await outbox.emit([{ ...approved(), dedupeId: 'svc', recipient: { kind: 'rider', id: service.id } }, { ...approved(), dedupeId: 'demo', recipient: { kind: 'rider', id: demo.id } }]);
    expect(await worker.runOnce()).toMatchObject({ claimed: 2, skipped: 2, sent: 0 });
    expect(fake.state.requestsTo('subscribe')).toHaveLength(0);
  });

  it('acks without calling WeChat what it cannot send: no template, staff, unknown rider, unknown type', async () => {
    const { worker, outbox } = setUp({ env: { WECHAT_TEMPLATE_PASS: '' } });
    fake.state.acceptSubscription(OPENID, 'tpl-pass', 5);
    await outbox.emit([
      approved({ type: 'pass.revoked', payload: { compoundName: '龙湖春森彼岸', reason: '违规' } }),
      approved({ recipient: { kind: 'staff', id: STAFF_ID } }),
      approved({ recipient: { kind: 'rider', id: '0123456789abcdef01234567' } }),
      approved({ type: 'report.updated', payload: { reportId: 'r1' } }),
    ]);
    expect(await worker.runOnce()).toMatchObject({ claimed: 4, skipped: 4 });
    expect(fake.state.requestsTo('subscribe')).toEqual([]);
    expect(await wechatPending()).toEqual({ ready: 0, leased: 0 });
  });

  it('does not send a notice more than a day old, a retried one included', async () => {
    const { worker, outbox } = setUp();
    fake.state.acceptSubscription(OPENID, 'tpl-access', 2);
    await outbox.emit([approved()]);
    clock.advance(24 * 3600_000 + 1);
    expect(await worker.runOnce()).toMatchObject({ claimed: 1, expired: 1 });
    await outbox.emit([approved()]);
    fake.state.failNext('subscribe', -1);
    expect(await worker.runOnce()).toMatchObject({ claimed: 1, retry: 1 });
    clock.advance(24 * 3600_000 + 1);
    expect(await worker.runOnce()).toMatchObject({ claimed: 1, expired: 1 });
    expect(fake.state.sentMessages).toEqual([]);
  });

  it('gives the rest of a batch back when its lease is about to run out instead of sending it', async () => {
    const { worker, outbox } = setUp({
      wrap: (wx) => ({ ...wx, sendSubscribeMessage: async (m) => {
        const r = await wx.sendSubscribeMessage(m);
        clock.advance(56_000); // a slow send: the 60 s lease is now within its 5 s margin
        return r;
      } }),
    });
    fake.state.acceptSubscription(OPENID, 'tpl-access', 2);
    await outbox.emit([approved(), approved()]);
    expect(await worker.runOnce()).toMatchObject({ claimed: 2, sent: 1 });
    expect(await wechatPending()).toEqual({ ready: 1, leased: 0 });
    expect(await worker.runOnce()).toMatchObject({ claimed: 1, sent: 1 });
  });

  it('polls on its own once started, drains a full batch at once, and stops', async () => {
    const { worker, outbox } = setUp({ env: { OUTBOX_POLL_MS: '100' } });
    fake.state.acceptSubscription(OPENID, 'tpl-access', 30);
    await outbox.emit(Array.from({ length: 12 }, () => approved()));
    worker.start();
    for (let i = 0; i < 50 && fake.state.sentMessages.length < 12; i++) await sleep(20);
    expect(fake.state.sentMessages).toHaveLength(12);
    await outbox.emit([approved()]);
    for (let i = 0; i < 50 && fake.state.sentMessages.length < 13; i++) await sleep(20);
    expect(fake.state.sentMessages).toHaveLength(13);
    await worker.stop();
    await outbox.emit([approved()]);
    await sleep(250);
    expect(fake.state.sentMessages).toHaveLength(13);
  });
});

describe('startWeChatWorker', () => {
  it.each<[string, (c: Readonly<Config>) => Readonly<Config>]>([
    ['WeChat has no appid', (c) => ({ ...c, wechat: { ...c.wechat, appId: '' } })],
    ['WeChat has no secret', (c) => ({ ...c, wechat: { ...c.wechat, appSecret: '' } })],
    ['wechat is not an outbox consumer', (c) => ({ ...c, outbox: { ...c.outbox, consumers: ['bot'] } })],
  ])('does not start when %s', (_why, change) => {
    expect(startWeChatWorker({ storage, config: change(configWith()), clock, log })).toBeNull();
  });

  it('starts with WeChat configured and sends through the WeChat API it is configured with', async () => {
    fake.state.acceptSubscription(OPENID, 'tpl-access');
    const config = configWith({ OUTBOX_POLL_MS: '100' });
    await createOutbox({ storage, config, clock }).emit([approved()]);
    const worker = startWeChatWorker({ storage, config, clock, log });
    expect(worker).not.toBeNull();
    workers.push(worker as WeChatWorker);
    for (let i = 0; i < 50 && fake.state.sentMessages.length < 1; i++) await sleep(20);
    expect(fake.state.sentMessages).toHaveLength(1);
  });
});
