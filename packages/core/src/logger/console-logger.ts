import { ValidationError } from '../errors';
import { checkLevel, isLevelEnabled, LOG_LEVELS } from './levels';
import type { LogLevel } from './levels';
import { createRedactor } from './redact';
import type { Redactor } from './redact';
import type { LogFields, Logger } from './types';

/** The part of the global `console` the console logger writes to. */
export interface ConsoleLike {
  /** Receives `debug` lines. */
  debug(...data: unknown[]): void;
  /** Receives `info` lines. */
  info(...data: unknown[]): void;
  /** Receives `warn` lines. */
  warn(...data: unknown[]): void;
  /** Receives `error` lines. */
  error(...data: unknown[]): void;
}

/** Options of {@link createConsoleLogger}. */
export interface ConsoleLoggerOptions {
  /** Where lines go, e.g. `globalThis.console`. A parameter so library code never touches the global. */
  console: ConsoleLike;
  /** Lowest level written. Default `info`. */
  level?: LogLevel | undefined;
  /**
   * Masks secrets before writing. Defaults to a fresh `createRedactor()` (key-name and
   * bearer-token masking); pass your own to also mask registered secret values, or
   * `false` to write fields untouched.
   */
  redactor?: Redactor | false | undefined;
}

/**
 * A {@link Logger} that writes `message` and, when present, the fields object to the
 * matching method of the given console, dropping lines below `level`.
 */
export function createConsoleLogger(options: ConsoleLoggerOptions): Logger {
  const target = options?.console;
  if (typeof target !== 'object' || target === null || LOG_LEVELS.some((level) => typeof target[level] !== 'function')) {
    throw new ValidationError(undefined, [{ path: 'console', message: `must have ${LOG_LEVELS.join(', ')} methods` }]);
  }
  const minimum = checkLevel(options.level ?? 'info', 'level');
  const redactor = options.redactor === undefined ? createRedactor() : options.redactor;
  const write =
    (level: LogLevel) =>
    (message: string, fields?: LogFields): void => {
      if (!isLevelEnabled(level, minimum)) return;
      const text = redactor ? redactor.redactString(String(message)) : String(message);
      if (fields === undefined || Object.keys(fields).length === 0) target[level](text);
      else target[level](text, redactor ? redactor.redact(fields) : fields);
    };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}
