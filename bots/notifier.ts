import { LRUCache } from 'lru-cache';
import { formatNotice } from './engine/format-notices';
import type { BotLog } from './log';
import type { ClaimedNotice, Handle, OutboxClient, Recipient } from './outbox-client';
import type { SentNotices } from './sent-notices';

/**
 * What became of one claimed event. sent: delivered now; duplicate: delivered before (a repeat claim); no_contact:
 * the recipient has no WeChat contact the bot can reach; not_for_chat: a type the bot has no message for; retry: the
 * lookup or the send failed and the event goes back to the outbox. All but retry are acknowledged.
 */
export type NoticeOutcome = 'sent' | 'duplicate' | 'no_contact' | 'not_for_chat' | 'retry';

export interface NotifierOptions {
  outbox: OutboxClient;
  sent: SentNotices;
  /** Sends text to a WeChat contact (through the send queue); false when the bot has no such contact; rejects on failure. */
  deliver(contactId: string, text: string): Promise<boolean>;
  log: BotLog;
  /** The wait after a claim that was not full. */
  pollMs: number;
  /** Events per claim (1-100). */
  batch?: number;
  /** How long a claim holds its events: long enough to send a full batch within the send limits. */
  leaseSeconds?: number;
  /** How long a recipient's contact id is reused before it is asked again. */
  contactTtlMs?: number;
}

export interface Notifier {
  /** Claims one batch, delivers it and acknowledges (or releases) each event; throws when the claim fails. */
  pollOnce(): Promise<Array<{ id: string; outcome: NoticeOutcome }>>;
  /** Polls until stop(): again at once after a full batch, after pollMs otherwise, backing off while the API fails. */
  start(): void;
  /** Stops polling and resolves when the batch in hand is delivered and acknowledged. */
  stop(): Promise<void>;
}

const MAX_BACKOFF_MS = 60_000;
const MAX_RETRY_S = 600;

/** Groups events by recipient, each group in creation order: one recipient's notices arrive in the order they happened. */
function byRecipient(events: readonly ClaimedNotice[]): ClaimedNotice[][] {
  const groups = new Map<string, ClaimedNotice[]>();
  const sorted = [...events].sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
  for (const e of sorted) {
    const key = `${e.recipient.kind}:${e.recipient.id}`;
    groups.set(key, [...(groups.get(key) ?? []), e]);
  }
  return [...groups.values()];
}

/** The bot's outbox consumer: claims notices, sends each to its recipient's WeChat contact, then acknowledges it. */
export function createNotifier(options: NotifierOptions): Notifier {
  const { outbox, sent, log, batch = 20, leaseSeconds = 120 } = options;
  const contacts = new LRUCache<string, { contactId: string | null }>({ max: 5_000, ttl: options.contactTtlMs ?? 60_000 });

  async function contactOf(r: Recipient): Promise<string | null> {
    const key = `${r.kind}:${r.id}`;
    const cached = contacts.get(key);
    if (cached) return cached.contactId;
    const contactId = await outbox.contactOf(r);
    contacts.set(key, { contactId });
    return contactId;
  }

  async function deliver(e: ClaimedNotice): Promise<NoticeOutcome> {
    if (sent.has(e.id)) return 'duplicate';
    const text = formatNotice(e);
    if (!text) return 'not_for_chat';
    const contactId = await contactOf(e.recipient);
    if (!contactId || !(await options.deliver(contactId, text))) return 'no_contact';
    // Sent: acknowledged even if the record fails, since the outbox would otherwise hand it out again for sure.
    await sent.add(e.id).catch((err: unknown) => log.error({ module: 'notifier', err, eventId: e.id }, 'could not record a sent notice'));
    return 'sent';
  }

  async function outcomeOf(e: ClaimedNotice): Promise<NoticeOutcome> {
    try {
      return await deliver(e);
    } catch (err) {
      log.warn({ module: 'notifier', err, eventId: e.id, type: e.type, attempts: e.attempts }, 'notice not delivered, released for a retry');
      return 'retry';
    }
  }

  /** Acks and releases; a failure here only logs, since the lease running out hands the events out again anyway. */
  async function settle(done: Handle[], retry: ClaimedNotice[]): Promise<void> {
    const attempts = Math.max(1, ...retry.map((e) => e.attempts));
    const retryAfter = Math.min(MAX_RETRY_S, Math.round((options.pollMs / 1000) * 2 ** (attempts - 1)));
    await Promise.all([
      done.length ? outbox.ack(done) : null,
      retry.length ? outbox.release(retry, retryAfter) : null,
    ].map((call) => call?.catch((err: unknown) => log.warn({ module: 'notifier', err }, 'outbox ack or release failed'))));
  }

  async function pollOnce() {
    const events = await outbox.claim(batch, leaseSeconds);
    const results: Array<{ id: string; outcome: NoticeOutcome }> = [];
    await Promise.all(byRecipient(events).map(async (group) => {
      for (const e of group) results.push({ id: e.id, outcome: await outcomeOf(e) });
    }));
    const outcome = new Map(results.map((r) => [r.id, r.outcome]));
    await settle(events.filter((e) => outcome.get(e.id) !== 'retry'), events.filter((e) => outcome.get(e.id) === 'retry'));
    if (events.length) log.info({ module: 'notifier', claimed: events.length, sent: results.filter((r) => r.outcome === 'sent').length }, 'notices handled');
    return results;
  }

  let stopped = true;
  let loop: Promise<void> = Promise.resolve();
  let wake: (() => void) | null = null;
  const pause = (ms: number) => new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    wake = () => { clearTimeout(timer); resolve(); };
  });

  async function run(): Promise<void> {
    let failures = 0;
    while (!stopped) {
      let wait = options.pollMs;
      try {
        if ((await pollOnce()).length >= batch) wait = 0;
        failures = 0;
      } catch (err) {
        failures++;
        wait = Math.min(MAX_BACKOFF_MS, options.pollMs * 2 ** failures);
        log.warn({ module: 'notifier', err, failures, retryInMs: wait }, 'claiming notices failed');
      }
      if (!stopped) await pause(wait);
    }
  }

  return {
    pollOnce,
    start() {
      if (!stopped) return;
      stopped = false;
      loop = run();
    },
    async stop() {
      stopped = true;
      wake?.();
      await loop;
    },
  };
}
