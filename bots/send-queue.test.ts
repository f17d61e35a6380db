import { createSendQueue, type SendQueue } from './send-queue';

describe('send queue', () => {
  let queue: SendQueue | undefined;
  afterEach(async () => {
    await queue?.close();
    queue = undefined;
  });

  /** A send that records when it started and takes a few ms, as a WeChat send does. */
  const recorder = () => {
    const t0 = performance.now();
    const starts: Array<[string, number]> = [];
    const send = (name: string) => () => {
      starts.push([name, performance.now() - t0]);
      return new Promise((resolve) => setTimeout(resolve, 5));
    };
    return { starts, send, at: (name: string) => starts.find(([n]) => n === name)?.[1] ?? NaN };
  };

  it('sends one at a time, in order, at least minGapMs apart', async () => {
    queue = createSendQueue({ minGapMs: 40, perChat: 100, global: 100 });
    const { starts, send } = recorder();
    await Promise.all(['a', 'b', 'c'].map((n) => queue!.enqueue('wxid_a', send(n))));
    expect(starts.map(([n]) => n)).toEqual(['a', 'b', 'c']);
    for (let i = 1; i < starts.length; i++) {
      expect(starts[i]![1] - starts[i - 1]![1]).toBeGreaterThanOrEqual(38); // timers may fire a hair early
    }
  });

  it('holds a chat back after its per-window count while another chat still gets through', async () => {
    // 2 per 600 ms: a burst of two, then one more every 300 ms.
    queue = createSendQueue({ minGapMs: 0, perChat: 2, global: 100, windowMs: 600 });
    const { starts, send, at } = recorder();
    const sends = [queue.enqueue('wxid_a', send('a1')), queue.enqueue('wxid_a', send('a2')), queue.enqueue('wxid_a', send('a3'))];
    sends.push(queue.enqueue('wxid_b', send('b1')));
    await Promise.all(sends);
    expect(starts.map(([n]) => n).filter((n) => n.startsWith('a'))).toEqual(['a1', 'a2', 'a3']);
    expect(at('a2')).toBeLessThan(150);
    expect(at('b1')).toBeLessThan(150);
    expect(at('a3')).toBeGreaterThanOrEqual(250);
  });

  it('holds every chat back after the global count', async () => {
    queue = createSendQueue({ minGapMs: 0, perChat: 100, global: 2, windowMs: 600 });
    const { send, at } = recorder();
    await Promise.all(['a', 'b', 'c'].map((n) => queue!.enqueue(`wxid_${n}`, send(n))));
    expect(at('b')).toBeLessThan(150);
    expect(at('c')).toBeGreaterThanOrEqual(250);
  });

  it('carries on after a failed send, and the failure reaches its caller', async () => {
    queue = createSendQueue({ minGapMs: 0, perChat: 10, global: 10 });
    const sent: string[] = [];
    const failed = queue.enqueue('wxid_a', () => Promise.reject(new Error('操作过于频繁')));
    const next = queue.enqueue('wxid_a', async () => { sent.push('next'); });
    await expect(failed).rejects.toThrow('操作过于频繁');
    await next;
    await queue.idle();
    expect(sent).toEqual(['next']);
  });
});
