import type { Logger } from '../../shared/logger';
import type { AccessService } from './access.service';

/** Every few minutes, tells riders whose passes end within the notice window (one outbox notice per pass). */
export function startExpiryNotices(deps: { access: AccessService; withinMs: number; everyMs?: number; log: Logger }): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    running = deps.access.noticeExpiring(deps.withinMs).then((n) => {
      if (n) deps.log.info({ module: 'compounds', notices: n }, 'pass expiry notices written');
    }).catch((err: unknown) => deps.log.warn({ module: 'compounds', err }, 'pass expiry notices failed; next round retries'));
  };
  tick();
  const timer = setInterval(tick, deps.everyMs ?? 5 * 60_000);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
