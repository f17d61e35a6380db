import { setTimeout as sleep } from 'node:timers/promises';
import axios from 'axios';
import type { Logger } from '../../shared/logger';
import { ERRCODE, unavailable, WeChatError } from './wechat-errors';

export interface WeChatRequest {
  method: 'GET' | 'POST';
  path: string;
  query: Record<string, string>;
  body?: unknown;
}

/** A WeChat answer as sent, with `errcode` defaulted to 0 (successful answers may leave it out). */
export type WeChatReply = Record<string, unknown> & { errcode: number };

export interface Transport {
  send(req: WeChatRequest): Promise<WeChatReply>;
}

export interface TransportOptions {
  baseURL: string;
  timeoutMs: number;
  /** `attempts` counts the first try too. */
  retry: { attempts: number; baseDelayMs: number };
  log: Logger;
}

/** Sends WeChat requests with a hard timeout, retrying errcode -1 (system busy) with exponential backoff. */
export function createTransport(opts: TransportOptions): Transport {
  const http = axios.create({ baseURL: opts.baseURL, timeout: opts.timeoutMs });
  const log = opts.log.child({ module: 'wechat' });

  async function once({ method, path, query, body }: WeChatRequest, attempt: number): Promise<WeChatReply> {
    const started = performance.now();
    const ms = () => Math.round(performance.now() - started);
    let data: unknown;
    try {
      // The overall deadline: axios's own timeout only watches for an idle socket.
      const signal = AbortSignal.timeout(opts.timeoutMs);
      data = (await http.request({ method, url: path, params: query, data: body, signal })).data;
    } catch (err) {
      const reason = failureReason(err);
      log.warn({ method, path, attempt, ms: ms(), reason, cause: axios.isAxiosError(err) ? err.code : undefined }, 'wechat call failed');
      // The axios error is not kept as a cause: its config holds the secret or token from the query string.
      throw unavailable(reason);
    }
    if (typeof data !== 'object' || data === null || Array.isArray(data)) {
      log.warn({ method, path, attempt, ms: ms() }, 'wechat answer is not a JSON object');
      throw new WeChatError(502, 'wechat_bad_response', '微信服务返回异常');
    }
    const fields = data as Record<string, unknown>;
    const errcode = typeof fields.errcode === 'number' ? fields.errcode : 0;
    if (errcode === 0) log.info({ method, path, attempt, errcode, ms: ms() }, 'wechat call');
    else log.warn({ method, path, attempt, errcode, errmsg: fields.errmsg, ms: ms() }, 'wechat call answered an error');
    return { ...fields, errcode };
  }

  return {
    async send(req) {
      for (let attempt = 1; ; attempt++) {
        const reply = await once(req, attempt);
        if (reply.errcode !== ERRCODE.busy || attempt >= opts.retry.attempts) return reply;
        await sleep(opts.retry.baseDelayMs * 2 ** (attempt - 1));
      }
    },
  };
}

function failureReason(err: unknown): string {
  if (!axios.isAxiosError(err)) return 'network';
  if (err.response) return `http_${err.response.status}`;
  // ERR_CANCELED can only come from our deadline signal.
  return err.code === 'ECONNABORTED' || err.code === 'ETIMEDOUT' || err.code === 'ERR_CANCELED' ? 'timeout' : 'network';
}
