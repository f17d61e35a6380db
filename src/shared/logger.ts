import pino, { Logger } from 'pino';
import type { DestinationStream } from 'pino';

export type { Logger } from 'pino';

const MOBILE = /(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)/g;

/** Mainland mobile numbers in a text are masked like 138****1234. */
export function maskPhone(text: string): string {
  return text.replace(MOBILE, '$1****$2');
}

/** Masks phone numbers in every string of a log object, however deep. */
function maskDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskPhone(value);
  if (depth > 6 || !value || typeof value !== 'object' || value instanceof Error) return value;
  if (Array.isArray(value)) return value.map((v) => maskDeep(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskDeep(v, depth + 1)]));
}

/** The service logger: JSON lines, secrets redacted, phone numbers masked in fields and messages alike. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino({
    level,
    base: { service: 'nuanxin' },
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.secret', '*.token', '*.accessToken', '*.refreshToken'],
      censor: '[redacted]',
    },
    formatters: { log: (obj) => maskDeep(obj) as Record<string, unknown> },
    hooks: {
      logMethod(args, method) {
        method.apply(this, args.map((a) => (typeof a === 'string' ? maskPhone(a) : a)) as Parameters<typeof method>);
      },
    },
  }, destination);
}
