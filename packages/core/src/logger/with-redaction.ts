import { ValidationError } from '../errors';
import { checkLogger } from './levels';
import type { LogLevel } from './levels';
import type { Redactor } from './redact';
import type { LogFields, Logger } from './types';

/**
 * A logger that masks secrets before `logger` sees them: in the message, registered
 * secret values and `key=value` pairs; in fields, secret key names and registered values
 * at any depth. Wrap the sink directly (innermost), so fields that {@link withFields}
 * binds on top of it pass through the redaction too.
 */
export function withRedaction(logger: Logger, redactor: Redactor): Logger {
  checkLogger(logger, 'logger');
  if (typeof redactor?.redact !== 'function' || typeof redactor.redactString !== 'function') {
    throw new ValidationError(undefined, [{ path: 'redactor', message: 'must be a Redactor (see createRedactor)' }]);
  }
  const forward =
    (level: LogLevel) =>
    (message: string, fields?: LogFields): void => {
      const text = redactor.redactString(String(message));
      if (fields === undefined) logger[level](text);
      else logger[level](text, redactor.redact(fields));
    };
  return { debug: forward('debug'), info: forward('info'), warn: forward('warn'), error: forward('error') };
}
