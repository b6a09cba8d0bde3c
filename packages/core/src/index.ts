/**
 * `@almanac/core`: what every Almanac adapter needs, written once.
 *
 * @packageDocumentation
 */
export * from './errors';
export * from './clock';
export * from './logger/types';
export * from './logger/redact';
