/**
 * Group commit: callers add items and wait; items added while a write is running (or within maxWaitMs of the first)
 * are written together by one call of `write`, so one durable commit (one fsync) serves many callers. Each caller's
 * promise settles when the write holding its item has committed (or failed), so nothing is acknowledged unwritten.
 */
export function groupCommit<T>(write: (items: T[]) => Promise<void>, opts: { maxItems?: number; maxWaitMs?: number } = {}) {
  const maxItems = opts.maxItems ?? 256;
  // 0: write on the next turn of the event loop (setImmediate), after the requests already read in this turn.
  const maxWaitMs = opts.maxWaitMs ?? 0;
  let queue: Array<{ item: T; done: () => void; fail: (err: unknown) => void }> = [];
  let writing = false;
  let timer: NodeJS.Timeout | NodeJS.Immediate | null = null;
  const schedule = () => (maxWaitMs > 0 ? setTimeout(() => void flush(), maxWaitMs) : setImmediate(() => void flush()));

  async function flush(): Promise<void> {
    timer = null;
    if (writing || queue.length === 0) return;
    writing = true;
    const batch = queue.slice(0, maxItems);
    queue = queue.slice(batch.length);
    try {
      await write(batch.map((b) => b.item));
      for (const b of batch) b.done();
    } catch (err) {
      for (const b of batch) b.fail(err);
    } finally {
      writing = false;
      // What arrived during the write goes next, at once: it has waited a whole write already.
      if (queue.length) void flush();
    }
  }

  return {
    add(item: T): Promise<void> {
      return new Promise<void>((done, fail) => {
        queue.push({ item, done, fail });
        if (queue.length >= maxItems) void flush();
        else if (!writing && !timer) timer = schedule();
      });
    },
  };
}
