import { ValidationError } from '../errors';
import type { LogFields, Logger } from './types';

/** Severity of a log line, lowest first. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Every level, in increasing severity: `debug < info < warn < error`. */
export const LOG_LEVELS: readonly LogLevel[] = Object.freeze(['debug', 'info', 'warn', 'error'] as const);

/** Whether a line at `level` passes a logger whose minimum level is `minimum`. */
export function isLevelEnabled(level: LogLevel, minimum: LogLevel): boolean {
  return LOG_LEVELS.indexOf(level) >= LOG_LEVELS.indexOf(minimum);
}

/** Throws a {@link ValidationError} naming `path` unless `level` is a {@link LogLevel}. */
export function checkLevel(level: unknown, path: string): LogLevel {
  if (typeof level === 'string' && (LOG_LEVELS as readonly string[]).includes(level)) return level as LogLevel;
  throw new ValidationError(undefined, [{ path, message: `must be one of ${LOG_LEVELS.join(', ')}` }]);
}

/** A logger that drops lines below `minimum` before they reach `logger`. */
export function withLevel(logger: Logger, minimum: LogLevel): Logger {
  checkLogger(logger, 'logger');
  checkLevel(minimum, 'minimum');
  const forward =
    (level: LogLevel) =>
    (message: string, fields?: LogFields): void => {
      if (!isLevelEnabled(level, minimum)) return;
      if (fields === undefined) logger[level](message);
      else logger[level](message, fields);
    };
  return { debug: forward('debug'), info: forward('info'), warn: forward('warn'), error: forward('error') };
}

/** Throws a {@link ValidationError} naming `path` unless `value` has the four logger methods. */
export function checkLogger(value: unknown, path: string): asserts value is Logger {
  const missing = LOG_LEVELS.filter((level) => typeof (value as Record<string, unknown> | null)?.[level] !== 'function');
  if (typeof value !== 'object' || value === null || missing.length > 0) {
    throw new ValidationError(undefined, [{ path, message: `must have ${LOG_LEVELS.join(', ')} methods` }]);
  }
}
