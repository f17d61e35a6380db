import pino, { Logger } from 'pino';

export type { Logger } from 'pino';

/** Phone numbers anywhere in a log line are masked like 138****1234. */
export function maskPhone(phone: string): string {
  return phone.replace(/(\d{3})\d{4}(\d{4})/g, '$1****$2');
}

/** The service logger: JSON lines, secrets redacted. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'nuanxin' },
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.secret', '*.token', '*.accessToken', '*.refreshToken'],
      censor: '[redacted]',
    },
    formatters: {
      log: (obj) => (typeof obj.phone === 'string' ? { ...obj, phone: maskPhone(obj.phone) } : obj),
    },
  });
}
