import pino, { type Logger } from 'pino';
import type { Config } from './config';

export type { Logger };

/**
 * One structured JSON logger for the process. Secrets that could reach a log line through a
 * request or an error are redacted by path.
 */
export function createLogger(config: Pick<Config, 'logLevel'>): Logger {
  return pino({
    level: config.logLevel,
    base: { service: 'livedesk' },
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'password',
        '*.password',
        'token',
        '*.token',
      ],
      censor: '[redacted]',
    },
  });
}
