import { OUTBOX_RETENTION_S } from '../../src/modules/outbox/outbox.types';
import { fixedClock } from '../../src/shared/time';
import { createEmbeddedStorage } from '../../src/storage/embedded';
import { tempDir } from '../helpers/storage';

const T0 = new Date('2026-11-25T04:00:00Z');
const later = (ms: number) => new Date(T0.getTime() + ms);
const event = (dedupeId: string) => ({ type: 'pass.revoked', dedupeId, recipient: { kind: 'rider' as const, id: '6650a1b2c3d4e5f601234568' }, city: null, payload: {} });

describe('embedded purge of acknowledged outbox deliveries', () => {
  it('deletes a delivery 30 days after its ack, and never one that is not acked', async () => {
    const dir = tempDir();
    const s = createEmbeddedStorage({ dataDir: dir, sync: 'normal', clock: fixedClock(T0) });
    const [acked, open] = await s.outbox.enqueue([event('a'), event('b')], ['bot'], T0);
    const claimed = await s.outbox.claim('bot', 10, 60_000, T0);
    const token = claimed.find((e) => e.id === acked?.id)?.claimToken as string;
    expect(await s.outbox.ack('bot', acked?.id as string, token, T0)).toBe('acked');
    await s.close();

    const reopen = (ms: number) => createEmbeddedStorage({ dataDir: dir, sync: 'normal', clock: fixedClock(later(ms)) });
    const before = reopen(OUTBOX_RETENTION_S * 1000 - 1000);
    expect(await before.outbox.ack('bot', acked?.id as string, token, T0)).toBe('already');
    await before.close();
    const after = reopen(OUTBOX_RETENTION_S * 1000 + 1000);
    expect(await after.outbox.ack('bot', acked?.id as string, token, T0)).toBe('unknown');
    expect(await after.outbox.pending(later(OUTBOX_RETENTION_S * 1000 + 1000))).toEqual([{ consumer: 'bot', ready: 1, leased: 0 }]);
    expect((await after.outbox.claim('bot', 10, 60_000, later(OUTBOX_RETENTION_S * 1000 + 1000))).map((e) => e.id)).toEqual([open?.id]);
    await after.close();
  });
});
