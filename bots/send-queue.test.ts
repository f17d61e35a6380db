import { createSendQueue } from './send-queue';

describe('send queue', () => {
  it('sends one at a time, in order, at least minGapMs apart', async () => {
    const queue = createSendQueue({ minGapMs: 40 });
    const starts: Array<[string, number]> = [];
    const send = (name: string) => () => {
      starts.push([name, performance.now()]);
      return new Promise((resolve) => setTimeout(resolve, 5));
    };
    await Promise.all(['a', 'b', 'c'].map((n) => queue.enqueue(send(n))));
    expect(starts.map(([n]) => n)).toEqual(['a', 'b', 'c']);
    for (let i = 1; i < starts.length; i++) {
      expect(starts[i]![1] - starts[i - 1]![1]).toBeGreaterThanOrEqual(38); // timers may fire a hair early
    }
  });

  it('carries on after a failed send, and the failure reaches its caller', async () => {
    const queue = createSendQueue({ minGapMs: 0 });
    const sent: string[] = [];
    const failed = queue.enqueue(() => Promise.reject(new Error('操作过于频繁')));
    const next = queue.enqueue(async () => { sent.push('next'); });
    await expect(failed).rejects.toThrow('操作过于频繁');
    await next;
    await queue.idle();
    expect(sent).toEqual(['next']);
  });
});
