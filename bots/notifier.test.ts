import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { createNotifier, type Notifier, type NotifierOptions } from './notifier';
import { createOutboxClient } from './outbox-client';
import { openSentNotices } from './sent-notices';
import { startFakeApi, type FakeApi } from './testing/fake-api-server';
import { createFakeOutbox, type FakeOutbox } from './testing/fake-outbox';
import { BOT_TOKEN } from './testing/fixtures';

const RIDER = '6650a1b2c3d4e5f601234568';
const MANAGER = '6650a1b2c3d4e5f60123456a';
const approved = { type: 'access.approved', recipient: { kind: 'rider' as const, id: RIDER }, payload: { compoundName: '龙湖春森彼岸', validTo: '2026-12-25T04:00:00.000Z' } };
const denied = { type: 'access.denied', recipient: { kind: 'rider' as const, id: RIDER }, payload: { compoundName: '融创白象街', reason: '本小区暂不开放' } };

describe('notifier', () => {
  let outbox: FakeOutbox;
  let api: FakeApi;
  let dir: string;
  let sentMessages: Array<{ contactId: string; text: string }>;
  /** What happened, in order: sends and the outbox calls, to check that each ack comes after its send. */
  let timeline: string[];

  beforeEach(async () => {
    outbox = createFakeOutbox();
    outbox.contact('rider', RIDER, 'wxid_rider');
    outbox.contact('staff', MANAGER, 'wxid_manager');
    api = await startFakeApi((req) => {
      timeline.push(`${req.method} ${req.path}`);
      return outbox.handler(req);
    });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'notifier-'));
    sentMessages = [];
    timeline = [];
  });
  afterEach(async () => {
    await api.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A notifier as the bot runs one after a (re)start: the sent-ids file is read again from disk. */
  async function notifier(overrides: Partial<NotifierOptions> = {}): Promise<Notifier> {
    return createNotifier({
      outbox: createOutboxClient({ baseURL: api.baseURL, timeoutMs: 1000, botToken: BOT_TOKEN, consumer: 'bot' }),
      sent: await openSentNotices({ file: path.join(dir, 'sent-bot.json') }),
      deliver: async (contactId, text) => {
        timeline.push(`send ${contactId}`);
        sentMessages.push({ contactId, text });
        return true;
      },
      log: pino({ level: process.env.BOT_TEST_LOG ?? 'silent' }),
      pollMs: 1000,
      ...overrides,
    });
  }

  it('sends each notice to its recipient\'s contact and acknowledges it after the send', async () => {
    const id = outbox.add(approved);
    const n = await notifier();
    expect(await n.pollOnce()).toEqual([{ id, outcome: 'sent' }]);
    expect(sentMessages).toEqual([{ contactId: 'wxid_rider', text: expect.stringContaining('你进入「龙湖春森彼岸」的申请已通过') }]);
    expect(timeline).toEqual([
      'POST /api/v1/outbox/claim', `GET /api/v1/bot/recipients/rider/${RIDER}`, 'send wxid_rider', 'POST /api/v1/outbox/ack',
    ]);
    expect(outbox.acked()).toEqual([id]);
  });

  it('acknowledges without sending a notice for someone without a contact, gone, or of a type it has no words for', async () => {
    outbox.contact('rider', '6650a1b2c3d4e5f60123456f', null);
    const nobody = outbox.add({ ...approved, recipient: { kind: 'rider', id: '6650a1b2c3d4e5f60123456f' } });
    const gone = outbox.add({ ...approved, recipient: { kind: 'rider', id: '6650a1b2c3d4e5f60123456e' } });
    const other = outbox.add({ type: 'report.exported', recipient: { kind: 'staff', id: MANAGER }, payload: {} });
    const n = await notifier();
    expect(await n.pollOnce()).toEqual(expect.arrayContaining([
      { id: nobody, outcome: 'no_contact' }, { id: gone, outcome: 'no_contact' }, { id: other, outcome: 'not_for_chat' },
    ]));
    expect(sentMessages).toEqual([]);
    expect(outbox.acked().sort()).toEqual([nobody, gone, other].sort());
  });

  it('releases a notice whose send failed, and sends it on a later claim', async () => {
    const id = outbox.add(denied);
    let failing = true;
    const n = await notifier({
      deliver: async (contactId, text) => {
        if (failing) throw new Error('操作过于频繁');
        sentMessages.push({ contactId, text });
        return true;
      },
    });
    expect(await n.pollOnce()).toEqual([{ id, outcome: 'retry' }]);
    expect(outbox.acked()).toEqual([]);
    expect(outbox.ready()).toEqual([id]);
    failing = false;
    expect(await n.pollOnce()).toEqual([{ id, outcome: 'sent' }]);
    expect(sentMessages).toEqual([{ contactId: 'wxid_rider', text: '你进入「融创白象街」的申请未通过：本小区暂不开放。' }]);
  });

  it('neither loses nor repeats a notice when the bot dies between a send and its ack', async () => {
    const first = outbox.add(approved);
    const second = outbox.add(denied);
    const third = outbox.add({ type: 'access.requested', recipient: { kind: 'staff', id: MANAGER }, payload: { compoundName: '龙湖春森彼岸', riderName: '王师傅', durationDays: 7, unmet: [] } });
    // The first bot sends the rider's first notice, then hangs on the second send and is killed: nothing is acked.
    let reachedSecond: () => void = () => undefined;
    const hung = new Promise<void>((resolve) => { reachedSecond = resolve; });
    const dying = await notifier({
      deliver: async (contactId, text) => {
        if (text.includes('未通过')) {
          reachedSecond();
          return new Promise<boolean>(() => undefined);
        }
        sentMessages.push({ contactId, text });
        return true;
      },
    });
    void dying.pollOnce();
    await hung;
    // The manager's notice goes out in parallel; wait for its record too (a crash in that instant would repeat it).
    const file = path.join(dir, 'sent-bot.json');
    while (!(fs.existsSync(file) && fs.readFileSync(file, 'utf8').includes(third))) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(sentMessages.map((m) => m.contactId).sort()).toEqual(['wxid_manager', 'wxid_rider']);
    expect(outbox.acked()).toEqual([]);

    outbox.expireLeases();
    const restarted = await notifier();
    expect(await restarted.pollOnce()).toEqual(expect.arrayContaining([
      { id: first, outcome: 'duplicate' }, { id: second, outcome: 'sent' }, { id: third, outcome: 'duplicate' },
    ]));
    expect(sentMessages.map((m) => m.text)).toEqual(expect.arrayContaining([
      expect.stringMatching(/^你进入「龙湖春森彼岸」的申请已通过/), expect.stringMatching(/^你进入「融创白象街」的申请未通过/), expect.stringMatching(/^新的进小区申请：骑手王师傅/),
    ]));
    expect(sentMessages).toHaveLength(3);
    expect(outbox.acked().sort()).toEqual([first, second, third].sort());
  });

  it('keeps one recipient\'s notices in the order they happened, though a retried one is claimed after newer ones', async () => {
    outbox.add({ ...approved, type: 'pass.revoked', payload: { compoundName: '龙湖春森彼岸', reason: '违规停车' }, createdAt: new Date('2026-11-25T05:00:00Z') });
    outbox.add({ ...approved, createdAt: new Date('2026-11-25T04:00:00Z') });
    const n = await notifier();
    await n.pollOnce();
    expect(sentMessages.map((m) => m.text)).toEqual([expect.stringMatching(/^你进入「龙湖春森彼岸」的申请已通过/), expect.stringMatching(/^你在「龙湖春森彼岸」的通行证已被撤销：违规停车/)]);
  });

  it('keeps polling while the API is down and delivers once it is back', async () => {
    const id = outbox.add(approved);
    let down = true;
    api.respondWith((req) => (down ? { status: 503, body: 'busy' } : outbox.handler(req)));
    const n = await notifier({ pollMs: 20 });
    n.start();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(sentMessages).toEqual([]);
    down = false;
    const end = Date.now() + 3000;
    while (outbox.acked().length === 0 && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 10));
    await n.stop();
    expect(outbox.acked()).toEqual([id]);
    expect(sentMessages).toHaveLength(1);
  });
});
