/**
 * Logging: the `Logger` interface every package logs through (silent by default), console
 * and pino bridges, and a redactor that masks secrets by key name and by registered value.
 *
 * @packageDocumentation
 */
export type { LogFields, Logger } from './types';
export { silentLogger } from './types';
export { createRedactor, DEFAULT_SECRET_KEYS, DEFAULT_SECRET_QUERY_PARAMS, REDACTED } from './redact';
export type { Redactor, RedactorOptions } from './redact';
export { isLevelEnabled, LOG_LEVELS, withLevel } from './levels';
export type { LogLevel } from './levels';
export { createConsoleLogger } from './console-logger';
export type { ConsoleLike, ConsoleLoggerOptions } from './console-logger';
export { fromPino } from './pino';
export type { FromPinoOptions, PinoLike, PinoLogFn } from './pino';
export { withFields } from './with-fields';
export { withRedaction } from './with-redaction';
