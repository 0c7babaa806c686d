/** pino with personal data and secrets redacted wherever they appear in a log record. */
import pino, { type Logger } from 'pino';

export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.passwordHash',
  '*.idNumber',
  '*.name',
  '*.realName',
  '*.phone',
  '*.phoneNumber',
  '*.code',
  '*.sessionKey',
  '*.session_key',
  '*.accessToken',
  '*.refreshToken',
  '*.access_token',
  '*.secret',
  '*.privateKey',
];

export function createLogger(opts: { level: string; name?: string; destination?: pino.DestinationStream }): Logger {
  return pino(
    {
      name: opts.name ?? 'bff',
      level: opts.level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      base: undefined,
    },
    opts.destination,
  );
}

export type { Logger };
