import type { Config } from '../../shared/config';
import type { Logger } from '../../shared/logger';
import type { Clock } from '../../shared/time';
import type { IdentityStorage } from '../identity/identity.types';
import { createWeChatClient } from '../wechat/wechat-client';
import { WeChatError } from '../wechat/wechat-errors';
import type { WeChatClient } from '../wechat/wechat.types';
import { createOutboxConsumer } from './outbox.service';
import type { ClaimedEvent, OutboxStorage } from './outbox.types';
import { noticeFor } from './wechat-notices';

export const WECHAT_CONSUMER = 'wechat';
/** Events claimed per round; a full batch is followed by another round at once. */
const BATCH = 10;
/** A notice older than this is not sent any more (a worker that was off, WeChat down for a day): acked as expired. */
export const NOTICE_MAX_AGE_MS = 24 * 3600_000;
/** Longest wait before a failed send is tried again. */
const MAX_RETRY_DELAY_MS = 10 * 60_000;
/** Stop sending from a batch this close to the end of its lease (another instance may claim it then): 5 s, or a quarter of a short lease. */
const leaseMargin = (leaseSeconds: number): number => Math.min(5_000, (leaseSeconds * 1000) / 4);
/** What an openid from code2Session looks like (28 characters of [A-Za-z0-9_-] today); one with other characters is ours. */
const WECHAT_OPENID = /^[A-Za-z0-9_-]{1,64}$/;

/** WeChat answers that no retry can change for this message: bad openid, template, page or data. */
const PERMANENT_ERRCODES: ReadonlySet<number> = new Set([40003, 40037, 41030, 47001, 47003]);

export type Outcome = 'sent' | 'no_quota' | 'skipped' | 'expired' | 'failed' | 'retry';
export type WorkerReport = { claimed: number } & Record<Outcome, number>;

export interface WeChatWorkerDeps {
  storage: OutboxStorage & Pick<IdentityStorage, 'riders'>;
  wechat: Pick<WeChatClient, 'sendSubscribeMessage'>;
  config: Pick<Config, 'outbox' | 'wechat'>;
  clock: Clock;
  log: Logger;
}

export interface WeChatWorker {
  /** One round: claim a batch as 'wechat', send what can be sent, ack or release each. */
  runOnce(): Promise<WorkerReport>;
  /** Polls every OUTBOX_POLL_MS (at once again after a full batch) until stop(). */
  start(): void;
  /** Stops polling and waits for the round in progress. */
  stop(): Promise<void>;
}

const permanent = (err: unknown): boolean =>
  err instanceof WeChatError && PERMANENT_ERRCODES.has(Number((err.details as { errcode?: number } | undefined)?.errcode));

/** The in-service consumer that turns outbox events for riders into WeChat subscribe messages. */
export function createWeChatWorker(deps: WeChatWorkerDeps): WeChatWorker {
  const { storage, wechat, config, clock } = deps;
  const log = deps.log.child({ module: 'outbox-wechat' });
  const outbox = createOutboxConsumer(deps);
  const { templates, miniprogramState } = config.wechat;

  async function send(e: ClaimedEvent): Promise<Outcome> {
    const notice = noticeFor(e);
    const templateId = notice ? templates[notice.kind] : '';
    if (!notice || !templateId || e.recipient.kind !== 'rider') return 'skipped';
    if (clock.now().getTime() - e.createdAt.getTime() > NOTICE_MAX_AGE_MS) return 'expired';
    const rider = await storage.riders.get(e.recipient.id);
    // Only openids WeChat gave us: not demo riders' made-up ones, nor the service riders of API clients ('open311:…').
    if (!rider?.openid || rider.isDemo || !WECHAT_OPENID.test(rider.openid)) return 'skipped';
    try {
      const r = await wechat.sendSubscribeMessage({ touser: rider.openid, templateId, page: notice.page, data: notice.data, miniprogramState });
      return r.sent ? 'sent' : 'no_quota';
    } catch (err) {
      const retry = !permanent(err);
      log.warn({ eventId: e.id, type: e.type, attempts: e.attempts, err }, retry ? 'subscribe message not sent; will retry' : 'subscribe message refused by WeChat; not retried');
      return retry ? 'retry' : 'failed';
    }
  }

  async function settle(e: ClaimedEvent, outcome: Outcome): Promise<void> {
    const handle = [{ id: e.id, claimToken: e.claimToken }];
    if (outcome === 'retry') {
      const delayMs = Math.min(config.outbox.pollMs * 2 ** (e.attempts - 1), MAX_RETRY_DELAY_MS);
      await outbox.release(WECHAT_CONSUMER, handle, Math.ceil(delayMs / 1000));
      return;
    }
    const level = outcome === 'sent' || outcome === 'no_quota' ? 'info' : 'debug';
    log[level]({ eventId: e.id, type: e.type, outcome }, outcome === 'no_quota' ? 'rider has no subscription left for this template' : `outbox event ${outcome}`);
    const [r] = await outbox.ack(WECHAT_CONSUMER, handle);
    if (r?.result !== 'acked') log.warn({ eventId: e.id, result: r?.result }, 'outbox ack did not take');
  }

  async function runOnce(): Promise<WorkerReport> {
    const report: WorkerReport = { claimed: 0, sent: 0, no_quota: 0, skipped: 0, expired: 0, failed: 0, retry: 0 };
    const events = await outbox.claim(WECHAT_CONSUMER, BATCH, config.outbox.leaseSeconds);
    report.claimed = events.length;
    for (const e of events) {
      // Near the end of the lease: give the rest back rather than risk a second instance sending them too.
      if (clock.now().getTime() >= e.leaseUntil.getTime() - leaseMargin(config.outbox.leaseSeconds)) {
        await outbox.release(WECHAT_CONSUMER, [{ id: e.id, claimToken: e.claimToken }]);
        continue;
      }
      let outcome: Outcome;
      try {
        outcome = await send(e);
      } catch (err) {
        log.warn({ eventId: e.id, err }, 'outbox event could not be prepared');
        outcome = 'retry';
      }
      report[outcome] += 1;
      await settle(e, outcome);
    }
    return report;
  }

  let stopped = true;
  let timer: NodeJS.Timeout | undefined;
  let round: Promise<void> = Promise.resolve();
  const loop = async (): Promise<void> => {
    let full = false;
    try {
      full = (await runOnce()).claimed === BATCH;
    } catch (err) {
      log.error({ err }, 'outbox round failed; trying again later');
    }
    if (stopped) return;
    timer = setTimeout(() => {
      round = loop();
    }, full ? 0 : config.outbox.pollMs);
    timer.unref();
  };

  return {
    runOnce,
    start() {
      if (!stopped) return;
      stopped = false;
      round = loop();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await round;
    },
  };
}

/** Starts the worker when WeChat is configured (appid and secret) and 'wechat' is an outbox consumer; null otherwise. */
export function startWeChatWorker(deps: Omit<WeChatWorkerDeps, 'wechat' | 'config'> & { config: Pick<Config, 'outbox' | 'wechat'> }): WeChatWorker | null {
  const { config, clock, log } = deps;
  const { appId, appSecret, baseURL, templates } = config.wechat;
  if (!config.outbox.consumers.includes(WECHAT_CONSUMER)) return null;
  if (!appId || !appSecret) {
    log.info({ module: 'outbox-wechat' }, "WeChat is not configured: no subscribe messages; the outbox keeps 'wechat' events (sent once it is, if under a day old)");
    return null;
  }
  const wechat = createWeChatClient({ baseURL, appId, appSecret, clock, log });
  const worker = createWeChatWorker({ ...deps, wechat });
  worker.start();
  log.info({ module: 'outbox-wechat', pollMs: config.outbox.pollMs, templates: { access: !!templates.access, pass: !!templates.pass, hazard: !!templates.hazard } },
    'WeChat subscribe-message worker started');
  return worker;
}
