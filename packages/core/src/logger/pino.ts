import { ValidationError } from '../errors';
import { LOG_LEVELS } from './levels';
import type { LogLevel } from './levels';
import { createRedactor } from './redact';
import type { Redactor } from './redact';
import type { LogFields, Logger } from './types';

/** One pino log method: fields object first, then the message. */
export type PinoLogFn = (fields: LogFields, message: string) => void;

/** The part of a pino logger {@link fromPino} needs; a real `pino()` instance fits. */
export interface PinoLike {
  /** pino's `debug`. */
  debug: PinoLogFn;
  /** pino's `info`. */
  info: PinoLogFn;
  /** pino's `warn`. */
  warn: PinoLogFn;
  /** pino's `error`. */
  error: PinoLogFn;
}

/** Options of {@link fromPino}. */
export interface FromPinoOptions {
  /** Masks secrets before pino sees them. Defaults to `createRedactor()`; `false` passes fields untouched. */
  redactor?: Redactor | false | undefined;
}

/**
 * Adapts a pino logger to {@link Logger}, swapping argument order to pino's
 * `(fields, message)`. Level filtering is left to pino's own `level`.
 */
export function fromPino(pino: PinoLike, options: FromPinoOptions = {}): Logger {
  if (typeof pino !== 'object' || pino === null || LOG_LEVELS.some((level) => typeof pino[level] !== 'function')) {
    throw new ValidationError(undefined, [{ path: 'pino', message: `must have ${LOG_LEVELS.join(', ')} methods` }]);
  }
  const redactor = options.redactor === undefined ? createRedactor() : options.redactor;
  const write =
    (level: LogLevel) =>
    (message: string, fields?: LogFields): void => {
      const text = redactor ? redactor.redactString(String(message)) : String(message);
      const data = fields === undefined ? {} : redactor ? redactor.redact(fields) : fields;
      // Called as a method: pino's log functions read their logger from `this`.
      pino[level](data, text);
    };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}
