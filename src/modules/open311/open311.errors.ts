import type { Context, Next } from 'koa';
import { z } from 'zod';
import { AppError } from '../../shared/errors';

/** One entry of Open311's error answer; `code` is the HTTP status, as the specification suggests. */
export interface Open311ErrorItem {
  code: number;
  description: string;
}

export const open311ErrorsSchema = z.array(z.object({
  code: z.number().int().meta({ description: '与 HTTP 状态码相同' }),
  description: z.string().min(1).meta({ description: '给用户看的中文说明' }),
})).min(1);

/**
 * The statuses Open311 knows: 404 for what does not exist, 403 for a missing or wrong api_key, 400 for anything
 * else a client did wrong (a 413 or 415 too). 429 stays 429 so that clients back off; our own faults stay 500.
 */
function statusOf(e: AppError): number {
  if (e.status >= 500) return 500;
  return e.status === 403 || e.status === 404 || e.status === 429 ? e.status : 400;
}

/** Each bad field of a validation error becomes an entry (the answer is an array for this); anything else is one. */
function itemsOf(e: AppError, status: number): Open311ErrorItem[] {
  const fields = Array.isArray(e.details) ? e.details.filter((d) => typeof d.field === 'string' && typeof d.message === 'string') : [];
  if ((e.code !== 'invalid_request' && e.code !== 'unprocessable') || fields.length < 2) return [{ code: status, description: e.message }];
  return fields.map((d) => ({ code: status, description: d.field === '(body)' ? String(d.message) : `参数 ${String(d.field)} 有误：${String(d.message)}` }));
}

function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const e = err as { status?: number; expose?: boolean; message?: string };
  if (typeof e.status === 'number' && e.status >= 400 && e.status < 500 && e.expose) return new AppError(e.status, 'http_error', e.message ?? 'bad request');
  return new AppError(500, 'internal', 'internal error');
}

/**
 * The error boundary of the Open311 routes: every refusal leaves as Open311's `[{code, description}]` with its
 * status, before the service's own boundary (src/shared/http.ts) could reshape it. A fault of ours is logged and
 * answered 500 without its message.
 */
export function open311Errors() {
  return async function handleOpen311Errors(ctx: Context, next: Next): Promise<void> {
    try {
      await next();
    } catch (err) {
      const e = toAppError(err);
      const status = statusOf(e);
      ctx.status = status;
      ctx.set(e.status === 429 ? e.headers : {});
      ctx.body = status === 500 && !e.expose
        ? [{ code: 500, description: `服务器内部错误，请稍后再试（请求号 ${ctx.state.requestId}）` }]
        : itemsOf(e, status);
      if (status === 500) ctx.app.emit('error', err, ctx);
    }
  };
}
