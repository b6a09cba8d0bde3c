/**
 * `@almanac/core`: what every Almanac adapter needs, written once — the error
 * hierarchy, validation and config, HTTP client and retry, pagination, cache,
 * redacting logger, token vault and stores, webhook verification, clock and ids.
 *
 * @packageDocumentation
 */
export * from './errors';
export * from './clock';
export * from './deadline';
export * from './compact';
export * from './abort';
export * from './ids';
export * from './validation/index';
export * from './logger/index';
export * from './cache/index';
export * from './pagination/index';
export * from './secrets/index';
export * from './webhooks/index';
export * from './retry/index';
export * from './http/index';
