import type { FakeHandler, FakeRequest, FakeResponse } from './fake-types';
import { BOT_TOKEN } from './fixtures';

/** An event as the fake outbox stores it, with the bot's delivery state. */
interface Row {
  event: { id: string; type: string; recipient: { kind: string; id: string }; payload: Record<string, unknown>; createdAt: string };
  claimToken: string | null;
  attempts: number;
  acked: boolean;
}

export interface FakeOutbox {
  handler: FakeHandler;
  /** Adds an event for consumer 'bot' (the id is made up when not given). */
  add(e: { type: string; recipient: { kind: 'rider' | 'staff'; id: string }; payload: Record<string, unknown>; id?: string; createdAt?: Date }): string;
  /** Maps a recipient to a contact id (null: known, but has no contact). Unmapped recipients answer 404, as unknown ones do. */
  contact(kind: 'rider' | 'staff', id: string, contactId: string | null): void;
  /** Every lease runs out, as it does when the bot dies before it acknowledges. */
  expireLeases(): void;
  acked(): string[];
  /** Events neither acknowledged nor under a lease. */
  ready(): string[];
}

const error = (status: number, message: string): FakeResponse => ({ status, body: { error: { status, code: 'error', message } } });
const handles = (body: unknown, key: string): Array<{ id: string; claimToken: string }> =>
  ((body as Record<string, unknown> | undefined)?.[key] as Array<{ id: string; claimToken: string }> | undefined) ?? [];

/** The service's outbox routes for consumer 'bot' and GET /api/v1/bot/recipients, kept in memory, as the README specifies them. */
export function createFakeOutbox(): FakeOutbox {
  const rows: Row[] = [];
  const contacts = new Map<string, string | null>();
  let seq = 0;
  const find = (id: string) => rows.find((r) => r.event.id === id);

  const claim = (req: FakeRequest): FakeResponse => {
    const { limit = 20 } = req.body as { limit?: number };
    const free = rows.filter((r) => !r.acked && r.claimToken === null).slice(0, limit);
    for (const r of free) {
      r.claimToken = `tok-${++seq}`;
      r.attempts++;
    }
    return { status: 200, body: { data: free.map((r) => ({ ...r.event, claimToken: r.claimToken, attempts: r.attempts, leaseUntil: r.event.createdAt, dedupeId: r.event.id, city: 'chongqing' })) } };
  };
  const settle = (req: FakeRequest, key: string, done: (r: Row) => void, ok: string): FakeResponse => ({
    status: 200,
    body: { data: handles(req.body, key).map(({ id, claimToken }) => {
      const r = find(id);
      if (!r) return { id, result: 'unknown' };
      if (r.acked) return { id, result: 'already' };
      if (r.claimToken !== claimToken) return { id, result: 'stale' };
      done(r);
      return { id, result: ok };
    }) },
  });

  const handler: FakeHandler = (req) => {
    if (req.botToken !== BOT_TOKEN) return error(401, '需要服务凭证（x-bot-token）');
    const recipient = /^\/api\/v1\/bot\/recipients\/(rider|staff)\/([^/]+)$/.exec(req.path);
    if (req.method === 'GET' && recipient) {
      const key = `${recipient[1]}:${recipient[2]}`;
      return contacts.has(key) ? { status: 200, body: { data: { contactId: contacts.get(key) } } } : error(404, '骑手不存在');
    }
    if (req.method !== 'POST' || (req.body as { consumer?: string } | undefined)?.consumer !== 'bot') return error(404, '未找到');
    if (req.path === '/api/v1/outbox/claim') return claim(req);
    if (req.path === '/api/v1/outbox/ack') return settle(req, 'acks', (r) => { r.acked = true; }, 'acked');
    if (req.path === '/api/v1/outbox/release') return settle(req, 'releases', (r) => { r.claimToken = null; }, 'released');
    return error(404, '未找到');
  };

  return {
    handler,
    add(e) {
      const id = e.id ?? (++seq).toString(16).padStart(24, '0');
      rows.push({ event: { id, type: e.type, recipient: e.recipient, payload: e.payload, createdAt: (e.createdAt ?? new Date(Date.now() + seq)).toISOString() }, claimToken: null, attempts: 0, acked: false });
      return id;
    },
    contact: (kind, id, contactId) => void contacts.set(`${kind}:${id}`, contactId),
    expireLeases: () => rows.forEach((r) => { if (!r.acked) r.claimToken = null; }),
    acked: () => rows.filter((r) => r.acked).map((r) => r.event.id),
    ready: () => rows.filter((r) => !r.acked && r.claimToken === null).map((r) => r.event.id),
  };
}
