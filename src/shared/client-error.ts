import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from './logger';

interface Refusal {
  status: number;
  reason: string;
  code: string;
  message: string;
}

// What Node's own HTTP parser refuses before any middleware runs, answered in the service's error shape.
const HEADERS_TOO_LARGE: Refusal = { status: 431, reason: 'Request Header Fields Too Large', code: 'headers_too_large', message: '请求头过大' };
const TIMEOUT: Refusal = { status: 408, reason: 'Request Timeout', code: 'request_timeout', message: '请求超时' };
const MALFORMED_URL: Refusal = {
  status: 400, reason: 'Bad Request', code: 'malformed_request',
  message: '请求格式有误：地址中的中文等非 ASCII 字符须先做 URL 编码（如 curl -G --data-urlencode）',
};
const MALFORMED_FRAMING: Refusal = {
  status: 400, reason: 'Bad Request', code: 'malformed_request',
  message: '请求格式有误：请求体的长度或分块编码不对（Content-Length 与实际不符、重复，或与 Transfer-Encoding 同时给出）',
};
const MALFORMED: Refusal = { status: 400, reason: 'Bad Request', code: 'malformed_request', message: '请求格式有误：不是合法的 HTTP/1.1 请求' };

// llhttp's error codes (HPE_*), by what the client got wrong.
const URL_CODES = new Set(['HPE_INVALID_URL', 'HPE_INVALID_PATH']);
const FRAMING_CODES = new Set([
  'HPE_UNEXPECTED_CONTENT_LENGTH', 'HPE_INVALID_CONTENT_LENGTH', 'HPE_INVALID_TRANSFER_ENCODING',
  'HPE_INVALID_CHUNK_SIZE', 'HPE_CHUNK_EXTENSIONS_OVERFLOW', 'HPE_INVALID_EOF_STATE',
]);

function refusalFor(code: string | undefined): Refusal {
  if (code === 'HPE_HEADER_OVERFLOW') return HEADERS_TOO_LARGE;
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return TIMEOUT;
  if (code && URL_CODES.has(code)) return MALFORMED_URL;
  if (code && FRAMING_CODES.has(code)) return MALFORMED_FRAMING;
  return MALFORMED;
}

/** The raw HTTP/1.1 response for a request Node refused to parse, with a JSON body in the error shape. */
export function clientErrorResponse(code: string | undefined): string {
  const r = refusalFor(code);
  const body = JSON.stringify({ error: { status: r.status, code: r.code, message: r.message, details: { parser: code ?? null } } });
  return [
    `HTTP/1.1 ${r.status} ${r.reason}`,
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    '',
    body,
  ].join('\r\n');
}

/** Replaces Node's bare-text answers to unparseable requests (empty 400, bare 431) with JSON ones. */
export function handleClientErrors(server: Server, log: Logger): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    // A reset or closed connection can no longer be answered (the check Node's docs give).
    if (err.code === 'ECONNRESET' || !socket.writable) return;
    log.debug({ module: 'http', code: err.code }, 'client error');
    socket.end(clientErrorResponse(err.code));
  });
}
