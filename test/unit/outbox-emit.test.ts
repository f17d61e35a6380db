import { createOutbox } from '../../src/modules/outbox/outbox.service';
import type { OutboxEventInput } from '../../src/modules/outbox/outbox.types';
import { loadConfig } from '../../src/shared/config';
import { fixedClock } from '../../src/shared/time';
import { createEmbeddedStorage } from '../../src/storage/embedded';
import { tempDir } from '../helpers/storage';

const good: OutboxEventInput = {
  type: 'pass.revoked', dedupeId: 'pass.revoked:p1', recipient: { kind: 'rider', id: '6650a1b2c3d4e5f601234568' }, city: 'chengdu',
  payload: { compoundName: '麓湖生态城', reason: '违规' },
};

describe('outbox.emit', () => {
  const storage = createEmbeddedStorage({ dataDir: tempDir(), sync: 'normal' });
  const outbox = createOutbox({ storage, config: loadConfig({ NODE_ENV: 'test', OUTBOX_CONSUMERS: 'bot,wechat,sms' }), clock: fixedClock('2026-11-25T04:00:00Z') });
  afterAll(() => storage.close());

  it('writes one delivery per configured consumer', async () => {
    const [e] = await outbox.emit([good]);
    expect(e).toMatchObject({ ...good, createdAt: new Date('2026-11-25T04:00:00Z') });
    expect((await storage.outbox.pending(new Date('2026-11-25T04:00:00Z'))).map((p) => p.consumer)).toEqual(['bot', 'sms', 'wechat']);
    await expect(outbox.emit([])).resolves.toEqual([]);
  });

  it.each<[string, Partial<OutboxEventInput> & Record<string, unknown>]>([
    ['a type without a dot', { type: 'approved' }],
    ['an empty dedupeId', { dedupeId: '' }],
    ['a recipient id that is not an id', { recipient: { kind: 'rider', id: 'r1' } }],
    ['a recipient of another kind', { recipient: { kind: 'guard', id: '6650a1b2c3d4e5f601234568' } as never }],
    ['an unknown city', { city: 'beijing' as never }],
    ['a payload over 8 KB', { payload: { text: 'x'.repeat(9000) } }],
    ['a field the outbox does not know', { priority: 'high' }],
  ])('refuses %s as the caller\'s bug (TypeError) and writes none of the batch', async (_name, over) => {
    const before = await storage.outbox.pending(new Date('2026-11-25T04:00:00Z'));
    await expect(outbox.emit([{ ...good, dedupeId: 'ok:1' }, { ...good, dedupeId: 'bad:1', ...over }])).rejects.toThrow(TypeError);
    expect(await storage.outbox.pending(new Date('2026-11-25T04:00:00Z'))).toEqual(before);
  });
});
