import { ValidationError } from '../errors';
import { checkLogger } from './levels';
import type { LogLevel } from './levels';
import type { LogFields, Logger } from './types';

/**
 * A logger that adds `fields` to every line, like pino's `child()`. Fields passed to a
 * call win over bound ones of the same name.
 */
export function withFields(logger: Logger, fields: LogFields): Logger {
  checkLogger(logger, 'logger');
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) {
    throw new ValidationError(undefined, [{ path: 'fields', message: 'must be an object' }]);
  }
  const bound = { ...fields };
  const forward =
    (level: LogLevel) =>
    (message: string, callFields?: LogFields): void => {
      logger[level](message, { ...bound, ...callFields });
    };
  return { debug: forward('debug'), info: forward('info'), warn: forward('warn'), error: forward('error') };
}
