/** Structured fields attached to a log line. */
export type LogFields = Record<string, unknown>;

/**
 * The tiny logger interface Almanac code writes to. Library code never calls
 * `console.*`; callers inject a logger (or get the silent default).
 */
export interface Logger {
  /** Verbose diagnostics. */
  debug(message: string, fields?: LogFields): void;
  /** Normal operation. */
  info(message: string, fields?: LogFields): void;
  /** Something unexpected that the code recovered from. */
  warn(message: string, fields?: LogFields): void;
  /** A failure. */
  error(message: string, fields?: LogFields): void;
}

/** A logger that discards everything: the default. */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};
