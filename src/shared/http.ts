import { randomUUID } from 'node:crypto';
import type { Context, Next } from 'koa';
import { AppError, NotFoundError } from './errors';
import type { Logger } from './logger';

const SAFE_REQUEST_ID = /^[\w.:-]{1,128}$/;

/** Takes a sane X-Request-Id from the caller or makes one, echoes it, and gives the request a child logger. */
export function requestContext(log: Logger) {
  return async function requestId(ctx: Context, next: Next): Promise<void> {
    const given = ctx.get('x-request-id');
    ctx.state.requestId = SAFE_REQUEST_ID.test(given) ? given : randomUUID();
    ctx.set('X-Request-Id', ctx.state.requestId);
    ctx.state.log = log.child({ requestId: ctx.state.requestId });
    const start = Date.now();
    await next();
    ctx.state.log.info({ method: ctx.method, path: ctx.path, status: ctx.status, ms: Date.now() - start }, 'request');
  };
}

/** The one error boundary: every failure leaves as { error: { status, code, message, details } }. */
export function errorHandler() {
  return async function handleErrors(ctx: Context, next: Next): Promise<void> {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) throw new NotFoundError(`没有这个接口：${ctx.method} ${ctx.path}`);
    } catch (err) {
      const e = toAppError(err);
      ctx.status = e.status;
      ctx.set(e.headers);
      ctx.body = {
        error: {
          status: e.status,
          code: e.code,
          message: e.expose ? e.message : '服务器内部错误，请稍后再试',
          details: e.expose ? (e.details ?? null) : { requestId: ctx.state.requestId },
        },
      };
      if (e.status >= 500 && !e.expose) ctx.app.emit('error', err, ctx);
    }
  };
}

function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  // Errors thrown by koa itself (ctx.throw, http-errors) carry status and expose.
  const e = err as { status?: number; expose?: boolean; message?: string };
  if (typeof e.status === 'number' && e.status >= 400 && e.status < 500 && e.expose) {
    return new AppError(e.status, 'http_error', e.message ?? 'bad request');
  }
  return new AppError(500, 'internal', 'internal error');
}

declare module 'koa' {
  interface DefaultState {
    requestId: string;
    log: Logger;
  }
}
