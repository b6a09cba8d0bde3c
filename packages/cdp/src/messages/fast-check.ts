// A fast path in front of the zod schemas for the common, valid call: plain JSON, known keys,
// no timestamp string to parse, no integrations. It accepts only what the schemas accept (it
// is stricter: anything unusual returns false and goes through zod, which reports the error
// naming the field), so the collector validates a typical message in about a microsecond.
import type { CdpMessageType } from './types';

const ALLOWED: Record<CdpMessageType, ReadonlySet<string>> = {
  identify: new Set(['messageId', 'timestamp', 'userId', 'anonymousId', 'context', 'traits']),
  track: new Set(['messageId', 'timestamp', 'userId', 'anonymousId', 'context', 'event', 'properties']),
  page: new Set(['messageId', 'timestamp', 'userId', 'anonymousId', 'context', 'name', 'category', 'properties']),
  group: new Set(['messageId', 'timestamp', 'userId', 'anonymousId', 'context', 'groupId', 'traits']),
  alias: new Set(['messageId', 'timestamp', 'userId', 'anonymousId', 'context', 'previousId']),
};
const OBJECT_FIELDS = new Set(['context', 'traits', 'properties']);
const ID_FIELDS = new Set(['messageId', 'userId', 'anonymousId', 'groupId', 'previousId']);

function isJson(value: unknown, depth: number): boolean {
  if (depth > 32) return false;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object': {
      if (value === null) return true;
      if (Array.isArray(value)) {
        for (const item of value) if (!isJson(item, depth + 1)) return false;
        return true;
      }
      if (Object.getPrototypeOf(value) !== Object.prototype) return false;
      for (const key in value) if (!isJson((value as Record<string, unknown>)[key], depth + 1)) return false;
      return true;
    }
    default:
      return false;
  }
}

/** True when `input` is certainly a valid call of `type`; false means "ask zod". */
export function obviouslyValid(type: CdpMessageType, input: unknown): boolean {
  if (typeof input !== 'object' || input === null || Object.getPrototypeOf(input) !== Object.prototype) return false;
  const record = input as Record<string, unknown>;
  const allowed = ALLOWED[type];
  for (const key in record) {
    if (!allowed.has(key)) return false;
    const value = record[key];
    if (value === undefined) continue;
    if (ID_FIELDS.has(key)) {
      if (typeof value !== 'string' || value.length === 0 || value.length > 512) return false;
    } else if (OBJECT_FIELDS.has(key)) {
      if (typeof value !== 'object' || value === null || Array.isArray(value) || !isJson(value, 0)) return false;
    } else if (key === 'timestamp') {
      if (!(value instanceof Date) || Number.isNaN(value.getTime())) return false;
    } else if (key === 'event') {
      if (typeof value !== 'string' || value.length === 0 || value.length > 256) return false;
    } else if (typeof value !== 'string' || value.length > 256) {
      return false; // name, category
    }
  }
  if (type === 'track' && typeof record['event'] !== 'string') return false;
  if (type === 'group' && typeof record['groupId'] !== 'string') return false;
  if (type === 'alias') return typeof record['userId'] === 'string' && typeof record['previousId'] === 'string';
  return typeof record['userId'] === 'string' || typeof record['anonymousId'] === 'string';
}
