import axios, { type AxiosInstance } from 'axios';
import { z } from 'zod';
import { callApi } from './api-call';
import { ApiError } from './api-error';

/** An outbox event the bot claimed (POST /api/v1/outbox/claim); lenient, so new fields and types do not break it. */
const claimedSchema = z.object({
  id: z.string(),
  type: z.string(),
  recipient: z.object({ kind: z.string(), id: z.string() }),
  payload: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
  claimToken: z.string(),
  attempts: z.number(),
});
export type ClaimedNotice = z.infer<typeof claimedSchema>;
export type Recipient = ClaimedNotice['recipient'];
export type Handle = Pick<ClaimedNotice, 'id' | 'claimToken'>;

const claimResponse = z.object({ data: z.array(claimedSchema) });
const resultsResponse = z.object({ data: z.array(z.object({ id: z.string(), result: z.string() })) });
const recipientResponse = z.object({ data: z.object({ contactId: z.string().nullable() }) });

/** The outbox and recipient routes the notifier uses, all behind X-Bot-Token. */
export interface OutboxClient {
  claim(limit: number, leaseSeconds: number): Promise<ClaimedNotice[]>;
  /** Per event: acked, already, stale or unknown. */
  ack(handles: readonly Handle[]): Promise<Array<{ id: string; result: string }>>;
  release(handles: readonly Handle[], retryAfterSeconds: number): Promise<Array<{ id: string; result: string }>>;
  /** The WeChat contact a rider or staff member is reached at; null when they have none or no longer exist (404). */
  contactOf(recipient: Recipient): Promise<string | null>;
}

export interface OutboxClientOptions {
  baseURL: string;
  timeoutMs: number;
  botToken: string;
  /** The consumer name the service's OUTBOX_CONSUMERS gives the bot. */
  consumer: string;
}

const BATCH_MAX = 100;
const chunks = <T>(list: readonly T[]): T[][] =>
  Array.from({ length: Math.ceil(list.length / BATCH_MAX) }, (_, i) => list.slice(i * BATCH_MAX, (i + 1) * BATCH_MAX));

/** At most 100 handles a call (the routes' limit), each only {id, claimToken}: the routes refuse other keys. */
async function inBatches(list: readonly Handle[], call: (batch: Handle[]) => Promise<Array<{ id: string; result: string }>>) {
  const out: Array<{ id: string; result: string }> = [];
  for (const batch of chunks(list)) out.push(...(await call(batch.map(({ id, claimToken }) => ({ id, claimToken })))));
  return out;
}

/** An axios client for /api/v1/outbox (claim, ack, release as `consumer`) and /api/v1/bot/recipients. */
export function createOutboxClient(options: OutboxClientOptions, http: AxiosInstance = axios.create({
  baseURL: options.baseURL, timeout: options.timeoutMs, headers: { Accept: 'application/json', 'X-Bot-Token': options.botToken },
})): OutboxClient {
  const { consumer } = options;
  const post = <S extends z.ZodType>(url: string, data: unknown, schema: S) => callApi(http, { method: 'POST', url, data }, schema);
  return {
    claim: async (limit, leaseSeconds) => (await post('/api/v1/outbox/claim', { consumer, limit, leaseSeconds }, claimResponse)).data,
    ack: (handles) => inBatches(handles, async (acks) => (await post('/api/v1/outbox/ack', { consumer, acks }, resultsResponse)).data),
    release: (handles, retryAfterSeconds) => inBatches(handles, async (releases) =>
      (await post('/api/v1/outbox/release', { consumer, releases, retryAfterSeconds }, resultsResponse)).data),
    contactOf: async (r) => {
      const url = `/api/v1/bot/recipients/${encodeURIComponent(r.kind)}/${encodeURIComponent(r.id)}`;
      try {
        return (await callApi(http, { url }, recipientResponse)).data.contactId;
      } catch (err) {
        // A rider or staff member the service no longer has: nobody to tell, now or on a retry.
        if (err instanceof ApiError && err.status === 404) return null;
        throw err;
      }
    },
  };
}
