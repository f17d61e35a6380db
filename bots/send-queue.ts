export interface SendQueue {
  /** Runs `send` after every earlier send has finished and at least minGapMs after the previous one started. */
  enqueue(send: () => Promise<unknown>): Promise<void>;
  /** Resolves when everything queued so far has been sent. */
  idle(): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** One outgoing lane with a minimum gap between sends, so WeChat does not answer "操作过于频繁". */
export function createSendQueue(options: { minGapMs: number; now?: () => number }): SendQueue {
  const now = options.now ?? Date.now;
  let tail: Promise<void> = Promise.resolve();
  let lastStart = -Infinity;

  return {
    enqueue(send) {
      const run = async () => {
        const wait = lastStart + options.minGapMs - now();
        if (wait > 0) await sleep(wait);
        lastStart = now();
        await send();
      };
      const result = tail.then(run);
      // A failed send must not block the ones behind it; the caller still sees its own failure.
      tail = result.catch(() => undefined);
      return result;
    },
    idle: () => tail,
  };
}
