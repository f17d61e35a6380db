/** How long /readyz waits for the store, so the probe answers within 2 s even when the store hangs. */
export const READY_TIMEOUT_MS = 1500;

/** Resolves when ping answers within timeoutMs; rejects when it fails or takes longer (its late answer is dropped). */
export function pingWithin(ping: () => Promise<void>, timeoutMs = READY_TIMEOUT_MS): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`storage did not answer a ping within ${timeoutMs} ms`)), timeoutMs);
    ping().then(resolve, reject).finally(() => clearTimeout(timer));
  });
}
