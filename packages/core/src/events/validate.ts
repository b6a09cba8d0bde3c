import { ValidationError } from '../errors';
import type { ValidationIssue } from '../errors';
import type { PublishOptions, SubscribeOptions } from './types';

/** Topic and group names: what every broker accepts in queue and topic names. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;
const NAME_RULE = 'must be 1-200 characters of letters, digits, ".", "_" or "-", starting with a letter or digit';

export const DEFAULT_PREFETCH = 10;
export const DEFAULT_MAX_ATTEMPTS = 5;

/** The settings of a subscription, validated and defaulted. */
export interface ResolvedSubscribeOptions {
  group: string;
  prefetch: number;
  maxAttempts: number;
}

function fail(issues: ValidationIssue[]): void {
  if (issues.length > 0) throw new ValidationError(undefined, issues);
}

/** Validates a `publish` call and serialises the payload (JSON, as every broker carries it). */
export function checkPublish(topic: unknown, event: unknown, options: PublishOptions | undefined): string {
  const issues: ValidationIssue[] = [];
  if (typeof topic !== 'string' || !NAME.test(topic)) issues.push({ path: 'topic', message: NAME_RULE });
  if (options !== undefined && (typeof options !== 'object' || options === null)) issues.push({ path: 'options', message: 'must be an object' });
  const { key, id, headers } = options ?? {};
  if (key !== undefined && (typeof key !== 'string' || key.length === 0 || key.length > 1024)) {
    issues.push({ path: 'options.key', message: 'must be a non-empty string of at most 1024 characters' });
  }
  if (id !== undefined && (typeof id !== 'string' || id.length === 0 || id.length > 200)) {
    issues.push({ path: 'options.id', message: 'must be a non-empty string of at most 200 characters' });
  }
  if (headers !== undefined) {
    if (typeof headers !== 'object' || headers === null) issues.push({ path: 'options.headers', message: 'must be an object of strings' });
    else {
      for (const [name, value] of Object.entries(headers)) {
        if (typeof value !== 'string') issues.push({ path: `options.headers.${name}`, message: 'must be a string' });
        if (name.startsWith('x-almanac-') || name.startsWith('x-death')) issues.push({ path: `options.headers.${name}`, message: 'is reserved' });
      }
    }
  }
  let json: string | undefined;
  try {
    json = JSON.stringify(event);
  } catch {
    json = undefined;
  }
  if (json === undefined) issues.push({ path: 'event', message: 'must be JSON-serialisable' });
  fail(issues);
  return json as string;
}

/** Validates a `subscribe` call and fills in the defaults. */
export function checkSubscribe(topic: unknown, handler: unknown, options: unknown): ResolvedSubscribeOptions {
  const issues: ValidationIssue[] = [];
  if (typeof topic !== 'string' || !NAME.test(topic)) issues.push({ path: 'topic', message: NAME_RULE });
  if (typeof handler !== 'function') issues.push({ path: 'handler', message: 'must be a function' });
  if (typeof options !== 'object' || options === null) {
    issues.push({ path: 'options', message: 'must be an object with a group' });
    fail(issues);
  }
  const { group, prefetch = DEFAULT_PREFETCH, maxAttempts = DEFAULT_MAX_ATTEMPTS } = options as SubscribeOptions;
  if (typeof group !== 'string' || !NAME.test(group)) issues.push({ path: 'options.group', message: NAME_RULE });
  if (!Number.isSafeInteger(prefetch) || prefetch < 1 || prefetch > 65_535) {
    issues.push({ path: 'options.prefetch', message: 'must be an integer from 1 to 65535' });
  }
  if (!Number.isSafeInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > 1000) {
    issues.push({ path: 'options.maxAttempts', message: 'must be an integer from 1 to 1000' });
  }
  fail(issues);
  return { group, prefetch, maxAttempts };
}
